"""The technical passport: rendered from the register, stored as a version, verifiable by hash."""

import hashlib
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from documents.models import PassportIssue
from documents.passport import RefusedURL, local_static_file, local_url_fetcher, passport_render
from kzai.core.roles import Role
from tests.documents.helpers import make_document
from tests.factories import AISystemFactory, MeasureFactory, RiskFactory, classify_system


def pdf_text(version) -> str:
    with version.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


@pytest.fixture
def passport_system(org, make_member):
    officer = make_member(Role.OFFICER)
    system = AISystemFactory(organization=org, name="Credit scoring", code="CRM-SCORE-01")
    classify_system(system, officer, disruption_impact="reduced_efficiency")
    RiskFactory(system=system, title="Biased outcomes for young applicants")
    MeasureFactory(system=system, title="Quarterly bias testing")
    approved = make_document(
        org, system=system, items=["general-description"], approve=True, title="System description"
    )
    return system, officer, approved


def test_passport_contents_and_hashes(passport_system):
    system, officer, approved = passport_system
    issue = passport_render(system=system, membership=officer, language="en")
    version = issue.version
    text, pages = pdf_text(version)
    assert pages >= 3
    for expected in (
        "Technical passport of an AI system",
        "Credit scoring",
        "Alpha Bank",
        "Contents",
        "Biased outcomes for young applicants",
        "Quarterly bias testing",
        "Risk and autonomy classification",
        "System description",
        issue.content_sha256[:16],
    ):
        assert expected in text.replace("\n", " ") or expected in text, expected
    assert approved.approved_version.sha256[:20] in text.replace("\n", "")
    assert f"1 / {pages}" in text  # page numbers
    with version.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == version.sha256
    assert version.document.passport_of == system and version.document.items == ["technical-passport"]
    second = passport_render(system=system, membership=officer, language="ru")
    assert second.version.document == version.document and second.version.number == 2
    assert "Технический паспорт" in pdf_text(second.version)[0]


def test_kazakh_passport(passport_system):
    system, officer, _ = passport_system
    text, _pages = pdf_text(passport_render(system=system, membership=officer, language="kk").version)
    assert "Credit scoring" in text and "CRM-SCORE-01" in text


def test_fetcher_refuses_anything_not_local():
    for url in (
        "http://example.com/font.woff",
        "https://cdn.example/x.css",
        "file:///etc/passwd",
        "kzai-static:../x",
    ):
        with pytest.raises(RefusedURL):
            local_static_file(url)
        with pytest.raises(RefusedURL):
            local_url_fetcher().fetch(url)
    assert b"@page" in local_url_fetcher().fetch("kzai-static:documents/passport.css").read()


def test_verification_page_confirms_only_organization_system_and_time(client, passport_system):
    system, officer, _ = passport_system
    issue = passport_render(system=system, membership=officer, language="en")
    for digest in (issue.content_sha256, issue.version.sha256):
        page = client.get(reverse("verify_passport", args=[digest]))
        html = page.content.decode()
        assert page.status_code == 200 and "Alpha Bank" in html and "Credit scoring" in html
        assert system.intended_purpose not in html and "Biased outcomes" not in html
    assert client.get(reverse("verify_passport", args=["0" * 64])).status_code == 404
    other = make_document(system.organization, system=system).versions.get()
    assert client.get(reverse("verify_passport", args=[other.sha256])).status_code == 404
    assert client.get("/verify/not-a-hash/").status_code == 404
    assert PassportIssue.objects.count() == 1
