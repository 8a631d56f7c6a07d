"""Import through the real UI: upload → the progress page polls (htmx) while the job waits for its
worker → the dry-run result → 'Import now' → the commit's progress → the imported systems."""

import threading
from types import SimpleNamespace

import pytest
from django.db import connection

from kzai.core.roles import Role
from kzai.jobs import tasks
from registry.models import AISystem
from tests.browser.helpers import sign_in
from tests.factories import MembershipFactory, OrganizationFactory
from tests.registry.test_import import GOOD, csv_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# The worker takes a job only once the test has seen its progress page: a busy worker, without a
# race against a slow page load (a timer could finish the job before the page first renders).
worker_released = threading.Event()
run_job = tasks.run_job_task


def _late_worker(job_id):
    """Run the job in another thread once released, as a busy worker would."""

    def run():
        try:
            worker_released.wait(timeout=60)
            run_job(job_id)
        finally:
            connection.close()

    threading.Thread(target=run, daemon=True).start()


def test_import_shows_progress_then_the_result(page, live_server, monkeypatch, tmp_path):
    # The module's name is replaced, not the task's `delay`: the task is a proxy that the live
    # server's thread may resolve to another object than the one patched here.
    monkeypatch.setattr(tasks, "run_job_task", SimpleNamespace(delay=_late_worker))
    organization = OrganizationFactory(name="Qazaq Bank JSC", slug="qazaq")
    member = MembershipFactory(organization=organization, role=Role.OFFICER)
    upload = tmp_path / "systems.csv"
    upload.write_bytes(csv_bytes(*GOOD))

    sign_in(page, live_server.url, member.user.email)
    page.goto(f"{live_server.url}/registry/systems/import/")
    page.get_by_label("CSV or XLSX file").set_input_files(str(upload))
    page.get_by_role("button", name="Check the file").click()

    page.locator("progress").wait_for()  # the job's page, polling while the job waits
    assert "/jobs/" in page.url
    worker_released.set()
    page.get_by_text("The file is valid: 2 systems will be registered.").wait_for(timeout=20_000)
    assert "/registry/systems/import/?job=" in page.url
    assert not AISystem.objects.exists()

    worker_released.clear()
    page.get_by_role("button", name="Import now").click()
    page.locator("progress").wait_for()
    worker_released.set()
    page.get_by_text("2 AI systems were imported.").wait_for(timeout=20_000)
    assert AISystem.objects.filter(organization=organization).count() == 2
