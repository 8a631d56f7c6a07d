"""The overview and the accounts pages plug into the shared tenancy suite like every app page."""

from kzai.accounts.services import api_token_create
from kzai.core.roles import Role
from tests.factories import AISystemFactory, MembershipFactory
from tests.tenancy import UIContract


class TestDashboardPage(UIContract):
    list_url_name = "dashboard"
    # The overview counts a dozen lists (one COUNT each) and reads the member's items: a fixed
    # number of queries, checked against the number of rows by the contract.
    query_budget = 18

    def make_object(self, organization):
        return AISystemFactory(organization=organization)


class TestProfilePage(UIContract):
    list_url_name = "profile"

    def make_object(self, organization):
        return AISystemFactory(organization=organization)


class TestTwoFactorSetupPage(UIContract):
    """A person's own enrolment page: every role reaches it, and it shows no organization's data."""

    list_url_name = "two_factor_setup"

    def make_object(self, organization):
        return AISystemFactory(organization=organization)


class TestMemberPages(UIContract):
    """The member list, and an auditor's systems page (its detail page, readable by every member)."""

    list_url_name = "members"
    detail_url_name = "member_systems"
    # Auditors do not see the member list with e-mails (tests/audit/test_auditor_portal.py).
    list_refused_roles = (Role.AUDITOR,)
    # POST-only: a role change, tested in tests/accounts/test_invitations.py and test_grants.py.
    covered_url_names = ("member_update",)

    def make_object(self, organization):
        return MembershipFactory(organization=organization, role=Role.AUDITOR)


class TestApiTokenPages(UIContract):
    """A member's own tokens; revoking (POST-only) is tested in tests/accounts/test_tokens.py."""

    list_url_name = "api_tokens"
    covered_url_names = ("api_token_revoke",)

    def make_object(self, organization):
        token, _raw = api_token_create(membership=MembershipFactory(organization=organization))
        return token
