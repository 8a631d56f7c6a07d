"""Every page of the portal asks anonymous visitors to sign in, and renders for a member."""

import pytest
from django.urls import reverse

from kzai.core.roles import Role
from tests.core.test_coverage import _walk
from tests.factories import UserFactory

PUBLIC = {
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_complete",
    "healthz",
    "set_language",
    "javascript-catalog",
    "api_schema",
    "api_docs",
    "labels:verify",  # anyone verifies a label of AI-generated content
}


def _parameterless_pages():
    from django.urls import get_resolver

    for route, name in _walk(get_resolver().url_patterns):
        if route.startswith(("api/", "admin/")) or "<" in route or name in PUBLIC:
            continue
        yield name


@pytest.mark.parametrize("name", sorted(set(_parameterless_pages())))
def test_anonymous_visitors_are_sent_to_sign_in(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302, name
    assert response["Location"].startswith("/accounts/login/"), name


@pytest.mark.parametrize("name", sorted(set(_parameterless_pages()) - {"switch_organization"}))
def test_every_page_renders_for_an_officer(db, make_member, web_for, name):
    response = web_for(make_member(Role.OFFICER)).get(reverse(name))
    assert response.status_code in (200, 405), (name, response.status_code)


def test_a_user_without_organization_gets_a_clear_page(client, db):
    user = UserFactory()
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 403
    assert "not a member of any organization" in response.content.decode()


def test_api_docs_and_schema_are_served_without_a_cdn(db, make_member, web_for):
    client = web_for(make_member(Role.VIEWER))
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "cdn.jsdelivr" not in html and "/static/drf_spectacular_sidecar/" in html
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    body = schema.json()
    assert body["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert "/api/v1/activity/" in body["paths"]


def test_password_reset_sends_a_working_link(client, db, make_member, django_capture_on_commit_callbacks):
    import re

    from django.core import mail

    member = make_member(Role.VIEWER)
    client.post("/accounts/password_reset/", {"email": member.user.email})
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/accounts/reset/\S+/", mail.outbox[0].body).group(0)
    path = "/" + link.split("/", 3)[3]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "brand-New-pass-77", "new_password2": "brand-New-pass-77"},
    )
    assert done.status_code == 302
    member.user.refresh_from_db()
    assert member.user.check_password("brand-New-pass-77")


def test_header_shows_the_unread_notification_count(db, org, make_member, web_for):
    from django.utils import timezone

    from kzai.deadlines.models import Notification, NotificationKind

    member = make_member(Role.OFFICER)
    web = web_for(member)
    assert 'class="count"' not in web.get("/").content.decode()
    Notification.objects.create(
        organization=org,
        recipient=member,
        kind=NotificationKind.DIGEST,
        period_on=timezone.localdate(),
        subject="Digest",
        body="Three deadlines this week.",
    )
    page = web.get("/").content.decode()
    assert '<span class="count" aria-label="1 unread">1</span>' in page
