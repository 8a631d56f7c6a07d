"""The register's pages: forms through services with inline errors, list columns/filters/sorting,
tabs, child objects of a system, archiving; tenancy and roles of the pages the contracts do not reach."""

import pytest
from django.urls import reverse

from kzai.activity.models import ActivityRecord
from kzai.core.roles import Role
from registry.grants import grant_system_view
from registry.models import AISystem, DataLibraryUse, SystemComponent, SystemPartyLink
from registry.tabs import system_tabs
from tests.factories import (
    AISystemFactory,
    DataLibraryFactory,
    PartyFactory,
    SystemComponentFactory,
    SystemPartyLinkFactory,
    make_bin,
)

pytestmark = pytest.mark.django_db

FORM = {
    "code": "FRAUD-01",
    "name": "Card fraud detection",
    "intended_purpose": "Flags suspicious card transactions.",
    "lifecycle_stage": "development",
    "organization_role": "owner",
    "sector": "banking",
    "decision_role": "prepares",
    "deployment": "on_premises",
    "hosting_country": "KZ",
    "processes_personal_data": "on",
    "tag_names": "fraud, cards",
}


def test_create_system_through_the_form(org, make_member, web_for):
    member = make_member(Role.CONTRIBUTOR)
    web = web_for(member)
    response = web.post(reverse("registry:system_create"), {**FORM, "responsible_officer": member.pk})
    system = AISystem.objects.get(organization=org, code="FRAUD-01")
    assert response.status_code == 302 and response["Location"] == reverse(
        "registry:system_detail", args=[system.pk]
    )
    assert system.responsible_officer == member and system.processes_personal_data
    assert sorted(t.name for t in system.tags.all()) == ["cards", "fraud"]
    record = ActivityRecord.objects.get(
        object_id=str(system.pk), action="create", content_type__model="aisystem"
    )
    assert record.actor_id == member.user_id and record.source == "web"


def test_form_shows_service_errors_inline(org, make_member, web_for):
    web = web_for(make_member(Role.OFFICER))
    response = web.post(
        reverse("registry:system_create"),
        {**FORM, "processes_personal_data": "", "processes_biometric_data": "on"},
    )
    assert response.status_code == 200
    assert "Biometric data is personal data" in response.content.decode()
    assert response.context["form"].errors["processes_personal_data"]
    assert not AISystem.objects.exists()


def test_form_refuses_member_of_another_organization(org, other_org, make_member, web_for):
    web = web_for(make_member(Role.OFFICER))
    stranger = make_member(Role.OFFICER, organization=other_org)
    response = web.post(reverse("registry:system_create"), {**FORM, "responsible_officer": stranger.pk})
    assert response.status_code == 200 and "responsible_officer" in response.context["form"].errors


def test_edit_prohibited_system_into_operation_is_refused(org, make_member, web_for):
    system = AISystemFactory(organization=org, is_prohibited=True, lifecycle_stage="testing")
    web = web_for(make_member(Role.OFFICER))
    data = {**FORM, "code": system.code, "lifecycle_stage": "in_operation"}
    response = web.post(reverse("registry:system_update", args=[system.pk]), data)
    assert response.status_code == 200
    assert "banned-practice screen found a prohibited capability" in response.content.decode()


def test_party_form_bin_message(org, make_member, web_for):
    web = web_for(make_member(Role.OFFICER))
    wrong = make_bin(3)[:11] + str((int(make_bin(3)[11]) + 1) % 10)
    response = web.post(
        reverse("registry:party_create"),
        {"name": "Kcell JSC", "kind": "legal_entity", "identifier": wrong, "country": "KZ"},
    )
    assert response.status_code == 200
    assert "fails its check digit" in response.content.decode()
    response = web.post(
        reverse("registry:party_create"),
        {"name": "Kcell JSC", "kind": "legal_entity", "identifier": make_bin(3), "country": "KZ"},
    )
    assert response.status_code == 302


def test_list_columns_are_chosen_and_remembered(org, make_member, web_for):
    system = AISystemFactory(organization=org, business_unit="Treasury unit")
    SystemPartyLinkFactory(system=system, party__name="Beeline Kazakhstan")
    web = web_for(make_member(Role.VIEWER))
    url = reverse("registry:system_list")
    html = web.get(url).content.decode()
    assert "Beeline Kazakhstan" in html and "Treasury unit" not in html  # default columns
    html = web.get(url + "?columns=code&columns=business_unit").content.decode()
    table = html[html.index("<table") :]  # the filter's party select names every party
    assert "Treasury unit" in table and "Beeline Kazakhstan" not in table
    html = web.get(url).content.decode()  # remembered in the session
    assert "Treasury unit" in html


def test_list_filters_and_sorting(org, make_member, web_for):
    AISystemFactory(organization=org, name="Alpha", code="A", risk_level="high", profiles_people=True)
    AISystemFactory(
        organization=org,
        name="Beta",
        code="B",
        classification_stale=True,
        classified_at="2026-01-20T00:00Z",
        risk_level="minimal",
    )
    AISystemFactory(
        organization=org, name="Gamma", code="C", is_prohibited=True, archived_at="2026-02-01T00:00Z"
    )
    web = web_for(make_member(Role.VIEWER))
    url = reverse("registry:system_list")

    def names(query):
        return [s.name for s, _cells in web.get(url + query).context["rows"]]

    assert names("") == ["Alpha", "Beta"]
    assert names("?ordering=-name") == ["Beta", "Alpha"]
    assert names("?risk_level=high") == ["Alpha"]
    assert names("?risk_level=unclassified&status=all") == ["Gamma"]
    assert names("?profiles_people=true") == ["Alpha"]
    assert names("?classification_stale=true") == ["Beta"]
    assert names("?is_prohibited=true&status=archived") == ["Gamma"]
    assert names("?search=bet") == ["Beta"]


def test_tabs_hide_pages_that_do_not_exist_yet(org):
    system = AISystemFactory(organization=org)
    keys = [tab.key for tab in system_tabs(system, "parties")]
    assert keys[:3] == ["overview", "parties", "data"] and keys[-1] == "history"
    assert "documents" in keys and "audits" in keys
    assert [t.key for t in system_tabs(system, "parties") if t.active] == ["parties"]


def test_detail_page_renders_tabs_and_history(org, make_member, web_for):
    system = AISystemFactory(organization=org)
    SystemComponentFactory(system=system, name="CatBoost")
    web = web_for(make_member(Role.VIEWER))
    html = web.get(reverse("registry:system_detail", args=[system.pk])).content.decode()
    assert 'aria-current="page">Overview' in html and "CatBoost" in html
    assert "Edit</a>" not in html  # viewers do not get the edit button
    history = web.get(reverse("registry:system_history", args=[system.pk]))
    assert system.code in history.content.decode() and history.context["page_obj"].paginator.count >= 2


# -- child objects of a system: link, component, library use --------------------------------------------
def test_link_component_and_use_lifecycle(org, make_member, web_for):
    system = AISystemFactory(organization=org)
    party = PartyFactory(organization=org)
    library = DataLibraryFactory(organization=org)
    web = web_for(make_member(Role.CONTRIBUTOR))
    response = web.post(
        reverse("registry:link_create", args=[system.pk]),
        {
            "party": party.pk,
            "role": "hosting_provider",
            "contract_reference": "No. 7",
            "contract_expires_on": "2027-01-31",
        },
    )
    assert response.status_code == 302
    link = SystemPartyLink.objects.get(system=system)
    response = web.post(
        reverse("registry:link_update", args=[system.pk, link.pk]),
        {"party": party.pk, "role": "hosting_provider", "ai_terms_reviewed": "on"},
    )
    link.refresh_from_db()
    assert response.status_code == 302 and link.ai_terms_reviewed
    web.post(
        reverse("registry:component_create", args=[system.pk]),
        {"name": "Llama 3", "version": "70B", "hosted_where": "kz_cloud"},
    )
    component = SystemComponent.objects.get(system=system)
    response = web.post(
        reverse("registry:component_update", args=[system.pk, component.pk]),
        {"name": "Llama 3.1", "hosted_where": "kz_cloud"},
    )
    component.refresh_from_db()
    assert component.name == "Llama 3.1"
    web.post(
        reverse("registry:system_data", args=[system.pk]), {"library": library.pk, "purpose": "training"}
    )
    use = DataLibraryUse.objects.get(system=system)
    assert "Llama 3.1" in web.get(reverse("registry:system_detail", args=[system.pk])).content.decode()
    # Deleting needs the delete action (as in the API): a contributor is refused, an officer may.
    assert web.post(reverse("registry:link_delete", args=[system.pk, link.pk])).status_code == 403
    web = web_for(make_member(Role.OFFICER))
    assert web.post(reverse("registry:link_delete", args=[system.pk, link.pk])).status_code == 302
    assert web.post(reverse("registry:component_delete", args=[system.pk, component.pk])).status_code == 302
    assert web.post(reverse("registry:library_use_delete", args=[system.pk, use.pk])).status_code == 302
    assert not SystemPartyLink.objects.exists() and not SystemComponent.objects.exists()
    assert not DataLibraryUse.objects.exists()


def test_child_pages_of_another_tenant_are_404(org, other_org, make_member, web_for):
    foreign = AISystemFactory(organization=other_org)
    link = SystemPartyLinkFactory(system=foreign)
    component = SystemComponentFactory(system=foreign)
    web = web_for(make_member(Role.ADMIN))
    for name, args in [
        ("registry:link_create", [foreign.pk]),
        ("registry:link_update", [foreign.pk, link.pk]),
        ("registry:component_create", [foreign.pk]),
        ("registry:component_update", [foreign.pk, component.pk]),
    ]:
        assert web.get(reverse(name, args=args)).status_code == 404, name
    for name, args in [
        ("registry:link_delete", [foreign.pk, link.pk]),
        ("registry:component_delete", [foreign.pk, component.pk]),
        ("registry:system_archive", [foreign.pk]),
    ]:
        assert web.post(reverse(name, args=args)).status_code == 404, name
    assert SystemPartyLink.objects.filter(pk=link.pk).exists()
    # A child of one of our systems cannot be reached through another system's URL.
    ours = AISystemFactory(organization=org)
    assert web.get(reverse("registry:link_update", args=[ours.pk, link.pk])).status_code == 404


@pytest.mark.parametrize("role", Role.values)
def test_child_and_archive_pages_follow_the_role_table(role, org, make_member, web_for):
    from kzai.core.roles import Action, role_allows

    member = make_member(role)
    system = AISystemFactory(organization=org)
    if role == Role.AUDITOR:
        grant_system_view(member.user, system)
    link = SystemPartyLinkFactory(system=system)
    web = web_for(member)
    can_change = role_allows(role, Action.CHANGE)
    assert web.get(reverse("registry:link_create", args=[system.pk])).status_code == (
        200 if can_change else 403
    )
    assert web.get(reverse("registry:component_create", args=[system.pk])).status_code == (
        200 if can_change else 403
    )
    response = web.post(reverse("registry:link_delete", args=[system.pk, link.pk]))
    assert response.status_code == (302 if role_allows(role, Action.DELETE) else 403)
    response = web.post(reverse("registry:system_archive", args=[system.pk]))
    assert response.status_code == (302 if role_allows(role, Action.DELETE) else 403)
    party = PartyFactory(organization=org)
    response = web.post(reverse("registry:party_archive", args=[party.pk]))
    assert response.status_code == (302 if role_allows(role, Action.DELETE) else 403)
    library = DataLibraryFactory(organization=org)
    response = web.post(reverse("registry:library_archive", args=[library.pk]))
    expected = 302 if role_allows(role, Action.DELETE) else 403
    assert response.status_code == expected


def test_auditor_sees_only_granted_systems_tabs(org, make_member, web_for):
    auditor = make_member(Role.AUDITOR)
    granted, hidden = AISystemFactory(organization=org), AISystemFactory(organization=org)
    grant_system_view(auditor.user, granted)
    web = web_for(auditor)
    assert web.get(reverse("registry:system_parties", args=[granted.pk])).status_code == 200
    assert web.get(reverse("registry:system_parties", args=[hidden.pk])).status_code == 404
    rows = web.get(reverse("registry:system_list")).context["rows"]
    assert [s.pk for s, _ in rows] == [granted.pk]


def test_archive_and_restore_pages(org, make_member, web_for):
    system = AISystemFactory(organization=org)
    party = PartyFactory(organization=org)
    library = DataLibraryFactory(organization=org)
    web = web_for(make_member(Role.OFFICER))
    web.post(reverse("registry:system_archive", args=[system.pk]))
    web.post(reverse("registry:party_archive", args=[party.pk]))
    web.post(reverse("registry:library_archive", args=[library.pk]))
    system.refresh_from_db(), party.refresh_from_db(), library.refresh_from_db()
    assert system.archived_at and party.archived_at and library.archived_at
    assert system.pk not in [s.pk for s, _ in web.get(reverse("registry:system_list")).context["rows"]]
    web.post(reverse("registry:system_archive", args=[system.pk]), {"restore": "1"})
    system.refresh_from_db()
    assert system.archived_at is None


def test_library_page_flags_unlawful_extraction(org, make_member, web_for):
    library = DataLibraryFactory(
        organization=org,
        contains_personal_data=True,
        non_targeted_public_extraction=True,
        lawful_basis="none",
    )
    web = web_for(make_member(Role.VIEWER))
    assert (
        "prohibits such collection"
        in web.get(reverse("registry:library_detail", args=[library.pk])).content.decode()
    )
    assert "Non-targeted extraction: prohibited" in web.get(reverse("registry:library_list")).content.decode()


def test_remove_buttons_follow_the_delete_permission(org, make_member, web_for):
    """Contributors may change a system but not delete its links, components or data uses."""
    from kzai.core.roles import Role
    from tests.factories import SystemComponentFactory, SystemPartyLinkFactory

    link = SystemPartyLinkFactory(system__organization=org)
    SystemComponentFactory(system=link.system)
    pages = [f"/registry/systems/{link.system.pk}/", f"/registry/systems/{link.system.pk}/parties/"]
    for role, shown in ((Role.CONTRIBUTOR, False), (Role.OFFICER, True)):
        web = web_for(make_member(role))
        for url in pages:
            html = web.get(url).content.decode()
            assert ("Remove" in html) is shown, (role, url)
