from kzai.activity.models import ActivityRecord
from kzai.core.roles import Role
from tests.factories import AISystemFactory
from tests.tenancy import APIContract, UIContract


def _record(organization):
    AISystemFactory(organization=organization)
    return ActivityRecord.objects.filter(organization=organization).latest("id")


class TestActivityAPI(APIContract):
    basename = "activity"

    def make_object(self, organization):
        return _record(organization)


class TestActivityPage(UIContract):
    list_url_name = "activity_list"

    def make_object(self, organization):
        return _record(organization)


def test_activity_api_filters_by_object(org, make_member, api_for):
    system = AISystemFactory(organization=org)
    AISystemFactory(organization=org)
    client = api_for(make_member(Role.VIEWER))
    response = client.get("/api/v1/activity/", {"object_type": "registry.aisystem", "object_id": system.pk})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["object_id"] for row in rows] == [str(system.pk)]
    assert rows[0]["action"] == "create"
    assert rows[0]["changes"]["code"] == [None, system.code]
