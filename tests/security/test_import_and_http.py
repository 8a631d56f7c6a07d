"""Imports run as the user, inside the active organization, with the user's rights at commit time;
HTTP hygiene: no open redirects, no framing, safe cookies, no CSRF exemptions."""

from __future__ import annotations

import pathlib

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kzai.accounts.middleware import SESSION_KEY
from kzai.accounts.services import membership_set
from kzai.activity.models import ActivityRecord
from kzai.core.roles import Role
from registry.models import AISystem
from tests.factories import MembershipFactory
from tests.registry.test_import import GOOD, HEADER, csv_bytes

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _dry_run(web, capture):
    with capture(execute=True):
        response = web.post(
            reverse("registry:system_import"), {"file": SimpleUploadedFile("s.csv", csv_bytes(*GOOD))}
        )
    job = web.get(response["Location"], follow=True).context["job"]
    assert job.status == "succeeded" and job.result["error_count"] == 0
    return job.pk


def _commit(web, job_id, capture):
    with capture(execute=True):
        return web.post(reverse("registry:system_import_commit"), {"job": job_id})


def test_a_file_cannot_name_another_organizations_member(
    org, other_org, make_member, web_for, django_capture_on_commit_callbacks
):
    foreign = MembershipFactory(organization=other_org, role=Role.OFFICER)
    web = web_for(make_member(Role.OFFICER))
    content = csv_bytes(f"X-1,Scoring,Scores loans,owner,banking,yes,,{foreign.user.email}", header=HEADER)
    with django_capture_on_commit_callbacks(execute=True):
        started = web.post(reverse("registry:system_import"), {"file": SimpleUploadedFile("s.csv", content)})
    response = web.get(started["Location"], follow=True)
    assert "No active member of this organization" in response.content.decode()
    assert response.context["can_commit"] is False
    assert not AISystem.objects.exists()


def test_a_dry_run_cannot_be_committed_in_another_organization(
    org, other_org, make_member, web_for, django_capture_on_commit_callbacks
):
    member = make_member(Role.OFFICER)
    membership_set(user=member.user, organization=other_org, role=Role.OFFICER)
    web = web_for(member)
    job_id = _dry_run(web, django_capture_on_commit_callbacks)
    session = web.session
    session[SESSION_KEY] = other_org.pk
    session.save()
    _commit(web, job_id, django_capture_on_commit_callbacks)
    assert not AISystem.objects.exists()


def test_a_commit_needs_the_import_right_at_commit_time(
    org, make_member, web_for, django_capture_on_commit_callbacks
):
    member = make_member(Role.OFFICER)
    web = web_for(member)
    job_id = _dry_run(web, django_capture_on_commit_callbacks)
    membership_set(user=member.user, organization=org, role=Role.CONTRIBUTOR)
    assert _commit(web, job_id, django_capture_on_commit_callbacks).status_code == 403
    assert not AISystem.objects.exists()


def test_a_commit_job_runs_with_the_rights_the_user_has_when_it_runs(
    org, make_member, web_for, django_capture_on_commit_callbacks
):
    member = make_member(Role.OFFICER)
    web = web_for(member)
    job_id = _dry_run(web, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        web.post(reverse("registry:system_import_commit"), {"job": job_id})
    membership_set(user=member.user, organization=org, role=Role.VIEWER)  # while the job waits
    callbacks[0]()
    assert not AISystem.objects.exists()


def test_imported_systems_are_attributed_to_the_user(
    org, make_member, web_for, django_capture_on_commit_callbacks
):
    member = make_member(Role.OFFICER)
    web = web_for(member)
    _commit(web, _dry_run(web, django_capture_on_commit_callbacks), django_capture_on_commit_callbacks)
    systems = list(AISystem.objects.filter(organization=org))
    assert len(systems) == 2
    created = ActivityRecord.objects.filter(
        action="create",
        content_type=ContentType.objects.get_for_model(AISystem),
        object_id__in=[str(s.pk) for s in systems],
    )
    assert created.count() == 2 and set(created.values_list("actor_id", flat=True)) == {member.user_id}
    assert set(created.values_list("actor_label", flat=True)) == {member.user.email}
    assert set(created.values_list("source", flat=True)) == {"task"}


def test_api_import_needs_a_writing_token_with_the_import_right(org, make_member, api_for):
    url = reverse("system-import")
    upload = lambda: {"file": SimpleUploadedFile("s.csv", csv_bytes(*GOOD))}  # noqa: E731
    assert (
        api_for(make_member(Role.ADMIN), read_only=True).post(url, upload(), format="multipart").status_code
        == 403
    )
    assert api_for(make_member(Role.CONTRIBUTOR)).post(url, upload(), format="multipart").status_code == 403
    assert not AISystem.objects.exists()


def test_switching_organization_never_redirects_off_site(org, make_member, web_for):
    member = make_member(Role.OFFICER)
    web = web_for(member)
    for target in ("https://evil.example/", "//evil.example/", "javascript:alert(1)", "/\\evil.example"):
        response = web.post(reverse("switch_organization"), {"organization": org.pk, "next": target})
        assert response.status_code == 302 and response["Location"] == "/", target
    response = web.post(reverse("switch_organization"), {"organization": org.pk, "next": "/registry/"})
    assert response["Location"] == "/registry/"


def test_sign_in_never_redirects_off_site(org, make_member, client):
    from tests.factories import TEST_PASSWORD

    member = make_member(Role.OFFICER)
    response = client.post(
        reverse("login") + "?next=https://evil.example/",
        {"username": member.user.email, "password": TEST_PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302 and "evil.example" not in response["Location"]


def test_pages_cannot_be_framed_and_cookies_are_http_only(org, make_member, web_for, settings):
    web = web_for(make_member(Role.OFFICER))
    response = web.get(reverse("registry:system_list"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert settings.SESSION_COOKIE_HTTPONLY and settings.SESSION_COOKIE_SAMESITE in ("Lax", "Strict")
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE


def test_no_view_is_exempt_from_csrf():
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("kzai", "registry", "risk")
        for path in (ROOT / folder).rglob("*.py")
        if "csrf_exempt" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_a_read_only_token_changes_nothing_not_even_notifications(org, make_member, api_for):
    import datetime

    from kzai.deadlines.models import Notification
    from kzai.deadlines.reminders import reminder_sweep
    from tests.deadlines.test_reminders import make_deadline

    member = make_member(Role.OFFICER)
    make_deadline(org, due_on=datetime.date(2026, 3, 5), responsible=member)
    reminder_sweep(today=datetime.date(2026, 3, 2), send=False)
    notification = Notification.objects.get(recipient=member, kind="reminder")
    client = api_for(member, read_only=True)
    assert client.get(reverse("notification-list")).status_code == 200
    response = client.post(reverse("notification-read", args=[notification.pk]))
    assert response.status_code == 403 and response.json()["detail"] == "This API token is read-only."
    assert client.post(reverse("notification-readall")).status_code == 403
    notification.refresh_from_db()
    assert notification.read_at is None
    assert api_for(member).post(reverse("notification-read", args=[notification.pk])).status_code == 200
