"""The classification rules of Art. 17(1)–(2) as a pure function: answers in, suggestion out.

No database, no request: the questionnaire's answers decide the suggested risk level and degree of
autonomy, and every step of the decision is written down as a reason that cites the article and its
reference level, so the rationale can be shown to a regulator as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from registry.choices import AutonomyLevel, DecisionRole, RiskLevel
from risk.choices import AffectedDomain, AutonomyAnswer, DisruptionImpact

QUESTIONNAIRE_VERSION = "2026.1"
RISK_CITATION = "Art. 17(1) [P]"
AUTONOMY_CITATION = "Art. 17(2) [P]"
HIGH_AUTONOMY_CITATION = "Art. 17(2) [P; end of “high” U]"
CII_CITATION = "Art. 17(1), last paragraph [P]"


@dataclass(frozen=True)
class Answers:
    disruption_impact: str
    affected_domains: tuple[str, ...] = ()
    critical_ict_infrastructure: bool = False
    state_information_resource: bool = False
    autonomy: str = AutonomyAnswer.RECOMMENDS


@dataclass(frozen=True)
class Reason:
    text: str
    citation: str


@dataclass(frozen=True)
class Suggestion:
    risk_level: str
    autonomy_level: str
    reasons: tuple[Reason, ...] = field(default_factory=tuple)

    @property
    def rationale(self) -> str:
        return "\n".join(f"• {reason.text} — {reason.citation}" for reason in self.reasons)


def _labels(choices, values) -> str:
    names = dict(choices.choices)
    return ", ".join(str(names[v]) for v in values)


def suggest(answers: Answers) -> Suggestion:
    """The suggested risk level and autonomy level for the answers, with the reasons."""
    impact_label = dict(DisruptionImpact.choices)[answers.disruption_impact]
    reasons = []
    if answers.affected_domains:
        risk = RiskLevel.HIGH
        reasons.append(
            Reason(
                _("Disruption may have significant negative consequences for: %(domains)s → high risk.")
                % {"domains": _labels(AffectedDomain, answers.affected_domains)},
                RISK_CITATION,
            )
        )
    elif answers.disruption_impact == DisruptionImpact.EMERGENCY:
        risk = RiskLevel.HIGH
        reasons.append(
            Reason(_("Answer: “%(impact)s” → high risk.") % {"impact": impact_label}, RISK_CITATION)
        )
    elif answers.disruption_impact in (
        DisruptionImpact.REDUCED_EFFICIENCY,
        DisruptionImpact.MORAL_OR_MATERIAL_HARM,
    ):
        risk = RiskLevel.MEDIUM
        reasons.append(
            Reason(
                _("Answer: “%(impact)s”, and no domain with significant negative consequences → medium risk.")
                % {"impact": impact_label},
                RISK_CITATION,
            )
        )
    else:
        risk = RiskLevel.MINIMAL
        reasons.append(
            Reason(
                _(
                    "Answer: “%(impact)s”, and no domain with significant negative consequences "
                    "→ minimal risk."
                )
                % {"impact": impact_label},
                RISK_CITATION,
            )
        )
    if answers.critical_ict_infrastructure or answers.state_information_resource:
        what = []
        if answers.critical_ict_infrastructure:
            what.append(_("a critically important object of ICT infrastructure"))
        if answers.state_information_resource:
            what.append(_("forms state electronic information resources"))
        if risk == RiskLevel.HIGH:
            text = _(
                "The system is %(what)s: as a high-risk system it follows the information-security "
                "requirements set for state systems."
            )
        else:
            text = _(
                "The system is %(what)s; this does not by itself set the level, but if it were high "
                "the state information-security requirements would apply. Check the impact answers."
            )
        reasons.append(Reason(text % {"what": _(" and ").join(str(w) for w in what)}, CII_CITATION))

    autonomy_label = dict(AutonomyAnswer.choices)[answers.autonomy]
    if answers.autonomy == AutonomyAnswer.DECIDES_FINAL:
        autonomy, citation = AutonomyLevel.HIGH, HIGH_AUTONOMY_CITATION
    elif answers.autonomy == AutonomyAnswer.DECIDES_CORRECTABLE:
        autonomy, citation = AutonomyLevel.MEDIUM, AUTONOMY_CITATION
    else:
        autonomy, citation = AutonomyLevel.LOW, AUTONOMY_CITATION
    reasons.append(
        Reason(
            _("Answer: “%(answer)s” → %(level)s autonomy.")
            % {"answer": autonomy_label, "level": str(dict(AutonomyLevel.choices)[autonomy]).lower()},
            citation,
        )
    )
    return Suggestion(risk_level=risk, autonomy_level=autonomy, reasons=tuple(reasons))


def prefill(system) -> dict:
    """Answers pre-filled from the register's facts, for the officer to confirm or change."""
    autonomy = (
        AutonomyAnswer.DECIDES_CORRECTABLE
        if system.decision_role == DecisionRole.TAKES
        else AutonomyAnswer.RECOMMENDS
    )
    return {
        "critical_ict_infrastructure": system.critical_ict_infrastructure,
        "state_information_resource": system.state_information_resource,
        "autonomy": autonomy,
    }


def consistency_notes(answers: Answers, system) -> list[Reason]:
    """Where the answers and the register's facts disagree: shown, never silently corrected."""
    notes = []
    if system.decision_role == DecisionRole.TAKES and answers.autonomy == AutonomyAnswer.RECOMMENDS:
        notes.append(
            Reason(
                _(
                    "The register says the system takes decisions on people's rights itself, but the answer "
                    "says a human always decides. Check one of them."
                ),
                AUTONOMY_CITATION,
            )
        )
    if answers.critical_ict_infrastructure != system.critical_ict_infrastructure:
        notes.append(
            Reason(_("The critical-ICT-infrastructure answer differs from the register."), CII_CITATION)
        )
    return notes
