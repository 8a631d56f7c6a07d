"""Duties by the law's role: disclosure and marking (TR-01, TR-02, TR-04) attach to offering AI
output to people, so an organisation that only uses a chatbot or a generator owes them as the
owner does; the duties of owners and possessors (classification, risk management) do not pass to
a user. Every role × capability pair, through the derivation of obligations."""

import itertools

import pytest

from registry.choices import OrganizationRole
from tests.factories import system_with_obligations

DISCLOSURE = {"KZ-AI-TR-01", "KZ-AI-TR-02", "KZ-AI-TR-04"}

CAPABILITIES = {
    "chatbot": (
        {"interaction_channel": "chatbot", "interacts_with_natural_persons": True},
        {"KZ-AI-TR-01", "KZ-AI-TR-04"},
    ),
    "voice assistant": (
        {"interaction_channel": "voice_assistant", "interacts_with_natural_persons": True},
        {"KZ-AI-TR-01", "KZ-AI-TR-04"},
    ),
    "generator offered to people": (
        {
            "generates_synthetic_content": True,
            "synthetic_media": ["image"],
            "interacts_with_natural_persons": True,
        },
        DISCLOSURE,
    ),
    "generator for published content": (
        {"generates_synthetic_content": True, "synthetic_media": ["text"]},
        {"KZ-AI-TR-01", "KZ-AI-TR-02"},
    ),
    "automated decisions on personal data": (
        {"processes_personal_data": True, "decision_role": "takes"},
        {"KZ-AI-TR-04"},
    ),
    "back-office model": ({}, set()),
}
ROLE_ONLY = {
    OrganizationRole.OWNER: {"KZ-AI-RISK-01", "KZ-AI-OWN-01"},
    OrganizationRole.POSSESSOR: {"KZ-AI-RISK-01", "KZ-AI-OWN-01"},
    OrganizationRole.USER: {"KZ-AI-USER-01"},
}
PAIRS = list(itertools.product(OrganizationRole.values, CAPABILITIES))


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "capability"), PAIRS, ids=[f"{r}-{c}" for r, c in PAIRS])
def test_disclosure_duties_follow_the_output_not_the_role(org, role, capability):
    facts, expected = CAPABILITIES[capability]
    system = system_with_obligations(org, organization_role=role, **facts)
    codes = set(system.obligations.filter(in_force=True).values_list("code", flat=True))
    assert codes & DISCLOSURE == expected
    # The role still decides the duties that are the owner's or the user's own.
    assert ROLE_ONLY[role] <= codes
    for other, duties in ROLE_ONLY.items():
        if other != role:
            assert not (duties - ROLE_ONLY[role]) & codes


@pytest.mark.django_db
def test_missing_items_are_obligations_with_article_mark_and_three_languages(org):
    from django.utils import translation

    system = system_with_obligations(
        org,
        decision_role="takes",
        profiles_people=True,
        interacts_with_natural_persons=True,
        risk_level="high",
    )
    for code, citation in [
        ("KZ-AI-LIAB-01", "[seed]"),
        ("KZ-AI-IP-01", "Art. 23; Art. 23(5) [S]"),
        ("KZ-AI-USER-02", "Art. 16(1) [P]"),
        ("KZ-AI-USER-03", "Art. 16(1) [P]"),
        ("KZ-AI-USER-04", "Art. 16(1) [P]"),
        ("KZ-AI-HR-02", "Art. 19; Art. 20 [S]"),
        ("KZ-AI-HR-03", "[S]"),
    ]:
        obligation = system.obligations.get(code=code, in_force=True)
        requirement = obligation.requirement
        with translation.override("en"):
            assert requirement.citation.endswith(citation), code
        assert all(requirement.title.get(lang) and requirement.text.get(lang) for lang in ("en", "ru", "kk"))
