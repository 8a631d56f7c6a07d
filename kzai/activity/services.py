"""Recording changes that are not a model save (e.g. object-permission grants) in the same log."""

from kzai.activity.models import ActivityAction, ActivityRecord
from kzai.activity.signals import _write


def activity_record_change(*, instance, changes: dict) -> ActivityRecord:
    """Record an update of `instance` (a TrackedModel) described by `changes` ({field: [before, after]})."""
    return _write(instance, ActivityAction.UPDATE, changes)
