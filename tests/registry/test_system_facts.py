"""A system's facts reach every capability that depends on them, however they change (form, API,
import, archive/restore), and are declared once (`registry.fields`)."""

import datetime

import pytest
from django.urls import reverse

from kzai.deadlines.models import Deadline, DeadlineKind, Notification, NotificationKind
from kzai.deadlines.reminders import reminder_sweep, sweep_today
from registry import fields, services, transfer
from registry.api.serializers import AISystemSerializer
from registry.choices import LifecycleStage
from registry.filtersets import AISystemFilterSet
from registry.forms import AISystemForm
from registry.models import AISystem
from risk.choices import ObligationStatus
from risk.models import Review, ReviewSchedule
from risk.risk_management import services as register_services
from risk.selectors import organization_score, system_risk
from risk.services.obligations import obligation_evidence_add, obligation_update
from tests.factories import PartyFactory, classify_system, screened_system

pytestmark = pytest.mark.django_db

FACTS = {
    "code": "FRAUD-01",
    "name": "Card fraud detection",
    "intended_purpose": "Flags suspicious card transactions.",
    "organization_role": "owner",
    "sector": "banking",
    "decision_role": "prepares",
    "processes_personal_data": True,
}
FORM = {
    **FACTS,
    "processes_personal_data": "on",
    "deployment": "on_premises",
    "hosting_country": "KZ",
    "lifecycle_stage": "testing",
}


@pytest.fixture
def web(officer, web_for):
    return web_for(officer)


@pytest.fixture
def api(officer, api_for):
    return api_for(officer)


def _form_data(system, **changes):
    data = {
        **FORM,
        "code": system.code,
        "lifecycle_stage": system.lifecycle_stage,
        "responsible_officer": system.responsible_officer_id or "",
        **changes,
    }
    return {k: v for k, v in data.items() if v is not False}


def change_facts(path, system, web, api, **changes):
    """Change facts of an existing system the way a person does it, through `path`."""
    if path == "form":
        response = web.post(
            reverse("registry:system_update", args=[system.pk]), _form_data(system, **changes)
        )
        assert response.status_code == 302, response.context["form"].errors
    else:
        response = api.patch(f"/api/v1/systems/{system.pk}/", changes, format="json")
        assert response.status_code == 200, response.json()
    system.refresh_from_db()
    return system


def import_system(org, **changes):
    row = {"code": "IMP-01", **{k: v for k, v in FACTS.items() if k != "code"}, **changes}
    cells = {k: ("yes" if v is True else "no" if v is False else str(v)) for k, v in row.items()}
    content = (",".join(cells) + "\n" + ",".join(cells.values()) + "\n").encode()
    result = transfer.import_systems(organization=org, filename="systems.csv", content=content, dry_run=False)
    assert result.committed, result.as_dict()
    return AISystem.objects.get(organization=org, code="IMP-01")


# -- the lifecycle stage reaches the review schedule at once ----------------------------------------
@pytest.mark.parametrize("path", ["form", "api"])
def test_going_into_operation_schedules_the_review_at_once_and_leaving_withdraws_it(
    path, org, officer, web, api
):
    system = services.ai_system_create(
        organization=org, lifecycle_stage=LifecycleStage.TESTING, responsible_officer=officer, **FACTS
    )
    classify_system(system, officer)
    screened_system(system, officer)
    assert not ReviewSchedule.objects.filter(system=system).exists()

    change_facts(path, system, web, api, lifecycle_stage=LifecycleStage.IN_OPERATION)
    schedule = ReviewSchedule.objects.get(system=system)
    assert schedule.next_due_on is not None
    deadline = Deadline.objects.get(system=system, kind=DeadlineKind.RISK_REVIEW)
    assert deadline.due_on == schedule.next_due_on and deadline.responsible == officer
    assert Review.objects.get(system=system).due_on == schedule.next_due_on

    change_facts(path, system, web, api, lifecycle_stage=LifecycleStage.SUSPENDED)
    assert not Deadline.objects.filter(system=system, kind=DeadlineKind.RISK_REVIEW).exists()
    assert not Review.objects.filter(system=system).exists()
    assert ReviewSchedule.objects.get(system=system).next_due_on is None


def test_a_system_imported_in_testing_has_no_review_schedule_until_it_goes_live(org, officer):
    system = import_system(org, lifecycle_stage=LifecycleStage.TESTING)
    assert ReviewSchedule.objects.filter(system=system, next_due_on__isnull=False).count() == 0
    classify_system(system, officer)
    screened_system(system, officer, lifecycle_stage=LifecycleStage.IN_OPERATION)
    assert ReviewSchedule.objects.get(system=system).next_due_on is not None


# -- a fact that drives obligations reaches them, whichever way it changes ---------------------------
@pytest.mark.parametrize("path", ["form", "api"])
def test_a_fact_that_drives_obligations_reaches_them(path, org, officer, web, api):
    system = services.ai_system_create(organization=org, **{**FACTS, "processes_personal_data": False})
    before = set(system.obligations.filter(in_force=True).values_list("code", flat=True))
    change_facts(path, system, web, api, processes_personal_data=True)
    after = set(system.obligations.filter(in_force=True).values_list("code", flat=True))
    assert after > before  # personal-data obligations now apply
    change_facts(path, system, web, api, processes_personal_data=False)
    assert set(system.obligations.filter(in_force=True).values_list("code", flat=True)) == before


def test_an_imported_fact_drives_obligations(org):
    plain = services.ai_system_create(organization=org, **{**FACTS, "processes_personal_data": False})
    imported = import_system(org, processes_personal_data=True)
    plain_codes = set(plain.obligations.filter(in_force=True).values_list("code", flat=True))
    imported_codes = set(imported.obligations.filter(in_force=True).values_list("code", flat=True))
    assert imported_codes > plain_codes


# -- archiving withdraws everything; restoring brings it back as it was ------------------------------
def _archive(path, system, web, api, restore=False):
    if path == "service":
        (services.ai_system_unarchive if restore else services.ai_system_archive)(system=system)
    elif path == "page":
        data = {"restore": "1"} if restore else {}
        assert web.post(reverse("registry:system_archive", args=[system.pk]), data).status_code == 302
    else:
        action = "unarchive" if restore else "archive"
        assert api.post(f"/api/v1/systems/{system.pk}/{action}/").status_code == 200
    system.refresh_from_db()


def _live_system(org, officer):
    """A system in operation with an obligation, a measure, a contract and a review, all due tomorrow."""
    tomorrow = sweep_today() + datetime.timedelta(days=1)
    system = services.ai_system_create(
        organization=org, lifecycle_stage=LifecycleStage.TESTING, responsible_officer=officer, **FACTS
    )
    classify_system(system, officer)
    system = screened_system(system, officer, lifecycle_stage=LifecycleStage.IN_OPERATION)
    obligation = system.obligations.filter(in_force=True).first()
    obligation_update(
        obligation=obligation, membership=officer, status=ObligationStatus.IN_PROGRESS, due_on=tomorrow
    )
    obligation_evidence_add(obligation=obligation, membership=officer, title="DPIA", reference="ORD-1")
    risk = register_services.risk_create(
        system=system, title="Bias", category="discrimination", likelihood=3, severity=4
    )
    register_services.measure_create(
        system=system, title="Bias testing", kind="technical", risks=[risk], owner=officer, due_on=tomorrow
    )
    party = PartyFactory(organization=org)
    services.party_link_create(system=system, party=party, role="developer", contract_expires_on=tomorrow)
    register_services.review_schedule_update(
        schedule=ReviewSchedule.objects.get(system=system), interval_months=12, first_due_on=tomorrow
    )
    return system, obligation


def _reminded(system) -> set[str]:
    return set(
        Notification.objects.filter(kind=NotificationKind.REMINDER, deadline__system=system).values_list(
            "deadline__kind", flat=True
        )
    )


@pytest.mark.parametrize("path", ["service", "page", "api"])
def test_archiving_withdraws_obligations_and_deadlines_and_restoring_brings_them_back(
    path, org, officer, web, api
):
    system, obligation = _live_system(org, officer)
    obligations = {o.pk: (o.status, o.due_on, o.in_force) for o in system.obligations.all()}
    deadlines = {d.pk: (d.kind, d.due_on, d.completed_at) for d in Deadline.objects.filter(system=system)}
    kinds = {
        DeadlineKind.OBLIGATION,
        DeadlineKind.MEASURE,
        DeadlineKind.CONTRACT_EXPIRY,
        DeadlineKind.RISK_REVIEW,
    }
    assert kinds <= {kind for kind, _, _ in deadlines.values()}
    assert organization_score(officer).applicable > 0

    _archive(path, system, web, api)
    assert not system.obligations.filter(in_force=True).exists()
    assert set(system.obligations.values_list("withdrawn_cause", flat=True)) == {"archived"}
    assert organization_score(officer).applicable == 0
    assert system_risk(officer, system).score.applicable == 0
    # Kept for the record, with their dates, but withdrawn: the daily sweep reminds of none of them.
    assert {d.pk for d in Deadline.objects.filter(system=system, withdrawn_at__isnull=False)} == set(
        deadlines
    )
    reminder_sweep()
    assert _reminded(system) == set()
    assert not web.get(reverse("deadlines:deadline_list")).context["page_obj"].object_list

    _archive(path, system, web, api, restore=True)
    assert {o.pk: (o.status, o.due_on, o.in_force) for o in system.obligations.all()} == obligations
    obligation.refresh_from_db()
    assert [e.title for e in obligation.evidence.all()] == ["DPIA"]
    assert {
        d.pk: (d.kind, d.due_on, d.completed_at) for d in Deadline.objects.filter(system=system)
    } == deadlines
    assert not Deadline.objects.filter(system=system, withdrawn_at__isnull=False).exists()
    assert organization_score(officer).applicable > 0
    reminder_sweep()
    assert _reminded(system) >= kinds


def test_a_restored_system_reminds_only_of_what_was_not_sent_before(org, officer):
    system, _obligation = _live_system(org, officer)
    reminder_sweep()
    sent = Notification.objects.filter(kind=NotificationKind.REMINDER).count()
    services.ai_system_archive(system=system)
    services.ai_system_unarchive(system=system)
    reminder_sweep()
    assert Notification.objects.filter(kind=NotificationKind.REMINDER).count() == sent


# -- one declaration of the facts ------------------------------------------------------------------
def test_every_model_field_is_declared_as_a_fact_or_as_state():
    """Adding a field to AISystem without declaring it in registry.fields fails here."""
    # Fields declared on the model (not the reverse side of another model's relation).
    model_fields = {
        f.name for f in AISystem._meta.get_fields() if f.concrete or (f.many_to_many and not f.auto_created)
    }
    facts = {f.name for f in fields.SYSTEM_FACTS}
    state = set(fields.SYSTEM_STATE)
    assert not facts & state
    assert model_fields == facts | state, {
        "not declared": sorted(model_fields - facts - state),
        "not on the model": sorted((facts | state) - model_fields),
    }


def test_every_declared_fact_reaches_the_form_the_api_the_import_and_the_services():
    facts = list(fields.SYSTEM_FACTS)
    form_fields = set(AISystemForm.base_fields)
    section_fields = {name for _title, names in AISystemForm.SECTIONS for name in names}
    for fact in facts:
        form_name = "tag_names" if fact.kind == fields.TAGS else fact.name
        assert form_name in form_fields and form_name in section_fields, fact.name
        assert fact.name in AISystemSerializer.Meta.fields, fact.name
        assert fact.header in transfer.COLUMN_BY_HEADER, fact.name
        if fact.is_service_field:
            assert fact.name in services.SYSTEM_FIELDS
        if fact.filter:
            assert fact.name in AISystemFilterSet.base_filters
    # The public names did not move: API fields and import columns as before.
    assert transfer.HEADER_BY_FIELD["responsible_officer"] == "responsible_officer_email"
    assert transfer.export_headers()[:6] == [
        "code",
        "name",
        "intended_purpose",
        "organization_role",
        "sector",
        "lifecycle_stage",
    ]


def test_a_deadline_added_to_an_archived_system_starts_withdrawn(org, officer):
    system, _obligation = _live_system(org, officer)
    services.ai_system_archive(system=system)
    risk = register_services.risk_create(
        system=system, title="Drift", category="discrimination", likelihood=2, severity=2
    )
    measure = register_services.measure_create(
        system=system, title="Monitoring", kind="technical", risks=[risk], owner=officer, due_on=sweep_today()
    )
    reminder_sweep()
    assert _reminded(system) == set()
    services.ai_system_unarchive(system=system)
    assert Deadline.objects.get(object_id=str(measure.pk), kind=DeadlineKind.MEASURE).withdrawn_at is None
