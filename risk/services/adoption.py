"""Adopting a requirements-library version per organization: what would change (requirement by
requirement, field by field, and system by system), then the adoption, which re-derives every active
system's obligations and returns for review those whose requirement changed in substance."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from registry.models import AISystem
from risk.choices import RequirementField, WithdrawnCause
from risk.library import articles
from risk.models import LibraryAdoption, Obligation, RequirementLibraryVersion
from risk.services.library import library_version_for
from risk.services.obligations import applicable_requirements, obligations_sync

# What decides whether a change of a requirement is a change of substance (the obligation returns
# for review) or only of wording in another language (listed, nothing to review): the English text
# is the reference text of a requirement; Russian and Kazakh are its translations.
COMPARED_FIELDS = (
    "title",
    "text",
    "evidence",
    "article",
    "reference_level",
    "binds",
    "rule",
    "recurrence",
    "due_within",
)
TEXT_FIELDS = ("title", "text", "evidence")


@dataclass
class FieldChange:
    """One changed field of a requirement: for texts, one language of it."""

    field: str
    language: str  # "" for fields that are not texts
    before: object
    after: object
    substantive: bool

    @property
    def label(self) -> str:
        label = str(dict(RequirementField.choices)[self.field])
        return f"{label} ({self.language})" if self.language else label


@dataclass
class RequirementChange:
    """A requirement added, removed or changed between two library versions, and what it touches."""

    code: str
    kind: str  # "added", "removed", "changed"
    requirement: object  # the new version's row (the old one's when removed)
    fields: list = field(default_factory=list)  # FieldChange, for "changed"
    obligations: list = field(default_factory=list)  # in-force obligations with this code
    systems: list = field(default_factory=list)  # systems those obligations (or new ones) belong to

    @property
    def substantive(self) -> bool:
        return self.kind != "changed" or any(f.substantive for f in self.fields)

    @property
    def substantive_fields(self) -> list[str]:
        return list(dict.fromkeys(f.field for f in self.fields if f.substantive))


def _article_key(requirement) -> object:
    return articles.render(requirement.references, "en") if requirement.references else requirement.article


def requirement_field_changes(old, new) -> list[FieldChange]:
    """Every field of a requirement that differs between two versions, texts language by language."""
    changes = []
    for name in COMPARED_FIELDS:
        if name in TEXT_FIELDS:
            before, after = getattr(old, name) or {}, getattr(new, name) or {}
            for language in ("en", "ru", "kk"):
                if (before.get(language) or "") != (after.get(language) or ""):
                    changes.append(
                        FieldChange(
                            name, language, before.get(language), after.get(language), language == "en"
                        )
                    )
        elif name == "article":
            if _article_key(old) != _article_key(new):
                changes.append(FieldChange(name, "", old.citation, new.citation, True))
        elif getattr(old, name) != getattr(new, name):
            changes.append(FieldChange(name, "", getattr(old, name), getattr(new, name), True))
    return changes


def library_diff(
    *, organization, version: RequirementLibraryVersion, membership=None, systems: list | None = None
) -> list[RequirementChange]:
    """Every requirement added, removed or changed from the organization's version to `version`.

    Each change names the organization's obligations and systems it touches (with `membership`,
    only those the member may see). `systems` is the `library_preview` already computed, if any.
    No writes.
    """
    current = library_version_for(organization)
    old = {r.code: r for r in current.requirements.all()}
    new = {r.code: r for r in version.requirements.all()}
    obligations = Obligation.objects.filter(organization=organization, in_force=True).select_related("system")
    if membership is not None:
        obligations = obligations.filter(system__in=AISystem.objects.restrict(membership))
    by_code: dict[str, list] = {}
    for obligation in obligations.order_by("system__name", "id"):
        by_code.setdefault(obligation.code, []).append(obligation)
    gaining: dict[str, list] = {}
    if systems is None:
        systems = library_preview(organization=organization, version=version, membership=membership)
    for change in systems:
        for requirement in change.gained:
            gaining.setdefault(requirement.code, []).append(change.system)
    changes = []
    for code, requirement in new.items():
        if code not in old:
            changes.append(RequirementChange(code, "added", requirement, systems=gaining.get(code, [])))
            continue
        fields = requirement_field_changes(old[code], requirement)
        if fields:
            touched = by_code.get(code, [])
            systems = list(dict.fromkeys([o.system for o in touched] + gaining.get(code, [])))
            changes.append(RequirementChange(code, "changed", requirement, fields, touched, systems))
    for code, requirement in old.items():
        if code not in new:
            touched = by_code.get(code, [])
            changes.append(
                RequirementChange(
                    code, "removed", requirement, obligations=touched, systems=[o.system for o in touched]
                )
            )
    return changes


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
    previous = library_version_for(organization)
    changed = {
        change.code: change.substantive_fields
        for change in library_diff(organization=organization, version=version)
        if change.kind == "changed" and change.substantive
    }
    adoption = LibraryAdoption(organization=organization, library_version=version, adopted_by=membership)
    adoption.full_clean()
    adoption.save()
    gained = lost = 0
    for system in AISystem.objects.filter(organization=organization).active():
        result = obligations_sync(system=system, version=version, cause=WithdrawnCause.LIBRARY)
        gained += len(result.gained)
        lost += len(result.lost)
        for obligation in result.updated:
            if obligation.code in changed:
                _return_for_review(
                    obligation, previous=previous, version=version, fields=changed[obligation.code]
                )
    adoption.gained, adoption.lost = gained, lost
    adoption.save()
    return adoption


def _return_for_review(obligation, *, previous, version, fields: list[str]) -> None:
    """Flag an obligation whose requirement changed in substance; the save is in its history."""
    obligation.needs_review = True
    obligation.review_changes = {"from": previous.version, "to": version.version, "fields": fields}
    obligation.save()
