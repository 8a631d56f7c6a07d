"""The banned-practice screen: record the answers, decide, mark the system prohibited or clear."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kzai.core.roles import Action
from risk.choices import ObligationStatus, ScreeningResult
from risk.models import Obligation, Screening
from risk.models.library import practice_citation, translated
from risk.services.contradictions import contradictions_sync, explain_open, require_screening_explanation
from risk.services.library import library_version_for
from risk.services.obligations import PROHIBITION_SCREENING, obligation_update, obligations_sync


def evaluate_answers(practices: list[dict], answers: dict) -> tuple[dict, list[str], dict]:
    """Normalise the answers and decide: (clean answers, findings, errors by practice id).

    A practice is a finding when it is present and no exception the law allows for it is claimed
    with its basis. Every practice must be answered.
    """
    clean, findings, errors = {}, [], {}
    if not isinstance(answers, dict):
        return {}, [], {"answers": _("Answers must map each practice id to an answer.")}
    known = {p["code"] for p in practices}
    for code in set(answers) - known:
        errors[code] = _("Unknown practice id.")
    for practice in practices:
        code = practice["code"]
        answer = answers.get(code)
        if not isinstance(answer, dict) or not isinstance(answer.get("present"), bool):
            errors[code] = _("Answer yes or no (present: true or false).")
            continue
        exception = answer.get("exception") or ""
        basis = (answer.get("basis") or "").strip()
        allowed = {e["id"]: e for e in practice["exceptions"]}
        if exception and exception not in allowed:
            errors[code] = (
                _("The law allows no exception for this practice.")
                if not allowed
                else _("Choose one of the exceptions the law allows: %(ids)s.") % {"ids": ", ".join(allowed)}
            )
            continue
        if exception and not answer["present"]:
            exception = ""  # an exception only matters for a capability that is present
        if exception and allowed[exception]["requires_basis"] and not basis:
            errors[code] = _("Say how the exception is met (the consent obtained, or the legal act).")
            continue
        clean[code] = {"present": answer["present"], "exception": exception, "basis": basis}
        if answer["present"] and not exception:
            findings.append(code)
    return clean, findings, errors


@transaction.atomic
def screening_record(
    *, system, membership, answers: dict, notes: str = "", explanation: str = ""
) -> Screening:
    """Record a screen of the seven prohibited capabilities and apply its result to the system.

    Any capability present without a valid exception marks the system prohibited (it cannot be put
    into operation) and raises KZ-AI-PROH-08, urgent if the system is already in operation. Only a
    role that may approve can clear a system that is marked prohibited. The screening itself meets
    KZ-AI-PROH-00 (screen before operation), and lets the system go into operation. Answers that
    contradict the register (it says the system recognises emotions, the screen says no) are
    recorded only with an explanation, kept with the screen's author and shown with the flag.
    """
    if system.archived_at is not None:
        raise ValidationError(_("An archived system is not screened."))
    version = library_version_for(system.organization)
    clean, findings, errors = evaluate_answers(version.prohibited_practices, answers)
    if errors:
        raise ValidationError({"answers": [f"{code}: {message}" for code, message in sorted(errors.items())]})
    require_screening_explanation(system=system, answers=clean, explanation=explanation)
    result = ScreeningResult.PROHIBITED if findings else ScreeningResult.CLEAR
    if system.is_prohibited and result == ScreeningResult.CLEAR and not membership.allows(Action.APPROVE):
        raise ValidationError(
            _("The system is marked prohibited; only a compliance officer or an administrator can clear it.")
        )
    screening = Screening(
        organization_id=system.organization_id,
        system=system,
        library_version=version,
        answers=clean,
        result=result,
        findings=findings,
        notes=notes,
        performed_by=membership,
    )
    screening.full_clean()
    screening.save()
    prohibited = bool(findings)
    if system.is_prohibited != prohibited:
        system.is_prohibited = prohibited
        system.save()
    contradictions_sync(system=system)
    explain_open(system=system, membership=membership, explanation=explanation, screening=screening)
    obligations_sync(system=system)
    _mark_screening_obligation_met(system, screening)
    return screening


def _mark_screening_obligation_met(system, screening: Screening) -> None:
    """KZ-AI-PROH-00 (screen the system before operation) is met by the recorded screening itself,
    whatever its result (a capability found raises KZ-AI-PROH-08 instead)."""
    obligation = Obligation.objects.filter(system=system, code=PROHIBITION_SCREENING, in_force=True).first()
    if obligation is not None and obligation.status != ObligationStatus.MET:
        obligation_update(
            obligation=obligation,
            membership=screening.performed_by,
            status=ObligationStatus.MET,
            notes=(obligation.notes + "\n" if obligation.notes else "")
            + _("Met by the banned-practice screening of %(date)s.")
            % {"date": date_format(timezone.localdate(screening.created_at), "DATE_FORMAT")},
        )


def latest_screening(system) -> Screening | None:
    """The system's most recent banned-practice screening, if any."""
    return system.screenings.order_by("-created_at", "-id").first()


def prohibition_reasons(screening: Screening | None) -> list[dict]:
    """The findings of a screening with their questions, for the UI and the API to say why."""
    if screening is None:
        return []
    version = screening.library_version
    reasons = []
    for code in screening.findings:
        practice = version.practice(code) or {}
        reasons.append(
            {
                "code": code,
                "article": practice_citation(practice),
                "question": translated(practice.get("question", {})),
            }
        )
    return reasons
