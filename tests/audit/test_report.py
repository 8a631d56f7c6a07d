"""The final audit report: who may ask for it and when, the PDF's content in three languages, its
storage as a document version of the systems in scope, the API and page that start it, and the
Audits section it feeds in the technical passport."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from pypdf import PdfReader

from audit import report as audit_report
from audit import services
from audit.models import EngagementReport
from documents.models import DocumentDownload
from documents.passport import passport_render
from kzai.core.roles import Role
from kzai.jobs.models import Job
from tests.audit.reporting import closed_engagement
from tests.factories import AISystemFactory


def pdf_text(version) -> str:
    with version.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def system(org):
    return AISystemFactory(organization=org, name="Credit scoring", code="CRM-SCORE-01")


def test_sign_off_renders_the_report_as_a_document_version_of_the_systems(
    org, officer, system, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        engagement, evidence = closed_engagement(org, officer, system)
    report = EngagementReport.objects.get(engagement=engagement)
    job = Job.objects.get(kind=audit_report.REPORT_JOB)
    assert job.status == "succeeded" and job.result["version_id"] == report.version_id
    assert job.created_by == engagement.lead_auditor.user
    document = report.version.document
    assert document.items == ["audit-reports"] and list(document.systems.all()) == [system]
    assert report.version.author == engagement.lead_auditor and report.version.media_type == "application/pdf"
    text = pdf_text(report.version)
    spaced, flat = " ".join(text.split()), text.replace("\n", "")
    for expected in (
        "Audit report",
        "Audit 2026",
        "Alpha Bank",
        "CRM-SCORE-01",
        "Logs are kept a year",
        "Minor nonconformity",
        "Six months only",
        "Retention shorter than a year",
        "Extend the log retention",
        "Open",  # the remediation state
        "Data sheet of the scoring model",
        "Positive with reservations",
        "Meets with reservations.",
        engagement.lead_auditor.user.email,
    ):
        assert expected in spaced, expected
    assert evidence.sha256 in flat


def test_rendered_again_in_russian_and_kazakh_as_new_versions_of_the_same_document(org, officer, system):
    engagement, _evidence = closed_engagement(org, officer, system)
    russian = audit_report.report_render(engagement=engagement, membership=officer, language="ru")
    kazakh = audit_report.report_render(engagement=engagement, membership=officer, language="kk")
    assert russian.version.document == kazakh.version.document
    assert (russian.version.number, kazakh.version.number) == (1, 2)
    assert "Аудиторский отчёт" in pdf_text(russian.version)
    assert "Аудиторлық есеп" in pdf_text(kazakh.version)


def test_who_may_ask_for_the_report_and_when(org, officer, system, make_member):
    team_auditor = make_member(Role.AUDITOR)
    engagement, _ = closed_engagement(org, officer, system, sign_off=False)
    engagement.refresh_from_db()
    with pytest.raises(ValidationError, match="signed the engagement off"):
        audit_report.report_request(engagement=engagement, membership=officer, language="en")
    services.engagement_sign_off(engagement=engagement, membership=engagement.lead_auditor)
    for member in (team_auditor, make_member(Role.CONTRIBUTOR), make_member(Role.VIEWER)):
        with pytest.raises(PermissionDenied):
            audit_report.report_request(engagement=engagement, membership=member, language="en")
    with pytest.raises(ValidationError):
        audit_report.report_request(engagement=engagement, membership=officer, language="de")
    job = audit_report.report_request(engagement=engagement, membership=officer, language="kk")
    assert job.params == {"engagement_id": engagement.pk, "language": "kk"}


def test_api_starts_the_render_and_shows_the_latest_version(
    org, other_org, officer, system, make_member, api_for, django_capture_on_commit_callbacks
):
    engagement, _ = closed_engagement(org, officer, system)
    url = reverse("audit-engagement-report", args=[engagement.pk])
    lead = api_for(engagement.lead_auditor)
    assert lead.get(url).json()["latest_report"] is None
    assert lead.post(url, {"language": "xx"}, format="json").status_code == 400
    assert (
        api_for(make_member(Role.CONTRIBUTOR)).post(url, {"language": "en"}, format="json").status_code == 403
    )
    assert (
        api_for(make_member(Role.ADMIN, organization=other_org)).post(url, {"language": "en"}).status_code
        == 404
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = lead.post(url, {"language": "ru"}, format="json")
    assert response.status_code == 202, response.content
    assert Job.objects.get(pk=response.json()["job"]).status == "succeeded"
    body = lead.get(url).json()
    report = EngagementReport.objects.get(engagement=engagement)
    assert body["latest_report"]["language"] == "ru"
    assert body["latest_report"]["version"]["sha256"] == report.version.sha256
    assert body["evidence"][0]["document"] == "Data sheet of the scoring model"
    # The lead auditor downloads the stored PDF through the documents app: checked and recorded.
    download = lead.get(body["latest_report"]["version"]["download_url"])
    assert download.status_code == 200
    assert DocumentDownload.objects.filter(version=report.version, member=engagement.lead_auditor).exists()


def test_api_refuses_a_render_before_the_sign_off(org, officer, system, api_for):
    engagement, _ = closed_engagement(org, officer, system, sign_off=False)
    url = reverse("audit-engagement-report", args=[engagement.pk])
    assert api_for(officer).post(url, {"language": "en"}, format="json").status_code == 400


def test_page_starts_the_render_and_links_the_report(
    org, officer, system, make_member, web_for, django_capture_on_commit_callbacks
):
    engagement, _ = closed_engagement(org, officer, system)
    detail = reverse("audit:engagement_detail", args=[engagement.pk])
    start_url = reverse("audit:report_start", args=[engagement.pk])
    contributor = web_for(make_member(Role.CONTRIBUTOR))
    assert start_url not in contributor.get(detail).content.decode()
    assert contributor.post(start_url, {"language": "en"}).status_code == 403
    web = web_for(officer)
    assert start_url in web.get(detail).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = web.post(start_url, {"language": "kk"})
    job = Job.objects.get(kind=audit_report.REPORT_JOB, created_by=officer.user)
    assert response.status_code == 302 and response["Location"] == reverse("jobs:job_detail", args=[job.pk])
    report = EngagementReport.objects.get(engagement=engagement)
    page = web.get(detail).content.decode()
    assert reverse("documents:version_download", args=[report.version_id]) in page
    assert report.version.sha256 in page


def test_passport_has_an_audits_section_fed_by_the_audit_app(org, officer, system):
    engagement, _ = closed_engagement(org, officer, system)
    report = audit_report.report_render(engagement=engagement, membership=officer, language="en")
    issue = passport_render(system=system, membership=officer, language="en")
    text = pdf_text(issue.version)
    spaced, flat = " ".join(text.split()), text.replace("\n", "")
    assert "12. Audits" in text and "13. Signatures" in text
    assert "Audit 2026" in spaced and "Positive with reservations" in spaced
    assert report.version.sha256[:20] in flat


def test_passport_audits_section_lists_only_what_the_reader_may_see(org, other_org, officer, system):
    closed_engagement(org, officer, system)
    other_system = AISystemFactory(organization=org, code="OTHER-01")
    html = audit_report.passport_section(system=other_system, membership=officer)
    assert "Audit 2026" not in html and "No audits recorded." in html
