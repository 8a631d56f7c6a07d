"""Time the register's export of 10,000 systems, CSV and XLSX: `python -m scripts.bench_export`.

Seeds a throwaway organization (`scripts.bench_throwaway`, shared with `bench_registry`: systems
with two tags and two parties each) inside one transaction that is rolled back at the end, so the
database is left as it was (run `manage.py migrate` first). Each export is fetched through the page
a member uses (the whole streamed body is read), once to warm up, then once measured: seconds of wall
clock and of the process's CPU (the evidence on a shared machine), queries, size and the load
average; then again under tracemalloc for the peak of Python memory while it streams (the process's
peak resident size is printed too). The XLSX of half the register (5,000 rows, at the limit above
which it runs as a background job) and of all of it are built while the person waits here (the
limit is raised for the benchmark), then the whole once through the background job.
Options: --systems N (default 10000).
"""

from __future__ import annotations

import argparse
import os
import time
import tracemalloc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--systems", type=int, default=10_000)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kzai.settings")
    os.environ.setdefault("STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage")
    import resource
    import warnings

    import django

    warnings.filterwarnings("ignore", "No directory at")
    django.setup()
    from django.conf import settings
    from django.db import connection, transaction
    from django.urls import reverse

    from scripts.bench_throwaway import signed_in, throwaway_register

    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.KZAI_EXPORT_BACKGROUND_ROWS = args.systems + 1
    queries = [0]

    def count(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    def fetch(client, url) -> tuple[float, float, int, int]:
        """Seconds of wall clock and of this process's CPU, queries, and bytes of one export."""
        queries[0] = 0
        start, cpu = time.perf_counter(), time.process_time()
        with connection.execute_wrapper(count):
            response = client.get(url)
            assert response.status_code == 200, response.status_code
            size = sum(len(part) for part in response) if response.streaming else len(response.content)
        return time.perf_counter() - start, time.process_time() - cpu, queries[0], size

    def peak(client, url) -> float:
        tracemalloc.start()
        try:
            fetch(client, url)
            return tracemalloc.get_traced_memory()[1] / 1024 / 1024
        finally:
            tracemalloc.stop()

    def load() -> str:
        return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())

    print(f"database: {connection.vendor}; seeding {args.systems} systems (rolled back afterwards)…")
    with transaction.atomic():
        # Half the systems in banking, so `sector=banking` is an export of half the register.
        bench = throwaway_register(args.systems, code_prefix="E", sectors=("banking", "insurance"))
        client = signed_in(bench)
        base = reverse("registry:system_export")
        half = args.systems // 2
        print(f"{'export':<24} {'seconds':>8} {'CPU s':>6} {'queries':>8} {'MB out':>7} {'peak MB':>8}  load")
        for label, url in (
            (f"CSV, {args.systems} systems", f"{base}?format=csv"),
            (f"XLSX, {half} systems", f"{base}?format=xlsx&sector=banking"),
            (f"XLSX, {args.systems} systems", f"{base}?format=xlsx"),
        ):
            fetch(client, url)  # warm-up: the first request of a process imports and compiles
            seconds, cpu, count_, size = fetch(client, url)
            print(
                f"{label:<24} {seconds:>8.2f} {cpu:>6.2f} {count_:>8} {size / 1024 / 1024:>7.1f} "
                f"{peak(client, url):>8.1f}  {load()}"
            )
        from django.core.files.storage import default_storage

        from kzai.jobs.services import job_run, job_start
        from registry.jobs import EXPORT_SYSTEMS

        job = job_start(membership=bench.membership, kind=EXPORT_SYSTEMS, params={"query": "format=xlsx"})
        queries[0] = 0
        start, cpu = time.perf_counter(), time.process_time()
        with connection.execute_wrapper(count):
            job = job_run(job_id=job.pk)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        assert job.status == "succeeded", job.error
        default_storage.delete(job.result["path"])
        print(
            f"{'XLSX as a job':<24} {seconds:>8.2f} {cpu:>6.2f} {queries[0]:>8} "
            f"{job.result['size'] / 1024 / 1024:>7.1f} {'':>8}  {load()}"
        )
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"process peak resident size: {rss:.0f} MB")
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
