"""Lists stay flat as an organization grows (PostgreSQL only).

Two organizations are seeded with `scripts.bench_seed` (the `make bench` seeder: systems with
parties, tags, ~12 obligations and 2 risks each, deadlines…), one three times the other. For the
register, the obligations and the risk register (pages and API):
- the number of queries of a list is the same at N and at 3N systems;
- EXPLAIN of every query a list sends never scans the large tables (systems, obligations, risks)
  sequentially: a query narrows them by an index condition (counts, aggregates), or, for the page,
  walks an index in the page's order until its LIMIT; and the page query is read in index order
  (no Sort of the organization's rows before the LIMIT).

The planner is told not to scan sequentially (`enable_seqscan = off`): with a few thousand rows a
sequential scan is legitimately cheapest, so only this way does a plan show whether an index can
serve the query — which is what decides its time at 100,000 rows. Statistics are gathered first.
"""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kzai.accounts.models import Membership
from risk.services.library import newest_library_version
from scripts.bench_seed import bench_email, seed

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="query plans of PostgreSQL"),
]

SMALL, LARGE = 60, 180  # systems: N and 3N (×12 obligations, ×2 risks)
LARGE_TABLES = {"registry_aisystem", "risk_obligation", "risk_risk"}

LISTS = [
    ("api", "/api/v1/systems/"),
    ("api", "/api/v1/systems/?search=model+0001"),
    ("page", "/registry/"),
    ("api", "/api/v1/risk/obligations/"),
    ("page", "/risk/obligations/"),
    ("api", "/api/v1/risk/risks/"),
    ("page", "/risk/register/"),
    ("api", "/api/v1/risk/obligations/matrix/"),
]


@pytest.fixture
def organizations(db):
    newest_library_version()  # the requirements library the obligations point at
    organizations = {size: seed(size) for size in (SMALL, LARGE)}
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return organizations


def _officer(organization, size):
    return Membership.objects.select_related("user").get(
        organization=organization, user__email=bench_email(size)
    )


def _clients(organization, size, api_for):
    from django.test import Client

    from kzai.accounts.middleware import SESSION_KEY

    officer = _officer(organization, size)
    web = Client()
    web.force_login(officer.user)  # the seeded accounts have no usable password
    session = web.session
    session[SESSION_KEY] = organization.pk
    session.save()
    return {"api": api_for(officer), "page": web}


def _queries(client, url):
    client.get(url)  # warm: per-organization caches, the library adoption
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return [q["sql"] for q in captured.captured_queries]


def _plan(sql: str) -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        (row,) = cursor.fetchone()
        cursor.execute("SET LOCAL enable_seqscan = on")
    return (json.loads(row) if isinstance(row, str) else row)[0]["Plan"]


def _nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", ()):
        yield from _nodes(child)


def _has_index_condition(node: dict) -> bool:
    return any("Index Cond" in n for n in _nodes(node))


def _scans_of_large_tables(plan: dict, parent: dict | None = None):
    """(scan node, its parent node) for every read of a large table."""
    if plan.get("Relation Name") in LARGE_TABLES:
        yield plan, parent
    for child in plan.get("Plans", ()):
        yield from _scans_of_large_tables(child, plan)


def _walked_for_the_page(plan: dict) -> bool:
    """A page query read in index order and stopped by its LIMIT: a Limit at the top and no Sort
    below it (an index walked in the page's order with a filter reads about a page divided by the
    organization's share of the table, whatever the organization's size)."""
    return plan["Node Type"] == "Limit" and not any(n["Node Type"] == "Sort" for n in _nodes(plan))


def test_list_query_counts_do_not_grow_with_the_organization(organizations, api_for):
    counts = {}
    for size, organization in organizations.items():
        clients = _clients(organization, size, api_for)
        counts[size] = {url: len(_queries(clients[kind], url)) for kind, url in LISTS}
    assert counts[SMALL] == counts[LARGE]


@pytest.mark.parametrize(("kind", "url"), LISTS)
def test_list_queries_read_large_tables_through_an_index_in_order(organizations, api_for, kind, url):
    client = _clients(organizations[LARGE], LARGE, api_for)[kind]
    checked = 0
    for sql in _queries(client, url):
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        plan = _plan(sql)
        for node, _parent in _scans_of_large_tables(plan):
            checked += 1
            assert node["Node Type"] != "Seq Scan", (url, sql[:300], node)
            assert _has_index_condition(node) or _walked_for_the_page(plan), (
                "an index read without a condition",
                url,
                {k: node.get(k) for k in ("Relation Name", "Index Name", "Filter")},
                json.dumps(plan)[:3000],
            )
        page_query = " LIMIT " in sql and any(True for _ in _scans_of_large_tables(plan))
        if page_query and " ORDER BY " in sql and "search=" not in url:
            sorts = [n for n in _nodes(plan) if n["Node Type"] == "Sort"]
            assert not sorts, ("the page is sorted instead of read in index order", url, sql[:300])
    assert checked, f"{url}: no query read the large tables"
