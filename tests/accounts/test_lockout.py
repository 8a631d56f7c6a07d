"""Sign-in lockout per account and per address after repeated failures (django-axes)."""

import time

from django.core.management import call_command
from django.test import Client, override_settings

from kzai.activity.models import ActivityRecord
from kzai.core.roles import Role
from tests.factories import TEST_PASSWORD

LIMIT = 5


def _sign_in(email, password, address="198.51.100.7", language="en"):
    client = Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE=language)
    response = client.post("/accounts/login/", {"username": email, "password": password})
    return client, response


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_wrong_passwords_lock_the_account_even_with_the_right_one_afterwards(make_member):
    member = make_member(Role.OFFICER)
    statuses = [_sign_in(member.user.email, "wrong-password")[1].status_code for _ in range(LIMIT)]
    assert statuses == [200] * (LIMIT - 1) + [429]  # the failure that reaches the limit locks
    client, response = _sign_in(member.user.email, TEST_PASSWORD)
    assert response.status_code == 429
    assert not _signed_in(client)
    assert "Too many failed sign-in attempts" in response.content.decode()
    # Another address does not escape an account's lockout, nor does changing the e-mail's case.
    client, response = _sign_in(member.user.email.upper(), TEST_PASSWORD, address="203.0.113.9")
    assert response.status_code == 429 and not _signed_in(client)


def test_the_lockout_message_is_translated(make_member):
    member = make_member(Role.OFFICER)
    for _ in range(LIMIT):
        _sign_in(member.user.email, "wrong-password")
    _client, response = _sign_in(member.user.email, TEST_PASSWORD, language="ru")
    assert response.status_code == 429
    assert "Слишком много неудачных попыток входа" in response.content.decode()


def test_one_address_trying_many_accounts_is_locked_out(make_member):
    members = [make_member(Role.VIEWER) for _ in range(LIMIT + 1)]
    for member in members[:LIMIT]:
        _sign_in(member.user.email, "wrong-password", address="192.0.2.44")
    client, response = _sign_in(members[-1].user.email, TEST_PASSWORD, address="192.0.2.44")
    assert response.status_code == 429 and not _signed_in(client)
    # The same person from elsewhere signs in: the account itself is not locked.
    client, response = _sign_in(members[-1].user.email, TEST_PASSWORD, address="192.0.2.45")
    assert response.status_code == 302 and _signed_in(client)


def test_a_lockout_is_recorded_once_in_the_activity_log(make_member, other_org):
    member = make_member(Role.OFFICER)
    elsewhere = make_member(Role.VIEWER, organization=other_org, user=member.user)
    for _ in range(LIMIT + 3):
        _sign_in(member.user.email, "wrong-password", address="198.51.100.8")
    for membership in (member, elsewhere):
        records = ActivityRecord.objects.filter(
            organization=membership.organization, changes__has_key="sign_in_lockout"
        )
        assert records.count() == 1
        assert records.get().changes["sign_in_lockout"] == [None, "198.51.100.8"]
        assert records.get().object_id == str(membership.pk)


def test_an_admin_unlocks_a_member_and_it_is_recorded(make_member, web_for):
    admin = make_member(Role.ADMIN)
    member = make_member(Role.OFFICER)
    for _ in range(LIMIT):
        _sign_in(member.user.email, "wrong-password")
    page = web_for(admin).get("/settings/members/")
    assert "Sign-in locked out" in page.content.decode()
    response = web_for(admin).post(f"/settings/members/{member.pk}/", {"unlock": "1"})
    assert response.status_code == 302
    client, response = _sign_in(member.user.email, TEST_PASSWORD, address="198.51.100.99")
    assert response.status_code == 302 and _signed_in(client)
    record = ActivityRecord.objects.filter(changes__has_key="sign_in_lockout", actor=admin.user).get()
    assert record.changes["sign_in_lockout"] == ["198.51.100.7", None]


def test_only_admins_unlock(make_member, web_for):
    member = make_member(Role.OFFICER)
    for _ in range(LIMIT):
        _sign_in(member.user.email, "wrong-password")
    response = web_for(make_member(Role.OFFICER)).post(f"/settings/members/{member.pk}/", {"unlock": "1"})
    assert response.status_code == 403
    assert _sign_in(member.user.email, TEST_PASSWORD, address="198.51.100.98")[1].status_code == 429


def test_an_operator_unlocks_with_the_axes_command(make_member):
    member = make_member(Role.OFFICER)
    for _ in range(LIMIT):
        _sign_in(member.user.email, "wrong-password")
    call_command("axes_reset_username", member.user.email.lower(), verbosity=0)
    client, response = _sign_in(member.user.email, TEST_PASSWORD, address="198.51.100.97")
    assert response.status_code == 302 and _signed_in(client)


def test_the_lockout_ends_after_the_cool_off(make_member):
    import datetime

    member = make_member(Role.OFFICER)
    with override_settings(AXES_COOLOFF_TIME=datetime.timedelta(seconds=1)):
        for _ in range(LIMIT):
            _sign_in(member.user.email, "wrong-password")
        assert _sign_in(member.user.email, TEST_PASSWORD)[1].status_code == 429
        time.sleep(1.2)
        client, response = _sign_in(member.user.email, TEST_PASSWORD)
        assert response.status_code == 302 and _signed_in(client)
