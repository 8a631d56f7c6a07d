from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from kzai.accounts import services
from kzai.accounts.api.serializers import InvitationSerializer, MembershipSerializer, MeSerializer
from kzai.accounts.models import Invitation, Membership
from kzai.core.api.viewsets import TenantViewSetMixin
from kzai.core.roles import Action


class MeView(TenantViewSetMixin, APIView):
    """Who the token or session acts as: user, organization, role and allowed actions."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(MeSerializer.for_membership(self.membership)).data)


class MembershipViewSet(
    TenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Members of the organization. Administrators change roles (PATCH) and remove access (DELETE)."""

    queryset = Membership.objects.select_related("user")
    serializer_class = MembershipSerializer
    required_actions = {
        "update": Action.MANAGE_MEMBERS,
        "partial_update": Action.MANAGE_MEMBERS,
        "destroy": Action.MANAGE_MEMBERS,
    }
    filterset_fields = ["role", "is_active"]
    search_fields = ["user__email", "user__full_name"]
    ordering_fields = ["created_at", "role"]

    def get_queryset(self):
        # Memberships are not TenantModels (they *are* the tenancy): scope them here, by organization.
        membership = self.membership
        if membership is None or not membership.allows(Action.VIEW):
            return Membership.objects.none()
        return self.queryset.filter(organization_id=membership.organization_id)

    def perform_update(self, serializer):
        from django.core.exceptions import ValidationError

        target = serializer.instance
        role = serializer.validated_data.get("role", target.role)
        if (
            target.role == "admin"
            and role != "admin"
            and not Membership.objects.active()
            .filter(organization_id=target.organization_id, role="admin")
            .exclude(pk=target.pk)
            .exists()
        ):
            raise ValidationError({"role": ["An organization needs at least one active administrator."]})
        services.membership_set(user=target.user, organization=target.organization, role=role)

    def perform_destroy(self, instance):
        services.membership_deactivate(membership=instance)


class InvitationViewSet(
    TenantViewSetMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Invitations by e-mail with a role; only administrators see and send them."""

    queryset = Invitation.objects.all()
    serializer_class = InvitationSerializer
    required_actions = {"list": Action.MANAGE_MEMBERS, "create": Action.MANAGE_MEMBERS}

    def get_queryset(self):
        return Invitation.objects.filter(organization_id=self.membership.organization_id)

    def perform_create(self, serializer):
        with transaction.atomic():
            serializer.instance = services.invitation_create(
                organization=self.organization,
                email=serializer.validated_data["email"],
                role=serializer.validated_data["role"],
                invited_by=self.request.user,
            )
