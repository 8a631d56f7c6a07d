"""Which register facts an answer of the banned-practice screen or of the classification must agree
with, as a table: no database, so the pairs are tested one by one in both directions.

A pair is SAME when the fact and the answer say the same thing (the register says the system
recognises emotions exactly when the screen says it determines a person's emotions, Art. 17(3));
IMPLIES when only a "yes" answer needs the fact (a system that categorises people by biometric data
processes biometric data, but face verification processes biometric data without categorising
anyone, as the library's guidance to KZ-AI-PROH-05 says).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from risk.choices import ContradictionSource

SAME = "same"
IMPLIES = "implies"


@dataclass(frozen=True)
class Pair:
    source: str  # ContradictionSource
    fact: str  # the register fact (registry.fields)
    question: str  # a practice id of the screen, or an answer field of the classification
    relation: str = SAME

    def disagrees(self, register_value: bool, answer_value: bool) -> bool:
        if self.relation == SAME:
            return bool(register_value) != bool(answer_value)
        return bool(answer_value) and not register_value

    def stricter(self, register_value: bool, answer_value: bool) -> bool:
        """The fact as the obligations read it until the contradiction is explained: "yes" when
        either the register or the answer says so."""
        return bool(register_value) or bool(answer_value)


SCREENING, CLASSIFICATION = ContradictionSource.SCREENING, ContradictionSource.CLASSIFICATION

PAIRS: tuple[Pair, ...] = (
    Pair(SCREENING, "recognises_emotions", "KZ-AI-PROH-06"),
    Pair(SCREENING, "profiles_people", "KZ-AI-PROH-03"),
    Pair(SCREENING, "processes_biometric_data", "KZ-AI-PROH-05", IMPLIES),
    Pair(SCREENING, "processes_personal_data", "KZ-AI-PROH-04", IMPLIES),
    Pair(CLASSIFICATION, "critical_ict_infrastructure", "critical_ict_infrastructure"),
    Pair(CLASSIFICATION, "state_information_resource", "state_information_resource"),
)


def pair_for(source: str, fact: str, question: str) -> Pair | None:
    return next((p for p in PAIRS if (p.source, p.fact, p.question) == (source, fact, question)), None)


@dataclass(frozen=True)
class Found:
    pair: Pair
    register_value: bool
    answer_value: bool


def screening_contradictions(facts: dict, answers: dict) -> list[Found]:
    """Pairs where a screen's answers ({practice id: {"present": bool, …}}) contradict the facts."""
    found = []
    for pair in PAIRS:
        answer = answers.get(pair.question) if pair.source == SCREENING else None
        if not isinstance(answer, dict) or not isinstance(answer.get("present"), bool):
            continue
        register_value = bool(facts.get(pair.fact))
        if pair.disagrees(register_value, answer["present"]):
            found.append(Found(pair, register_value, answer["present"]))
    return found


def classification_contradictions(facts: dict, answers: dict) -> list[Found]:
    """Pairs where a classification's answers ({field: value}) contradict the register facts."""
    found = []
    for pair in PAIRS:
        if pair.source != CLASSIFICATION or pair.question not in answers:
            continue
        register_value, answer_value = bool(facts.get(pair.fact)), bool(answers[pair.question])
        if pair.disagrees(register_value, answer_value):
            found.append(Found(pair, register_value, answer_value))
    return found


def fact_label(fact: str) -> str:
    from registry.models import AISystem

    return str(AISystem._meta.get_field(fact).verbose_name)


def question_label(source: str, question: str, screening=None) -> str:
    """The screen's question (in the reader's language) or the classification answer's label."""
    if source == SCREENING:
        from risk.models.library import translated

        practice = screening.library_version.practice(question) if screening is not None else None
        return f"{question} · {translated(practice['question'])}" if practice else question
    from risk.models import Classification

    return str(Classification._meta.get_field(question).verbose_name)


def describe(contradiction) -> str:
    """One sentence a person reads: what the register says and what the answer says."""
    yes_no = {True: _("yes"), False: _("no")}
    answer_by = _("the screen") if contradiction.source == SCREENING else _("the classification")
    return _("The register says “%(fact)s”: %(register)s; %(by)s answers “%(question)s”: %(answer)s.") % {
        "fact": fact_label(contradiction.fact),
        "register": yes_no[contradiction.register_value],
        "by": answer_by,
        "question": question_label(contradiction.source, contradiction.question, contradiction.screening),
        "answer": yes_no[contradiction.answer_value],
    }
