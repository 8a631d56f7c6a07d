"""Adopting a requirements-library version per organization: the preview of what would change,
then the adoption, which re-derives every active system's obligations."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from registry.models import AISystem
from risk.choices import WithdrawnCause
from risk.models import LibraryAdoption, Obligation, RequirementLibraryVersion
from risk.services.obligations import applicable_requirements, obligations_sync


@dataclass
class SystemChange:
    """What adopting a version would do to one system's obligations."""

    system: object
    gained: list = field(default_factory=list)  # Requirement rows of the new version
    lost: list = field(default_factory=list)  # Obligation rows that would stop applying
    kept: int = 0


def library_preview(
    *, organization, version: RequirementLibraryVersion, membership=None
) -> list[SystemChange]:
    """Which systems of the organization gain or lose which obligations under `version` (no writes).

    With `membership`, only the systems that member may see are listed (an auditor sees the systems
    granted to them, never the rest of the register); commands pass none and see every system.
    """
    requirements = list(version.requirements.all())
    if membership is not None:
        systems = AISystem.objects.restrict(membership).filter(organization=organization)
    else:
        systems = AISystem.objects.filter(organization=organization)
    systems = systems.active().order_by("name")
    in_force: dict[int, dict[str, object]] = {}
    for obligation in Obligation.objects.filter(organization=organization, in_force=True).select_related(
        "requirement"
    ):
        in_force.setdefault(obligation.system_id, {})[obligation.code] = obligation
    changes = []
    for system in systems:
        current = in_force.get(system.pk, {})
        applicable = {r.code: r for r in applicable_requirements(system, requirements)}
        change = SystemChange(
            system=system,
            gained=[r for code, r in applicable.items() if code not in current],
            lost=[o for code, o in current.items() if code not in applicable],
            kept=len(set(applicable) & set(current)),
        )
        changes.append(change)
    return changes


@transaction.atomic
def library_apply(*, organization, version: RequirementLibraryVersion, membership) -> LibraryAdoption:
    """Adopt `version` for the organization and re-derive every active system's obligations.

    Nothing recorded is lost: obligations that stop applying are kept as "no longer applicable
    (library vX)" with their status, notes and evidence.
    """
    adoption = LibraryAdoption(organization=organization, library_version=version, adopted_by=membership)
    adoption.full_clean()
    adoption.save()
    gained = lost = 0
    for system in AISystem.objects.filter(organization=organization).active():
        result = obligations_sync(system=system, version=version, cause=WithdrawnCause.LIBRARY)
        gained += len(result.gained)
        lost += len(result.lost)
    adoption.gained, adoption.lost = gained, lost
    adoption.save()
    return adoption
