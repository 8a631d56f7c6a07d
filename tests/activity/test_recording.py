"""The activity log records who, when, which organization, which object and the changed fields."""

import pytest

from kzai.activity.context import acting_as
from kzai.activity.models import ActivityRecord
from kzai.activity.selectors import activity_for_object
from kzai.core.roles import Role
from registry.models import AISystem
from tests.factories import AISystemFactory, SystemComponentFactory, TagFactory


def test_create_update_delete_are_recorded_with_before_and_after(org, officer):
    with acting_as(officer.user, source="web", request_id="req-1"):
        system = AISystemFactory(organization=org, name="Scoring")
        system = AISystem.objects.get(pk=system.pk)
        system.name = "Scoring v2"
        system.lifecycle_stage = "testing"
        system.save()
        system.save()  # no change → no record
        pk = system.pk
        system.delete()
    records = list(
        ActivityRecord.objects.filter(content_type__model="aisystem", object_id=str(pk)).order_by("id")
    )
    assert [r.action for r in records] == ["create", "update", "delete"]
    created, updated, deleted = records
    assert created.changes["name"] == [None, "Scoring"]
    assert updated.changes == {
        "name": ["Scoring", "Scoring v2"],
        "lifecycle_stage": ["development", "testing"],
    }
    assert deleted.changes["name"] == ["Scoring v2", None]
    for record in records:
        assert record.organization_id == org.pk
        assert record.actor_id == officer.user_id and record.actor_label == officer.user.email
        assert record.source == "web" and record.request_id == "req-1"


def test_many_to_many_changes_are_recorded(org):
    system = AISystemFactory(organization=org)
    tag = TagFactory(organization=org, name="credit")
    system.tags.add(tag)
    record = ActivityRecord.objects.filter(content_type__model="aisystem", object_id=str(system.pk)).latest(
        "id"
    )
    assert record.changes == {"tags": {"added": ["credit"]}}


def test_child_changes_appear_in_the_parent_history(org, officer):
    system = AISystemFactory(organization=org)
    SystemComponentFactory(system=system, name="gradient-boosting")
    history = list(activity_for_object(system, membership=officer))
    assert {r.object_repr for r in history} >= {str(system), "gradient-boosting 1.0"}


def test_records_are_append_only(org):
    AISystemFactory(organization=org)
    record = ActivityRecord.objects.latest("id")
    record.object_repr = "tampered"
    with pytest.raises(RuntimeError):
        record.save()


def test_api_changes_are_attributed_to_the_token_user(org, make_member, api_for):
    admin = make_member(Role.ADMIN)
    viewer = make_member(Role.VIEWER)
    response = api_for(admin).patch(f"/api/v1/members/{viewer.pk}/", {"role": "officer"}, format="json")
    assert response.status_code == 200
    record = ActivityRecord.objects.filter(
        content_type__model="membership", object_id=str(viewer.pk), action="update"
    ).latest("id")
    assert record.actor_id == admin.user_id and record.source == "api"
    assert record.changes == {"role": ["viewer", "officer"]}
    assert response["X-Request-ID"] == record.request_id


def test_history_is_tenant_scoped(org, other_org, make_member):
    foreign = AISystemFactory(organization=other_org)
    assert not activity_for_object(foreign, membership=make_member(Role.ADMIN)).exists()
