"""Seed benchmark organisations on PostgreSQL: `python -m scripts.bench_seed --systems 1000 10000`.

Each size gets its own organisation (`bench-<n>`) in the database named by DATABASE_URL, which
should be a dedicated benchmark database: the rows are COMMITTED (so a server process such as
gunicorn sees them) and the tables ANALYZEd (so the planner works from real statistics, as it does
in production). Seeding is idempotent: an organisation already seeded at that size is reused.

Per system, the relations a bank's register has: 3 party links (of 60 parties), 2 tags (of 25),
a responsible officer and a technical owner (of 30 members), one approved classification, about 12
obligations, 2 risks with one measure, a review schedule, deadlines for the obligations with a due
date and the review; every tenth system has a document and a scheduled review.

The rows are written with bulk_create, which sends no signals and so writes no activity log: this
is throwaway benchmark data, never compliance records. Refuses to run on SQLite.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time

BENCH_PASSWORD = "bench-password-not-a-secret"  # noqa: S105 - throwaway benchmark accounts
OBLIGATIONS_PER_SYSTEM = 12


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kzai.settings")
    os.environ.setdefault("STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage")
    import warnings

    import django

    warnings.filterwarnings("ignore", "No directory at")
    django.setup()


def require_postgresql() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit(
            "The benchmark needs PostgreSQL: set DATABASE_URL to a dedicated benchmark database, e.g. "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/kzai_bench (SQLite has no planner "
            "statistics worth measuring and would not be what production runs)."
        )


def prepare_database() -> None:
    """Migrate and load the requirements library (both no-ops when already done)."""
    from django.core.management import call_command

    from risk.models import RequirementLibraryVersion

    call_command("migrate", verbosity=0, interactive=False)
    if not RequirementLibraryVersion.objects.exists():
        call_command("load_requirements", verbosity=0)


def bench_slug(systems: int) -> str:
    return f"bench-{systems}"


def bench_email(systems: int) -> str:
    return f"officer@bench-{systems}.example.kz"


def valid_bin(n: int) -> str:
    from registry.validators import check_digit

    for serial in range(n * 10, n * 10 + 10):
        head = f"15014{serial % 1000000:06d}"
        digit = check_digit(head)
        if digit is not None:
            return head + str(digit)
    raise ValueError(n)


def seeded(systems: int):
    """The organisation seeded at `systems`, or None when it is absent or incomplete."""
    from kzai.accounts.models import Organization
    from kzai.deadlines.models import Deadline
    from registry.models import AISystem

    organization = Organization.objects.filter(slug=bench_slug(systems)).first()
    if organization is None:
        return None
    complete = (
        AISystem.objects.filter(organization=organization).count() == systems
        and Deadline.objects.filter(organization=organization).exists()
    )
    return organization if complete else None


def seed(systems: int):  # noqa: PLR0915 - one straight sequence of bulk inserts reads best
    """Create the organisation of `systems` systems in one transaction (all or nothing)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone

    from kzai.accounts.models import Membership, Organization, User
    from kzai.core.roles import Role
    from kzai.deadlines.models import Deadline, DeadlineKind
    from registry.models import AISystem, Party, SystemPartyLink, Tag
    from risk.models import Classification, Obligation, Requirement, RequirementLibraryVersion
    from risk.risk_management.models import Measure, Review, ReviewSchedule, Risk

    batch = 5000
    now = timezone.now()
    today = timezone.localdate()
    version = RequirementLibraryVersion.objects.order_by("-loaded_at", "-id").first()
    requirements = list(Requirement.objects.filter(library_version=version).order_by("order", "id"))
    sectors = ["banking", "insurance", "telecom", "ecommerce", "healthcare", "other"]
    stages = ["design", "development", "testing", "in_operation", "in_operation", "in_operation"]
    levels = ["minimal", "medium", "high"]
    categories = ["safety", "information_security", "personal_data", "discrimination", "accuracy"]
    statuses = ["not_started", "in_progress", "met", "met", "not_started", "not_applicable"]

    with transaction.atomic():
        organization = Organization.objects.create(
            name=f"Benchmark bank ({systems})", slug=bench_slug(systems)
        )
        officer = User.objects.create_user(email=bench_email(systems), password=BENCH_PASSWORD)
        users = User.objects.bulk_create(
            [User(email=f"member-{i}@bench-{systems}.example.kz", password="!") for i in range(29)]
        )
        members = [Membership.objects.create(user=officer, organization=organization, role=Role.OFFICER)]
        members += Membership.objects.bulk_create(
            [
                Membership(
                    user=user, organization=organization, role=Role.CONTRIBUTOR if i % 3 else Role.OFFICER
                )
                for i, user in enumerate(users)
            ]
        )
        tags = Tag.objects.bulk_create(
            [Tag(organization=organization, name=f"Tag {i:02d}") for i in range(25)]
        )
        parties = Party.objects.bulk_create(
            [
                Party(
                    organization=organization,
                    name=f"Vendor {i:02d} LLP",
                    kind="legal_entity",
                    identifier=valid_bin(systems + i),
                )
                for i in range(60)
            ]
        )
        system_rows = AISystem.objects.bulk_create(
            [
                AISystem(
                    organization=organization,
                    code=f"SYS-{i:05d}",
                    name=f"{['Credit', 'Fraud', 'Chat', 'Vision', 'Churn'][i % 5]} model {i:05d}",
                    description=f"Benchmark system number {i} of the {sectors[i % 6]} line.",
                    intended_purpose="Scores applications and flags unusual transactions.",
                    business_unit=f"Unit {i % 40}",
                    responsible_officer=members[i % len(members)],
                    technical_owner=members[(i + 7) % len(members)],
                    lifecycle_stage=stages[i % len(stages)],
                    organization_role="owner",
                    sector=sectors[i % len(sectors)],
                    processes_personal_data=bool(i % 2),
                    profiles_people=bool(i % 3 == 0),
                    risk_level=levels[i % 3],
                    autonomy_level="medium",
                    classified_at=now,
                    first_classified_at=now,
                )
                for i in range(systems)
            ],
            batch_size=batch,
        )
        through = AISystem.tags.through
        through.objects.bulk_create(
            [
                through(aisystem_id=s.pk, tag_id=tags[(i + k * 11) % len(tags)].pk)
                for i, s in enumerate(system_rows)
                for k in range(2)
            ],
            batch_size=batch,
        )
        SystemPartyLink.objects.bulk_create(
            [
                SystemPartyLink(
                    organization=organization,
                    system_id=s.pk,
                    party=parties[(i + k * 17) % len(parties)],
                    role=["developer", "supplier", "hosting_provider"][k],
                    contract_expires_on=today + datetime.timedelta(days=(i % 700)),
                )
                for i, s in enumerate(system_rows)
                for k in range(3)
            ],
            batch_size=batch,
        )
        Classification.objects.bulk_create(
            [
                Classification(
                    organization=organization,
                    system_id=s.pk,
                    questionnaire_version="1",
                    library_version=version,
                    status="approved",
                    disruption_impact="reduced_efficiency",
                    autonomy="recommends",
                    suggested_risk_level=levels[i % 3],
                    suggested_autonomy_level="medium",
                    rationale="Benchmark classification.",
                    declared_risk_level=levels[i % 3],
                    declared_autonomy_level="medium",
                    prepared_by=members[0],
                    approved_by=members[0],
                    approved_at=now,
                )
                for i, s in enumerate(system_rows)
            ],
            batch_size=batch,
        )
        obligations = []
        for i, s in enumerate(system_rows):
            for k in range(OBLIGATIONS_PER_SYSTEM):
                requirement = requirements[(i + k * 3) % len(requirements)] if k else requirements[0]
                status = statuses[(i + k) % len(statuses)]
                obligations.append(
                    Obligation(
                        organization=organization,
                        system_id=s.pk,
                        requirement=requirement,
                        code=requirement.code,
                        library_version=version,
                        status=status,
                        not_applicable_reason="Not used for people." if status == "not_applicable" else "",
                        responsible=members[(i + k) % len(members)],
                        due_on=today + datetime.timedelta(days=(i * 7 + k * 31) % 400 - 30)
                        if k % 3 == 0
                        else None,
                        met_on=today if status == "met" else None,
                    )
                )
        # The same requirement twice for a system would break the unique constraint.
        unique = {}
        for obligation in obligations:
            unique.setdefault((obligation.system_id, obligation.code), obligation)
        obligations = Obligation.objects.bulk_create(list(unique.values()), batch_size=batch)
        risks = Risk.objects.bulk_create(
            [
                Risk(
                    organization=organization,
                    system_id=s.pk,
                    title=f"{categories[(i + k) % 5].replace('_', ' ').capitalize()} risk {i}-{k}",
                    category=categories[(i + k) % 5],
                    likelihood=1 + (i + k) % 5,
                    severity=1 + (i * 3 + k) % 5,
                    inherent_score=(1 + (i + k) % 5) * (1 + (i * 3 + k) % 5),
                    owner=members[(i + k) % len(members)],
                    status="assessed",
                )
                for i, s in enumerate(system_rows)
                for k in range(2)
            ],
            batch_size=batch,
        )
        measures = Measure.objects.bulk_create(
            [
                Measure(
                    organization=organization,
                    system_id=s.pk,
                    title=f"Control {i}",
                    kind="technical" if i % 2 else "organisational",
                    owner=members[i % len(members)],
                    due_on=today + datetime.timedelta(days=i % 300),
                    status="planned",
                )
                for i, s in enumerate(system_rows)
            ],
            batch_size=batch,
        )
        measure_risks = Measure.risks.through
        measure_risks.objects.bulk_create(
            [
                measure_risks(measure_id=m.pk, risk_id=risks[2 * i + k].pk)
                for i, m in enumerate(measures)
                for k in range(2)
            ],
            batch_size=batch,
        )
        in_operation = [s for s in system_rows if s.lifecycle_stage == "in_operation"]
        schedules = ReviewSchedule.objects.bulk_create(
            [
                ReviewSchedule(
                    organization=organization,
                    system_id=s.pk,
                    next_due_on=today + datetime.timedelta(days=30 + i % 330),
                    reviewer=members[i % len(members)],
                )
                for i, s in enumerate(in_operation)
            ],
            batch_size=batch,
        )
        Review.objects.bulk_create(
            [
                Review(
                    organization=organization, system_id=s.pk, due_on=today + datetime.timedelta(days=i % 90)
                )
                for i, s in enumerate(system_rows[::10])
            ],
            batch_size=batch,
        )
        obligation_type = ContentType.objects.get_for_model(Obligation)
        schedule_type = ContentType.objects.get_for_model(ReviewSchedule)
        Deadline.objects.bulk_create(
            [
                Deadline(
                    organization=organization,
                    kind=DeadlineKind.OBLIGATION,
                    title=f"{o.code}",
                    due_on=o.due_on,
                    responsible_id=o.responsible_id,
                    system_id=o.system_id,
                    content_type=obligation_type,
                    object_id=str(o.pk),
                    completed_at=now if o.status == "met" else None,
                )
                for o in obligations
                if o.due_on
            ]
            + [
                Deadline(
                    organization=organization,
                    kind=DeadlineKind.RISK_REVIEW,
                    title="Annual risk review",
                    due_on=r.next_due_on,
                    responsible_id=r.reviewer_id,
                    system_id=r.system_id,
                    content_type=schedule_type,
                    object_id=str(r.pk),
                )
                for r in schedules
            ],
            batch_size=batch,
        )
        seed_documents(organization, system_rows[::10], members[0])
    return organization


def seed_documents(organization, systems, author) -> None:
    from documents.models import Document

    documents = Document.objects.bulk_create(
        [
            Document(organization=organization, title=f"Model card {s.code}", items=["model_card"])
            for s in systems
        ]
    )
    through = Document.systems.through
    through.objects.bulk_create(
        [through(document_id=d.pk, aisystem_id=s.pk) for d, s in zip(documents, systems, strict=True)]
    )


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        # VACUUM too: it marks the pages all-visible, so counts are index-only scans, as they are
        # in production once autovacuum has run.
        cursor.execute("VACUUM ANALYZE")


def ensure(sizes: list[int], *, log=print) -> dict[int, object]:
    """The organisation of each size, seeded when missing; VACUUM ANALYZE every time: the benchmarks
    that run before (`make bench`: the import, the sweep…) roll back large transactions, whose dead
    rows and trigram-index entries autovacuum would have cleared on a server by the time of the next
    request (left there, the planner reads the register's search as a sequential scan)."""
    organizations = {}
    for size in sizes:
        organization = seeded(size)
        if organization is None:
            start = time.perf_counter()
            organization = seed(size)
            log(f"seeded {size} systems in {time.perf_counter() - start:.1f} s")
        else:
            log(f"reusing the organisation seeded with {size} systems")
        organizations[size] = organization
    analyze()
    return organizations


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--systems", type=int, nargs="+", default=[1000, 10_000])
    args = parser.parse_args()
    setup_django()
    require_postgresql()
    prepare_database()
    ensure(args.systems)


if __name__ == "__main__":
    main()
