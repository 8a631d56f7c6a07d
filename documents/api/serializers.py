"""Serializers of the documents API. They validate shape; the services decide and write."""

from __future__ import annotations

from rest_framework import serializers

from documents import services
from documents.catalogue.loader import catalogue
from documents.choices import DocumentState
from documents.evidence import EVIDENCE_KINDS, evidence_target, kind_of
from documents.models import Document, DocumentVersion, EvidenceLink
from kzai.core.api.fields import TenantRelatedField
from registry.models import AISystem


class DocumentVersionSerializer(serializers.ModelSerializer):
    document = TenantRelatedField(model=Document)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = DocumentVersion
        fields = [
            "id",
            "document",
            "number",
            "original_name",
            "sha256",
            "size",
            "media_type",
            "author",
            "change_note",
            "created_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, obj) -> str:
        from django.urls import reverse

        return reverse("document-version-download", args=[obj.pk])


class VersionUploadSerializer(serializers.Serializer):
    """multipart/form-data: the document, the file and an optional change note."""

    document = TenantRelatedField(model=Document)
    file = serializers.FileField(allow_empty_file=True)
    change_note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class DocumentSerializer(serializers.ModelSerializer):
    systems = TenantRelatedField(model=AISystem, many=True, required=False)
    items = serializers.ListField(child=serializers.CharField(), required=False)
    state = serializers.ChoiceField(choices=DocumentState.choices, read_only=True)
    effective_state = serializers.ChoiceField(choices=DocumentState.choices, read_only=True)
    approved_version = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "title",
            "description",
            "systems",
            "items",
            "state",
            "effective_state",
            "expires_on",
            "approved_at",
            "approved_by",
            "approved_version",
            "passport_of",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["approved_at", "approved_by", "passport_of", "created_at", "updated_at"]

    def validate_items(self, value):
        known = catalogue().items
        unknown = [key for key in value if key not in known]
        if unknown:
            raise serializers.ValidationError(
                f"Unknown documentation items: {', '.join(unknown)}. Known: {', '.join(known)}."
            )
        return value

    def create(self, validated_data):
        return services.document_create(membership=self.context["membership"], **validated_data)

    def update(self, instance, validated_data):
        return services.document_update(
            document=instance, membership=self.context["membership"], **validated_data
        )


class PassportRequestSerializer(serializers.Serializer):
    system = TenantRelatedField(model=AISystem)
    language = serializers.ChoiceField(choices=[("en", "English"), ("ru", "Russian"), ("kk", "Kazakh")])


class PackRequestSerializer(serializers.Serializer):
    system = TenantRelatedField(model=AISystem)


class JobStartedSerializer(serializers.Serializer):
    job = serializers.IntegerField()
    status = serializers.CharField()
    poll_url = serializers.CharField()


class EvidenceLinkSerializer(serializers.ModelSerializer):
    """A document offered as evidence; `kind` and `target_id` name the obligation, measure or item."""

    document = TenantRelatedField(model=Document)
    kind = serializers.ChoiceField(choices=[(k, v[2]) for k, v in EVIDENCE_KINDS.items()])
    target_id = serializers.IntegerField(min_value=1)

    class Meta:
        model = EvidenceLink
        fields = ["id", "document", "kind", "target_id", "note", "added_by", "created_at"]
        read_only_fields = ["added_by", "created_at"]

    def to_representation(self, instance):
        return dict(
            id=instance.pk,
            document=instance.document_id,
            kind=kind_of(instance.target_type),
            target_id=instance.target_id,
            note=instance.note,
            added_by=instance.added_by_id,
            created_at=serializers.DateTimeField().to_representation(instance.created_at),
        )

    def validate(self, attrs):
        membership = self.context["membership"]
        target = evidence_target(kind=attrs["kind"], pk=attrs["target_id"], membership=membership)
        if target is None:
            raise serializers.ValidationError({"target_id": "No such object of this kind within your reach."})
        attrs["target"] = target
        return attrs

    def create(self, validated_data):
        return services.evidence_link_create(
            document=validated_data["document"],
            target=validated_data["target"],
            membership=self.context["membership"],
            note=validated_data.get("note", ""),
        )
