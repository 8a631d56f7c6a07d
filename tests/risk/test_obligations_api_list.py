"""The obligations API list reads requirements and library versions once per page, and writes each
requirement once per language: what it answers must not change for that.

Every list item equals the obligation's detail (which reads everything joined, without the shared
requirement representations) minus the detail's evidence list, in every language.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from kzai.core.roles import Role
from registry.services import ai_system_archive
from tests.factories import system_with_obligations

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _language_restored():
    # Requests in other languages activate them in this thread; the next test must not read them.
    with translation.override(translation.get_language()):
        yield


@pytest.fixture
def obligations(org, make_member, api_for):
    officer = make_member(Role.OFFICER)
    client = api_for(officer)
    chatbot = system_with_obligations(
        org, interacts_with_natural_persons=True, interaction_channel="chatbot", processes_personal_data=True
    )
    system_with_obligations(org, generates_synthetic_content=True, synthetic_media=["video"])
    archived = system_with_obligations(org, processes_personal_data=True)
    ai_system_archive(system=archived)  # its obligations are withdrawn ("archived")
    first = chatbot.obligations.order_by("code").first()
    patched = client.patch(
        f"/api/v1/risk/obligations/{first.pk}/",
        {"status": "in_progress", "responsible": officer.pk, "due_on": "2027-03-01", "notes": "Ёлка"},
        format="json",
    )
    assert patched.status_code == 200, patched.json()
    evidence = client.post(
        f"/api/v1/risk/obligations/{first.pk}/evidence/", {"title": "Notice", "url": "https://example.com/n"}
    )
    assert evidence.status_code == 201, evidence.json()
    return client


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_every_list_item_is_the_obligations_detail(obligations, language):
    client = obligations
    url = "/api/v1/risk/obligations/"
    items = client.get(f"{url}?state=all&page_size=500", HTTP_ACCEPT_LANGUAGE=language).json()["results"]
    assert any(not item["in_force"] for item in items) and any(item["evidence_count"] for item in items)
    assert any(item["responsible_email"] for item in items)
    for item in items:
        # The detail applies the list's filters too: `state=all` reaches the withdrawn ones.
        detail = client.get(f"{url}{item['id']}/?state=all", HTTP_ACCEPT_LANGUAGE=language).json()
        detail.pop("evidence")
        assert item == detail


def test_list_queries_do_not_grow_with_the_page(obligations):
    client = obligations
    client.get("/api/v1/risk/obligations/")  # warm-up
    counts = []
    for size in (2, 500):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/api/v1/risk/obligations/?state=all&page_size={size}")
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 9, counts


def _assert_list_equals_details(client):
    url = "/api/v1/risk/obligations/"
    for language in ("en", "ru"):
        items = client.get(f"{url}?state=all&page_size=500", HTTP_ACCEPT_LANGUAGE=language).json()["results"]
        for item in items:
            detail = client.get(f"{url}{item['id']}/?state=all", HTTP_ACCEPT_LANGUAGE=language).json()
            detail.pop("evidence")
            assert item == detail
    return items


@pytest.mark.parametrize("upgrade", ["changed", "renamed"])
def test_obligations_a_new_library_changed_list_as_their_details(
    org, make_member, api_for, tmp_path, upgrade
):
    from risk.services.adoption import library_apply
    from risk.services.library import library_file_load
    from tests.risk.test_library import next_version
    from tests.risk.test_library_upgrade import changed_library

    officer, admin = make_member(Role.OFFICER), make_member(Role.ADMIN)
    system_with_obligations(org, generates_synthetic_content=True, synthetic_media=["image"])
    new = (
        library_file_load(path=changed_library(tmp_path))[0]
        if upgrade == "changed"
        else next_version(tmp_path)
    )
    library_apply(organization=org, version=new, membership=admin)
    items = _assert_list_equals_details(api_for(officer))
    if upgrade == "changed":
        assert any(item["needs_review"] and "2026.3" in item["review_label"] for item in items)
    else:
        assert any(
            item["withdrawn_by_version"] == "2026.3" and "2026.3" in item["withdrawn_label"] for item in items
        )
