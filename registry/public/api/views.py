"""REST endpoints of the public side, for the officer's tools and the company's own product."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from kzai.core.api.viewsets import TenantViewSetMixin
from registry.public import selectors, services
from registry.public.api.serializers import (
    AcceptanceQuerySerializer,
    AcceptanceStatusSerializer,
    AgreementAcceptanceSerializer,
    AgreementVersionSerializer,
    ObjectionAnswerSerializer,
    ObjectionSerializer,
    PublicPageSerializer,
    TicketReplySerializer,
    TicketSerializer,
)
from registry.public.models import AgreementAcceptance, AgreementVersion, Objection, PublicPage, Ticket


class PublicPageViewSet(TenantViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The organization's public pages (the officer edits and publishes them in the portal)."""

    queryset = PublicPage.objects.all()
    serializer_class = PublicPageSerializer
    filterset_fields = ["system", "is_published"]

    def get_queryset(self):
        return selectors.public_page_list(self.membership).select_related("organization")


class AgreementVersionFilterSet(django_filters.FilterSet):
    class Meta:
        model = AgreementVersion
        fields = ["system", "number"]


class AgreementVersionViewSet(TenantViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Versions of the user agreements, with the number of acceptances of each. Versions are added,
    never edited."""

    queryset = AgreementVersion.objects.all()
    serializer_class = AgreementVersionSerializer
    filterset_class = AgreementVersionFilterSet

    def get_queryset(self):
        return selectors.agreement_version_list(self.membership)


class AgreementAcceptanceFilterSet(django_filters.FilterSet):
    class Meta:
        model = AgreementAcceptance
        fields = ["system", "end_user"]


class AgreementAcceptanceViewSet(TenantViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Record that an end user accepted a version of a system's agreement, and ask whether they did.

    POST `{"system": id, "version": N, "end_user": "pseudonymous id", "accepted_at": ISO time}`
    (repeating the same acceptance returns the first record); GET `status/?system=id&end_user=…`.
    """

    queryset = AgreementAcceptance.objects.all()
    serializer_class = AgreementAcceptanceSerializer
    filterset_class = AgreementAcceptanceFilterSet

    def get_queryset(self):
        return selectors.acceptance_list(self.membership)

    @extend_schema(
        parameters=[
            OpenApiParameter("system", int, required=True),
            OpenApiParameter("end_user", str, required=True),
        ],
        responses=AcceptanceStatusSerializer,
        filters=False,
    )
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def status(self, request):
        """Whether the end user accepted the system's agreement, which version, and whether that is
        the version in effect now."""
        query = AcceptanceQuerySerializer(data=request.query_params, context=self.get_serializer_context())
        query.is_valid(raise_exception=True)
        data = selectors.acceptance_status(
            self.membership, system=query.validated_data["system"], end_user=query.validated_data["end_user"]
        )
        return Response(AcceptanceStatusSerializer(data).data)


class TicketFilterSet(django_filters.FilterSet):
    class Meta:
        model = Ticket
        fields = ["system", "status", "kind", "severity", "assignee"]


class TicketViewSet(TenantViewSetMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """User reports filed on the public pages: triage them (PATCH) and answer the reporter (reply)."""

    queryset = Ticket.objects.all()
    serializer_class = TicketSerializer
    filterset_class = TicketFilterSet
    http_method_names = ["get", "patch", "post", "head", "options"]
    required_actions = {"reply": "change"}

    def get_queryset(self):
        return selectors.ticket_list(self.membership)

    @extend_schema(request=TicketReplySerializer, responses=TicketSerializer)
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        """Send the reply to the reporter's e-mail and record it."""
        ticket = self.get_object()
        serializer = TicketReplySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ticket = services.ticket_reply(ticket=ticket, reply=serializer.validated_data["reply"])
        return Response(TicketSerializer(ticket, context=self.get_serializer_context()).data)


class ObjectionFilterSet(django_filters.FilterSet):
    class Meta:
        model = Objection
        fields = ["system", "status"]


class ObjectionViewSet(TenantViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Objections to automated processing (Personal Data Law Art. 19-1) and their 3-working-day clocks."""

    queryset = Objection.objects.all()
    serializer_class = ObjectionSerializer
    filterset_class = ObjectionFilterSet
    required_actions = {"answer": "change"}

    def get_queryset(self):
        return selectors.objection_list(self.membership)

    @extend_schema(request=ObjectionAnswerSerializer, responses=ObjectionSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        """Send the answer to the person's e-mail and record it."""
        objection = self.get_object()
        serializer = ObjectionAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        objection = services.objection_answer(
            objection=objection, answer=serializer.validated_data["answer"], membership=self.membership
        )
        return Response(ObjectionSerializer(objection, context=self.get_serializer_context()).data)
