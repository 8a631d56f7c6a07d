"""The OpenAPI schema and Swagger UI, public or for signed-in users only (settings.KZAI_API_DOCS_PUBLIC)."""

from django.contrib.auth.views import redirect_to_login
from drf_spectacular.renderers import (
    OpenApiJsonRenderer,
    OpenApiJsonRenderer2,
    OpenApiYamlRenderer,
    OpenApiYamlRenderer2,
)
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import exceptions


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI with its start-up script as a file (no inline script for the CSP to refuse).

    A visitor who must sign in first is sent to the sign-in page rather than shown an error.
    """

    template_name = "core/swagger_ui.html"

    def handle_exception(self, exc):
        if isinstance(exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)):
            return redirect_to_login(self.request.get_full_path())
        return super().handle_exception(exc)


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema: YAML or JSON for tools, plain JSON a browser shows (`?format=json`, or any
    request that accepts HTML). Private unless settings.KZAI_API_DOCS_PUBLIC, as the docs page."""

    # application/json before the OpenAPI media type: a browser displays it instead of downloading.
    renderer_classes = [OpenApiYamlRenderer, OpenApiYamlRenderer2, OpenApiJsonRenderer2, OpenApiJsonRenderer]

    def _wants_html(self, request) -> bool:
        return "text/html" in request.META.get("HTTP_ACCEPT", "")

    def perform_content_negotiation(self, request, force=False):
        if self._wants_html(request) and request.query_params.get("format", "json") == "json":
            return OpenApiJsonRenderer2(), OpenApiJsonRenderer2.media_type
        return super().perform_content_negotiation(request, force)

    def handle_exception(self, exc):
        # A person at a browser is sent to sign in, like the docs page; a tool gets the 401.
        if isinstance(
            exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)
        ) and self._wants_html(self.request):
            return redirect_to_login(self.request.get_full_path())
        return super().handle_exception(exc)
