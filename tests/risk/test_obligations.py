"""Obligations: derivation in step with facts, updates, deadlines, evidence, scores, the matrix."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kzai.core.roles import Role
from kzai.deadlines.models import Deadline
from registry.services import ai_system_archive
from risk.choices import ObligationStatus
from risk.models import Obligation
from risk.services.obligations import (
    add_duration,
    obligation_evidence_add,
    obligation_update,
    obligations_sync,
    score_of,
)
from tests.factories import AISystemFactory, MembershipFactory, classify_system, system_with_obligations
from tests.tenancy import APIContract, UIContract


def test_chatbot_gets_disclosure_and_right_to_object(org):
    system = system_with_obligations(
        org, interacts_with_natural_persons=True, interaction_channel="chatbot", processes_personal_data=True
    )
    codes = set(system.obligations.values_list("code", flat=True))
    assert {"KZ-AI-TR-01", "KZ-AI-TR-04", "KZ-AI-OWN-05"} <= codes
    assert "KZ-AI-TR-02" not in codes


def test_synthetic_output_gets_marking_and_warning(org):
    system = system_with_obligations(org, generates_synthetic_content=True, synthetic_media=["video"])
    assert system.obligations.filter(code="KZ-AI-TR-02", in_force=True).exists()


def test_consumer_goods_bind_the_seller_even_for_a_user(org):
    system = system_with_obligations(org, organization_role="user", consumer_facing=True)
    codes = set(system.obligations.values_list("code", flat=True))
    assert "KZ-AI-CONS-01" in codes and "KZ-AI-USER-01" in codes
    assert "KZ-AI-RM-04" not in codes  # risk management binds owners and possessors


def test_sync_is_idempotent_and_keeps_the_library_version(org):
    system = system_with_obligations(org)
    before = list(system.obligations.values_list("pk", "updated_at"))
    result = obligations_sync(system=system)
    assert not result.gained and not result.lost and not result.updated
    assert list(system.obligations.values_list("pk", "updated_at")) == before
    assert set(system.obligations.values_list("library_version__version", flat=True)) == {"2026.2"}


def test_an_obligation_that_applies_again_comes_back_with_its_history(org, officer):
    system = system_with_obligations(org, generates_synthetic_content=True, synthetic_media=["text"])
    tr02 = system.obligations.get(code="KZ-AI-TR-02")
    obligation_update(
        obligation=tr02, membership=officer, status=ObligationStatus.IN_PROGRESS, notes="C2PA labels"
    )
    system.generates_synthetic_content, system.synthetic_media = False, []
    system.save()
    obligations_sync(system=system)
    tr02.refresh_from_db()
    assert not tr02.in_force and tr02.withdrawn_at
    with pytest.raises(ValidationError, match="no longer applies"):
        obligation_update(obligation=tr02, membership=officer, status=ObligationStatus.MET)
    system.generates_synthetic_content, system.synthetic_media = True, ["text"]
    system.save()
    obligations_sync(system=system)
    tr02.refresh_from_db()
    assert tr02.in_force and tr02.notes == "C2PA labels" and tr02.status == ObligationStatus.IN_PROGRESS
    assert Obligation.objects.filter(system=system, code="KZ-AI-TR-02").count() == 1


def test_archiving_withdraws_everything_but_deletes_nothing(org):
    system = system_with_obligations(org)
    count = system.obligations.count()
    ai_system_archive(system=system)
    assert system.obligations.count() == count
    assert not system.obligations.filter(in_force=True).exists()
    assert set(system.obligations.values_list("withdrawn_cause", flat=True)) == {"archived"}


def test_not_applicable_needs_a_reason(org, officer):
    obligation = system_with_obligations(org).obligations.get(code="KZ-AI-OWN-04")
    with pytest.raises(ValidationError) as caught:
        obligation_update(obligation=obligation, membership=officer, status=ObligationStatus.NOT_APPLICABLE)
    assert "not_applicable_reason" in caught.value.message_dict
    obligation_update(
        obligation=obligation,
        membership=officer,
        status=ObligationStatus.NOT_APPLICABLE,
        not_applicable_reason="Internal batch job; no users to support.",
    )
    assert not obligation.counts_for_score


def test_recurring_obligation_met_starts_the_next_cycle(org, officer):
    system = system_with_obligations(org)
    rm04 = system.obligations.get(code="KZ-AI-RM-04")
    today = timezone.localdate()
    assert rm04.recurrence == "P12M" and rm04.due_on == add_duration(today, "P12M")
    obligation_update(obligation=rm04, membership=officer, status=ObligationStatus.MET)
    assert rm04.met_on == today and rm04.due_on == add_duration(today, "P12M")
    deadline = Deadline.objects.get(object_id=str(rm04.pk), kind="obligation")
    assert deadline.completed_at is None and deadline.due_on == rm04.due_on  # the next review is owed


def test_one_off_obligation_met_closes_its_deadline(org, officer):
    system = system_with_obligations(org)
    risk01 = system.obligations.get(code="KZ-AI-RISK-01")
    assert risk01.due_on == add_duration(timezone.localdate(), "P1M")
    obligation_update(obligation=risk01, membership=officer, status=ObligationStatus.MET, responsible=officer)
    deadline = Deadline.objects.get(object_id=str(risk01.pk), kind="obligation")
    assert deadline.completed_at is not None and deadline.responsible == officer
    assert deadline.url == reverse("risk:obligation_detail", args=[risk01.pk])


def test_due_date_removed_removes_the_deadline(org, officer):
    obligation = system_with_obligations(org).obligations.get(code="KZ-AI-RISK-01")
    obligation_update(obligation=obligation, membership=officer, due_on=None)
    assert not Deadline.objects.filter(object_id=str(obligation.pk), kind="obligation").exists()


def test_leap_day_plus_a_year():
    assert add_duration(datetime.date(2028, 2, 29), "P12M") == datetime.date(2029, 2, 28)
    assert add_duration(datetime.date(2026, 1, 31), "P1M") == datetime.date(2026, 2, 28)
    assert add_duration(datetime.date(2026, 1, 1), "") is None


def test_responsible_must_belong_to_the_organization(org, other_org, officer, make_member):
    obligation = system_with_obligations(org).obligations.first()
    stranger = make_member(Role.OFFICER, organization=other_org)
    with pytest.raises(ValidationError) as caught:
        obligation_update(obligation=obligation, membership=officer, responsible=stranger)
    assert "responsible" in caught.value.message_dict


def test_evidence_needs_a_link_or_a_reference(org, officer):
    obligation = system_with_obligations(org).obligations.first()
    with pytest.raises(ValidationError):
        obligation_evidence_add(obligation=obligation, membership=officer, title="Policy")
    evidence = obligation_evidence_add(
        obligation=obligation, membership=officer, title="Policy", reference="Order No. 14 of 2026-02-01"
    )
    assert evidence.organization_id == org.pk and evidence.target is None


def test_score_is_met_over_applicable(org, officer):
    system = system_with_obligations(org)
    obligations = list(system.obligations.filter(in_force=True))
    total = len(obligations)
    obligation_update(obligation=obligations[0], membership=officer, status=ObligationStatus.MET)
    obligation_update(
        obligation=obligations[1],
        membership=officer,
        status=ObligationStatus.NOT_APPLICABLE,
        not_applicable_reason="Not used by people",
    )
    score = score_of(system.obligations.all())
    assert (score.met, score.applicable) == (1, total - 1)
    assert score.percent == round(100 / (total - 1))
    assert score_of([]).percent is None


# -- API ----------------------------------------------------------------------------------------------
def test_api_update_status_and_filter(org, officer, api_for):
    system = system_with_obligations(org)
    obligation = system.obligations.get(code="KZ-AI-OWN-02")
    client = api_for(officer)
    response = client.patch(
        f"/api/v1/risk/obligations/{obligation.pk}/",
        {"status": "in_progress", "responsible": officer.pk, "due_on": "2026-12-31"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["responsible_email"] == officer.user.email
    listed = client.get("/api/v1/risk/obligations/", {"status": "in_progress"}).json()
    assert [row["id"] for row in listed["results"]] == [obligation.pk]
    bad = client.patch(
        f"/api/v1/risk/obligations/{obligation.pk}/", {"status": "not_applicable"}, format="json"
    )
    assert bad.status_code == 400 and "not_applicable_reason" in bad.json()
    bad = client.patch(f"/api/v1/risk/obligations/{obligation.pk}/", {"status": "done"}, format="json")
    assert bad.status_code == 400 and "status" in bad.json()


def test_api_evidence(org, officer, make_member, api_for):
    obligation = system_with_obligations(org).obligations.first()
    url = f"/api/v1/risk/obligations/{obligation.pk}/evidence/"
    assert (
        api_for(make_member(Role.VIEWER)).post(url, {"title": "x", "url": "https://a.kz"}).status_code == 403
    )
    response = api_for(officer).post(url, {"title": "Policy", "url": "https://intranet.bank.kz/ai-policy"})
    assert response.status_code == 201 and response.json()["added_by"] == officer.user.email
    assert api_for(officer).post(url, {"title": "Nothing"}).status_code == 400
    detail = api_for(officer).get(f"/api/v1/risk/obligations/{obligation.pk}/").json()
    assert [e["title"] for e in detail["evidence"]] == ["Policy"] and detail["evidence_count"] == 1


def test_api_matrix(org, other_org, officer, api_for):
    high = AISystemFactory(organization=org, name="A credit", critical_ict_infrastructure=True)
    classify_system(high, officer, disruption_impact="emergency", critical_ict_infrastructure=True)
    system_with_obligations(org, name="B chatbot")
    system_with_obligations(other_org)
    body = api_for(officer).get("/api/v1/risk/obligations/matrix/").json()
    assert body["count"] == 2
    assert [row["system"]["name"] for row in body["results"]] == ["A credit", "B chatbot"]
    assert body["results"][0]["cells"]["KZ-AI-HR-01"] == "not_started"
    assert body["results"][1]["cells"]["KZ-AI-HR-01"] is None
    assert body["results"][0]["cells"]["KZ-AI-RISK-01"] == "met"
    assert body["organization_score"]["met"] == 1
    filtered = api_for(officer).get(
        "/api/v1/risk/obligations/matrix/", {"risk_level": "high", "code": "KZ-AI-HR-01"}
    )
    assert [row["system"]["name"] for row in filtered.json()["results"]] == ["A credit"]
    assert list(filtered.json()["results"][0]["cells"]) == ["KZ-AI-HR-01"]


# -- pages ----------------------------------------------------------------------------------------------
def test_edit_page_saves_through_the_service(org, officer, web_for):
    obligation = system_with_obligations(org).obligations.get(code="KZ-AI-OWN-03")
    web = web_for(officer)
    url = reverse("risk:obligation_update", args=[obligation.pk])
    response = web.post(url, {"status": "not_applicable", "notes": ""})
    assert (
        response.status_code == 200 and "Say why the obligation does not apply" in response.content.decode()
    )
    response = web.post(url, {"status": "met", "responsible": officer.pk, "notes": "Passport v1 approved"})
    assert response.status_code == 302
    obligation.refresh_from_db()
    assert obligation.status == "met" and obligation.responsible == officer


def test_evidence_page_action(org, officer, make_member, web_for):
    obligation = system_with_obligations(org).obligations.first()
    url = reverse("risk:obligation_evidence_add", args=[obligation.pk])
    assert web_for(make_member(Role.AUDITOR)).post(url, {"title": "x", "reference": "y"}).status_code == 403
    assert (
        web_for(officer).post(url, {"title": "Board minutes", "reference": "Minutes 7/2026"}).status_code
        == 302
    )
    assert web_for(officer).post(url, {"title": "Empty"}).status_code == 400
    assert obligation.evidence.get().reference == "Minutes 7/2026"


def test_matrix_export_csv_and_xlsx(org, officer, web_for):
    system = system_with_obligations(org, name="Fraud detection")
    web = web_for(officer)
    response = web.get(reverse("risk:matrix"), {"export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["System code", "System", "Risk level"] and "KZ-AI-RISK-01" in rows[0]
    assert rows[1][1] == "Fraud detection" and rows[1][2] == "Not classified"
    response = web.get(reverse("risk:matrix"), {"export": "xlsx", "sector": system.sector})
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Obligations", "Requirements"]
    assert [c.value for c in next(workbook["Obligations"].iter_rows(max_row=1))][:2] == [
        "System code",
        "System",
    ]


def test_matrix_export_words_levels_and_statuses_in_the_readers_language(org, officer, web_for):
    # Levels and statuses are worded from maps made once per export: each cell must still say its
    # own obligation's status, in the language of the request.
    from django.utils import translation

    from risk.models import Obligation

    system = system_with_obligations(org, name="Fraud detection")
    obligation = system.obligations.order_by("id").first()
    Obligation.objects.filter(pk=obligation.pk).update(status="in_progress")
    with translation.override("ru"):
        response = web_for(officer).get(reverse("risk:matrix"), {"export": "csv"}, HTTP_ACCEPT_LANGUAGE="ru")
        header, row = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
        expected = {o.code: o.get_status_display() for o in system.obligations.all()}
    cells = dict(zip(header[6:], row[6:], strict=True))
    assert {code: cells[code] for code in expected} == expected
    assert "В работе" in cells.values() and "Не начато" in cells.values() and row[2] == "Не классифицирована"


def test_matrix_export_query_count_is_bounded(org, officer, web_for):
    web = web_for(officer)
    for _ in range(2):
        system_with_obligations(org)
    b"".join(web.get(reverse("risk:matrix"), {"export": "csv"}).streaming_content)
    with CaptureQueriesContext(connection) as few:
        # A streamed export reads its rows as the lines are sent: the whole response is read.
        b"".join(web.get(reverse("risk:matrix"), {"export": "csv"}).streaming_content)
    for _ in range(8):
        system_with_obligations(org)
    web.get(reverse("risk:matrix"), {"export": "csv"})  # warm again: the change forgot the cached score
    with CaptureQueriesContext(connection) as many:
        web.get(reverse("risk:matrix"), {"export": "xlsx"})
    assert len(many) == len(few)


# -- tenancy contracts ------------------------------------------------------------------------------
def _obligation(organization):
    return system_with_obligations(organization).obligations.get(code="KZ-AI-OWN-02")


class TestObligationAPI(APIContract):
    basename = "obligation"

    def make_object(self, organization):
        return _obligation(organization)

    def update_payload(self, obj):
        return {"notes": "Pen test booked for March."}


class TestObligationPages(UIContract):
    list_url_name = "risk:obligation_list"
    detail_url_name = "risk:obligation_detail"
    update_url_name = "risk:obligation_update"
    covered_url_names = ("risk:obligation_evidence_add",)

    def make_object(self, organization):
        return _obligation(organization)


class TestMatrixPage(UIContract):
    list_url_name = "risk:matrix"

    def make_object(self, organization):
        system = system_with_obligations(organization)
        member = MembershipFactory(organization=organization, role=Role.OFFICER)
        obligation_update(obligation=system.obligations.first(), membership=member, status="met")
        return system


def test_auditors_score_headline_names_their_scope(org, make_member, web_for):
    from kzai.core.roles import Role
    from registry.grants import grant_system_view
    from tests.factories import system_with_obligations

    system = system_with_obligations(org)
    auditor = make_member(Role.AUDITOR)
    grant_system_view(auditor.user, system)
    for url in ("/risk/obligations/", "/risk/obligations/matrix/"):
        auditor_page = web_for(auditor).get(url).content.decode()
        assert (
            "Score of the systems in your scope" in auditor_page and "Organization score" not in auditor_page
        )
        assert "Organization score" in web_for(make_member(Role.OFFICER)).get(url).content.decode()
