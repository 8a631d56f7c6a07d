"""Upload validation: each bad input gets a clear error and nothing is stored."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from documents.models import DocumentVersion
from documents.services import document_version_add
from tests.documents.helpers import JPEG, PDF, PNG, make_document, office_zip, officer_of, upload


def _stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(
    ("name", "content", "media_type"),
    [
        ("report.pdf", PDF, "application/pdf"),
        (
            "plan.docx",
            office_zip("word"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("data.xlsx", office_zip("xl"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("scan.png", PNG, "image/png"),
        ("photo.JPG", JPEG, "image/jpeg"),
        ("notes.txt", "Журнал изменений\n".encode(), "text/plain"),
        ("log.csv", b"date,event\n2026-01-01,start\n", "text/csv"),
        ("readme.md", b"# Passport\n", "text/markdown"),
    ],
)
def test_accepted_types_are_stored_with_hash_size_and_type(org, name, content, media_type):
    import hashlib

    document = make_document(org, file=False)
    version = document_version_add(document=document, membership=officer_of(org), file=upload(name, content))
    assert version.media_type == media_type and version.size == len(content)
    assert version.sha256 == hashlib.sha256(content).hexdigest() and version.original_name == name
    with version.file.open("rb") as stored:
        assert stored.read() == content


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tool.exe", b"MZ\x90\x00", "are not accepted"),
        ("noextension", PDF, "are not accepted"),
        ("empty.pdf", b"", "The file is empty."),
        ("fake.pdf", b"MZ\x90\x00 not a pdf", "does not match its extension"),
        ("fake.docx", PDF, "does not match its extension"),
        ("sheet-as-doc.docx", office_zip("xl"), "does not match its extension"),
        ("broken.xlsx", b"PK\x03\x04garbage", "does not match its extension"),
        ("fake.png", JPEG, "does not match its extension"),
        ("fake.jpg", PNG, "does not match its extension"),
        ("latin1.txt", "café".encode("latin-1"), "does not match its extension"),
        ("binary.csv", b"a,b\x00\x01", "does not match its extension"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_stored(org, name, content, message):
    document = make_document(org, file=False)
    with pytest.raises(ValidationError) as error:
        document_version_add(document=document, membership=officer_of(org), file=upload(name, content))
    assert message in " ".join(error.value.message_dict["file"])
    assert not DocumentVersion.objects.filter(document=document).exists()
    assert _stored_files() == []


def test_oversized_file_is_refused(org, settings):
    settings.KZAI_DOCUMENT_MAX_BYTES = 100
    document = make_document(org, file=False)
    with pytest.raises(ValidationError) as error:
        document_version_add(
            document=document, membership=officer_of(org), file=upload("big.pdf", PDF + b"x" * 200)
        )
    assert "the limit is 100" in " ".join(error.value.message_dict["file"])
    assert _stored_files() == []


def test_allowed_types_are_a_setting(org, settings):
    settings.KZAI_DOCUMENT_TYPES = {"pdf": "application/pdf"}
    document = make_document(org, file=False)
    with pytest.raises(ValidationError, match="Allowed types: pdf"):
        document_version_add(document=document, membership=officer_of(org), file=upload("a.png", PNG))
