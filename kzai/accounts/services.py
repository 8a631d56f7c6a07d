"""Writes for organizations, people, memberships, invitations and tokens."""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kzai.accounts.models import ApiToken, Invitation, Membership, Organization, User
from kzai.accounts.selectors import other_active_admins
from kzai.core.roles import Role
from kzai.deadlines.outbox import invitation_email_enqueue

INVITATION_LIFETIME = datetime.timedelta(days=14)


@transaction.atomic
def organization_create(*, name: str, slug: str, bin: str = "", size: str = "large") -> Organization:
    organization = Organization(name=name, slug=slug, bin=bin, size=size)
    organization.full_clean()
    organization.save()
    return organization


@transaction.atomic
def user_create(*, email: str, password: str | None, full_name: str = "") -> User:
    email = User.objects.normalize_email(email).lower()
    user = User(email=email, full_name=full_name)
    user.set_password(password) if password else user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def membership_set(*, user: User, organization: Organization, role: str) -> Membership:
    """Give `user` the `role` in `organization`, creating or updating the membership."""
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role “%(role)s”.") % {"role": role}})
    membership = Membership.objects.filter(user=user, organization=organization).first()
    if membership is None:
        membership = Membership(user=user, organization=organization, role=role)
    membership.role = role
    membership.is_active = True
    membership.full_clean(validate_unique=False)
    membership.save()
    return membership


@transaction.atomic
def membership_deactivate(*, membership: Membership) -> Membership:
    if membership.role == Role.ADMIN and not other_active_admins(membership).exists():
        raise ValidationError(_("An organization needs at least one active administrator."))
    membership.is_active = False
    membership.save()
    for token in membership.api_tokens.filter(revoked_at__isnull=True):
        api_token_revoke(token=token)
    return membership


@transaction.atomic
def api_token_create(
    *, membership: Membership, name: str = "", read_only: bool = False, expires_at=None
) -> tuple[ApiToken, str]:
    """Create a token and return it with its raw value, which is never stored or shown again."""
    raw, key_hash = ApiToken.generate()
    token = ApiToken(
        membership=membership,
        organization_id=membership.organization_id,
        name=name,
        key_hash=key_hash,
        key_hint=raw[: len(ApiToken.PREFIX) + 4],
        read_only=read_only,
        expires_at=expires_at,
    )
    token.full_clean()
    token.save()
    return token, raw


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save()
    return token


@transaction.atomic
def invitation_create(*, organization: Organization, email: str, role: str, invited_by: User) -> Invitation:
    email = User.objects.normalize_email(email).lower()
    if Membership.objects.active_in(organization).filter(user__email=email).exists():
        raise ValidationError({"email": _("This person is already a member of the organization.")})
    raw = secrets.token_urlsafe(32)
    invitation = Invitation(
        organization=organization,
        email=email,
        role=role,
        token_hash=Invitation.hash(raw),
        invited_by=invited_by,
        expires_at=timezone.now() + INVITATION_LIFETIME,
    )
    invitation.full_clean()
    invitation.save()
    # Through the outbox, sent once this transaction commits and retried while the mail server
    # is down; the link follows the text in the e-mail.
    invitation_email_enqueue(
        organization=organization,
        email=email,
        subject=_("You are invited to %(org)s on kzai") % {"org": organization.name},
        body=_(
            "%(who)s invited you to join %(org)s on kzai as %(role)s.\n\n"
            "Accept the invitation within 14 days at this link:"
        )
        % {"who": invited_by, "org": organization.name, "role": invitation.get_role_display()},
        link=settings.SITE_URL.rstrip("/") + reverse("invitation_accept", args=[raw]),
    )
    invitation.raw_token = raw  # for the caller's tests and messages; never stored
    return invitation


def invitation_by_token(raw: str) -> Invitation | None:
    invitation = (
        Invitation.objects.select_related("organization").filter(token_hash=Invitation.hash(raw)).first()
    )
    return invitation if invitation and invitation.is_open else None


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    if not invitation.is_open:
        raise ValidationError(_("This invitation has expired or was already used."))
    if user.email.lower() != invitation.email.lower():
        raise ValidationError(_("This invitation was sent to a different e-mail address."))
    membership = membership_set(user=user, organization=invitation.organization, role=invitation.role)
    invitation.accepted_at = timezone.now()
    invitation.save()
    return membership
