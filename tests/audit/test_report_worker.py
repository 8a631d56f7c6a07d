"""A real Celery worker renders the final audit report asked for after the sign-off; the PDF is
read back with pypdf (tests/real_worker.py: skips without PostgreSQL or Redis, fails under CI)."""

import io
from unittest import mock

import pytest
from pypdf import PdfReader

from audit.models import EngagementReport
from audit.report import report_request
from kzai.core.roles import Role
from tests.audit.reporting import closed_engagement
from tests.factories import AISystemFactory, MembershipFactory, OrganizationFactory
from tests.real_worker import require_worker_services, run_job_in_real_worker


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_renders_the_audit_report():
    require_worker_services()
    org = OrganizationFactory(name="Gamma Insurance")
    officer = MembershipFactory(organization=org, role=Role.OFFICER)
    system = AISystemFactory(organization=org, name="Claims triage", code="CLAIMS-01")
    # Queued as the sign-off and the page queue it; the worker below receives it instead.
    with mock.patch("kzai.jobs.tasks.run_job_task.delay"):
        engagement, evidence = closed_engagement(org, officer, system)
        job = report_request(engagement=engagement, membership=engagement.lead_auditor, language="ru")
    run_job_in_real_worker(job)
    assert job.status == "succeeded", (job.status, job.error)
    report = EngagementReport.objects.get(engagement=engagement)
    assert job.result["version_id"] == report.version_id and report.language == "ru"
    assert report.version.document.items == ["audit-reports"]
    with report.version.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    spaced = " ".join(text.split())
    assert "Аудиторский отчёт" in spaced and "Gamma Insurance" in spaced and "CLAIMS-01" in spaced
    assert "Retention shorter than a year" in spaced and "Extend the log retention" in spaced
    assert evidence.sha256 in text.replace("\n", "")
    assert job.progress_done == job.progress_total > 0
