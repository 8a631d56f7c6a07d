"""Checking an uploaded file before anything is stored: type, size, emptiness, content.

The allowed extensions (with their media types) and the size limit are settings
(`KZAI_DOCUMENT_TYPES`, `KZAI_DOCUMENT_MAX_BYTES`). The content must match the extension — a PDF
starts with `%PDF-`, a DOCX/XLSX is a ZIP holding `word/` or `xl/`, PNG and JPEG have their magic
bytes, text types must be valid UTF-8 — so a renamed executable is refused, not stored.
"""

from __future__ import annotations

import codecs
import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

CHUNK = 64 * 1024
TEXT_TYPES = {"txt", "csv", "md"}


@dataclass(frozen=True)
class CheckedFile:
    extension: str
    media_type: str
    size: int
    sha256: str
    name: str


def allowed_types() -> dict[str, str]:
    return settings.KZAI_DOCUMENT_TYPES


def _extension(name: str) -> str:
    return PurePath(name or "").suffix.lower().lstrip(".")


def _chunks(upload):
    upload.seek(0)
    return upload.chunks(CHUNK) if hasattr(upload, "chunks") else iter(lambda: upload.read(CHUNK), b"")


def _content_matches(extension: str, upload, head: bytes) -> bool:
    if extension == "pdf":
        return head.startswith(b"%PDF-")
    if extension == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in ("jpg", "jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if extension in ("docx", "xlsx"):
        if not head.startswith(b"PK\x03\x04"):
            return False
        upload.seek(0)
        try:
            with zipfile.ZipFile(upload) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return False
        folder = "word/" if extension == "docx" else "xl/"
        return "[Content_Types].xml" in names and any(name.startswith(folder) for name in names)
    if extension in TEXT_TYPES:
        upload.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")("strict")
        try:
            for chunk in _chunks(upload):
                if b"\x00" in chunk:
                    return False
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
        return True
    return False  # an allowed extension without a content check is refused, not trusted


def check_upload(upload) -> CheckedFile:
    """Validate an uploaded file (a Django `UploadedFile` or `File`); return its facts or raise
    `ValidationError` on the `file` field with a message naming the problem."""
    name = PurePath(getattr(upload, "name", "") or "").name
    extension = _extension(name)
    types = allowed_types()
    if extension not in types:
        raise ValidationError(
            {
                "file": _("Files of type “%(ext)s” are not accepted. Allowed types: %(allowed)s.")
                % {"ext": extension or _("no extension"), "allowed": ", ".join(sorted(types))}
            }
        )
    size = upload.size
    if not size:
        raise ValidationError({"file": _("The file is empty.")})
    limit = settings.KZAI_DOCUMENT_MAX_BYTES
    if size > limit:
        raise ValidationError(
            {
                "file": _("The file is %(size)s; the limit is %(limit)s.")
                % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
            }
        )
    upload.seek(0)
    head = upload.read(16)
    if not _content_matches(extension, upload, head):
        raise ValidationError(
            {
                "file": _("The file's content is not a valid %(ext)s file: it does not match its extension.")
                % {"ext": extension.upper()}
            }
        )
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in _chunks(upload):
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(
        extension=extension, media_type=types[extension], size=size, sha256=digest.hexdigest(), name=name
    )


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
