"""References to other objects never cross the tenant boundary, and never reveal that they exist.

Every API field that takes an id is a `kzai.core.api.fields.TenantRelatedField` (checked for all
serializers), and for every such field a POST/PATCH with an id of another organization, of a member
who left, or of a system an auditor was not granted is answered exactly like an id that does not
exist.
"""

from __future__ import annotations

import importlib
import json

import pytest
from django.urls import reverse
from rest_framework import serializers
from rest_framework.relations import ManyRelatedField, RelatedField

from kzai.accounts.models import Membership
from kzai.core.api.fields import TenantRelatedField
from kzai.core.roles import Role
from registry.models import AISystem, DataLibrary, Party
from risk.models import Risk
from tests.factories import (
    AISystemFactory,
    DataLibraryFactory,
    MembershipFactory,
    PartyFactory,
    RiskFactory,
    system_with_obligations,
)

SERIALIZER_MODULES = (
    "kzai.accounts.api.serializers",
    "kzai.accounts.api.views",
    "kzai.activity.api.serializers",
    "kzai.deadlines.api.serializers",
    "registry.api.serializers",
    "risk.api.serializers",
    "risk.risk_management.api.serializers",
)


def _all_serializers():
    found = []
    for name in SERIALIZER_MODULES:
        module = importlib.import_module(name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, serializers.Serializer)
                and value.__module__ == name
            ):
                found.append(value)
    return found


@pytest.mark.parametrize("serializer_class", _all_serializers(), ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_every_writable_reference_is_tenant_scoped(serializer_class):
    serializer = serializer_class(context={})
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        relation = field.child_relation if isinstance(field, ManyRelatedField) else field
        if isinstance(relation, RelatedField):
            assert isinstance(relation, TenantRelatedField), (
                f"{serializer_class.__name__}.{name} takes ids without tenant scoping: use TenantRelatedField"
            )


def _missing_pk(model):
    last = model._base_manager.order_by("-pk").values_list("pk", flat=True).first() or 0
    return last + 100_000


def _body(response, pk):
    return json.dumps(response.json(), sort_keys=True).replace(str(pk), "<id>")


def assert_rejected_like_missing(client, method, url, payload, field, foreign_pk, model, many=False):
    """The foreign id is refused with the very body a non-existent id gets."""
    missing_pk = _missing_pk(model)
    bodies = []
    for pk in (foreign_pk, missing_pk):
        response = getattr(client, method)(url, {**payload, field: [pk] if many else pk}, format="json")
        assert response.status_code == 400, (field, response.status_code, response.content)
        assert field in response.json(), response.json()
        bodies.append(_body(response, pk))
    assert bodies[0] == bodies[1]


@pytest.fixture
def admin_client(org, make_member, api_for):
    return api_for(make_member(Role.ADMIN))


def _foreign(model, other_org):
    return {
        AISystem: lambda: AISystemFactory(organization=other_org),
        Party: lambda: PartyFactory(organization=other_org),
        DataLibrary: lambda: DataLibraryFactory(organization=other_org),
        Risk: lambda: RiskFactory(system=AISystemFactory(organization=other_org)),
        Membership: lambda: MembershipFactory(organization=other_org, role=Role.OFFICER),
    }[model]()


CREATE_CASES = [
    # (url name, payload builder(org), field, model, many)
    (
        "party-link-list",
        lambda org: {"role": "integrator", "party": PartyFactory(organization=org).pk},
        "system",
        AISystem,
        False,
    ),
    (
        "party-link-list",
        lambda org: {"role": "integrator", "system": AISystemFactory(organization=org).pk},
        "party",
        Party,
        False,
    ),
    (
        "component-list",
        lambda org: {"name": "LLM", "system": AISystemFactory(organization=org).pk},
        "provider_party",
        Party,
        False,
    ),
    ("component-list", lambda org: {"name": "LLM"}, "system", AISystem, False),
    ("data-library-list", lambda org: {"name": "Transcripts", "source": "own"}, "producer", Party, False),
    (
        "data-library-use-list",
        lambda org: {"purpose": "training", "system": AISystemFactory(organization=org).pk},
        "library",
        DataLibrary,
        False,
    ),
    (
        "data-library-use-list",
        lambda org: {"purpose": "training", "library": DataLibraryFactory(organization=org).pk},
        "system",
        AISystem,
        False,
    ),
    (
        "system-list",
        lambda org: {
            "code": "X-1",
            "name": "X",
            "intended_purpose": "x",
            "organization_role": "owner",
            "sector": "banking",
        },
        "responsible_officer",
        Membership,
        False,
    ),
    (
        "system-list",
        lambda org: {
            "code": "X-2",
            "name": "X",
            "intended_purpose": "x",
            "organization_role": "owner",
            "sector": "banking",
        },
        "technical_owner",
        Membership,
        False,
    ),
    (
        "register-risk-list",
        lambda org: {"title": "Bias", "category": "bias", "likelihood": 3, "severity": 3},
        "system",
        AISystem,
        False,
    ),
    (
        "register-risk-list",
        lambda org: {
            "title": "Bias",
            "system": AISystemFactory(organization=org).pk,
            "likelihood": 3,
            "severity": 3,
        },
        "owner",
        Membership,
        False,
    ),
    (
        "register-measure-list",
        lambda org: {"title": "Human review", "kind": "organisational"},
        "system",
        AISystem,
        False,
    ),
    (
        "register-measure-list",
        lambda org: {
            "title": "Human review",
            "kind": "organisational",
            "system": AISystemFactory(organization=org).pk,
        },
        "risks",
        Risk,
        True,
    ),
    (
        "register-risk-fromcatalogue",
        lambda org: {"risk_keys": ["prompt-injection"]},
        "system",
        AISystem,
        False,
    ),
    ("review-list", lambda org: {}, "system", AISystem, False),
    (
        "classification-list",
        lambda org: {"disruption_impact": "minimal", "autonomy": "recommends"},
        "system",
        AISystem,
        False,
    ),
    ("screening-list", lambda org: {"answers": {}}, "system", AISystem, False),
]


@pytest.mark.parametrize(
    ("url_name", "payload", "field", "model", "many"),
    CREATE_CASES,
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_create_with_another_organizations_id_is_like_a_missing_id(
    url_name, payload, field, model, many, org, other_org, admin_client
):
    foreign = _foreign(model, other_org)
    assert_rejected_like_missing(
        admin_client, "post", reverse(url_name), payload(org), field, foreign.pk, model, many
    )


@pytest.mark.parametrize(
    ("url_name", "payload", "field", "model", "many"),
    [c for c in CREATE_CASES if c[3] is Membership],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_a_member_who_left_cannot_be_made_responsible(
    url_name, payload, field, model, many, org, admin_client
):
    left = MembershipFactory(organization=org, role=Role.OFFICER, is_active=False)
    assert_rejected_like_missing(
        admin_client, "post", reverse(url_name), payload(org), field, left.pk, model, many
    )


def test_update_references_stay_in_the_organization(org, other_org, admin_client):
    from risk.risk_management.services import review_schedule_sync

    system = system_with_obligations(org)
    obligation = system.obligations.first()
    url = reverse("obligation-detail", args=[obligation.pk])
    foreign_member = _foreign(Membership, other_org)
    assert_rejected_like_missing(admin_client, "patch", url, {}, "responsible", foreign_member.pk, Membership)
    schedule = review_schedule_sync(system=system)
    if schedule is not None:
        url = reverse("review-schedule-detail", args=[schedule.pk])
        assert_rejected_like_missing(
            admin_client, "patch", url, {}, "reviewer", foreign_member.pk, Membership
        )
    obligation.refresh_from_db()
    assert obligation.responsible_id is None


def test_auditor_grant_set_refuses_other_organizations_systems_like_unknown_ones(
    org, other_org, make_member, admin_client
):
    auditor = make_member(Role.AUDITOR)
    foreign = AISystemFactory(organization=other_org)
    url = reverse("member-systems", args=[auditor.pk])
    bodies = []
    for pk in (foreign.pk, _missing_pk(AISystem)):
        response = admin_client.put(url, {"systems": [pk]}, format="json")
        assert response.status_code == 400
        bodies.append(_body(response, pk))
    assert bodies[0] == bodies[1]
