"""`/api/v1/overview/`: the overview's numbers for integrators (a BI board, an intranet widget).

The same `kzai.core.overview.overview_for(membership)` as the page, so the page and the API never
disagree; every `url` is the portal page that lists exactly what a number counts.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from kzai.core.api.viewsets import TenantViewSetMixin
from kzai.core.overview import overview_for


class _AbsoluteUrlField(serializers.CharField):
    def to_representation(self, value):
        request = self.context.get("request")
        return request.build_absolute_uri(value) if request is not None else value


class OverviewTrendPointSerializer(serializers.Serializer):
    day = serializers.DateField()
    percent = serializers.IntegerField(allow_null=True)


class OverviewScoreSerializer(serializers.Serializer):
    percent = serializers.IntegerField(allow_null=True, help_text="Met / applicable obligations, in %.")
    met = serializers.IntegerField()
    applicable = serializers.IntegerField()
    change = serializers.IntegerField(allow_null=True, help_text="Points since the oldest day of the trend.")
    url = _AbsoluteUrlField()
    trend = OverviewTrendPointSerializer(
        many=True, help_text="One point a day, oldest first, the last one today."
    )


class OverviewFigureSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Stable name, e.g. obligations_overdue.")
    label = serializers.CharField(help_text="In the language of the request.")
    value = serializers.IntegerField()
    unit = serializers.SerializerMethodField()
    url = _AbsoluteUrlField(help_text="The portal list of exactly what the value counts.")

    def get_unit(self, figure) -> str:
        return figure.unit or "count"


class OverviewBarSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    value = serializers.IntegerField()
    url = _AbsoluteUrlField()


class OverviewChartSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    bars = OverviewBarSerializer(many=True)


class OverviewOpenItemSerializer(serializers.Serializer):
    kind = serializers.CharField()
    title = serializers.CharField()
    system = serializers.CharField()
    due_on = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()
    url = _AbsoluteUrlField()


class OverviewSerializer(serializers.Serializer):
    score = OverviewScoreSerializer(allow_null=True)
    figures = OverviewFigureSerializer(many=True)
    charts = OverviewChartSerializer(many=True)
    my_items = OverviewOpenItemSerializer(many=True, help_text="The caller's open items, soonest first.")
    first_run = serializers.BooleanField(help_text="True while no AI system is registered (or shared).")


class OverviewView(TenantViewSetMixin, APIView):
    """Where the organization stands, as far as the caller may see: the score and its trend, the
    headline figures, the charts' counts and the caller's own open items."""

    @extend_schema(responses=OverviewSerializer, summary="The organization's overview")
    def get(self, request):
        overview = overview_for(self.membership)
        return Response(OverviewSerializer(overview, context={"request": request}).data)
