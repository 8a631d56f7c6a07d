"""The banned-practice screen: the seven prohibited capabilities of Art. 17(3) and their exceptions."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kzai.core.roles import Action, Role
from registry.choices import LifecycleStage
from risk.choices import ScreeningResult
from risk.models import Obligation, Screening
from risk.services.screening import screening_record
from tests.factories import NO_PROHIBITED_PRACTICE, AISystemFactory
from tests.tenancy import APIContract, UIContract

PRACTICES = [f"KZ-AI-PROH-0{n}" for n in range(1, 8)]
# Exceptions the law allows (Art. 17(3)): social scoring and emotion recognition only.
ALLOWED = {
    "KZ-AI-PROH-03": ["provided_by_law"],
    "KZ-AI-PROH-06": ["consent", "provided_by_law"],
}


def answers(**present):
    """All seven answered "no", except the given ones (code → answer dict)."""
    result = {code: dict(answer) for code, answer in NO_PROHIBITED_PRACTICE.items()}
    for code, answer in present.items():
        result[code.replace("_", "-")] = answer
    return result


@pytest.fixture
def system(org):
    return AISystemFactory(organization=org)


@pytest.mark.parametrize("code", PRACTICES)
def test_each_practice_present_without_exception_marks_the_system_prohibited(code, system, officer):
    screening = screening_record(
        system=system, membership=officer, answers=answers(**{code: {"present": True}})
    )
    system.refresh_from_db()
    assert screening.result == ScreeningResult.PROHIBITED and screening.findings == [code]
    assert system.is_prohibited
    assert Obligation.objects.filter(system=system, code="KZ-AI-PROH-08", in_force=True).exists()


@pytest.mark.parametrize(("code", "exception"), [(c, e) for c, ids in ALLOWED.items() for e in ids])
def test_allowed_exception_with_its_basis_clears(code, exception, system, officer):
    screening = screening_record(
        system=system,
        membership=officer,
        answers=answers(
            **{code: {"present": True, "exception": exception, "basis": "Written consent, form 12"}}
        ),
    )
    system.refresh_from_db()
    assert screening.result == ScreeningResult.CLEAR and not system.is_prohibited
    assert screening.answers[code]["exception"] == exception


@pytest.mark.parametrize("code", [c for c in PRACTICES if c not in ALLOWED])
def test_no_exception_exists_for_the_other_practices(code, system, officer):
    with pytest.raises(ValidationError, match="allows no exception"):
        screening_record(
            system=system,
            membership=officer,
            answers=answers(**{code: {"present": True, "exception": "consent", "basis": "x"}}),
        )
    assert not Screening.objects.exists()


@pytest.mark.parametrize("code", list(ALLOWED))
def test_an_exception_needs_its_basis(code, system, officer):
    with pytest.raises(ValidationError, match="how the exception is met"):
        screening_record(
            system=system,
            membership=officer,
            answers=answers(**{code: {"present": True, "exception": ALLOWED[code][0], "basis": " "}}),
        )


def test_an_exception_the_law_does_not_allow_for_that_practice(system, officer):
    with pytest.raises(ValidationError, match="provided_by_law"):
        screening_record(
            system=system,
            membership=officer,
            answers=answers(**{"KZ-AI-PROH-03": {"present": True, "exception": "consent", "basis": "x"}}),
        )


def test_every_practice_must_be_answered(system, officer):
    partial = answers()
    del partial["KZ-AI-PROH-05"]
    with pytest.raises(ValidationError, match="KZ-AI-PROH-05"):
        screening_record(system=system, membership=officer, answers=partial)


def test_in_operation_raises_an_urgent_obligation_due_today(org, officer):
    system = AISystemFactory(organization=org, lifecycle_stage=LifecycleStage.IN_OPERATION)
    screening_record(
        system=system, membership=officer, answers=answers(**{"KZ-AI-PROH-05": {"present": True}})
    )
    measures = Obligation.objects.get(system=system, code="KZ-AI-PROH-08")
    assert measures.urgent and measures.due_on == timezone.localdate()
    from kzai.deadlines.models import Deadline

    assert Deadline.objects.filter(system=system, kind="obligation", due_on=timezone.localdate()).exists()


def test_clearing_a_prohibited_system_needs_an_approver(system, officer, make_member):
    screening_record(
        system=system, membership=officer, answers=answers(**{"KZ-AI-PROH-01": {"present": True}})
    )
    contributor = make_member(Role.CONTRIBUTOR)
    with pytest.raises(ValidationError, match="only a compliance officer"):
        screening_record(system=system, membership=contributor, answers=answers())
    screening_record(system=system, membership=officer, answers=answers())
    system.refresh_from_db()
    assert not system.is_prohibited
    measures = Obligation.objects.get(system=system, code="KZ-AI-PROH-08")
    assert not measures.in_force  # kept on record, no longer applicable


def test_every_screening_is_kept(system, officer):
    screening_record(
        system=system, membership=officer, answers=answers(**{"KZ-AI-PROH-01": {"present": True}})
    )
    screening_record(system=system, membership=officer, answers=answers())
    assert [s.result for s in system.screenings.order_by("created_at", "id")] == ["prohibited", "clear"]


def test_api_screen_says_why(org, officer, api_for):
    system = AISystemFactory(organization=org)
    client = api_for(officer)
    response = client.post(
        "/api/v1/risk/screenings/",
        {"system": system.pk, "answers": answers(**{"KZ-AI-PROH-06": {"present": True}})},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["result"] == "prohibited" and body["findings"] == ["KZ-AI-PROH-06"]
    assert body["reasons"][0]["code"] == "KZ-AI-PROH-06" and "emotions" in body["reasons"][0]["question"]
    assert "Art. 17(3) [S]" in body["reasons"][0]["article"]


def test_api_rejects_bad_answers_clearly(org, officer, api_for):
    system = AISystemFactory(organization=org)
    response = api_for(officer).post(
        "/api/v1/risk/screenings/",
        {"system": system.pk, "answers": {"KZ-AI-PROH-01": {"present": "maybe"}}},
        format="json",
    )
    assert response.status_code == 400
    assert "answers" in response.json()


def test_the_risk_page_says_why_the_system_is_prohibited(org, officer, web_for):
    from django.urls import reverse

    system = AISystemFactory(organization=org)
    screening_record(
        system=system, membership=officer, answers=answers(**{"KZ-AI-PROH-02": {"present": True}})
    )
    page = web_for(officer).get(reverse("risk:system_risk", args=[system.pk])).content.decode()
    assert "cannot be put into operation" in page and "KZ-AI-PROH-02" in page


def _screening(organization):
    system = AISystemFactory(organization=organization)
    from tests.factories import MembershipFactory

    member = MembershipFactory(organization=organization, role=Role.OFFICER)
    return screening_record(system=system, membership=member, answers=answers())


class TestScreeningAPI(APIContract):
    basename = "screening"
    create_action = Action.ADD

    def make_object(self, organization):
        return _screening(organization)

    def create_payload(self, organization):
        return {"system": AISystemFactory(organization=organization).pk, "answers": answers()}


class TestScreeningPage(UIContract):
    detail_url_name = "risk:screening_detail"

    def make_object(self, organization):
        return _screening(organization)
