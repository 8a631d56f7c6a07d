"""The classification rules of Art. 17(1)–(2) as a pure function: answers in, suggestion out.

No database, no request: the questionnaire's answers decide the suggested risk level and degree of
autonomy, and every step of the decision is written down as a reason that cites the article and its
reference level, so the rationale can be shown to a regulator as it is.

A reason is data — a key of `rationale` in `risk/library/texts.yaml` and its parameters (choice
keys, never labels) — so a stored rationale is rendered in the reader's language, not frozen in
the language of whoever prepared it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from registry.choices import AutonomyLevel, DecisionRole, RiskLevel
from risk.choices import AffectedDomain, AutonomyAnswer, DisruptionImpact
from risk.library import articles
from risk.library.texts import library_texts, localised

QUESTIONNAIRE_VERSION = "2026.1"


@dataclass(frozen=True)
class Answers:
    disruption_impact: str
    affected_domains: tuple[str, ...] = ()
    critical_ict_infrastructure: bool = False
    state_information_resource: bool = False
    autonomy: str = AutonomyAnswer.RECOMMENDS


@dataclass(frozen=True)
class Reason:
    """One line of the rationale: a text key of the library and its parameters (choice keys)."""

    key: str
    params: dict = field(default_factory=dict)
    warning: bool = False

    def as_data(self) -> dict:
        return {"key": self.key, "params": self.params, "warning": self.warning}

    @property
    def text(self) -> str:
        return render_reason(self.as_data())[0]

    @property
    def citation(self) -> str:
        return render_reason(self.as_data())[1]


@dataclass(frozen=True)
class Suggestion:
    risk_level: str
    autonomy_level: str
    reasons: tuple[Reason, ...] = field(default_factory=tuple)

    @property
    def rationale(self) -> str:
        """The rationale as text in the active language."""
        return rationale_text([reason.as_data() for reason in self.reasons])


# How each parameter's stored value (a choice key or a list of them) is read back as a label.
def _label(choices, value) -> str:
    return str(dict(choices.choices).get(value, value))


def _params_in_language(key: str, params: dict) -> dict:
    texts = library_texts()["rationale"]
    out = {}
    for name, value in params.items():
        if name == "domains":
            out[name] = ", ".join(_label(AffectedDomain, v) for v in value)
        elif name == "impact":
            out[name] = _label(DisruptionImpact, value)
        elif name == "answer":
            out[name] = _label(AutonomyAnswer, value)
        elif name == "level":
            out[name] = _label(AutonomyLevel, value).lower()
        elif name == "what":
            out[name] = localised(texts["and"]["text"]).join(
                localised(texts[f"what_{v}"]["text"]) for v in value
            )
        else:
            out[name] = value
    return out


def render_reason(reason: dict) -> tuple[str, str]:
    """(text, citation) of one stored reason in the active language."""
    from django.utils.translation import get_language

    entry = library_texts()["rationale"][reason["key"]]
    text = localised(entry["text"]) % _params_in_language(reason["key"], reason.get("params", {}))
    language = (get_language() or "en").split("-")[0]
    citation = f"{articles.render(entry['article'], language)} [{entry['reference_level']}]"
    if "also" in entry:
        citation += f"; {localised(entry['also']['text'])} [{entry['also']['reference_level']}]"
    return text, citation


def render_reasons(reasons: list[dict]) -> list[tuple[str, str, bool]]:
    """Stored reasons → [(text, citation, warning)] in the active language."""
    return [(*render_reason(reason), bool(reason.get("warning"))) for reason in reasons]


def rationale_text(reasons: list[dict]) -> str:
    """Stored reasons as one text in the active language ("• text — citation" per line)."""
    return "\n".join(
        f"{'⚠' if warning else '•'} {text} — {citation}"
        for text, citation, warning in render_reasons(reasons)
    )


def suggest(answers: Answers) -> Suggestion:
    """The suggested risk level and autonomy level for the answers, with the reasons."""
    impact = answers.disruption_impact
    reasons = []
    if answers.affected_domains:
        risk = RiskLevel.HIGH
        reasons.append(Reason("risk_domains", {"domains": list(answers.affected_domains)}))
    elif impact == DisruptionImpact.EMERGENCY:
        risk = RiskLevel.HIGH
        reasons.append(Reason("risk_emergency", {"impact": impact}))
    elif impact in (DisruptionImpact.REDUCED_EFFICIENCY, DisruptionImpact.MORAL_OR_MATERIAL_HARM):
        risk = RiskLevel.MEDIUM
        reasons.append(Reason("risk_medium", {"impact": impact}))
    else:
        risk = RiskLevel.MINIMAL
        reasons.append(Reason("risk_minimal", {"impact": impact}))
    if answers.critical_ict_infrastructure or answers.state_information_resource:
        what = []
        if answers.critical_ict_infrastructure:
            what.append("cii")
        if answers.state_information_resource:
            what.append("state")
        reasons.append(Reason("state_high" if risk == RiskLevel.HIGH else "state_not_high", {"what": what}))

    if answers.autonomy == AutonomyAnswer.DECIDES_FINAL:
        autonomy, key = AutonomyLevel.HIGH, "autonomy_high"
    elif answers.autonomy == AutonomyAnswer.DECIDES_CORRECTABLE:
        autonomy, key = AutonomyLevel.MEDIUM, "autonomy"
    else:
        autonomy, key = AutonomyLevel.LOW, "autonomy"
    reasons.append(Reason(key, {"answer": answers.autonomy, "level": autonomy}))
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
        notes.append(Reason("note_decision_role", warning=True))
    if answers.critical_ict_infrastructure != system.critical_ict_infrastructure:
        notes.append(Reason("note_cii_differs", warning=True))
    return notes
