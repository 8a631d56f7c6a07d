"""REST endpoints of the risk register and the annual reviews."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from kzai.core.api.viewsets import TenantModelViewSet, TenantViewSetMixin
from kzai.core.roles import Action
from risk.models import Measure, Review, ReviewItem, ReviewSchedule, Risk
from risk.risk_management import selectors, services
from risk.risk_management.api.serializers import (
    CatalogueRiskSerializer,
    FromCatalogueSerializer,
    MeasureSerializer,
    ReviewItemSerializer,
    ReviewScheduleSerializer,
    ReviewSerializer,
    RiskSerializer,
    SignOffSerializer,
)
from risk.risk_management.catalogue.loader import catalogue
from risk.risk_management.filtersets import (
    MeasureFilterSet,
    ReviewFilterSet,
    ReviewScheduleFilterSet,
    RiskFilterSet,
)


class RiskViewSet(TenantModelViewSet):
    """Risks of the organization's AI systems: likelihood × severity, inherent and residual bands."""

    queryset = Risk.objects.all()
    serializer_class = RiskSerializer
    filterset_class = RiskFilterSet
    ordering_fields = ["inherent_score", "residual_score", "title", "updated_at"]
    search_fields = ["title", "description"]
    required_actions = {"from_catalogue": Action.ADD}

    def get_queryset(self):
        return selectors.risk_list(self.membership)

    def perform_destroy(self, instance):
        services.risk_delete(risk=instance)

    @extend_schema(responses=CatalogueRiskSerializer(many=True), filters=False)
    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def catalogue(self, request):
        """The catalogue of common AI risks (with suggested measures) an officer can pick from."""
        entries = catalogue()
        data = [
            {
                "key": e.key,
                "title": e.text("title"),
                "description": e.text("description"),
                "category": e.category,
                "origin": e.origin,
                "likelihood": e.likelihood,
                "severity": e.severity,
                "measures": list(e.measures),
                # The reference's text in the reader's language, as the page shows it.
                "reference": {**e.reference, "text": str(e.reference["text"])} if e.reference else {},
            }
            for e in entries.risks.values()
        ]
        return Response(data)

    @extend_schema(request=FromCatalogueSerializer, responses={201: RiskSerializer(many=True)})
    @action(
        detail=False,
        methods=["post"],
        url_path="from-catalogue",
        url_name="fromcatalogue",
        filterset_class=None,
    )
    def from_catalogue(self, request):
        """Add catalogue risks (and their suggested measures) to one system."""
        serializer = FromCatalogueSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        risks = services.register_add_from_catalogue(**serializer.validated_data)
        return Response(
            RiskSerializer(risks, many=True, context=self.get_serializer_context()).data, status=201
        )


class MeasureViewSet(TenantModelViewSet):
    """Measures (controls) against risks, with owner, due date (fed to the deadlines), status, evidence."""

    queryset = Measure.objects.all()
    serializer_class = MeasureSerializer
    filterset_class = MeasureFilterSet
    ordering_fields = ["due_on", "title", "status"]
    search_fields = ["title"]

    def get_queryset(self):
        return selectors.measure_list(self.membership)

    def perform_destroy(self, instance):
        services.measure_delete(measure=instance)


class ReviewViewSet(
    TenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Annual risk reviews. POST opens an extra review; `start` creates the walk-through items; the
    officer's `sign-off` completes it and freezes the snapshot. A completed review is read-only (400)."""

    queryset = Review.objects.all()
    serializer_class = ReviewSerializer
    filterset_class = ReviewFilterSet
    ordering_fields = ["due_on", "completed_at"]
    required_actions = {"start": Action.CHANGE, "sign_off": Action.APPROVE}

    def get_queryset(self):
        return selectors.review_list(self.membership).prefetch_related("items")

    @extend_schema(request=None, responses=ReviewSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        review = services.review_start(review=self.get_object(), membership=self.membership)
        return Response(ReviewSerializer(review, context=self.get_serializer_context()).data)

    @extend_schema(request=SignOffSerializer, responses=ReviewSerializer)
    @action(detail=True, methods=["post"], url_path="sign-off", url_name="signoff")
    def sign_off(self, request, pk=None):
        serializer = SignOffSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        review = services.review_sign_off(
            review=self.get_object(), membership=self.membership, summary=serializer.validated_data["summary"]
        )
        return Response(
            ReviewSerializer(review, context=self.get_serializer_context()).data, status=status.HTTP_200_OK
        )


class ReviewItemViewSet(
    TenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """One review's record per risk or measure; PATCH `outcome` and `note` while the review is open."""

    queryset = ReviewItem.objects.all()
    serializer_class = ReviewItemSerializer
    filterset_fields = ["review", "outcome", "kind"]

    def get_queryset(self):
        return ReviewItem.objects.restrict(self.membership).select_related("review")


class ReviewScheduleViewSet(
    TenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Review schedules per system in operation; PATCH shortens the interval (never beyond 12 months)."""

    queryset = ReviewSchedule.objects.all()
    serializer_class = ReviewScheduleSerializer
    filterset_class = ReviewScheduleFilterSet
    ordering_fields = ["next_due_on"]

    def get_queryset(self):
        return selectors.schedule_list(self.membership)
