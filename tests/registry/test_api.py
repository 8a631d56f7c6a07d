"""REST behaviour of the register beyond the shared contract: payloads, errors, filters, actions."""

import pytest

from kzai.core.roles import Role
from registry.grants import grant_system_view
from registry.models import AISystem, Party
from tests.factories import (
    AISystemFactory,
    DataLibraryFactory,
    PartyFactory,
    SystemPartyLinkFactory,
    make_bin,
)

pytestmark = pytest.mark.django_db

PAYLOAD = {
    "code": "OCR-01",
    "name": "Document OCR",
    "intended_purpose": "Reads scanned identity documents.",
    "organization_role": "possessor",
    "sector": "banking",
    "processes_personal_data": True,
    "tags": ["kyc"],
}


@pytest.fixture
def client(make_member, api_for):
    return api_for(make_member(Role.OFFICER))


def test_create_and_read_system(client, org):
    response = client.post("/api/v1/systems/", PAYLOAD, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["code"] == "OCR-01" and body["tags"] == ["kyc"] and body["parties"] == []
    assert body["risk_level"] == "" and body["is_prohibited"] is False and body["is_archived"] is False
    assert AISystem.objects.get(pk=body["id"]).organization == org


def test_service_errors_are_field_errors(client, org):
    AISystemFactory(organization=org, code="OCR-01")
    response = client.post(
        "/api/v1/systems/",
        {**PAYLOAD, "processes_personal_data": False, "processes_biometric_data": True},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert "detail" in body and "already uses the code" in body["code"][0]
    assert "Biometric data is personal data" in body["processes_personal_data"][0]


def test_classification_state_is_read_only(client, org):
    system = AISystemFactory(organization=org)
    response = client.patch(f"/api/v1/systems/{system.pk}/", {"risk_level": "minimal", "is_prohibited": True})
    assert response.status_code == 200
    system.refresh_from_db()
    assert system.risk_level == "" and not system.is_prohibited


def test_prohibited_system_cannot_go_into_operation(client, org):
    system = AISystemFactory(organization=org, is_prohibited=True)
    response = client.patch(f"/api/v1/systems/{system.pk}/", {"lifecycle_stage": "in_operation"})
    assert response.status_code == 400
    assert "prohibited capability" in response.json()["lifecycle_stage"][0]


def test_archive_actions_and_status_filter(client, org):
    system = AISystemFactory(organization=org)
    assert client.delete(f"/api/v1/systems/{system.pk}/").status_code == 405  # archive, never delete
    assert client.post(f"/api/v1/systems/{system.pk}/archive/").json()["is_archived"] is True
    assert client.get("/api/v1/systems/").json()["count"] == 0
    assert client.get("/api/v1/systems/", {"status": "archived"}).json()["count"] == 1
    assert client.get(f"/api/v1/systems/{system.pk}/").json()["is_archived"] is True
    assert client.post(f"/api/v1/systems/{system.pk}/unarchive/").json()["is_archived"] is False


@pytest.mark.parametrize("role", [Role.CONTRIBUTOR, Role.VIEWER])
def test_archive_needs_the_delete_action(role, org, make_member, api_for):
    system = AISystemFactory(organization=org)
    assert api_for(make_member(role)).post(f"/api/v1/systems/{system.pk}/archive/").status_code == 403


def test_foreign_references_are_refused(client, org, other_org):
    foreign_system = AISystemFactory(organization=other_org)
    party = PartyFactory(organization=org)
    response = client.post(
        "/api/v1/party-links/", {"system": foreign_system.pk, "party": party.pk, "role": "developer"}
    )
    assert response.status_code == 400 and "system" in response.json()
    foreign_party = PartyFactory(organization=other_org)
    response = client.post(
        "/api/v1/data-libraries/", {"name": "X", "source": "own", "producer": foreign_party.pk}
    )
    assert response.status_code == 400 and "producer" in response.json()


def test_party_bin_message_in_api(client):
    wrong = make_bin(5)[:11] + str((int(make_bin(5)[11]) + 1) % 10)
    response = client.post(
        "/api/v1/parties/", {"name": "Kazakhtelecom JSC", "kind": "legal_entity", "identifier": wrong}
    )
    assert response.status_code == 400
    assert "fails its check digit" in response.json()["identifier"][0]
    response = client.post(
        "/api/v1/parties/", {"name": "Kazakhtelecom JSC", "kind": "legal_entity", "identifier": make_bin(5)}
    )
    assert response.status_code == 201


def test_party_with_links_cannot_be_deleted(client, org):
    link = SystemPartyLinkFactory(system=AISystemFactory(organization=org))
    response = client.delete(f"/api/v1/parties/{link.party_id}/")
    assert response.status_code == 400 and "archive it instead" in str(response.json())
    assert Party.objects.filter(pk=link.party_id).exists()
    assert client.post(f"/api/v1/parties/{link.party_id}/archive/").json()["is_archived"] is True


def test_system_filters_in_api(client, org):
    a = AISystemFactory(
        organization=org, name="A", generates_synthetic_content=True, synthetic_media=["image"]
    )
    b = AISystemFactory(organization=org, name="B", hosting_country="DE", data_leaves_kazakhstan=True)
    party = PartyFactory(organization=org)
    SystemPartyLinkFactory(system=b, party=party, role="hosting_provider")

    def ids(**params):
        return [row["id"] for row in client.get("/api/v1/systems/", params).json()["results"]]

    assert ids(synthetic_medium="image") == [a.pk]
    assert ids(hosting_country="de") == [b.pk]
    assert ids(party=party.pk) == [b.pk]
    assert ids(party_role="hosting_provider") == [b.pk]
    assert ids(ordering="-name") == [b.pk, a.pk]
    assert ids(search="zzz") == []
    response = client.get("/api/v1/systems/", {"lifecycle_stage": "flying"})
    assert response.status_code == 400 and "lifecycle_stage" in response.json()


def test_list_shows_parties_and_tags(client, org):
    system = AISystemFactory(organization=org)
    SystemPartyLinkFactory(system=system, party__name="Microsoft Ireland", role="supplier")
    row = client.get("/api/v1/systems/").json()["results"][0]
    assert row["parties"][0]["party_name"] == "Microsoft Ireland" and row["parties"][0]["role"] == "supplier"


def test_library_filters_and_flag(client, org):
    flagged = DataLibraryFactory(
        organization=org,
        contains_personal_data=True,
        non_targeted_public_extraction=True,
        lawful_basis="none",
    )
    DataLibraryFactory(organization=org)
    rows = client.get("/api/v1/data-libraries/", {"non_targeted_public_extraction": "true"}).json()["results"]
    assert [r["id"] for r in rows] == [flagged.pk] and rows[0]["is_unlawful_extraction"] is True


def test_auditor_reads_granted_system_only(org, make_member, api_for):
    auditor = make_member(Role.AUDITOR)
    granted, other = AISystemFactory(organization=org), AISystemFactory(organization=org)
    grant_system_view(auditor.user, granted)
    client = api_for(auditor)
    assert [r["id"] for r in client.get("/api/v1/systems/").json()["results"]] == [granted.pk]
    assert client.get(f"/api/v1/systems/{other.pk}/").status_code == 404
    assert client.patch(f"/api/v1/systems/{granted.pk}/", {"name": "x"}).status_code == 403
