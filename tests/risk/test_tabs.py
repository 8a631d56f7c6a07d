"""The Risk tab of a system: every per-system risk page sits in the registry's tab frame with the
risk sub-navigation, the front page gathers classification, screen, obligations, register and
review, buttons follow the role, and the pages' queries do not grow with the data."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kzai.core.roles import Role
from registry.grants import grant_system_view
from risk.models import Review
from risk.risk_management import services as register_services
from risk.services.screening import screening_record
from tests.factories import (
    NO_PROHIBITED_PRACTICE,
    MeasureFactory,
    MembershipFactory,
    RiskFactory,
    classify_system,
    system_in_operation,
)
from tests.tenancy import UIContract

UTC = datetime.UTC


def _system_with_everything(organization):
    """A classified system in operation with risks, a measure, a schedule and an open review."""
    system = system_in_operation(organization, classified_at=datetime.datetime(2026, 5, 1, tzinfo=UTC))
    officer = MembershipFactory(organization=organization, role=Role.OFFICER)
    classify_system(system, officer)
    screening_record(system=system, membership=officer, answers=NO_PROHIBITED_PRACTICE)
    risk = RiskFactory(system=system, title="Scores drift for thin-file applicants")
    MeasureFactory(system=system, risks=[risk], title="Quarterly drift monitoring")
    register_services.review_schedule_sync(system=system)
    return system


class TestSystemReviewsPage(UIContract):
    detail_url_name = "risk:system_reviews"

    def make_object(self, organization):
        return _system_with_everything(organization)


def _pages(system):
    review = Review.objects.get(system=system)
    risk = system.register_risks.first()
    return {
        "classification": [
            reverse("risk:system_risk", args=[system.pk]),
            reverse("risk:classification_detail", args=[system.classifications.first().pk]),
            reverse("risk:screening_detail", args=[system.screenings.first().pk]),
            reverse("risk:obligation_detail", args=[system.obligations.first().pk]),
            reverse("risk:wizard", args=[system.pk]),
        ],
        "register": [
            reverse("risk:register_system", args=[system.pk]),
            reverse("risk:register_catalogue", args=[system.pk]),
            reverse("risk:register_risk_detail", args=[risk.pk]),
        ],
        "reviews": [
            reverse("risk:system_reviews", args=[system.pk]),
            reverse("risk:review_detail", args=[review.pk]),
            reverse("risk:review_schedule_update", args=[system.review_schedule.pk]),
        ],
    }


def test_every_per_system_risk_page_is_in_the_tab_frame_with_its_section(org, officer, web_for):
    system = _system_with_everything(org)
    web = web_for(officer)
    section_urls = {
        "classification": reverse("risk:system_risk", args=[system.pk]),
        "register": reverse("risk:register_system", args=[system.pk]),
        "reviews": reverse("risk:system_reviews", args=[system.pk]),
    }
    for section, urls in _pages(system).items():
        for url in urls:
            response = web.get(url)
            assert response.status_code == 200, url
            page = response.content.decode()
            # The registry's tab bar with Risk active, and the risk sub-navigation with this section.
            assert 'aria-label="System sections"' in page, url
            assert f'href="{section_urls["classification"]}" aria-current="page">Risk</a>' in page, url
            assert f'href="{section_urls[section]}" aria-current="page">' in page, url
            assert reverse("registry:system_parties", args=[system.pk]) in page, url


def test_front_page_gathers_classification_obligations_register_and_review(org, officer, web_for):
    system = _system_with_everything(org)
    page = web_for(officer).get(reverse("risk:system_risk", args=[system.pk])).content.decode()
    for expected in (
        "Classification",
        "Banned-practice screen",
        "Compliance score",
        "Risk register",
        "1 risk",
        "Annual review",
        reverse("risk:register_system", args=[system.pk]),
        reverse("risk:review_detail", args=[Review.objects.get(system=system).pk]),
        'id="obligations"',
    ):
        assert expected in page, expected


@pytest.mark.parametrize(
    "role,sees_buttons",
    [(Role.OFFICER, True), (Role.CONTRIBUTOR, True), (Role.VIEWER, False), (Role.AUDITOR, False)],
)
def test_buttons_follow_the_role(role, sees_buttons, org, make_member, web_for):
    system = _system_with_everything(org)
    member = make_member(role)
    if role == Role.AUDITOR:
        grant_system_view(member.user, system)
    web = web_for(member)
    register = web.get(reverse("risk:register_system", args=[system.pk])).content.decode()
    reviews = web.get(reverse("risk:system_reviews", args=[system.pk])).content.decode()
    front = web.get(reverse("risk:system_risk", args=[system.pk])).content.decode()
    assert ("Add from catalogue" in register) == sees_buttons
    assert ("New measure" in register) == sees_buttons
    assert ("Change schedule" in reviews) == sees_buttons
    assert ("Classify (guided)" in front) == sees_buttons
    assert "Export CSV" in register  # reading is for everyone who may see the system


def test_auditor_without_a_grant_gets_404_on_every_tab_page(org, make_member, web_for):
    system = _system_with_everything(org)
    web = web_for(make_member(Role.AUDITOR))
    for urls in _pages(system).values():
        for url in urls:
            if "classify" in url or "catalogue" in url or "schedules" in url:
                continue  # write pages: the role check answers 403 first
            assert web.get(url).status_code == 404, url


@pytest.mark.parametrize("url_name", ["risk:system_risk", "risk:register_system", "risk:system_reviews"])
def test_tab_pages_have_bounded_queries(url_name, org, officer, web_for):
    system = _system_with_everything(org)
    web = web_for(officer)
    url = reverse(url_name, args=[system.pk])
    web.get(url)  # warm-up: session, content types
    with CaptureQueriesContext(connection) as few:
        assert web.get(url).status_code == 200
    for _ in range(10):
        risk = RiskFactory(system=system)
        MeasureFactory(system=system, risks=[risk])
    with CaptureQueriesContext(connection) as many:
        assert web.get(url).status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert len(many) <= 30, len(many)
