"""Object-level grants through django-guardian.

Auditors (and any other object-scoped role) see only the AI systems they were granted with the
`registry.view_aisystem` object permission. Grants are per user, and a system belongs to exactly
one organization, so a grant can never leak across tenants.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from guardian.models import UserObjectPermission
from guardian.shortcuts import assign_perm, remove_perm

VIEW_SYSTEM_PERMISSION = "registry.view_aisystem"


def granted_system_ids(membership):
    """Ids of the systems in the membership's organization that its user was granted."""
    from registry.models import AISystem

    content_type = ContentType.objects.get_for_model(AISystem)
    granted_pks = UserObjectPermission.objects.filter(
        user_id=membership.user_id,
        content_type=content_type,
        permission__codename="view_aisystem",
    ).values_list("object_pk", flat=True)
    return list(
        AISystem.objects.filter(
            organization_id=membership.organization_id, pk__in=[int(pk) for pk in granted_pks]
        ).values_list("pk", flat=True)
    )


def grant_system_view(user, system) -> None:
    assign_perm(VIEW_SYSTEM_PERMISSION, user, system)


def revoke_system_view(user, system) -> None:
    remove_perm(VIEW_SYSTEM_PERMISSION, user, system)
