"""Read paths for fines exposure: which open obligations expose which systems to which violation.

An obligation exposes its system while it applies (in force, system not archived) and is neither met
nor recorded as not applicable. A system failing several requirements of one violation risks that
violation once; the organization's exposure is the sum over its systems. Every figure is for a first
offence, with the repeated-offence figure beside it; the MCI is the one in force this year.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, CharField, Count, Value, When
from django.utils import timezone

from kzai.accounts.models import OrganizationSize
from kzai.core.cache import org_cached
from kzai.core.roles import OBJECT_SCOPED_ROLES, Action
from risk.choices import ObligationStatus
from risk.fines import Fine, FineSchedule, Violation, schedule
from risk.models import Obligation

OPEN_STATUSES = (ObligationStatus.NOT_STARTED, ObligationStatus.IN_PROGRESS)


@dataclass
class ViolationExposure:
    violation: Violation
    codes: list[str] = field(default_factory=list)  # for one system: the open requirements behind it
    systems: int = 1  # for the organization: how many systems risk it

    def first_kzt(self, fine: Fine) -> int:
        return fine.first_kzt * self.systems

    def repeat_kzt(self, fine: Fine) -> int:
        return fine.repeat_kzt * self.systems


@dataclass
class Exposure:
    """What a system, or the whole organization, risks under Art. 641-1 if inspected today."""

    schedule: FineSchedule
    size: str
    fine: Fine
    violations: list[ViolationExposure]

    @property
    def size_label(self) -> str:
        return OrganizationSize(self.size).label

    @property
    def first_kzt(self) -> int:
        return sum(v.first_kzt(self.fine) for v in self.violations)

    @property
    def repeat_kzt(self) -> int:
        return sum(v.repeat_kzt(self.fine) for v in self.violations)

    @property
    def count(self) -> int:
        return sum(v.systems for v in self.violations)

    def __bool__(self):
        return bool(self.violations)


def _open_violations(membership):
    """Open, applicable obligations (of any system the membership sees) that a violation covers."""
    return Obligation.objects.restrict(membership, Action.VIEW).filter(
        in_force=True,
        status__in=OPEN_STATUSES,
        code__in=[code for v in schedule().violations for code in v.requirements],
    )


def exposed_obligations(membership):
    """Open, applicable obligations of the membership's active systems that a violation covers."""
    return _open_violations(membership).filter(system__archived_at__isnull=True)


def _empty(membership) -> Exposure:
    size = membership.organization.size
    return Exposure(
        schedule=schedule(), size=size, fine=schedule().fine(size, timezone.localdate().year), violations=[]
    )


def _system_exposure(base: Exposure, codes) -> Exposure:
    by_violation: dict[str, ViolationExposure] = {}
    for code in sorted(set(codes)):
        violation = base.schedule.violation_for(code)
        entry = by_violation.setdefault(violation.id, ViolationExposure(violation=violation))
        entry.codes.append(code)
    order = {v.id: i for i, v in enumerate(base.schedule.violations)}
    violations = sorted(by_violation.values(), key=lambda e: order[e.violation.id])
    return Exposure(schedule=base.schedule, size=base.size, fine=base.fine, violations=violations)


def systems_exposure(membership, systems) -> dict[int, Exposure]:
    """Each given system's exposure (one query for all of them): for a page of a list."""
    pks = [s.pk for s in systems]
    # The systems are at hand: an archived one has no exposure, without joining every system of
    # the organization to the obligations to find it out (nor sorting by requirement).
    active = [s.pk for s in systems if s.archived_at is None]
    codes_by_system = defaultdict(list)
    for system_id, code in (
        _open_violations(membership).filter(system_id__in=active).order_by().values_list("system_id", "code")
    ):
        codes_by_system[system_id].append(code)
    base = _empty(membership)
    return {pk: _system_exposure(base, codes_by_system.get(pk, ())) for pk in pks}


def system_exposure(membership, system) -> Exposure:
    return systems_exposure(membership, [system])[system.pk]


def exposed_system_ids(membership):
    """A subquery of the systems with any exposure, for filtering a list of systems."""
    return exposed_obligations(membership).values("system_id")


def organization_exposure(membership) -> Exposure:
    """The organization's exposure (as far as the membership may see): one aggregate query."""
    base = _empty(membership)
    violation_of = Case(
        *[When(code__in=v.requirements, then=Value(v.id)) for v in base.schedule.violations],
        output_field=CharField(),
    )

    def compute():
        return dict(
            exposed_obligations(membership)
            .annotate(violation=violation_of)
            .values("violation")
            .annotate(systems=Count("system_id", distinct=True))
            .values_list("violation", "systems")
        )

    if membership.role in OBJECT_SCOPED_ROLES:
        counts = compute()  # an auditor's figure depends on their grants: never cached
    else:
        # Per organization, forgotten with the obligation score (risk.selectors.OBLIGATION_AGGREGATES).
        counts = org_cached(membership.organization_id, "fines_exposure", compute)
    violations = [
        ViolationExposure(violation=v, systems=counts[v.id])
        for v in base.schedule.violations
        if counts.get(v.id)
    ]
    return Exposure(schedule=base.schedule, size=base.size, fine=base.fine, violations=violations)
