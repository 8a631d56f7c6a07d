"""REST shapes of the public side. Writes call `registry.public.services`."""

from __future__ import annotations

from rest_framework import serializers

from kzai.accounts.models import Membership
from kzai.core.api.fields import TenantRelatedField
from kzai.core.roles import Action
from registry.models import AISystem
from registry.public import services
from registry.public.models import AgreementAcceptance, AgreementVersion, Objection, PublicPage, Ticket
from risk.models import Risk


def _active(queryset):
    return queryset.filter(archived_at__isnull=True)


class PublicPageSerializer(serializers.ModelSerializer):
    public_url = serializers.SerializerMethodField()

    class Meta:
        model = PublicPage
        fields = ["id", "system", "is_published", "published_at", "public_url", *services.PUBLIC_PAGE_FIELDS]
        read_only_fields = fields

    def get_public_url(self, page) -> str:
        from django.urls import reverse

        return reverse("public:page", args=[page.organization.slug, page.public_slug])


class AgreementVersionSerializer(serializers.ModelSerializer):
    system = TenantRelatedField(AISystem, action=Action.CHANGE, narrow=_active)
    acceptance_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = AgreementVersion
        fields = [
            "id",
            "system",
            "number",
            "effective_on",
            "acceptance_count",
            *services.AGREEMENT_TEXT_FIELDS,
        ]
        read_only_fields = ["id", "number", "acceptance_count"]

    def create(self, validated_data):
        version = services.agreement_version_add(**validated_data)
        version.acceptance_count = 0
        return version


class AgreementAcceptanceSerializer(serializers.ModelSerializer):
    """An end user's acceptance of a version (the version's number, not its id)."""

    system = TenantRelatedField(AISystem, action=Action.ADD)
    version = serializers.IntegerField(min_value=1, source="version.number")
    end_user = serializers.CharField(max_length=200)
    accepted_at = serializers.DateTimeField(required=False)

    class Meta:
        model = AgreementAcceptance
        fields = ["id", "system", "version", "end_user", "accepted_at"]
        read_only_fields = ["id"]

    def create(self, validated_data):
        return services.agreement_accept(
            system=validated_data["system"],
            number=validated_data["version"]["number"],
            end_user=validated_data["end_user"],
            accepted_at=validated_data.get("accepted_at"),
        )


class AcceptanceQuerySerializer(serializers.Serializer):
    system = TenantRelatedField(AISystem)
    end_user = serializers.CharField(max_length=200)


class AcceptanceStatusSerializer(serializers.Serializer):
    accepted = serializers.BooleanField()
    version = serializers.IntegerField(allow_null=True)
    accepted_at = serializers.DateTimeField(allow_null=True)
    current_version = serializers.IntegerField(allow_null=True)
    accepted_current = serializers.BooleanField()


class TicketSerializer(serializers.ModelSerializer):
    """A user report and its triage; only status, severity, assignee and risk are writable."""

    assignee = TenantRelatedField(Membership, allow_null=True, required=False)
    risk = TenantRelatedField(Risk, allow_null=True, required=False)

    class Meta:
        model = Ticket
        fields = [
            "id",
            "system",
            "kind",
            "message",
            "contact_email",
            "received_at",
            "due_on",
            "status",
            "severity",
            "assignee",
            "risk",
            "reply",
            "replied_at",
        ]
        read_only_fields = [
            "id",
            "system",
            "kind",
            "message",
            "contact_email",
            "received_at",
            "due_on",
            "reply",
            "replied_at",
        ]

    def update(self, instance, validated_data):
        return services.ticket_update(ticket=instance, **validated_data)


class TicketReplySerializer(serializers.Serializer):
    reply = serializers.CharField(max_length=5000)


class ObjectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Objection
        fields = [
            "id",
            "system",
            "message",
            "contact_email",
            "received_at",
            "due_on",
            "status",
            "answer",
            "answered_at",
            "answered_by",
        ]
        read_only_fields = fields


class ObjectionAnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=5000)
