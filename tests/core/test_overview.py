"""The overview: every number links to the list of exactly what it counts, the score's trend comes from
the daily snapshots, the member's own open items, the first-run guide, a bounded number of queries,
and the same numbers in `/api/v1/overview/`."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from kzai.core.overview import registered_overview_sections
from kzai.core.roles import Role
from kzai.deadlines.handlers import daily_handlers
from registry.grants import grant_system_view
from registry.public.services import ticket_report, ticket_update
from risk.models import ComplianceScoreSnapshot, Obligation
from risk.risk_management import services as register_services
from risk.services.obligations import obligation_update
from risk.services.score import compliance_score_snapshots_take
from tests.factories import (
    AISystemFactory,
    MeasureFactory,
    RiskFactory,
    classify_system,
    screened_system,
    system_in_operation,
    system_with_obligations,
)
from tests.registry.public.helpers import published_page
from tests.tenancy import APIContract

UTC = datetime.UTC


def _world(org, officer, colleague):
    """An organization part-way through its work, built through the services an officer uses."""
    today = timezone.localdate()
    scoring = system_with_obligations(org, name="Credit scoring")
    classify_system(scoring, officer)
    screened_system(scoring, officer)
    obligations = list(Obligation.objects.filter(system=scoring, in_force=True).order_by("id"))
    assert len(obligations) >= 4, "the fixture needs obligations to set statuses on"
    obligation_update(obligation=obligations[0], membership=officer, status="met")
    obligation_update(
        obligation=obligations[1],
        membership=officer,
        status="in_progress",
        responsible=officer,
        due_on=today - datetime.timedelta(days=3),
    )
    obligation_update(
        obligation=obligations[2],
        membership=officer,
        responsible=officer,
        due_on=today + datetime.timedelta(days=10),
    )
    obligation_update(
        obligation=obligations[3],
        membership=officer,
        responsible=colleague,
        due_on=today + datetime.timedelta(days=5),
    )
    AISystemFactory(organization=org, name="Chat assistant")  # not classified, not screened
    RiskFactory(system=scoring, title="Unfair refusals", likelihood=4, severity=4)  # 16: high
    low = RiskFactory(system=scoring, title="Minor typo", likelihood=1, severity=2)  # 2: low
    MeasureFactory(
        system=scoring,
        title="Proofreading",
        risks=[low],
        owner=officer,
        due_on=today + datetime.timedelta(days=1),
    )
    # A system classified two years ago and in operation owes a review that is now overdue.
    old = system_in_operation(
        org, classified_at=datetime.datetime(2024, 3, 1, tzinfo=UTC), name="Fraud check"
    )
    register_services.review_schedule_sync(system=old)
    page = published_page(org, system=scoring)
    ticket = ticket_report(page=page, kind="error", message="Wrong amount")
    ticket_update(ticket=ticket, assignee=officer)
    return scoring


@pytest.fixture
def world(org, officer, make_member):
    return _world(org, officer, make_member(Role.CONTRIBUTOR))


def _listed(web, url) -> int:
    response = web.get(url)
    assert response.status_code == 200, url
    return response.context["page_obj"].paginator.count


def test_the_apps_register_their_sections():
    assert registered_overview_sections() == ["registry", "risk", "audit"]
    assert "compliance_score_snapshots" in daily_handlers()


def test_every_number_is_the_count_of_the_list_it_links_to(world, officer, web_for):
    web = web_for(officer)
    overview = web.get(reverse("dashboard")).context["overview"]
    figures = {f.key: f for f in overview.figures}
    assert set(figures) >= {
        "obligations_overdue",
        "obligations_due_30_days",
        "systems_not_classified",
        "systems_not_screened",
        "systems_classification_stale",
        "systems_prohibited",
        "reviews_overdue",
        "risks_open_high",
        "fines_exposure",
    }
    counted = {key: f for key, f in figures.items() if key != "fines_exposure"}
    for figure in counted.values():
        assert _listed(web, figure.url) == figure.value, figure
    # The world makes these non-zero, so the comparison above compares something.
    for key in ("obligations_overdue", "obligations_due_30_days", "systems_not_classified"):
        assert figures[key].value >= 1, key
    assert figures["systems_not_screened"].value == 2  # the chat assistant and the fraud check
    assert figures["reviews_overdue"].value == 1
    assert figures["risks_open_high"].value == 1
    assert figures["fines_exposure"].url == reverse("risk:fines_exposure")
    for chart in overview.charts:
        for bar in chart.bars:
            assert _listed(web, bar.url) == bar.value, (chart.key, bar)
    systems = {bar.key: bar.value for bar in overview.charts[0].bars}
    assert systems["unclassified"] == 2 and sum(systems.values()) == 3


def test_the_page_shows_the_numbers_and_accessible_charts(world, officer, web_for):
    body = web_for(officer).get(reverse("dashboard")).content.decode()
    assert 'data-testid="compliance-score"' in body
    assert body.count('role="img"') >= 2 and "<title>" in body and "<desc" in body
    assert "AI systems by risk level" in body and "Obligations by status" in body
    assert "No AI systems match" not in body and 'data-testid="first-run"' not in body
    assert "₸" in body  # the fines exposure, when there is one


def test_what_needs_you_lists_the_members_own_open_items_soonest_first(world, officer, web_for):
    items = web_for(officer).get(reverse("dashboard")).context["overview"].my_items
    kinds = [str(item.kind) for item in items]
    assert {"Obligation", "Risk measure", "User report"} <= set(kinds)
    dues = [item.due_on for item in items if item.due_on]
    assert dues == sorted(dues)
    assert items[0].overdue  # the obligation three days late comes first
    # The colleague's obligation is not the officer's.
    assert len([k for k in kinds if k == "Obligation"]) == 2


def test_the_overview_makes_a_fixed_number_of_queries(
    org, officer, make_member, web_for, django_assert_max_num_queries
):
    colleague = make_member(Role.CONTRIBUTOR)
    _world(org, officer, colleague)
    web = web_for(officer)
    web.get(reverse("dashboard"))  # warm-up: session, content types
    with django_assert_max_num_queries(26) as few:
        web.get(reverse("dashboard"))
    # Counted now: captured_queries is a window on the connection's log, which the rows below roll over.
    budget = len(few.captured_queries)
    for _ in range(3):  # three times the data
        _world(org, officer, colleague)
    web.get(reverse("dashboard"))  # warm again: the change forgot the per-organization caches
    with django_assert_max_num_queries(budget):
        web.get(reverse("dashboard"))


# -- the score's trend -------------------------------------------------------------------------------
def test_the_daily_snapshot_gives_the_score_its_trend(org, officer, web_for):
    system = system_with_obligations(org)
    today = timezone.localdate()
    # Yesterday's sweep recorded the score before anything was met.
    assert compliance_score_snapshots_take(today=today - datetime.timedelta(days=1)) == 1
    for obligation in Obligation.objects.filter(system=system, in_force=True)[:2]:
        obligation_update(obligation=obligation, membership=officer, status="met")
    response = web_for(officer).get(reverse("dashboard"))
    score = response.context["overview"].score
    assert [p.percent for p in score.trend] == [0, score.percent] and score.percent > 0
    assert score.change == score.percent
    body = response.content.decode()
    assert 'class="sparkline"' in body and f"Up {score.percent} points since" in body


def test_the_snapshot_runs_in_the_daily_sweep_once_a_day(org):
    system_with_obligations(org)
    handler = daily_handlers()["compliance_score_snapshots"]
    assert handler() == 1
    assert handler() == 0  # a repeated sweep on the same day changes nothing
    snapshot = ComplianceScoreSnapshot.objects.get(organization=org)
    assert snapshot.applicable > 0 and snapshot.met == 0


def test_no_trend_before_the_first_snapshot(org, officer, web_for):
    system_with_obligations(org)
    response = web_for(officer).get(reverse("dashboard"))
    assert response.context["overview"].score.trend == ()
    assert "The trend appears once the daily snapshot" in response.content.decode()


def test_an_auditor_sees_the_score_of_the_granted_systems_only_and_no_organization_trend(
    org, officer, make_member, web_for
):
    granted = system_with_obligations(org, name="Granted")
    system_with_obligations(org, name="Hidden")
    compliance_score_snapshots_take(today=timezone.localdate() - datetime.timedelta(days=1))
    auditor = make_member(Role.AUDITOR)
    grant_system_view(auditor.user, granted)
    response = web_for(auditor).get(reverse("dashboard"))
    score = response.context["overview"].score
    assert score.applicable == Obligation.objects.filter(system=granted, in_force=True).count()
    assert score.trend == ()
    assert "Hidden" not in response.content.decode()


# -- the first-run guide -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "role, links",
    [
        (Role.ADMIN, {"registry:system_create", "registry:system_import", "members"}),
        (Role.OFFICER, {"registry:system_create", "registry:system_import"}),
        (Role.CONTRIBUTOR, {"registry:system_create"}),
        (Role.AUDITOR, set()),
        (Role.VIEWER, set()),
    ],
)
def test_a_new_organization_gets_the_first_run_guide(org, make_member, web_for, role, links):
    web = web_for(make_member(role))
    for url in (reverse("dashboard"), reverse("registry:system_list")):
        body = web.get(url).content.decode()
        assert 'data-testid="first-run"' in body, url
        assert "No AI systems match" not in body
        guide = body.split('data-testid="first-run"', 1)[1].split("</section>", 1)[0]
        for name in ("registry:system_create", "registry:system_import", "members"):
            assert (f'href="{reverse(name)}"' in guide) == (name in links), (url, name)


def test_the_guide_gives_way_once_a_system_exists(org, officer, web_for):
    AISystemFactory(organization=org)
    web = web_for(officer)
    assert 'data-testid="first-run"' not in web.get(reverse("dashboard")).content.decode()
    filtered = web.get(reverse("registry:system_list"), {"search": "nothing like this"}).content.decode()
    assert 'data-testid="first-run"' not in filtered and "No AI systems match" in filtered


# -- the API -----------------------------------------------------------------------------------------
def test_the_api_gives_the_numbers_of_the_page(world, officer, web_for, api_for):
    page = web_for(officer).get(reverse("dashboard")).context["overview"]
    data = api_for(officer).get("/api/v1/overview/").json()
    assert {f["key"]: f["value"] for f in data["figures"]} == {f.key: f.value for f in page.figures}
    assert data["score"]["percent"] == page.score.percent
    assert [c["key"] for c in data["charts"]] == ["systems_by_risk_level", "obligations_by_status"]
    assert len(data["my_items"]) == len(page.my_items)
    fines = next(f for f in data["figures"] if f["key"] == "fines_exposure")
    assert fines["unit"] == "KZT" and fines["url"].startswith("http")
    assert data["first_run"] is False


class TestOverviewAPIContract(APIContract):
    """The overview is one object per caller, not a list: the contract's list checks become checks
    that another organization's data is never counted and that every role may read it."""

    basename = "overview"
    supports_detail = False

    def list_url(self):
        return reverse("overview")

    def make_object(self, organization):
        return AISystemFactory(organization=organization, name=f"Counted {organization.slug}")

    def test_other_organization_gets_404(self, org, other_org, make_member, api_for):
        self.make_object(other_org)
        data = api_for(make_member(Role.ADMIN, organization=org)).get(self.list_url()).json()
        assert data["first_run"] is True  # the other organization's system is not counted
        assert all(f["value"] == 0 for f in data["figures"])

    @pytest.mark.parametrize("role", Role.values)
    def test_role_permissions(self, role, org, make_member, api_for):
        self.make_object(org)
        response = api_for(make_member(role)).get(self.list_url())
        assert response.status_code == 200
        # An auditor granted nothing sees no system; everyone else sees the organization's.
        assert response.json()["first_run"] is (role == Role.AUDITOR)

    def test_list_query_count_is_bounded(self, org, make_member, api_for):
        client = api_for(make_member(Role.ADMIN))
        self.make_many(org, 2)
        client.get(self.list_url())
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as few:
            assert client.get(self.list_url()).status_code == 200
        self.make_many(org, 12)
        # Warm again: the change forgot the per-organization caches (kzai.core.cache).
        client.get(self.list_url())
        with CaptureQueriesContext(connection) as many:
            assert client.get(self.list_url()).status_code == 200
        assert len(many) == len(few)


def test_the_api_schema_documents_the_overview(db, officer, api_for):
    schema = api_for(officer).get("/api/schema/?format=json").json()
    assert "/api/v1/overview/" in schema["paths"]


def test_no_raw_value_on_the_overview(world, officer, web_for):
    body = web_for(officer).get(reverse("dashboard")).content.decode()
    text = re.sub(r"<[^>]+>", " ", body)
    for raw in ("not_started", "in_progress", "not_applicable", "unclassified", "None", "False"):
        assert f" {raw} " not in text, raw
