"""The public verification page of technical passports.

Anyone holding a passport (a regulator, an auditor, a counterparty) scans its QR code or types its
digest. The page confirms the organization, the system and the time of issue for that digest, and
nothing else: no content of the passport, no other document, no list.
"""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from documents.models import PassportIssue


@never_cache
def verify_passport(request, digest: str):
    """Look the digest up among issued passports (printed content digest or the PDF's own SHA-256)."""
    issue = (
        PassportIssue.objects.filter(Q(content_sha256=digest) | Q(version__sha256=digest))
        .select_related("system", "organization")
        .only("issued_at", "system__name", "system__code", "organization__name")
        .first()
    )
    if issue is None:
        raise Http404
    return render(
        request,
        "documents/verify.html",
        {
            "organization_name": issue.organization.name,
            "system_name": issue.system.name,
            "issued_at": issue.issued_at,
            "digest": digest,
        },
    )
