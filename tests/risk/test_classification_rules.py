"""The classification rules of Art. 17(1)–(2), table-driven from shared/domain/kz-ai-law.md."""

import pytest

from risk.choices import AffectedDomain, AutonomyAnswer, DisruptionImpact
from risk.suggestion import Answers, suggest

# (impact, domains, expected risk level, why) — Art. 17(1) [P]
RISK_TABLE = [
    (DisruptionImpact.MINIMAL, (), "minimal", "minimal impact on its users"),
    (DisruptionImpact.REDUCED_EFFICIENCY, (), "medium", "may reduce the efficiency of users' activities"),
    (DisruptionImpact.MORAL_OR_MATERIAL_HARM, (), "medium", "moral harm or material damage"),
    (DisruptionImpact.EMERGENCY, (), "high", "emergency of a social and/or man-made nature"),
    # Boundaries: one domain with significant negative consequences is enough for high risk,
    # whatever the general impact answer.
    (DisruptionImpact.MINIMAL, (AffectedDomain.USERS,), "high", "significant consequences for users"),
    (DisruptionImpact.MORAL_OR_MATERIAL_HARM, (AffectedDomain.LIFE,), "high", "life of individuals"),
    (DisruptionImpact.REDUCED_EFFICIENCY, (AffectedDomain.ECONOMY,), "high", "the economy or a sector"),
    (DisruptionImpact.EMERGENCY, tuple(AffectedDomain.values), "high", "every domain"),
]
RISK_TABLE += [
    (DisruptionImpact.MINIMAL, (domain,), "high", f"domain {domain}") for domain in AffectedDomain.values
]

# Art. 17(2) [P]
AUTONOMY_TABLE = [
    (AutonomyAnswer.RECOMMENDS, "low"),
    (AutonomyAnswer.DECIDES_CORRECTABLE, "medium"),
    (AutonomyAnswer.DECIDES_FINAL, "high"),
]


@pytest.mark.parametrize(
    ("impact", "domains", "expected", "why"), RISK_TABLE, ids=[row[3] for row in RISK_TABLE]
)
def test_risk_level(impact, domains, expected, why):
    suggestion = suggest(Answers(disruption_impact=impact, affected_domains=domains))
    assert suggestion.risk_level == expected
    # The rationale cites the article with its reference level, never a bare number.
    assert "Art. 17(1) [P]" in suggestion.rationale


@pytest.mark.parametrize(("answer", "expected"), AUTONOMY_TABLE)
def test_autonomy_level(answer, expected):
    suggestion = suggest(Answers(disruption_impact=DisruptionImpact.MINIMAL, autonomy=answer))
    assert suggestion.autonomy_level == expected
    assert "Art. 17(2) [P" in suggestion.rationale


def test_autonomy_is_independent_of_risk():
    for impact in DisruptionImpact.values:
        for answer, expected in AUTONOMY_TABLE:
            assert suggest(Answers(disruption_impact=impact, autonomy=answer)).autonomy_level == expected


def test_high_autonomy_flags_the_unverified_end_of_the_definition():
    suggestion = suggest(
        Answers(disruption_impact=DisruptionImpact.MINIMAL, autonomy=AutonomyAnswer.DECIDES_FINAL)
    )
    assert "U]" in suggestion.rationale  # the end of "high" is [U] in the catalogue


def test_rationale_names_the_domains_it_relied_on():
    suggestion = suggest(
        Answers(disruption_impact=DisruptionImpact.MINIMAL, affected_domains=(AffectedDomain.DEFENCE,))
    )
    assert "Defence" in suggestion.rationale


@pytest.mark.parametrize("level", ["minimal", "high"])
def test_critical_infrastructure_is_explained_but_does_not_set_the_level(level):
    impact = DisruptionImpact.MINIMAL if level == "minimal" else DisruptionImpact.EMERGENCY
    suggestion = suggest(Answers(disruption_impact=impact, critical_ict_infrastructure=True))
    assert suggestion.risk_level == level
    assert "Art. 17(1), last paragraph [P]" in suggestion.rationale
