"""Time the register list (page and API) with 10,000 systems: `python -m scripts.bench_registry`.

Seeds a throwaway organization (`scripts.bench_throwaway`, shared with `bench_export`) inside one
transaction, measures, and rolls everything back, so the database is left as it was (run
`manage.py migrate` first).
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

    from kzai.accounts.services import api_token_create
    from scripts.bench_throwaway import signed_in, throwaway_register

    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

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
        start = time.perf_counter()
        # Three parties a system (as this benchmark always had), two tags, the officer responsible.
        bench = throwaway_register(args.systems, code_prefix="S", roles=("developer", "operator", "supplier"))
        print(f"seeded in {time.perf_counter() - start:.1f} s (3 parties and 2 tags per system)")

        web = signed_in(bench)
        _token, raw = api_token_create(membership=bench.membership)
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
