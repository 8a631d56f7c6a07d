"""Time the whole daily Celery task at 10,000 systems and 100,000 deadlines: `python -m scripts.bench_daily`.

    DATABASE_URL=postgres://…/kzai_bench python -m scripts.bench_daily [--systems 10000] [--deadlines 100000]

The task is `deadlines.daily_sweep` as beat sends it: every registered daily handler (the review
schedules, stale uploads, stale jobs…), then the reminder sweep and its e-mails (to Django's
in-memory backend). It is run twice: the first run after seeding, then the next day's run with
nothing changed (what a bank sees every morning). Each run prints seconds, query count and the load
average of the machine, and each handler's share.

Runs on PostgreSQL only (refuses SQLite), in a dedicated database whose name contains "bench",
which it drops and creates again (an activity log is append-only: an earlier run cannot be deleted
otherwise) and migrates; the data is seeded with bulk_create (benchmark data: the activity log is
deliberately bypassed), committed and ANALYZEd so the planner sees real statistics. Half the
systems are in operation with a review schedule, an open review and a review deadline as
`review_schedule_sync` makes them; one in a hundred was classified "yesterday" and still owes its
first review (the refresh's real work); the other deadlines (obligations, measures, documents)
make up the total.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import time

SLUG = "bench-daily-"
MAIL = "@bench-daily.kz"


def _load() -> str:
    return "load {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--systems", type=int, default=10_000)
    parser.add_argument("--deadlines", type=int, default=100_000)
    parser.add_argument("--orgs", type=int, default=1, help="organizations sharing the systems")
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kzai.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("bench_daily measures PostgreSQL: set DATABASE_URL to a dedicated bench database.")
    name = settings.DATABASES["default"]["NAME"]
    if "bench" not in name:
        raise SystemExit(f"bench_daily drops and seeds its database: name it …bench…, not {name!r}.")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    print(f"database: postgresql {name} (recreated); {args.systems} systems, {args.deadlines} deadlines")
    started = time.perf_counter()
    _recreate_database(settings)
    call_command("migrate", verbosity=0)
    _seed(args)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"seeded and analysed in {time.perf_counter() - started:.1f} s ({_load()})")
    for label in ("run 1 (after seeding)", "run 2 (next day, nothing changed)"):
        _run(label)


def _recreate_database(settings) -> None:
    """Drop and create the bench database (its activity log is append-only: rows of an earlier run
    cannot be deleted), from the server's maintenance database."""
    import psycopg2
    from django.db import connection

    db = settings.DATABASES["default"]
    connection.close()
    server = psycopg2.connect(
        dbname="postgres",
        user=db["USER"],
        password=db["PASSWORD"],
        host=db["HOST"],
        port=db["PORT"] or None,
    )
    server.autocommit = True
    try:
        with server.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}"')
            cursor.execute(f'CREATE DATABASE "{db["NAME"]}"')
    finally:
        server.close()


def _seed(args) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from kzai.accounts.models import Membership, Organization, User
    from kzai.core.roles import Role
    from kzai.deadlines.models import Deadline, DeadlineKind
    from kzai.deadlines.reminders import sweep_today
    from registry.choices import LifecycleStage
    from registry.models import AISystem
    from risk.models import Review, ReviewSchedule
    from risk.risk_management.services import review_due_on

    rng = random.Random(args.seed)
    now = timezone.now()
    today = sweep_today()
    orgs = Organization.objects.bulk_create(
        [Organization(name=f"Bench daily {i}", slug=f"{SLUG}{i:04d}") for i in range(args.orgs)]
    )
    roles = (Role.ADMIN, Role.OFFICER, Role.OFFICER, Role.CONTRIBUTOR, Role.CONTRIBUTOR, Role.AUDITOR)
    users = User.objects.bulk_create(
        [
            User(email=f"u{i}-{j}{MAIL}", password="!", notify_by_email=j != 4)
            for i in range(args.orgs)
            for j in range(len(roles))
        ]
    )
    members = Membership.objects.bulk_create(
        [
            Membership(user=users[i * len(roles) + j], organization=org, role=role)
            for i, org in enumerate(orgs)
            for j, role in enumerate(roles)
        ]
    )
    officers = {
        org.pk: [m for m in members if m.organization_id == org.pk and m.role == Role.OFFICER] for org in orgs
    }
    systems = []
    for n in range(args.systems):
        org = orgs[n % args.orgs]
        in_operation = n % 2 == 0
        classified = in_operation and rng.random() < 0.9
        first = now - datetime.timedelta(days=rng.randint(1, 700)) if classified else None
        systems.append(
            AISystem(
                organization=org,
                code=f"D-{n:05d}",
                name=f"Bench system {n:05d}",
                intended_purpose="Benchmark row.",
                organization_role="owner",
                sector="banking",
                lifecycle_stage=LifecycleStage.IN_OPERATION if in_operation else LifecycleStage.DEVELOPMENT,
                responsible_officer=rng.choice(officers[org.pk]),
                risk_level="medium" if classified else "",
                classified_at=first,
                first_classified_at=first,
            )
        )
    AISystem.objects.bulk_create(systems, batch_size=2000)
    operating = [s for s in systems if s.lifecycle_stage == LifecycleStage.IN_OPERATION]
    # One in a hundred was first classified yesterday: its schedule does not know it yet.
    yesterday = {s.pk for s in operating[::100]}
    AISystem.objects.filter(pk__in=yesterday).update(
        first_classified_at=now - datetime.timedelta(days=1), classified_at=now - datetime.timedelta(days=1)
    )
    schedules = []
    for system in operating:
        schedule = ReviewSchedule(organization_id=system.organization_id, system=system)
        if system.pk not in yesterday:
            schedule.next_due_on = review_due_on(schedule)
        schedules.append(schedule)
    ReviewSchedule.objects.bulk_create(schedules, batch_size=2000)
    due = [s for s in schedules if s.next_due_on is not None]
    reviews = Review.objects.bulk_create(
        [Review(organization_id=s.organization_id, system=s.system, due_on=s.next_due_on) for s in due],
        batch_size=2000,
    )
    schedule_type = ContentType.objects.get_for_model(ReviewSchedule)
    deadlines = [
        Deadline(
            organization_id=s.organization_id,
            content_type=schedule_type,
            object_id=str(s.pk),
            kind=DeadlineKind.RISK_REVIEW,
            title=_("Annual risk review: %(system)s") % {"system": s.system.name},
            due_on=s.next_due_on,
            responsible=s.system.responsible_officer,
            system=s.system,
            url=reverse("risk:review_detail", args=[review.pk]),
        )
        for s, review in zip(due, reviews, strict=True)
    ]
    Deadline.objects.bulk_create(deadlines, batch_size=5000)
    kinds = (DeadlineKind.OBLIGATION, DeadlineKind.MEASURE, DeadlineKind.DOCUMENT_EXPIRY)
    system_type = ContentType.objects.get_for_model(AISystem)
    batch = []
    for n in range(max(0, args.deadlines - len(deadlines))):
        system = systems[n % len(systems)]
        batch.append(
            Deadline(
                organization_id=system.organization_id,
                content_type=system_type,
                object_id=f"{system.pk}-{n}",
                kind=rng.choice(kinds),
                title=f"{system.code}: bench deadline {n}",
                due_on=today + datetime.timedelta(days=rng.randint(-60, 400)),
                responsible=system.responsible_officer,
                system=system,
                completed_at=now if rng.random() < 0.2 else None,
            )
        )
        if len(batch) == 10_000:
            Deadline.objects.bulk_create(batch)
            batch = []
    Deadline.objects.bulk_create(batch)
    print(
        f"seeded {len(systems)} systems ({len(operating)} in operation, {len(yesterday)} classified "
        f"yesterday), {len(deadlines) + args.deadlines - len(deadlines)} deadlines"
    )


def _run(label: str) -> None:
    from django.db import connection

    from kzai.deadlines import handlers
    from kzai.deadlines.tasks import daily_sweep

    queries = [0]
    shares: dict[str, tuple[float, int]] = {}

    def count(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    def timed(key, handler):
        def run():
            before, start = queries[0], time.perf_counter()
            result = handler()
            shares[key] = (time.perf_counter() - start, queries[0] - before)
            return result

        return run

    registered = handlers.daily_handlers()
    for key, handler in registered.items():
        handlers.register_daily_handler(key, timed(key, handler))
    try:
        start = time.perf_counter()
        with connection.execute_wrapper(count):
            result = daily_sweep.apply().get()
        elapsed = time.perf_counter() - start
    finally:
        for key, handler in registered.items():
            handlers.register_daily_handler(key, handler)
    print(f"{label}: {elapsed:.1f} s, {queries[0]} queries ({_load()})")
    for key, (seconds, count_) in shares.items():
        print(f"    handler {key:<24} {seconds:>7.2f} s {count_:>8} queries → {result.get(key)}")
    handler_seconds = sum(s for s, _q in shares.values())
    handler_queries = sum(q for _s, q in shares.values())
    print(
        f"    reminder sweep and e-mails   {elapsed - handler_seconds:>7.2f} s "
        f"{queries[0] - handler_queries:>8} queries → "
        f"{result.get('deadlines_seen')} open deadlines in sight, "
        f"{result.get('reminders_created')} reminders, {result.get('digests_created')} digests, "
        f"{result.get('emails_sent')} e-mails"
    )


if __name__ == "__main__":
    main()
