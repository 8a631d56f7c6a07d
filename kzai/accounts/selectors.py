from kzai.accounts.models import Membership


def active_memberships(user):
    return Membership.objects.active().filter(user=user).select_related("organization", "user")


def membership_for(user, organization_id):
    return active_memberships(user).filter(organization_id=organization_id).first()
