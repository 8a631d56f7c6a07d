"""Reads of the classification, screening and obligation capabilities, with their joins.

Every function takes the acting membership and reads through `restrict`, so one path serves the
UI and the API and another organization's data is never reachable.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch

from kzai.core.cache import org_cache_forget, org_cached
from kzai.core.roles import OBJECT_SCOPED_ROLES, Action
from registry.models import AISystem
from risk import library_cache
from risk.choices import ClassificationStatus, ObligationStatus
from risk.models import (
    Classification,
    Contradiction,
    Obligation,
    ObligationEvidence,
    RequirementLibraryVersion,
    Screening,
)
from risk.services.adoption import RequirementChange, SystemChange, library_diff, library_preview
from risk.services.library import library_version_for
from risk.services.obligations import Score, score_of
from risk.services.score import score_aggregates, scored_obligations


def obligations_for(membership):
    """The organization's obligations as the membership may see them, with what lists show."""
    return Obligation.objects.restrict(membership, Action.VIEW).select_related(
        "system", "requirement", "responsible__user", "library_version", "withdrawn_by_version"
    )


def evidence_counts(obligation_ids: list[int]) -> dict[int, int]:
    """Evidence of each of these obligations (absent: none), in one grouped query over a page's ids
    (counting in the list query would count for every obligation of the organization)."""
    return dict(
        ObligationEvidence.objects.filter(obligation_id__in=obligation_ids)
        .order_by()
        .values_list("obligation_id")
        .annotate(total=Count("pk"))
    )


def obligation_detail(membership, pk: int) -> Obligation:
    return (
        obligations_for(membership)
        .prefetch_related(
            Prefetch("evidence", queryset=ObligationEvidence.objects.select_related("added_by__user"))
        )
        .get(pk=pk)
    )


def classifications_for(membership):
    return Classification.objects.restrict(membership, Action.VIEW).select_related(
        "system", "library_version", "prepared_by__user", "approved_by__user"
    )


def screenings_for(membership):
    return Screening.objects.restrict(membership, Action.VIEW).select_related(
        "system", "library_version", "performed_by__user"
    )


def contradictions_for(membership):
    """Contradictions between the register and a screen or classification, with what their
    descriptions read (the screen's library for its question, the explainer's name)."""
    return Contradiction.objects.restrict(membership, Action.VIEW).select_related(
        "system", "screening__library_version", "classification", "explained_by__user"
    )


def systems_for(membership):
    return AISystem.objects.restrict(membership, Action.VIEW).active()


@dataclass
class SystemRisk:
    """Everything the Risk tab of one system shows."""

    system: AISystem
    current: Classification | None
    draft: Classification | None
    screening: Screening | None
    obligations: list[Obligation]
    withdrawn: list[Obligation]
    classifications: list[Classification]
    screenings: list[Screening]
    score: Score = field(default_factory=lambda: Score(0, 0))
    contradictions: list[Contradiction] = field(default_factory=list)  # open ones, explained or not

    @property
    def unexplained(self) -> list[Contradiction]:
        return [c for c in self.contradictions if not c.is_explained]


def system_risk(membership, system: AISystem) -> SystemRisk:
    classifications = list(classifications_for(membership).filter(system=system)[:20])
    screenings = list(screenings_for(membership).filter(system=system)[:20])
    approved = [c for c in classifications if c.status == ClassificationStatus.APPROVED]
    drafts = [c for c in classifications if c.status == ClassificationStatus.DRAFT]
    obligations = list(
        obligations_for(membership).filter(system=system).order_by("-urgent", "requirement__order")
    )
    in_force = [o for o in obligations if o.in_force]
    return SystemRisk(
        system=system,
        current=max(approved, key=lambda c: c.approved_at) if approved else None,
        draft=drafts[0] if drafts else None,
        screening=screenings[0] if screenings else None,
        obligations=in_force,
        withdrawn=[o for o in obligations if not o.in_force],
        classifications=classifications,
        screenings=screenings,
        score=score_of(in_force),
        contradictions=list(contradictions_for(membership).filter(system=system, is_open=True)),
    )


def library_versions_for(membership):
    return RequirementLibraryVersion.objects.restrict(membership, Action.VIEW)


@dataclass
class UpgradePreview:
    """What adopting a library version would change for an organization: every requirement added,
    removed or changed (field by field, with the systems and obligations each change touches), and
    which systems gain or lose which obligations. One read for the page, the API and the command."""

    current: RequirementLibraryVersion
    version: RequirementLibraryVersion
    requirements: list[RequirementChange]
    systems: list[SystemChange]  # every system seen; `changed_systems` those that gain or lose

    @property
    def changed_systems(self) -> list[SystemChange]:
        return [c for c in self.systems if c.gained or c.lost]

    @property
    def unchanged(self) -> int:
        return len(self.systems) - len(self.changed_systems)


def library_upgrade_preview(*, organization, version, membership=None) -> UpgradePreview:
    """The preview of adopting `version`; with `membership`, only the systems (and their obligations)
    that member may see (a command passes none and sees every system). No writes."""
    systems = library_preview(organization=organization, version=version, membership=membership)
    return UpgradePreview(
        current=library_version_for(organization),
        version=version,
        requirements=library_diff(
            organization=organization, version=version, membership=membership, systems=systems
        ),
        systems=systems,
    )


@dataclass(frozen=True, slots=True)
class MatrixCell:
    """What a matrix cell shows of an in-force obligation: its id and status (a page has ~600; read
    as plain values, not model instances)."""

    pk: int
    status: str
    in_force: bool = True

    @property
    def counts_for_score(self) -> bool:
        return self.status != ObligationStatus.NOT_APPLICABLE

    def get_status_display(self) -> str:
        return str(dict(ObligationStatus.choices).get(self.status, self.status))


@dataclass
class MatrixRow:
    system: AISystem
    cells: dict  # requirement code → MatrixCell (an obligation in force) or None
    score: Score


@dataclass
class Matrix:
    """Systems × obligations of an organization, for one page of systems."""

    codes: list[str]
    titles: dict  # code → Requirement (of the newest version seen) for headers
    rows: list[MatrixRow]  # an iterator for an export (`matrix_streamed`)
    organization_score: Score


def _matrix_obligations(membership, codes: list[str] | None):
    """The in-force obligations a matrix shows, as the membership may see them."""
    obligations = Obligation.objects.restrict(membership, Action.VIEW).filter(in_force=True)
    return obligations.filter(code__in=codes) if codes else obligations


def _matrix_rows(systems, cells: dict, all_codes: list[str], status: str):
    """Each system's row: its cell for each column (None where it owes nothing or, with `status`,
    where its obligation has another status) and its score."""
    for system in systems:
        row_cells = cells[system.pk]
        shown = {code: row_cells.get(code) for code in all_codes}
        if status:
            shown = {code: (o if o is not None and o.status == status else None) for code, o in shown.items()}
        yield MatrixRow(system=system, cells=shown, score=score_of(row_cells.values()))


def _cells_of(obligations, system_ids: list[int]) -> dict[int, dict[str, MatrixCell]]:
    cells: dict[int, dict[str, MatrixCell]] = {pk: {} for pk in system_ids}
    for pk, system_id, code, cell_status in obligations.filter(system_id__in=system_ids).values_list(
        "id", "system_id", "code", "status"
    ):
        cells[system_id][code] = MatrixCell(pk, cell_status)  # one per system and code (unique)
    return cells


def _columns(column_requirements: dict[str, int]) -> tuple[list[str], dict]:
    """Columns in the order they were first met, each titled by the requirement first met."""
    requirements = library_cache.requirements(column_requirements.values())
    titles = {code: requirements[pk] for code, pk in column_requirements.items()}
    return list(titles), titles


def matrix(membership, systems, *, codes: list[str] | None = None, status: str = "") -> Matrix:
    """The matrix for `systems` (already filtered and paged): one query for the obligations, one for
    the organization's score, whatever the number of systems."""
    systems = list(systems)
    # Only what a cell shows, as plain values; the requirements (large texts in three languages)
    # are the process's copy of the library (risk.library_cache), one per column.
    obligations = _matrix_obligations(membership, codes).filter(system__in=[s.pk for s in systems])
    cells: dict[int, dict[str, MatrixCell]] = {s.pk: {} for s in systems}
    column_requirements = {}
    in_force = obligations.order_by("requirement__order", "id").values_list(
        "id", "system_id", "code", "status", "requirement_id"
    )
    for pk, system_id, code, cell_status, requirement_id in in_force:
        cells[system_id][code] = MatrixCell(pk, cell_status)
        column_requirements.setdefault(code, requirement_id)
    all_codes, titles = _columns(column_requirements)
    return Matrix(
        codes=all_codes,
        titles=titles,
        rows=list(_matrix_rows(systems, cells, all_codes, status)),
        organization_score=organization_score(membership),
    )


def matrix_streamed(
    membership, systems, *, codes: list[str] | None = None, status: str = "", chunk_size: int = 1000
) -> Matrix:
    """`matrix` for every system of the queryset `systems` (an export), with `rows` an iterator
    that reads `chunk_size` systems and their obligations at a time: at 10,000 systems the whole
    grid held ~120,000 cells and the systems in memory (~130 MB) before the first line was written.
    The columns come first, from one pass over the obligations' codes (only the codes are kept)."""
    obligations = _matrix_obligations(membership, codes)
    column_requirements: dict[str, int] = {}
    first_met = (
        obligations.filter(system__in=systems.order_by().values("pk"))
        .order_by("requirement__order", "id")
        .values_list("code", "requirement_id")
    )
    for code, requirement_id in first_met.iterator(chunk_size=5000):
        column_requirements.setdefault(code, requirement_id)
    all_codes, titles = _columns(column_requirements)

    def rows_of(chunk):
        return _matrix_rows(chunk, _cells_of(obligations, [s.pk for s in chunk]), all_codes, status)

    def rows():
        chunk = []
        for system in systems.iterator(chunk_size=chunk_size):
            chunk.append(system)
            if len(chunk) == chunk_size:
                yield from rows_of(chunk)
                chunk = []
        if chunk:
            yield from rows_of(chunk)

    return Matrix(
        codes=all_codes, titles=titles, rows=rows(), organization_score=organization_score(membership)
    )


# Organization-wide aggregates over every obligation, cached per organization (kzai.core.cache):
# the matrix and the obligations page show them on every request, and at 10,000 systems each one
# reads ~120,000 rows. Forgotten whenever an obligation or a system changes (risk.receivers).
OBLIGATION_AGGREGATES = ("obligation_score", "fines_exposure", "obligation_list_count")


def forget_obligation_aggregates(organization_id: int | None) -> None:
    org_cache_forget(organization_id, *OBLIGATION_AGGREGATES)


def organization_score(membership) -> Score:
    """Met / applicable over every in-force obligation of the organization's active systems."""

    def compute():
        counts = scored_obligations(Obligation.objects.restrict(membership, Action.VIEW)).aggregate(
            **score_aggregates()
        )
        return (counts["met"], counts["applicable"])

    if membership is None or membership.role in OBJECT_SCOPED_ROLES:
        met, applicable = compute()  # what an auditor sees depends on their grants: never cached
    else:
        met, applicable = org_cached(membership.organization_id, "obligation_score", compute)
    return Score(met=met, applicable=applicable)


def obligation_list_count(membership, queryset) -> int:
    """How many obligations the unfiltered obligations page lists (`queryset`): counting ~126,000
    rows at 10,000 systems takes ~20 ms of every page; cached per organization with the other
    aggregates. An auditor's count depends on their grants: never cached. A filtered list counts
    its own rows (the caller passes only the unfiltered one)."""
    if membership is None or membership.role in OBJECT_SCOPED_ROLES:
        return queryset.count()
    return org_cached(membership.organization_id, "obligation_list_count", queryset.count)
