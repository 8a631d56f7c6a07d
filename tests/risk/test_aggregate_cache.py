"""The organization's obligation score and fines exposure are cached per organization
(kzai.core.cache) and forgotten by every change that moves them: the pages never show a stale
figure, and one organization's figure is never another's."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kzai.core.roles import Role
from registry.grants import grant_system_view
from registry.services import ai_system_archive
from risk.choices import ObligationStatus
from risk.fines.selectors import organization_exposure
from risk.selectors import organization_score
from risk.services.obligations import obligation_update
from tests.factories import system_with_obligations

pytestmark = pytest.mark.django_db


def test_the_score_is_read_once_then_follows_every_change(org, officer):
    system = system_with_obligations(org)
    before = organization_score(officer)
    with CaptureQueriesContext(connection) as cached:
        assert organization_score(officer) == before
    assert len(cached) == 0  # served from the cache

    obligation = system.obligations.filter(in_force=True).exclude(status=ObligationStatus.MET).first()
    obligation_update(obligation=obligation, membership=officer, status=ObligationStatus.MET)
    assert organization_score(officer).met == before.met + 1

    ai_system_archive(system=system)
    assert organization_score(officer).applicable == 0


def test_new_obligations_are_counted_at_once(org, officer):
    system_with_obligations(org)
    first = organization_score(officer)
    system_with_obligations(org)  # its obligations are inserted in bulk (no post_save)
    assert organization_score(officer).applicable > first.applicable


def test_one_organizations_figures_are_never_anothers(org, other_org, officer, make_member):
    system_with_obligations(org)
    other_officer = make_member(Role.OFFICER, organization=other_org)
    assert organization_score(officer).applicable > 0
    assert organization_score(other_officer).applicable == 0
    assert organization_exposure(officer).count > 0 and organization_exposure(other_officer).count == 0


def test_an_auditor_gets_the_figure_of_the_granted_systems_not_the_cached_one(org, officer, make_member):
    granted = system_with_obligations(org)
    system_with_obligations(org)
    organization_score(officer)  # cached for the organization
    auditor = make_member(Role.AUDITOR)
    grant_system_view(auditor.user, granted)
    in_scope = granted.obligations.filter(in_force=True).exclude(status=ObligationStatus.NOT_APPLICABLE)
    assert organization_score(auditor).applicable == in_scope.count() < organization_score(officer).applicable


def _obligation_counts(captured) -> int:
    return sum('SELECT COUNT(*) AS "__count" FROM "risk_obligation"' in q["sql"] for q in captured)


def test_the_obligations_page_counts_every_obligation_once_then_follows_changes(
    org, other_org, officer, make_member, web_for
):
    from django.urls import reverse

    system = system_with_obligations(org)
    web = web_for(officer)
    url = reverse("risk:obligation_list")
    total = system.obligations.filter(in_force=True).count()
    assert web.get(url).context["page_obj"].paginator.count == total
    with CaptureQueriesContext(connection) as cached:
        assert web.get(url).context["page_obj"].paginator.count == total
    assert _obligation_counts(cached) == 0  # from the cache

    second = system_with_obligations(org)  # obligations inserted in bulk
    total += second.obligations.filter(in_force=True).count()
    assert web.get(url).context["page_obj"].paginator.count == total
    ai_system_archive(system=second)  # its obligations stop applying
    remaining = system.obligations.filter(in_force=True).count()
    assert web.get(url).context["page_obj"].paginator.count == remaining

    # A filtered list counts its own rows; another organization and an auditor count theirs.
    with CaptureQueriesContext(connection) as filtered:
        met = web.get(url, {"status": ObligationStatus.MET}).context["page_obj"].paginator.count
    assert _obligation_counts(filtered) == 1 and met == system.obligations.filter(status="met").count()
    other = web_for(make_member(Role.OFFICER, organization=other_org)).get(url)
    assert other.context["page_obj"].paginator.count == 0
    auditor = make_member(Role.AUDITOR)
    assert web_for(auditor).get(url).context["page_obj"].paginator.count == 0  # nothing granted


def test_the_obligations_api_counts_every_obligation_once_then_follows_changes(
    org, other_org, officer, make_member, api_for
):
    system = system_with_obligations(org)
    api = api_for(officer)
    url = "/api/v1/risk/obligations/"
    total = system.obligations.filter(in_force=True).count()
    assert api.get(url).json()["count"] == total
    with CaptureQueriesContext(connection) as cached:
        assert api.get(url, {"page_size": 5}).json()["count"] == total
    assert _obligation_counts(cached) == 0  # from the cache, as the obligations page

    second = system_with_obligations(org)  # obligations inserted in bulk
    total += second.obligations.filter(in_force=True).count()
    assert api.get(url).json()["count"] == total
    ai_system_archive(system=second)  # its obligations stop applying
    remaining = system.obligations.filter(in_force=True).count()
    assert api.get(url).json()["count"] == remaining

    # A filtered list counts its own rows; another organization and an auditor count theirs.
    with CaptureQueriesContext(connection) as filtered:
        met = api.get(url, {"status": ObligationStatus.MET}).json()["count"]
    assert _obligation_counts(filtered) == 1 and met == system.obligations.filter(status="met").count()
    assert api_for(make_member(Role.OFFICER, organization=other_org)).get(url).json()["count"] == 0
    assert api_for(make_member(Role.AUDITOR)).get(url).json()["count"] == 0  # nothing granted
