"""REST endpoints of the register. Reads are tenant-scoped by the base viewset; writes call services."""

from django.db import transaction
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from kzai.core.api.filters import TenantFilterBackend
from kzai.core.api.viewsets import TenantModelViewSet
from kzai.core.roles import Action
from kzai.jobs.api.serializers import JobDetailSerializer
from kzai.jobs.services import job_start
from registry import services, transfer
from registry.api import serializers as s
from registry.filtersets import (
    AISystemFilterSet,
    DataLibraryFilterSet,
    DataLibraryUseFilterSet,
    PartyFilterSet,
    SystemComponentFilterSet,
    SystemPartyLinkFilterSet,
    TagFilterSet,
)
from registry.jobs import IMPORT_SYSTEMS
from registry.models import (
    AISystem,
    DataLibrary,
    DataLibraryUse,
    Party,
    SystemComponent,
    SystemPartyLink,
    Tag,
)
from registry.selectors import system_list, tag_list

# Search and ordering are parameters of each FilterSet (`search`, `ordering`), shared with the pages.
FILTER_BACKENDS = [TenantFilterBackend]


class _RegistryViewSet(TenantModelViewSet):
    filter_backends = FILTER_BACKENDS
    http_method_names = ["get", "post", "patch", "put", "delete", "head", "options"]

    def filter_queryset(self, queryset):
        # List filters (including "active only" by default) never hide one object asked for by id.
        if self.detail:
            return queryset
        return super().filter_queryset(queryset)


class AISystemViewSet(_RegistryViewSet):
    """The register of AI systems. Systems are archived (`POST …/archive/`), never deleted.

    Filters cover every register fact; `search` matches name, code, description, purpose and business
    unit; `ordering` accepts the listed fields (prefix `-` for descending). By default only active
    systems are listed (`status=archived` or `status=all` for the others).
    """

    queryset = AISystem.objects.all()
    serializer_class = s.AISystemSerializer
    filterset_class = AISystemFilterSet
    http_method_names = ["get", "post", "patch", "put", "head", "options"]
    required_actions = {
        "archive": Action.DELETE,
        "unarchive": Action.DELETE,
        "import_systems": Action.IMPORT,
    }

    def get_queryset(self):
        return system_list(membership=self.membership)

    def list(self, request, *args, **kwargs):
        # The same scoped, filtered and ordered systems as the serializer would read, but as column
        # values: model instances and serializer fields for every row cost most of the request.
        systems = self.filter_queryset(self.get_queryset()).prefetch_related(None)
        rows = systems.values(*s.AISystemListRows.columns())
        page = self.paginate_queryset(rows)
        if page is None:  # no pagination
            return Response(s.AISystemListRows.data(list(rows)))
        return self.get_paginated_response(s.AISystemListRows.data(page))

    @extend_schema(request=None, responses=s.AISystemSerializer)
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        """Take the system out of the active register; its evidence and history stay."""
        with transaction.atomic():
            system = services.ai_system_archive(system=self.get_object())
        return Response(self.get_serializer(system).data)

    @extend_schema(request=None, responses=s.AISystemSerializer)
    @action(detail=True, methods=["post"])
    def unarchive(self, request, pk=None):
        """Return an archived system to the active register."""
        with transaction.atomic():
            system = services.ai_system_unarchive(system=self.get_object())
        return Response(self.get_serializer(system).data)

    @extend_schema(
        request={"multipart/form-data": s.ImportUploadSerializer},
        responses={202: JobDetailSerializer},
        parameters=[
            OpenApiParameter(
                "dry_run",
                OpenApiTypes.BOOL,
                description="Validate and report without saving anything (default false).",
            )
        ],
        filters=False,
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        url_name="import",
        parser_classes=[MultiPartParser, FormParser],
        filter_backends=[],
        pagination_class=None,
    )
    def import_systems(self, request):
        """Start an import of systems from a CSV/XLSX file (columns as in the template file).

        Answers 202 with a job: poll its `url` (`/api/v1/jobs/{id}/`) until `finished`. A dry run
        ends `succeeded` with every row's errors by column in `result.rows` (`error_count` 0: the
        file would import). An import saves all rows or none: it ends `succeeded` with the ids in
        `result.created`, or `failed` with the rows' errors. A file that cannot be read at all (format,
        encoding, limits, unknown or missing columns) is refused at once with 400 naming the
        problem.
        """
        upload = s.ImportUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        file = upload.validated_data["file"]
        if file.size > transfer.MAX_IMPORT_BYTES:
            raise DRFValidationError({"file": [transfer.too_big_message(file.size)]})
        try:  # the file as a whole (format, encoding, limits, columns) is checked before any job
            transfer.check_file(file)
        except transfer.ImportFileError as error:
            raise DRFValidationError({"file": error.messages})
        dry_run = request.query_params.get("dry_run", "").lower() in ("1", "true", "yes")
        job = job_start(
            membership=self.membership,
            kind=IMPORT_SYSTEMS,
            params={"dry_run": dry_run},
            input_file=file,
            input_name=file.name,
        )
        job.refresh_from_db()  # in-process (demo) the job has already run
        data = JobDetailSerializer(job, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["url"]})


class PartyViewSet(_RegistryViewSet):
    """The party register (counterparties). DELETE removes a party nothing refers to; otherwise archive."""

    queryset = Party.objects.all()
    serializer_class = s.PartySerializer
    filterset_class = PartyFilterSet
    required_actions = {"archive": Action.DELETE, "unarchive": Action.DELETE}

    def perform_destroy(self, instance):
        with transaction.atomic():
            services.party_delete(party=instance)

    @extend_schema(request=None, responses=s.PartySerializer)
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        with transaction.atomic():
            party = services.party_archive(party=self.get_object())
        return Response(self.get_serializer(party).data)

    @extend_schema(request=None, responses=s.PartySerializer)
    @action(detail=True, methods=["post"])
    def unarchive(self, request, pk=None):
        with transaction.atomic():
            party = services.party_unarchive(party=self.get_object())
        return Response(self.get_serializer(party).data)


class SystemPartyLinkViewSet(_RegistryViewSet):
    """Parties' roles around systems, with their contracts."""

    queryset = SystemPartyLink.objects.select_related("party", "system")
    serializer_class = s.SystemPartyLinkSerializer
    filterset_class = SystemPartyLinkFilterSet

    def perform_destroy(self, instance):
        with transaction.atomic():
            services.party_link_delete(link=instance)


class SystemComponentViewSet(_RegistryViewSet):
    """Models and components the systems are built on."""

    queryset = SystemComponent.objects.all()
    serializer_class = s.SystemComponentSerializer
    filterset_class = SystemComponentFilterSet

    def perform_destroy(self, instance):
        with transaction.atomic():
            services.component_delete(component=instance)


class DataLibraryViewSet(_RegistryViewSet):
    """Data libraries: producer, lawful basis, consent, copyright, provenance. Archived, not deleted."""

    queryset = DataLibrary.objects.all()
    serializer_class = s.DataLibrarySerializer
    filterset_class = DataLibraryFilterSet
    http_method_names = ["get", "post", "patch", "put", "head", "options"]
    required_actions = {"archive": Action.DELETE, "unarchive": Action.DELETE}

    @extend_schema(request=None, responses=s.DataLibrarySerializer)
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        with transaction.atomic():
            library = services.data_library_archive(library=self.get_object())
        return Response(self.get_serializer(library).data)

    @extend_schema(request=None, responses=s.DataLibrarySerializer)
    @action(detail=True, methods=["post"])
    def unarchive(self, request, pk=None):
        with transaction.atomic():
            library = services.data_library_unarchive(library=self.get_object())
        return Response(self.get_serializer(library).data)


class DataLibraryUseViewSet(_RegistryViewSet):
    """Which system was trained, tuned or evaluated on which data library."""

    queryset = DataLibraryUse.objects.all()
    serializer_class = s.DataLibraryUseSerializer
    filterset_class = DataLibraryUseFilterSet

    def perform_destroy(self, instance):
        with transaction.atomic():
            services.data_library_use_delete(use=instance)


class TagViewSet(_RegistryViewSet):
    """Tags of the register. Deleting a tag removes it from every system (recorded in their history)."""

    queryset = Tag.objects.all()
    serializer_class = s.TagSerializer
    filterset_class = TagFilterSet

    def get_queryset(self):
        # The count covers only systems the caller may see (an auditor: the granted ones).
        return tag_list(membership=self.membership)

    def perform_destroy(self, instance):
        with transaction.atomic():
            services.tag_delete(tag=instance)
