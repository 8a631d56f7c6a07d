"""The inspection pack: one ZIP for a regulator or an auditor.

It holds the system's current technical passport, every approved document covering the system
(the approved version), the system's activity log as CSV, and a manifest (`manifest.json` and a
`SHA256SUMS` file `sha256sum -c` can check) with every file's SHA-256. The ZIP goes to the storage
(S3-compatible by setting), never to the web server's disk; only the member who built it can
download it.
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
import uuid
import zipfile

from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.core.files.storage import default_storage
from django.db.models import Q
from django.utils import timezone

from documents import selectors
from documents.models import Document, PassportIssue
from kzai.activity.models import ActivityRecord
from kzai.core import spreadsheets
from kzai.core.roles import Action


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-")[:80] or "file"


def _activity_rows(system, documents, membership):
    system_type = ContentType.objects.get_for_model(type(system))
    document_type = ContentType.objects.get_for_model(Document)
    document_ids = [str(d.pk) for d in documents]
    records = (
        ActivityRecord.objects.restrict(membership, Action.VIEW)
        .filter(
            Q(content_type=system_type, object_id=str(system.pk))
            | Q(parent_content_type=system_type, parent_object_id=str(system.pk))
            | Q(content_type=document_type, object_id__in=document_ids)
            | Q(parent_content_type=document_type, parent_object_id__in=document_ids)
        )
        .select_related("content_type")
        .order_by("timestamp", "id")
    )
    for record in records.iterator():
        yield [
            timezone.localtime(record.timestamp).strftime("%Y-%m-%d %H:%M:%S %Z"),
            record.actor_label,
            record.source,
            record.get_action_display(),
            str(record.content_type.model_class()._meta.verbose_name)
            if record.content_type.model_class()
            else "",
            record.object_repr,
            json.dumps(record.changes, ensure_ascii=False),
            record.request_id,
        ]


def pack_build(*, system, membership, job=None, progress=None) -> dict:
    """Build the pack of `system` as `membership`; store it; return its manifest and location."""
    documents = [
        d
        for d in selectors.document_list(membership).filter(systems=system).exclude(passport_of=system)
        if d.is_current_evidence and d.approved_version_id
    ]
    passport = (
        PassportIssue.objects.restrict(membership, Action.VIEW)
        .filter(system=system)
        .select_related("version")
        .order_by("-issued_at", "-id")
        .first()
    )
    entries: list[tuple[str, object]] = []  # (path in the ZIP, version or bytes)
    if passport is not None:
        entries.append((f"passport/{_safe(passport.version.original_name)}", passport.version))
    for document in documents:
        version = document.approved_version
        entries.append(
            (
                f"documents/{document.pk}-{_safe(document.title)}/v{version.number}-{_safe(version.original_name)}",
                version,
            )
        )
    header = ["time", "who", "source", "action", "kind", "object", "changes", "request id"]
    # Through the one exporter: a BOM for Excel, and no cell a spreadsheet would run as a formula.
    activity_csv = "".join(spreadsheets.csv_stream([header, *_activity_rows(system, documents, membership)]))
    entries.append(("activity-log.csv", activity_csv.encode("utf-8")))

    total = len(entries) + 1
    manifest_files = []
    with tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024) as spool:
        with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for index, (path, source) in enumerate(entries, start=1):
                if isinstance(source, bytes):
                    data = source
                else:
                    with source.file.open("rb") as handle:
                        data = handle.read()
                digest = hashlib.sha256(data).hexdigest()
                if not isinstance(source, bytes) and digest != source.sha256:
                    # The stored file no longer matches what was uploaded: say so, never hide it.
                    raise ValueError(f"stored file of {source} does not match its recorded SHA-256")
                archive.writestr(path, data)
                manifest_files.append({"path": path, "sha256": digest, "size": len(data)})
                if progress:
                    progress(index, total)
            manifest = {
                "organization": system.organization.name,
                "system": {"code": system.code, "name": system.name},
                "built_at": timezone.now().isoformat(),
                "built_by": membership.user.email,
                "passport": None if passport is None else passport.content_sha256,
                "files": manifest_files,
            }
            archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
            archive.writestr("SHA256SUMS", "".join(f"{f['sha256']}  {f['path']}\n" for f in manifest_files))
        spool.seek(0)
        pack_digest = hashlib.sha256()
        for chunk in iter(lambda: spool.read(1024 * 1024), b""):
            pack_digest.update(chunk)
        size = spool.tell()
        spool.seek(0)
        name = f"packs/{system.organization_id}/{uuid.uuid4().hex}.zip"
        stored = default_storage.save(name, File(spool, name=name))
    if progress:
        progress(total, total)
    return {
        "system_id": system.pk,
        "path": stored,
        "filename": f"inspection-pack-{_safe(system.code)}-{timezone.localdate():%Y%m%d}.zip",
        "sha256": pack_digest.hexdigest(),
        "size": size,
        "files": manifest_files,
        "version_ids": [s.pk for _p, s in entries if not isinstance(s, bytes)],
        "has_passport": passport is not None,
    }
