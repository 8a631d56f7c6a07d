"""The API's filter backend skips the filterset's form when a request sets none of its parameters.

`TenantFilterSet.unfiltered` must give exactly what the full filterset gives for empty data (its
defaults: active systems, obligations in force), for every filterset of the project.
"""

import pytest

from kzai.core.roles import Role
from tests.core.test_filtersets import FILTERSETS, _request_for
from tests.factories import AISystemFactory, PartyFactory, system_with_obligations

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("filterset_class", FILTERSETS, ids=lambda cls: cls.__name__)
def test_unfiltered_is_the_filterset_with_no_parameters(filterset_class, make_member):
    request = _request_for(make_member(Role.OFFICER))
    queryset = filterset_class._meta.model._default_manager.all()
    full = filterset_class(data={}, queryset=queryset, request=request)
    assert full.is_valid(), full.errors
    assert str(filterset_class.unfiltered(queryset, request=request).query) == str(full.qs.query)


@pytest.mark.parametrize(
    ("url", "parameter"),
    [("/api/v1/systems/", "search"), ("/api/v1/risk/obligations/", "q"), ("/api/v1/parties/", "ordering")],
)
def test_a_list_with_an_empty_filter_equals_the_list_without_one(url, parameter, org, make_member, api_for):
    officer = make_member(Role.OFFICER)
    client = api_for(officer)
    system_with_obligations(org, processes_personal_data=True)
    PartyFactory(organization=org)
    archived = AISystemFactory(organization=org)
    client.post(f"/api/v1/systems/{archived.pk}/archive/")
    plain = client.get(url)
    assert plain.status_code == 200 and plain.json()["count"] >= 1
    with_empty_filter = client.get(f"{url}?{parameter}=")
    assert with_empty_filter.json() == plain.json()
    assert archived.pk not in {item["id"] for item in client.get("/api/v1/systems/").json()["results"]}
