from kzai.activity.context import acting_as


class ActivityContextMiddleware:
    """Opens an activity context per request, attributed to the signed-in user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user if getattr(request, "user", None) and request.user.is_authenticated else None
        source = "api" if request.path.startswith("/api/") else "web"
        request_id = request.headers.get("X-Request-ID", "")[:64] or None
        with acting_as(user, source=source, request_id=request_id) as context:
            request.activity_context = context
            response = self.get_response(request)
        response["X-Request-ID"] = context.request_id
        return response
