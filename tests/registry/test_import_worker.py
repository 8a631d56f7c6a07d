"""A real Celery worker (subprocess, solo pool) against Redis and the test PostgreSQL database runs
an import job started the way the import page starts it, reading the file from private storage.

Skips with a reason without PostgreSQL or Redis; fails instead under CI=true."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import connection

from kzai.activity.models import ActivityRecord
from kzai.core.roles import Role
from kzai.jobs import tasks
from kzai.jobs.models import Job
from kzai.jobs.services import job_start
from registry.jobs import IMPORT_SYSTEMS
from registry.models import AISystem
from tests.deadlines.test_worker import REDIS_URL, _redis_reachable, _unavailable
from tests.factories import MembershipFactory, OrganizationFactory
from tests.registry.test_import import GOOD, csv_bytes

ROOT = Path(__file__).resolve().parents[2]


def _worker_env():
    db = settings.DATABASES["default"]
    credentials = f"{db['USER']}:{db['PASSWORD']}" if db.get("PASSWORD") else db["USER"]
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://{credentials}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": REDIS_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DJANGO_SETTINGS_MODULE": "kzai.settings",
    }


def _wait(job_id, worker, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and worker.poll() is None:
        job = Job.objects.get(pk=job_id)
        if job.is_finished:
            return job
        time.sleep(0.5)
    return Job.objects.get(pk=job_id)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_runs_the_import_dry_run_and_commit(monkeypatch):
    if connection.vendor != "postgresql":
        _unavailable("the worker test needs DATABASE_URL pointing at PostgreSQL")
    if not _redis_reachable():
        _unavailable(f"Redis is not reachable at {REDIS_URL}")
    from celery import Celery

    org = OrganizationFactory()
    member = MembershipFactory(organization=org, role=Role.OFFICER)
    queue = f"kzai-import-test-{os.getpid()}"
    client = Celery(broker=REDIS_URL)
    # The job's own task, by name, on a queue only this test's worker reads.
    monkeypatch.setattr(
        tasks.run_job_task, "delay", lambda job_id: client.send_task("jobs.run", args=[job_id], queue=queue)
    )
    celery = Path(sys.executable).with_name("celery")
    worker = subprocess.Popen(
        [str(celery), "-A", "kzai", "worker", "--pool=solo", "-Q", queue, "--without-gossip",
         "--without-mingle", "--without-heartbeat", "--loglevel=INFO"],
        cwd=ROOT,
        env=_worker_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        checked = job_start(
            membership=member,
            kind=IMPORT_SYSTEMS,
            params={"dry_run": True},
            input_file=ContentFile(csv_bytes(*GOOD)),
            input_name="systems.csv",
        )
        checked = _wait(checked.pk, worker)
        assert checked.status == "succeeded", (checked.status, checked.error)
        assert checked.result["row_count"] == 2 and checked.result["error_count"] == 0
        assert not AISystem.objects.exists()
        committed = job_start(
            membership=member,
            kind=IMPORT_SYSTEMS,
            params={"dry_run": False, "checked": checked.pk},
            input_from=checked,
        )
        committed = _wait(committed.pk, worker)
        assert committed.status == "succeeded", (committed.status, committed.error)
        systems = AISystem.objects.filter(organization=org)
        assert sorted(systems.values_list("code", flat=True)) == ["CHAT-01", "SCORE-01"]
        assert sorted(committed.result["created"]) == sorted(systems.values_list("pk", flat=True))
        created = ActivityRecord.objects.filter(
            action="create", content_type=ContentType.objects.get_for_model(AISystem)
        )
        assert set(created.values_list("actor_id", "source")) == {(member.user_id, "task")}
        assert not committed.input_file.storage.exists(committed.input_file.name)  # deleted once imported
    finally:
        worker.terminate()
        try:
            output = worker.communicate(timeout=20)[0].decode(errors="replace")
        except subprocess.TimeoutExpired:
            worker.kill()
            output = worker.communicate()[0].decode(errors="replace")
        print(output[-3000:])
