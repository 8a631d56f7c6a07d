"""Every page of the portal, walked with one organization holding one of everything:

- a GET never writes (no activity record, no notification read, no deadline changed);
- every POST without a CSRF token is refused and writes nothing;
- another organization's administrator gets 404 for every object URL, by GET and by POST, and
  writes nothing;
- viewers and auditors (even granted the system) write nothing through any page.

New pages are picked up automatically (`tests.security.world.portal_url_names`).
"""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from kzai.accounts.models import ApiToken
from kzai.activity.models import ActivityRecord
from kzai.core.roles import Role
from kzai.deadlines.models import Deadline, Notification
from registry.grants import grant_system_view
from tests.factories import TEST_PASSWORD
from tests.security.world import URL_ARGS, build_world, portal_url_names

NAMES = portal_url_names()
# Pages of objects every organization shares (the requirements library is the law as data; the
# published schema of labels).
SHARED_OBJECT_PAGES = {"risk:library_detail", "risk:library_apply", "labels:schema"}
# Reads the activity log records by design: every file download names who fetched what, and
# every export (through kzai.core.spreadsheets) who exported what.
RECORDED_READS = {
    "documents:version_download",
    "documents:pack_download",
    "registry:system_export",
    "registry:system_import_template",
    "risk:register_risk_export",
}
# Pages addressed by a secret token rather than an object of the organization: whoever holds the
# invitation link reaches it, and a signed-in person it was not sent to is refused (403).
TOKEN_PAGES = {"invitation_accept"}


def _state(organization):
    """What a write would change, in a form cheap to compare."""
    return (
        ActivityRecord.objects.count(),
        tuple(Notification.objects.order_by("pk").values_list("pk", "read_at")),
        tuple(Deadline.objects.order_by("pk").values_list("pk", "due_on", "completed_at", "responsible_id")),
    )


def _url(name, world):
    args = URL_ARGS[name](world) if name in URL_ARGS else []
    return reverse(name, args=args)


@pytest.fixture
def world(org):
    return build_world(org)


def test_every_page_has_known_arguments(world):
    for name in NAMES:
        assert _url(name, world)  # a new page with arguments must be added to URL_ARGS


def test_get_never_writes(org, world, web_for):
    web = web_for(world.admin)
    writers, errors = [], []
    for name in NAMES:
        before = _state(org)
        response = web.get(_url(name, world))
        if response.status_code >= 500:
            errors.append((name, response.status_code))
        if _state(org) != before and name not in RECORDED_READS:
            writers.append(name)
    assert not writers, f"GET writes on: {writers}"
    assert not errors, errors


def test_every_post_needs_a_csrf_token(org, world):
    client = Client(enforce_csrf_checks=True)
    assert client.login(email=world.admin.user.email, password=TEST_PASSWORD)
    before = _state(org)
    accepted = [name for name in NAMES if client.post(_url(name, world), {}).status_code != 403]
    assert not accepted, f"POST without CSRF token accepted by: {accepted}"
    assert _state(org) == before


def test_another_organizations_admin_gets_404_and_writes_nothing(org, other_org, world, make_member, web_for):
    web = web_for(make_member(Role.ADMIN, organization=other_org))
    before = _state(org)
    wrong = []
    for name in NAMES:
        if name not in URL_ARGS or name in SHARED_OBJECT_PAGES | TOKEN_PAGES:
            continue
        url = _url(name, world)
        for method in ("get", "post"):
            status = getattr(web, method)(url, {}).status_code
            # 405 (a read-only page) is what a missing object gets too: it reveals nothing.
            if status not in (404, 405):
                wrong.append((name, method, status))
    assert not wrong, f"not 404 for another tenant: {wrong}"
    assert _state(org) == before


@pytest.mark.parametrize("role", [Role.VIEWER, Role.AUDITOR])
def test_read_only_roles_write_nothing_through_any_page(role, org, world, make_member, web_for):
    member = make_member(role)
    grant_system_view(member.user, world.system)
    web = web_for(member)
    # Their own API token is theirs to create (it can never do more than their role): not counted.
    records = ActivityRecord.objects.exclude(content_type=ContentType.objects.get_for_model(ApiToken))
    before = records.count()
    errors = []
    for name in NAMES:
        status = web.post(_url(name, world), {}).status_code
        if status >= 500:
            errors.append((name, status))
    assert records.count() == before, list(records.order_by("-pk").values_list("object_repr", "action")[:3])
    assert not errors, errors


CONTRIBUTOR_FORBIDDEN = (
    "approve",
    "signoff",
    "delete",
    "archive",
    "apply",
    "import",
    "member",
    "token_revoke",
)


def test_contributors_cannot_approve_sign_off_delete_or_manage(org, world, make_member, web_for):
    web = web_for(make_member(Role.CONTRIBUTOR))
    before = _state(org)
    names = [n for n in NAMES if any(word in n for word in CONTRIBUTOR_FORBIDDEN)]
    assert "risk:classification_approve" in names and "risk:review_signoff" in names
    # 404 (someone else's token) and 405 (a GET-only page) refuse as well as 403.
    allowed = [
        (n, s) for n in names if (s := web.post(_url(n, world), {}).status_code) not in (403, 404, 405)
    ]
    # Reading the member list is allowed to every member; changing it is not.
    assert [n for n, _s in allowed if n != "members"] == [], allowed
    assert _state(org) == before


def test_a_member_who_leaves_loses_every_page_and_token_at_once(org, world, make_member, web_for, api_for):
    from kzai.accounts.services import membership_deactivate

    member = make_member(Role.OFFICER)
    web, client = web_for(member), api_for(member)
    url = _url("registry:system_detail", world)
    assert web.get(url).status_code == 200 and client.get(reverse("system-list")).status_code == 200
    membership_deactivate(membership=member)
    assert web.get(url).status_code == 403
    assert str(world.system.name) not in web.get(reverse("registry:system_list")).content.decode()
    assert client.get(reverse("system-list")).status_code == 401
