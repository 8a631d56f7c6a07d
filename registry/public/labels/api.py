"""REST endpoints of labelling, for the company's backend (signing) and the officer's tools.

- `labels/` — the systems that generate synthetic content, each with the number of labels issued
  (the evidence of marking); `POST labels/<system id>/sign/` signs a label for one result.
- `label-keys/` — the organization's signing keys (public halves); `POST label-keys/rotate/`
  (administrators) retires the active key and makes a new one.
- `consumer-notices/` — the consumer information notice of each system, in kk, ru and en.
- `labels/verify/` — public (no credentials, no cookies): is a label genuine, who issued it, when.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from kzai.core.api.throttling import throttled_response
from kzai.core.api.viewsets import TenantViewSetMixin
from kzai.core.roles import Action
from registry.models import AISystem
from registry.public.labels import marks, selectors, services
from registry.public.labels.models import LabelSigningKey
from registry.public.labels.notice import consumer_notice
from registry.public.models import PUBLIC_LANGUAGES
from registry.public.throttle import over_budget


class LabelledSystemSerializer(serializers.ModelSerializer):
    labels_issued = serializers.IntegerField(read_only=True)
    labels_issued_recent = serializers.IntegerField(read_only=True)
    archived = serializers.SerializerMethodField()

    class Meta:
        model = AISystem
        fields = [
            "id",
            "code",
            "name",
            "synthetic_media",
            "archived",
            "labels_issued",
            "labels_issued_recent",
        ]
        read_only_fields = fields

    def get_archived(self, system) -> bool:
        return system.archived_at is not None


class LabelSignRequestSerializer(serializers.Serializer):
    content_sha256 = serializers.CharField(max_length=64, help_text="SHA-256 of the content, 64 hex digits.")
    media_type = serializers.CharField(max_length=100, help_text="e.g. image/png, text/plain, audio/mpeg.")
    digital_source_type = serializers.ChoiceField(
        choices=marks.DigitalSourceType.choices,
        required=False,
        help_text="IPTC term; the system's default if left out.",
    )
    generated_at = serializers.DateTimeField(help_text="When the result was generated, with a time zone.")


class SignedLabelPayloadSerializer(serializers.Serializer):
    v = serializers.IntegerField()
    ai_generated = serializers.BooleanField()
    label_id = serializers.UUIDField()
    content_sha256 = serializers.CharField()
    media_type = serializers.CharField()
    digital_source_type = serializers.URLField()
    generated_at = serializers.CharField()
    issued_at = serializers.CharField()
    issuer = serializers.DictField(child=serializers.CharField())
    key_id = serializers.CharField()


class SignedLabelSerializer(serializers.Serializer):
    schema = serializers.URLField()
    alg = serializers.CharField()
    key_id = serializers.CharField()
    payload = SignedLabelPayloadSerializer()
    signature = serializers.CharField()
    headers = serializers.DictField(child=serializers.CharField(), help_text="The mark as HTTP headers.")


class LabelViewSet(TenantViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Systems that generate synthetic content, with the labels they issued; sign a label.

    `POST /api/v1/labels/<system id>/sign/` with `content_sha256`, `media_type`, `generated_at` and
    optionally `digital_source_type` returns the signed label (payload, key id, base64url Ed25519
    signature) and its HTTP header form. Another organization's system answers 404.
    """

    queryset = AISystem.objects.all()
    serializer_class = LabelledSystemSerializer
    required_actions = {"sign": Action.ADD}
    filterset_fields = ["code"]

    def get_queryset(self):
        since = timezone.localdate() - datetime.timedelta(days=selectors.RECENT_DAYS - 1)
        return (
            AISystem.objects.restrict(self.membership, Action.VIEW)
            .filter(generates_synthetic_content=True)
            .annotate(
                labels_issued=Coalesce(Sum("label_days__count"), 0),
                labels_issued_recent=Coalesce(
                    Sum("label_days__count", filter=Q(label_days__day__gte=since)), 0
                ),
            )
            .order_by("name", "id")
        )

    @extend_schema(request=LabelSignRequestSerializer, responses={201: SignedLabelSerializer})
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        """Sign a label for one synthetic result of this system with the organization's active key."""
        system = self.get_object()
        data = LabelSignRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        label = services.label_sign(system=system, membership=self.membership, **data.validated_data)
        body = dict(label)
        body["headers"] = marks.header_values(
            source_type=label["payload"]["digital_source_type"].rsplit("/", 1)[-1], label=label
        )
        return Response(body, status=201)


class LabelSigningKeySerializer(serializers.ModelSerializer):
    active = serializers.BooleanField(source="is_active", read_only=True)

    class Meta:
        model = LabelSigningKey
        fields = ["id", "key_id", "public_key", "active", "created_at", "retired_at"]
        read_only_fields = fields


class LabelSigningKeyViewSet(TenantViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The organization's label signing keys (public halves only; private keys never leave the server)."""

    queryset = LabelSigningKey.objects.all()
    serializer_class = LabelSigningKeySerializer
    required_actions = {"rotate": Action.MANAGE_MEMBERS}
    filterset_fields = ["key_id"]

    def get_queryset(self):
        return selectors.signing_key_list(self.membership)

    @extend_schema(request=None, responses={201: LabelSigningKeySerializer})
    @action(detail=False, methods=["post"])
    def rotate(self, request):
        """Retire the active key (it still verifies its labels) and make a new one. Administrators only."""
        key = services.signing_key_rotate(organization=self.organization, membership=self.membership)
        return Response(LabelSigningKeySerializer(key).data, status=201)


class ConsumerNoticeListSerializer(serializers.ModelSerializer):
    class Meta:
        model = AISystem
        fields = ["id", "code", "name", "consumer_facing"]
        read_only_fields = fields


class ConsumerNoticeSerializer(ConsumerNoticeListSerializer):
    notices = serializers.SerializerMethodField()

    class Meta(ConsumerNoticeListSerializer.Meta):
        fields = [*ConsumerNoticeListSerializer.Meta.fields, "notices"]
        read_only_fields = fields

    def get_notices(self, system) -> dict:
        languages = self.context.get("languages") or PUBLIC_LANGUAGES
        return {code: consumer_notice(system, code, site_url=settings.SITE_URL) for code in languages}


@extend_schema_view(
    list=extend_schema(summary="List the systems' consumer information notices"),
    retrieve=extend_schema(summary="Get one system's consumer information notice"),
)
class ConsumerNoticeViewSet(TenantViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The consumer information notice (risks and conditions of safe use) of each active system,
    generated from the register; the detail carries it in kk, ru and en (or `?language=`)."""

    queryset = AISystem.objects.all()
    filterset_fields = ["consumer_facing"]

    def get_queryset(self):
        queryset = AISystem.objects.restrict(self.membership, Action.VIEW).filter(archived_at__isnull=True)
        if self.action == "retrieve":
            queryset = queryset.select_related("organization", "public_page")
        return queryset.order_by("name", "id")

    def get_serializer_class(self):
        return ConsumerNoticeSerializer if self.action == "retrieve" else ConsumerNoticeListSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        language = self.request.query_params.get("language", "")
        if language:
            context["languages"] = [language] if language in PUBLIC_LANGUAGES else []
        return context

    @extend_schema(parameters=[OpenApiParameter("language", str, enum=list(PUBLIC_LANGUAGES))])
    def retrieve(self, request, *args, **kwargs):
        language = request.query_params.get("language", "")
        if language and language not in PUBLIC_LANGUAGES:
            return Response(
                {"language": [_("Choose one of: %(choices)s.") % {"choices": ", ".join(PUBLIC_LANGUAGES)}]},
                status=400,
            )
        return super().retrieve(request, *args, **kwargs)


# -- public verification -----------------------------------------------------------------------------
class LabelVerifyRequestSerializer(serializers.Serializer):
    label = serializers.JSONField(help_text="The label object, or the value of its AI-Label header.")
    content_sha256 = serializers.RegexField(
        r"^[0-9a-fA-F]{64}$", required=False, allow_blank=True, help_text="Optional: the content's SHA-256."
    )

    def validate_label(self, value):
        if isinstance(value, str):
            try:
                return services.label_parse(value)
            except DjangoValidationError as error:
                raise serializers.ValidationError(error.message_dict["label"]) from error
        if not isinstance(value, dict):
            raise serializers.ValidationError(_("A label is a JSON object."))
        return value


class LabelVerificationSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    reason = serializers.CharField()
    organization = serializers.CharField()
    system = serializers.CharField()
    issued_at = serializers.DateTimeField(allow_null=True)
    generated_at = serializers.DateTimeField(allow_null=True)
    media_type = serializers.CharField()
    digital_source_type = serializers.CharField()
    key_id = serializers.CharField()
    key_retired = serializers.BooleanField()


class LabelVerifyView(APIView):
    """Verify a signed label: anyone, without credentials or cookies (so no CSRF to carry). Counted
    against the same per-address budget as the public verification form, besides the API's own."""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = []

    @extend_schema(request=LabelVerifyRequestSerializer, responses=LabelVerificationSerializer, auth=[])
    def post(self, request):
        if over_budget(
            request,
            scope="label-verify",
            limit=services.VERIFICATIONS_PER_ADDRESS,
            window_seconds=services.VERIFY_WINDOW_SECONDS,
        ):
            return throttled_response(services.VERIFY_WINDOW_SECONDS)
        if len(request.body) > services.MAX_LABEL_BYTES * 2:
            return Response({"label": [_("This is too long to be a label.")]}, status=400)
        query = LabelVerifyRequestSerializer(data=request.data)
        query.is_valid(raise_exception=True)
        result = services.label_verify(
            query.validated_data["label"], content_sha256=query.validated_data.get("content_sha256", "")
        )
        return Response(LabelVerificationSerializer(result).data)
