"""Time the register list (page and API) with 10,000 systems: `python -m scripts.bench_registry`.

Seeds a throwaway organization inside one transaction, measures, and rolls everything back, so the
database is left as it was (run `manage.py migrate` first). The rows are seeded with bulk_create
because they are throwaway benchmark data, rolled back, never compliance records.
Options: --systems N (default 10000), --repeat N (default 5).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--systems", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kzai.settings")
    # Pages render without a collectstatic manifest.
    os.environ.setdefault("STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage")
    import warnings

    import django

    warnings.filterwarnings("ignore", "No directory at")
    django.setup()
    from django.conf import settings
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from kzai.accounts.middleware import SESSION_KEY
    from kzai.accounts.models import Membership, Organization, User
    from kzai.accounts.services import api_token_create
    from kzai.core.roles import Role
    from registry.models import AISystem, Party, SystemPartyLink
    from registry.validators import check_digit

    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

    def valid_bin(n: int) -> str:
        for serial in range(n * 10, n * 10 + 10):
            head = f"1501400{serial % 10000:04d}"
            digit = check_digit(head)
            if digit is not None:
                return head + str(digit)
        raise ValueError(n)

    def measure(client, url, **extra):
        client.get(url, **extra)  # warm-up
        timings = []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url, **extra)
                if hasattr(response, "streaming_content"):
                    b"".join(response.streaming_content)
                timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        return statistics.median(timings), max(timings), len(queries)

    print(f"database: {connection.vendor}; seeding {args.systems} systems (rolled back afterwards)…")
    with transaction.atomic():
        organization = Organization.objects.create(name="Benchmark bank", slug=f"bench-{time.time_ns()}")
        user = User.objects.create_user(email=f"bench-{time.time_ns()}@example.kz", password="x" * 12)
        membership = Membership.objects.create(user=user, organization=organization, role=Role.OFFICER)
        start = time.perf_counter()
        AISystem.objects.bulk_create(
            [
                AISystem(
                    organization=organization,
                    code=f"S-{i:05d}",
                    name=f"System {i:05d}",
                    intended_purpose="Benchmark row.",
                    organization_role="owner",
                    sector="banking",
                )
                for i in range(args.systems)
            ],
            batch_size=2000,
        )
        parties = Party.objects.bulk_create(
            [
                Party(
                    organization=organization, name=f"Party {i}", kind="legal_entity", identifier=valid_bin(i)
                )
                for i in range(5)
            ]
        )
        SystemPartyLink.objects.bulk_create(
            [
                SystemPartyLink(organization=organization, system_id=pk, party=party, role="developer")
                for pk in AISystem.objects.filter(organization=organization).values_list("pk", flat=True)
                for party in parties[:3]
            ],
            batch_size=5000,
        )
        print(f"seeded in {time.perf_counter() - start:.1f} s (3 parties per system)")

        web = Client()
        web.force_login(user)
        session = web.session
        session[SESSION_KEY] = organization.pk
        session.save()
        _token, raw = api_token_create(membership=membership)
        auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
        rows = [
            ("page  /registry/ (50 rows)", web, "/registry/", {}),
            ("page  /registry/?page_size=200", web, "/registry/?page_size=200", {}),
            (
                "page  /registry/ filtered+sorted",
                web,
                "/registry/?sector=banking&search=System&ordering=-code",
                {},
            ),
            ("page  /registry/ last page", web, f"/registry/?page={args.systems // 50}", {}),
            ("API   /api/v1/systems/ (50 rows)", Client(), "/api/v1/systems/", auth),
            ("API   /api/v1/systems/?page_size=500", Client(), "/api/v1/systems/?page_size=500", auth),
            ("CSV   export of all rows", web, "/registry/systems/export/", {}),
        ]
        print(f"{'request':<40} {'median ms':>10} {'max ms':>10} {'queries':>8}")
        for label, client, url, extra in rows:
            median, worst, queries = measure(client, url, **extra)
            print(f"{label:<40} {median:>10.1f} {worst:>10.1f} {queries:>8}")
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
