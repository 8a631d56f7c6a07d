"""REST endpoints: classify, approve, screen, obligations (list, update, evidence, matrix), library."""

from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from kzai.core.api.filters import TenantFilterBackend
from kzai.core.api.viewsets import TenantViewSetMixin
from kzai.core.roles import Action
from risk import selectors
from risk.api import serializers as s
from risk.filtersets import (
    ClassificationFilterSet,
    ContradictionFilterSet,
    MatrixFilterSet,
    ObligationFilterSet,
    ScreeningFilterSet,
)
from risk.fines.selectors import organization_exposure, systems_exposure
from risk.models import Classification, Contradiction, Obligation, RequirementLibraryVersion, Screening
from risk.services import adoption as adoption_services
from risk.services import classification as classification_services
from risk.services import contradictions as contradiction_services
from risk.services import library as library_services
from risk.services import obligations as obligation_services
from risk.services.library import LIBRARY_ACTION
from risk.services.screening import screening_record


class ClassificationViewSet(
    TenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Classifications of AI systems (Art. 17(1)–(2)).

    POST answers the questionnaire and returns a draft with the suggested risk and autonomy levels,
    the rationale and the obligations it would derive; PATCH changes a draft; `approve` makes it the
    system's current classification.
    """

    queryset = Classification.objects.select_related(
        "system", "library_version", "prepared_by__user", "approved_by__user"
    ).prefetch_related(
        Prefetch(
            "contradictions",
            queryset=Contradiction.objects.filter(is_open=True).select_related(
                "system", "explained_by__user"
            ),
            to_attr="open_contradictions",
        )
    )
    serializer_class = s.ClassificationSerializer
    filter_backends = [TenantFilterBackend]
    filterset_class = ClassificationFilterSet
    required_actions = {"approve": Action.APPROVE}
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["with_obligations"] = self.action != "list"
        return context

    @extend_schema(request=s.ClassificationWriteSerializer, responses={201: s.ClassificationSerializer})
    def create(self, request, *args, **kwargs):
        write = s.ClassificationWriteSerializer(data=request.data, context=self.get_serializer_context())
        write.is_valid(raise_exception=True)
        with transaction.atomic():
            classification = classification_services.classification_create(
                membership=self.membership, **write.validated_data
            )
        return Response(self.get_serializer(classification).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ClassificationWriteSerializer, responses=s.ClassificationSerializer)
    def partial_update(self, request, *args, **kwargs):
        classification = self.get_object()
        write = s.ClassificationWriteSerializer(
            data=request.data, partial=True, context=self.get_serializer_context()
        )
        write.is_valid(raise_exception=True)
        changes = {key: value for key, value in write.validated_data.items() if key in request.data}
        with transaction.atomic():
            classification = classification_services.classification_update(
                classification=classification, membership=self.membership, **changes
            )
        return Response(self.get_serializer(classification).data)

    @extend_schema(request=s.ExplanationSerializer, responses=s.ClassificationSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve a draft: writes the system's risk level and autonomy and re-derives its obligations.
        Answers that contradict the register need an `explanation` (400 without one)."""
        classification = self.get_object()
        write = s.ExplanationSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        with transaction.atomic():
            classification_services.classification_approve(
                classification=classification,
                membership=self.membership,
                explanation=write.validated_data["explanation"],
            )
        return Response(self.get_serializer(self.get_object()).data)


class ScreeningViewSet(
    TenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Banned-practice screenings (Art. 17(3)). A capability present without a valid exception marks
    the system prohibited; `reasons` says why."""

    queryset = Screening.objects.select_related(
        "system", "library_version", "performed_by__user"
    ).prefetch_related(
        Prefetch(
            "contradictions",
            queryset=Contradiction.objects.filter(is_open=True).select_related(
                "system", "screening__library_version", "explained_by__user"
            ),
            to_attr="open_contradictions",
        )
    )
    serializer_class = s.ScreeningSerializer
    filter_backends = [TenantFilterBackend]
    filterset_class = ScreeningFilterSet

    @extend_schema(request=s.ScreeningWriteSerializer, responses={201: s.ScreeningSerializer})
    def create(self, request, *args, **kwargs):
        write = s.ScreeningWriteSerializer(data=request.data, context=self.get_serializer_context())
        write.is_valid(raise_exception=True)
        with transaction.atomic():
            screening = screening_record(membership=self.membership, **write.validated_data)
        screening = self.get_queryset().get(pk=screening.pk)
        return Response(self.get_serializer(screening).data, status=status.HTTP_201_CREATED)


class ContradictionViewSet(
    TenantViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Contradictions between the register and a system's banned-practice screen or classification
    (the register says the system recognises emotions, the screen says no). An open one without an
    explanation flags the system (`has_contradictions`, filter `contradictions=true` on the systems
    list); `explain` records why they differ, kept with the member's name."""

    queryset = Contradiction.objects.select_related(
        "system", "screening__library_version", "classification", "explained_by__user"
    )
    serializer_class = s.ContradictionSerializer
    filter_backends = [TenantFilterBackend]
    filterset_class = ContradictionFilterSet
    required_actions = {"explain": contradiction_services.EXPLAIN_ACTION}

    @extend_schema(request=s.ExplanationSerializer, responses=s.ContradictionSerializer)
    @action(detail=True, methods=["post"])
    def explain(self, request, pk=None):
        """Record why the register fact and the answer differ; the system's flag clears once every
        open contradiction is explained, and its obligations no longer read the stricter answer."""
        contradiction = self.get_object()
        write = s.ExplanationSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        with transaction.atomic():
            contradiction = contradiction_services.contradiction_explain(
                contradiction=contradiction,
                membership=self.membership,
                explanation=write.validated_data["explanation"],
            )
        return Response(self.get_serializer(self.get_object()).data)


class ObligationViewSet(
    TenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Obligations of AI systems, derived from the requirements library and kept in step with the
    facts. PATCH changes status, responsible member, due date, notes or the reason it does not apply."""

    # In the order of an index (organization, system, code): a page is read from the index, never
    # by sorting every obligation of the organization; evidence is counted for the page only.
    queryset = Obligation.objects.select_related(
        "system", "requirement", "responsible__user", "library_version", "withdrawn_by_version"
    ).order_by("system_id", "code")
    serializer_class = s.ObligationSerializer
    filter_backends = [TenantFilterBackend]
    filterset_class = ObligationFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]
    required_actions = {"evidence": Action.CHANGE}

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("evidence__added_by__user")
        return queryset

    def get_serializer_class(self):
        return s.ObligationDetailSerializer if self.action == "retrieve" else s.ObligationSerializer

    def list(self, request, *args, **kwargs):
        # Column values, not model instances and serializer fields for every row (ObligationListRows).
        # Only the system and the responsible member's user are joined: the seven joined tables of
        # the detail's read cost PostgreSQL ~7 ms of planning per request (three: under 1 ms).
        obligations = self.filter_queryset(self.get_queryset()).select_related(None)
        rows = obligations.values(*s.ObligationListRows.columns())
        if self.paginator is not None and ObligationFilterSet.names_none(request.query_params):
            # Every obligation of the organization (~126,000 at 10,000 systems): the page's count is
            # the one cached with the score, as on the obligations page.
            self.paginator.known_count = selectors.obligation_list_count(self.membership, obligations)
        page = self.paginate_queryset(rows)
        if page is None:  # no pagination
            return Response(s.ObligationListRows.data(list(rows)))
        return self.get_paginated_response(s.ObligationListRows.data(page))

    def perform_update(self, serializer):
        data = serializer.validated_data
        kwargs = {key: data[key] for key in ("status", "notes", "not_applicable_reason") if key in data}
        for key in ("responsible", "due_on"):
            if key in data:
                kwargs[key] = data[key]
        with transaction.atomic():
            serializer.instance = obligation_services.obligation_update(
                obligation=serializer.instance, membership=self.membership, **kwargs
            )

    @extend_schema(request=s.ObligationEvidenceSerializer, responses={201: s.ObligationEvidenceSerializer})
    @action(detail=True, methods=["post"])
    def evidence(self, request, pk=None):
        """Link evidence (a URL or a free reference) to the obligation."""
        obligation = self.get_object()
        write = s.ObligationEvidenceSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        with transaction.atomic():
            evidence = obligation_services.obligation_evidence_add(
                obligation=obligation, membership=self.membership, **write.validated_data
            )
        return Response(s.ObligationEvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            OpenApiParameter("risk_level", str, description=str(_("Risk level of the systems shown"))),
            OpenApiParameter("sector", str),
            OpenApiParameter("lifecycle_stage", str),
            OpenApiParameter("classification_stale", bool),
            OpenApiParameter("is_prohibited", bool),
            OpenApiParameter(
                "contradictions", bool, description=str(_("Contradicts its screen or classification"))
            ),
            OpenApiParameter("q", str, description=str(_("Search systems by name or code"))),
            OpenApiParameter("code", str, description=str(_("Comma-separated requirement ids (columns)"))),
            OpenApiParameter("status", str, description=str(_("Show only cells with this status"))),
            OpenApiParameter("page", int),
        ],
        responses=s.MatrixSerializer,
    )
    @action(detail=False, methods=["get"], filter_backends=[])
    def matrix(self, request):
        """Systems × obligations of the organization, with each system's and the organization's score."""
        systems = MatrixFilterSet(
            request.query_params, queryset=selectors.systems_for(self.membership), request=request
        ).qs
        page = Paginator(systems.order_by("name", "id"), 50).get_page(request.query_params.get("page"))
        codes = [c.strip() for c in request.query_params.get("code", "").split(",") if c.strip()]
        grid = selectors.matrix(
            self.membership, page.object_list, codes=codes, status=request.query_params.get("status", "")
        )
        exposures = systems_exposure(self.membership, page.object_list)
        url = request.build_absolute_uri

        def link(number):
            query = request.query_params.copy()
            query["page"] = number
            return url(f"?{query.urlencode()}")

        data = {
            "requirements": [
                {"code": code, "title": grid.titles[code].title_text, "citation": grid.titles[code].citation}
                for code in grid.codes
            ],
            "organization_score": grid.organization_score,
            "organization_fines_exposure": organization_exposure(self.membership),
            "count": page.paginator.count,
            "next": link(page.next_page_number()) if page.has_next() else None,
            "previous": link(page.previous_page_number()) if page.has_previous() else None,
            "results": [
                {
                    "system": row.system,
                    "score": row.score,
                    "fines_exposure_kzt": exposures[row.system.pk].first_kzt,
                    "cells": {c: (o.status if o else None) for c, o in row.cells.items()},
                }
                for row in grid.rows
            ],
        }
        return Response(s.MatrixSerializer(data).data)


class LibraryVersionViewSet(TenantViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Versions of the requirements library (the law as data). Shared by every organization; each
    organization previews a version's effect on its systems and adopts it (administrators only)."""

    queryset = RequirementLibraryVersion.objects.annotate(requirement_total=Count("requirements")).order_by(
        "-loaded_at", "-id"
    )
    serializer_class = s.LibraryVersionSerializer
    filter_backends = []
    required_actions = {"apply": LIBRARY_ACTION, "preview": Action.VIEW}

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("requirements")
        return queryset

    def get_serializer_class(self):
        return s.LibraryVersionDetailSerializer if self.action == "retrieve" else s.LibraryVersionSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.request.user.is_authenticated and self.membership is not None:
            context["adopted_version_id"] = library_services.library_version_for(self.organization).pk
        return context

    @extend_schema(request=None, responses=s.UpgradePreviewSerializer)
    @action(detail=True, methods=["get"])
    def preview(self, request, pk=None):
        """What adopting this version would change: every requirement added, removed or changed, field
        by field, with the systems and obligations each change touches (those of the organization the
        caller may see), and which systems gain or lose which obligations."""
        version = self.get_object()
        preview = selectors.library_upgrade_preview(
            organization=self.organization, version=version, membership=self.membership
        )
        return Response(s.UpgradePreviewSerializer(preview).data)

    @extend_schema(request=None, responses=s.LibraryAdoptionSerializer)
    @action(detail=True, methods=["post"])
    def apply(self, request, pk=None):
        """Adopt this version for the organization: obligations are re-derived, nothing is deleted."""
        version = get_object_or_404(self.get_queryset(), pk=pk)
        with transaction.atomic():
            adoption = adoption_services.library_apply(
                organization=self.organization, version=version, membership=self.membership
            )
        return Response(s.LibraryAdoptionSerializer(adoption).data)
