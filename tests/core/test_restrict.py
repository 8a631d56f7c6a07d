"""The one scoped path: `restrict(membership, action)` and the auditor's object grants."""

import pytest

from kzai.core.roles import ROLE_ACTIONS, Action, Role, role_allows, roles_allowed
from registry.grants import grant_system_view, revoke_system_view
from registry.models import AISystem, SystemPartyLink
from tests.factories import AISystemFactory, SystemPartyLinkFactory


def test_restrict_filters_by_organization(org, other_org, make_member):
    mine = AISystemFactory(organization=org)
    AISystemFactory(organization=other_org)
    member = make_member(Role.VIEWER)
    assert list(AISystem.objects.restrict(member)) == [mine]


def test_restrict_returns_nothing_when_the_role_lacks_the_action(org, make_member):
    AISystemFactory(organization=org)
    assert not AISystem.objects.restrict(make_member(Role.VIEWER), Action.CHANGE).exists()
    assert AISystem.objects.restrict(make_member(Role.CONTRIBUTOR), Action.CHANGE).exists()
    assert not AISystem.objects.restrict(None).exists()


def test_inactive_membership_sees_nothing(org, make_member):
    AISystemFactory(organization=org)
    member = make_member(Role.ADMIN, is_active=False)
    assert not AISystem.objects.restrict(member).exists()


def test_auditor_sees_only_granted_systems_and_their_data(org, other_org, make_member):
    granted, hidden = AISystemFactory(organization=org), AISystemFactory(organization=org)
    link = SystemPartyLinkFactory(system=granted)
    SystemPartyLinkFactory(system=hidden)
    auditor = make_member(Role.AUDITOR)
    assert not AISystem.objects.restrict(auditor).exists()
    grant_system_view(auditor.user, granted)
    assert list(AISystem.objects.restrict(auditor)) == [granted]
    assert list(SystemPartyLink.objects.restrict(auditor)) == [link]
    revoke_system_view(auditor.user, granted)
    assert not AISystem.objects.restrict(auditor).exists()


def test_a_grant_never_crosses_organizations(org, other_org, make_member):
    foreign = AISystemFactory(organization=other_org)
    auditor = make_member(Role.AUDITOR)
    grant_system_view(auditor.user, foreign)
    assert not AISystem.objects.restrict(auditor).exists()


@pytest.mark.parametrize("role", Role.values)
def test_role_table_is_the_single_source(role):
    for action in Action.values:
        assert role_allows(role, action) == (action in ROLE_ACTIONS[role])
    assert role in roles_allowed(Action.VIEW)


def test_auditors_and_viewers_never_write():
    for action in (Action.ADD, Action.CHANGE, Action.DELETE, Action.APPROVE, Action.IMPORT):
        assert not role_allows(Role.AUDITOR, action) and not role_allows(Role.VIEWER, action)
    assert role_allows(Role.AUDITOR, Action.AUDIT)
