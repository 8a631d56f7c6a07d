from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from kzai.core.api.viewsets import TenantReadOnlyViewSet, TenantViewSetMixin
from kzai.core.roles import Action
from kzai.deadlines import services
from kzai.deadlines.api.serializers import DeadlineSerializer, NotificationSerializer
from kzai.deadlines.filtersets import DeadlineFilterSet, NotificationFilterSet
from kzai.deadlines.models import Deadline, Notification


class DeadlineViewSet(TenantReadOnlyViewSet):
    """Every deadline of the organization, whichever app owes it (reviews, measures, obligations…)."""

    queryset = Deadline.objects.select_related("content_type")
    serializer_class = DeadlineSerializer
    filterset_class = DeadlineFilterSet
    ordering_fields = ["due_on", "title"]
    search_fields = ["title"]


class NotificationViewSet(TenantViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The caller's own notifications in this organization (reminders and digests), read or unread."""

    queryset = Notification.objects.all()
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilterSet
    ordering_fields = ["created_at"]
    # Marking one's own notification read is not a change to compliance data: viewing suffices.
    required_actions = {"read": Action.VIEW, "read_all": Action.VIEW}

    def get_queryset(self):
        return Notification.objects.for_recipient(self.membership)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = services.notification_mark_read(notification=self.get_object())
        return Response(NotificationSerializer(notification).data)

    @extend_schema(
        request=None, responses=inline_serializer("ReadAll", {"marked": serializers.IntegerField()})
    )
    @action(detail=False, methods=["post"], url_path="read-all", url_name="readall", filterset_class=None)
    def read_all(self, request):
        return Response({"marked": services.notifications_mark_all_read(membership=self.membership)})
