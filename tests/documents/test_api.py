"""The documents API: tenancy and roles through the shared suite, multipart upload, download."""

from django.urls import reverse

from documents.models import DocumentDownload, DocumentVersion
from kzai.activity.models import ActivityRecord
from kzai.core.roles import Action, Role
from tests.documents.helpers import PDF, make_document, office_zip
from tests.factories import AISystemFactory
from tests.tenancy import APIContract


class TestDocumentContract(APIContract):
    basename = "document"

    def make_object(self, organization):
        return make_document(organization)

    def create_payload(self, organization):
        system = AISystemFactory(organization=organization)
        return {"title": "Model card", "systems": [system.pk], "items": ["algorithms-models"]}

    def update_payload(self, obj):
        return {"title": "Model card, revised"}


class TestDocumentVersionContract(APIContract):
    basename = "document-version"

    def make_object(self, organization):
        return make_document(organization).versions.get()


def test_upload_through_multipart_then_approve_and_download(org, make_member, api_for):
    officer = make_member(Role.OFFICER)
    client = api_for(officer)
    system = AISystemFactory(organization=org)
    created = client.post(
        reverse("document-list"), {"title": "Test report", "systems": [system.pk], "items": ["test-results"]}
    )
    assert created.status_code == 201, created.content
    document_id = created.json()["id"]
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = client.post(
        reverse("document-version-list"),
        {"document": document_id, "file": SimpleUploadedFile("report.pdf", PDF), "change_note": "First"},
        format="multipart",
    )
    assert upload.status_code == 201, upload.content
    body = upload.json()
    assert body["number"] == 1 and body["media_type"] == "application/pdf" and len(body["sha256"]) == 64

    approved = client.post(reverse("document-approve", args=[document_id]))
    assert approved.status_code == 200 and approved.json()["state"] == "approved"

    download = client.get(body["download_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment")
    assert DocumentDownload.objects.filter(version_id=body["id"], member=officer).count() == 1
    assert ActivityRecord.objects.filter(content_type__model="documentdownload", organization=org).exists()


def test_bad_upload_answers_400_and_stores_nothing(org, make_member, api_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = api_for(make_member(Role.OFFICER))
    document = make_document(org, file=False)
    for name, content in (("a.exe", b"MZ"), ("b.pdf", b""), ("c.docx", PDF), ("d.xlsx", office_zip("word"))):
        response = client.post(
            reverse("document-version-list"),
            {"document": document.pk, "file": SimpleUploadedFile(name, content)},
            format="multipart",
        )
        assert response.status_code == 400, (name, response.content)
        assert response.json()["file"], response.json()
    assert not DocumentVersion.objects.filter(document=document).exists()


def test_roles_for_upload_and_approve(org, make_member, api_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kzai.core.roles import role_allows

    for role in Role.values:
        document = make_document(org)
        client = api_for(make_member(role))
        response = client.post(
            reverse("document-version-list"),
            {"document": document.pk, "file": SimpleUploadedFile("v.pdf", PDF)},
            format="multipart",
        )
        if role_allows(role, Action.ADD):
            assert response.status_code == 201, (role, response.content)
        else:
            assert response.status_code == 403, role
        response = client.post(reverse("document-approve", args=[document.pk]))
        if role_allows(role, Action.APPROVE):
            assert response.status_code == 200, (role, response.content)
        elif role == Role.AUDITOR:
            assert response.status_code in (403, 404), role
        else:
            assert response.status_code == 403, role


def test_other_organization_cannot_upload_to_or_download_from_a_document(
    org, other_org, make_member, api_for
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    foreign = make_document(other_org)
    client = api_for(make_member(Role.ADMIN))
    version = foreign.versions.get()
    assert client.get(reverse("document-version-download", args=[version.pk])).status_code == 404
    assert client.post(reverse("document-approve", args=[foreign.pk])).status_code == 404
    response = client.post(
        reverse("document-version-list"),
        {"document": foreign.pk, "file": SimpleUploadedFile("v.pdf", PDF)},
        format="multipart",
    )
    assert response.status_code == 400 and "document" in response.json()
    assert foreign.versions.count() == 1 and not DocumentDownload.objects.exists()


def test_unknown_item_is_a_400(org, make_member, api_for):
    client = api_for(make_member(Role.OFFICER))
    response = client.post(reverse("document-list"), {"title": "X", "items": ["nope"]})
    assert response.status_code == 400 and "items" in response.json()


def test_filter_by_item_and_state(org, make_member, api_for):
    client = api_for(make_member(Role.OFFICER))
    make_document(org, items=["architecture"], approve=True)
    make_document(org, items=["change-log"])
    rows = client.get(reverse("document-list"), {"item": "architecture"}).json()["results"]
    assert [r["items"] for r in rows] == [["architecture"]]
    rows = client.get(reverse("document-list"), {"state": "draft"}).json()["results"]
    assert [r["items"] for r in rows] == [["change-log"]]
