"""Evidence requests answered with versions of the organization's documents: only documents of the
systems in scope, of this organization; the auditors see them and their SHA-256, download them
(checked and recorded) while their access lasts, and the accepted ones are the report's evidence."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit import selectors, services
from documents.models import DocumentDownload
from kzai.core.roles import Role
from tests.audit.helpers import make_engagement, start
from tests.documents.helpers import make_document
from tests.factories import AISystemFactory


@pytest.fixture
def scene(org, officer):
    system = AISystemFactory(organization=org, code="IN-SCOPE")
    engagement = start(make_engagement(org, systems=[system], officer=officer))
    item = services.evidence_request_create(
        engagement=engagement, membership=engagement.lead_auditor, request="The data sheet"
    )
    in_scope = make_document(org, system=system, title="Data sheet").versions.get()
    out_of_scope = make_document(org, title="Unrelated policy").versions.get()
    return engagement, item, in_scope, out_of_scope


def test_only_versions_of_documents_of_systems_in_scope(org, other_org, officer, scene):
    engagement, item, in_scope, out_of_scope = scene
    foreign = make_document(other_org, title="Foreign").versions.get()
    assert list(services.evidence_versions_in_scope(engagement, officer)) == [in_scope]
    for wrong in (out_of_scope, foreign):
        with pytest.raises(ValidationError, match="systems in the engagement"):
            services.evidence_request_respond(
                item=item, membership=officer, response="Here", versions=[wrong]
            )
    item.refresh_from_db()
    assert item.status == "open" and not item.versions.exists()
    services.evidence_request_respond(item=item, membership=officer, response="Here", versions=[in_scope])
    assert list(item.versions.all()) == [in_scope]


def test_accepted_documents_are_the_evidence_seen(org, officer, scene):
    engagement, item, in_scope, _ = scene
    services.evidence_request_respond(item=item, membership=officer, response="Here", versions=[in_scope])
    assert selectors.evidence_seen(engagement) == []  # not yet accepted
    services.evidence_request_review(item=item, membership=engagement.lead_auditor, accept=True)
    [row] = selectors.evidence_seen(engagement)
    assert row["sha256"] == in_scope.sha256 and row["document"] == "Data sheet" and row["version"] == 1


def test_api_answer_with_documents_and_the_auditor_downloads_them(org, other_org, officer, scene, api_for):
    engagement, item, in_scope, out_of_scope = scene
    respond = reverse("audit-evidence-request-respond", args=[item.pk])
    organization = api_for(officer)
    foreign = make_document(other_org, title="Foreign").versions.get()
    response = organization.post(respond, {"response": "Here", "versions": [foreign.pk]}, format="json")
    assert response.status_code == 400 and "versions" in response.json()
    response = organization.post(respond, {"response": "Here", "versions": [out_of_scope.pk]}, format="json")
    assert response.status_code == 400 and "versions" in response.json()
    response = organization.post(respond, {"response": "Here", "versions": [in_scope.pk]}, format="json")
    assert response.status_code == 200, response.content
    auditor = api_for(engagement.lead_auditor)
    body = auditor.get(reverse("audit-evidence-request-detail", args=[item.pk])).json()
    [given] = body["versions"]
    assert given["sha256"] == in_scope.sha256 and given["document_title"] == "Data sheet"
    assert auditor.get(given["download_url"]).status_code == 200
    assert DocumentDownload.objects.filter(version=in_scope, member=engagement.lead_auditor).exists()


def test_auditor_download_ends_with_the_access(org, officer, scene, api_for, web_for):
    engagement, item, in_scope, _ = scene
    services.evidence_request_respond(item=item, membership=officer, response="Here", versions=[in_scope])
    lead = engagement.lead_auditor
    page = web_for(lead)
    assert page.get(reverse("documents:version_download", args=[in_scope.pk])).status_code == 200
    services.engagement_transition(engagement=engagement, membership=officer, status="cancelled")
    assert page.get(reverse("documents:version_download", args=[in_scope.pk])).status_code == 404
    assert api_for(lead).get(reverse("document-version-download", args=[in_scope.pk])).status_code == 404


def test_page_answer_with_documents_and_the_auditor_sees_their_hashes(
    org, officer, scene, make_member, web_for
):
    engagement, item, in_scope, out_of_scope = scene
    detail = reverse("audit:engagement_detail", args=[engagement.pk])
    organization = web_for(officer)
    page = organization.get(detail).content.decode()
    assert "Data sheet v1" in page and "Unrelated policy" not in page
    organization.post(
        reverse("audit:request_respond", args=[item.pk]), {"response": "Here", "versions": [out_of_scope.pk]}
    )
    item.refresh_from_db()
    assert item.status == "open"
    organization.post(
        reverse("audit:request_respond", args=[item.pk]), {"response": "Here", "versions": [in_scope.pk]}
    )
    item.refresh_from_db()
    assert item.status == "answered" and list(item.versions.all()) == [in_scope]
    auditor_page = web_for(engagement.lead_auditor).get(detail).content.decode()
    assert in_scope.sha256 in auditor_page
    assert reverse("documents:version_download", args=[in_scope.pk]) in auditor_page
    # The auditor has no respond form (no edit control they cannot use).
    assert reverse("audit:request_respond", args=[item.pk]) not in auditor_page
    # Another auditor of the organization sees nothing of it.
    outsider = web_for(make_member(Role.AUDITOR))
    assert outsider.get(detail).status_code == 404
