"""The OpenAPI schema and Swagger UI, public or for signed-in users only (settings.KZAI_API_DOCS_PUBLIC)."""

from django.contrib.auth.views import redirect_to_login
from drf_spectacular.views import SpectacularSwaggerSplitView
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
