"""A real Celery worker (subprocess, solo pool) against Redis and the test PostgreSQL database
renders a technical passport started through the job platform; the PDF is read back with pypdf.

Skips with a reason without PostgreSQL or Redis; fails instead under CI=true."""

import io
import os
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection
from pypdf import PdfReader

from documents.jobs import PASSPORT
from documents.models import PassportIssue
from kzai.core.roles import Role
from kzai.jobs.models import Job
from kzai.jobs.services import job_start
from tests.deadlines.test_worker import REDIS_URL, _redis_reachable, _unavailable
from tests.factories import AISystemFactory, MembershipFactory, OrganizationFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_renders_the_passport():
    if connection.vendor != "postgresql":
        _unavailable("the worker test needs DATABASE_URL pointing at PostgreSQL")
    if not _redis_reachable():
        _unavailable(f"Redis is not reachable at {REDIS_URL}")
    org = OrganizationFactory(name="Gamma Insurance")
    officer = MembershipFactory(organization=org, role=Role.OFFICER)
    system = AISystemFactory(organization=org, name="Claims triage", code="CLAIMS-01")
    # The job is queued as the page does; the worker below receives it instead of the in-process run.
    with mock.patch("kzai.jobs.tasks.run_job_task.delay"):
        job = job_start(membership=officer, kind=PASSPORT, params={"system_id": system.pk, "language": "en"})

    db = settings.DATABASES["default"]
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    queue = f"kzai-docs-test-{os.getpid()}"
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{credentials}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": REDIS_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DJANGO_SETTINGS_MODULE": "kzai.settings",
    }
    celery = Path(sys.executable).with_name("celery")
    worker = subprocess.Popen(
        [str(celery), "-A", "kzai", "worker", "--pool=solo", "-Q", queue, "--without-gossip",
         "--without-mingle", "--without-heartbeat", "--loglevel=INFO"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        from celery import Celery

        Celery(broker=REDIS_URL).send_task("jobs.run", args=[job.pk], queue=queue)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and worker.poll() is None:
            job.refresh_from_db()
            if job.is_finished:
                break
            time.sleep(0.5)
        assert job.status == "succeeded", (job.status, job.error)
        issue = PassportIssue.objects.get(system=system)
        with issue.version.file.open("rb") as handle:
            reader = PdfReader(io.BytesIO(handle.read()))
        text = "\n".join(page.extract_text() for page in reader.pages)
        assert "Claims triage" in text and "Gamma Insurance" in text and "CLAIMS-01" in text
        assert issue.content_sha256[:16] in text.replace("\n", "")
        assert Job.objects.get(pk=job.pk).progress_done == Job.objects.get(pk=job.pk).progress_total > 0
    finally:
        worker.terminate()
        try:
            output = worker.communicate(timeout=20)[0].decode(errors="replace")
        except subprocess.TimeoutExpired:
            worker.kill()
            output = worker.communicate()[0].decode(errors="replace")
        print(output[-3000:])
