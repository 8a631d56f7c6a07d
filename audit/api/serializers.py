"""Serializers of the audit API. Writes go through `audit.services`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from audit import services
from audit.choices import Conclusion, CriterionResult, EngagementStatus, FilingStatus
from audit.models import (
    Comment,
    Criterion,
    Engagement,
    EngagementReport,
    EvidenceRequest,
    Finding,
    RemediationAction,
    TrustedListFiling,
)
from documents.models import DocumentVersion
from kzai.accounts.models import Membership
from kzai.core.api.fields import TenantRelatedField
from registry.models import AISystem, Party


class EngagementSerializer(serializers.ModelSerializer):
    systems = TenantRelatedField(model=AISystem, many=True)
    team = TenantRelatedField(model=Membership, many=True, required=False)
    lead_auditor = TenantRelatedField(model=Membership)
    audit_firm = TenantRelatedField(model=Party, required=False, allow_null=True)

    class Meta:
        model = Engagement
        fields = [
            "id",
            "title",
            "engagement_type",
            "systems",
            "audit_firm",
            "lead_auditor",
            "team",
            "scope",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "access_until",
            "status",
            "conclusion",
            "conclusion_text",
            "signed_off_by",
            "signed_off_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "actual_start",
            "actual_end",
            "status",
            "conclusion",
            "conclusion_text",
            "signed_off_by",
            "signed_off_at",
            "created_at",
            "updated_at",
        ]

    def create(self, validated_data):
        organization = validated_data.pop("organization")
        return services.engagement_create(
            organization=organization, membership=self.context["membership"], **validated_data
        )

    def update(self, instance, validated_data):
        return services.engagement_update(
            engagement=instance, membership=self.context["membership"], **validated_data
        )


class TransitionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[EngagementStatus.FIELDWORK, EngagementStatus.REPORTING, EngagementStatus.CANCELLED]
    )


class ConclusionSerializer(serializers.Serializer):
    conclusion = serializers.ChoiceField(choices=Conclusion.choices)
    conclusion_text = serializers.CharField()


class CriterionSerializer(serializers.ModelSerializer):
    engagement = TenantRelatedField(model=Engagement)
    system = TenantRelatedField(model=AISystem, required=False, allow_null=True)
    title_text = serializers.CharField(read_only=True)

    class Meta:
        model = Criterion
        fields = [
            "id",
            "engagement",
            "source",
            "system",
            "obligation",
            "code",
            "title",
            "title_text",
            "description",
            "result",
            "notes",
            "assessed_by",
            "assessed_at",
        ]
        read_only_fields = ["source", "obligation", "code", "assessed_by", "assessed_at"]

    def validate(self, attrs):
        if self.instance is not None:
            unknown = set(attrs) - {"result", "notes"}
            if unknown:
                raise serializers.ValidationError(
                    {name: "Only the result and the notes of a criterion change." for name in unknown}
                )
        elif "title" not in attrs:
            raise serializers.ValidationError({"title": "This field is required."})
        return attrs

    def create(self, validated_data):
        validated_data.pop("organization", None)
        validated_data.pop("result", None)
        validated_data.pop("notes", None)
        return services.criterion_add(membership=self.context["membership"], **validated_data)

    def update(self, instance, validated_data):
        return services.criterion_record(
            criterion=instance,
            membership=self.context["membership"],
            result=validated_data.get("result", instance.result),
            notes=validated_data.get("notes", instance.notes),
        )


class FindingSerializer(serializers.ModelSerializer):
    engagement = TenantRelatedField(model=Engagement)
    criterion = TenantRelatedField(model=Criterion, required=False, allow_null=True)

    class Meta:
        model = Finding
        fields = [
            "id",
            "engagement",
            "criterion",
            "title",
            "severity",
            "description",
            "recommendation",
            "raised_by",
            "created_at",
        ]
        read_only_fields = ["raised_by", "created_at"]

    def create(self, validated_data):
        validated_data.pop("organization", None)
        return services.finding_create(membership=self.context["membership"], **validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("engagement", None)
        return services.finding_update(
            finding=instance, membership=self.context["membership"], **validated_data
        )


class RemediationSerializer(serializers.ModelSerializer):
    finding = TenantRelatedField(model=Finding)
    owner = TenantRelatedField(model=Membership)

    class Meta:
        model = RemediationAction
        fields = [
            "id",
            "finding",
            "description",
            "owner",
            "due_on",
            "status",
            "evidence",
            "verified_by",
            "verified_at",
        ]
        read_only_fields = ["verified_by", "verified_at"]

    def create(self, validated_data):
        validated_data.pop("organization", None)
        validated_data.pop("status", None)
        validated_data.pop("evidence", None)
        return services.remediation_create(membership=self.context["membership"], **validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("finding", None)
        return services.remediation_update(
            action=instance, membership=self.context["membership"], **validated_data
        )


class VerifySerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class EvidenceVersionSerializer(serializers.ModelSerializer):
    """A document version given as evidence: what it is, its SHA-256, and where to download it
    (the download is permission-checked and recorded by the documents app)."""

    document_title = serializers.CharField(source="document.title", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = DocumentVersion
        fields = ["id", "document", "document_title", "number", "original_name", "sha256", "download_url"]
        read_only_fields = fields

    def get_download_url(self, obj) -> str:
        from django.urls import reverse

        return reverse("document-version-download", args=[obj.pk])


class EvidenceRequestSerializer(serializers.ModelSerializer):
    engagement = TenantRelatedField(model=Engagement)
    criterion = TenantRelatedField(model=Criterion, required=False, allow_null=True)
    versions = EvidenceVersionSerializer(many=True, read_only=True)

    class Meta:
        model = EvidenceRequest
        fields = [
            "id",
            "engagement",
            "criterion",
            "request",
            "due_on",
            "status",
            "response",
            "responded_by",
            "responded_at",
            "return_reason",
            "versions",
            "requested_by",
            "created_at",
        ]
        read_only_fields = [
            "status",
            "response",
            "responded_by",
            "responded_at",
            "return_reason",
            "requested_by",
            "created_at",
        ]

    def create(self, validated_data):
        validated_data.pop("organization", None)
        return services.evidence_request_create(membership=self.context["membership"], **validated_data)


class RespondSerializer(serializers.Serializer):
    response = serializers.CharField()
    versions = TenantRelatedField(model=DocumentVersion, many=True, required=False)


class CommentSerializer(serializers.ModelSerializer):
    """A comment on one criterion, evidence request or finding; PATCH corrects its text (author only)."""

    criterion = TenantRelatedField(model=Criterion, required=False, allow_null=True)
    evidence_request = TenantRelatedField(model=EvidenceRequest, required=False, allow_null=True)
    finding = TenantRelatedField(model=Finding, required=False, allow_null=True)
    author_email = serializers.CharField(source="author.user.email", read_only=True)

    class Meta:
        model = Comment
        fields = [
            "id",
            "engagement",
            "criterion",
            "evidence_request",
            "finding",
            "text",
            "author",
            "author_email",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["engagement", "author", "author_email", "created_at", "updated_at"]

    def validate(self, attrs):
        if self.instance is not None:
            unknown = set(attrs) - {"text"}
            if unknown:
                raise serializers.ValidationError(
                    {name: _("Only the text of a comment changes.") for name in unknown}
                )
        return attrs

    def create(self, validated_data):
        validated_data.pop("organization", None)
        return services.comment_add(membership=self.context["membership"], **validated_data)

    def update(self, instance, validated_data):
        return services.comment_update(
            comment=instance, membership=self.context["membership"], text=validated_data["text"]
        )


class ReportRequestSerializer(serializers.Serializer):
    language = serializers.ChoiceField(choices=[("en", "English"), ("ru", "Russian"), ("kk", "Kazakh")])


class EngagementReportSerializer(serializers.ModelSerializer):
    version = EvidenceVersionSerializer(read_only=True)

    class Meta:
        model = EngagementReport
        fields = ["id", "engagement", "language", "issued_at", "version"]
        read_only_fields = fields


class FilingSerializer(serializers.ModelSerializer):
    system = TenantRelatedField(model=AISystem)
    audit_engagement = TenantRelatedField(model=Engagement, required=False, allow_null=True)
    missing = serializers.SerializerMethodField()

    class Meta:
        model = TrustedListFiling
        fields = [
            "id",
            "system",
            "sector_body",
            "application_ready",
            "copyright_document",
            "audit_engagement",
            "status",
            "filed_on",
            "completeness_due_on",
            "complete_on",
            "publication_due_on",
            "published_on",
            "missing",
        ]
        read_only_fields = [
            "status",
            "filed_on",
            "completeness_due_on",
            "complete_on",
            "publication_due_on",
            "published_on",
        ]

    def get_missing(self, obj) -> list[str]:
        return services.filing_missing(obj)

    def create(self, validated_data):
        validated_data.pop("organization", None)
        return services.filing_create(membership=self.context["membership"], **validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("system", None)
        return services.filing_update(
            filing=instance, membership=self.context["membership"], **validated_data
        )


class FilingSubmitSerializer(serializers.Serializer):
    filed_on = serializers.DateField()


class FilingOutcomeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[FilingStatus.COMPLETE, FilingStatus.REFUSED, FilingStatus.PUBLISHED]
    )
    on = serializers.DateField()


RESULT_CHOICES = CriterionResult.choices
