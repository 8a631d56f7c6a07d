"""Time a technical passport render for a system with 50 risks and 100 documents:
`python -m scripts.bench_passport`.

Seeds a throwaway organization through the services inside one transaction, renders the passport
(in English) several times, and rolls everything back; files go to a temporary directory that is
removed at the end, so neither the database nor the media folder keeps anything (run
`manage.py migrate` first). Options: --risks N (default 50), --documents N (default 100),
--repeat N (default 3).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--risks", type=int, default=50)
    parser.add_argument("--documents", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kzai.settings")
    import logging
    import warnings

    import django

    warnings.filterwarnings("ignore", "No directory at")
    django.setup()
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    from django.conf import settings
    from django.core.files.base import ContentFile
    from django.db import transaction

    from documents.passport import passport_render
    from documents.services import document_approve, document_create
    from kzai.accounts.models import Membership, Organization, User
    from kzai.core.roles import Role
    from registry import choices
    from registry.models import AISystem
    from risk.risk_management.services import measure_create, risk_create

    class Rollback(Exception):
        pass

    with tempfile.TemporaryDirectory() as media:
        settings.MEDIA_ROOT = media
        timings: list[float] = []
        pages = 0
        try:
            with transaction.atomic():
                org = Organization.objects.create(name="Bench Bank JSC", slug="bench-passport")
                user = User.objects.create_user(
                    email="bench-passport@example.kz", password="bench-passport-1"
                )
                officer = Membership.objects.create(user=user, organization=org, role=Role.OFFICER)
                system = AISystem(
                    organization=org,
                    name="Retail credit scoring",
                    code="BENCH-01",
                    intended_purpose="Credit scoring of retail loan applications.",
                    organization_role=choices.OrganizationRole.OWNER,
                    sector=choices.Sector.BANKING,
                )
                system.full_clean()
                system.save()
                risks = [
                    risk_create(
                        system=system,
                        title=f"Risk {n:02d}: biased outcomes for group {n}",
                        category="discrimination",
                        likelihood=1 + n % 5,
                        severity=1 + (n * 3) % 5,
                    )
                    for n in range(args.risks)
                ]
                for n, risk in enumerate(risks):
                    measure_create(system=system, title=f"Measure {n:02d}", kind="technical", risks=[risk])
                for n in range(args.documents):
                    document = document_create(
                        membership=officer,
                        title=f"Evidence document {n:03d}",
                        systems=[system],
                        items=["test-results"],
                        file=ContentFile(
                            b"%PDF-1.4\n%bench " + str(n).encode() + b"\n%%EOF\n", name=f"e{n}.pdf"
                        ),
                    )
                    document_approve(document=document, membership=officer)
                for _ in range(args.repeat):
                    started = time.perf_counter()
                    issue = passport_render(system=system, membership=officer, language="en")
                    timings.append(time.perf_counter() - started)
                with issue.version.file.open("rb") as handle:
                    from pypdf import PdfReader

                    pages = len(PdfReader(handle).pages)
                raise Rollback
        except Rollback:
            pass
    print(
        f"passport render, {args.risks} risks and measures, {args.documents} approved documents "
        f"({pages} pages): median {statistics.median(timings):.2f} s, "
        f"min {min(timings):.2f} s, max {max(timings):.2f} s over {len(timings)} runs"
    )


if __name__ == "__main__":
    main()
