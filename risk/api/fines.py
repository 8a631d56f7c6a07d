"""Fines exposure in the API: each exposed system's exposure, and the organization's total."""

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.response import Response

from kzai.core.api.viewsets import TenantViewSetMixin
from registry.models import AISystem
from risk import selectors
from risk.api.serializers import ExposureSerializer, SystemExposureSerializer
from risk.fines.selectors import exposed_system_ids, organization_exposure, system_exposure, systems_exposure


class FinesExposureViewSet(TenantViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Systems with open obligations that risk a fine under Art. 641-1, with their exposure; the list
    also carries the organization's total (as far as the caller may see)."""

    queryset = AISystem.objects.all()
    serializer_class = SystemExposureSerializer

    def get_queryset(self):
        return selectors.systems_for(self.membership).order_by("name", "id")

    @extend_schema(
        responses=SystemExposureSerializer(many=True),
        summary="List the AI systems exposed to a fine, with the organization's total",
    )
    def list(self, request, *args, **kwargs):
        systems = self.get_queryset().filter(pk__in=exposed_system_ids(self.membership))
        page = self.paginate_queryset(systems)
        by_system = systems_exposure(self.membership, page)
        rows = [{"system": system, "exposure": by_system[system.pk]} for system in page]
        response = self.get_paginated_response(SystemExposureSerializer(rows, many=True).data)
        response.data["organization"] = ExposureSerializer(organization_exposure(self.membership)).data
        return response

    @extend_schema(summary="Get one AI system's fines exposure")
    def retrieve(self, request, *args, **kwargs):
        system = self.get_object()
        return Response(
            SystemExposureSerializer(
                {"system": system, "exposure": system_exposure(self.membership, system)}
            ).data
        )
