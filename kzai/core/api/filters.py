"""The filter backend of the REST API: django-filter's, with a shortcut for unfiltered lists."""

from django_filters.rest_framework import DjangoFilterBackend

from kzai.core.filtersets import TenantFilterSet


class TenantFilterBackend(DjangoFilterBackend):
    """A request that sets none of the filterset's parameters (most list calls: a page and its size)
    gets the filterset's defaults without building its form (`TenantFilterSet.unfiltered`)."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if (
            filterset_class is not None
            and issubclass(filterset_class, TenantFilterSet)
            and filterset_class.names_none(request.query_params)
        ):
            return filterset_class.unfiltered(queryset, request=request)
        return super().filter_queryset(request, queryset, view)
