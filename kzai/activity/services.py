"""Recording what is not a model save in the same log: object-permission grants, sign-ins, exports and
downloads of evidence."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from kzai.activity.models import ActivityAction, ActivityRecord


def activity_record_change(*, instance, changes: dict) -> ActivityRecord:
    """Record an update of `instance` (a TrackedModel) described by `changes` ({field: [before, after]})."""
    from kzai.activity.signals import _write

    return _write(instance, ActivityAction.UPDATE, changes)


def activity_record_event(
    *, instance, action: str, details: dict | None = None, actor=None
) -> ActivityRecord:
    """Record an event about `instance` that changes no data (a sign-in, an export, a download).

    `instance` is any object with an `organization_id` (an organization, a membership, a document);
    `details` are shown like changes, as {label: [None, value]}.
    """
    from kzai.activity.signals import _write

    changes = {name: [None, value] for name, value in (details or {}).items()}
    return _write(instance, action, changes, actor=actor)


@receiver(user_logged_in, dispatch_uid="kzai_activity_sign_in")
def record_sign_in(sender, request, user, **kwargs):
    """A sign-in is recorded in every organization the person is an active member of."""
    from kzai.accounts.models import Membership

    address = request.META.get("REMOTE_ADDR", "") if request is not None else ""
    for membership in Membership.objects.filter(user=user, is_active=True):
        activity_record_event(
            instance=membership, action=ActivityAction.SIGN_IN, details={"address": address}, actor=user
        )
