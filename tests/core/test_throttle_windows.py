"""The token and address throttles count in two fixed windows, weighing the previous one by how much
of it lies within the last period: a burst at the end of one minute still counts at the start of
the next (a plain fixed window would let a second full burst through at once)."""

import pytest
from django.test import override_settings

from kzai.accounts.services import api_token_create
from kzai.core.roles import Role
from tests.core.test_throttling import _assert_throttled, _client

pytestmark = pytest.mark.django_db

RATES = {"token": "4/minute", "address": "1000/minute", "invalid_token": "1000/minute"}


@override_settings(KZAI_API_THROTTLE_RATES=RATES)
def test_a_burst_at_the_end_of_a_minute_still_counts_after_it(make_member, monkeypatch):
    _token, raw = api_token_create(membership=make_member(Role.OFFICER))
    now = [60 * 1_000_000 + 59.0]  # one second before a window ends
    monkeypatch.setattr("time.time", lambda: now[0])
    for _ in range(4):
        assert _client(raw).get("/api/v1/systems/").status_code == 200
    _assert_throttled(_client(raw).get("/api/v1/systems/"))
    now[0] += 2  # one second into the next window: the last 60 s still hold 4 requests
    response = _client(raw).get("/api/v1/systems/")
    _assert_throttled(response)
    assert int(response["Retry-After"]) <= 60
    now[0] += 45  # most of the previous window has slid out of the last minute
    assert _client(raw).get("/api/v1/systems/").status_code == 200
