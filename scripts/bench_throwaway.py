"""The throwaway register that `bench_registry` and `bench_export` measure: one organization, its
officer, and N systems with tags and parties, written with bulk_create inside the caller's
transaction, which rolls it back (benchmark rows, never compliance records: no activity log).

Unlike `bench_seed` (kept, committed organizations for the lists through gunicorn), this needs no
dedicated database: the caller measures and rolls back, leaving the database as it was.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from scripts.bench_seed import valid_bin


@dataclass
class Throwaway:
    organization: object
    user: object
    membership: object


def throwaway_register(
    systems: int,
    *,
    code_prefix: str,
    tags: int = 20,
    parties: int = 50,
    roles: tuple[str, ...] = ("developer", "operator"),
    sectors: tuple[str, ...] = ("banking",),
) -> Throwaway:
    """Seed `systems` systems: each with two of `tags` tags, one link per role in `roles` to
    different parties of `parties`, the officer responsible, and a sector taken in turn from
    `sectors`. Must run inside a transaction the caller rolls back."""
    from kzai.accounts.models import Membership, Organization, User
    from kzai.core.roles import Role
    from registry.models import AISystem, Party, SystemPartyLink, Tag

    stamp = time.time_ns()
    organization = Organization.objects.create(name="Benchmark bank", slug=f"bench-{stamp}")
    user = User.objects.create_user(email=f"bench-{stamp}@example.kz", password="x" * 12)
    membership = Membership.objects.create(user=user, organization=organization, role=Role.OFFICER)
    tag_rows = Tag.objects.bulk_create([Tag(organization=organization, name=f"tag-{i}") for i in range(tags)])
    party_rows = Party.objects.bulk_create(
        [
            Party(organization=organization, name=f"Vendor {i}", kind="legal_entity", identifier=valid_bin(i))
            for i in range(parties)
        ]
    )
    system_rows = AISystem.objects.bulk_create(
        [
            AISystem(
                organization=organization,
                code=f"{code_prefix}-{i:05d}",
                name=f"System {i:05d}",
                intended_purpose="Benchmark row.",
                organization_role="owner",
                sector=sectors[i % len(sectors)],
                responsible_officer=membership,
            )
            for i in range(systems)
        ],
        batch_size=2000,
    )
    if tag_rows:
        AISystem.tags.through.objects.bulk_create(
            [
                AISystem.tags.through(aisystem_id=s.pk, tag_id=tag_rows[(i + j) % len(tag_rows)].pk)
                for i, s in enumerate(system_rows)
                for j in range(min(2, len(tag_rows)))
            ],
            batch_size=5000,
        )
    SystemPartyLink.objects.bulk_create(
        [
            SystemPartyLink(
                organization=organization, system=s, party=party_rows[(i + j) % len(party_rows)], role=role
            )
            for i, s in enumerate(system_rows)
            for j, role in enumerate(roles)
        ],
        batch_size=5000,
    )
    return Throwaway(organization=organization, user=user, membership=membership)


def signed_in(bench: Throwaway):
    """A test client signed in as the throwaway officer, in its organization."""
    from django.test import Client

    from kzai.accounts.middleware import SESSION_KEY

    client = Client()
    client.force_login(bench.user)
    session = client.session
    session[SESSION_KEY] = bench.organization.pk  # the middleware's key holds the organization's id
    session.save()
    return client
