"""The base viewset every REST endpoint extends.

It resolves the acting membership (the token's, or the browser session's active organization),
maps the HTTP method (or a named action) to a role action from `kzai.core.roles`, answers 403 when
the role may not, and reads only through `Model.objects.restrict(membership, action)`, so another
organization's objects are simply not found (404). Writes run atomically and are attributed by
the activity log.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from rest_framework import permissions, viewsets

from kzai.accounts.middleware import SESSION_KEY
from kzai.accounts.models import ApiToken
from kzai.accounts.selectors import membership_for
from kzai.core.roles import METHOD_ACTIONS


def request_membership(request):
    """The membership a DRF request acts for, or None."""
    if hasattr(request, "_kzai_membership"):
        return request._kzai_membership
    membership = None
    if isinstance(request.auth, ApiToken):
        membership = request.auth.effective_membership()
    elif request.user and request.user.is_authenticated:
        # Session (browser) calls act in the organization chosen in the switcher.
        django_request = request._request
        membership = getattr(django_request, "membership", None)
        if membership is None:
            membership = membership_for(request.user, django_request.session.get(SESSION_KEY))
    request._kzai_membership = membership
    return membership


class RolePermission(permissions.BasePermission):
    """403 unless the acting membership's role allows the view's action."""

    message = _("Your role in this organization does not allow this action.")

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        membership = request_membership(request)
        if membership is None:
            self.message = _("You are not an active member of any organization.")
            return False
        if getattr(membership, "_read_only", False) and request.method not in permissions.SAFE_METHODS:
            # A read-only token changes nothing at all, not even what `view` covers (marking one's
            # own notifications read): every unsafe method is refused.
            self.message = _("This API token is read-only.")
            return False
        return membership.allows(view.required_action(request))


class TenantViewSetMixin:
    """Tenant scoping for any DRF view or viewset: set `queryset` and, optionally, `required_actions`."""

    permission_classes = [permissions.IsAuthenticated, RolePermission]
    # Every id is a whole number: anything else is not a route (404), never a lookup that fails
    # with a 500 in a custom action using Django's get_object_or_404 (found by schemathesis).
    lookup_value_regex = "[0-9]+"
    # Named viewset actions that need another role action than their HTTP method implies,
    # e.g. {"archive": "delete", "approve": "approve"}.
    required_actions: dict[str, str] = {}

    def required_action(self, request):
        named = getattr(self, "action", None)
        if named in self.required_actions:
            return self.required_actions[named]
        return METHOD_ACTIONS.get(request.method, "view")

    @property
    def membership(self):
        return request_membership(self.request)

    @property
    def organization(self):
        return self.membership.organization

    def get_queryset(self):
        return self.queryset.restrict(self.membership, "view")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["membership"] = self.membership if self.request.user.is_authenticated else None
        return context


class TenantModelViewSet(TenantViewSetMixin, viewsets.ModelViewSet):
    """CRUD with tenant scoping. `perform_create` stamps the organization; writes are atomic."""

    def perform_create(self, serializer):
        with transaction.atomic():
            serializer.save(organization=self.organization)

    def perform_update(self, serializer):
        with transaction.atomic():
            serializer.save()

    def perform_destroy(self, instance):
        with transaction.atomic():
            instance.delete()


class TenantReadOnlyViewSet(TenantViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass
