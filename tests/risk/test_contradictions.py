"""Contradictions between the register and the banned-practice screen or the classification: every
pair of `risk.contradictions.PAIRS` in both directions, the flag on the system and in the lists, the
explanation that resolves it (attributable, in the activity log, shown with the flag), and the
obligations that follow the stricter answer until then."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kzai.activity.models import ActivityRecord
from kzai.core.roles import Role
from registry.services import ai_system_update
from risk.choices import ContradictionSource
from risk.contradictions import IMPLIES, PAIRS, SAME
from risk.models import Contradiction
from risk.services.classification import classification_approve, classification_create
from risk.services.contradictions import contradiction_explain
from risk.services.screening import screening_record
from tests.factories import NO_PROHIBITED_PRACTICE, AISystemFactory, MembershipFactory, classify_system
from tests.tenancy import APIContract, UIContract

pytestmark = pytest.mark.django_db

SCREEN_PAIRS = [p for p in PAIRS if p.source == ContradictionSource.SCREENING]
CLASSIFICATION_PAIRS = [p for p in PAIRS if p.source == ContradictionSource.CLASSIFICATION]
EXPLANATION = "Checked with the product owner: the register is right, the answer was about a pilot."


def _facts(fact: str, value: bool) -> dict:
    facts = {fact: value}
    if fact == "processes_biometric_data" and value:
        facts["processes_personal_data"] = True  # biometric data is personal data
    return facts


def _screen(practice: str, present: bool) -> dict:
    answers = {code: dict(answer) for code, answer in NO_PROHIBITED_PRACTICE.items()}
    answers[practice] = {"present": present}
    if present and practice == "KZ-AI-PROH-06":
        answers[practice].update(exception="consent", basis="Consent box before the video call.")
    if present and practice == "KZ-AI-PROH-03":
        answers[practice].update(exception="provided_by_law", basis="Law on banks, art. 34.")
    return answers


def test_the_pairs_are_the_register_facts_and_the_questions_of_the_library():
    from registry.fields import FACT_BY_NAME
    from risk.models import Classification
    from risk.services.library import newest_library_version

    practices = {p["code"] for p in newest_library_version().prohibited_practices}
    for pair in PAIRS:
        assert pair.fact in FACT_BY_NAME
        if pair.source == ContradictionSource.SCREENING:
            assert pair.question in practices
        else:
            Classification._meta.get_field(pair.question)


# -- the screen: every pair, both directions ------------------------------------------------------
@pytest.mark.parametrize("pair", SCREEN_PAIRS, ids=lambda p: f"{p.fact}-{p.question}")
@pytest.mark.parametrize(
    "register, answer", [(True, False), (False, True)], ids=["register-yes", "screen-yes"]
)
def test_a_screen_that_contradicts_the_register(org, officer, pair, register, answer):
    system = AISystemFactory(organization=org, **_facts(pair.fact, register))
    contradicts = pair.relation == SAME or (pair.relation == IMPLIES and answer and not register)
    clears_a_declared_capability = contradicts and not answer
    if clears_a_declared_capability:
        # The register declares the capability, the screen says no: refused without an explanation.
        with pytest.raises(ValidationError) as refused:
            screening_record(system=system, membership=officer, answers=_screen(pair.question, answer))
        assert "explanation" in refused.value.message_dict
        assert not system.screenings.exists()
        screening = screening_record(
            system=system, membership=officer, answers=_screen(pair.question, answer), explanation=EXPLANATION
        )
    else:
        # A screen finding what the register does not declare is recorded at once, and flagged.
        screening = screening_record(
            system=system, membership=officer, answers=_screen(pair.question, answer)
        )
    system.refresh_from_db()
    rows = list(screening.contradictions.all())
    if not contradicts:
        assert rows == [] and not system.has_contradictions
        return
    [row] = rows
    assert (row.fact, row.question, row.register_value, row.answer_value) == (
        pair.fact,
        pair.question,
        register,
        answer,
    )
    if clears_a_declared_capability:
        assert row.explanation == EXPLANATION and row.explained_by == officer and row.explained_at
        assert not system.has_contradictions
    else:
        assert not row.is_explained and system.has_contradictions
        contradiction_explain(contradiction=row, membership=officer, explanation=EXPLANATION)
        system.refresh_from_db()
        assert not system.has_contradictions


# -- the classification: every pair, both directions ----------------------------------------------
@pytest.mark.parametrize("pair", CLASSIFICATION_PAIRS, ids=lambda p: p.fact)
@pytest.mark.parametrize(
    "register, answer", [(True, False), (False, True)], ids=["register-yes", "classification-yes"]
)
def test_a_classification_that_contradicts_the_register_needs_an_explanation_to_approve(
    org, officer, pair, register, answer
):
    system = AISystemFactory(organization=org, **{pair.fact: register})
    draft = classification_create(
        system=system,
        membership=officer,
        disruption_impact="emergency",
        autonomy="recommends",
        **{pair.question: answer},
    )
    system.refresh_from_db()
    assert system.has_contradictions  # the draft is flagged at once
    with pytest.raises(ValidationError) as refused:
        classification_approve(classification=draft, membership=officer)
    assert "explanation" in refused.value.message_dict
    draft.refresh_from_db()
    assert draft.status == "draft"
    classification_approve(classification=draft, membership=officer, explanation=EXPLANATION)
    system.refresh_from_db()
    [row] = draft.contradictions.filter(is_open=True)
    assert (row.register_value, row.answer_value, row.explanation, row.explained_by) == (
        register,
        answer,
        EXPLANATION,
        officer,
    )
    assert not system.has_contradictions and system.risk_level == "high"


@pytest.mark.parametrize("pair", CLASSIFICATION_PAIRS, ids=lambda p: p.fact)
def test_classification_agreeing_with_the_register_needs_no_explanation(org, officer, pair):
    system = AISystemFactory(organization=org, **{pair.fact: True})
    classify_system(system, officer, disruption_impact="emergency", **{pair.question: True})
    system.refresh_from_db()
    assert not system.has_contradictions and not Contradiction.objects.filter(system=system).exists()


# -- a fact changed after the screen; lists, filter, explanation through the UI --------------------
def test_changing_the_register_after_the_screen_raises_the_flag_everywhere(
    org, officer, make_member, web_for, api_for
):
    system = AISystemFactory(organization=org, name="Queue analytics", code="QA-1")
    AISystemFactory(organization=org, name="Other system", code="OTHER-1")
    screening_record(system=system, membership=officer, answers=NO_PROHIBITED_PRACTICE)
    system.refresh_from_db()
    assert not system.has_contradictions

    system = ai_system_update(system=system, recognises_emotions=True)
    system.refresh_from_db()
    assert system.has_contradictions
    [row] = Contradiction.objects.filter(system=system, is_open=True)
    assert (row.fact, row.question, row.register_value, row.answer_value) == (
        "recognises_emotions",
        "KZ-AI-PROH-06",
        True,
        False,
    )

    web = web_for(officer)
    listed = web.get(reverse("registry:system_list") + "?contradictions=true").content.decode()
    assert "Queue analytics" in listed and "Other system" not in listed and "contradiction" in listed
    unflagged = web.get(reverse("registry:system_list") + "?contradictions=false").content.decode()
    assert "Other system" in unflagged and "Queue analytics" not in unflagged
    with_column = web.get(reverse("registry:system_list") + "?columns=code&columns=has_contradictions")
    assert "Contradicts its screen or classification" in with_column.content.decode()
    api = api_for(officer)
    body = api.get("/api/v1/systems/?contradictions=true").json()
    assert [s["code"] for s in body["results"]] == ["QA-1"] and body["results"][0]["has_contradictions"]
    matrix = api.get("/api/v1/risk/obligations/matrix/?contradictions=true").json()
    assert [row["system"]["code"] for row in matrix["results"]] == ["QA-1"]
    matrix_page = web.get(reverse("risk:matrix") + "?contradictions=true").content.decode()
    assert "Queue analytics" in matrix_page and "Other system" not in matrix_page

    page = web.get(reverse("risk:system_risk", args=[system.pk])).content.decode()
    assert "Contradicts its screen or classification" in page  # the header badge
    assert "recognises emotions" in page and "Needs an explanation" in page
    assert reverse("risk:contradiction_explain", args=[row.pk]) in page

    # A contributor may not explain it; an officer may, and it is kept with their name.
    url = reverse("risk:contradiction_explain", args=[row.pk])
    assert web_for(make_member(Role.CONTRIBUTOR)).post(url, {"explanation": "x"}).status_code == 403
    assert web.post(url, {"explanation": ""}).status_code == 302  # refused with a message
    row.refresh_from_db()
    assert not row.is_explained
    assert web.post(url, {"explanation": EXPLANATION}).status_code == 302
    row.refresh_from_db()
    system.refresh_from_db()
    assert row.explanation == EXPLANATION and row.explained_by == officer and not system.has_contradictions
    record = ActivityRecord.objects.filter(object_id=str(row.pk), changes__has_key="explanation").get()
    assert record.changes["explanation"] == ["", EXPLANATION] and record.actor_id == officer.user_id
    page = web.get(reverse("risk:system_risk", args=[system.pk])).content.decode()
    assert EXPLANATION in page and officer.user.email in page and "Needs an explanation" not in page

    # Correcting the register closes it (kept, with its explanation).
    ai_system_update(system=system, recognises_emotions=False)
    row.refresh_from_db()
    assert not row.is_open and row.closed_at and row.explanation == EXPLANATION


def test_the_wizard_screen_asks_for_the_explanation(org, officer, web_for):
    system = AISystemFactory(organization=org, recognises_emotions=True)
    url = reverse("risk:wizard", args=[system.pk]) + "?step=screen"
    screen = {f"KZ-AI-PROH-0{n}__present": "no" for n in range(1, 8)}
    response = web_for(officer).post(url, screen)
    assert response.status_code == 200 and "contradicts the register" in response.content.decode()
    assert not system.screenings.exists()
    assert web_for(officer).post(url, {**screen, "explanation": EXPLANATION}).status_code == 302
    assert system.screenings.get().contradictions.get().explanation == EXPLANATION


def test_the_approve_page_asks_for_the_explanation(org, officer, web_for):
    system = AISystemFactory(organization=org, state_information_resource=True)
    draft = classify_system(system, officer, approve=False)
    web = web_for(officer)
    page = web.get(reverse("risk:classification_detail", args=[draft.pk])).content.decode()
    assert "forms state electronic information resources" in page and 'name="explanation"' in page
    web.post(reverse("risk:classification_approve", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == "draft"
    web.post(reverse("risk:classification_approve", args=[draft.pk]), {"explanation": EXPLANATION})
    draft.refresh_from_db()
    assert draft.status == "approved"
    page = web.get(reverse("risk:classification_detail", args=[draft.pk])).content.decode()
    assert EXPLANATION in page


def test_api_screen_classification_and_explain(org, officer, make_member, api_for):
    system = AISystemFactory(organization=org, profiles_people=True, critical_ict_infrastructure=True)
    api = api_for(officer)
    refused = api.post(
        "/api/v1/risk/screenings/", {"system": system.pk, "answers": NO_PROHIBITED_PRACTICE}, format="json"
    )
    assert refused.status_code == 400 and "explanation" in refused.json()
    screened = api.post(
        "/api/v1/risk/screenings/",
        {"system": system.pk, "answers": NO_PROHIBITED_PRACTICE, "explanation": EXPLANATION},
        format="json",
    )
    assert screened.status_code == 201, screened.content
    [contradiction] = screened.json()["contradictions"]
    assert contradiction["fact"] == "profiles_people" and contradiction["explanation"] == EXPLANATION
    assert (
        contradiction["explained_by"] == officer.user.email
        and "KZ-AI-PROH-03" in contradiction["description"]
    )

    draft = api.post(
        "/api/v1/risk/classifications/",
        {"system": system.pk, "disruption_impact": "emergency", "autonomy": "recommends"},
        format="json",
    ).json()
    assert [c["fact"] for c in draft["contradictions"]] == ["critical_ict_infrastructure"]
    assert api.get("/api/v1/systems/?contradictions=true").json()["count"] == 1
    approve = f"/api/v1/risk/classifications/{draft['id']}/approve/"
    assert api.post(approve, {}, format="json").status_code == 400
    open_one = api.get(f"/api/v1/risk/contradictions/?system={system.pk}&explained=false").json()["results"]
    [row] = open_one
    explain = f"/api/v1/risk/contradictions/{row['id']}/explain/"
    assert api_for(make_member(Role.CONTRIBUTOR)).post(explain, {"explanation": "x"}).status_code == 403
    assert api.post(explain, {"explanation": ""}, format="json").status_code == 400
    explained = api.post(explain, {"explanation": EXPLANATION}, format="json")
    assert explained.status_code == 200 and explained.json()["explained"]
    approved = api.post(approve, {}, format="json")  # explained before: nothing more to say
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert api.get("/api/v1/systems/?contradictions=true").json()["count"] == 0


# -- the stricter of the two -----------------------------------------------------------------------
def test_until_explained_the_high_risk_obligations_follow_the_stricter_answer(org, officer):
    system = AISystemFactory(organization=org, critical_ict_infrastructure=True)
    classify_system(system, officer, disruption_impact="emergency", critical_ict_infrastructure=True)
    assert system.obligations.get(code="KZ-AI-HR-01").in_force

    # The register now says no; the approved classification still says yes: HR-01 stays.
    system = ai_system_update(system=system, critical_ict_infrastructure=False)
    system.refresh_from_db()
    assert system.has_contradictions
    assert system.obligations.get(code="KZ-AI-HR-01").in_force
    assert system.obligations.get(code="KZ-AI-HR-04").in_force

    row = Contradiction.objects.get(system=system, is_open=True)
    contradiction_explain(contradiction=row, membership=officer, explanation="Removed from the CII list.")
    hr01 = system.obligations.get(code="KZ-AI-HR-01")
    assert not hr01.in_force and hr01.withdrawn_cause == "facts"


def test_a_draft_that_says_critical_infrastructure_brings_its_obligations_until_explained(org, officer):
    system = AISystemFactory(organization=org)
    classify_system(system, officer, disruption_impact="emergency")
    assert not system.obligations.filter(code="KZ-AI-HR-01", in_force=True).exists()
    classify_system(
        system, officer, disruption_impact="emergency", critical_ict_infrastructure=True, approve=False
    )
    assert system.obligations.get(code="KZ-AI-HR-01").in_force


# -- tenancy -----------------------------------------------------------------------------------------
def _contradiction(organization):
    member = MembershipFactory(organization=organization, role=Role.OFFICER)
    system = AISystemFactory(organization=organization, recognises_emotions=True)
    screening = screening_record(
        system=system, membership=member, answers=NO_PROHIBITED_PRACTICE, explanation=EXPLANATION
    )
    return screening.contradictions.get()


class TestContradictionAPI(APIContract):
    basename = "contradiction"

    def make_object(self, organization):
        return _contradiction(organization)


class TestContradictionPages(UIContract):
    """The screen's page shows its contradictions; the explain action is checked above."""

    detail_url_name = "risk:screening_detail"
    covered_url_names = ("risk:contradiction_explain",)

    def make_object(self, organization):
        return _contradiction(organization).screening


def test_another_organization_cannot_explain(org, other_org, make_member, web_for, api_for):
    foreign = _contradiction(other_org)
    admin = make_member(Role.ADMIN)
    url = reverse("risk:contradiction_explain", args=[foreign.pk])
    assert web_for(admin).post(url, {"explanation": "x"}).status_code == 404
    explain = f"/api/v1/risk/contradictions/{foreign.pk}/explain/"
    assert api_for(admin).post(explain, {"explanation": "x"}, format="json").status_code == 404
