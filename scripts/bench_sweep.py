"""Benchmark of the daily reminder sweep: 100,000 deadlines across 1,000 organizations.

    DATABASE_URL=postgres://…/scratch python -m scripts.bench_sweep [--orgs 1000] [--deadlines 100000]

Seeds with bulk_create (benchmark data only: the activity log is deliberately bypassed), then times
one full sweep (reminders, digests, and e-mails to Django's in-memory backend) and a second,
idempotent run. Run it against a scratch database: its own earlier data (slugs "bench-sweep-…") is
removed first; the other benchmarks' organisations ("bench-1000", …) are left alone.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=1000)
    parser.add_argument("--deadlines", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kzai.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection

    from kzai.accounts.models import Membership, Organization, User
    from kzai.core.roles import Role
    from kzai.deadlines.models import Deadline, DeadlineKind, Notification
    from kzai.deadlines.reminders import reminder_sweep, sweep_today

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor} {settings.DATABASES['default']['NAME']}")

    old = Organization.objects.filter(slug__startswith="bench-sweep-")
    for model, lookup in (
        (Notification, "organization__in"),
        (Deadline, "organization__in"),
        (Membership, "organization__in"),
    ):
        model.objects.filter(**{lookup: old})._raw_delete(connection.alias)
    User.objects.filter(email__endswith="@bench.kz")._raw_delete(connection.alias)
    old._raw_delete(connection.alias)

    rng = random.Random(args.seed)
    today = sweep_today()
    started = time.perf_counter()
    orgs = Organization.objects.bulk_create(
        [Organization(name=f"Bench {i}", slug=f"bench-sweep-{i:05d}") for i in range(args.orgs)]
    )
    users = User.objects.bulk_create(
        [
            User(email=f"u{i}-{j}@bench.kz", password="!", notify_by_email=(j != 2))
            for i in range(args.orgs)
            for j in range(3)
        ]
    )
    roles = (Role.OFFICER, Role.CONTRIBUTOR, Role.CONTRIBUTOR)
    memberships = Membership.objects.bulk_create(
        [
            Membership(user=users[i * 3 + j], organization=org, role=roles[j])
            for i, org in enumerate(orgs)
            for j in range(3)
        ]
    )
    org_ct = ContentType.objects.get_for_model(Organization)
    kinds = [
        DeadlineKind.RISK_REVIEW,
        DeadlineKind.OBLIGATION,
        DeadlineKind.MEASURE,
        DeadlineKind.DOCUMENT_EXPIRY,
    ]
    batch = []
    for n in range(args.deadlines):
        index = n % args.orgs
        batch.append(
            Deadline(
                organization=orgs[index],
                kind=rng.choice(kinds),
                title=f"Bench deadline {n}",
                due_on=today + datetime.timedelta(days=rng.randint(-60, 300)),
                responsible=memberships[index * 3 + rng.randint(0, 2)],
                content_type=org_ct,
                object_id=f"b{n}",
                completed_at=None if rng.random() > 0.1 else django.utils.timezone.now(),
            )
        )
        if len(batch) == 10_000:
            Deadline.objects.bulk_create(batch)
            batch = []
    Deadline.objects.bulk_create(batch)
    print(
        f"seeded {args.orgs} organizations, {args.deadlines} deadlines "
        f"in {time.perf_counter() - started:.1f} s"
    )

    started = time.perf_counter()
    first = reminder_sweep(today=today)
    elapsed = time.perf_counter() - started
    print(
        f"sweep 1: {elapsed:.2f} s — {first.deadlines_seen} open deadlines in sight, "
        f"{first.reminders_created} reminders, {first.digests_created} digests, {first.emails_sent} e-mails"
    )
    started = time.perf_counter()
    second = reminder_sweep(today=today)
    print(
        f"sweep 2 (idempotent): {time.perf_counter() - started:.2f} s — "
        f"{second.reminders_created} new reminders, "
        f"{second.emails_sent} e-mails"
    )


if __name__ == "__main__":
    main()
