"""Signing keys of the organizations and the daily counts of labels they issued."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kzai.core.models import RestrictedQuerySet, TenantModel


class LabelSigningKey(TenantModel):
    """One Ed25519 key pair an organization signs its synthetic-content labels with.

    The private half is stored only encrypted (with a key derived from SECRET_KEY) and never leaves
    the server: no page, API or activity record shows it. An organization has at most one active
    key; rotating retires it (it keeps its public half, so labels it signed still verify) and makes
    a new one. `key_id` is the key's fingerprint, unique across organizations, carried in every label.
    """

    key_id = models.CharField(_("key id"), max_length=40, unique=True)
    public_key = models.CharField(_("public key"), max_length=64, help_text=_("Raw Ed25519 key, base64url."))
    private_key_encrypted = models.TextField(editable=False)
    created_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)
    retired_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("retired by"),
    )

    # The encrypted private key stays out of the activity log too.
    activity_exclude = ("created_at", "updated_at", "private_key_encrypted")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("label signing key")
        verbose_name_plural = _("label signing keys")
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=models.Q(retired_at__isnull=True),
                name="one_active_label_key_per_org",
            )
        ]

    def __str__(self):
        return self.key_id

    @property
    def is_active(self) -> bool:
        return self.retired_at is None


class LabelIssuanceDay(models.Model):
    """How many labels one system's key signed on one day (Asia/Almaty): the evidence that its
    synthetic results are marked (TR-02).

    A counter, not a TrackedModel: it grows with every signature the company's backend asks for
    (possibly thousands a day), which is traffic, not a change of compliance data; the keys and the
    settings that produce it are tracked.
    """

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+", verbose_name=_("organization")
    )
    system = models.ForeignKey(
        "registry.AISystem", on_delete=models.CASCADE, related_name="label_days", verbose_name=_("AI system")
    )
    day = models.DateField(_("day"))
    count = models.PositiveBigIntegerField(_("labels issued"), default=0)

    system_path = "system"

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-day", "system_id"]
        verbose_name = _("labels issued per day")
        verbose_name_plural = _("labels issued per day")
        constraints = [
            models.UniqueConstraint(fields=["system", "day"], name="one_label_count_per_system_day")
        ]

    def __str__(self):
        return f"{self.day}: {self.count}"
