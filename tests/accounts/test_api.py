import pytest

from kzai.accounts.models import Invitation, Membership
from kzai.core.roles import Action, Role
from tests.factories import MembershipFactory
from tests.tenancy import APIContract


class TestMembersAPI(APIContract):
    basename = "member"
    update_action = Action.MANAGE_MEMBERS
    delete_action = Action.MANAGE_MEMBERS
    supports_delete = True

    def make_object(self, organization):
        return MembershipFactory(organization=organization, role=Role.VIEWER)

    def update_payload(self, obj):
        return {"role": Role.CONTRIBUTOR}


class TestInvitationsAPI(APIContract):
    basename = "invitation"
    create_action = Action.MANAGE_MEMBERS
    supports_detail = False

    def make_object(self, organization):
        from kzai.accounts.services import invitation_create

        admin = MembershipFactory(organization=organization, role=Role.ADMIN)
        return invitation_create(
            organization=organization,
            email=f"new{Invitation.objects.count()}@x.kz",
            role=Role.VIEWER,
            invited_by=admin.user,
        )

    def create_payload(self, organization):
        return {"email": f"invitee{Invitation.objects.count()}@example.kz", "role": Role.OFFICER}

    # Only administrators may list invitations: the generic role test expects every role to list.
    @pytest.mark.parametrize("role", Role.values)
    def test_role_permissions(self, role, org, make_member, api_for):
        client = api_for(make_member(role))
        expected = 200 if role == Role.ADMIN else 403
        assert client.get(self.list_url()).status_code == expected
        response = client.post(self.list_url(), self.create_payload(org), format="json")
        assert response.status_code == (201 if role == Role.ADMIN else 403)

    def test_read_only_token_cannot_write(self, org, make_member, api_for):
        client = api_for(make_member(Role.ADMIN), read_only=True)
        assert client.post(self.list_url(), self.create_payload(org), format="json").status_code == 403


def test_me_reports_membership_and_allowed_actions(org, make_member, api_for):
    member = make_member(Role.CONTRIBUTOR)
    body = api_for(member).get("/api/v1/me/").json()
    assert body["organization"]["slug"] == org.slug
    assert body["role"] == "contributor"
    assert body["allowed_actions"] == ["add", "change", "view"]
    read_only = api_for(member, read_only=True).get("/api/v1/me/").json()
    assert read_only["read_only"] is True and read_only["allowed_actions"] == ["view"]


def test_last_admin_cannot_be_demoted(org, make_member, api_for):
    admin = make_member(Role.ADMIN)
    response = api_for(admin).patch(f"/api/v1/members/{admin.pk}/", {"role": "viewer"}, format="json")
    assert response.status_code == 400
    assert "administrator" in response.json()["role"][0]
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN


def test_deactivated_member_token_stops_working(org, make_member, api_for):
    admin = make_member(Role.ADMIN)
    viewer = make_member(Role.VIEWER)
    viewer_client = api_for(viewer)
    assert viewer_client.get("/api/v1/me/").status_code == 200
    assert api_for(admin).delete(f"/api/v1/members/{viewer.pk}/").status_code == 204
    assert Membership.objects.get(pk=viewer.pk).is_active is False
    assert viewer_client.get("/api/v1/me/").status_code == 401
