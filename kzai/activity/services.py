"""Recording changes that are not a model save (e.g. object-permission grants) in the same log."""

from kzai.activity.models import ActivityAction, ActivityRecord


def activity_record_change(*, instance, changes: dict) -> ActivityRecord:
    """Record an update of `instance` (a TrackedModel) described by `changes` ({field: [before, after]})."""
    from kzai.activity.signals import _write

    return _write(instance, ActivityAction.UPDATE, changes)


def activity_record_bulk(entries) -> list[ActivityRecord]:
    """Record many changes in one insert: `entries` are (instance, action, changes) tuples.

    For services that write many rows at once with `bulk_create` (which sends no signals): a created
    instance's changes are its snapshot, like a single save records them. Created instances get
    their snapshot remembered, so a later save of them records only what changed.
    """
    from kzai.activity.signals import _record

    records = []
    for instance, action, changes in entries:
        if changes is None and action == ActivityAction.CREATE:
            after = instance.activity_snapshot()
            changes = {
                name: [None, value] for name, value in after.items() if value not in (None, "", [], {})
            }
            instance._activity_snapshot = after
        records.append(_record(instance, action, changes))
    return ActivityRecord.objects.bulk_create(records, batch_size=1000)
