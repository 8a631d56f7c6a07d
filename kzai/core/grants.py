"""The hook through which object-scoped roles (auditors) are narrowed to the objects granted to them.

The platform knows no domain model: the app that owns the grantable objects (the register, with
its AI systems) registers a `GrantableObjects` implementation in its `AppConfig.ready()`.
`RestrictedQuerySet.restrict` and the members' pages and API ask it which objects a member was
granted, what an administrator may grant, and to replace a member's grants.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from kzai.accounts.models import Membership


class GrantableObjects(Protocol):
    """What an object-scoped role can be granted, supplied by the app that owns those objects."""

    def granted_ids(self, membership: Membership) -> list[int]:
        """Ids of the objects in the membership's organization that its user was granted."""

    def grantable(self, acting: Membership) -> QuerySet:
        """Every object `acting` may grant (read through `restrict`), archived ones included."""

    def choices(self, acting: Membership) -> QuerySet:
        """The objects the grant page lists (active ones, in display order)."""

    def grants_set(self, *, membership: Membership, objects) -> list[int]:
        """Make `objects` exactly the member's grants, record the change, return the sorted ids."""


_grantable: GrantableObjects | None = None


def register_grantable_objects(provider: GrantableObjects) -> None:
    """Called once, from the owning app's `AppConfig.ready()`."""
    global _grantable
    _grantable = provider


def grantable_objects() -> GrantableObjects:
    if _grantable is None:
        raise ImproperlyConfigured("No installed app registered the objects auditors can be granted.")
    return _grantable


def granted_ids(membership: Membership) -> list[int]:
    """Ids of the objects granted to `membership` (what `restrict` narrows object-scoped roles to)."""
    return grantable_objects().granted_ids(membership)
