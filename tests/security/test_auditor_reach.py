"""An auditor granted one system never sees another system of the organization: no page, list,
export, matrix, heat map, deadline or API list shows anything of a system not granted to them."""

from __future__ import annotations

import datetime

from django.urls import reverse

from kzai.core.grants import grant_system_view
from kzai.core.roles import Role
from tests.core.test_coverage import _walk
from tests.factories import MeasureFactory, RiskFactory, classify_system
from tests.security.test_pages import NAMES, _url
from tests.security.world import build_world

MARK = "HIDDENXYZ"


def _hidden_system(org, officer):
    from kzai.deadlines.services import deadline_sync
    from risk.services.obligations import obligations_sync
    from tests.factories import AISystemFactory

    system = AISystemFactory(organization=org, name=f"{MARK} scoring", code=f"{MARK}-1")
    risk = RiskFactory(system=system, title=f"{MARK} risk")
    MeasureFactory(system=system, title=f"{MARK} measure", risks=[risk])
    classify_system(system, officer)
    obligations_sync(system=system)
    deadline_sync(
        source=system, kind="other", due_on=datetime.date(2026, 3, 5), title=f"{MARK} deadline", system=system
    )
    return system


def _leaks(world, web, client):
    leaks = []
    for name in NAMES:
        for suffix in ("", "?format=xlsx"):
            response = web.get(_url(name, world) + suffix)
            body = response.content if not response.streaming else b"".join(response.streaming_content)
            if MARK.encode() in body:
                leaks.append(name + suffix)
    from django.urls import get_resolver

    for route, url_name in _walk(get_resolver().url_patterns):
        if url_name.endswith("-list") and route.startswith("api/v1/"):
            response = client.get(reverse(url_name), {"page_size": 500})
            if MARK in response.content.decode():
                leaks.append(url_name)
    matrix = client.get(reverse("obligation-matrix"))
    if MARK in matrix.content.decode():
        leaks.append("obligation-matrix")
    return leaks


def test_an_auditor_sees_nothing_of_systems_not_granted(org, make_member, web_for, api_for):
    world = build_world(org)
    _hidden_system(org, world.admin)
    auditor = make_member(Role.AUDITOR)
    grant_system_view(auditor.user, world.system)
    leaks = _leaks(world, web_for(auditor), api_for(auditor))
    assert not leaks, f"an auditor sees a system not granted to them on: {leaks}"
    # Sanity: the same walk as an officer does see it (the mark is where it should be).
    officer_page = web_for(world.admin).get(reverse("risk:register_risk_list")).content.decode()
    assert MARK in officer_page


def test_another_organization_sees_nothing_anywhere(org, other_org, make_member, web_for, api_for):
    world = build_world(org)
    _hidden_system(org, world.admin)
    stranger = make_member(Role.ADMIN, organization=other_org)
    assert not _leaks(world, web_for(stranger), api_for(stranger))


def test_tag_counts_include_only_the_systems_granted_to_an_auditor(org, make_member, api_for):
    from tests.factories import AISystemFactory

    officer = make_member(Role.OFFICER)
    systems = [AISystemFactory(organization=org) for _ in range(3)]
    for system in systems:  # tagged the way a person tags: through the API
        response = api_for(officer).patch(
            f"/api/v1/systems/{system.pk}/", {"tags": ["credit"]}, format="json"
        )
        assert response.status_code == 200, response.content
    auditor = make_member(Role.AUDITOR)
    grant_system_view(auditor.user, systems[0])

    def counts(member):
        rows = api_for(member).get("/api/v1/tags/").json()["results"]
        return {row["name"]: row["system_count"] for row in rows}

    assert counts(officer) == {"credit": 3}
    assert counts(auditor) == {"credit": 1}
