"""Time the AI-system import of a 10,000-row file: `python -m scripts.bench_import`.

Runs the dry-run job and the commit job the import page starts (as a Celery worker would run them,
in this process), inside one transaction that is rolled back at the end, so the database is left
as it was (run `manage.py migrate` and `load_requirements` first). Prints seconds and queries of
each. Work the commit enqueues for after its transaction (review-schedule tasks) is not part of
the job and is not measured. Foreign keys are checked as rows are written (`SET CONSTRAINTS ALL
IMMEDIATE`), as the job's commit would check them. The file holds more rows than the portal
accepts (5,000): the limit is raised for the benchmark only.
Options: --rows N (default 10000).
"""

from __future__ import annotations

import argparse
import os
import time


def _rows(count: int, email: str) -> bytes:
    header = (
        "code,name,intended_purpose,organization_role,sector,lifecycle_stage,business_unit,"
        "responsible_officer_email,tags,processes_personal_data,profiles_people,decision_role,"
        "deployment,hosting_country,interacts_with_natural_persons,interaction_channel"
    )
    # No row goes straight into operation: a system must be screened for the prohibited capabilities
    # first (Art. 17(3)), which needs it registered; the import refuses such rows.
    stages = ("design", "development", "testing", "development")
    lines = [header]
    for i in range(count):
        lines.append(
            f"BENCH-{i:05d},System {i:05d},Scores applications for the committee,owner,banking,"
            f'{stages[i % 4]},Retail,{email},"credit, retail, batch-{i % 20}",yes,{"yes" if i % 2 else "no"},'
            f"prepares,on_premises,KZ,{'yes' if i % 3 else 'no'},{'chatbot' if i % 3 else ''}"
        )
    return ("\n".join(lines) + "\n").encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kzai.settings")
    import django

    django.setup()
    from django.core.files.base import ContentFile
    from django.db import connection, transaction

    from kzai.accounts.models import Membership, Organization, User
    from kzai.core.roles import Role
    from kzai.jobs.models import Job
    from kzai.jobs.services import job_run, job_start
    from registry import transfer
    from registry.jobs import IMPORT_SYSTEMS
    from registry.models import AISystem

    transfer.MAX_IMPORT_ROWS = max(transfer.MAX_IMPORT_ROWS, args.rows)
    transfer.MAX_IMPORT_BYTES = max(transfer.MAX_IMPORT_BYTES, 400 * args.rows)
    queries = [0]
    # Seconds spent waiting on the database, by statement kind and table (where the time goes).
    waited: dict[str, float] = {}

    def count(execute, sql, params, many, context):
        queries[0] += 1
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            words = sql.split()
            table = next((w for w in words[1:6] if w.startswith('"')), "")
            key = f"{words[0]} {table}"
            waited[key] = waited.get(key, 0.0) + time.perf_counter() - start

    cpu = [0.0]

    def server_cpu() -> float | None:
        """CPU seconds of this connection's PostgreSQL backend, when it runs on this machine."""
        if connection.vendor != "postgresql":
            return None
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def run(job) -> tuple[Job, float, int]:
        queries[0] = 0
        server = server_cpu()
        start, cpu[0] = time.perf_counter(), time.process_time()
        with connection.execute_wrapper(count):
            job = job_run(job_id=job.pk)
        elapsed = time.perf_counter() - start
        server = server_cpu() - server if server is not None else None
        slowest = sorted(waited.items(), key=lambda item: -item[1])[:6]
        waited.clear()
        print("  database waits: " + ", ".join(f"{key} {seconds:.1f} s" for key, seconds in slowest))
        # This process's CPU seconds: less bent by a loaded machine than the wall clock.
        print(
            f"  {job.kind} {'dry run' if job.params.get('dry_run') else 'commit'}: "
            f"{time.process_time() - cpu[0]:.1f} CPU s in this process"
            + (f", {server:.1f} CPU s in the database server" if server is not None else "")
        )
        return job, elapsed, queries[0]

    print(f"database: {connection.vendor}; importing {args.rows} rows (rolled back afterwards)…")
    stored = []
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # The foreign keys are checked when the job commits (they are deferred); this run rolls
            # back instead, so it checks them as each row is written, or their cost would be missed.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        stamp = time.time_ns()
        organization = Organization.objects.create(name="Benchmark bank", slug=f"bench-{stamp}")
        user = User.objects.create_user(email=f"bench-{stamp}@example.kz", password="x" * 12)
        membership = Membership.objects.create(user=user, organization=organization, role=Role.OFFICER)
        content = _rows(args.rows, user.email)
        print(f"file: {len(content) / 1024 / 1024:.1f} MB")
        checked = job_start(
            membership=membership,
            kind=IMPORT_SYSTEMS,
            params={"dry_run": True},
            input_file=ContentFile(content),
            input_name="bench.csv",
        )
        stored.append(checked.input_file.name)
        checked, dry_seconds, dry_queries = run(checked)
        assert checked.status == "succeeded" and checked.result["error_count"] == 0, (
            checked.error,
            [r for r in checked.result.get("rows", []) if r["errors"]][:2],
        )
        committed = job_start(
            membership=membership,
            kind=IMPORT_SYSTEMS,
            params={"dry_run": False, "checked": checked.pk},
            input_from=checked,
        )
        committed, commit_seconds, commit_queries = run(committed)
        assert committed.status == "succeeded", (committed.error, committed.result.get("rows", [])[:1])
        assert AISystem.objects.filter(organization=organization).count() == args.rows
        load = "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
        print(f"{'job':<28} {'seconds':>9} {'queries':>9} {'per row':>8}")
        print(f"{'import dry run':<28} {dry_seconds:>9.1f} {dry_queries:>9} {dry_queries / args.rows:>8.2f}")
        print(
            f"{'import commit':<28} {commit_seconds:>9.1f} {commit_queries:>9} "
            f"{commit_queries / args.rows:>8.2f}"
        )
        total_queries = dry_queries + commit_queries
        print(f"{'total':<28} {dry_seconds + commit_seconds:>9.1f} {total_queries:>9}  (load {load})")
        transaction.set_rollback(True)
    from django.core.files.storage import default_storage

    for name in stored:
        default_storage.delete(name)


if __name__ == "__main__":
    main()
