"""The members a filter bar offers are cached per organization (kzai.core.filtersets.member_choices):
read once, then no query; a member who joins, leaves, changes role or renames shows at once; one
organization's members are never offered in another's; a chosen member stays chosen and a foreign
id is still refused."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kzai.accounts.services import membership_deactivate, membership_set
from kzai.core.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Lists whose filter bar offers members (the register offers them twice: officer and owner).
PAGES = ("risk:obligation_list", "risk:register_risk_list", "registry:system_list")


def member_reads(captured) -> int:
    return sum('FROM "accounts_membership"' in q["sql"] for q in captured.captured_queries)


def option(membership, selected=False) -> str:
    return f'<option value="{membership.pk}"{" selected" if selected else ""}>{membership.user}</option>'


@pytest.mark.parametrize("url_name", PAGES)
def test_members_are_read_once_then_come_from_the_cache(org, make_member, web_for, url_name):
    officer = make_member(Role.OFFICER)
    colleague = make_member(Role.CONTRIBUTOR)
    web = web_for(officer)
    with CaptureQueriesContext(connection) as first:
        page = web.get(reverse(url_name)).content.decode()
    with CaptureQueriesContext(connection) as second:
        again = web.get(reverse(url_name)).content.decode()
    assert option(colleague) in page and option(colleague) in again
    # Each request still reads the signed-in membership (middleware); the choices are not read again.
    assert member_reads(second) < member_reads(first), (member_reads(first), member_reads(second))
    assert len(second) < len(first)


def test_joining_leaving_renaming_and_role_changes_show_at_once(org, make_member, web_for):
    admin = make_member(Role.ADMIN)
    colleague = make_member(Role.CONTRIBUTOR)
    web = web_for(admin)
    url = reverse("risk:obligation_list")
    assert option(colleague) in web.get(url).content.decode()

    newcomer = membership_set(
        user=UserFactory(full_name="Aigerim Newcomer"), organization=org, role=Role.VIEWER
    )
    assert option(newcomer) in web.get(url).content.decode()

    colleague.user.full_name = "Renamed Colleague"
    colleague.user.save(update_fields=["full_name"])
    page = web.get(url).content.decode()
    assert option(colleague) in page and "Renamed Colleague" in page

    membership_deactivate(membership=colleague)
    assert "Renamed Colleague" not in web.get(url).content.decode()

    # A role change: the member's own pages follow it at once (nothing of the role is cached).
    newcomer_web = web_for(newcomer)
    assert "New risk" not in newcomer_web.get(reverse("risk:register_risk_list")).content.decode()
    membership_set(user=newcomer.user, organization=org, role=Role.OFFICER)
    assert "New risk" in newcomer_web.get(reverse("risk:register_risk_list")).content.decode()
    assert option(newcomer) in web.get(url).content.decode()


def test_no_organization_is_offered_anothers_members(org, other_org, make_member, web_for):
    ours = make_member(Role.OFFICER)
    theirs = make_member(Role.OFFICER, organization=other_org)
    for _ in range(2):  # cold, then from the cache
        for url_name in PAGES:
            our_page = web_for(ours).get(reverse(url_name)).content.decode()
            their_page = web_for(theirs).get(reverse(url_name)).content.decode()
            assert option(ours) in our_page and str(theirs.user) not in our_page
            assert option(theirs) in their_page and str(ours.user) not in their_page


def test_a_chosen_member_stays_chosen_and_a_foreign_one_is_refused(org, other_org, make_member, web_for):
    officer = make_member(Role.OFFICER)
    colleague = make_member(Role.CONTRIBUTOR)
    stranger = make_member(Role.OFFICER, organization=other_org)
    web = web_for(officer)
    url = reverse("risk:obligation_list")
    web.get(url)  # cached
    assert option(colleague, selected=True) in web.get(url, {"responsible": colleague.pk}).content.decode()
    refused = web.get(url, {"responsible": stranger.pk})
    assert refused.context["filter"].form.errors.get("responsible")
