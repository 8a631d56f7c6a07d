"""Base views for server-rendered pages.

`TenantMixin` is the UI twin of the API's `TenantViewSetMixin`: sign-in required (redirect),
an active membership required, the role must allow the view's `required_action` (403), and
`get_queryset()` reads only through `restrict(membership, action)` (another tenant's object: 404).
"""

import redis
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from kzai.core.roles import METHOD_ACTIONS


class TenantMixin(LoginRequiredMixin):
    required_action: str | None = None
    model = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if request.membership is None:
            return render(request, "core/no_membership.html", status=403)
        if not request.membership.allows(self.get_required_action()):
            raise PermissionDenied(_("Your role in this organization does not allow this action."))
        return super().dispatch(request, *args, **kwargs)

    def get_required_action(self):
        return self.required_action or METHOD_ACTIONS.get(self.request.method, "view")

    @property
    def membership(self):
        return self.request.membership

    @property
    def organization(self):
        return self.request.organization

    def get_queryset(self):
        return self.model.objects.restrict(self.membership, "view")


def apply_validation_error(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form, by field where it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class ServiceFormMixin:
    """For create/update views whose save goes through a service: errors land on the form.

    Subclasses define `perform_save(form)`, which calls the service and returns the object.
    """

    success_message = ""

    def form_valid(self, form):
        try:
            with transaction.atomic():
                self.object = self.perform_save(form)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())


class DashboardView(TenantMixin, TemplateView):
    template_name = "core/dashboard.html"


def healthz(request):
    """200 when the database (and Redis, when configured) answer; 503 naming what failed."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as error:  # noqa: BLE001 - any failure means unhealthy
        checks["database"] = f"error: {error.__class__.__name__}"
    if settings.REDIS_URL:
        try:
            client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
            client.ping()
            checks["redis"] = "ok"
        except Exception as error:  # noqa: BLE001
            checks["redis"] = f"error: {error.__class__.__name__}"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )
