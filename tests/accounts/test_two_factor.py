"""Two-factor sign-in: enrolment, the code at sign-in, recovery codes, who must use it."""

import time

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from kzai.accounts.models import Organization
from kzai.activity.models import ActivityRecord
from kzai.core.roles import Role
from tests.factories import TEST_PASSWORD


def _code(device, steps_ahead=0):
    """What the person's authenticator app shows (optionally a later 30-second step)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return totp.token()


def _pending_device(user):
    return TOTPDevice.objects.get(user=user, confirmed=False)


def _enrol(client, user):
    page = client.get("/accounts/two-factor/")
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = _pending_device(user)
    assert device.key.upper() not in page.content.decode()  # shown only as base32, grouped
    response = client.post("/accounts/two-factor/", {"action": "enable", "code": _code(device)})
    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10 and all(code in response.content.decode() for code in codes)
    return TOTPDevice.objects.get(user=user, confirmed=True), codes


def _password_step(email, next_url="/registry/"):
    client = Client()
    response = client.post(
        f"/accounts/login/?next={next_url}", {"username": email, "password": TEST_PASSWORD}
    )
    return client, response


def test_a_member_enrols_and_is_then_asked_for_a_code_at_sign_in(make_member, web_for):
    member = make_member(Role.VIEWER)
    web = web_for(member)
    wrong = web.post("/accounts/two-factor/", {"action": "enable", "code": "000000"})
    assert wrong.status_code == 200 and "not right" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=member.user, confirmed=True).exists()
    device, _codes = _enrol(web, member.user)

    client, response = _password_step(member.user.email)
    assert response.status_code == 302 and response["Location"] == "/accounts/two-factor/verify/"
    assert "_auth_user_id" not in client.session  # not signed in by the password alone
    assert client.get("/registry/").status_code == 302
    bad = client.post("/accounts/two-factor/verify/", {"code": "123456"})
    assert bad.status_code == 200 and "_auth_user_id" not in client.session
    # A right code straight after a wrong one is refused: django-otp slows down guessing.
    assert client.post("/accounts/two-factor/verify/", {"code": _code(device)}).status_code == 200
    time.sleep(2.1)
    done = client.post("/accounts/two-factor/verify/", {"code": _code(device, steps_ahead=1)})
    assert done.status_code == 302 and done["Location"] == "/registry/"
    assert client.get("/registry/").status_code == 200


def test_a_recovery_code_signs_in_once(make_member, web_for):
    member = make_member(Role.VIEWER)
    _device, codes = _enrol(web_for(member), member.user)
    client, _ = _password_step(member.user.email)
    assert client.post("/accounts/two-factor/verify/", {"code": codes[0]}).status_code == 302
    again, _ = _password_step(member.user.email)
    assert again.post("/accounts/two-factor/verify/", {"code": codes[0]}).status_code == 200
    assert "_auth_user_id" not in again.session


def test_admins_must_enrol_before_anything_else_but_their_api_tokens_still_work(
    make_member, web_for, api_for, settings
):
    settings.KZAI_TWO_FACTOR_FOR_ADMINS = True
    admin = make_member(Role.ADMIN)
    client, response = _password_step(admin.user.email)
    assert response.status_code == 302
    page = client.get("/registry/")
    assert page.status_code == 302 and page["Location"] == "/accounts/two-factor/?next=%2Fregistry%2F"
    assert client.get("/settings/members/").status_code == 302
    assert client.get("/api/v1/systems/").status_code == 403  # the session, not a token
    assert api_for(admin).get("/api/v1/systems/").status_code == 200
    _enrol(client, admin.user)
    assert client.get("/registry/").status_code == 200
    # Required: it cannot be turned off.
    client.post("/accounts/two-factor/", {"action": "disable"})
    assert TOTPDevice.objects.filter(user=admin.user, confirmed=True).exists()


def test_a_session_of_an_enrolled_admin_without_a_code_is_sent_to_verification(
    make_member, web_for, settings
):
    settings.KZAI_TWO_FACTOR_FOR_ADMINS = True
    admin = make_member(Role.ADMIN)
    settings.KZAI_TWO_FACTOR_FOR_ADMINS = False
    _enrol(web_for(admin), admin.user)
    settings.KZAI_TWO_FACTOR_FOR_ADMINS = True
    response = web_for(admin).get("/registry/")  # a session that never gave a code
    assert response.status_code == 302 and response["Location"].startswith("/accounts/two-factor/verify/")


def test_an_admin_requires_two_factor_for_every_member_and_it_is_recorded(make_member, web_for, org):
    admin, viewer = make_member(Role.ADMIN), make_member(Role.VIEWER)
    assert web_for(viewer).get("/registry/").status_code == 200
    officer_web = web_for(make_member(Role.OFFICER))
    assert officer_web.post("/settings/two-factor/", {"require_two_factor": "on"}).status_code == 403
    admin_web = web_for(admin)
    _enrol(admin_web, admin.user)
    response = admin_web.post("/settings/two-factor/", {"require_two_factor": "on"})
    assert response.status_code == 302
    assert Organization.objects.get(pk=org.pk).require_two_factor
    record = ActivityRecord.objects.get(
        organization=org, action="update", changes__has_key="require_two_factor"
    )
    assert record.actor == admin.user and record.changes["require_two_factor"] == [False, True]
    response = web_for(viewer).get("/registry/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/two-factor/")
    assert admin_web.get("/settings/members/").status_code == 200  # the admin's session gave a code
    admin_web.post("/settings/two-factor/", {})
    assert web_for(viewer).get("/registry/").status_code == 200


def test_a_member_who_is_not_required_may_turn_it_off(make_member, web_for):
    member = make_member(Role.OFFICER)
    web = web_for(member)
    _enrol(web, member.user)
    web.post("/accounts/two-factor/", {"action": "disable"})
    assert not TOTPDevice.objects.filter(user=member.user).exists()
    client, response = _password_step(member.user.email)
    assert response.status_code == 302 and response["Location"] == "/registry/"


@pytest.mark.parametrize("language, text", [("ru", "Двухфакторный вход"), ("kk", "Екі факторлы кіру")])
def test_the_pages_are_translated(make_member, web_for, language, text):
    web = web_for(make_member(Role.VIEWER))
    page = web.get("/accounts/two-factor/", HTTP_ACCEPT_LANGUAGE=language)
    assert text in page.content.decode()
