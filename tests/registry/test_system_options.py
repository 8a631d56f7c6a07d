"""The search-backed system selector: the options endpoint and the filters that use it.

Lists filtering by AI system render only the chosen systems (`<select multiple … data-autocomplete>`)
and fetch the others from `registry:system_options`, which answers through restrict(): another
organization's systems are never found, an auditor finds only the systems granted.
"""

import pytest
from django.urls import reverse

from kzai.core.roles import Role
from registry.grants import grant_system_view
from risk.risk_management.filtersets import RiskFilterSet
from tests.factories import AISystemFactory, RiskFactory
from tests.tenancy import UIContract

pytestmark = pytest.mark.django_db

OPTIONS = reverse("registry:system_options")


def _texts(response):
    assert response.status_code == 200, response.content
    return [row["text"] for row in response.json()["results"]]


class TestSystemOptionsContract(UIContract):
    list_url_name = "registry:system_options"

    def make_object(self, organization):
        return AISystemFactory(organization=organization)


def test_search_finds_by_name_or_code_in_name_order(org, officer, web_for):
    AISystemFactory(organization=org, code="CRM-02", name="Credit scoring")
    AISystemFactory(organization=org, code="FRD-01", name="Anti-fraud")
    AISystemFactory(organization=org, code="CHAT-01", name="Chat assistant")
    web = web_for(officer)
    assert _texts(web.get(OPTIONS, {"q": "credit"})) == ["CRM-02 — Credit scoring"]
    assert _texts(web.get(OPTIONS, {"q": "frd"})) == ["FRD-01 — Anti-fraud"]
    body = web.get(OPTIONS).json()
    assert [row["text"] for row in body["results"]] == [
        "FRD-01 — Anti-fraud",
        "CHAT-01 — Chat assistant",
        "CRM-02 — Credit scoring",
    ]
    assert all(isinstance(row["id"], str) and row["id"].isdigit() for row in body["results"])


def test_at_most_twenty_options(org, officer, web_for):
    for i in range(25):
        AISystemFactory(organization=org, code=f"S-{i:02d}", name=f"Scoring {i:02d}")
    assert len(_texts(web_for(officer).get(OPTIONS, {"q": "scoring"}))) == 20


def test_another_organizations_systems_are_never_offered(org, other_org, officer, web_for):
    AISystemFactory(organization=org, code="OWN-01", name="Our scoring")
    AISystemFactory(organization=other_org, code="THEIRS-01", name="Their scoring")
    assert _texts(web_for(officer).get(OPTIONS, {"q": "scoring"})) == ["OWN-01 — Our scoring"]


def test_an_auditor_is_offered_only_the_granted_systems(org, make_member, web_for):
    granted = AISystemFactory(organization=org, code="GRANTED-1", name="Granted scoring")
    AISystemFactory(organization=org, code="HIDDEN-1", name="Hidden scoring")
    auditor = make_member(Role.AUDITOR)
    grant_system_view(auditor.user, granted)
    assert _texts(web_for(auditor).get(OPTIONS, {"q": "scoring"})) == ["GRANTED-1 — Granted scoring"]


def test_archived_systems_are_offered_and_say_so(org, officer, web_for):
    from registry.services import ai_system_archive

    ai_system_archive(system=AISystemFactory(organization=org, code="OLD-1", name="Old scoring"))
    (text,) = _texts(web_for(officer).get(OPTIONS, {"q": "old"}))
    assert text.startswith("OLD-1 — Old scoring") and "archived" in text


@pytest.mark.parametrize("term", ["x" * 101, "%", "_", "' OR 1=1 --", "\\"])
def test_bad_input_is_a_clear_answer_never_a_500(org, officer, web_for, term):
    AISystemFactory(organization=org, code="CRM-01", name="Credit scoring")
    response = web_for(officer).get(OPTIONS, {"q": term})
    if len(term) > 100:
        assert response.status_code == 400 and "100" in response.json()["error"]
    else:
        assert _texts(response) == []  # LIKE wildcards are matched literally


def test_the_risk_list_renders_only_the_chosen_system_and_names_the_search(org, officer, web_for):
    chosen = AISystemFactory(organization=org, code="CHOSEN-1", name="Chosen")
    AISystemFactory(organization=org, code="OTHER-1", name="Other")
    RiskFactory(system=chosen, title="Chosen risk")
    web = web_for(officer)
    page = web.get(reverse("risk:register_risk_list")).content.decode()
    assert f'data-autocomplete="{OPTIONS}"' in page and "multiple" in page
    assert "OTHER-1" not in page  # a system without risks shows only as an option: none is listed
    page = web.get(reverse("risk:register_risk_list"), {"system": chosen.pk}).content.decode()
    assert f'<option value="{chosen.pk}" selected>CHOSEN-1 — Chosen</option>' in page
    assert "OTHER-1" not in page and "Chosen risk" in page


def test_the_filter_accepts_any_system_of_the_organization_and_several(org, officer, rf):
    """Not only rendered options: any id of the organization, one or several (any of them)."""
    from risk.risk_management.selectors import risk_list

    systems = [AISystemFactory(organization=org) for _ in range(3)]
    risks = [RiskFactory(system=system) for system in systems]
    request = rf.get("/")
    request.membership = officer
    filterset = RiskFilterSet(
        {"system": [systems[0].pk, systems[2].pk]}, queryset=risk_list(officer), request=request
    )
    assert filterset.is_valid() and set(filterset.qs) == {risks[0], risks[2]}


def test_the_filter_refuses_another_organizations_system_in_the_api(org, other_org, officer, api_for):
    foreign = AISystemFactory(organization=other_org)
    response = api_for(officer).get(reverse("register-risk-list"), {"system": foreign.pk})
    assert response.status_code == 400 and "system" in response.json()
