"""Every Celery task kzai registers is used: scheduled by beat or enqueued by product code (tests
do not count). A task nothing runs is dead code that still looks like a feature."""

import re
from pathlib import Path

from django.conf import settings

from kzai.celery import app

ROOT = Path(__file__).resolve().parents[2]
PRODUCT_DIRS = ("kzai", "registry", "risk", "documents", "audit")


def _registered() -> dict:
    app.loader.import_default_modules()  # autodiscovery, as a worker does at start
    return {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}


def _product_source() -> str:
    files = (
        path
        for folder in PRODUCT_DIRS
        if (ROOT / folder).is_dir()
        for path in (ROOT / folder).rglob("*.py")
        if "migrations" not in path.parts
    )
    return "\n".join(path.read_text() for path in files)


def test_kzai_registers_its_tasks():
    names = set(_registered())
    assert {"deadlines.daily_sweep", "deadlines.send_notifications"} <= names


def test_every_registered_task_is_scheduled_or_called():
    scheduled = {spec["task"] for spec in settings.KZAI_BEAT_SCHEDULE.values()}
    source = _product_source()
    unused = []
    for name, task in _registered().items():
        function = task.run.__name__
        called = re.search(rf"\b{re.escape(function)}\.(delay|apply_async|s|si|signature)\b", source)
        sent = re.search(rf"send_task\(\s*[\"']{re.escape(name)}[\"']", source)
        if name not in scheduled and not called and not sent:
            unused.append(name)
    assert unused == [], f"tasks nothing schedules or enqueues: {unused}"


def test_the_beat_schedule_names_registered_tasks():
    registered = set(_registered())
    for entry, spec in settings.KZAI_BEAT_SCHEDULE.items():
        assert spec["task"] in registered, entry
    assert "deadlines.send_notifications" in {spec["task"] for spec in settings.KZAI_BEAT_SCHEDULE.values()}
