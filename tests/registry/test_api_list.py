"""The systems API list, built from column values, says exactly what the serializer says.

`AISystemViewSet.list` answers without model instances (`AISystemListRows`); the detail view and
`AISystemSerializer` remain the contract. Every list item must equal the detail of the same system,
byte for byte once rendered, whatever the system holds.
"""

import datetime

import pytest
from django.utils import timezone, translation
from rest_framework.renderers import JSONRenderer

from kzai.core.roles import Role
from registry import services
from registry.api.serializers import AISystemListRows, AISystemSerializer
from registry.grants import grant_system_view
from registry.selectors import system_list
from tests.factories import PartyFactory, classify_system, make_bin

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _language_restored():
    # Requests in other languages activate them in this thread; the next test must not read them.
    with translation.override(translation.get_language()):
        yield


BASE = {
    "intended_purpose": "Scores applications.",
    "organization_role": "owner",
    "sector": "banking",
}


def _systems(client, org, officer, other_member):
    """Systems that differ in everything a list item shows, made through the API and the services."""
    made = []
    for n, extra in enumerate(
        [
            {"tags": ["zeta", "Alpha", "бета", "alpha"], "responsible_officer": officer.pk},
            {"tags": [], "technical_owner": other_member.pk, "description": 'Ünïcode — «quotes» "and" \\'},
            {
                "generates_synthetic_content": True,
                "synthetic_media": ["text", "image"],
                "interacts_with_natural_persons": True,
                "interaction_channel": "chatbot",
                "processes_personal_data": True,
                "hosting_country": "DE",
                "data_leaves_kazakhstan": True,
                "user_agreement_url": "https://example.com/terms",
            },
            {"lifecycle_stage": "testing", "business_unit": "Retail"},
        ]
    ):
        response = client.post("/api/v1/systems/", {**BASE, "code": f"S-{n}", "name": f"System {n}", **extra})
        assert response.status_code == 201, response.json()
        made.append(response.json()["id"])
    first, second, third, fourth = made
    # Parties in several roles, one with the same role twice, contracts with and without an expiry.
    vendors = [
        PartyFactory(organization=org, name=name, identifier=make_bin(60 + i))
        for i, name in enumerate(["Vendor B", "Vendor A", "Vendor C"])
    ]
    for system, party, role, expires in [
        (first, vendors[0], "developer", datetime.date(2027, 1, 31)),
        (first, vendors[1], "developer", None),
        (first, vendors[2], "hosting_provider", datetime.date(2026, 12, 1)),
        (third, vendors[1], "supplier", None),
    ]:
        response = client.post(
            "/api/v1/party-links/",
            {"system": system, "party": party.pk, "role": role, "contract_expires_on": expires},
        )
        assert response.status_code == 201, response.json()
    # Classified (risk level, autonomy, classification times) and archived, through the services.
    systems = {s.pk: s for s in system_list(membership=officer).filter(pk__in=made)}
    classify_system(systems[first], officer)
    services.ai_system_archive(system=systems[fourth])
    return made


@pytest.fixture
def client(make_member, api_for):
    return api_for(make_member(Role.OFFICER))


def _rendered(data) -> bytes:
    return JSONRenderer().render(data)


@pytest.mark.parametrize("language", ["en", "ru"])
def test_every_list_item_is_the_systems_detail(client, org, make_member, language):
    officer = make_member(Role.OFFICER)
    ids = _systems(client, org, officer, make_member(Role.OFFICER))
    with translation.override(language):
        response = client.get("/api/v1/systems/?status=all&page_size=100", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    items = response.json()["results"]
    assert sorted(item["id"] for item in items) == sorted(ids)
    for item in items:
        detail = client.get(f"/api/v1/systems/{item['id']}/", HTTP_ACCEPT_LANGUAGE=language)
        assert _rendered(item) == _rendered(detail.json())
    by_id = {item["id"]: item for item in items}
    assert by_id[ids[0]]["tags"] == ["Alpha", "alpha", "zeta", "бета"]
    assert [p["party_name"] for p in by_id[ids[0]]["parties"]] == ["Vendor A", "Vendor B", "Vendor C"]
    assert by_id[ids[0]]["parties"][1]["contract_expires_on"] == "2027-01-31"
    assert by_id[ids[0]]["risk_level"] and by_id[ids[0]]["classified_at"]
    assert by_id[ids[1]]["responsible_officer"] is None and by_id[ids[1]]["parties"] == []
    assert by_id[ids[3]]["is_archived"] is True and by_id[ids[3]]["archived_at"]


def test_list_equals_the_serializer_in_another_time_zone(client, org, make_member):
    officer = make_member(Role.OFFICER)
    _systems(client, org, officer, officer)
    page = list(system_list(membership=officer).order_by("name", "id").values(*AISystemListRows.columns()))
    with timezone.override("UTC"):
        lean = AISystemListRows.data(page)
        systems = system_list(membership=officer).order_by("name", "id")
        expected = AISystemSerializer(systems, many=True).data
    assert _rendered(lean) == _rendered(expected)
    assert any(item["classified_at"].endswith("Z") for item in lean)


def test_default_list_hides_archived_and_keeps_the_order(client, org, make_member):
    officer = make_member(Role.OFFICER)
    ids = _systems(client, org, officer, officer)
    body = client.get("/api/v1/systems/").json()
    assert body["count"] == 3
    assert [item["id"] for item in body["results"]] == ids[:3]  # by name: System 0, 1, 2
    assert ids[3] not in {item["id"] for item in body["results"]}
    ordered = client.get("/api/v1/systems/?ordering=-code&page_size=2").json()
    assert [item["code"] for item in ordered["results"]] == ["S-2", "S-1"] and ordered["next"]


def test_an_auditor_lists_only_granted_systems_with_their_details(client, org, make_member, api_for):
    officer = make_member(Role.OFFICER)
    ids = _systems(client, org, officer, officer)
    auditor = make_member(Role.AUDITOR)
    grant_system_view(auditor.user, system_list(membership=officer).get(pk=ids[0]))
    auditor_client = api_for(auditor)
    items = auditor_client.get("/api/v1/systems/?status=all").json()["results"]
    assert [item["id"] for item in items] == [ids[0]]
    detail = auditor_client.get(f"/api/v1/systems/{ids[0]}/").json()
    assert _rendered(items[0]) == _rendered(detail)


def test_another_organizations_systems_are_not_listed(client, org, make_member, other_org, api_for):
    officer = make_member(Role.OFFICER)
    _systems(client, org, officer, officer)
    stranger = api_for(make_member(Role.OFFICER, organization=other_org))
    assert stranger.get("/api/v1/systems/?status=all").json() == {
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
    }
