"""The import's commit announces its systems in bulk: the same obligations, deadlines and activity
records as registering each system through the service, at a cost that does not grow per row."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kzai.activity.models import ActivityRecord
from kzai.core.roles import Role
from kzai.deadlines.models import Deadline
from registry import services, transfer
from registry.models import AISystem
from registry.signals import system_facts_changed, system_facts_changed_many
from risk.models import Obligation, ReviewSchedule
from tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

HEADER = (
    "code,name,intended_purpose,organization_role,sector,lifecycle_stage,processes_personal_data,"
    "profiles_people,interacts_with_natural_persons,interaction_channel,generates_synthetic_content,"
    "synthetic_media,decision_role,hosting_country,data_leaves_kazakhstan,tags,responsible_officer_email"
)
# Rows that differ in the facts the requirements test, so that different obligations apply.
VARIANTS = [
    "owner,banking,design,yes,yes,yes,chatbot,no,,prepares,KZ,no",
    'possessor,healthcare,development,no,no,no,,yes,"image, text",takes,DE,yes',
    "owner,public,testing,yes,no,yes,voice_assistant,yes,video,none,KZ,no",
    "owner,education,suspended,no,yes,no,,no,,takes,US,yes",
]


def _rows(count: int, email: str) -> list[str]:
    return [
        f"B-{i:03d},System {i},Scores loans,{VARIANTS[i % len(VARIANTS)]},"
        f'"credit, batch-{i % 3}",{email if i % 2 else ""}'
        for i in range(count)
    ]


def _content(rows: list[str]) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def _import(org, rows):
    result = transfer.import_systems(
        organization=org, filename="systems.csv", content=_content(rows), dry_run=False
    )
    assert result.committed, result.as_dict()["rows"][:2]
    return result


def _one_by_one(org, rows, email):
    """The same rows registered one system at a time through the service (as the form does)."""
    headers, data = transfer.read_table("systems.csv", _content(rows))
    members = {email: MembershipFactory._meta.model.objects.get(organization=org, user__email=email)}
    for cells in data:
        fields, errors = transfer.parse_row(dict(zip(headers, cells, strict=True)), members)
        assert not errors
        services.ai_system_create(organization=org, **fields)


def _fk_free(changes: dict) -> dict:
    """Activity changes without the values that are ids (they differ between two organizations)."""
    ids = {"id", "organization", "system", "responsible", "responsible_officer", "requirement"}
    ids |= {"library_version", "content_type", "object_id", "source", "url"}
    return {name: value for name, value in changes.items() if name not in ids}


def _produced(org) -> dict:
    """What registering the organization's systems produced, keyed by system code."""
    produced = {}
    for system in AISystem.objects.filter(organization=org).prefetch_related("tags"):
        obligations = sorted(
            (
                o.code,
                o.requirement.code,
                o.due_on,
                o.urgent,
                o.status,
                o.in_force,
                o.recurrence,
                o.responsible_id is not None,
            )
            for o in Obligation.objects.filter(system=system).select_related("requirement")
        )
        deadlines = sorted(
            (
                d.kind,
                d.title,
                d.due_on,
                d.completed_at is None,
                d.withdrawn_at is None,
                d.responsible_id is not None,
            )
            for d in Deadline.objects.filter(system=system)
        )
        activity = sorted(
            (
                r.content_type.model,
                r.action,
                r.source,
                repr(sorted(_fk_free(r.changes).items())),
            )
            for r in ActivityRecord.objects.filter(system_id=system.pk).select_related("content_type")
        )
        produced[system.code] = {
            "tags": sorted(t.name for t in system.tags.all()),
            "obligations": obligations,
            "deadlines": deadlines,
            "activity": activity,
            "schedule": ReviewSchedule.objects.filter(system=system).exists(),
        }
    return produced


def test_an_import_produces_what_registering_each_system_produces(org, officer, other_org):
    other = MembershipFactory(organization=other_org, role=Role.OFFICER)
    rows = _rows(12, other.user.email)
    _one_by_one(other_org, rows, other.user.email)
    _import(org, _rows(12, officer.user.email))

    imported, single = _produced(org), _produced(other_org)
    # Each obligation's deadline links the obligation's page.
    for deadline in Deadline.objects.filter(organization=org, kind="obligation"):
        assert deadline.url == reverse("risk:obligation_detail", args=[deadline.object_id])
    assert set(imported) == set(single) and len(imported) == 12
    assert any(entry["obligations"] for entry in single.values())
    assert any(entry["deadlines"] for entry in single.values())
    for code, expected in single.items():
        got = imported[code]
        assert got["obligations"] == expected["obligations"], code
        assert got["deadlines"] == expected["deadlines"], code
        assert got["tags"] == expected["tags"], code
        assert got["schedule"] == expected["schedule"], code
        # The service records the creation and then the tags being set; the import records the
        # creation and the tags added in one step each: every record of the one is in the other.
        assert got["activity"] == expected["activity"], code


def _commit_queries(org, rows) -> tuple[int, int]:
    """All statements of the import, and those that are not inserts."""
    with CaptureQueriesContext(connection) as queries:
        _import(org, rows)
    statements = [q["sql"] for q in queries.captured_queries]
    return len(statements), sum(1 for sql in statements if not sql.startswith("INSERT"))


def test_the_commit_costs_the_same_queries_for_30_rows_as_for_10(org, officer, other_org):
    # A first import warms what is read once per process (content types), not per file.
    warm = OrganizationFactory()
    _import(warm, _rows(1, MembershipFactory(organization=warm, role=Role.OFFICER).user.email))
    other = MembershipFactory(organization=other_org, role=Role.OFFICER)
    ten = _commit_queries(org, _rows(10, officer.user.email))
    thirty = _commit_queries(other_org, _rows(30, other.user.email))
    # Nothing per row: the bulk writes are one statement per table (and the three tags are created
    # one by one, once per file), whatever the number of rows. SQLite splits a bulk insert into
    # batches of 999 parameters, so there only the statements other than inserts are compared.
    assert thirty[1] == ten[1], (ten, thirty)
    if connection.vendor == "postgresql":
        assert thirty[0] == ten[0], (ten, thirty)
    assert AISystem.objects.filter(organization=other_org).count() == 30
    assert Obligation.objects.filter(system__organization=other_org).count() > 30


def test_every_listener_of_a_system_also_hears_many_systems():
    """A listener of `system_facts_changed` without a bulk counterpart would be skipped by imports."""

    def uids(signal):
        return {key[0] for key, *_rest in signal.receivers if isinstance(key[0], str)}

    assert uids(system_facts_changed) and uids(system_facts_changed) <= uids(system_facts_changed_many)


def test_the_bulk_announcement_refuses_a_system_going_into_operation_unscreened(org):
    """What the dry run reports is refused at commit too (the register changed meanwhile, say)."""
    fields = {"code": "X-1", "name": "X", "intended_purpose": "x", "organization_role": "owner"}
    systems, errors = services.ai_systems_validate(
        organization=org, rows=[{**fields, "sector": "banking", "lifecycle_stage": "in_operation"}]
    )
    assert "lifecycle_stage" in errors[0]
    with pytest.raises(ValidationError) as refused:
        services.ai_systems_create(organization=org, systems=systems)
    assert "lifecycle_stage" in refused.value.message_dict
    assert not AISystem.objects.filter(organization=org).exists()


def test_imported_rows_are_recorded_as_saving_each_object_records_it(org, officer, web_for):
    """The import writes obligations and deadlines as rows, without model instances: each one's
    record must hold what the recorder of a save writes for that object once loaded (object,
    parent, system, every change), the chain must verify, and the obligation's page shows it."""
    from kzai.activity.chain import chain_verify
    from kzai.activity.signals import context_values, created_changes, record_values

    _import(org, _rows(8, officer.user.email))
    obligations = list(Obligation.objects.filter(organization=org).select_related("system"))
    deadlines = list(Deadline.objects.filter(organization=org, kind="obligation"))
    assert obligations and deadlines
    records = {
        (r.content_type.model, r.object_id): r
        for r in ActivityRecord.objects.filter(
            organization=org, action="create", content_type__model__in=["obligation", "deadline"]
        ).select_related("content_type")
    }
    assert len(records) == len(obligations) + len(deadlines)
    compared = ("object_repr", "parent_content_type_id", "parent_object_id", "system_id", "changes")
    for instance in [*obligations, *deadlines]:
        expected = record_values(
            instance, "create", created_changes(instance.activity_snapshot()), context=context_values()
        )
        record = records[(type(instance)._meta.model_name, str(instance.pk))]
        assert {name: getattr(record, name) for name in compared} == {
            name: expected[name] for name in compared
        }, instance
    report = chain_verify(org.pk)
    assert report.intact and report.checked == ActivityRecord.objects.filter(organization=org).count()

    obligation = next(o for o in obligations if o.due_on is not None)
    page = web_for(officer).get(reverse("risk:obligation_detail", args=[obligation.pk]))
    assert page.status_code == 200
    history = [r for r in page.context["activity"] if r.object_id == str(obligation.pk)]
    assert [r.action for r in history] == ["create"]
    labelled = {row["label"]: row.get("after") for row in history[0].labelled_changes()}
    assert labelled[Obligation._meta.get_field("system").verbose_name] == str(obligation.system)
