"""Contradictions between the register and the system's screen or classification: found whenever the
facts, the screen or the classification change, explained by a member, read by the obligations.

The sources compared with the register are the system's latest screen, its current (approved)
classification and its latest draft. A contradiction without an explanation flags the system
(`AISystem.has_contradictions`: the register list shows it and filters on it), refuses the approval
of the classification or the recording of the screen it comes from, and makes the obligations read
the fact as the stricter of the two answers (see `stricter_facts`).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kzai.core.roles import Action
from risk.choices import ClassificationStatus, ContradictionSource
from risk.contradictions import (
    PAIRS,
    Found,
    classification_contradictions,
    pair_for,
    screening_contradictions,
)
from risk.models import Classification, Contradiction, Screening

# Who may explain a contradiction after the fact: it resolves a flag that blocks an approval.
EXPLAIN_ACTION = Action.APPROVE
FACTS = frozenset(pair.fact for pair in PAIRS)


def _register_facts(system) -> dict:
    return {fact: getattr(system, fact) for fact in FACTS}


def classification_answers(classification: Classification) -> dict:
    return {
        pair.question: getattr(classification, pair.question)
        for pair in PAIRS
        if pair.source == ContradictionSource.CLASSIFICATION
    }


def contradictions_of_screening_answers(system, answers: dict) -> list[Found]:
    """What a screen with these answers would contradict in the register (nothing is written)."""
    return screening_contradictions(_register_facts(system), answers)


def contradictions_of_classification(classification: Classification) -> list[Found]:
    return classification_contradictions(
        _register_facts(classification.system), classification_answers(classification)
    )


def _sources(system) -> list[tuple[object, list[Found]]]:
    """(source, what it contradicts) for the latest screen, the current classification and the draft."""
    sources = []
    screening = Screening.objects.filter(system=system).order_by("-created_at", "-id").first()
    if screening is not None:
        sources.append((screening, contradictions_of_screening_answers(system, screening.answers)))
    for status in (ClassificationStatus.APPROVED, ClassificationStatus.DRAFT):
        classification = (
            Classification.objects.filter(system=system, status=status)
            .order_by("-approved_at" if status == ClassificationStatus.APPROVED else "-created_at", "-id")
            .first()
        )
        if classification is not None:
            classification.system = system
            sources.append((classification, contradictions_of_classification(classification)))
    return sources


def _key(source: str, source_id: int, fact: str, question: str, register_value, answer_value) -> tuple:
    return (source, source_id, fact, question, bool(register_value), bool(answer_value))


def _row_key(row: Contradiction) -> tuple:
    source_id = row.screening_id if row.source == ContradictionSource.SCREENING else row.classification_id
    return _key(row.source, source_id, row.fact, row.question, row.register_value, row.answer_value)


@transaction.atomic
def contradictions_sync(*, system, resync_obligations: bool = False) -> list[Contradiction]:
    """Bring the system's contradictions in step with its facts, screen and classifications.

    A contradiction found anew is recorded (open, unexplained); one that no longer holds (the fact
    or the answer changed, a newer screen replaced the old one) is closed and kept with its
    explanation. The system's flag is written. Returns the open contradictions. With
    `resync_obligations`, callers that do not re-derive the obligations themselves (a draft saved)
    have them re-derived when the unexplained contradictions changed, since those read the stricter
    answer.
    """
    found: dict[tuple, tuple[object, Found]] = {}
    if system.archived_at is None:
        for source, items in _sources(system):
            kind = (
                ContradictionSource.SCREENING
                if isinstance(source, Screening)
                else ContradictionSource.CLASSIFICATION
            )
            for item in items:
                key = _key(
                    kind,
                    source.pk,
                    item.pair.fact,
                    item.pair.question,
                    item.register_value,
                    item.answer_value,
                )
                found[key] = (source, item)
    open_rows = {_row_key(row): row for row in Contradiction.objects.filter(system=system, is_open=True)}
    unexplained_before = {key for key, row in open_rows.items() if not row.is_explained}
    now = timezone.now()
    for key, row in open_rows.items():
        if key not in found:
            row.is_open = False
            row.closed_at = now
            row.save()
    for key, (source, item) in found.items():
        if key in open_rows:
            continue
        row = Contradiction(
            organization_id=system.organization_id,
            system=system,
            source=key[0],
            screening=source if key[0] == ContradictionSource.SCREENING else None,
            classification=source if key[0] == ContradictionSource.CLASSIFICATION else None,
            fact=item.pair.fact,
            question=item.pair.question,
            register_value=item.register_value,
            answer_value=item.answer_value,
        )
        row.full_clean(exclude=["system", "screening", "classification", "organization"])
        row.save()
        open_rows[key] = row
    still_open = {key: row for key, row in open_rows.items() if key in found}
    unexplained = {key for key, row in still_open.items() if not row.is_explained}
    if system.has_contradictions != bool(unexplained):
        system.has_contradictions = bool(unexplained)
        system.save()
    if resync_obligations and unexplained != unexplained_before:
        from risk.services.obligations import obligations_sync

        obligations_sync(system=system)
    return list(still_open.values())


def _require_explanation(explanation: str, found: list[Found], what: str) -> None:
    if found and not (explanation or "").strip():
        raise ValidationError(
            {
                "explanation": _(
                    "%(what)s contradicts the register: %(pairs)s. Correct the register or the answers, "
                    "or record an explanation of why they differ; it is kept with your name."
                )
                % {"what": what, "pairs": "; ".join(_pair_text(f) for f in found)}
            }
        )


def _pair_text(found: Found) -> str:
    from risk.contradictions import fact_label

    yes_no = {True: _("yes"), False: _("no")}
    text = _("%(fact)s: the register says %(register)s, the answer %(answer)s") % {
        "fact": fact_label(found.pair.fact),
        "register": yes_no[found.register_value],
        "answer": yes_no[found.answer_value],
    }
    # A practice id (KZ-AI-PROH-06) names the question; a classification answer has the fact's name.
    return f"{text} ({found.pair.question})" if found.pair.source == ContradictionSource.SCREENING else text


def require_screening_explanation(*, system, answers: dict, explanation: str) -> None:
    """Refuse recording a screen that clears a capability the register declares (it says the system
    recognises emotions, the screen says no) without an explanation.

    A screen that finds a capability the register does not declare is recorded all the same: a
    finding must never wait for paperwork. It flags the system until someone explains it or
    corrects the register, and meanwhile the obligations read the stricter answer."""
    found = [f for f in contradictions_of_screening_answers(system, answers) if not f.answer_value]
    _require_explanation(explanation, found, _("The banned-practice screen"))


def require_classification_explanation(*, classification: Classification, explanation: str) -> None:
    """Refuse approving a classification that contradicts the register, unless each contradiction
    was explained already or an explanation is given now."""
    found = contradictions_of_classification(classification)
    explained = {
        (row.fact, row.register_value, row.answer_value)
        for row in Contradiction.objects.filter(
            classification=classification, is_open=True, explained_at__isnull=False
        )
    }
    missing = [f for f in found if (f.pair.fact, f.register_value, f.answer_value) not in explained]
    _require_explanation(explanation, missing, _("The classification"))


def explain_open(*, system, membership, explanation: str, screening=None, classification=None) -> None:
    """Record `explanation` on the open, unexplained contradictions of one screen or classification."""
    if not (explanation or "").strip():
        return
    rows = Contradiction.objects.filter(system=system, is_open=True, explained_at__isnull=True)
    rows = (
        rows.filter(screening=screening)
        if screening is not None
        else rows.filter(classification=classification)
    )
    for row in rows:
        _explain(row, membership=membership, explanation=explanation)
    _write_flag(system)


def _explain(row: Contradiction, *, membership, explanation: str) -> None:
    row.explanation = explanation.strip()
    row.explained_by = membership
    row.explained_at = timezone.now()
    row.full_clean(exclude=["system", "screening", "classification", "organization"])
    row.save()


def _write_flag(system) -> None:
    flagged = Contradiction.objects.filter(system=system, is_open=True, explained_at__isnull=True).exists()
    if system.has_contradictions != flagged:
        system.has_contradictions = flagged
        system.save()


@transaction.atomic
def contradiction_explain(*, contradiction: Contradiction, membership, explanation: str) -> Contradiction:
    """Record why the register and the answer differ. The explanation resolves the flag: it is kept
    with who gave it and when (and in the activity log), and shown wherever the contradiction is.
    The system's obligations are re-derived, since they no longer read the stricter answer."""
    from risk.services.obligations import obligations_sync

    if not contradiction.is_open:
        raise ValidationError(_("This contradiction no longer holds; there is nothing to explain."))
    if contradiction.is_explained:
        raise ValidationError(_("This contradiction was explained already."))
    if not (explanation or "").strip():
        raise ValidationError({"explanation": _("Say why the register and the answer differ.")})
    _explain(contradiction, membership=membership, explanation=explanation)
    system = contradiction.system
    _write_flag(system)
    obligations_sync(system=system)
    return contradiction


def stricter_facts(system, facts: dict) -> dict:
    """The facts as the obligations read them: while a contradiction is unexplained, a fact counts
    as "yes" when either the register or the contradicting answer says so (a system the register
    says is no critical infrastructure, but its classification says is, owes the obligations of
    critical infrastructure until someone explains which is right)."""
    if not system.pk or not system.has_contradictions:
        return facts
    facts = dict(facts)
    for row in Contradiction.objects.filter(system=system, is_open=True, explained_at__isnull=True):
        pair = pair_for(row.source, row.fact, row.question)
        if pair is not None and row.fact in facts:
            facts[row.fact] = pair.stricter(facts[row.fact], row.answer_value)
    return facts
