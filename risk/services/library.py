"""Loading library versions, and the version each organization works under. Adopting a newer
version after a preview (which re-derives obligations) is `risk.services.adoption`."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kzai.core.roles import Action
from risk import library_cache
from risk.library.loader import LibraryData, load_library_file, shipped_library_files
from risk.models import LibraryAdoption, Requirement, RequirementLibraryVersion

# Adopting a library version changes every system's obligations: an organization-wide setting that
# only administrators (the role that manages members and tokens) may change, in the UI and the API.
LIBRARY_ACTION = Action.MANAGE_MEMBERS


@transaction.atomic
def library_version_store(
    *, data: LibraryData, source_file: str = ""
) -> tuple[RequirementLibraryVersion, bool]:
    """Store a validated library as an immutable version; (version, created).

    Loading the same content again is a no-op. A version name already used for other content is
    refused: versions never change once loaded, so a corrected file needs a new version name.
    """
    existing = RequirementLibraryVersion.objects.filter(content_hash=data.content_hash).first()
    if existing is not None:
        return existing, False
    if RequirementLibraryVersion.objects.filter(version=data.version).exists():
        raise ValidationError(
            {
                "version": _(
                    "Library version %(version)s is already loaded with different content. Versions are "
                    "immutable: give the corrected file a new version."
                )
                % {"version": data.version}
            }
        )
    version = RequirementLibraryVersion(
        version=data.version,
        title=data.title,
        source=data.source,
        source_file=source_file[:300],
        content_hash=data.content_hash,
        prohibited_practices=data.practices,
    )
    version.full_clean()
    version.save()
    for item in data.requirements:
        requirement = Requirement(library_version=version, **item)
        requirement.full_clean(exclude=["library_version"])
        requirement.save()
    return version, True


def library_file_load(*, path: Path | str) -> tuple[RequirementLibraryVersion, bool]:
    """Validate and store one library file (raises LibraryError with file and line on bad data)."""
    data = load_library_file(path)
    return library_version_store(data=data, source_file=Path(path).name)


def library_ensure_loaded() -> list[RequirementLibraryVersion]:
    """Store every library file shipped in the repository that is not stored yet."""
    return [library_file_load(path=path)[0] for path in shipped_library_files()]


def newest_library_version() -> RequirementLibraryVersion:
    version = RequirementLibraryVersion.objects.order_by("-loaded_at", "-id").first()
    if version is None:
        library_ensure_loaded()
        version = RequirementLibraryVersion.objects.order_by("-loaded_at", "-id").first()
    return version


@transaction.atomic
def library_version_for(organization) -> RequirementLibraryVersion:
    """The library version an organization works under.

    It is the version of its latest adoption; an organization that never adopted one adopts the
    newest version on first use (recorded as an adoption by nobody), so later versions are only
    applied after an administrator has previewed them.
    """
    # The version row itself (its prohibited practices in three languages) is the process's copy
    # (risk.library_cache); only which version is adopted is read. That is not cached: a stale
    # answer after an adoption would derive obligations from the wrong law.
    version_id = (
        LibraryAdoption.objects.filter(organization=organization)
        .values_list("library_version_id", flat=True)
        .first()
    )
    if version_id is not None:
        return library_cache.library_versions([version_id])[version_id]
    version = newest_library_version()
    LibraryAdoption.objects.create(organization=organization, library_version=version)
    return version
