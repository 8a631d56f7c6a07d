"""Base views for server-rendered pages.

`TenantMixin` is the UI twin of the API's `TenantViewSetMixin`: sign-in required (redirect),
an active membership required, the role must allow the view's `required_action` (403), and
`get_queryset()` reads only through `restrict(membership, action)` (another tenant's object: 404).
`ServiceFormView` and `ServiceDeleteView` are the create/update and delete pages of every app:
the object is read through `restrict`, the write goes through a service inside a transaction, and
a service's ValidationError lands on the form.
"""

import redis
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from kzai.core.overview import overview_for
from kzai.core.roles import METHOD_ACTIONS, Action


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
        # The role was checked against `required_action` in dispatch(); reading is the view action.
        return self.model.objects.restrict(self.membership, Action.VIEW)


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


class ServiceFormView(TenantMixin, ServiceFormMixin, FormView):
    """A create or update page whose save goes through a service.

    The form gets the acting `membership` (a `kzai.core.forms.TenantModelForm` limits its choices
    with it). An update page sets `model`: `get_object()` reads the object from the URL's `pk`
    through `get_queryset()` (`restrict`; another tenant's object: 404) and the form gets it as
    `instance`; a page whose object comes from elsewhere overrides `get_object()`.
    `perform_save(form)` calls the service, by default the form's `save_through_service()`.
    The context carries `title`.
    """

    title = ""
    pk_url_kwarg = "pk"

    def get_object(self):
        """The object the page edits, or None on a create page."""
        if self.model is None or self.pk_url_kwarg not in self.kwargs:
            return None
        if not hasattr(self, "_object"):
            self._object = get_object_or_404(self.get_queryset(), pk=self.kwargs[self.pk_url_kwarg])
        return self._object

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["membership"] = self.membership
        instance = self.get_object()
        if instance is not None:
            kwargs["instance"] = instance
        return kwargs

    def perform_save(self, form):
        return form.save_through_service()

    def get_context_data(self, **kwargs):
        kwargs.setdefault("title", self.title)
        return super().get_context_data(**kwargs)


class ServiceDeleteView(TenantMixin, View):
    """POST: delete one object through a service, then go back with a message.

    `get_object()` reads the object from the URL's `pk` through `get_queryset()` (`restrict`;
    another tenant's object: 404); `perform_delete(obj)` calls the service inside a transaction;
    `get_success_url(obj)` is read before the delete; `success_message` may name `%(object)s`.
    """

    required_action = Action.DELETE
    pk_url_kwarg = "pk"
    success_message = ""

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs[self.pk_url_kwarg])

    def perform_delete(self, obj) -> None:
        raise NotImplementedError

    def get_success_url(self, obj) -> str:
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        success_url = self.get_success_url(obj)
        with transaction.atomic():
            self.perform_delete(obj)
        if self.success_message:
            messages.success(request, self.success_message % {"object": obj})
        return HttpResponseRedirect(success_url)


def render_confirmation(request, *, title, question, consequence="", confirm_label, cancel_url):
    """The page that asks before a consequential POST (archiving): its form posts to the same URL."""
    return render(
        request,
        "core/confirm.html",
        {
            "title": title,
            "question": question,
            "consequence": consequence,
            "confirm_label": confirm_label,
            "cancel_url": cancel_url,
        },
    )


class DashboardView(TenantMixin, TemplateView):
    """The overview: where the organization stands, what needs the member, or the first-run guide.

    The numbers come from the apps' registered sections (`kzai.core.overview`)."""

    template_name = "core/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["overview"] = overview_for(self.membership)
        return context


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
