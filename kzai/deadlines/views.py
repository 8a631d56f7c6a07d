"""Pages of the deadline mechanism: the organization's deadlines, and each member's notifications."""

from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from kzai.core.views import TenantMixin
from kzai.deadlines import services
from kzai.deadlines.filtersets import DeadlineFilterSet, NotificationFilterSet
from kzai.deadlines.models import Deadline, Notification
from kzai.deadlines.reminders import sweep_today


class DeadlineListView(TenantMixin, TemplateView):
    """Every open and past deadline of the organization, from every app, in one list."""

    template_name = "deadlines/deadline_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        deadlines = Deadline.objects.restrict(self.membership).select_related("system", "responsible__user")
        filterset = DeadlineFilterSet(
            self.request.GET or {"state": "open"}, queryset=deadlines, request=self.request
        )
        context.update(
            filter=filterset,
            page_obj=Paginator(filterset.qs, 50).get_page(self.request.GET.get("page")),
            today=sweep_today(),
        )
        return context


class NotificationListView(TenantMixin, TemplateView):
    """The member's notifications in this organization (all of them, e-mailed or in-app only)."""

    template_name = "deadlines/notification_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        own = Notification.objects.for_recipient(self.membership).select_related("recipient__user")
        filterset = NotificationFilterSet(self.request.GET, queryset=own, request=self.request)
        context.update(
            filter=filterset,
            page_obj=Paginator(filterset.qs, 50).get_page(self.request.GET.get("page")),
            unread=own.unread().count(),
        )
        return context


class NotificationReadView(TenantMixin, View):
    """Mark one notification read (any member may, for their own notifications only)."""

    required_action = "view"

    def post(self, request, pk):
        notification = get_object_or_404(Notification.objects.for_recipient(self.membership), pk=pk)
        services.notification_mark_read(notification=notification, read=request.POST.get("unread") != "1")
        return HttpResponseRedirect(reverse("deadlines:notification_list"))


class NotificationReadAllView(TenantMixin, View):
    required_action = "view"

    def post(self, request):
        services.notifications_mark_all_read(membership=self.membership)
        return HttpResponseRedirect(reverse("deadlines:notification_list"))
