"""The documents pages: tenancy and roles through the shared suite, upload and approve, download."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents.choices import DocumentState
from documents.models import Document, DocumentDownload
from kzai.core.roles import Role
from tests.documents.helpers import PDF, make_document
from tests.factories import AISystemFactory
from tests.tenancy import UIContract


class TestDocumentPages(UIContract):
    list_url_name = "documents:document_list"
    detail_url_name = "documents:document_detail"
    create_url_name = "documents:document_create"
    update_url_name = "documents:document_update"
    covered_url_names = (
        "documents:version_upload",
        "documents:document_approve",
        "documents:document_supersede",
        "documents:version_download",
        "documents:evidence_add",  # tests/documents/test_evidence.py
    )

    def make_object(self, organization):
        return make_document(organization)

    def test_create_upload_approve_supersede(self, org, make_member, web_for):
        web = web_for(make_member(Role.OFFICER))
        system = AISystemFactory(organization=org)
        response = web.post(
            reverse("documents:document_create"),
            {
                "title": "Risk-management file",
                "systems": [system.pk],
                "items": ["risk-management-file"],
                "file": SimpleUploadedFile("rm.pdf", PDF),
                "change_note": "Initial",
            },
        )
        document = Document.objects.get(title="Risk-management file")
        assert response.status_code == 302 and response["Location"].endswith(f"/documents/{document.pk}/")
        page = web.get(response["Location"]).content.decode()
        assert "rm.pdf" in page and document.versions.get().sha256 in page
        web.post(reverse("documents:document_approve", args=[document.pk]))
        document.refresh_from_db()
        assert document.state == DocumentState.APPROVED
        response = web.post(
            reverse("documents:version_upload", args=[document.pk]),
            {"file": SimpleUploadedFile("rm2.pdf", PDF + b"2"), "change_note": "Q2"},
        )
        assert response.status_code == 302
        document.refresh_from_db()
        assert document.state == DocumentState.DRAFT and document.versions.count() == 2
        web.post(reverse("documents:document_approve", args=[document.pk]))
        web.post(reverse("documents:document_supersede", args=[document.pk]))
        document.refresh_from_db()
        assert document.state == DocumentState.SUPERSEDED

    def test_bad_upload_shows_the_error_on_the_form(self, org, make_member, web_for):
        web = web_for(make_member(Role.CONTRIBUTOR))
        document = make_document(org, file=False)
        response = web.post(
            reverse("documents:version_upload", args=[document.pk]),
            {"file": SimpleUploadedFile("evil.pdf", b"MZ\x90 executable")},
        )
        assert response.status_code == 400
        assert "does not match its extension" in response.content.decode()
        assert not document.versions.exists()

    def test_contributor_cannot_approve(self, org, make_member, web_for):
        document = make_document(org)
        web = web_for(make_member(Role.CONTRIBUTOR))
        assert web.post(reverse("documents:document_approve", args=[document.pk])).status_code == 403
        document.refresh_from_db()
        assert document.state == DocumentState.DRAFT

    def test_download_is_checked_and_recorded(self, org, other_org, make_member, web_for):
        member = make_member(Role.VIEWER)
        web = web_for(member)
        version = make_document(org).versions.get()
        response = web.get(reverse("documents:version_download", args=[version.pk]))
        assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
        assert DocumentDownload.objects.get().member == member
        foreign = make_document(other_org).versions.get()
        assert web.get(reverse("documents:version_download", args=[foreign.pk])).status_code == 404
        for name in (
            "documents:document_approve",
            "documents:document_supersede",
            "documents:version_upload",
        ):
            assert (
                web_for(make_member(Role.ADMIN)).post(reverse(name, args=[foreign.document_id])).status_code
                == 404
            )
        assert DocumentDownload.objects.count() == 1

    def test_auditor_downloads_only_from_granted_systems(self, org, make_member, web_for):
        from registry.grants import grant_system_view

        auditor = make_member(Role.AUDITOR)
        document = make_document(org)
        url = reverse("documents:version_download", args=[document.versions.get().pk])
        web = web_for(auditor)
        assert web.get(url).status_code == 404
        grant_system_view(auditor.user, document.systems.get())
        assert web.get(url).status_code == 200

    def test_files_are_not_under_a_public_url(self, org, make_member, web_for):
        version = make_document(org).versions.get()
        web = web_for(make_member(Role.ADMIN))
        assert web.get("/media/" + version.file.name).status_code == 404


class TestSystemDocumentsTab(UIContract):
    detail_url_name = "documents:system_documents"

    def make_object(self, organization):
        return AISystemFactory(organization=organization)

    def test_tab_lists_required_items_with_states(self, org, make_member, web_for):
        system = AISystemFactory(organization=org, processes_personal_data=True)
        make_document(
            org, system=system, items=["general-description"], approve=True, title="System description"
        )
        page = web_for(make_member(Role.VIEWER)).get(reverse("documents:system_documents", args=[system.pk]))
        html = page.content.decode()
        assert 'data-item="general-description"' in html and "System description" in html
        assert 'data-state="approved"' in html and 'data-state="missing"' in html
        detail = web_for(make_member(Role.VIEWER)).get(reverse("registry:system_detail", args=[system.pk]))
        assert reverse("documents:system_documents", args=[system.pk]) in detail.content.decode()


class TestGapsPage(UIContract):
    list_url_name = "documents:gaps"

    def make_object(self, organization):
        system = AISystemFactory(organization=organization)
        make_document(organization, system=system)
        return system

    def test_gaps_name_systems_and_missing_items(self, org, make_member, web_for):
        system = AISystemFactory(organization=org, name="Chat assistant", interacts_with_natural_persons=True)
        html = web_for(make_member(Role.VIEWER)).get(reverse("documents:gaps")).content.decode()
        assert "Chat assistant" in html and "User agreement" in html
        assert str(system.code) in html
