"""No input makes the server fail: every page and every API route, walked generically.

- Every query parameter a page or an API list reads (found by recording what the view asks of
  `request.GET` on a first, harmless request) is sent NUL bytes, huge numbers, non-numeric ids,
  negative and fractional numbers and very long strings: never a 500.
- Every JSON write (create, update, partial update and every action) answers a JSON 400 to a document
  nested a thousand levels deep.
New pages, endpoints and filters are picked up without writing anything here.
"""

from __future__ import annotations

import re

import pytest
from django.http import QueryDict
from django.test import override_settings
from django.urls import get_resolver, reverse

from kzai.core.roles import Role
from tests.core.test_coverage import _walk
from tests.security.world import URL_ARGS, build_world, portal_url_names

BAD_VALUES = ["1" + "0" * 40, "-1.7976931348623157e+308", "-3", "abc", "x" * 3000]
PROBE = "_probe"
_read: set[str] = set()


class RecordingQueryDict(QueryDict):
    """A QueryDict that remembers which keys the view asked for."""

    def __getitem__(self, key):
        _read.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        _read.add(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        _read.add(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        _read.add(key)
        return super().__contains__(key)


class RecordQueryReads:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.GET = RecordingQueryDict(request.META.get("QUERY_STRING", ""))
        return self.get_response(request)


def _parameters_read(client, url) -> set[str]:
    from django.conf import settings

    _read.clear()
    with override_settings(
        MIDDLEWARE=[*settings.MIDDLEWARE, "tests.security.test_bad_input.RecordQueryReads"]
    ):
        response = client.get(url, {PROBE: "1"})
    assert response.status_code < 500, (url, response.status_code)
    return _read - {PROBE}


def _failures(client, url, parameters):
    failures = []
    nul = client.get(url, dict.fromkeys(parameters or ["code"], "a\x00b"))
    if nul.status_code not in (400, 404):
        failures.append(("NUL", nul.status_code))
    for name in sorted(parameters):
        for value in BAD_VALUES:
            status = client.get(url, {name: value}).status_code
            if status >= 500:
                failures.append((name, value[:20], status))
    return [(url, *failure) for failure in failures]


@pytest.fixture
def world(org):
    return build_world(org)


PAGES = portal_url_names()


def test_no_query_parameter_makes_a_page_fail(world, web_for):
    # One world for every page: building it is the slow part.
    client = web_for(world.admin)
    client.raise_request_exception = False
    failures = []
    for name in PAGES:
        url = reverse(name, args=URL_ARGS[name](world) if name in URL_ARGS else [])
        failures += _failures(client, url, _parameters_read(client, url))
    assert not failures, failures


def test_the_probe_finds_the_parameters_a_page_reads(world, web_for):
    client = web_for(world.admin)
    url = reverse("risk:register_risk_create")
    assert "system" in _parameters_read(client, url)
    assert {"code"} <= _parameters_read(client, reverse("risk:matrix"))


API_LISTS = sorted(
    {
        name
        for route, name in _walk(get_resolver().url_patterns)
        if route.startswith("api/v1/") and "<" not in route
    }
)


def test_no_query_parameter_makes_an_api_list_fail(world, api_for):
    client = api_for(world.admin)
    client.raise_request_exception = False
    failures = []
    for name in API_LISTS:
        url = reverse(name)
        failures += _failures(client, url, _parameters_read(client, url))
    assert len(API_LISTS) > 20
    assert not failures, failures


DEEP = "[" * 1000 + "]" * 1000
DEEP_OBJECT = '{"a":' * 1000 + "1" + "}" * 1000


def _write_routes(world):
    """(method, url) of every API route that takes a body, with the world's objects as arguments."""
    from tests.tenancy import API_CONTRACTS

    objects = {}
    for contract in API_CONTRACTS:
        objects.setdefault(contract.basename, contract)
    routes = []
    for route, name in _walk(get_resolver().url_patterns):
        if not route.startswith("api/v1/"):
            continue
        kwargs = re.findall(r"<(?:[a-z]+:)?([a-z_]+)>", route)
        routes.append((name, route, kwargs))
    return routes


@pytest.mark.parametrize("body", [DEEP, DEEP_OBJECT], ids=["array", "object"])
def test_deeply_nested_json_is_a_json_400_on_every_write(body, org, world, api_for):
    from tests.tenancy import API_CONTRACTS

    client = api_for(world.admin)
    client.raise_request_exception = False
    made = {}
    failures, checked = [], 0
    for name, _route, kwargs in _write_routes(world):
        basename = name.rsplit("-", 1)[0]
        if kwargs:
            contract = next((c for c in API_CONTRACTS if c.basename == basename), None)
            if contract is None or kwargs != [contract.url_kwarg]:
                continue
            if basename not in made:
                made[basename] = contract().make_object(org)
            url = reverse(name, kwargs={contract.url_kwarg: made[basename].pk})
        else:
            url = reverse(name)
        for method in ("post", "put", "patch"):
            response = getattr(client, method)(url, body, content_type="application/json")
            if response.status_code >= 500 or (
                response.status_code == 400 and response["Content-Type"] != "application/json"
            ):
                failures.append((method, url, response.status_code))
            # Writes that read no body (start a review, mark all read) or only files (import) may
            # answer otherwise; every create and update reads it.
            checked += response.status_code == 400
    assert checked > 20
    assert not failures, failures


@pytest.mark.parametrize("name", ["risk:register_risk_create", "risk:register_measure_create"])
@pytest.mark.parametrize("value", ["abc", "1" + "0" * 40, "-3", "1.5"])
def test_a_new_risk_or_measure_for_a_system_that_is_not_an_id_is_404(name, value, org, make_member, web_for):
    response = web_for(make_member(Role.OFFICER)).get(reverse(name), {"system": value})
    assert response.status_code == 404


def test_a_nul_byte_in_the_matrix_code_is_a_400(org, make_member, web_for, api_for):
    member = make_member(Role.OFFICER)
    assert web_for(member).get(reverse("risk:matrix"), {"code": "\x00"}).status_code == 400
    response = api_for(member).get("/api/v1/systems/", {"search": "a\x00"})
    assert response.status_code == 400 and response.json()["detail"]
