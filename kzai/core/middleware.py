"""Security headers that Django's own middleware does not set, and a guard against NUL bytes."""

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _


class SecurityHeadersMiddleware:
    """Permissions-Policy, and X-Frame-Options on every response, static files included.

    It sits before WhiteNoise in MIDDLEWARE (as do SecurityMiddleware and the CSP middleware), so the
    files WhiteNoise answers get the same headers as pages.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        return response


class RejectNulBytesMiddleware:
    """Answers 400 to a query string holding a NUL byte, which no field accepts and PostgreSQL refuses.

    One guard for every page and endpoint instead of one per parameter (`?code=%00` reached the
    database as a string it cannot store).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            message = _("The address holds a NUL character, which no parameter accepts.")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
