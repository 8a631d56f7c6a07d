"""Writes for organizations, people, memberships, invitations and tokens."""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.contrib.auth import password_validation
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
    """Create a person; a password must pass AUTH_PASSWORD_VALIDATORS, as on every web form."""
    email = User.objects.normalize_email(email).lower()
    user = User(email=email, full_name=full_name)
    user.full_clean(exclude=["password"])
    if password:
        try:
            password_validation.validate_password(password, user=user)
        except ValidationError as error:
            raise ValidationError({"password": error.messages})
    user.set_password(password) if password else user.set_unusable_password()
    user.save()
    return user


@transaction.atomic
def membership_set(*, user: User, organization: Organization, role: str) -> Membership:
    """Give `user` the `role` in `organization`, creating or updating the membership."""
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role “%(role)s”.") % {"role": role}})
    membership = Membership.objects.filter(user=user, organization=organization).first()
    before = membership.role if membership is not None and membership.is_active else None
    if membership is None:
        membership = Membership(user=user, organization=organization, role=role)
    membership.role = role
    membership.is_active = True
    membership.full_clean(validate_unique=False)
    membership.save()
    if before != role:
        _record_permission(membership, "role", _role_label(before), _role_label(role))
    return membership


def _role_label(role: str | None) -> str | None:
    return str(Role(role).label) if role else None


def _record_permission(instance: Membership | ApiToken, what: str, before, after) -> None:
    """A change of rights (of a membership, or an API token acting for one), as its own kind of
    entry in the activity log, besides the data change."""
    from kzai.activity.services import activity_record_permission

    activity_record_permission(instance=instance, changes={what: [before, after]})


def _token_label(token: ApiToken) -> str:
    label = f"{token.name or token.key_hint} ({token.key_hint}…)"
    return f"{label}, {_('read-only')}" if token.read_only else label


@transaction.atomic
def membership_deactivate(*, membership: Membership) -> Membership:
    if membership.role == Role.ADMIN and not other_active_admins(membership).exists():
        raise ValidationError(_("An organization needs at least one active administrator."))
    was_active = membership.is_active
    membership.is_active = False
    membership.save()
    if was_active:
        _record_permission(membership, "role", _role_label(membership.role), None)
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
    _record_permission(token, "token", None, _token_label(token))
    return token, raw


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save()
        _record_permission(token, "token", _token_label(token), None)
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


def _sign_in_memberships(email: str):
    return Membership.objects.active().filter(user__email__iexact=email).select_related("organization")


def sign_in_lockout_record(*, email: str, ip_address: str) -> int:
    """Record in the activity log of each of the account's organizations that sign-in was locked out.

    An address that names no account is locked out all the same, with nothing to record.
    Returns how many records were written.
    """
    from kzai.activity.services import activity_record_change

    count = 0
    for membership in _sign_in_memberships(email):
        activity_record_change(instance=membership, changes={"sign_in_lockout": [None, ip_address or "—"]})
        count += 1
    return count


@transaction.atomic
def sign_in_unlock(*, membership: Membership) -> int:
    """Lift a sign-in lockout of the member's account (before its cool-off ends), recorded.

    Returns how many failed attempts were forgotten (0 when the account was not locked out).
    """
    from axes.models import AccessAttempt
    from axes.utils import reset

    from kzai.activity.services import activity_record_change

    email = membership.user.email.lower()
    last = AccessAttempt.objects.filter(username=email).order_by("-attempt_time").first()
    removed = reset(username=email)
    if removed:
        activity_record_change(
            instance=membership, changes={"sign_in_lockout": [last.ip_address if last else "—", None]}
        )
    return removed


@transaction.atomic
def organization_language_set(*, organization: Organization, language: str) -> Organization:
    """Set the language of e-mails to members who have not chosen their own (recorded in the log)."""
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if organization.language != language:
        organization.language = language
        organization.full_clean()
        organization.save()
    return organization


@transaction.atomic
def organization_two_factor_set(*, organization: Organization, required: bool) -> Organization:
    """Require (or stop requiring) two-factor sign-in of every member; recorded in the activity log.

    Members who have not enrolled are sent to enrolment at their next page.
    """
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if organization.require_two_factor != required:
        organization.require_two_factor = required
        organization.full_clean()
        organization.save()
    return organization
