"""Classification: drafts, justification, approval writing the system's level, staleness, API, pages."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kzai.activity.models import ActivityRecord
from kzai.core.roles import Action, Role
from registry.signals import system_facts_changed
from risk.choices import ClassificationStatus, ObligationStatus
from risk.models import Classification, Obligation
from risk.services.classification import classification_approve, classification_create, classification_update
from risk.suggestion import QUESTIONNAIRE_VERSION
from tests.factories import AISystemFactory, MembershipFactory, classify_system
from tests.tenancy import APIContract, UIContract


@pytest.fixture
def system(org):
    return AISystemFactory(organization=org, decision_role="takes", processes_personal_data=True)


def test_a_draft_carries_the_suggestion_and_the_versions(system, officer):
    draft = classify_system(
        system, officer, disruption_impact="emergency", autonomy="decides_final", approve=False
    )
    assert draft.status == ClassificationStatus.DRAFT
    assert (draft.suggested_risk_level, draft.suggested_autonomy_level) == ("high", "high")
    assert (draft.declared_risk_level, draft.declared_autonomy_level) == ("high", "high")
    assert draft.questionnaire_version == QUESTIONNAIRE_VERSION and draft.library_version.version == "2026.2"
    assert draft.prepared_by == officer
    system.refresh_from_db()
    assert system.risk_level == ""  # nothing written before approval


def test_declaring_lower_needs_a_justification_that_is_kept(system, officer):
    with pytest.raises(ValidationError) as caught:
        classify_system(system, officer, disruption_impact="emergency", declared_risk_level="medium")
    assert "justification" in caught.value.message_dict
    classification = classify_system(
        system,
        officer,
        disruption_impact="emergency",
        declared_risk_level="medium",
        justification="Manual fallback keeps branches running within an hour.",
    )
    system.refresh_from_db()
    assert system.risk_level == "medium" and classification.declared_below_suggestion
    assert classification.justification.startswith("Manual fallback")


def test_declaring_lower_autonomy_also_needs_a_justification(system, officer):
    with pytest.raises(ValidationError):
        classify_system(system, officer, autonomy="decides_final", declared_autonomy_level="low")


def test_declaring_higher_needs_no_justification(system, officer):
    classification = classify_system(system, officer, disruption_impact="minimal", declared_risk_level="high")
    assert classification.declared_risk_level == "high" and not classification.declared_below_suggestion


def test_approval_writes_the_system_and_supersedes_the_previous(system, officer):
    first = classify_system(system, officer, disruption_impact="minimal")
    system.refresh_from_db()
    first_at = system.first_classified_at
    assert system.risk_level == "minimal" and system.autonomy_level == "low" and first_at
    system.classification_stale = True
    system.save()
    second = classify_system(
        system,
        officer,
        disruption_impact="emergency",
        critical_ict_infrastructure=True,
        explanation="The register is being corrected: the object was added to the CII list.",
    )
    first.refresh_from_db()
    system.refresh_from_db()
    assert first.status == ClassificationStatus.SUPERSEDED and second.status == ClassificationStatus.APPROVED
    assert system.risk_level == "high" and not system.classification_stale
    assert system.first_classified_at == first_at and system.classified_at == second.approved_at
    assert second.approved_by == officer
    # The change to the system is in the activity log, with before and after.
    record = ActivityRecord.objects.filter(object_id=str(system.pk), changes__has_key="risk_level").latest(
        "id"
    )
    assert record.changes["risk_level"] == ["minimal", "high"]


def test_approval_derives_obligations_and_meets_the_classification_duty(org, officer):
    system = AISystemFactory(organization=org, critical_ict_infrastructure=True)
    classify_system(system, officer, disruption_impact="emergency", critical_ict_infrastructure=True)
    codes = set(system.obligations.filter(in_force=True).values_list("code", flat=True))
    assert {"KZ-AI-HR-01", "KZ-AI-HR-04", "KZ-AI-HR-05"} <= codes
    assert Obligation.objects.get(system=system, code="KZ-AI-RISK-01").status == ObligationStatus.MET


def test_only_drafts_change_or_get_approved(system, officer):
    approved = classify_system(system, officer)
    with pytest.raises(ValidationError):
        classification_update(classification=approved, membership=officer, answer_notes="x")
    with pytest.raises(ValidationError):
        classification_approve(classification=approved, membership=officer)


def test_changing_answers_recomputes_the_suggestion(system, officer):
    draft = classify_system(system, officer, approve=False)
    classification_update(classification=draft, membership=officer, affected_domains=["life"])
    assert draft.suggested_risk_level == "high" and draft.declared_risk_level == "high"


def test_bad_answers_are_refused(system, officer):
    with pytest.raises(ValidationError) as caught:
        classification_create(
            system=system, membership=officer, disruption_impact="catastrophic", autonomy="x"
        )
    assert {"disruption_impact", "autonomy"} <= set(caught.value.message_dict)
    with pytest.raises(ValidationError) as caught:
        classification_create(
            system=system,
            membership=officer,
            disruption_impact="minimal",
            autonomy="recommends",
            affected_domains=["moon"],
        )
    assert "affected_domains" in caught.value.message_dict


def test_the_register_signal_re_derives_obligations(org, officer):
    system = AISystemFactory(organization=org)
    classify_system(system, officer)
    assert not system.obligations.filter(code="KZ-AI-TR-02").exists()
    system.generates_synthetic_content, system.synthetic_media = True, ["image"]
    system.classification_stale = True  # the registry service sets it; the risk app re-derives
    system.save()
    system_facts_changed.send(sender=type(system), system=system, changed=["generates_synthetic_content"])
    assert system.obligations.get(code="KZ-AI-TR-02").in_force
    system.generates_synthetic_content, system.synthetic_media = False, []
    system.save()
    system_facts_changed.send(sender=type(system), system=system, changed=["generates_synthetic_content"])
    tr02 = system.obligations.get(code="KZ-AI-TR-02")
    assert not tr02.in_force and tr02.withdrawn_cause == "facts"


def test_prefill_comes_from_the_register(org, officer, web_for):
    system = AISystemFactory(organization=org, critical_ict_infrastructure=True, decision_role="takes")
    page = web_for(officer).get(reverse("risk:wizard", args=[system.pk]) + "?step=autonomy").content.decode()
    checked = re.findall(r'<input type="radio" name="autonomy" value="(\w+)"[^>]*checked', page)
    assert checked == ["decides_correctable"]  # takes decisions itself → a human can correct
    page = web_for(officer).get(reverse("risk:wizard", args=[system.pk]) + "?step=impact").content.decode()
    assert re.search(r'<input type="checkbox" name="critical_ict_infrastructure"[^>]*checked', page)
    assert not re.search(r'<input type="checkbox" name="state_information_resource"[^>]*checked', page)


# -- API ------------------------------------------------------------------------------------------
def test_api_classify_returns_level_rationale_and_obligations(org, officer, api_for):
    system = AISystemFactory(organization=org, generates_synthetic_content=True, synthetic_media=["text"])
    client = api_for(officer)
    response = client.post(
        "/api/v1/risk/classifications/",
        {"system": system.pk, "disruption_impact": "moral_or_material_harm", "autonomy": "recommends"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft" and body["suggested_risk_level"] == "medium"
    assert "Art. 17(1) [P]" in body["rationale"]
    assert "KZ-AI-TR-02" in {r["code"] for r in body["would_derive"]}
    assert all(r["citation"].endswith("]") for r in body["would_derive"])
    approved = client.post(f"/api/v1/risk/classifications/{body['id']}/approve/")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    system.refresh_from_db()
    assert system.risk_level == "medium"


def test_api_contributor_prepares_but_cannot_approve(org, make_member, api_for):
    system = AISystemFactory(organization=org)
    client = api_for(make_member(Role.CONTRIBUTOR))
    response = client.post(
        "/api/v1/risk/classifications/",
        {"system": system.pk, "disruption_impact": "minimal", "autonomy": "recommends"},
        format="json",
    )
    assert response.status_code == 201
    assert client.post(f"/api/v1/risk/classifications/{response.json()['id']}/approve/").status_code == 403


def test_api_justification_error_is_a_field_error(org, officer, api_for):
    system = AISystemFactory(organization=org)
    response = api_for(officer).post(
        "/api/v1/risk/classifications/",
        {
            "system": system.pk,
            "disruption_impact": "emergency",
            "autonomy": "recommends",
            "declared_risk_level": "minimal",
        },
        format="json",
    )
    assert response.status_code == 400 and "justification" in response.json()


def test_api_cannot_classify_another_organizations_system(org, other_org, officer, api_for):
    foreign = AISystemFactory(organization=other_org)
    response = api_for(officer).post(
        "/api/v1/risk/classifications/",
        {"system": foreign.pk, "disruption_impact": "minimal", "autonomy": "recommends"},
        format="json",
    )
    assert response.status_code == 400 and "system" in response.json()


def test_justification_is_printed_where_the_level_is_shown(org, officer, web_for):
    system = AISystemFactory(organization=org)
    classify_system(
        system,
        officer,
        disruption_impact="emergency",
        declared_risk_level="medium",
        justification="Fallback X",
    )
    page = web_for(officer).get(reverse("risk:system_risk", args=[system.pk])).content.decode()
    assert "Declared lower than suggested" in page and "Fallback X" in page


def test_approve_page_action(org, officer, make_member, web_for):
    system = AISystemFactory(organization=org)
    draft = classify_system(system, officer, approve=False)
    url = reverse("risk:classification_approve", args=[draft.pk])
    assert web_for(make_member(Role.CONTRIBUTOR)).post(url).status_code == 403
    assert web_for(officer).post(url).status_code == 302
    draft.refresh_from_db()
    assert draft.status == ClassificationStatus.APPROVED


# -- tenancy contracts ------------------------------------------------------------------------------
def _draft(organization):
    system = AISystemFactory(organization=organization)
    member = MembershipFactory(organization=organization, role=Role.OFFICER)
    return classify_system(system, member, approve=False)


class TestClassificationAPI(APIContract):
    basename = "classification"

    def make_object(self, organization):
        return _draft(organization)

    def create_payload(self, organization):
        system = AISystemFactory(organization=organization)
        return {"system": system.pk, "disruption_impact": "minimal", "autonomy": "recommends"}

    def update_payload(self, obj):
        return {"answer_notes": "Checked with the business owner."}


class TestClassificationPage(UIContract):
    detail_url_name = "risk:classification_detail"
    covered_url_names = ("risk:classification_approve",)

    def make_object(self, organization):
        return _draft(organization)


class TestSystemRiskPages(UIContract):
    detail_url_name = "risk:system_risk"
    update_url_name = "risk:wizard"
    update_action = Action.ADD

    def make_object(self, organization):
        system = AISystemFactory(organization=organization)
        classify_system(system, MembershipFactory(organization=organization, role=Role.OFFICER))
        return system


def test_classifications_keep_every_attempt(system, officer):
    classify_system(system, officer)
    classify_system(system, officer, disruption_impact="emergency")
    classify_system(system, officer, approve=False)
    assert Classification.objects.filter(system=system).count() == 3


def test_wizard_contributor_prepares_a_draft_but_cannot_approve(org, make_member, web_for):
    system = AISystemFactory(organization=org)
    contributor = make_member(Role.CONTRIBUTOR)
    web = web_for(contributor)
    url = reverse("risk:wizard", args=[system.pk])
    assert web.post(url + "?step=facts")["Location"].endswith("?step=impact")
    assert web.post(url + "?step=impact", {"disruption_impact": "reduced_efficiency"}).status_code == 302
    assert web.post(url + "?step=autonomy", {"autonomy": "recommends"}).status_code == 302
    draft = system.classifications.get()
    assert (
        draft.status == "draft"
        and draft.suggested_risk_level == "medium"
        and draft.prepared_by == contributor
    )
    screen = {f"KZ-AI-PROH-0{n}__present": "no" for n in range(1, 8)}
    assert web.post(url + "?step=screen", screen).status_code == 302
    page = web.get(url + "?step=review").content.decode()
    assert "Approve classification" not in page and "An officer or administrator approves the draft." in page
    response = web.post(
        url + "?step=review",
        {"declared_risk_level": "medium", "declared_autonomy_level": "low", "approve": "1"},
    )
    assert (
        response.status_code == 200
        and "may prepare a classification but not approve it" in response.content.decode()
    )
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert (
        web.post(
            url + "?step=review", {"declared_risk_level": "medium", "declared_autonomy_level": "low"}
        ).status_code
        == 302
    )
    assert web_for(make_member(Role.VIEWER)).get(url).status_code == 403


def test_wizard_screen_errors_stay_on_the_form(org, officer, web_for):
    system = AISystemFactory(organization=org)
    url = reverse("risk:wizard", args=[system.pk]) + "?step=screen"
    screen = {f"KZ-AI-PROH-0{n}__present": "no" for n in range(1, 8)}
    screen.update({"KZ-AI-PROH-06__present": "yes", "KZ-AI-PROH-06__exception": "consent"})
    response = web_for(officer).post(url, screen)
    assert response.status_code == 200 and "how the exception is met" in response.content.decode()
    assert not system.screenings.exists()
