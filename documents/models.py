"""Documents with versions: the organization's evidence files.

A `Document` belongs to one organization, may cover several AI systems and several items of the
documentation catalogue, and moves draft → approved → superseded / expired. Each uploaded file is
a `DocumentVersion` kept through Django's storage API (S3-compatible storage is a setting), with
its SHA-256, size and media type. Files are never served from a public URL: every download goes
through a view that checks tenant and permission and writes a `DocumentDownload` (so the activity
log records who fetched what).
"""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.choices import DocumentState
from kzai.core.models import TenantModel


def version_upload_to(instance, filename: str) -> str:
    # A random name: the original file name is kept in a field, never trusted as a path.
    return f"documents/{instance.organization_id}/{uuid.uuid4().hex}"


class Document(TenantModel):
    """A document of the organization (a policy, a test report, a technical passport…)."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    systems = models.ManyToManyField(
        "registry.AISystem", blank=True, related_name="documents", verbose_name=_("AI systems")
    )
    items = models.JSONField(
        _("documentation items"),
        default=list,
        blank=True,
        help_text=_("Which items of the documentation list this document covers."),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=DocumentState.choices, default=DocumentState.DRAFT, db_index=True
    )
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_version = models.ForeignKey(
        "documents.DocumentVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved version"),
    )
    # The technical passport of one system is a document the platform renders into.
    passport_of = models.OneToOneField(
        "registry.AISystem",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="passport_document",
        verbose_name=_("technical passport of"),
    )

    system_path = "systems"

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self):
        return self.title

    @property
    def is_expired(self) -> bool:
        return self.expires_on is not None and self.expires_on < timezone.localdate()

    @property
    def effective_state(self) -> str:
        """The state as a reader should see it: an approved document past its expiry is expired."""
        if self.state == DocumentState.APPROVED and self.is_expired:
            return DocumentState.EXPIRED
        return self.state

    def get_effective_state_display(self) -> str:
        return DocumentState(self.effective_state).label

    @property
    def is_current_evidence(self) -> bool:
        """Approved and not expired: meets the documentation items it covers."""
        return self.effective_state == DocumentState.APPROVED

    def clean(self):
        from documents.catalogue.loader import catalogue

        items = self.items or []
        known = catalogue().items
        if not isinstance(items, list) or any(key not in known for key in items):
            raise ValidationError(
                {
                    "items": _("Choose among the items of the documentation list: %(keys)s.")
                    % {"keys": ", ".join(known)}
                }
            )


class DocumentVersion(TenantModel):
    """One uploaded file of a document: the file, its SHA-256, size, media type, author and note."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="versions", verbose_name=_("document")
    )
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=version_upload_to, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    media_type = models.CharField(_("media type"), max_length=100)
    author = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    change_note = models.CharField(_("change note"), max_length=500, blank=True)

    system_path = "document__systems"
    # The stored file's name is a storage detail; the hash, size and name say what it is.
    activity_exclude = ("created_at", "updated_at", "file")

    class Meta:
        ordering = ["document_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="one_number_per_document_version")
        ]
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")

    def __str__(self):
        return f"{self.document.title} v{self.number}"

    def activity_parent(self):
        return self.document


class DocumentDownload(TenantModel):
    """One download of one version by one member: written before the file is sent, so the
    activity log names everyone who read a file."""

    version = models.ForeignKey(
        DocumentVersion, on_delete=models.CASCADE, related_name="downloads", verbose_name=_("version")
    )
    member = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("downloaded by"),
    )

    system_path = "version__document__systems"

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("document download")
        verbose_name_plural = _("document downloads")

    def __str__(self):
        return f"{self.version} ({self.member})"

    def activity_parent(self):
        return self.version.document


class EvidenceLink(TenantModel):
    """A document offered as evidence for an obligation, a review item or a risk measure."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="evidence_links", verbose_name=_("document")
    )
    target_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, related_name="+", verbose_name=_("kind")
    )
    target_id = models.PositiveBigIntegerField(_("object id"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    added_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )

    system_path = "document__systems"

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "target_type", "target_id"], name="one_evidence_link_per_document_target"
            )
        ]
        verbose_name = _("evidence document")
        verbose_name_plural = _("evidence documents")

    def __str__(self):
        return str(self.document)

    def activity_parent(self):
        return self.document


class PassportIssue(TenantModel):
    """One issued technical passport: the stored PDF version and the digest printed on it.

    A PDF cannot contain its own SHA-256, so the passport prints the SHA-256 of its content (the
    rendered passport without the verification block) and its QR code points at that digest. The
    public verification page accepts either digest: the printed one, or the file's own SHA-256.
    """

    system = models.ForeignKey(
        "registry.AISystem",
        on_delete=models.CASCADE,
        related_name="passport_issues",
        verbose_name=_("AI system"),
    )
    version = models.OneToOneField(
        DocumentVersion, on_delete=models.CASCADE, related_name="passport_issue", verbose_name=_("version")
    )
    content_sha256 = models.CharField(_("content SHA-256"), max_length=64, unique=True)
    language = models.CharField(_("language"), max_length=5)
    issued_at = models.DateTimeField(_("issued at"))

    system_path = "system"

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("technical passport issue")
        verbose_name_plural = _("technical passport issues")

    def __str__(self):
        return f"{self.version} ({self.language})"

    def activity_parent(self):
        return self.system
