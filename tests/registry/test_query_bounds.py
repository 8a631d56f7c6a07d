"""With 10,000 systems the register list (page and API) answers in a fixed number of queries,
whatever the page size and however many parties each system has.

Rows are seeded with bulk_create here, in test setup only: the services (and the activity log)
are not under test, and 10,000 tracked saves would take minutes.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kzai.core.roles import Role
from registry.models import AISystem, Party, SystemPartyLink, Tag
from tests.factories import make_bin

pytestmark = pytest.mark.django_db

SYSTEMS = 10_000


@pytest.fixture
def big_register(org):
    AISystem.objects.bulk_create(
        [
            AISystem(
                organization=org,
                code=f"S-{i:05d}",
                name=f"System {i:05d}",
                intended_purpose="Seeded for the query-count test.",
                organization_role="owner",
                sector="banking",
            )
            for i in range(SYSTEMS)
        ],
        batch_size=2000,
    )
    parties = Party.objects.bulk_create(
        [
            Party(organization=org, name=f"Party {i}", kind="legal_entity", identifier=make_bin(i))
            for i in range(8)
        ]
    )
    tag = Tag.objects.create(organization=org, name="seeded")
    first = list(AISystem.objects.filter(organization=org).order_by("name")[:200])
    # The first page's systems get 1..8 parties each; the rest none.
    SystemPartyLink.objects.bulk_create(
        [
            SystemPartyLink(organization=org, system=system, party=party, role="developer")
            for n, system in enumerate(first)
            for party in parties[: n % 8 + 1]
        ]
    )
    AISystem.tags.through.objects.bulk_create(
        [AISystem.tags.through(aisystem_id=s.pk, tag_id=tag.pk) for s in first]
    )
    return first


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def test_api_list_query_count_is_constant(big_register, make_member, api_for):
    client = api_for(make_member(Role.VIEWER))
    client.get("/api/v1/systems/")  # warm-up
    small, response = count(client, "/api/v1/systems/?page_size=10")
    assert response.json()["count"] == SYSTEMS
    assert sum(len(r["parties"]) for r in response.json()["results"]) > 10  # parties are really shown
    large, response = count(client, "/api/v1/systems/?page_size=500")
    assert len(response.json()["results"]) == 500
    no_parties, _ = count(client, "/api/v1/systems/?page_size=500&page=10")
    filtered, _ = count(client, "/api/v1/systems/?page_size=500&sector=banking&search=System&ordering=-code")
    assert small == large == no_parties == filtered, (small, large, no_parties, filtered)
    # The filter chips do not read the member and party choices again (only their selects do).
    assert large <= 11, large


def test_page_list_query_count_is_constant(big_register, make_member, web_for):
    web = web_for(make_member(Role.VIEWER))
    url = reverse("registry:system_list")
    web.get(url + "?columns=code&columns=parties&columns=tags&columns=responsible_officer&columns=risk_level")
    small, response = count(web, url + "?page_size=25")
    assert response.context["page_obj"].paginator.count == SYSTEMS
    assert "Party 7" in response.content.decode()
    large, _ = count(web, url + "?page_size=200")
    far, _ = count(web, url + "?page_size=200&page=40")
    filtered, _ = count(web, url + "?page_size=200&sector=banking&tag=seeded&ordering=-name")
    assert small == large == far == filtered, (small, large, far, filtered)
    # The filter chips do not read the member and party choices again (only their selects do).
    assert large <= 11, large
