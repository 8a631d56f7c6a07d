from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from kzai.activity.models import ActivityRecord


def activity_for_object(obj, *, membership):
    """The history of one object and of everything recorded under it (its components, links…)."""
    content_type = ContentType.objects.get_for_model(type(obj))
    return (
        ActivityRecord.objects.restrict(membership)
        .filter(
            Q(content_type=content_type, object_id=str(obj.pk))
            | Q(parent_content_type=content_type, parent_object_id=str(obj.pk))
        )
        .select_related("content_type")
    )
