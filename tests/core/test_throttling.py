"""API throttles per token, per address and for invalid tokens: 429 with Retry-After."""

import uuid

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from kzai.accounts.services import api_token_create
from kzai.core.roles import Role


def _address() -> str:
    """A fresh client address per test: throttle counts live in a cache shared between runs."""
    n = uuid.uuid4().int
    return f"10.{n % 250}.{(n >> 8) % 250}.{(n >> 16) % 250 + 1}"


def _client(raw=None, address=None):
    client = APIClient(REMOTE_ADDR=address or _address())
    if raw:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def _rates(**rates):
    return override_settings(
        KZAI_API_THROTTLE_RATES={
            "token": "1000/minute",
            "address": "1000/minute",
            "invalid_token": "1000/minute",
        }
        | rates
    )


def _assert_throttled(response):
    assert response.status_code == 429, response.content
    assert int(response["Retry-After"]) >= 1
    assert response.json()["detail"]


@_rates(token="3/minute")
def test_a_token_is_throttled_whatever_address_it_comes_from(make_member):
    _token, raw = api_token_create(membership=make_member(Role.OFFICER))
    for _ in range(3):
        assert _client(raw).get("/api/v1/systems/").status_code == 200
    _assert_throttled(_client(raw).get("/api/v1/systems/"))
    # Another token of the same person is counted on its own.
    _token, other = api_token_create(membership=make_member(Role.OFFICER))
    assert _client(other).get("/api/v1/systems/").status_code == 200


@_rates(address="3/minute")
def test_an_address_is_throttled_across_tokens(make_member):
    address = _address()
    raws = [api_token_create(membership=make_member(Role.VIEWER))[1] for _ in range(4)]
    for raw in raws[:3]:
        assert _client(raw, address).get("/api/v1/systems/").status_code == 200
    _assert_throttled(_client(raws[3], address).get("/api/v1/systems/"))
    _assert_throttled(_client(None, address).get("/api/v1/systems/"))
    assert _client(raws[3]).get("/api/v1/systems/").status_code == 200


@_rates(invalid_token="3/minute")
def test_invalid_tokens_are_throttled_per_address_even_before_a_valid_one(make_member):
    address = _address()
    for attempt in range(3):
        response = _client(f"kzai_not-a-token-{attempt}", address).get("/api/v1/systems/")
        assert response.status_code == 401
    _assert_throttled(_client("kzai_not-a-token-4", address).get("/api/v1/systems/"))
    # Guessing stops for that address, a valid token included, until the window passes.
    _token, raw = api_token_create(membership=make_member(Role.OFFICER))
    _assert_throttled(_client(raw, address).get("/api/v1/systems/"))
    assert _client(raw).get("/api/v1/systems/").status_code == 200


@_rates(address="2/minute")
@pytest.mark.parametrize("path", ["/api/v1/systems/", "/api/v1/me/"])
def test_anonymous_requests_count_per_address(path):
    address = _address()
    for _ in range(2):
        assert _client(None, address).get(path).status_code == 401
    _assert_throttled(_client(None, address).get(path))


def test_the_suite_runs_with_high_rates_and_production_has_real_ones(settings):
    from kzai import settings as production

    assert production.KZAI_API_THROTTLE_RATES == {
        "token": "600/minute",
        "address": "1200/minute",
        "invalid_token": "20/hour",
    }
