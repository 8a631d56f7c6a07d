"""Time the register's export of 10,000 systems, CSV and XLSX: `python -m scripts.bench_export`.

Seeds a throwaway organization (systems with tags and two parties each, bulk_create: benchmark data)
inside one transaction that is rolled back at the end, so the database is left as it was (run
`manage.py migrate` first). Each export is fetched through the page a member uses (the whole
streamed body is read) and prints seconds, queries and the load average; it is then fetched again
under tracemalloc for the peak of Python memory while it streams (the process's peak resident size
is printed too). The XLSX is built while the person waits here (the limit above which it runs as a
background job is raised for the benchmark), then once through the background job.
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
    from django.test import Client
    from django.urls import reverse

    from kzai.accounts.middleware import SESSION_KEY
    from kzai.accounts.models import Membership, Organization, User
    from kzai.core.roles import Role
    from registry.models import AISystem, Party, SystemPartyLink, Tag

    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.KZAI_EXPORT_BACKGROUND_ROWS = args.systems + 1
    queries = [0]

    def count(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    def fetch(client, url) -> tuple[float, int, int]:
        queries[0] = 0
        start = time.perf_counter()
        with connection.execute_wrapper(count):
            response = client.get(url)
            assert response.status_code == 200, response.status_code
            size = sum(len(part) for part in response) if response.streaming else len(response.content)
        return time.perf_counter() - start, queries[0], size

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
        stamp = time.time_ns()
        organization = Organization.objects.create(name="Benchmark bank", slug=f"bench-{stamp}")
        user = User.objects.create_user(email=f"bench-{stamp}@example.kz", password="x" * 12)
        membership = Membership.objects.create(user=user, organization=organization, role=Role.OFFICER)
        tags = Tag.objects.bulk_create([Tag(organization=organization, name=f"tag-{i}") for i in range(20)])
        parties = Party.objects.bulk_create(
            [Party(organization=organization, name=f"Vendor {i}", kind="legal_entity") for i in range(50)]
        )
        systems = AISystem.objects.bulk_create(
            [
                AISystem(
                    organization=organization,
                    code=f"E-{i:05d}",
                    name=f"System {i:05d}",
                    intended_purpose="Benchmark row.",
                    organization_role="owner",
                    sector="banking",
                    responsible_officer=membership,
                )
                for i in range(args.systems)
            ],
            batch_size=2000,
        )
        AISystem.tags.through.objects.bulk_create(
            [
                AISystem.tags.through(aisystem_id=s.pk, tag_id=tags[(i + j) % len(tags)].pk)
                for i, s in enumerate(systems)
                for j in range(2)
            ],
            batch_size=5000,
        )
        SystemPartyLink.objects.bulk_create(
            [
                SystemPartyLink(
                    organization=organization, system=s, party=parties[(i + j) % len(parties)], role=role
                )
                for i, s in enumerate(systems)
                for j, role in enumerate(("developer", "operator"))
            ],
            batch_size=5000,
        )
        client = Client()
        client.force_login(user)
        session = client.session
        session[SESSION_KEY] = membership.pk
        session.save()
        base = reverse("registry:system_export")
        print(f"{'export':<24} {'seconds':>8} {'queries':>8} {'MB out':>7} {'peak MB':>8}  load")
        for label, url in (
            ("CSV, 10k systems", f"{base}?format=csv"),
            ("XLSX, 10k systems", f"{base}?format=xlsx"),
        ):
            seconds, count_, size = fetch(client, url)
            print(
                f"{label:<24} {seconds:>8.2f} {count_:>8} {size / 1024 / 1024:>7.1f} "
                f"{peak(client, url):>8.1f}  {load()}"
            )
        from django.core.files.storage import default_storage

        from kzai.jobs.services import job_run, job_start
        from registry.jobs import EXPORT_SYSTEMS

        job = job_start(membership=membership, kind=EXPORT_SYSTEMS, params={"query": "format=xlsx"})
        queries[0] = 0
        start = time.perf_counter()
        with connection.execute_wrapper(count):
            job = job_run(job_id=job.pk)
        seconds = time.perf_counter() - start
        assert job.status == "succeeded", job.error
        default_storage.delete(job.result["path"])
        print(
            f"{'XLSX as a job':<24} {seconds:>8.2f} {queries[0]:>8} "
            f"{job.result['size'] / 1024 / 1024:>7.1f} {'':>8}  {load()}"
        )
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"process peak resident size: {rss:.0f} MB")
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
