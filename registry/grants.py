"""Object-level grants of AI systems through django-guardian.

Auditors (and any other object-scoped role) see only the AI systems they were granted with the
`registry.view_aisystem` object permission. Grants are per user, and a system belongs to exactly
one organization, so a grant can never leak across tenants. `SystemGrants` is what the register
registers with the platform's grant hook (`kzai.core.grants`) in `RegistryConfig.ready()`.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from guardian.models import UserObjectPermission
from guardian.shortcuts import assign_perm, remove_perm

from kzai.activity.services import activity_record_permission
from registry.models import AISystem

VIEW_SYSTEM_PERMISSION = "registry.view_aisystem"


def granted_system_ids(membership):
    """Ids of the systems in the membership's organization that its user was granted."""
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


def system_grants_set(*, membership, systems) -> list[int]:
    """Make `systems` exactly the set of systems the member is granted, and record the change.

    Only systems of the membership's organization can be granted; the caller passes them through
    the tenant-scoped path. The change is written to the activity log on the membership.
    """
    systems = list(systems)
    if any(system.organization_id != membership.organization_id for system in systems):
        raise ValueError("Systems of another organization cannot be granted.")
    with transaction.atomic():
        before = set(granted_system_ids(membership))
        after = {system.pk for system in systems}
        by_pk = {system.pk: system for system in systems}
        for pk in after - before:
            grant_system_view(membership.user, by_pk[pk])
        for system in AISystem.objects.filter(pk__in=before - after):
            revoke_system_view(membership.user, system)
        if before != after:
            codes = dict(AISystem.objects.filter(pk__in=before | after).values_list("pk", "code"))
            activity_record_permission(
                instance=membership,
                changes={
                    "granted_systems": [sorted(codes[pk] for pk in before), sorted(codes[pk] for pk in after)]
                },
            )
    return sorted(after)


class SystemGrants:
    """The register's answer to the platform's grant hook: auditors are granted AI systems."""

    def granted_ids(self, membership):
        return granted_system_ids(membership)

    def grantable(self, acting):
        return AISystem.objects.restrict(acting)

    def choices(self, acting):
        return AISystem.objects.restrict(acting).active().only("pk", "code", "name").order_by("code")

    def grants_set(self, *, membership, objects):
        return system_grants_set(membership=membership, systems=objects)
