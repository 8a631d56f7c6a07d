"""The technical passport of an AI system: gathered from the register, rendered to PDF by
WeasyPrint from a Django template, stored as a version of the system's passport document.

WeasyPrint fetches nothing from the network: `local_url_fetcher` answers only `kzai-static:` URLs
from the project's own static files and refuses everything else.
"""

from __future__ import annotations

import hashlib
import mimetypes
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from documents import selectors
from documents.choices import DocumentState
from documents.models import Document, PassportIssue
from documents.passport_sections import passport_sections
from kzai.core.roles import Action

STATIC_SCHEME = "kzai-static:"
PASSPORT_ITEM = "technical-passport"
LANGUAGES = ("en", "ru", "kk")


class RefusedURL(ValueError):
    """WeasyPrint asked for something that is not one of the project's static files."""


def local_static_file(url: str) -> tuple[bytes, str]:
    """The bytes and media type of `kzai-static:<path>`; `RefusedURL` for any other URL."""
    if not url.startswith(STATIC_SCHEME):
        raise RefusedURL(f"refused to fetch {url!r}: the passport uses only the project's static files")
    relative = url[len(STATIC_SCHEME) :].lstrip("/")
    if ".." in Path(relative).parts:
        raise RefusedURL(f"refused to fetch {url!r}")
    found = finders.find(relative)
    if not found:
        raise RefusedURL(f"no static file {relative!r}")
    return Path(found).read_bytes(), mimetypes.guess_type(found)[0] or "application/octet-stream"


def local_url_fetcher():
    """A WeasyPrint URL fetcher that serves only the project's static files (no network, no file:)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalURLFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            body, media_type = local_static_file(url)
            return URLFetcherResponse(url, body, {"Content-Type": media_type})

    return LocalURLFetcher()


def verification_url(digest: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("verify_passport", args=[digest])


def qr_svg(data: str) -> str:
    """An inline SVG QR code (no file, no fetch)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=1)
    svg = image.to_string(encoding="unicode")
    return svg[svg.index("<svg") :]


def passport_context(*, system, membership, progress=None) -> dict:
    """Everything the passport shows, read as `membership` (restricted like any page)."""
    from risk.models import Classification, Obligation, Screening
    from risk.risk_management.models import Measure, Review, Risk

    def step(n):
        if progress:
            progress(n, 10)

    step(1)
    classification = (
        Classification.objects.restrict(membership, Action.VIEW)
        .filter(system=system, status="approved")
        .select_related("approved_by__user", "prepared_by__user")
        .order_by("-approved_at", "-id")
        .first()
    )
    screening = (
        Screening.objects.restrict(membership, Action.VIEW)
        .filter(system=system)
        .order_by("-created_at")
        .first()
    )
    step(2)
    obligations = list(
        Obligation.objects.restrict(membership, Action.VIEW)
        .filter(system=system, in_force=True)
        .select_related("requirement", "responsible__user")
        .order_by("code")
    )
    step(3)
    risks = list(
        Risk.objects.restrict(membership, Action.VIEW)
        .filter(system=system)
        .select_related("owner__user")
        .order_by("-inherent_score", "title")
    )
    measures = list(
        Measure.objects.restrict(membership, Action.VIEW)
        .filter(system=system)
        .prefetch_related("risks")
        .order_by("title", "id")
    )
    step(4)
    review = (
        Review.objects.restrict(membership, Action.VIEW)
        .filter(system=system, status="completed")
        .select_related("signed_off_by__user")
        .order_by("-completed_at")
        .first()
    )
    parties = list(system.party_links.select_related("party").order_by("role", "party__name"))
    libraries = list(system.data_library_uses.select_related("library__producer").order_by("library__name"))
    components = list(system.components.order_by("name"))
    step(5)
    documents = list(selectors.document_list(membership).filter(systems=system).exclude(passport_of=system))
    rows = selectors.documentation_status(system, documents)
    # The passport's own sections are numbered 1 to 11; other apps' sections follow, then signatures.
    sections = passport_sections(system=system, membership=membership, first_number=12)
    step(6)
    return {
        "sections": sections,
        "signatures_number": 12 + len(sections),
        "system": system,
        "organization": system.organization,
        "classification": classification,
        "screening": screening,
        "obligations": obligations,
        "risks": risks,
        "measures": measures,
        "review": review,
        "parties": parties,
        "libraries": libraries,
        "components": components,
        "documentation": rows,
        "approved_documents": [d for d in documents if d.effective_state == DocumentState.APPROVED],
    }


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=local_url_fetcher(), base_url=STATIC_SCHEME).write_pdf()


def _passport_document(system, membership) -> Document:
    from documents.services import document_create

    document = Document.objects.filter(passport_of=system).first()
    if document is None:
        document = document_create(
            membership=membership,
            title=_("Technical passport — %(code)s") % {"code": system.code},
            systems=[system],
            items=[PASSPORT_ITEM],
        )
        document.passport_of = system
        document.save()
    return document


def passport_render(*, system, membership, language: str, progress=None) -> PassportIssue:
    """Render the passport of `system` in `language` and store it as a new version.

    The content digest (SHA-256 of the passport without its verification block) is printed on
    the PDF with a QR code to the public verification page; the issue records both digests.
    """
    from documents.services import document_version_add

    if language not in LANGUAGES:
        raise ValueError(f"unknown passport language {language!r}")
    with translation.override(language):
        context = passport_context(system=system, membership=membership, progress=progress)
        issued_at = timezone.now()
        context.update(issued_at=issued_at, language=language)
        body = render_to_string("documents/passport/body.html", context)
        content_sha256 = hashlib.sha256(f"{body}\n{issued_at.isoformat()}".encode()).hexdigest()
        url = verification_url(content_sha256)
        html = render_to_string(
            "documents/passport/passport.html",
            {**context, "body": body, "content_sha256": content_sha256, "verify_url": url, "qr": qr_svg(url)},
        )
        if progress:
            progress(7, 10)
        pdf = render_pdf(html)
        if progress:
            progress(9, 10)
        with transaction.atomic():
            document = _passport_document(system, membership)
            name = f"passport-{system.code}-{language}-{issued_at:%Y%m%d-%H%M%S}.pdf"
            version = document_version_add(
                document=document,
                membership=membership,
                file=ContentFile(pdf, name=name),
                change_note=_("Rendered by kzai (%(language)s)") % {"language": language},
            )
            issue = PassportIssue(
                organization_id=system.organization_id,
                system=system,
                version=version,
                content_sha256=content_sha256,
                language=language,
                issued_at=issued_at,
            )
            issue.full_clean()
            issue.save()
    if progress:
        progress(10, 10)
    return issue
