"""Security headers that Django's own middleware does not set."""

from django.conf import settings


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
