"""REST endpoints of the documents app."""

from __future__ import annotations

from django.http import FileResponse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from documents import selectors, services
from documents.api.serializers import (
    DocumentSerializer,
    DocumentVersionSerializer,
    EvidenceLinkSerializer,
    JobStartedSerializer,
    PackRequestSerializer,
    PassportRequestSerializer,
    VersionUploadSerializer,
)
from documents.filtersets import DocumentFilterSet
from documents.models import Document, DocumentVersion, EvidenceLink
from kzai.core.api.viewsets import TenantModelViewSet, TenantViewSetMixin
from kzai.core.roles import Action


class DocumentViewSet(TenantModelViewSet):
    """Documents of the organization; `approve` and `supersede` need the approve power."""

    queryset = Document.objects.all()
    serializer_class = DocumentSerializer
    filterset_class = DocumentFilterSet
    ordering_fields = ["title", "expires_on", "updated_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    required_actions = {
        "approve": Action.APPROVE,
        "supersede": Action.APPROVE,
        "passport": Action.ADD,
        "pack": Action.VIEW,
    }

    def get_queryset(self):
        return selectors.document_list(self.membership).order_by("title", "id")

    def perform_create(self, serializer):
        serializer.save()

    def perform_update(self, serializer):
        serializer.save()

    @extend_schema(request=None, responses=DocumentSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def approve(self, request, pk=None):
        """Approve the document's newest version (officers and administrators)."""
        document = services.document_approve(document=self.get_object(), membership=self.membership)
        return Response(self.get_serializer(document).data)

    @extend_schema(request=None, responses=DocumentSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def supersede(self, request, pk=None):
        document = services.document_supersede(document=self.get_object(), membership=self.membership)
        return Response(self.get_serializer(document).data)

    def _start(self, kind, params):
        from django.urls import reverse

        from kzai.jobs.services import job_start

        job = job_start(membership=self.membership, kind=kind, params=params)
        return Response(
            {"job": job.pk, "status": job.status, "poll_url": reverse("job-detail", args=[job.pk])},
            status=202,
        )

    @extend_schema(request=PassportRequestSerializer, responses={202: JobStartedSerializer})
    @action(detail=False, methods=["post"], filterset_class=None, pagination_class=None)
    def passport(self, request):
        """Start rendering a system's technical passport; poll the returned job."""
        from documents.jobs import PASSPORT

        serializer = PassportRequestSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        return self._start(PASSPORT, {"system_id": data["system"].pk, "language": data["language"]})

    @extend_schema(request=PackRequestSerializer, responses={202: JobStartedSerializer})
    @action(detail=False, methods=["post"], filterset_class=None, pagination_class=None)
    def pack(self, request):
        """Start building a system's inspection pack; poll the returned job."""
        from documents.jobs import PACK

        serializer = PackRequestSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return self._start(PACK, {"system_id": serializer.validated_data["system"].pk})


class DocumentVersionViewSet(
    TenantViewSetMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Versions of documents. POST uploads a file (multipart/form-data); `download` sends one."""

    queryset = DocumentVersion.objects.all()
    serializer_class = DocumentVersionSerializer
    filterset_fields = {"document": ["exact"], "document__passport_of": ["exact"]}
    ordering_fields = ["created_at", "number"]

    def get_queryset(self):
        return selectors.version_list(self.membership).order_by("-created_at", "-id")

    # Uploads are multipart/form-data (JSON for the other verbs, e.g. the API's error bodies).
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        request={"multipart/form-data": VersionUploadSerializer}, responses={201: DocumentVersionSerializer}
    )
    def create(self, request, *args, **kwargs):
        upload = VersionUploadSerializer(data=request.data, context=self.get_serializer_context())
        upload.is_valid(raise_exception=True)
        version = services.document_version_add(membership=self.membership, **upload.validated_data)
        return Response(self.get_serializer(version).data, status=201)

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """The file itself; every download is recorded in the activity log."""
        version = self.get_object()
        services.version_download_record(version=version, membership=self.membership)
        return FileResponse(
            version.file.open("rb"),
            as_attachment=True,
            filename=version.original_name,
            content_type=version.media_type,
        )


class EvidenceLinkViewSet(
    TenantViewSetMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Documents offered as evidence for obligations, risk measures and review items."""

    queryset = EvidenceLink.objects.all()
    serializer_class = EvidenceLinkSerializer
    filterset_fields = ["document", "target_id"]
    required_actions = {"create": Action.CHANGE, "destroy": Action.CHANGE}

    def get_queryset(self):
        return (
            EvidenceLink.objects.restrict(self.membership, Action.VIEW)
            .select_related("target_type")
            .order_by("-id")
        )

    def perform_create(self, serializer):
        serializer.save()

    def perform_destroy(self, instance):
        services.evidence_link_delete(link=instance, membership=self.membership)
