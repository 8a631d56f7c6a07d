import re

from django.core import mail

from kzai.accounts.models import Membership, User
from kzai.core.roles import Role


def _link(message):
    return re.search(r"https?://\S+/invitations/(\S+)/", message.body).group(0)


def test_admin_invites_and_a_new_person_joins(
    org, make_member, web_for, client, django_capture_on_commit_callbacks
):
    admin = make_member(Role.ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        response = web_for(admin).post(
            "/settings/members/", {"email": "New.Person@Example.kz", "role": "contributor"}
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new.person@example.kz"]
    path = "/" + _link(mail.outbox[0]).split("/", 3)[3]

    page = client.get(path)
    assert page.status_code == 200 and "contributor" in page.content.decode().lower()
    bad = client.post(path, {"password1": "short", "password2": "short"})
    assert bad.status_code == 200 and not User.objects.filter(email="new.person@example.kz").exists()
    done = client.post(
        path,
        {"full_name": "New Person", "password1": "a-Very-long-pass-42", "password2": "a-Very-long-pass-42"},
    )
    assert done.status_code == 302
    membership = Membership.objects.get(user__email="new.person@example.kz")
    assert membership.organization == org and membership.role == Role.CONTRIBUTOR
    # The link is single-use.
    assert client.get(path).status_code in (302, 404)


def test_only_admins_invite(org, make_member, web_for):
    response = web_for(make_member(Role.OFFICER)).post(
        "/settings/members/", {"email": "x@y.kz", "role": "viewer"}
    )
    assert response.status_code == 403
    assert not mail.outbox


def test_inviting_an_existing_member_is_refused_with_a_message(org, make_member, web_for):
    admin = make_member(Role.ADMIN)
    viewer = make_member(Role.VIEWER)
    response = web_for(admin).post("/settings/members/", {"email": viewer.user.email, "role": "viewer"})
    assert response.status_code == 200
    assert "already a member" in response.content.decode()


def test_admin_changes_a_role_and_removes_access(org, make_member, web_for):
    admin = make_member(Role.ADMIN)
    viewer = make_member(Role.VIEWER)
    web = web_for(admin)
    web.post(f"/settings/members/{viewer.pk}/", {"role": "officer"})
    viewer.refresh_from_db()
    assert viewer.role == Role.OFFICER
    web.post(f"/settings/members/{viewer.pk}/", {"deactivate": "1", "role": "officer"})
    viewer.refresh_from_db()
    assert viewer.is_active is False


def test_admin_cannot_touch_another_organizations_member(org, other_org, make_member, web_for):
    foreign = make_member(Role.VIEWER, organization=other_org)
    response = web_for(make_member(Role.ADMIN)).post(f"/settings/members/{foreign.pk}/", {"role": "admin"})
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.role == Role.VIEWER


def test_switching_to_an_organization_you_do_not_belong_to_is_404(org, other_org, make_member, web_for):
    web = web_for(make_member(Role.VIEWER))
    assert web.post("/organizations/switch/", {"organization": other_org.pk}).status_code == 404


def test_switch_refuses_open_redirects(org, other_org, make_member, web_for):
    member = make_member(Role.VIEWER)
    make_member(Role.VIEWER, organization=other_org, user=member.user)
    response = web_for(member).post(
        "/organizations/switch/", {"organization": other_org.pk, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
