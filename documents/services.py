"""Writes of the documents app. Every change is a model save, so the activity log records it."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.choices import DocumentState
from documents.files import check_upload
from documents.models import Document, DocumentDownload, DocumentVersion, EvidenceLink
from kzai.core.roles import Action
from kzai.deadlines.models import DeadlineKind
from kzai.deadlines.services import deadline_sync
from registry.models import AISystem

DOCUMENT_FIELDS = ("title", "description", "items", "expires_on")


def _check_systems(*, membership, systems) -> list[AISystem]:
    systems = list(systems or [])
    reachable = set(
        AISystem.objects.restrict(membership, Action.VIEW)
        .filter(pk__in=[s.pk for s in systems])
        .values_list("pk", flat=True)
    )
    if any(s.pk not in reachable for s in systems):
        raise ValidationError({"systems": _("Choose AI systems of this organization.")})
    return systems


def _sync_expiry_deadline(document: Document) -> None:
    """An approved document with an expiry date owes a renewal by then (reminders follow, and keep
    following once it has expired, until it is renewed or superseded)."""
    due = document.expires_on if document.state in (DocumentState.APPROVED, DocumentState.EXPIRED) else None
    system = document.systems.order_by("pk").first() if due else None
    deadline_sync(
        source=document,
        kind=DeadlineKind.DOCUMENT_EXPIRY,
        due_on=due,
        title=_("Renew “%(title)s”") % {"title": document.title},
        responsible=document.approved_by,
        system=system,
        url=reverse("documents:document_detail", args=[document.pk]),
    )


@transaction.atomic
def document_create(
    *,
    membership,
    title: str,
    description: str = "",
    systems=(),
    items=(),
    expires_on: datetime.date | None = None,
    file=None,
    change_note: str = "",
) -> Document:
    """Create a draft document (and its first version when a file is given)."""
    if not membership.allows(Action.ADD):
        raise PermissionDenied(_("Your role in this organization does not allow this action."))
    systems = _check_systems(membership=membership, systems=systems)
    document = Document(
        organization_id=membership.organization_id,
        title=title,
        description=description,
        items=list(items or []),
        expires_on=expires_on,
    )
    document.full_clean()
    document.save()
    if systems:
        document.systems.set(systems)
    if file is not None:
        document_version_add(document=document, membership=membership, file=file, change_note=change_note)
    return document


@transaction.atomic
def document_update(*, document: Document, membership, systems=None, **fields) -> Document:
    """Change a document's description, coverage or expiry (not its files: add a version)."""
    if not membership.allows(Action.CHANGE):
        raise PermissionDenied(_("Your role in this organization does not allow this action."))
    unknown = set(fields) - set(DOCUMENT_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    for name, value in fields.items():
        setattr(document, name, list(value) if name == "items" else value)
    document.full_clean()
    document.save()
    if systems is not None:
        document.systems.set(_check_systems(membership=membership, systems=systems))
    _sync_expiry_deadline(document)
    return document


@transaction.atomic
def document_version_add(*, document: Document, membership, file, change_note: str = "") -> DocumentVersion:
    """Store a new version of the document after checking the file; nothing is stored on refusal.

    A new file of an approved document makes the document a draft again: what was approved is
    kept as `approved_version`, the new content needs its own approval.
    """
    if not membership.allows(Action.ADD):
        raise PermissionDenied(_("Your role in this organization does not allow this action."))
    return _version_store(document=document, author=membership, file=file, change_note=change_note)


def _version_store(*, document: Document, author, file, change_note: str) -> DocumentVersion:
    if document.state == DocumentState.SUPERSEDED:
        raise ValidationError(_("This document was superseded: upload to the document that replaced it."))
    checked = check_upload(file)
    document = Document.objects.select_for_update().get(pk=document.pk)
    number = (document.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    version = DocumentVersion(
        organization_id=document.organization_id,
        document=document,
        number=number,
        original_name=checked.name[:255],
        sha256=checked.sha256,
        size=checked.size,
        media_type=checked.media_type,
        author=author,
        change_note=change_note,
    )
    version.full_clean(exclude=["file"])
    # The file is written only after every check passed; a failed row insert removes it again.
    version.file.save(checked.name, file, save=False)
    stored = version.file.name
    try:
        version.save()
    except Exception:
        version.file.storage.delete(stored)
        raise
    if document.state in (DocumentState.APPROVED, DocumentState.EXPIRED):
        document.state = DocumentState.DRAFT
        document.save()
        _sync_expiry_deadline(document)
    return version


@transaction.atomic
def rendered_version_store(
    *, document: Document | None, author, title: str, systems, items, file, change_note: str
) -> DocumentVersion:
    """Store a file the platform rendered (an audit report) as a new version of `document`, or of a
    new draft document covering `systems` and catalogue `items` when `document` is None.

    For another app's renders whose right to ask the caller has checked already (an auditor may
    ask for the report of their engagement but not upload documents): no role check here; the
    version names `author` and the activity log records both rows.
    """
    if document is None:
        document = Document(
            organization_id=author.organization_id, title=title[:200], items=list(items or [])
        )
        document.full_clean()
        document.save()
        document.systems.set(list(systems))
    return _version_store(document=document, author=author, file=file, change_note=change_note)


@transaction.atomic
def document_approve(*, document: Document, membership) -> Document:
    """Approve the document's newest version (officers and administrators only)."""
    if not membership.allows(Action.APPROVE):
        raise PermissionDenied(_("Only a compliance officer or an administrator can approve documents."))
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.state not in (DocumentState.DRAFT, DocumentState.EXPIRED):
        raise ValidationError(_("Only a draft document can be approved."))
    latest = document.versions.order_by("-number").first()
    if latest is None:
        raise ValidationError(_("Upload a file before approving the document."))
    if document.is_expired:
        raise ValidationError(
            {"expires_on": _("The expiry date has passed: set a later one before approving.")}
        )
    document.state = DocumentState.APPROVED
    document.approved_version = latest
    document.approved_at = timezone.now()
    document.approved_by = membership
    document.full_clean()
    document.save()
    _sync_expiry_deadline(document)
    return document


@transaction.atomic
def document_supersede(*, document: Document, membership) -> Document:
    """Mark an approved document as superseded (replaced by another, kept for the record)."""
    if not membership.allows(Action.APPROVE):
        raise PermissionDenied(_("Only a compliance officer or an administrator can supersede documents."))
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.state not in (DocumentState.APPROVED, DocumentState.EXPIRED):
        raise ValidationError(_("Only an approved or expired document can be superseded."))
    document.state = DocumentState.SUPERSEDED
    document.save()
    _sync_expiry_deadline(document)
    return document


def documents_expire(*, today: datetime.date | None = None) -> int:
    """Store the expired state of approved documents whose expiry date has passed; returns how many.

    Readers already see such a document as expired (`effective_state`); the stored state makes
    filters and the API agree. One save per document, so each is in the activity log.
    """
    today = today or timezone.localdate()
    count = 0
    for document in Document.objects.filter(state=DocumentState.APPROVED, expires_on__lt=today).iterator():
        with transaction.atomic():
            document.state = DocumentState.EXPIRED
            document.save()
            _sync_expiry_deadline(document)
        count += 1
    return count


def version_download_record(*, version: DocumentVersion, membership) -> DocumentDownload:
    """Record that `membership` fetched `version` (written before the file is sent)."""
    download = DocumentDownload(organization_id=version.organization_id, version=version, member=membership)
    download.save()
    return download


@transaction.atomic
def evidence_link_create(*, document: Document, target, membership, note: str = "") -> EvidenceLink:
    """Offer `document` as evidence for `target` (an obligation, a review item or a risk measure)."""
    from django.contrib.contenttypes.models import ContentType

    from documents.evidence import EVIDENCE_MODELS

    if not membership.allows(Action.CHANGE):
        raise PermissionDenied(_("Your role in this organization does not allow this action."))
    if type(target)._meta.label not in EVIDENCE_MODELS:
        raise ValidationError(
            _("Documents are evidence only for obligations, review items and risk measures.")
        )
    if target.organization_id != document.organization_id:
        raise ValidationError(_("Choose an object of this organization."))
    content_type = ContentType.objects.get_for_model(type(target))
    if EvidenceLink.objects.filter(document=document, target_type=content_type, target_id=target.pk).exists():
        raise ValidationError(_("This document is already evidence for it."))
    link = EvidenceLink(
        organization_id=document.organization_id,
        document=document,
        target_type=content_type,
        target_id=target.pk,
        note=note,
        added_by=membership,
    )
    link.full_clean()
    link.save()
    return link


def evidence_link_delete(*, link: EvidenceLink, membership) -> None:
    if not membership.allows(Action.CHANGE):
        raise PermissionDenied(_("Your role in this organization does not allow this action."))
    link.delete()
