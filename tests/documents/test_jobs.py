"""Passport renders and inspection packs through the job platform (tasks run in-process here;
test_worker.py runs a real Celery worker)."""

import hashlib
import io
import json
import zipfile

import pytest
from django.urls import reverse

from documents.models import DocumentDownload, PassportIssue
from kzai.core.roles import Role
from kzai.jobs.models import Job
from registry.grants import grant_system_view
from tests.documents.helpers import make_document
from tests.factories import AISystemFactory
from tests.tenancy import UIContract


def _zip_of(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


class TestPassportAndPackPages(UIContract):
    detail_url_name = "documents:pack_detail"
    covered_url_names = ("documents:passport_start", "documents:pack_start", "documents:pack_download")

    def make_object(self, organization):
        from documents.jobs import PACK
        from kzai.jobs.services import job_start
        from tests.factories import MembershipFactory

        member = MembershipFactory(organization=organization, role=Role.OFFICER)
        job = job_start(
            membership=member, kind=PACK, params={"system_id": AISystemFactory(organization=organization).pk}
        )
        return Job.objects.get(pk=job.pk)

    @pytest.mark.parametrize("role", Role.values)
    def test_role_permissions(self, role, org, make_member, web_for):
        # A pack is the private result of the member who built it: nobody else reads it (404),
        # whatever their role; the member's own pack is covered below.
        member = make_member(role)
        obj = self.make_object(org)
        assert web_for(member).get(reverse(self.detail_url_name, args=[obj.pk])).status_code == 404

    def test_render_passport_from_the_tab(
        self, org, make_member, web_for, django_capture_on_commit_callbacks
    ):
        officer = make_member(Role.OFFICER)
        web = web_for(officer)
        system = AISystemFactory(organization=org, name="Fraud detector")
        with django_capture_on_commit_callbacks(execute=True):
            response = web.post(reverse("documents:passport_start", args=[system.pk]), {"language": "ru"})
        job = Job.objects.get(kind="documents.passport")
        assert response["Location"] == reverse("jobs:job_detail", args=[job.pk])
        assert job.status == "succeeded", job.error
        # The job page sends the member to the Documents tab, which offers the PDF.
        page = web.get(reverse("jobs:job_detail", args=[job.pk]), follow=True)
        html = page.content.decode()
        issue = PassportIssue.objects.get(system=system)
        assert issue.language == "ru" and issue.version.sha256 in html
        download = web.get(reverse("documents:version_download", args=[issue.version.pk]))
        assert b"".join(download.streaming_content).startswith(b"%PDF-")

    def test_viewer_cannot_render(self, org, make_member, web_for):
        system = AISystemFactory(organization=org)
        response = web_for(make_member(Role.VIEWER)).post(
            reverse("documents:passport_start", args=[system.pk]), {"language": "en"}
        )
        assert response.status_code == 403 and not Job.objects.exists()

    def test_pack_manifest_lists_every_file_with_its_hash(
        self, org, make_member, web_for, django_capture_on_commit_callbacks
    ):
        officer = make_member(Role.OFFICER)
        web = web_for(officer)
        system = AISystemFactory(organization=org, code="SCORE-1")
        approved = make_document(org, system=system, membership=officer, approve=True, title="Model card")
        make_document(org, system=system, membership=officer, title="Draft notes")  # drafts stay out
        with django_capture_on_commit_callbacks(execute=True):
            web.post(reverse("documents:passport_start", args=[system.pk]), {"language": "en"})
        with django_capture_on_commit_callbacks(execute=True):
            response = web.post(reverse("documents:pack_start", args=[system.pk]))
        job = Job.objects.get(kind="documents.inspection_pack")
        assert job.status == "succeeded", job.error
        page = web.get(response["Location"], follow=True)
        assert page.request["PATH_INFO"] == reverse("documents:pack_detail", args=[job.pk])
        archive = _zip_of(web.get(reverse("documents:pack_download", args=[job.pk])))
        names = set(archive.namelist())
        manifest = json.loads(archive.read("manifest.json"))
        listed = {f["path"]: f["sha256"] for f in manifest["files"]}
        assert names == set(listed) | {"manifest.json", "SHA256SUMS"}
        for path, digest in listed.items():
            assert hashlib.sha256(archive.read(path)).hexdigest() == digest
        assert any(p.startswith("passport/") and p.endswith(".pdf") for p in listed)
        model_card = [p for p in listed if "Model-card" in p]
        assert len(model_card) == 1 and listed[model_card[0]] == approved.approved_version.sha256
        assert not any("Draft-notes" in p for p in listed)
        log = archive.read("activity-log.csv").decode("utf-8-sig")
        assert "Model card" in log and "time,who" in log
        sums = archive.read("SHA256SUMS").decode()
        assert f"{listed[model_card[0]]}  {model_card[0]}" in sums
        assert DocumentDownload.objects.filter(member=officer).count() == 2  # the passport and the model card

    def test_auditor_pack_holds_only_granted_systems(
        self, org, make_member, web_for, django_capture_on_commit_callbacks
    ):
        auditor = make_member(Role.AUDITOR)
        system = AISystemFactory(organization=org)
        make_document(org, system=system, approve=True)
        web = web_for(auditor)
        assert web.post(reverse("documents:pack_start", args=[system.pk])).status_code == 404
        grant_system_view(auditor.user, system)
        with django_capture_on_commit_callbacks(execute=True):
            web.post(reverse("documents:pack_start", args=[system.pk]))
        job = Job.objects.get(kind="documents.inspection_pack")
        archive = _zip_of(web.get(reverse("documents:pack_download", args=[job.pk])))
        assert any(name.startswith("documents/") for name in archive.namelist())
        # Another member of the same organization cannot read this auditor's pack.
        assert (
            web_for(make_member(Role.ADMIN))
            .get(reverse("documents:pack_download", args=[job.pk]))
            .status_code
            == 404
        )


def test_api_starts_a_render_and_returns_a_job_to_poll(
    org, make_member, api_for, django_capture_on_commit_callbacks
):
    client = api_for(make_member(Role.CONTRIBUTOR))
    system = AISystemFactory(organization=org)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("document-passport"), {"system": system.pk, "language": "kk"})
    assert response.status_code == 202, response.content
    polled = client.get(response.json()["poll_url"]).json()
    assert polled["finished"] and polled["status"] == "succeeded"
    versions = client.get(reverse("document-version-list"), {"document__passport_of": system.pk}).json()
    assert versions["count"] == 1 and versions["results"][0]["media_type"] == "application/pdf"
    bad = client.post(reverse("document-passport"), {"system": system.pk, "language": "de"})
    assert bad.status_code == 400 and "language" in bad.json()
    assert (
        api_for(make_member(Role.VIEWER))
        .post(reverse("document-passport"), {"system": system.pk, "language": "en"})
        .status_code
        == 403
    )


def test_api_pack(org, make_member, api_for, other_org, django_capture_on_commit_callbacks):
    client = api_for(make_member(Role.VIEWER))
    system = AISystemFactory(organization=org)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("document-pack"), {"system": system.pk})
    assert (
        response.status_code == 202
        and client.get(response.json()["poll_url"]).json()["status"] == "succeeded"
    )
    foreign = AISystemFactory(organization=other_org)
    assert client.post(reverse("document-pack"), {"system": foreign.pk}).status_code == 400
