from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from kzai.accounts import services
from kzai.accounts.api.serializers import InvitationSerializer, MembershipSerializer, MeSerializer
from kzai.accounts.models import Invitation, Membership
from kzai.accounts.selectors import other_active_admins
from kzai.core.api.viewsets import TenantViewSetMixin
from kzai.core.filters import MAX_ID
from kzai.core.grants import grantable_objects
from kzai.core.roles import OBJECT_SCOPED_ROLES, Action


class SystemGrantsSerializer(serializers.Serializer):
    systems = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        help_text="Ids of the AI systems the auditor may see.",
    )


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

    def perform_update(self, serializer):
        target = serializer.instance
        role = serializer.validated_data.get("role", target.role)
        if target.role == "admin" and role != "admin" and not other_active_admins(target).exists():
            raise ValidationError({"role": ["An organization needs at least one active administrator."]})
        services.membership_set(user=target.user, organization=target.organization, role=role)

    def perform_destroy(self, instance):
        services.membership_deactivate(membership=instance)

    def required_action(self, request):
        if getattr(self, "action", None) == "systems" and request.method != "GET":
            return Action.MANAGE_MEMBERS
        return super().required_action(request)

    @extend_schema(request=SystemGrantsSerializer, responses=SystemGrantsSerializer)
    @action(detail=True, methods=["get", "put"])
    def systems(self, request, pk=None):
        """The AI systems an auditor may see (object-level grants). PUT replaces the whole set."""
        grants = grantable_objects()
        member = self.get_object()
        if request.method == "GET":
            return Response({"systems": sorted(grants.granted_ids(member))})
        if member.role not in OBJECT_SCOPED_ROLES:
            raise serializers.ValidationError(
                {"systems": [_("Only auditors are limited to chosen systems; other roles see all.")]}
            )
        body = SystemGrantsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        wanted = set(body.validated_data["systems"])
        systems = list(grants.grantable(self.membership).filter(pk__in=wanted))
        unknown = wanted - {system.pk for system in systems}
        if unknown:
            raise serializers.ValidationError(
                {
                    "systems": [
                        _("Unknown AI systems: %(ids)s.") % {"ids": ", ".join(map(str, sorted(unknown)))}
                    ]
                }
            )
        return Response({"systems": grants.grants_set(membership=member, objects=systems)})


class InvitationViewSet(
    TenantViewSetMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Invitations by e-mail with a role; only administrators see and send them."""

    queryset = Invitation.objects.order_by("-created_at")
    serializer_class = InvitationSerializer
    required_actions = {"list": Action.MANAGE_MEMBERS, "create": Action.MANAGE_MEMBERS}

    def get_queryset(self):
        return self.queryset.restrict(self.membership)

    def perform_create(self, serializer):
        with transaction.atomic():
            serializer.instance = services.invitation_create(
                organization=self.organization,
                email=serializer.validated_data["email"],
                role=serializer.validated_data["role"],
                invited_by=self.request.user,
            )
