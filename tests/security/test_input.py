"""Bad input is refused with a clear message and the API's error shape, never a 500.

Found by a schemathesis run against the schema (ids such as `?system=-1.8e308` reached the
database); the cases below pin every list filter and reference field that takes an id.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from kzai.core.roles import Role
from tests.factories import AISystemFactory

HUGE = "1" + "0" * 30
BAD_IDS = [HUGE, "-1.7976931348623157e+308", "1.5", "-3", "abc"]

ID_FILTERS = [
    ("data-library-list", "system"),
    ("data-library-list", "producer"),
    ("data-library-use-list", "library"),
    ("data-library-use-list", "system"),
    ("party-link-list", "party"),
    ("component-list", "system"),
    ("system-list", "party"),
    ("obligation-list", "system"),
    ("obligation-list", "responsible"),
    ("classification-list", "system"),
    ("screening-list", "system"),
    ("register-risk-list", "owner"),
    ("register-measure-list", "risk"),
    ("deadline-list", "system"),
    ("deadline-list", "responsible"),
]


@pytest.mark.parametrize(("url_name", "param"), ID_FILTERS)
def test_api_id_filters_refuse_non_ids_with_a_400(url_name, param, org, make_member, api_for):
    client = api_for(make_member(Role.ADMIN))
    for value in BAD_IDS:
        response = client.get(reverse(url_name), {param: value})
        assert response.status_code == 400, (value, response.status_code)
        body = response.json()
        assert "detail" in body and param in body, body


@pytest.mark.parametrize("url_name", ["register-risk-list", "register-measure-list", "review-list"])
def test_api_system_choice_filters_never_500(url_name, org, make_member, api_for):
    client = api_for(make_member(Role.ADMIN))
    for value in BAD_IDS:
        response = client.get(reverse(url_name), {"system": value})
        assert response.status_code == 400, (value, response.status_code)


@pytest.mark.parametrize(
    "url_name",
    [
        "registry:system_list",
        "registry:library_list",
        "risk:register_risk_list",
        "risk:register_measure_list",
        "risk:review_list",
        "risk:obligation_list",
        "deadlines:deadline_list",
        "risk:register_risk_export",
        "registry:system_export",
    ],
)
def test_ui_lists_never_500_on_bad_ids(url_name, org, make_member, web_for):
    web = web_for(make_member(Role.ADMIN))
    for value in BAD_IDS:
        for param in ("system", "party", "responsible", "owner", "responsible_officer"):
            response = web.get(reverse(url_name), {param: value})
            assert response.status_code < 500, (param, value)


@pytest.mark.parametrize(
    ("url_name", "payload"),
    [
        ("register-risk-list", {"title": "Bias", "likelihood": 3, "severity": 3}),
        ("component-list", {"name": "LLM"}),
        ("review-list", {}),
    ],
)
def test_huge_reference_ids_are_refused_like_missing_ones(url_name, payload, org, make_member, api_for):
    client = api_for(make_member(Role.ADMIN))
    response = client.post(reverse(url_name), {**payload, "system": int(HUGE)}, format="json")
    assert response.status_code == 400 and "system" in response.json()


def test_ui_form_with_a_huge_choice_id_shows_an_error(org, make_member, web_for):
    web = web_for(make_member(Role.ADMIN))
    response = web.post(
        reverse("risk:register_risk_create"),
        {
            "system": HUGE,
            "title": "Bias",
            "category": "bias",
            "origin": "data",
            "likelihood": 3,
            "severity": 3,
        },
    )
    assert response.status_code in (200, 400)
    assert "system" in response.context["form"].errors


def test_overlong_and_odd_text_is_refused_field_by_field(org, make_member, api_for):
    client = api_for(make_member(Role.ADMIN))
    response = client.post(
        reverse("system-list"),
        {
            "code": "X" * 500,
            "name": "N" * 5000,
            "intended_purpose": "Ok",
            "organization_role": "owner",
            "sector": "banking",
            "hosting_country": "Kazakhstan",
        },
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert {"detail", "code", "name"} <= set(body), body


def test_nul_bytes_in_text_are_refused_not_500(org, make_member, api_for):
    client = api_for(make_member(Role.ADMIN))
    system = AISystemFactory(organization=org)
    response = client.patch(reverse("system-detail", args=[system.pk]), {"name": "A\x00B"}, format="json")
    assert response.status_code == 400 and "name" in response.json()


def test_non_numeric_ids_in_api_urls_are_404(org, make_member, api_for):
    from tests.core.test_coverage import _walk

    client = api_for(make_member(Role.ADMIN))
    from django.urls import get_resolver

    detail_routes = [route for route, _name in _walk(get_resolver().url_patterns) if "(?P<pk>" in route]
    assert detail_routes
    for route in detail_routes:
        url = "/" + route.replace("^", "").replace("$", "").split("(?P<pk>")[0] + "null,null/"
        suffix = route.split(")", 1)[1].replace("$", "").lstrip("/")
        url += suffix
        for method in ("get", "post", "patch"):
            assert getattr(client, method)(url, {}, format="json").status_code == 404, (method, url)


def test_nonsensical_dates_are_refused_field_by_field(org, make_member, api_for):
    from tests.factories import PartyFactory, RiskFactory, system_with_obligations

    client = api_for(make_member(Role.ADMIN))
    system = AISystemFactory(organization=org)
    risk = RiskFactory(system=system)
    obligation = system_with_obligations(org).obligations.first()
    cases = [
        (
            "post",
            reverse("data-library-list"),
            {"name": "L1", "source": "own", "obtained_on": "2999-01-01"},
            "obtained_on",
        ),
        (
            "post",
            reverse("data-library-list"),
            {"name": "L2", "source": "own", "last_provenance_review_on": "2999-01-01"},
            "last_provenance_review_on",
        ),
        (
            "post",
            reverse("party-link-list"),
            {
                "system": system.pk,
                "party": PartyFactory(organization=org).pk,
                "role": "integrator",
                "contract_signed_on": "2999-01-01",
            },
            "contract_signed_on",
        ),
        (
            "post",
            reverse("register-measure-list"),
            {
                "system": system.pk,
                "title": "m",
                "kind": "organisational",
                "risks": [risk.pk],
                "due_on": "1900-01-01",
            },
            "due_on",
        ),
        ("post", reverse("review-list"), {"system": system.pk, "due_on": "1900-01-01"}, "due_on"),
        ("patch", reverse("obligation-detail", args=[obligation.pk]), {"due_on": "9999-12-31"}, "due_on"),
    ]
    for method, url, payload, field in cases:
        response = getattr(client, method)(url, payload, format="json")
        assert response.status_code == 400, (url, field, response.content)
        body = response.json()
        assert "detail" in body and field in body, body
    # Plausible dates still pass.
    ok = client.post(
        reverse("data-library-list"),
        {"name": "L3", "source": "own", "obtained_on": "2024-05-01"},
        format="json",
    )
    assert ok.status_code == 201


def test_nonsensical_dates_are_shown_on_the_form(org, make_member, web_for):
    web = web_for(make_member(Role.ADMIN))
    response = web.post(
        reverse("registry:library_create"),
        {"name": "Logs", "source": "own", "copyright_status": "own", "obtained_on": "2999-01-01"},
    )
    assert response.status_code in (200, 400)
    assert "obtained_on" in response.context["form"].errors


def test_system_grants_refuse_huge_ids_without_a_500(org, make_member, web_for, api_for):
    admin = make_member(Role.ADMIN)
    auditor = make_member(Role.AUDITOR)
    response = web_for(admin).post(
        reverse("member_systems", args=[auditor.pk]), {"on_page": [HUGE], "systems": [HUGE]}
    )
    assert response.status_code == 302
    response = api_for(admin).put(
        reverse("member-systems", args=[auditor.pk]), {"systems": [int(HUGE)]}, format="json"
    )
    assert response.status_code == 400 and "systems" in response.json()
