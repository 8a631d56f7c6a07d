"""Running one background job in a real Celery worker (a subprocess, solo pool, its own queue)
against Redis and the test PostgreSQL database, for the tests marked `worker`.

Without PostgreSQL or Redis the test skips with the reason; under CI=true it fails instead."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

from tests.deadlines.test_worker import REDIS_URL, _redis_reachable, _unavailable

ROOT = Path(__file__).resolve().parents[1]


def require_worker_services() -> None:
    if connection.vendor != "postgresql":
        _unavailable("the worker test needs DATABASE_URL pointing at PostgreSQL")
    if not _redis_reachable():
        _unavailable(f"Redis is not reachable at {REDIS_URL}")


def run_job_in_real_worker(job, *, timeout: float = 120) -> str:
    """Send `job` ("jobs.run") to a fresh worker, wait until it has finished (or `timeout`), stop
    the worker and return its log; `job` is refreshed from the database."""
    db = settings.DATABASES["default"]
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    queue = f"kzai-test-{os.getpid()}-{job.pk}"
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
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and worker.poll() is None:
            job.refresh_from_db()
            if job.is_finished:
                break
            time.sleep(0.5)
    finally:
        worker.terminate()
        try:
            output = worker.communicate(timeout=20)[0].decode(errors="replace")
        except subprocess.TimeoutExpired:
            worker.kill()
            output = worker.communicate()[0].decode(errors="replace")
        print(output[-3000:])
    return output
