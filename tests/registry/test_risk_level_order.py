"""The risk level sorts by severity (minimal < medium < high), not alphabetically; systems not yet
classified come last whichever way the list is sorted. The page and the API share the ordering."""

import pytest
from django.urls import reverse

from kzai.core.roles import Role
from tests.factories import AISystemFactory, classify_system

pytestmark = pytest.mark.django_db


@pytest.fixture
def systems(org, officer):
    """Four systems classified through the service: high, minimal, unclassified, medium."""
    for code, declared in (("HIGH", "high"), ("MIN", "minimal"), ("NONE", None), ("MED", "medium")):
        system = AISystemFactory(organization=org, code=code, name=code.title())
        if declared:
            classify_system(system, officer, declared_risk_level=declared)
    return org


def test_list_page_sorts_by_severity(systems, make_member, web_for):
    web = web_for(make_member(Role.VIEWER))
    url = reverse("registry:system_list")

    def codes(query):
        return [s.code for s, _cells in web.get(url + query).context["rows"]]

    assert codes("?ordering=risk_level") == ["MIN", "MED", "HIGH", "NONE"]
    assert codes("?ordering=-risk_level") == ["HIGH", "MED", "MIN", "NONE"]


def test_api_sorts_by_severity(systems, make_member, api_for):
    client = api_for(make_member(Role.VIEWER))

    def codes(ordering):
        response = client.get("/api/v1/systems/", {"ordering": ordering})
        assert response.status_code == 200
        return [s["code"] for s in response.json()["results"]]

    assert codes("risk_level") == ["MIN", "MED", "HIGH", "NONE"]
    assert codes("-risk_level") == ["HIGH", "MED", "MIN", "NONE"]
    assert codes("-risk_level,name")[:3] == ["HIGH", "MED", "MIN"]
