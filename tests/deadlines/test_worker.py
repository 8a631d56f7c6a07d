"""A real Celery worker (subprocess, solo pool) against Redis and the test PostgreSQL database
receives the enqueued sweep and the reminder e-mail lands in a file-based mailbox.

Skips with a reason without PostgreSQL or Redis; fails instead under CI=true."""

import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from kzai.core.roles import Role
from kzai.deadlines.models import Notification
from tests.factories import AISystemFactory, MembershipFactory, OrganizationFactory

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/13"
ROOT = Path(__file__).resolve().parents[2]


def _unavailable(reason):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} — the worker test is required in CI")
    pytest.skip(reason)


def _redis_reachable() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping())
    except Exception:  # noqa: BLE001 - any failure means unreachable
        return False


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_sends_the_reminder_email(tmp_path):
    if connection.vendor != "postgresql":
        _unavailable("the worker test needs DATABASE_URL pointing at PostgreSQL")
    if not _redis_reachable():
        _unavailable(f"Redis is not reachable at {REDIS_URL}")
    from kzai.deadlines.services import deadline_sync

    org = OrganizationFactory()
    member = MembershipFactory(organization=org, role=Role.CONTRIBUTOR, user__email="owner@alpha.kz")
    system = AISystemFactory(organization=org)
    today = datetime.date.today()
    deadline_sync(
        source=system,
        kind="obligation",
        due_on=today + datetime.timedelta(days=3),
        title="Notice of automated processing",
        responsible=member,
        system=system,
    )

    db = settings.DATABASES["default"]
    mailbox = tmp_path / "mail"
    mailbox.mkdir()
    queue = f"kzai-test-{os.getpid()}"
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": REDIS_URL,
        "EMAIL_FILE_PATH": str(mailbox),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DJANGO_SETTINGS_MODULE": "kzai.settings",
    }
    if db.get("PASSWORD"):
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        )
    celery = Path(sys.executable).with_name("celery")
    worker = subprocess.Popen(
        [
            str(celery),
            "-A",
            "kzai",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        from celery import Celery

        client = Celery(broker=REDIS_URL)
        client.send_task("deadlines.daily_sweep", queue=queue)  # what beat sends daily
        deadline = time.monotonic() + 60
        files = []
        while time.monotonic() < deadline and not files:
            if worker.poll() is not None:
                break
            files = list(mailbox.glob("*.log"))
            time.sleep(0.5)
        assert files, "no e-mail arrived from the worker"
        content = files[0].read_text()
        assert "To: owner@alpha.kz" in content and "Notice of automated processing" in content
        notification = Notification.objects.get(recipient=member)
        assert notification.email_sent_at is not None and notification.threshold == "7d"
    finally:
        worker.terminate()
        try:
            output = worker.communicate(timeout=20)[0].decode(errors="replace")
        except subprocess.TimeoutExpired:
            worker.kill()
            output = worker.communicate()[0].decode(errors="replace")
        print(output[-3000:])
