"""A real Celery worker renders a technical passport started through the job platform; the PDF is
read back with pypdf (tests/real_worker.py: skips without PostgreSQL or Redis, fails under CI)."""

import io
from unittest import mock

import pytest
from pypdf import PdfReader

from documents.jobs import PASSPORT
from documents.models import PassportIssue
from kzai.core.roles import Role
from kzai.jobs.models import Job
from kzai.jobs.services import job_start
from tests.factories import AISystemFactory, MembershipFactory, OrganizationFactory
from tests.real_worker import require_worker_services, run_job_in_real_worker


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_renders_the_passport():
    require_worker_services()
    org = OrganizationFactory(name="Gamma Insurance")
    officer = MembershipFactory(organization=org, role=Role.OFFICER)
    system = AISystemFactory(organization=org, name="Claims triage", code="CLAIMS-01")
    # The job is queued as the page does; the worker below receives it instead of the in-process run.
    with mock.patch("kzai.jobs.tasks.run_job_task.delay"):
        job = job_start(membership=officer, kind=PASSPORT, params={"system_id": system.pk, "language": "en"})
    run_job_in_real_worker(job)
    assert job.status == "succeeded", (job.status, job.error)
    issue = PassportIssue.objects.get(system=system)
    with issue.version.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Claims triage" in text and "Gamma Insurance" in text and "CLAIMS-01" in text
    assert issue.content_sha256[:16] in text.replace("\n", "")
    assert Job.objects.get(pk=job.pk).progress_done == Job.objects.get(pk=job.pk).progress_total > 0
