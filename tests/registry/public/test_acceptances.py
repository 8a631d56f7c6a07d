"""The user agreement acceptance API the company's own product calls, and the officer's counts."""

from __future__ import annotations

import itertools

from django.urls import reverse

from kzai.core.roles import Role
from tests.factories import AISystemFactory
from tests.registry.public.helpers import published_page
from tests.tenancy import APIContract

_users = itertools.count(1)


def _accept(client, system, version=1, end_user="u-1", **extra):
    payload = {"system": system.pk, "version": version, "end_user": end_user, **extra}
    return client.post(reverse("agreement-acceptance-list"), payload, format="json")


def _status(client, system, end_user):
    return client.get(reverse("agreement-acceptance-status"), {"system": system.pk, "end_user": end_user})


class TestAgreementVersionAPI(APIContract):
    basename = "agreement-version"

    def make_object(self, organization):
        return published_page(organization, agreements=1).system.agreement_versions.get()

    def create_payload(self, organization):
        system = AISystemFactory(organization=organization)
        return {"system": system.pk, "effective_on": "2026-03-01", "text_ru": "Текст", "text_en": "Text"}


class TestAgreementAcceptanceAPI(APIContract):
    basename = "agreement-acceptance"

    def make_object(self, organization):
        from registry.public.services import agreement_accept

        system = published_page(organization, agreements=1).system
        return agreement_accept(system=system, number=1, end_user=f"user-{next(_users)}")

    def create_payload(self, organization):
        system = published_page(organization, agreements=1).system
        return {"system": system.pk, "version": 1, "end_user": f"user-{next(_users)}"}


def test_product_records_an_acceptance_and_asks_about_it(org, make_member, api_for):
    client = api_for(make_member(Role.CONTRIBUTOR))
    system = published_page(org, agreements=2).system
    assert _status(client, system, "anon-42").json() == {
        "accepted": False,
        "version": None,
        "accepted_at": None,
        "current_version": 2,
        "accepted_current": False,
    }
    response = _accept(client, system, version=1, end_user="anon-42", accepted_at="2026-02-01T10:00:00+05:00")
    assert response.status_code == 201, response.content
    status = _status(client, system, "anon-42").json()
    assert status["accepted"] and status["version"] == 1 and not status["accepted_current"]
    assert _accept(client, system, version=2, end_user="anon-42").status_code == 201
    status = _status(client, system, "anon-42").json()
    assert status["version"] == 2 and status["accepted_current"]
    # A retry of the same acceptance returns the first record instead of a duplicate.
    again = _accept(client, system, version=2, end_user="anon-42")
    assert again.status_code == 201 and system.agreement_versions.get(number=2).acceptances.count() == 1


def test_bad_acceptances_are_400_with_a_reason(org, make_member, api_for):
    client = api_for(make_member(Role.CONTRIBUTOR))
    system = published_page(org, agreements=1).system
    assert "version" in _accept(client, system, version=7).json()
    assert "accepted_at" in _accept(client, system, accepted_at="2999-01-01T00:00:00Z").json()
    assert "accepted_at" in _accept(client, system, accepted_at="yesterday").json()
    assert "end_user" in _accept(client, system, end_user="x" * 500).json()
    assert _accept(client, system, version="one").status_code == 400
    assert _status(client, system, "").status_code == 400
    assert client.get(reverse("agreement-acceptance-status")).status_code == 400


def test_acceptances_stay_inside_the_organization(org, other_org, make_member, api_for):
    ours = published_page(org, agreements=1).system
    theirs = published_page(other_org, agreements=1).system
    client = api_for(make_member(Role.ADMIN))
    foreign = api_for(make_member(Role.ADMIN, organization=other_org))
    assert _accept(client, ours, end_user="shared-id").status_code == 201
    # The other organization can neither record for nor ask about our system, even with our user id.
    assert _accept(foreign, ours, end_user="shared-id").status_code == 400
    assert _status(foreign, ours, "shared-id").status_code == 400
    assert _status(foreign, theirs, "shared-id").json()["accepted"] is False
    listed = foreign.get(reverse("agreement-acceptance-list"), {"end_user": "shared-id"}).json()
    assert listed["results"] == []


def test_officer_sees_acceptance_counts_per_version(org, make_member, api_for, web_for):
    system = published_page(org, agreements=2).system
    client = api_for(make_member(Role.CONTRIBUTOR))
    for user in ("a", "b", "c"):
        _accept(client, system, version=2, end_user=user)
    _accept(client, system, version=1, end_user="a")
    page = web_for(make_member(Role.VIEWER)).get(reverse("registry:system_public", args=[system.pk]))
    body = page.content.decode()
    assert 'data-testid="acceptances-2">3<' in body and 'data-testid="acceptances-1">1<' in body
    versions = client.get(reverse("agreement-version-list"), {"system": system.pk}).json()["results"]
    assert {v["number"]: v["acceptance_count"] for v in versions} == {1: 1, 2: 3}
