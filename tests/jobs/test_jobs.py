"""The job platform: lifecycle, rights at run time, and polling through the API and the pages."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.urls import reverse

from kzai.accounts.models import Membership
from kzai.core.roles import Role
from kzai.jobs.models import Job
from kzai.jobs.services import job_start
from tests.factories import MembershipFactory
from tests.jobs import kinds as test_kinds
from tests.tenancy import APIContract, UIContract


def _started_job(organization, kind=test_kinds.COUNT.name, **params):
    """A job started (through the service) by the organization's newest member.

    The tenancy suite makes the member it checks just before the object, so that member is the
    job's creator: the suite then checks that every role sees its own job and no other tenant does.
    """
    membership = Membership.objects.filter(organization=organization).order_by("-pk").first()
    if membership is None:
        membership = MembershipFactory(organization=organization, role=Role.ADMIN)
    return job_start(membership=membership, kind=kind, params=params)


class TestJobAPI(APIContract):
    basename = "job"

    def make_object(self, organization):
        return _started_job(organization)


class TestJobPages(UIContract):
    list_url_name = "jobs:job_list"
    detail_url_name = "jobs:job_detail"
    covered_url_names = ("jobs:job_progress",)

    def make_object(self, organization):
        return _started_job(organization)


# -- lifecycle ---------------------------------------------------------------------------------------
def test_a_job_runs_after_commit_reports_progress_and_succeeds(officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = job_start(membership=officer, kind="tests.count", params={"rows": 5})
    job.refresh_from_db()
    assert job.status == "queued" and job.request_id and job.created_by == officer.user
    assert len(callbacks) == 1  # enqueued only once the transaction commits
    callbacks[0]()
    job.refresh_from_db()
    assert job.status == "succeeded" and job.get_status_display() == "Finished"
    assert (job.progress_done, job.progress_total, job.percent) == (5, 5, 100)
    assert job.result == {"counted": 5, "as": officer.user.email, "organization": officer.organization_id}
    assert job.started_at <= job.finished_at


def test_a_job_error_fails_the_job_with_its_message(officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(membership=officer, kind="tests.refuse")
    job.refresh_from_db()
    assert job.status == "failed" and job.error == "The file has no header row."
    assert job.result == {"file_errors": ["no header"]}


def test_an_unexpected_error_fails_the_job_without_leaking_it(officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(membership=officer, kind="tests.crash")
    job.refresh_from_db()
    assert job.status == "failed" and "unexpected error" in job.error and "bug" not in job.error


def test_a_job_runs_once_even_when_delivered_twice(officer, django_capture_on_commit_callbacks):
    from kzai.jobs.tasks import run_job_task

    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(membership=officer, kind="tests.count")
    job.refresh_from_db()
    finished_at = job.finished_at
    assert run_job_task(job.pk) == "succeeded"
    job.refresh_from_db()
    assert job.finished_at == finished_at


def test_a_role_that_may_not_run_the_kind_cannot_start_it(make_member):
    with pytest.raises(PermissionDenied):
        job_start(membership=make_member(Role.CONTRIBUTOR), kind="tests.importing")


def test_the_rights_at_run_time_apply(officer, django_capture_on_commit_callbacks):
    from kzai.accounts.services import membership_set

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = job_start(membership=officer, kind="tests.importing")
    membership_set(user=officer.user, organization=officer.organization, role=Role.VIEWER)
    callbacks[0]()
    job.refresh_from_db()
    assert job.status == "failed" and "no longer have the right" in job.error


def test_the_job_runs_in_the_language_it_was_started_in(officer, django_capture_on_commit_callbacks):
    from django.utils import translation

    with translation.override("ru"), django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = job_start(membership=officer, kind="tests.crash")
    callbacks[0]()
    job.refresh_from_db()
    assert job.language == "ru" and "unexpected error" not in job.error and job.error


def test_an_input_file_is_kept_privately_under_the_organization(officer):
    job = job_start(
        membership=officer, kind="tests.count", input_file=ContentFile(b"a,b\n"), input_name="systems.csv"
    )
    assert job.input_file.name.startswith(f"jobs/{officer.organization_id}/")
    assert "systems" not in job.input_file.name  # a random name, not the uploaded one
    assert job.input_name == "systems.csv"
    with job.input_file.open("rb") as handle:
        assert handle.read() == b"a,b\n"


# -- polling ------------------------------------------------------------------------------------------
def test_api_poll_shows_progress_then_result(officer, api_for, django_capture_on_commit_callbacks):
    client = api_for(officer)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = job_start(membership=officer, kind="tests.count", params={"rows": 4})
    queued = client.get(reverse("job-detail", args=[job.pk])).json()
    assert queued["status"] == "queued" and queued["finished"] is False
    assert queued["url"].endswith(f"/api/v1/jobs/{job.pk}/")
    callbacks[0]()
    done = client.get(queued["url"]).json()
    assert done["status"] == "succeeded" and done["status_label"] == "Finished" and done["finished"]
    assert done["progress"] == {"done": 4, "total": 4, "percent": 100}
    assert done["result"]["counted"] == 4
    listed = client.get(reverse("job-list")).json()["results"]
    assert [row["id"] for row in listed] == [job.pk] and "result" not in listed[0]


def test_another_members_job_is_not_found(officer, make_member, api_for, web_for):
    job = job_start(membership=officer, kind="tests.count")
    colleague = make_member(Role.OFFICER)
    assert api_for(colleague).get(reverse("job-detail", args=[job.pk])).status_code == 404
    assert api_for(colleague).get(reverse("job-list")).json()["results"] == []
    web = web_for(colleague)
    assert web.get(reverse("jobs:job_detail", args=[job.pk])).status_code == 404
    assert web.get(reverse("jobs:job_progress", args=[job.pk])).status_code == 404


def test_a_member_who_lost_the_kinds_right_no_longer_sees_its_jobs(officer, api_for):
    job = job_start(membership=officer, kind="tests.importing")
    client = api_for(officer)
    assert client.get(reverse("job-detail", args=[job.pk])).status_code == 200
    from kzai.accounts.services import membership_set

    membership_set(user=officer.user, organization=officer.organization, role=Role.VIEWER)
    assert client.get(reverse("job-detail", args=[job.pk])).status_code == 404


def test_progress_partial_polls_until_finished_then_sends_to_the_result(
    officer, web_for, django_capture_on_commit_callbacks
):
    web = web_for(officer)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = job_start(membership=officer, kind="tests.importing", params={"rows": 2})
    page = web.get(reverse("jobs:job_detail", args=[job.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and 'hx-trigger="every 1s"' in body and "<progress" in body
    assert "<script>" not in body  # no inline script (Content-Security-Policy)
    callbacks[0]()
    partial = web.get(reverse("jobs:job_progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert partial["HX-Redirect"] == f"/registry/systems/import/?job={job.pk}"
    assert "hx-trigger" not in partial.content.decode()
    finished = web.get(reverse("jobs:job_detail", args=[job.pk]))
    assert finished.status_code == 302 and finished["Location"] == f"/registry/systems/import/?job={job.pk}"


def test_a_failed_job_page_shows_the_message(officer, web_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(membership=officer, kind="tests.refuse")
    body = web_for(officer).get(reverse("jobs:job_detail", args=[job.pk])).content.decode()
    assert "The file has no header row." in body and "hx-trigger" not in body
    assert Job.objects.filter(pk=job.pk, status="failed").exists()


# -- jobs whose worker died ---------------------------------------------------------------------------
def test_a_job_whose_worker_died_is_failed_by_the_daily_sweep_in_its_language(officer):
    import datetime

    from django.utils import translation

    from kzai.deadlines.handlers import daily_handlers
    from kzai.jobs.services import job_run, stale_jobs_fail

    with translation.override("ru"):
        job = job_start(membership=officer, kind=test_kinds.WORKER_LOST.name)
    with pytest.raises(test_kinds.WorkerLost):
        job_run(job_id=job.pk)  # the worker process dies in the middle: nothing ends the job
    job.refresh_from_db()
    assert job.status == "running" and not job.is_finished

    # An hour later it may still be working (imports of 5,000 rows take a while): left alone.
    assert stale_jobs_fail(now=job.started_at + datetime.timedelta(minutes=60)) == 0
    job.refresh_from_db()
    assert job.status == "running"

    # Past the limit it is failed, with a reason in the language of the person who started it.
    later = job.started_at + datetime.timedelta(minutes=121)
    assert stale_jobs_fail(now=later) == 1
    job.refresh_from_db()
    assert job.status == "failed" and job.is_finished and job.finished_at == later
    assert "перезапущен" in job.error
    assert stale_jobs_fail(now=later) == 0  # once
    assert daily_handlers()["stale_jobs"] is stale_jobs_fail  # run by the daily task


def test_the_job_page_shows_a_stale_job_failed(officer, web_for):
    import datetime

    from kzai.jobs.services import job_run, stale_jobs_fail

    job = job_start(membership=officer, kind=test_kinds.WORKER_LOST.name)
    with pytest.raises(test_kinds.WorkerLost):
        job_run(job_id=job.pk)
    job.refresh_from_db()
    stale_jobs_fail(now=job.started_at + datetime.timedelta(hours=3))
    page = web_for(officer).get(reverse("jobs:job_progress", args=[job.pk]))
    assert "the server running it was restarted" in page.content.decode()
