"""Administrators choose which systems an auditor sees, in the browser and through the API."""

from kzai.activity.models import ActivityRecord
from kzai.core.roles import Role
from tests.factories import AISystemFactory


def test_admin_grants_systems_to_an_auditor_through_the_api(org, other_org, make_member, api_for):
    admin, auditor = make_member(Role.ADMIN), make_member(Role.AUDITOR)
    first, _unchosen = AISystemFactory(organization=org), AISystemFactory(organization=org)
    foreign = AISystemFactory(organization=other_org)
    client = api_for(admin)
    url = f"/api/v1/members/{auditor.pk}/systems/"
    assert client.get(url).json() == {"systems": []}
    response = client.put(url, {"systems": [first.pk, foreign.pk]}, format="json")
    assert response.status_code == 400 and str(foreign.pk) in response.json()["systems"][0]
    assert client.put(url, {"systems": [first.pk]}, format="json").json() == {"systems": [first.pk]}
    from registry.models import AISystem

    assert list(AISystem.objects.restrict(auditor)) == [first]
    record = ActivityRecord.objects.filter(
        content_type__model="membership", object_id=str(auditor.pk)
    ).latest("id")
    assert record.changes == {"granted_systems": [[], [first.code]]} and record.actor_id == admin.user_id


def test_only_admins_change_grants_and_only_for_auditors(org, make_member, api_for):
    officer, auditor, viewer = make_member(Role.OFFICER), make_member(Role.AUDITOR), make_member(Role.VIEWER)
    system = AISystemFactory(organization=org)
    response = api_for(officer).put(
        f"/api/v1/members/{auditor.pk}/systems/", {"systems": [system.pk]}, format="json"
    )
    assert response.status_code == 403
    response = api_for(make_member(Role.ADMIN)).put(
        f"/api/v1/members/{viewer.pk}/systems/", {"systems": [system.pk]}, format="json"
    )
    assert response.status_code == 400


def test_admin_grants_systems_in_the_browser(org, other_org, make_member, web_for):
    admin, auditor = make_member(Role.ADMIN), make_member(Role.AUDITOR)
    first, second = AISystemFactory(organization=org), AISystemFactory(organization=org)
    web = web_for(admin)
    url = f"/settings/members/{auditor.pk}/systems/"
    assert first.code in web.get(url).content.decode()
    web.post(url, {"on_page": [first.pk, second.pk], "systems": [second.pk]})
    from registry.grants import granted_system_ids

    assert granted_system_ids(auditor) == [second.pk]
    # Another organization's member, or a non-auditor, is not found.
    foreign_auditor = make_member(Role.AUDITOR, organization=other_org)
    assert web.get(f"/settings/members/{foreign_auditor.pk}/systems/").status_code == 404
    assert web.get(f"/settings/members/{admin.pk}/systems/").status_code == 404
    assert web_for(make_member(Role.OFFICER)).post(url, {"on_page": [first.pk]}).status_code == 403
