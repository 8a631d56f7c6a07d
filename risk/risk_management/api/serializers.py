"""Serializers of the risk register and reviews. They validate shape; the services decide and write."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kzai.accounts.models import Membership
from kzai.core.api.fields import TenantRelatedField
from registry.models import AISystem
from risk.models import Measure, Review, ReviewItem, ReviewSchedule, Risk
from risk.risk_management import services
from risk.risk_management.choices import ReviewItemOutcome, ReviewStatus, ScoreBand


def _members():
    return TenantRelatedField(model=Membership, required=False, allow_null=True)


class RiskSerializer(serializers.ModelSerializer):
    system = TenantRelatedField(model=AISystem)
    owner = _members()
    inherent_band = serializers.ChoiceField(choices=ScoreBand.choices, read_only=True)
    residual_band = serializers.ChoiceField(choices=ScoreBand.choices, read_only=True, allow_null=True)
    likelihood = serializers.IntegerField(min_value=1, max_value=5)
    severity = serializers.IntegerField(min_value=1, max_value=5)
    residual_likelihood = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True)
    residual_severity = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True)

    class Meta:
        model = Risk
        fields = [
            "id",
            "system",
            "title",
            "description",
            "category",
            "origin",
            "likelihood",
            "severity",
            "inherent_score",
            "inherent_band",
            "residual_likelihood",
            "residual_severity",
            "residual_score",
            "residual_band",
            "owner",
            "status",
            "catalogue_key",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["inherent_score", "residual_score", "catalogue_key", "created_at", "updated_at"]

    def validate_system(self, value):
        if self.instance is not None and value != self.instance.system:
            raise serializers.ValidationError("A risk cannot move to another AI system.")
        return value

    def create(self, validated_data):
        validated_data.pop("organization", None)
        return services.risk_create(**validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("system", None)
        return services.risk_update(risk=instance, **validated_data)


class MeasureSerializer(serializers.ModelSerializer):
    system = TenantRelatedField(model=AISystem)
    owner = _members()
    risks = TenantRelatedField(model=Risk, many=True)

    class Meta:
        model = Measure
        fields = [
            "id",
            "system",
            "title",
            "description",
            "kind",
            "risks",
            "owner",
            "due_on",
            "status",
            "evidence",
            "evidence_url",
            "catalogue_key",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["catalogue_key", "created_at", "updated_at"]

    def validate_system(self, value):
        if self.instance is not None and value != self.instance.system:
            raise serializers.ValidationError("A measure cannot move to another AI system.")
        return value

    def create(self, validated_data):
        validated_data.pop("organization", None)
        return services.measure_create(**validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("system", None)
        risks = validated_data.pop("risks", None)
        return services.measure_update(measure=instance, risks=risks, **validated_data)


class CatalogueRiskSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    category = serializers.CharField()
    origin = serializers.CharField()
    likelihood = serializers.IntegerField()
    severity = serializers.IntegerField()
    measures = serializers.ListField(
        child=serializers.CharField(), help_text="Keys of the suggested measures."
    )
    reference = serializers.DictField(
        child=serializers.CharField(allow_null=True), help_text="text and level"
    )


class FromCatalogueSerializer(serializers.Serializer):
    system = TenantRelatedField(model=AISystem)
    risk_keys = serializers.ListField(child=serializers.CharField(), allow_empty=False)
    owner = _members()


class ReviewItemSerializer(serializers.ModelSerializer):
    outcome = serializers.ChoiceField(choices=ReviewItemOutcome.choices)

    class Meta:
        model = ReviewItem
        fields = [
            "id",
            "review",
            "kind",
            "risk",
            "measure",
            "label",
            "outcome",
            "note",
            "reviewed_by",
            "updated_at",
        ]
        read_only_fields = ["review", "kind", "risk", "measure", "label", "reviewed_by", "updated_at"]

    def update(self, instance, validated_data):
        return services.review_item_record(
            item=instance,
            outcome=validated_data.get("outcome", instance.outcome),
            note=validated_data.get("note", instance.note),
            membership=self.context["membership"],
        )


class ReviewSerializer(serializers.ModelSerializer):
    system = TenantRelatedField(model=AISystem)
    effective_status = serializers.ChoiceField(
        choices=ReviewStatus.choices,
        read_only=True,
        help_text="The status, or overdue when past its due date.",
    )
    items = ReviewItemSerializer(many=True, read_only=True)
    snapshot = serializers.SerializerMethodField(
        help_text="The risk register frozen at sign-off (null before)."
    )
    due_on = serializers.DateField(required=False)

    class Meta:
        model = Review
        fields = [
            "id",
            "system",
            "due_on",
            "status",
            "effective_status",
            "started_at",
            "completed_at",
            "completed_on",
            "signed_off_by",
            "summary",
            "items",
            "snapshot",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "status",
            "started_at",
            "completed_at",
            "completed_on",
            "signed_off_by",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field({"type": "object", "nullable": True})
    def get_snapshot(self, obj):
        return obj.snapshot

    def create(self, validated_data):
        return services.review_create(system=validated_data["system"], due_on=validated_data.get("due_on"))

    def update(self, instance, validated_data):
        if instance.is_completed:
            raise ValidationError("This review was signed off; a completed review cannot be changed.")
        if "system" in validated_data and validated_data["system"] != instance.system:
            raise serializers.ValidationError({"system": "A review cannot move to another AI system."})
        instance.summary = validated_data.get("summary", instance.summary)
        instance.due_on = validated_data.get("due_on", instance.due_on)
        instance.full_clean()
        instance.save()
        return instance


class SignOffSerializer(serializers.Serializer):
    summary = serializers.CharField()


class ReviewScheduleSerializer(serializers.ModelSerializer):
    reviewer = _members()
    interval_months = serializers.IntegerField(
        help_text="1 to 12: the law requires a review at least yearly."
    )

    class Meta:
        model = ReviewSchedule
        fields = [
            "id",
            "system",
            "interval_months",
            "first_due_on",
            "last_completed_on",
            "next_due_on",
            "reviewer",
        ]
        read_only_fields = ["system", "last_completed_on", "next_due_on"]

    def update(self, instance, validated_data):
        return services.review_schedule_update(
            schedule=instance,
            interval_months=validated_data.get("interval_months", instance.interval_months),
            first_due_on=validated_data.get("first_due_on", instance.first_due_on),
            reviewer=validated_data.get("reviewer", instance.reviewer),
        )
