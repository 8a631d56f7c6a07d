"""A real Celery worker (subprocess, solo pool) against Redis and the test PostgreSQL database
renders the final audit report asked for after the sign-off; the PDF is read back with pypdf.

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

from audit.models import EngagementReport
from audit.report import report_request
from kzai.core.roles import Role
from tests.audit.reporting import closed_engagement
from tests.deadlines.test_worker import REDIS_URL, _redis_reachable, _unavailable
from tests.factories import AISystemFactory, MembershipFactory, OrganizationFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_renders_the_audit_report():
    if connection.vendor != "postgresql":
        _unavailable("the worker test needs DATABASE_URL pointing at PostgreSQL")
    if not _redis_reachable():
        _unavailable(f"Redis is not reachable at {REDIS_URL}")
    org = OrganizationFactory(name="Gamma Insurance")
    officer = MembershipFactory(organization=org, role=Role.OFFICER)
    system = AISystemFactory(organization=org, name="Claims triage", code="CLAIMS-01")
    # Queued as the sign-off and the page queue it; the worker below receives it instead.
    with mock.patch("kzai.jobs.tasks.run_job_task.delay"):
        engagement, evidence = closed_engagement(org, officer, system)
        job = report_request(engagement=engagement, membership=engagement.lead_auditor, language="ru")

    db = settings.DATABASES["default"]
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    queue = f"kzai-audit-test-{os.getpid()}"
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
    finally:
        worker.terminate()
        try:
            output = worker.communicate(timeout=20)[0].decode(errors="replace")
        except subprocess.TimeoutExpired:
            worker.kill()
            output = worker.communicate()[0].decode(errors="replace")
        print(output[-3000:])
