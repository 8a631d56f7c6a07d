from rest_framework import serializers

from kzai.accounts.models import Invitation, Membership, Organization, User
from kzai.core.roles import ROLE_ACTIONS, Role


class OrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name", "slug", "bin", "size"]


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email", "full_name"]


class MembershipSerializer(serializers.ModelSerializer):
    user = UserSerializer(read_only=True)
    role = serializers.ChoiceField(choices=Role.choices)

    class Meta:
        model = Membership
        fields = ["id", "user", "role", "is_active", "created_at"]
        read_only_fields = ["id", "user", "is_active", "created_at"]


class MeSerializer(serializers.Serializer):
    user = UserSerializer()
    organization = OrganizationSerializer()
    role = serializers.ChoiceField(choices=Role.choices)
    read_only = serializers.BooleanField()
    allowed_actions = serializers.ListField(child=serializers.CharField())

    @staticmethod
    def for_membership(membership):
        return {
            "user": membership.user,
            "organization": membership.organization,
            "role": membership.role,
            "read_only": bool(getattr(membership, "_read_only", False)),
            "allowed_actions": sorted(a for a in ROLE_ACTIONS[membership.role] if membership.allows(a)),
        }


class InvitationSerializer(serializers.ModelSerializer):
    role = serializers.ChoiceField(choices=Role.choices)

    class Meta:
        model = Invitation
        fields = ["id", "email", "role", "expires_at", "accepted_at", "created_at"]
        read_only_fields = ["id", "expires_at", "accepted_at", "created_at"]
