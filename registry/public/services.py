"""Writes of the public side: public pages, user agreement versions and their acceptances.

Every function takes keyword-only arguments, validates with `full_clean()`, runs atomically and
saves models normally, so the activity log records who changed what.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kzai.deadlines.models import DeadlineKind
from kzai.deadlines.outbox import reply_email_enqueue
from kzai.deadlines.services import deadline_sync
from kzai.deadlines.workdays import add_working_days
from registry.models import AISystem
from registry.public.models import (
    OBJECTION_ANSWER_WORKING_DAYS,
    PUBLIC_LANGUAGES,
    PUBLIC_TEXTS,
    TICKET_OPEN_STATUSES,
    AgreementAcceptance,
    AgreementVersion,
    Objection,
    ObjectionStatus,
    PublicPage,
    Ticket,
    TicketStatus,
)

PUBLIC_PAGE_FIELDS = ("public_slug",) + tuple(
    f"{prefix}_{code}" for prefix, _label in PUBLIC_TEXTS for code in PUBLIC_LANGUAGES
)
AGREEMENT_TEXT_FIELDS = tuple(f"text_{code}" for code in PUBLIC_LANGUAGES)
# Acceptances may arrive a little late (queued in the product), never from the future.
ACCEPTANCE_CLOCK_SLACK = datetime.timedelta(minutes=5)


def _not_archived(system: AISystem) -> None:
    if system.archived_at is not None:
        raise ValidationError(_("This AI system is archived; restore it first."))


@transaction.atomic
def public_page_save(*, system: AISystem, **fields) -> PublicPage:
    """Create or change the public texts and address of `system`'s public page."""
    unknown = set(fields) - set(PUBLIC_PAGE_FIELDS)
    if unknown:
        raise TypeError(f"unknown public page fields: {sorted(unknown)}")
    _not_archived(system)
    page = PublicPage.objects.filter(system=system).first() or PublicPage(
        organization_id=system.organization_id, system=system
    )
    for name, value in fields.items():
        setattr(page, name, value)
    page.full_clean()
    if page.is_published:
        _check_publishable(page)
    page.save()
    return page


def _check_publishable(page: PublicPage) -> None:
    # Russian is what every reader falls back to, so the essentials must exist in it.
    missing = {
        f"{prefix}_ru": [_("Write this in Russian before publishing: it is shown where Kazakh is missing.")]
        for prefix in ("title", "summary", "processing_notice", "support")
        if not getattr(page, f"{prefix}_ru").strip()
    }
    if missing:
        raise ValidationError(missing)


@transaction.atomic
def public_page_publish(*, page: PublicPage) -> PublicPage:
    """Open the public page to everyone (opt-in per system)."""
    _not_archived(page.system)
    _check_publishable(page)
    page.is_published = True
    page.published_at = timezone.now()
    page.full_clean()
    page.save()
    return page


@transaction.atomic
def public_page_unpublish(*, page: PublicPage) -> PublicPage:
    """Take the public page down; its address answers 404 until it is published again."""
    page.is_published = False
    page.full_clean()
    page.save()
    return page


@transaction.atomic
def agreement_version_add(*, system: AISystem, effective_on: datetime.date, **texts) -> AgreementVersion:
    """Add the next version of `system`'s user agreement. Versions are never edited: a change is a
    new version, so every end user's acceptance keeps pointing at the text they accepted."""
    unknown = set(texts) - set(AGREEMENT_TEXT_FIELDS)
    if unknown:
        raise TypeError(f"unknown agreement fields: {sorted(unknown)}")
    _not_archived(system)
    if not any((texts.get(name) or "").strip() for name in AGREEMENT_TEXT_FIELDS):
        raise ValidationError({"text_ru": [_("Write the agreement text in at least one language.")]})
    if not (texts.get("text_ru") or "").strip():
        raise ValidationError(
            {"text_ru": [_("Write the agreement in Russian: it is shown where Kazakh is missing.")]}
        )
    # Lock the system row so two officers adding a version at once get 1 and 2, not a clash.
    AISystem.objects.select_for_update().filter(pk=system.pk).first()
    latest = AgreementVersion.objects.filter(system=system).aggregate(n=Max("number"))["n"] or 0
    version = AgreementVersion(
        organization_id=system.organization_id,
        system=system,
        number=latest + 1,
        effective_on=effective_on,
        **texts,
    )
    version.full_clean()
    version.save()
    return version


@transaction.atomic
def agreement_accept(
    *, system: AISystem, number: int, end_user: str, accepted_at: datetime.datetime | None = None
) -> AgreementAcceptance:
    """Record that `end_user` accepted version `number` of `system`'s agreement at `accepted_at`.

    Recording the same acceptance twice returns the first record (products retry)."""
    accepted_at = accepted_at or timezone.now()
    if timezone.is_naive(accepted_at):
        raise ValidationError({"accepted_at": [_("Give the time with a time zone.")]})
    if accepted_at > timezone.now() + ACCEPTANCE_CLOCK_SLACK:
        raise ValidationError({"accepted_at": [_("This time is in the future.")]})
    end_user = (end_user or "").strip()
    if not end_user:
        raise ValidationError({"end_user": [_("This field is required.")]})
    version = AgreementVersion.objects.filter(system=system, number=number).first()
    if version is None:
        raise ValidationError(
            {"version": [_("This AI system has no user agreement version %(n)s.") % {"n": number}]}
        )
    existing = AgreementAcceptance.objects.filter(version=version, end_user=end_user).first()
    if existing is not None:
        return existing
    acceptance = AgreementAcceptance(
        organization_id=system.organization_id,
        system=system,
        version=version,
        end_user=end_user,
        accepted_at=accepted_at,
    )
    acceptance.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            acceptance.save()
    except IntegrityError:  # the same acceptance arrived twice at once
        return AgreementAcceptance.objects.get(version=version, end_user=end_user)
    return acceptance


# -- user reports (tickets) -------------------------------------------------------------------------
TICKET_SLA_WORKING_DAYS = 5
TICKET_FIELDS = ("status", "severity", "assignee", "risk")


def _ticket_deadline(ticket: Ticket) -> None:
    deadline_sync(
        source=ticket,
        kind=DeadlineKind.OTHER,
        due_on=ticket.due_on,
        title=_("Answer user report #%(n)s on %(system)s") % {"n": ticket.pk, "system": ticket.system.name},
        responsible=ticket.assignee or ticket.system.responsible_officer,
        system=ticket.system,
        url=reverse("registry:ticket_detail", args=[ticket.pk]),
        completed=ticket.status not in TICKET_OPEN_STATUSES,
    )


@transaction.atomic
def ticket_report(
    *, page: PublicPage, kind: str, message: str, contact_email: str = "", language: str = ""
) -> Ticket:
    """File a user's report from the public page as a new ticket with its answer clock
    (`TICKET_SLA_WORKING_DAYS` Kazakhstan working days, through the deadline mechanism)."""
    if not page.is_published:
        raise ValidationError(_("This page is not published."))
    now = timezone.now()
    ticket = Ticket(
        organization_id=page.organization_id,
        system_id=page.system_id,
        kind=kind,
        message=message.strip(),
        contact_email=contact_email.strip(),
        language=(language or "")[:2],
        received_at=now,
        due_on=add_working_days(now, TICKET_SLA_WORKING_DAYS),
    )
    ticket.full_clean()
    ticket.save()
    _ticket_deadline(ticket)
    return ticket


@transaction.atomic
def ticket_update(*, ticket: Ticket, **fields) -> Ticket:
    """Triage a ticket: status, severity, assignee, the risk of the system it concerns."""
    unknown = set(fields) - set(TICKET_FIELDS)
    if unknown:
        raise TypeError(f"unknown ticket fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(ticket, name, value)
    if ticket.assignee is not None and (
        ticket.assignee.organization_id != ticket.organization_id or not ticket.assignee.is_active
    ):
        raise ValidationError({"assignee": [_("Choose an active member of this organization.")]})
    if ticket.risk is not None and ticket.risk.system_id != ticket.system_id:
        raise ValidationError({"risk": [_("Link a risk of the same AI system.")]})
    ticket.full_clean()
    ticket.save()
    _ticket_deadline(ticket)
    return ticket


@transaction.atomic
def ticket_reply(*, ticket: Ticket, reply: str) -> Ticket:
    """Answer the reporter by e-mail (when they left an address), record the answer and stop the clock.

    The e-mail goes through the notification outbox: it leaves only if this transaction commits,
    and a mail server that is down delays it instead of losing it."""
    reply = (reply or "").strip()
    if not reply:
        raise ValidationError({"reply": [_("Write the reply.")]})
    if not ticket.contact_email:
        raise ValidationError({"reply": [_("The reporter left no e-mail address to answer to.")]})
    ticket.reply = reply
    ticket.replied_at = timezone.now()
    ticket.status = TicketStatus.ANSWERED
    ticket.full_clean()
    ticket.save()
    _ticket_deadline(ticket)
    with translation.override(
        ticket.language or translation.get_language()
    ):  # in the language the person wrote in
        subject = _("Answer to your report about %(system)s") % {"system": _public_name(ticket)}
    reply_email_enqueue(
        organization=ticket.organization, email=ticket.contact_email, subject=subject, body=reply
    )
    return ticket


# -- objections to automated processing (Personal Data Law Art. 19-1) -------------------------------
def _objection_deadline(objection: Objection) -> None:
    deadline_sync(
        source=objection,
        kind=DeadlineKind.OTHER,
        due_on=objection.due_on,
        title=_("Answer objection #%(n)s to automated processing by %(system)s")
        % {"n": objection.pk, "system": objection.system.name},
        responsible=objection.system.responsible_officer,
        system=objection.system,
        url=reverse("registry:objection_detail", args=[objection.pk]),
        completed=objection.status == ObjectionStatus.ANSWERED,
    )


@transaction.atomic
def objection_file(*, page: PublicPage, message: str, contact_email: str, language: str = "") -> Objection:
    """File a person's objection from the public page; the answer is due in 3 Kazakhstan working
    days, a deadline with reminders before it runs out."""
    if not page.is_published:
        raise ValidationError(_("This page is not published."))
    now = timezone.now()
    objection = Objection(
        organization_id=page.organization_id,
        system_id=page.system_id,
        message=message.strip(),
        contact_email=contact_email.strip(),
        language=(language or "")[:2],
        received_at=now,
        due_on=add_working_days(now, OBJECTION_ANSWER_WORKING_DAYS),
    )
    objection.full_clean()
    objection.save()
    _objection_deadline(objection)
    return objection


@transaction.atomic
def objection_answer(*, objection: Objection, answer: str, membership) -> Objection:
    """Send the answer to the person by e-mail, record it (text, time, who) and stop the clock."""
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": [_("Write the answer.")]})
    if objection.status == ObjectionStatus.ANSWERED:
        raise ValidationError({"answer": [_("This objection is already answered.")]})
    objection.answer = answer
    objection.answered_at = timezone.now()
    objection.answered_by = membership
    objection.status = ObjectionStatus.ANSWERED
    objection.full_clean()
    objection.save()
    _objection_deadline(objection)
    with translation.override(objection.language or translation.get_language()):
        subject = _("Answer to your objection about %(system)s") % {"system": _public_name(objection)}
    reply_email_enqueue(
        organization=objection.organization, email=objection.contact_email, subject=subject, body=answer
    )
    return objection


def _public_name(request_from_public) -> str:
    """The system as the person knew it: the title of the public page they wrote from."""
    page = PublicPage.objects.filter(system_id=request_from_public.system_id).first()
    language = request_from_public.language or None
    return (page.text("title", language) if page is not None else "") or request_from_public.system.name
