"""Filters never offer another organization's objects.

Every FilterSet of the project is a `TenantFilterSet`, refers to other objects through a select (no
raw id inputs), and each of its choice lists holds only the acting organization's members, systems,
parties, data libraries and risks — for the pages and for the API, which take the same parameters.
"""

import importlib
import pkgutil

import django_filters
import pytest
from django.test import RequestFactory
from django.urls import reverse

import kzai
import registry
import risk
from kzai.accounts.models import Membership
from kzai.core.filtersets import TenantFilterSet
from kzai.core.roles import Role
from registry.grants import grant_system_view
from registry.models import AISystem, Party
from risk.models import Risk
from tests.factories import (
    AISystemFactory,
    DataLibraryFactory,
    MembershipFactory,
    PartyFactory,
    RiskFactory,
)


def _project_filtersets():
    for package in (kzai, registry, risk):
        for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if "filtersets" in module.name.rsplit(".", 1)[-1]:
                importlib.import_module(module.name)
    found, todo = set(), [django_filters.FilterSet]
    while todo:
        for subclass in todo.pop().__subclasses__():
            todo.append(subclass)
            if subclass.__module__.split(".")[0] in ("kzai", "registry", "risk") and subclass._meta.model:
                found.add(subclass)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__name__}")


FILTERSETS = _project_filtersets()


def _objects(organization):
    """One member, system, party, data library and risk of `organization`, by model."""
    member = MembershipFactory(organization=organization, role=Role.CONTRIBUTOR)
    system = AISystemFactory(organization=organization)
    objects = [
        member,
        system,
        PartyFactory(organization=organization),
        DataLibraryFactory(organization=organization),
        RiskFactory(system=system, owner=member),
    ]
    return {type(obj): obj for obj in objects}


def _request_for(membership):
    request = RequestFactory().get("/")
    request.user = membership.user
    request.membership = membership
    request.organization = membership.organization
    return request


def test_the_project_has_filtersets_to_check():
    names = {cls.__name__ for cls in FILTERSETS}
    assert {"AISystemFilterSet", "RiskFilterSet", "ObligationFilterSet", "DeadlineFilterSet"} <= names


@pytest.mark.parametrize("filterset_class", FILTERSETS, ids=lambda cls: cls.__name__)
def test_filterset_is_tenant_scoped_and_has_no_raw_id_inputs(filterset_class):
    assert issubclass(filterset_class, TenantFilterSet), "object choices must be scoped by TenantFilterSet"
    raw = [
        name for name, f in filterset_class.base_filters.items() if isinstance(f, django_filters.NumberFilter)
    ]
    assert not raw, f"raw id inputs: {raw}; use a ModelChoiceFilter (a select of the organization's objects)"


@pytest.mark.parametrize("filterset_class", FILTERSETS, ids=lambda cls: cls.__name__)
def test_choice_lists_hold_only_the_organizations_objects(filterset_class, org, other_org, officer):
    own = _objects(org)
    foreign = _objects(other_org)
    form = filterset_class(
        {}, queryset=filterset_class._meta.model.objects.none(), request=_request_for(officer)
    ).form
    for name, field in form.fields.items():
        queryset = getattr(field, "queryset", None)
        if queryset is None:
            continue
        offered = {value for value, _label in field.choices if value != ""}
        offered = {getattr(value, "value", value) for value in offered}
        model = queryset.model
        assert foreign[model].pk not in offered, (
            f"{filterset_class.__name__}.{name} offers another org's object"
        )
        assert own[model].pk in offered, (
            f"{filterset_class.__name__}.{name} does not offer the org's own object"
        )


def test_without_a_membership_no_object_is_offered(org):
    _objects(org)
    for filterset_class in FILTERSETS:
        form = filterset_class({}, queryset=filterset_class._meta.model.objects.none()).form
        for field in form.fields.values():
            if getattr(field, "queryset", None) is not None:
                assert not field.queryset.exists(), filterset_class.__name__


def test_auditor_is_offered_only_granted_systems(org, make_member):
    granted, hidden = AISystemFactory(organization=org), AISystemFactory(organization=org)
    auditor = make_member(Role.AUDITOR)
    grant_system_view(auditor.user, granted)
    from risk.risk_management.filtersets import RiskFilterSet

    field = RiskFilterSet({}, queryset=None, request=_request_for(auditor)).form.fields["system"]
    assert list(field.queryset) == [granted] and hidden not in field.queryset


def test_risk_list_page_offers_members_by_name_and_filters_by_owner(org, other_org, officer, web_for):
    own = _objects(org)
    foreign = _objects(other_org)
    page = web_for(officer).get(reverse("risk:register_risk_list")).content.decode()
    member = own[Membership]
    assert f'<option value="{member.pk}">{member.user}</option>' in page
    assert foreign[Membership].user.email not in page
    assert "membership id" not in page
    filtered = web_for(officer).get(reverse("risk:register_risk_list"), {"owner": member.pk}).content.decode()
    assert own[Risk].title in filtered


def test_api_takes_the_same_parameters_and_rejects_another_orgs_ids(org, other_org, officer, api_for):
    own = _objects(org)
    foreign = _objects(other_org)
    client = api_for(officer)
    url = reverse("register-risk-list")
    listed = client.get(url, {"owner": own[Membership].pk})
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()["results"]] == [own[Risk].pk]
    rejected = client.get(url, {"owner": foreign[Membership].pk})
    assert rejected.status_code == 400 and "owner" in rejected.json()
    assert client.get(reverse("system-list"), {"party": foreign[Party].pk}).status_code == 400
    assert client.get(reverse("deadline-list"), {"system": foreign[AISystem].pk}).status_code == 400
