"""Files and documents for the documents tests, made the way a user makes them (through services)."""

from __future__ import annotations

import io
import itertools
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from kzai.core.roles import Role
from tests.factories import AISystemFactory, MembershipFactory

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
_counter = itertools.count(1)


def office_zip(folder: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}/document.xml", "<document/>")
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def pdf(name: str = "policy.pdf") -> SimpleUploadedFile:
    return upload(name, PDF)


def officer_of(organization):
    return MembershipFactory(organization=organization, role=Role.OFFICER)


def make_document(
    organization, *, system=None, items=("general-description",), file=True, approve=False, **kwargs
):
    """A document of `organization` covering one system (made through the services)."""
    from documents.services import document_approve, document_create

    author = kwargs.pop("membership", None) or officer_of(organization)
    system = system or AISystemFactory(organization=organization)
    n = next(_counter)
    document = document_create(
        membership=author,
        title=kwargs.pop("title", f"Policy {organization.slug} {n:04d}"),
        systems=[system],
        items=list(items),
        file=pdf(f"policy-{n}.pdf") if file else None,
        **kwargs,
    )
    if approve:
        document = document_approve(document=document, membership=author)
    return document
