from kzai.activity.context import acting_as


class ActivityContextMiddleware:
    """Opens an activity context per request, attributed to the signed-in user; records the
    exports the request answered with (responses marked by `kzai.core.spreadsheets.mark_export`,
    which every export goes through) in the organization's activity log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user if getattr(request, "user", None) and request.user.is_authenticated else None
        source = "api" if request.path.startswith("/api/") else "web"
        request_id = request.headers.get("X-Request-ID", "")[:64] or None
        with acting_as(user, source=source, request_id=request_id) as context:
            request.activity_context = context
            response = self.get_response(request)
            export = getattr(response, "kzai_export", None)
            membership = getattr(request, "membership", None)
            if export and membership is not None and 200 <= response.status_code < 300:
                _record_export(request, membership, export)
        response["X-Request-ID"] = context.request_id
        return response


def _record_export(request, membership, export: dict) -> None:
    from kzai.activity.models import ActivityAction
    from kzai.activity.services import activity_record_event

    activity_record_event(
        instance=membership,
        action=ActivityAction.EXPORT,
        details={"format": export["format"].upper(), "file": export["file"], "page": request.path},
        actor=membership.user,
    )
