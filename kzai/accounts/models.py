"""People, organizations (the tenant), memberships with a role, invitations and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kzai.core.models import RestrictedQuerySet, TimeStampedModel, TrackedModel
from kzai.core.roles import READ_ONLY_ACTIONS, Role, role_allows


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in with an e-mail address. Belongs to organizations through memberships."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    notify_by_email = models.BooleanField(
        _("send notifications by e-mail"),
        default=True,
        help_text=_("When off, notifications appear in the portal only."),
    )
    language = models.CharField(
        _("language of e-mails"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Empty: the organization's language."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]

    def __str__(self):
        return self.full_name or self.email


slug_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9-]{1,48}[a-z0-9]$",
    _("Use 3–50 lowercase letters, digits and hyphens, not starting or ending with a hyphen."),
)


class OrganizationSize(models.TextChoices):
    """The size classes the Code of Administrative Offences uses for fines (Art. 641-1)."""

    SMALL = "small", _("Small business or non-profit")
    MEDIUM = "medium", _("Medium business")
    LARGE = "large", _("Large business")


class Organization(TrackedModel, TimeStampedModel):
    """The tenant: a company that owns, possesses or uses AI systems."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=50, unique=True, validators=[slug_validator])
    bin = models.CharField(
        _("BIN"), max_length=12, blank=True, help_text=_("Business identification number.")
    )
    size = models.CharField(
        _("size class"), max_length=10, choices=OrganizationSize.choices, default=OrganizationSize.LARGE
    )
    is_active = models.BooleanField(_("active"), default=True)
    require_two_factor = models.BooleanField(
        _("members must use two-factor sign-in"),
        default=False,
        help_text=_("Administrators always must; this extends it to every member."),
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The language of e-mails to members who have not chosen their own."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self):
        return self.name

    @property
    def organization_id(self):  # so the activity log treats an organization as its own tenant
        return self.pk


class MembershipQuerySet(RestrictedQuerySet):
    def active(self):
        """Memberships that can act: the membership, its user and its organization are all active."""
        return self.filter(is_active=True, organization__is_active=True, user__is_active=True)

    def active_in(self, organization):
        """The active members of one organization (an Organization or its id), users joined, by name.

        The one query for "who can be chosen" (owners, reviewers, responsible people, filters,
        import columns): a member who left, or whose account is disabled, is never offered.
        """
        organization_id = getattr(organization, "pk", organization)
        return (
            self.active()
            .filter(organization_id=organization_id)
            .select_related("user")
            .order_by("user__full_name", "user__email")
        )


class Membership(TrackedModel, TimeStampedModel):
    """A user's place in one organization, with exactly one role."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organization")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)

    objects = MembershipQuerySet.as_manager()

    # The organization's own members see who its members are; auditors (an object-scoped role)
    # do not: the member list carries everyone's e-mail (the API answers an empty list and 404).
    visible_to_object_scoped_roles = False
    system_path = None

    class Meta:
        ordering = ["organization__name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="unique_membership_per_org"),
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.user} @ {self.organization} ({self.get_role_display()})"

    def allows(self, action: str) -> bool:
        if not self.is_active:
            return False
        if getattr(self, "_read_only", False) and action not in READ_ONLY_ACTIONS:
            return False
        return role_allows(self.role, action)

    def as_read_only(self) -> Membership:
        """The same membership, limited to reading (used for read-only API tokens)."""
        self._read_only = True
        return self


def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(RestrictedQuerySet):
    def authenticate(self, raw: str) -> ApiToken | None:
        # The hash is unique: no ordering to compile and sort (first() would order by -created_at).
        token = next(
            iter(
                self.select_related("membership__user", "membership__organization")
                .filter(key_hash=_token_hash(raw), revoked_at__isnull=True)
                .order_by()[:1]
            ),
            None,
        )
        if token is None or (token.expires_at and token.expires_at <= timezone.now()):
            return None
        return token


class ApiToken(TrackedModel, TimeStampedModel):
    """A bearer token acting for one user in one organization. Only its SHA-256 is stored."""

    PREFIX = "kzai_"

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("membership")
    )
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=100, blank=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    key_hint = models.CharField(_("key starts with"), max_length=12, editable=False)
    read_only = models.BooleanField(_("read-only"), default=False)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    activity_exclude = ("created_at", "updated_at", "last_used_at", "key_hash")

    objects = ApiTokenQuerySet.as_manager()

    # Every member, auditors included, manages their own tokens (views also filter by membership).
    visible_to_object_scoped_roles = True

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name or self.key_hint}… ({self.membership.user})"

    @staticmethod
    def generate() -> tuple[str, str]:
        """A new random token and its hash; the raw token is shown once and never stored."""
        raw = ApiToken.PREFIX + secrets.token_urlsafe(32)
        return raw, _token_hash(raw)

    def effective_membership(self) -> Membership:
        membership = self.membership
        return membership.as_read_only() if self.read_only else membership


class Invitation(TrackedModel, TimeStampedModel):
    """An e-mail invitation to join an organization with a role, accepted through a one-time link."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("organization")
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("invited by")
    )
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    activity_exclude = ("created_at", "updated_at", "token_hash")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.email} → {self.organization} ({self.get_role_display()})"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()

    @staticmethod
    def hash(raw: str) -> str:
        return _token_hash(raw)
