"""Recording what is not a model save in the same log: object-permission grants, sign-ins, exports and
downloads of evidence."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from kzai.activity.models import ActivityAction, ActivityRecord
from kzai.activity.signals import _write, created_changes


def activity_record_change(*, instance, changes: dict) -> ActivityRecord:
    """Record an update of `instance` (a TrackedModel) described by `changes` ({field: [before, after]})."""
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


def activity_record_permission(*, instance, changes: dict, actor=None) -> ActivityRecord:
    """Record a change of who may do what (a role given, changed or taken away, a grant of AI
    systems given or ended, an API token created or revoked) as its own kind of entry.

    `instance` is the membership whose rights changed; `changes` are {label: [before, after]}
    written for people (role names, system codes, token names), not internal keys.
    """
    return _write(instance, ActivityAction.PERMISSION, changes, actor=actor)


@receiver(user_logged_in, dispatch_uid="kzai_activity_sign_in")
def record_sign_in(sender, request, user, **kwargs):
    """A sign-in is recorded in every organization the person is an active member of."""
    from kzai.accounts.models import Membership

    address = request.META.get("REMOTE_ADDR", "") if request is not None else ""
    for membership in Membership.objects.filter(user=user, is_active=True):
        activity_record_event(
            instance=membership, action=ActivityAction.SIGN_IN, details={"address": address}, actor=user
        )


def activity_record_bulk(entries) -> int:
    """Record many changes at once: `entries` are (instance, action, changes) tuples.

    For services that write many rows at once with `bulk_create` (which sends no signals): a created
    instance's changes are its snapshot, like a single save records them. Created instances get
    their snapshot remembered, so a later save of them records only what changed. Returns how many
    records were written.
    """
    from kzai.activity.signals import context_values, record_values

    context = context_values()
    rows = []
    for instance, action, changes in entries:
        if changes is None and action == ActivityAction.CREATE:
            after = instance.activity_snapshot()
            changes = created_changes(after)
            instance._activity_snapshot = after
        rows.append(record_values(instance, action, changes, context=context))
    return activity_rows_write(rows)


def activity_rows_write(rows, *, organizations: set[int] | None = None) -> int:
    """Append records given as plain values (`kzai.activity.chain.ROW_FIELDS`, see
    `signals.record_values` and `signals.context_values`) to their organizations' chains, for
    services that write their own rows in bulk (`kzai.core.bulk`) and build no model instances.
    `rows` may be a generator if the `organizations` its records belong to are given."""
    from kzai.activity.chain import chain_append_rows

    return chain_append_rows(rows, organizations=organizations)
