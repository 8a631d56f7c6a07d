import functools

from kzai.core.roles import Action
from kzai.deadlines.models import Notification


def tenancy(request):
    membership = getattr(request, "membership", None)
    return {
        "membership": membership,
        "active_organization": getattr(request, "organization", None),
        "memberships": getattr(request, "memberships", []),
        "can": {action.value: bool(membership and membership.allows(action)) for action in Action},
        # Templates call callables: one indexed count per page, and only when a template shows it.
        "unread_notifications": functools.cache(lambda: _unread_count(membership)),
    }


def _unread_count(membership) -> int:
    if membership is None:
        return 0
    return Notification.objects.for_recipient(membership).unread().count()
