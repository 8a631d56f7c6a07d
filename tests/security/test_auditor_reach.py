"""An auditor granted one system never sees another system of the organization: no page (the
overview and the accounts pages included), list, detail page of a shared object (a party, a tag),
export, matrix, heat map, deadline or API list shows anything of a system not granted to them, and
no count includes it.

The walk covers every page of the portal (`tests.security.world.portal_url_names`), each export
format, and every API list route, so a page or list added later is checked without writing anything.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import get_resolver, reverse

from kzai.core.roles import Role
from registry import services as registry_services
from registry.choices import DataSource, DataUsePurpose, PartyRole
from registry.grants import grant_system_view
from tests.core.test_coverage import _walk
from tests.factories import MeasureFactory, RiskFactory, classify_system
from tests.security.test_pages import NAMES, _url
from tests.security.world import build_world

MARK = "HIDDENXYZ"
# Each export format a page may be asked for; a page that is no export ignores the parameter.
EXPORT_SUFFIXES = ("", "?format=csv", "?format=xlsx", "?export=csv", "?export=xlsx")
SHARED_TAG = "shared-tag"


def _hidden_system(org, world):
    """System B, not granted to the auditor: every object of it carries MARK in its name or code.

    It is tied to objects the auditor does see (the world's party, a tag of the granted system), so
    a page of those objects that lists their related objects unrestricted shows MARK.
    """
    from kzai.deadlines.services import deadline_sync
    from risk.services.obligations import obligations_sync
    from tests.factories import AISystemFactory

    system = AISystemFactory(organization=org, name=f"{MARK} scoring", code=f"{MARK}-1")
    risk = RiskFactory(system=system, title=f"{MARK} risk")
    MeasureFactory(system=system, title=f"{MARK} measure", risks=[risk])
    classify_system(system, world.admin)
    obligations_sync(system=system)
    deadline_sync(
        source=system, kind="other", due_on=datetime.date(2026, 3, 5), title=f"{MARK} deadline", system=system
    )
    # Related objects reached from pages the auditor may open: the shared party's systems and
    # data libraries, the component list, the tags.
    library = registry_services.data_library_create(
        organization=org,
        name=f"{MARK} library",
        producer=world.party,
        source=DataSource.OWN,
        obtained_on=datetime.date(2025, 1, 10),
    )
    registry_services.data_library_use_create(system=system, library=library, purpose=DataUsePurpose.TRAINING)
    # The world's library, used by the granted system too: its page must list only that use.
    registry_services.data_library_use_create(
        system=system, library=world.library, purpose=DataUsePurpose.EVALUATION
    )
    registry_services.party_link_create(
        system=system, party=world.party, role=PartyRole.DEVELOPER, contract_reference=f"{MARK} contract"
    )
    registry_services.component_create(system=system, name=f"{MARK} component", version="1.0")
    registry_services.ai_system_update(system=system, tags=[SHARED_TAG])
    registry_services.ai_system_update(system=world.system, tags=[SHARED_TAG])
    return system


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _leaks(world, web, client):
    leaks = []
    for name in NAMES:
        for suffix in EXPORT_SUFFIXES:
            response = web.get(_url(name, world) + suffix)
            if MARK.encode() in _body(response):
                leaks.append(name + suffix)
    for route, url_name in _walk(get_resolver().url_patterns):
        if url_name.endswith("-list") and route.startswith("api/v1/"):
            response = client.get(reverse(url_name), {"page_size": 500, "active": "all"})
            if MARK in response.content.decode():
                leaks.append(url_name)
    matrix = client.get(reverse("obligation-matrix"))
    if MARK in matrix.content.decode():
        leaks.append("obligation-matrix")
    return leaks


@pytest.fixture
def world_with_hidden_system(org):
    world = build_world(org)
    _hidden_system(org, world)
    return world


def test_an_auditor_sees_nothing_of_systems_not_granted(
    world_with_hidden_system, make_member, web_for, api_for
):
    world = world_with_hidden_system
    auditor = make_member(Role.AUDITOR)
    grant_system_view(auditor.user, world.system)
    leaks = _leaks(world, web_for(auditor), api_for(auditor))
    assert not leaks, f"an auditor sees a system not granted to them on: {leaks}"


def test_the_walk_reaches_every_hidden_object_for_an_officer(world_with_hidden_system, web_for):
    # Sanity: the pages the auditor walks do show the hidden system's objects to an officer, so the
    # auditor test above cannot pass by looking where the mark never is.
    world = world_with_hidden_system
    web = web_for(world.admin)
    shown = {
        "party page (its systems and libraries)": _url("registry:party_detail", world),
        "risk register": reverse("risk:register_risk_list"),
        "library page (its uses)": _url("registry:library_detail", world),
        "members": reverse("member_systems", args=[world.auditor.pk]),
    }
    for what, url in shown.items():
        assert MARK in web.get(url).content.decode(), what
    party_page = web.get(_url("registry:party_detail", world)).content.decode()
    assert f"{MARK} library" in party_page and f"{MARK} scoring" in party_page


def test_an_auditors_tag_counts_only_granted_systems(world_with_hidden_system, make_member, api_for):
    world = world_with_hidden_system
    auditor = make_member(Role.AUDITOR)
    grant_system_view(auditor.user, world.system)
    counts = {
        row["name"]: row["system_count"]
        for row in api_for(auditor).get(reverse("tag-list")).json()["results"]
    }
    assert counts[SHARED_TAG] == 1
    admin_counts = {
        row["name"]: row["system_count"]
        for row in api_for(world.admin).get(reverse("tag-list")).json()["results"]
    }
    assert admin_counts[SHARED_TAG] == 2


def test_another_organization_sees_nothing_anywhere(
    org, other_org, world_with_hidden_system, make_member, web_for, api_for
):
    stranger = make_member(Role.ADMIN, organization=other_org)
    assert not _leaks(world_with_hidden_system, web_for(stranger), api_for(stranger))


def test_an_auditors_counts_cover_only_granted_systems(world_with_hidden_system, make_member, web_for):
    """Counts carry no name to search for: compare them with what the granted system alone holds."""
    from risk.choices import ObligationStatus
    from risk.models import Obligation, Risk

    world = world_with_hidden_system
    auditor = make_member(Role.AUDITOR)
    grant_system_view(auditor.user, world.system)
    web = web_for(auditor)
    heat_map = web.get(reverse("risk:register_heatmap")).context["heat_map"]
    assert heat_map["total"] == Risk.objects.filter(system=world.system).count()
    score = web.get(reverse("risk:obligation_list")).context["score"]
    granted = Obligation.objects.filter(system=world.system, in_force=True).exclude(
        status=ObligationStatus.NOT_APPLICABLE
    )
    assert score.applicable == granted.count()
    officer_heat_map = web_for(world.admin).get(reverse("risk:register_heatmap")).context["heat_map"]
    assert officer_heat_map["total"] > heat_map["total"]  # the hidden system's risks do count for them


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
