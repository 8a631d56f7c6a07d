"""Deriving obligations from a system's facts, keeping them in step, and updating them."""

from __future__ import annotations

import datetime
import operator
from dataclasses import dataclass, field
from types import SimpleNamespace

from dateutil.relativedelta import relativedelta
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kzai.activity.chain import _dumps_fast
from kzai.activity.models import ActivityAction
from kzai.activity.services import activity_rows_write
from kzai.activity.signals import context_values, created_changes
from kzai.core.bulk import CopyLine, RawJSON, _copy_line, allocate_ids, bulk_insert, collection_paused
from kzai.deadlines.models import DeadlineKind
from kzai.deadlines.services import deadline_sync, deadlines_create_new
from registry.choices import LifecycleStage
from risk.choices import ObligationStatus, WithdrawnCause
from risk.library.facts import system_facts
from risk.library.loader import duration_parts
from risk.library.rules import applies
from risk.models import Obligation, ObligationEvidence, Requirement, RequirementLibraryVersion
from risk.services.contradictions import stricter_facts
from risk.services.library import library_version_for

PROHIBITION_MEASURES = "KZ-AI-PROH-08"
PROHIBITION_SCREENING = "KZ-AI-PROH-00"
# Obligations that cannot wait while the system is in operation: screening it for the prohibited
# capabilities, and the measures against a capability found.
URGENT_IN_OPERATION = frozenset({PROHIBITION_SCREENING, PROHIBITION_MEASURES})


def _urgent(obligation: Obligation, in_operation: bool) -> bool:
    """Whether the obligation is urgent: one that cannot wait, unmet, on a system in operation."""
    return (
        obligation.code in URGENT_IN_OPERATION
        and in_operation
        and obligation.status not in (ObligationStatus.MET, ObligationStatus.NOT_APPLICABLE)
    )


def add_duration(start: datetime.date, duration: str) -> datetime.date | None:
    """start + an ISO duration like P12M (calendar-correct: 29 Feb + P12M → 28 Feb)."""
    parts = duration_parts(duration)
    if parts is None:
        return None
    amount, unit = parts
    delta = {
        "Y": relativedelta(years=amount),
        "M": relativedelta(months=amount),
        "W": relativedelta(weeks=amount),
        "D": relativedelta(days=amount),
    }[unit]
    return start + delta


def applicable_requirements(system, requirements, facts: dict | None = None) -> list[Requirement]:
    """The requirements (of one version) that apply to the system's facts, in library order.

    Without `facts`, the system's register facts as the obligations read them: the stricter answer
    where the register contradicts the screen or the classification and nobody explained why."""
    facts = facts if facts is not None else stricter_facts(system, system_facts(system))
    return [r for r in requirements if applies(r, facts)]


def _facts_key(facts: dict) -> tuple:
    return tuple(sorted((name, tuple(v) if isinstance(v, list) else v) for name, v in facts.items()))


class _Library:
    """What a bulk sync reads once rather than per system: each organization's library version,
    each version's requirements, the requirements that apply to each distinct set of facts (an
    import's systems share a few), and each requirement's due date from today."""

    def __init__(self):
        self.versions: dict[int, RequirementLibraryVersion] = {}
        self.requirements: dict[int, list[Requirement]] = {}
        self.applicable: dict[tuple, list[Requirement]] = {}
        self.today = timezone.localdate()
        self.due: dict[str, datetime.date | None] = {}

    def version_for(self, system) -> RequirementLibraryVersion:
        if system.organization_id not in self.versions:
            self.versions[system.organization_id] = library_version_for(system.organization)
        return self.versions[system.organization_id]

    def applicable_to(self, system, version) -> list[Requirement]:
        if version.pk not in self.requirements:
            self.requirements[version.pk] = list(version.requirements.all())
        facts = stricter_facts(system, system_facts(system))
        key = (version.pk, _facts_key(facts))
        if key not in self.applicable:
            self.applicable[key] = applicable_requirements(system, self.requirements[version.pk], facts)
        return self.applicable[key]

    def due_on(self, requirement: Requirement) -> datetime.date | None:
        """A new obligation's due date: today plus the requirement's time limit."""
        if requirement.due_within not in self.due:
            self.due[requirement.due_within] = (
                add_duration(self.today, requirement.due_within) if requirement.due_within else None
            )
        return self.due[requirement.due_within]


@dataclass
class SyncResult:
    """What a sync did: `gained` holds the obligations brought back (instances) and those created
    (`NewObligation` rows), `lost` those withdrawn, `updated` those moved to a new requirement."""

    gained: list = field(default_factory=list)
    lost: list[Obligation] = field(default_factory=list)
    updated: list[Obligation] = field(default_factory=list)


def _deadline_fields(obligation: Obligation, url: str | None = None) -> dict:
    closed = obligation.status == ObligationStatus.NOT_APPLICABLE or (
        obligation.status == ObligationStatus.MET and not obligation.recurrence
    )
    # Withdrawn with its archived system, the deadline is kept (withdrawn with the system's others)
    # so a restore brings it back with its date and reminder history.
    kept = obligation.in_force or obligation.withdrawn_cause == WithdrawnCause.ARCHIVED
    return {
        "source": obligation,
        "kind": DeadlineKind.OBLIGATION,
        "due_on": obligation.due_on if kept else None,
        "title": f"{obligation.system.code}: {obligation.code} {obligation.requirement.title_text}",
        "responsible": obligation.responsible,
        "system": obligation.system,
        "url": url or reverse("risk:obligation_detail", args=[obligation.pk]),
        "completed": closed,
    }


def _sync_deadline(obligation: Obligation) -> None:
    """Feed the obligation's due date into the one deadline table."""
    deadline_sync(**_deadline_fields(obligation))


class NewObligation(SimpleNamespace):
    """A new obligation as plain values by attribute name (`system_id`, `due_on`, …) plus its
    `system` and `requirement`: written as a row (`kzai.core.bulk`), not saved as a model instance,
    since an import creates hundreds of thousands. It reads like one where the code below needs it
    (its name, its deadline's fields)."""

    __str__ = Obligation.__str__


# The columns of a new obligation's row, and the values of those a new obligation leaves at their
# default (read from the model, so a field added later gets its default here too).
_OBLIGATION_FIELDS = tuple(f.attname for f in Obligation._meta.concrete_fields if not f.primary_key)
_obligation_row = operator.itemgetter(*_OBLIGATION_FIELDS)
_OBLIGATION_DEFAULTS = {
    f.attname: f.get_default() for f in Obligation._meta.concrete_fields if not f.primary_key
}


def _new_obligation(system, requirement, version, due_on, urgent: bool, now) -> NewObligation:
    # Nothing here needs `full_clean`: the code, recurrence and due date come from the validated
    # library, the organization and responsible member from the validated system.
    return NewObligation(
        **{
            **_OBLIGATION_DEFAULTS,
            "created_at": now,
            "updated_at": now,
            "organization_id": system.organization_id,
            "system_id": system.pk,
            "system": system,
            "requirement_id": requirement.pk,
            "requirement": requirement,
            "code": requirement.code,
            "library_version_id": version.pk,
            "responsible_id": system.responsible_officer_id,
            "responsible": system.responsible_officer,
            "recurrence": requirement.recurrence,
            "due_on": due_on,
            "urgent": urgent,
        }
    )


# Values no real id takes, standing for a system's and a member's id in `_CreatedChanges`' templates.
_SYSTEM_MARK, _RESPONSIBLE_MARK = -7_301_234_567_891, -7_301_234_567_892


class _CreatedChanges:
    """The changes recorded for each new obligation, as the canonical JSON the hash chain reads
    (`kzai.activity.chain.hash_values` takes it as it is).

    New obligations of one requirement differ only in their system, responsible member and
    urgency: the snapshot (`activity_snapshot_of`), its changes (`created_changes`) and their JSON
    are made once per requirement, organization, due date, urgency and whether a member answers,
    with marks standing for the two ids, which are then written in. An import records 230,000 new
    obligations: per row, this costs two replacements instead of a snapshot, a dict and a JSON
    encoding (~13 µs a row). The text is the one `_dumps_fast(created_changes(snapshot))` gives.
    """

    def __init__(self):
        self.templates: dict[tuple, str] = {}

    def __call__(self, obligation: NewObligation) -> RawJSON:
        values = obligation.__dict__
        responsible_id = values["responsible_id"]
        key = _template_key(values)
        template = self.templates.get(key)
        if template is None:
            marked = {**values, "system_id": _SYSTEM_MARK}
            if responsible_id is not None:
                marked["responsible_id"] = _RESPONSIBLE_MARK
            snapshot = Obligation.activity_snapshot_of(marked)
            template = self.templates[key] = _dumps_fast(created_changes(snapshot))
        text = template.replace(str(_SYSTEM_MARK), str(values["system_id"]), 1)
        if responsible_id is not None:
            text = text.replace(str(_RESPONSIBLE_MARK), str(responsible_id), 1)
        return RawJSON(text)


def _template_key(values: dict) -> tuple:
    """What two new obligations' templates share: all of their values but the ids and the time."""
    return (
        values["requirement_id"],
        values["organization_id"],
        values["library_version_id"],
        values["due_on"],
        values["urgent"],
        values["responsible_id"] is None,
    )


_ID_MARK = -7_301_234_567_893
_TIME_MARK = datetime.datetime(1901, 2, 3, 4, 5, 6, 70809, tzinfo=datetime.UTC)


class _ObligationLines:
    """Each new obligation's COPY line (its id first), from a template per requirement,
    organization, version, due date, urgency and whether a member answers, like its recorded
    changes (`_CreatedChanges`): the id, system, member and creation time are written into marks.
    The marks and what replaces them are digits and times, which COPY never escapes, so the
    template's escaping holds. 230,000 obligations: two to four replacements a row instead of
    encoding 23 values (~10 µs a row)."""

    def __init__(self):
        self.templates: dict[tuple, str] = {}
        self.time, self.time_text = None, ""

    def __call__(self, obligation: NewObligation) -> CopyLine:
        values = obligation.__dict__
        responsible_id, created_at = values["responsible_id"], values["created_at"]
        key = (*_template_key(values), created_at == values["updated_at"])
        template = self.templates.get(key)
        if template is None:
            marked = {**values, "system_id": _SYSTEM_MARK}
            if responsible_id is not None:
                marked["responsible_id"] = _RESPONSIBLE_MARK
            if key[-1]:
                marked["created_at"] = marked["updated_at"] = _TIME_MARK
            line = _copy_line((_ID_MARK, *_obligation_row(marked)))
            # A format string: braces of the line doubled, each mark a field.
            line = line.replace("{", "{{").replace("}", "}}")
            for mark, field in (
                (str(_ID_MARK), "{0}"),
                (str(_SYSTEM_MARK), "{1}"),
                (str(_RESPONSIBLE_MARK), "{2}"),
                (_copy_line((_TIME_MARK,))[:-1], "{3}"),
            ):
                line = line.replace(mark, field)
            template = self.templates[key] = line
        if created_at is not self.time:  # the same for a system's obligations
            self.time, self.time_text = created_at, _copy_line((created_at,))[:-1]
        return CopyLine(template.format(values["id"], values["system_id"], responsible_id, self.time_text))


def _create_obligations(obligations: list[NewObligation]) -> None:
    """Write new obligations at once, record them in the activity log, and create their deadlines
    (a new obligation can have none yet, so there is nothing to look up).

    Rows, not model instances: each is recorded as a save records a creation (its snapshot), with
    its system as parent, so the log reads the same as for obligations created one at a time."""
    if not obligations:
        return
    if connection.vendor == "postgresql":
        ids = allocate_ids(Obligation, len(obligations))
        for obligation, pk in zip(obligations, ids, strict=True):
            obligation.id = obligation.pk = pk
        bulk_insert(Obligation, ("pk", *_OBLIGATION_FIELDS), map(_ObligationLines(), obligations))
    else:
        ids = bulk_insert(
            Obligation,
            _OBLIGATION_FIELDS,
            [_obligation_row(o.__dict__) for o in obligations],
            return_ids=True,
        )
        for obligation, pk in zip(obligations, ids, strict=True):
            obligation.id = obligation.pk = pk
    from risk.selectors import forget_obligation_aggregates  # selectors import this module

    for organization_id in {o.organization_id for o in obligations}:
        forget_obligation_aggregates(organization_id)  # rows written in bulk send no post_save
    context = context_values()
    obligation_type = ContentType.objects.get_for_model(Obligation).pk
    system_type = ContentType.objects.get_for_model(obligations[0].system).pk
    changes_of = _CreatedChanges()
    activity_rows_write(
        (
            {
                "organization_id": o.organization_id,
                **context,
                "action": ActivityAction.CREATE,
                "content_type_id": obligation_type,
                "object_id": str(o.pk),
                "object_repr": str(o)[:300],
                "parent_content_type_id": system_type,  # Obligation.activity_parent: its system
                "parent_object_id": str(o.system_id),
                "changes": changes_of(o),
                "system_id": o.system_id,
            }
            for o in obligations
        ),
        organizations={o.organization_id for o in obligations},
    )
    # Only those with a due date owe a deadline; their page's URL is reversed once, not per row
    # (an import creates a hundred thousand).
    marker = "2147483647"
    url = reverse("risk:obligation_detail", args=[int(marker)])
    deadlines_create_new(
        source_model=Obligation,
        entries=[
            _deadline_fields(o, url=url.replace(marker, str(o.pk)))
            for o in obligations
            if o.due_on is not None
        ],
    )


@transaction.atomic
def obligations_sync(
    *, system, version: RequirementLibraryVersion | None = None, cause: str = WithdrawnCause.FACTS
) -> SyncResult:
    """Bring the system's obligations in step with its facts under a library version.

    New obligations are created (not started, due per the requirement), obligations that stop
    applying are kept with `in_force=False` and the cause, obligations that apply again come back
    with their history, and obligations that still apply move to the new version's requirement.
    An archived system's obligations are all withdrawn (cause "archived"); restoring it brings them
    back exactly as they were, due dates included.
    """
    version = version or library_version_for(system.organization)
    existing = {
        o.code: o for o in Obligation.objects.filter(system=system).select_related("requirement", "system")
    }
    applicable = applicable_requirements(system, list(version.requirements.all()))
    plan = _SyncPlan(system, version, applicable, existing, cause)
    plan.apply_changes()
    _create_obligations(plan.created)
    plan.withdraw_lost()
    return plan.result


@transaction.atomic
@collection_paused()
def obligations_sync_many(
    *, systems, cause: str = WithdrawnCause.FACTS, created: bool = False
) -> dict[int, SyncResult]:
    """`obligations_sync` for many systems at once (an import), with the same outcome for each.

    The library version is read once per organization, its requirements once per version, the
    requirements that apply once per distinct set of facts, the systems' obligations in one query,
    and the obligations gained are written, logged and given their deadlines as plain rows in one
    bulk write each (`kzai.core.bulk`) — so the cost does not grow with the number of systems that
    only gain obligations (new systems). `created` says the systems were just created, so they
    have no obligations yet to read. Returns each system's result by its id.
    """
    library = _Library()
    existing: dict[int, dict[str, Obligation]] = {system.pk: {} for system in systems}
    if not created:
        for obligation in Obligation.objects.filter(system__in=[s.pk for s in systems]).select_related(
            "requirement", "system"
        ):
            existing[obligation.system_id][obligation.code] = obligation
    plans = []
    for system in systems:
        version = library.version_for(system)
        applicable = [] if system.archived_at is not None else library.applicable_to(system, version)
        plan = _SyncPlan(system, version, applicable, existing[system.pk], cause, library=library)
        plan.apply_changes()
        plans.append(plan)
    _create_obligations([obligation for plan in plans for obligation in plan.created])
    for plan in plans:
        plan.withdraw_lost()
    return {plan.system.pk: plan.result for plan in plans}


class _SyncPlan:
    """One system's sync: `apply_changes()` saves the obligations that return or move to a new
    requirement and collects the new ones in `created` (the caller inserts them, for one system or
    many); `withdraw_lost()` then withdraws those that no longer apply."""

    def __init__(
        self, system, version, applicable, existing: dict[str, Obligation], cause: str, library=None
    ):
        self.system = system
        self.version = version
        self.existing = existing
        self.cause = cause
        if system.archived_at is not None:
            applicable, self.cause = [], WithdrawnCause.ARCHIVED
        self.by_code = {r.code: r for r in applicable}
        self.library = library or _Library()
        self.result = SyncResult()
        self.created: list[NewObligation] = []

    def apply_changes(self) -> None:
        system, version, existing, result = self.system, self.version, self.existing, self.result
        library = self.library
        today = library.today
        now = timezone.now()
        in_operation = system.lifecycle_stage == LifecycleStage.IN_OPERATION
        back_from_archive = set()
        for code, requirement in self.by_code.items():
            obligation = existing.get(code)
            if obligation is None:
                # Not started, due per the requirement; urgent if it cannot wait (see `_urgent`).
                new = _new_obligation(
                    system,
                    requirement,
                    version,
                    library.due_on(requirement),
                    code in URGENT_IN_OPERATION and in_operation,
                    now,
                )
                result.gained.append(new)
                self.created.append(new)
                continue
            elif not obligation.in_force:
                if obligation.withdrawn_cause == WithdrawnCause.ARCHIVED:
                    back_from_archive.add(code)
                obligation.in_force = True
                obligation.withdrawn_at = None
                obligation.withdrawn_cause = ""
                obligation.withdrawn_by_version = None
                result.gained.append(obligation)
            elif obligation.requirement_id != requirement.pk:
                result.updated.append(obligation)
            else:
                if code in URGENT_IN_OPERATION and obligation.urgent != _urgent(obligation, in_operation):
                    obligation.urgent = not obligation.urgent
                    obligation.save()
                continue
            obligation.requirement = requirement
            obligation.library_version = version
            obligation.recurrence = requirement.recurrence
            if (
                obligation in result.gained
                and obligation.status != ObligationStatus.MET
                and code not in back_from_archive
            ):
                obligation.due_on = (
                    add_duration(today, requirement.due_within) if requirement.due_within else None
                )
            if code in URGENT_IN_OPERATION:
                obligation.urgent = _urgent(obligation, in_operation)
            obligation.full_clean(exclude=["system", "requirement", "library_version"])
            obligation.save()
            _sync_deadline(obligation)

    def withdraw_lost(self) -> None:
        cause, version = self.cause, self.version
        for code, obligation in self.existing.items():
            if code in self.by_code:
                continue
            if not obligation.in_force:
                if obligation.withdrawn_cause == WithdrawnCause.ARCHIVED and cause != WithdrawnCause.ARCHIVED:
                    # Restored, but no longer applicable: say why now, and drop its kept deadline.
                    obligation.withdrawn_cause = cause
                    obligation.withdrawn_by_version = version if cause == WithdrawnCause.LIBRARY else None
                    obligation.save()
                    _sync_deadline(obligation)
                continue
            obligation.in_force = False
            obligation.withdrawn_at = timezone.now()
            obligation.withdrawn_cause = cause
            obligation.withdrawn_by_version = version if cause == WithdrawnCause.LIBRARY else None
            obligation.urgent = False
            obligation.save()
            _sync_deadline(obligation)
            self.result.lost.append(obligation)


@transaction.atomic
def obligation_update(
    *,
    obligation: Obligation,
    membership,
    status: str | None = None,
    responsible=...,
    due_on=...,
    notes: str | None = None,
    not_applicable_reason: str | None = None,
) -> Obligation:
    """Change an obligation's status, responsible member, due date or notes.

    Marking a recurring obligation met starts its next cycle: the due date moves to the date met
    plus the recurrence (unless a due date is given). A withdrawn obligation can no longer change.
    A member saving an obligation that returned for review (its requirement changed in a new
    library version) confirms the review: the flag is cleared, and the activity log keeps both.
    """
    if not obligation.in_force:
        raise ValidationError(
            _("This obligation no longer applies to the system; it is kept for the record.")
        )
    if status is not None and status != obligation.status:
        if status == ObligationStatus.MET:
            obligation.met_on = timezone.localdate()
            if obligation.recurrence and due_on is ...:
                due_on = add_duration(obligation.met_on, obligation.recurrence)
        elif obligation.status == ObligationStatus.MET:
            obligation.met_on = None
        obligation.status = status
    if status is not None and status != ObligationStatus.NOT_APPLICABLE and not_applicable_reason is None:
        obligation.not_applicable_reason = ""
    if responsible is not ...:
        obligation.responsible = responsible
    if due_on is not ...:
        obligation.due_on = due_on
    if notes is not None:
        obligation.notes = notes
    if not_applicable_reason is not None:
        obligation.not_applicable_reason = not_applicable_reason
    if obligation.needs_review and membership is not None:
        obligation.needs_review = False
    if obligation.urgent and obligation.status in (ObligationStatus.MET, ObligationStatus.NOT_APPLICABLE):
        obligation.urgent = False  # met (or found not to apply), it no longer presses
    obligation.full_clean()
    obligation.save()
    _sync_deadline(obligation)
    return obligation


@transaction.atomic
def obligation_evidence_add(
    *, obligation: Obligation, membership, title: str, url: str = "", reference: str = ""
) -> ObligationEvidence:
    """Link evidence (a URL or a free reference) to an obligation."""
    evidence = ObligationEvidence(
        organization_id=obligation.organization_id,
        obligation=obligation,
        title=title,
        url=url,
        reference=reference,
        added_by=membership,
    )
    evidence.full_clean()
    evidence.save()
    return evidence


@dataclass(frozen=True)
class Score:
    """Compliance score: obligations met / obligations that apply.

    An obligation applies when it is in force and not marked "not applicable" with a reason.
    `percent` is None when nothing applies (no score rather than a misleading 100 %).
    """

    met: int
    applicable: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.met / self.applicable) if self.applicable else None


def score_of(obligations) -> Score:
    """The score of a set of obligations (see `Score` for the definition)."""
    counted = [o for o in obligations if o.counts_for_score]
    return Score(met=sum(1 for o in counted if o.status == ObligationStatus.MET), applicable=len(counted))
