"""Writes to the risk register and its annual reviews (Art. 18(1)).

Every function takes keyword-only arguments, validates with `full_clean()`, runs atomically and
saves models normally, so the activity log records who changed what. Deadlines (measure due dates,
review due dates) are fed to the one deadline mechanism, `kzai.deadlines.services.deadline_sync`.
"""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kzai.accounts.models import Membership
from kzai.core.roles import Action
from kzai.deadlines.models import DeadlineKind
from kzai.deadlines.services import deadline_sync
from registry.choices import LifecycleStage
from registry.models import AISystem
from risk.models import Measure, Review, ReviewItem, ReviewSchedule, Risk
from risk.risk_management.catalogue.loader import catalogue
from risk.risk_management.choices import (
    MAX_REVIEW_INTERVAL_MONTHS,
    MEASURE_DONE_STATUSES,
    ReviewItemKind,
    ReviewItemOutcome,
    ReviewStatus,
    almaty_date,
    almaty_today,
)

RISK_FIELDS = (
    "title",
    "description",
    "category",
    "origin",
    "likelihood",
    "severity",
    "residual_likelihood",
    "residual_severity",
    "owner",
    "status",
    "catalogue_key",
)
MEASURE_FIELDS = (
    "title",
    "description",
    "kind",
    "owner",
    "due_on",
    "status",
    "evidence",
    "evidence_url",
    "catalogue_key",
)


def _check_member(membership: Membership | None, organization_id: int, field: str) -> None:
    if membership is not None and (membership.organization_id != organization_id or not membership.is_active):
        raise ValidationError({field: _("Choose an active member of this organization.")})


# -- risks ------------------------------------------------------------------------------------------
@transaction.atomic
def risk_create(
    *, system: AISystem, title: str, category: str, likelihood: int, severity: int, **fields
) -> Risk:
    """Record a risk of `system`; the inherent score and band follow from likelihood × severity."""
    risk = Risk(organization_id=system.organization_id, system=system)
    return _risk_save(
        risk, {"title": title, "category": category, "likelihood": likelihood, "severity": severity, **fields}
    )


@transaction.atomic
def risk_update(*, risk: Risk, **fields) -> Risk:
    """Change a risk's assessment, owner or status."""
    return _risk_save(risk, fields)


def _risk_save(risk: Risk, fields: dict) -> Risk:
    unknown = set(fields) - set(RISK_FIELDS)
    if unknown:
        raise TypeError(f"unknown risk fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(risk, name, value)
    _check_member(risk.owner, risk.organization_id, "owner")
    if (risk.residual_likelihood is None) != (risk.residual_severity is None):
        raise ValidationError(
            {"residual_severity": _("Give both residual likelihood and residual severity, or neither.")}
        )
    risk.compute_scores()
    risk.full_clean()
    risk.save()
    return risk


@transaction.atomic
def risk_delete(*, risk: Risk) -> None:
    """Remove a risk recorded by mistake (closing it keeps the history; prefer that)."""
    risk.delete()


# -- measures ---------------------------------------------------------------------------------------
@transaction.atomic
def measure_create(*, system: AISystem, title: str, kind: str, risks=(), **fields) -> Measure:
    """Adopt a measure against one or more risks of `system` and feed its due date to the deadlines."""
    measure = Measure(organization_id=system.organization_id, system=system)
    return _measure_save(measure, {"title": title, "kind": kind, **fields}, risks)


@transaction.atomic
def measure_update(*, measure: Measure, risks=None, **fields) -> Measure:
    """Change a measure (status, evidence, due date, linked risks)."""
    return _measure_save(measure, fields, risks)


def _measure_save(measure: Measure, fields: dict, risks) -> Measure:
    unknown = set(fields) - set(MEASURE_FIELDS)
    if unknown:
        raise TypeError(f"unknown measure fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(measure, name, value)
    _check_member(measure.owner, measure.organization_id, "owner")
    if risks is not None:
        risks = list(risks)
        if not risks:
            raise ValidationError({"risks": _("Link the measure to at least one risk.")})
        if any(r.system_id != measure.system_id for r in risks):
            raise ValidationError({"risks": _("A measure can only address risks of its own AI system.")})
    measure.full_clean()
    measure.save()
    if risks is not None:
        measure.risks.set(risks)
    _measure_deadline(measure)
    return measure


def _measure_deadline(measure: Measure) -> None:
    deadline_sync(
        source=measure,
        kind=DeadlineKind.MEASURE,
        due_on=measure.due_on,
        title=_("Measure: %(title)s") % {"title": measure.title},
        responsible=measure.owner,
        system=measure.system,
        url=reverse("risk:register_measure_update", args=[measure.pk]),
        completed=measure.status in MEASURE_DONE_STATUSES,
    )


@transaction.atomic
def measure_delete(*, measure: Measure) -> None:
    """Remove a measure and its deadline."""
    deadline_sync(source=measure, kind=DeadlineKind.MEASURE, due_on=None, title="")
    measure.delete()


# -- catalogue --------------------------------------------------------------------------------------
@transaction.atomic
def register_add_from_catalogue(
    *, system: AISystem, risk_keys: list[str], owner: Membership | None = None
) -> list[Risk]:
    """Add catalogue risks to a system with their suggested measures (a measure already taken from the
    catalogue for this system is linked, not duplicated). Keys already on the system are skipped."""
    entries = catalogue()
    unknown = [key for key in risk_keys if key not in entries.risks]
    if unknown or not risk_keys:
        raise ValidationError({"risk_keys": _("Choose one or more risks from the catalogue.")})
    present = set(
        Risk.objects.filter(system=system).exclude(catalogue_key="").values_list("catalogue_key", flat=True)
    )
    measures = {m.catalogue_key: m for m in Measure.objects.filter(system=system).exclude(catalogue_key="")}
    created = []
    for key in risk_keys:
        if key in present:
            continue
        entry = entries.risks[key]
        risk = risk_create(
            system=system,
            title=entry.text("title"),
            description=entry.text("description"),
            category=entry.category,
            origin=entry.origin,
            likelihood=entry.likelihood,
            severity=entry.severity,
            owner=owner,
            catalogue_key=key,
        )
        for measure_key in entry.measures:
            if measure_key in measures:
                measures[measure_key].risks.add(risk)
                continue
            m = entries.measures[measure_key]
            measures[measure_key] = measure_create(
                system=system,
                title=m.text("title"),
                description=m.text("description"),
                kind=m.kind,
                risks=[risk],
                owner=owner,
                catalogue_key=measure_key,
            )
        created.append(risk)
    return created


def register_snapshot(system: AISystem) -> dict:
    """The register of `system` as plain JSON: what a signed-off review freezes."""
    risks = Risk.objects.filter(system=system).select_related("owner__user").order_by("id")
    measures = (
        Measure.objects.filter(system=system)
        .select_related("owner__user")
        .prefetch_related("risks")
        .order_by("id")
    )
    return {
        "system": {"id": system.pk, "code": system.code, "name": system.name},
        "taken_at": timezone.now().isoformat(),
        "risks": [
            {
                "id": r.pk,
                "title": r.title,
                "description": r.description,
                "category": r.category,
                "origin": r.origin,
                "likelihood": r.likelihood,
                "severity": r.severity,
                "inherent_score": r.inherent_score,
                "inherent_band": r.inherent_band,
                "residual_likelihood": r.residual_likelihood,
                "residual_severity": r.residual_severity,
                "residual_score": r.residual_score,
                "residual_band": r.residual_band,
                "status": r.status,
                "owner": r.owner.user.email if r.owner else None,
            }
            for r in risks
        ],
        "measures": [
            {
                "id": m.pk,
                "title": m.title,
                "kind": m.kind,
                "status": m.status,
                "due_on": m.due_on.isoformat() if m.due_on else None,
                "evidence": m.evidence,
                "evidence_url": m.evidence_url,
                "risk_ids": sorted(r.pk for r in m.risks.all()),
                "owner": m.owner.user.email if m.owner else None,
            }
            for m in measures
        ],
    }


# -- review schedule --------------------------------------------------------------------------------
def add_months(day: datetime.date, months: int) -> datetime.date:
    """Calendar month arithmetic: 29 Feb + 12 months is 28 Feb (dateutil clips to the month's end)."""
    return day + relativedelta(months=months)


def review_due_on(schedule: ReviewSchedule) -> datetime.date | None:
    """When the system's next review is due, or None when none is owed (not in operation, never
    classified and no date set). Dates are Asia/Almaty calendar dates."""
    system = schedule.system
    if system.lifecycle_stage != LifecycleStage.IN_OPERATION or system.archived_at is not None:
        return None
    if schedule.last_completed_on:
        return add_months(schedule.last_completed_on, schedule.interval_months)
    if schedule.first_due_on:
        return schedule.first_due_on
    if system.first_classified_at:
        return add_months(almaty_date(system.first_classified_at), schedule.interval_months)
    return None


def _latest_first_due(system: AISystem) -> datetime.date | None:
    if system.first_classified_at is None:
        return None
    return add_months(almaty_date(system.first_classified_at), MAX_REVIEW_INTERVAL_MONTHS)


@transaction.atomic
def review_schedule_update(
    *,
    schedule: ReviewSchedule,
    interval_months: int,
    first_due_on: datetime.date | None = None,
    reviewer: Membership | None = None,
) -> ReviewSchedule:
    """The officer shortens the interval or sets the first due date — never later than the law allows."""
    if not 1 <= int(interval_months) <= MAX_REVIEW_INTERVAL_MONTHS:
        raise ValidationError(
            {
                "interval_months": _(
                    "The law requires a risk review at least once a year: choose 1 to 12 months."
                )
            }
        )
    latest = _latest_first_due(schedule.system)
    if first_due_on and latest and first_due_on > latest:
        raise ValidationError(
            {
                "first_due_on": _(
                    "The first review cannot be later than 12 months after the first classification "
                    "(%(date)s)."
                )
                % {"date": latest.isoformat()}
            }
        )
    _check_member(reviewer, schedule.organization_id, "reviewer")
    schedule.interval_months = int(interval_months)
    schedule.first_due_on = first_due_on
    schedule.reviewer = reviewer
    schedule.full_clean()
    schedule.save()
    return review_schedule_sync(system=schedule.system)


@transaction.atomic
def review_schedule_sync(*, system: AISystem) -> ReviewSchedule | None:
    """Keep a system's schedule, its open review and its RISK_REVIEW deadline in step with its facts.

    Called when the register's facts change (`system_facts_changed`), after a sign-off, after the
    officer edits the schedule, and daily by the sweep (which catches a first classification).
    """
    system = AISystem.objects.select_for_update().get(pk=system.pk)
    schedule = ReviewSchedule.objects.filter(system=system).first()
    if system.archived_at is not None:
        # Kept as it stood: archiving withdraws the deadline, restoring brings it back.
        return schedule
    if schedule is None:
        if system.lifecycle_stage != LifecycleStage.IN_OPERATION:
            return None
        schedule = ReviewSchedule(organization_id=system.organization_id, system=system)
    schedule.system = system
    due = review_due_on(schedule)
    if schedule.pk is None or schedule.next_due_on != due:
        schedule.next_due_on = due
        schedule.full_clean()
        schedule.save()
    open_review = Review.objects.filter(system=system).exclude(status=ReviewStatus.COMPLETED).first()
    if due is None:
        if open_review is not None and open_review.status == ReviewStatus.SCHEDULED:
            open_review.delete()
    elif open_review is None:
        open_review = Review(organization_id=system.organization_id, system=system, due_on=due)
        open_review.full_clean()
        open_review.save()
    elif open_review.due_on != due:
        open_review.due_on = due
        open_review.save()
    deadline_sync(
        source=schedule,
        kind=DeadlineKind.RISK_REVIEW,
        due_on=due,
        title=_review_deadline_title(system),
        responsible=schedule.reviewer or system.responsible_officer,
        system=system,
        url=_review_deadline_url(open_review, due),
    )
    return schedule


def _review_deadline_title(system: AISystem) -> str:
    return (_("Annual risk review: %(system)s") % {"system": system.name})[:300]


def _review_deadline_url(open_review, due) -> str:
    return reverse("risk:review_detail", args=[open_review.pk]) if open_review and due else ""


def review_schedules_sync_many(*, systems) -> None:
    """`review_schedule_sync` for many systems (an import): a system that is neither in operation
    nor has a schedule owes nothing and is left alone, found with one query for all of them."""
    with_schedule = set(
        ReviewSchedule.objects.filter(system__in=[s.pk for s in systems]).values_list("system_id", flat=True)
    )
    for system in systems:
        if system.archived_at is None and (
            system.lifecycle_stage == LifecycleStage.IN_OPERATION or system.pk in with_schedule
        ):
            review_schedule_sync(system=system)


REFRESH_CHUNK = 2000


def review_schedules_refresh(*, organization_id: int | None = None) -> int:
    """Sync the schedules that are out of step with their system (daily task); returns how many.

    Every system that owes or has a schedule is checked, a chunk at a time with a fixed number of
    queries (systems with their schedules, their open reviews, their review deadlines as plain
    values): a system whose schedule, open review and deadline already are what
    `review_schedule_sync` would make them is left alone, and only the others are synced (a first
    classification approved since yesterday, say). Nothing unchanged is saved again.
    """
    systems = AISystem.objects.filter(archived_at__isnull=True)
    if organization_id is not None:
        systems = systems.filter(organization_id=organization_id)
    systems = systems.filter(
        Q(lifecycle_stage=LifecycleStage.IN_OPERATION) | Q(review_schedule__isnull=False)
    )
    ids = list(systems.order_by("pk").values_list("pk", flat=True))
    synced = 0
    for start in range(0, len(ids), REFRESH_CHUNK):
        chunk = ids[start : start + REFRESH_CHUNK]
        for system in _schedules_out_of_step(chunk):
            review_schedule_sync(system=system)
            synced += 1
    return synced


def _schedules_out_of_step(system_ids: list[int]) -> list[AISystem]:
    """The systems among `system_ids` whose schedule, open review or RISK_REVIEW deadline differ
    from what `review_schedule_sync` would make of them now."""
    from django.contrib.contenttypes.models import ContentType

    from kzai.deadlines.models import Deadline

    systems = list(
        AISystem.objects.filter(pk__in=system_ids)
        .select_related("review_schedule")
        .only(
            "pk",
            "organization_id",
            "name",
            "lifecycle_stage",
            "archived_at",
            "first_classified_at",
            "responsible_officer_id",
            "review_schedule",
        )
    )
    open_reviews = {
        review["system_id"]: review
        for review in Review.objects.filter(system_id__in=system_ids)
        .exclude(status=ReviewStatus.COMPLETED)
        .values("pk", "system_id", "due_on", "status")
    }
    schedule_ids = {
        str(system.review_schedule.pk): system.pk for system in systems if _schedule_of(system) is not None
    }
    deadlines = {
        schedule_ids[row["object_id"]]: row
        for row in Deadline.objects.filter(
            content_type=ContentType.objects.get_for_model(ReviewSchedule),
            kind=DeadlineKind.RISK_REVIEW,
            object_id__in=list(schedule_ids),
        ).values("object_id", "title", "due_on", "responsible_id", "system_id", "url", "completed_at")
    }
    out_of_step = []
    for system in systems:
        schedule = _schedule_of(system)
        if schedule is None:
            if system.lifecycle_stage == LifecycleStage.IN_OPERATION:
                out_of_step.append(system)  # owes a schedule it does not have yet
            continue
        schedule.system = system
        due = review_due_on(schedule)
        review = open_reviews.get(system.pk)
        deadline = deadlines.get(system.pk)
        if due is None:
            unstarted = review is not None and review["status"] == ReviewStatus.SCHEDULED
            stale = unstarted or deadline is not None
        else:
            wanted = {
                "title": _review_deadline_title(system),
                "due_on": due,
                "responsible_id": schedule.reviewer_id or system.responsible_officer_id,
                "system_id": system.pk,
                "url": review and reverse("risk:review_detail", args=[review["pk"]]),
                "completed_at": None,
            }
            stale = (
                review is None
                or review["due_on"] != due
                or deadline is None
                or any(deadline[name] != value for name, value in wanted.items())
            )
        if schedule.next_due_on != due or stale:
            out_of_step.append(system)
    return out_of_step


def _schedule_of(system: AISystem) -> ReviewSchedule | None:
    try:
        return system.review_schedule
    except ReviewSchedule.DoesNotExist:
        return None


# -- reviews ----------------------------------------------------------------------------------------
def _ensure_open(review: Review) -> None:
    if review.is_completed:
        raise ValidationError(_("This review was signed off; a completed review cannot be changed."))


@transaction.atomic
def review_start(*, review: Review, membership: Membership) -> Review:
    """Open the walk-through: one item for every risk and measure of the system as it stands now."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    _ensure_open(review)
    if review.status == ReviewStatus.IN_PROGRESS:
        return review
    review.status = ReviewStatus.IN_PROGRESS
    review.started_at = timezone.now()
    review.save()
    for risk in Risk.objects.filter(system_id=review.system_id).order_by("id"):
        ReviewItem.objects.create(
            organization_id=review.organization_id,
            review=review,
            kind=ReviewItemKind.RISK,
            risk=risk,
            label=risk.title[:200],
        )
    for measure in Measure.objects.filter(system_id=review.system_id).order_by("id"):
        ReviewItem.objects.create(
            organization_id=review.organization_id,
            review=review,
            kind=ReviewItemKind.MEASURE,
            measure=measure,
            label=measure.title[:200],
        )
    return review


@transaction.atomic
def review_item_record(
    *, item: ReviewItem, outcome: str, note: str = "", membership: Membership
) -> ReviewItem:
    """Record what the review found for one risk or measure; "changed" needs a note saying what."""
    review = Review.objects.select_for_update().get(pk=item.review_id)
    _ensure_open(review)
    if review.status != ReviewStatus.IN_PROGRESS:
        raise ValidationError(_("Start the review before recording its items."))
    if outcome == ReviewItemOutcome.PENDING:
        raise ValidationError({"outcome": _("Choose confirmed, changed or no longer relevant.")})
    if outcome == ReviewItemOutcome.CHANGED and not note.strip():
        raise ValidationError({"note": _("Say what changed.")})
    item.outcome = outcome
    item.note = note
    item.reviewed_by = membership
    item.full_clean()
    item.save()
    return item


class ReviewItemsRefused(ValidationError):
    """Some rows of a one-pass record were refused; `by_item` maps each item's id to its error.
    Nothing was recorded (the whole pass is one transaction)."""

    def __init__(self, by_item: dict[int, ValidationError]):
        self.by_item = by_item
        super().__init__([message for error in by_item.values() for message in error.messages])


@transaction.atomic
def review_items_record(
    *, review: Review, records: list[tuple[ReviewItem, str, str]], membership: Membership
) -> list[ReviewItem]:
    """Record several items of one review in one pass (the review page's table form): each as
    `review_item_record` would, all or none. `records` holds (item, outcome, note)."""
    refused: dict[int, ValidationError] = {}
    recorded = []
    for item, outcome, note in records:
        if item.review_id != review.pk:
            raise ValidationError(_("This item belongs to another review."))
        try:
            with transaction.atomic():
                recorded.append(
                    review_item_record(item=item, outcome=outcome, note=note, membership=membership)
                )
        except ValidationError as error:
            refused[item.pk] = error
    if refused:
        raise ReviewItemsRefused(refused)
    return recorded


@transaction.atomic
def review_sign_off(*, review: Review, membership: Membership, summary: str = "") -> Review:
    """The officer's sign-off: completes the review, freezes the register snapshot, schedules the next."""
    if not membership.allows(Action.APPROVE):
        raise ValidationError(_("Only an officer or administrator can sign off a review."))
    review = Review.objects.select_for_update().get(pk=review.pk)
    _ensure_open(review)
    if review.status != ReviewStatus.IN_PROGRESS:
        raise ValidationError(_("Start the review and walk through every risk and measure first."))
    pending = review.items.filter(outcome=ReviewItemOutcome.PENDING).count()
    if pending:
        raise ValidationError(
            _("%(count)d risks or measures are not reviewed yet; record each before signing off.")
            % {"count": pending}
        )
    review.summary = summary
    review.status = ReviewStatus.COMPLETED
    review.completed_at = timezone.now()
    review.completed_on = almaty_today()
    review.signed_off_by = membership
    review.snapshot = register_snapshot(review.system)
    review.full_clean()
    review.save()
    schedule, _created = ReviewSchedule.objects.get_or_create(
        system=review.system, defaults={"organization_id": review.organization_id}
    )
    schedule.last_completed_on = review.completed_on
    schedule.save()
    review_schedule_sync(system=review.system)
    return review


@transaction.atomic
def review_create(*, system: AISystem, due_on: datetime.date | None = None) -> Review:
    """Open an extra (ad-hoc) review now, e.g. after an incident; at most one open review per system."""
    if Review.objects.filter(system=system).exclude(status=ReviewStatus.COMPLETED).exists():
        raise ValidationError({"system": _("This system already has an open review; complete it first.")})
    review = Review(organization_id=system.organization_id, system=system, due_on=due_on or almaty_today())
    review.full_clean()
    review.save()
    return review
