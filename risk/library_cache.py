"""The requirements library's stored rows, kept in the process once read.

A library version and its requirements are written once and never changed or deleted (the models
refuse it and, on PostgreSQL, a trigger too): a copy read once is right for as long as the process
lives, for every organization — the library is the law, shared by all, so nothing of one
organization is kept here. Lists read them on every request: the obligations page joined each
row's requirement and library version (titles and texts in three languages, the prohibited
practices: ~500 JSON values a page), the matrix read its columns' requirements. They now come from
here, read from the database only the first time.

Storing a version or a requirement forgets everything kept (a new row may reuse the id of one
removed by a rolled-back transaction, as in tests on SQLite); deletion is refused anyway. The
objects are shared between requests: callers read them and never change them.
"""

from __future__ import annotations

from collections.abc import Iterable

from risk.models import Requirement, RequirementLibraryVersion

_kept: dict[type, dict[int, object]] = {Requirement: {}, RequirementLibraryVersion: {}}


def _read(model, ids: Iterable[int | None]) -> dict[int, object]:
    kept = _kept[model]
    wanted = {pk for pk in ids if pk is not None}
    missing = wanted - kept.keys()
    if missing:
        kept.update(model._base_manager.in_bulk(missing))
    return {pk: kept[pk] for pk in wanted if pk in kept}


def requirements(ids: Iterable[int]) -> dict[int, Requirement]:
    """id → Requirement for `ids` (a query only for those not read before)."""
    return _read(Requirement, ids)


def library_versions(ids: Iterable[int | None]) -> dict[int, RequirementLibraryVersion]:
    """id → RequirementLibraryVersion for `ids` (a query only for those not read before)."""
    return _read(RequirementLibraryVersion, ids)


def attach_library(obligations: list) -> list:
    """Give each obligation its requirement, library version and withdrawing version from here,
    instead of joining them to every row of a list; `obligations` is returned."""
    found = requirements(o.requirement_id for o in obligations)
    versions = library_versions(
        [o.library_version_id for o in obligations] + [o.withdrawn_by_version_id for o in obligations]
    )
    for obligation in obligations:
        obligation.requirement = found[obligation.requirement_id]
        obligation.library_version = versions[obligation.library_version_id]
        if obligation.withdrawn_by_version_id is not None:
            obligation.withdrawn_by_version = versions[obligation.withdrawn_by_version_id]
    return obligations


def forget(**kwargs) -> None:
    """Drop everything kept (connected to the library models' post_save)."""
    for kept in _kept.values():
        kept.clear()
