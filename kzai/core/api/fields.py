"""Serializer fields that keep every reference inside the acting organization.

`TenantRelatedField` is THE way a serializer accepts the id of another object: its queryset is
built per request from the acting membership (`restrict(membership, action)` for tenant models,
active members of the same organization for memberships). An id of another organization, of a
system an auditor was not granted, or of a member who left, fails exactly like an id that does not
exist ("Invalid pk … object does not exist."), so the error reveals nothing about other tenants.

`tests/security/test_related_fields.py` fails for any writable related field of an API serializer
that is not one of these.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kzai.accounts.models import Membership
from kzai.core.roles import Action


def tenant_queryset(model, membership, action: str = Action.VIEW):
    """What `membership` may reference of `model`: its organization's objects, narrowed by role."""
    if membership is None:
        return model._default_manager.none()
    if model is Membership:
        # Only active members of an active account: a member who left cannot be made responsible.
        return Membership.objects.active_in(membership.organization_id)
    return model.objects.restrict(membership, action)


@extend_schema_field(OpenApiTypes.INT)
class TenantRelatedField(serializers.PrimaryKeyRelatedField):
    """A foreign key limited to what the caller's membership may see (another tenant's id: invalid).

    `narrow(queryset)` (optional) narrows further, e.g. to active systems.
    """

    def __init__(self, model=None, *, action: str = Action.VIEW, narrow=None, **kwargs):
        self.model = model
        self.action = action
        self.narrow = narrow
        super().__init__(**kwargs)

    def get_queryset(self):
        queryset = tenant_queryset(self.model, self.context.get("membership"), self.action)
        return self.narrow(queryset) if self.narrow is not None else queryset
