from kzai.accounts.models import Membership, User
from kzai.core.roles import Role


def active_memberships(user):
    return Membership.objects.active().filter(user=user).select_related("organization", "user")


def membership_for(user, organization_id):
    return active_memberships(user).filter(organization_id=organization_id).first()


def user_by_email(email: str):
    """The account with this e-mail address, if any (e-mail addresses are case-insensitive)."""
    return User.objects.filter(email__iexact=email).first()


def other_active_admins(membership):
    """The organization's other active administrators (an organization must keep at least one)."""
    return (
        Membership.objects.active_in(membership.organization_id)
        .filter(role=Role.ADMIN)
        .exclude(pk=membership.pk)
    )
