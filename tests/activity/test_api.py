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


def test_activity_filters_by_date_and_shows_field_labels(org, make_member, api_for, web_for):
    import datetime

    from django.utils import timezone

    AISystemFactory(organization=org, name="Chatbot")
    viewer = make_member(Role.VIEWER)
    today = timezone.localdate()
    client = api_for(viewer)
    assert client.get("/api/v1/activity/", {"since": today.isoformat()}).json()["count"] >= 1
    tomorrow = (today + datetime.timedelta(days=1)).isoformat()
    assert client.get("/api/v1/activity/", {"since": tomorrow}).json()["count"] == 0
    page = web_for(viewer).get("/activity/", {"object_type": "registry.aisystem"}).content.decode()
    assert "Intended purpose" in page and "Chatbot" in page
