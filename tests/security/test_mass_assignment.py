"""No API client can set what only the portal sets: the organization, classification results,
approvals, sign-offs, snapshots, scores, timestamps, statuses that only a service may write.

Every endpoint with a create or update payload in the tenancy suite is replayed with forged values
for every such field the model has; the stored object must not carry any of them.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from kzai.core.roles import Role
from tests import tenancy
from tests.core.test_coverage import _import_all_test_modules

_import_all_test_modules()

FORGED = {
    "organization": "other_org",
    "is_prohibited": True,
    "risk_level": "high",
    "autonomy_level": "high",
    "classified_at": "2000-01-01T00:00:00Z",
    "first_classified_at": "2000-01-01T00:00:00Z",
    "classification_stale": True,
    "approved_by": "member",
    "approved_at": "2000-01-01T00:00:00Z",
    "prepared_by": "member",
    "performed_by": "member",
    "signed_off_by": "member",
    "added_by": "member",
    "reviewed_by": "member",
    "created_at": "2000-01-01T00:00:00Z",
    "updated_at": "2000-01-01T00:00:00Z",
    "archived_at": "2000-01-01T00:00:00Z",
    "started_at": "2000-01-01T00:00:00Z",
    "completed_at": "2000-01-01T00:00:00Z",
    "completed_on": "2000-01-01",
    "met_on": "2000-01-01",
    "withdrawn_at": "2000-01-01T00:00:00Z",
    "last_completed_on": "2000-01-01",
    "next_due_on": "2000-01-01",
    "snapshot": {"forged": True},
    "inherent_score": 1,
    "residual_score": 1,
    "catalogue_key": "forged",
    "findings": ["KZ-AI-PROH-01"],
    "suggested_risk_level": "high",
    "urgent": True,
    "in_force": False,
    "code": None,  # only for models where the code is derived (obligations); see below
}
# Fields a client legitimately sets on some models (a system's code is chosen by the client).
CLIENT_SET = {"AISystem": {"code"}}


def _contracts(with_attr):
    return [c for c in tenancy.API_CONTRACTS if getattr(c, with_attr) is not None]


def _forged_for(model, org, other_org, member):
    names = {f.name for f in model._meta.get_fields()}
    forged = {}
    for name, value in FORGED.items():
        if (
            name not in names
            or name in CLIENT_SET.get(model.__name__, set())
            or value is None
            and name != "code"
        ):
            continue
        if name == "code":
            value = "FORGED-01"
        elif value == "other_org":
            value = other_org.pk
        elif value == "member":
            value = member.pk
        forged[name] = value
    return forged


def _stored(obj, name):
    field = obj._meta.get_field(name)
    value = getattr(obj, field.attname)
    return value.isoformat() if isinstance(value, datetime.date | datetime.datetime) else value


def _looks_forged(stored, forged):
    if isinstance(forged, str) and isinstance(stored, str) and forged[:10] == "2000-01-01":
        return stored.startswith("2000-01-01")
    return stored == forged and stored not in (None, False, "", [], {})


@pytest.mark.parametrize("contract", _contracts("update_payload"), ids=lambda c: c.basename)
def test_update_cannot_forge_what_only_the_portal_sets(contract, org, other_org, make_member, api_for):
    member = make_member(Role.ADMIN)
    instance = contract()
    obj = instance.make_object(org)
    model = type(obj)
    # Someone other than the caller: the portal records the caller as preparer, reviewer…
    forged = _forged_for(model, org, other_org, make_member(Role.OFFICER))
    obj.refresh_from_db()
    before = {name: _stored(obj, name) for name in forged}
    response = api_for(member).patch(
        instance.detail_url(obj), {**instance.update_payload(obj), **forged}, format="json"
    )
    assert response.status_code in (200, 400), response.content
    obj.refresh_from_db()
    changed = {
        name: _stored(obj, name)
        for name in forged
        if _stored(obj, name) != before[name]
        and name != "updated_at"
        and _looks_forged(_stored(obj, name), forged[name])
    }
    assert not changed, f"{contract.basename}: client set {changed}"


@pytest.mark.parametrize("contract", _contracts("create_payload"), ids=lambda c: c.basename)
def test_create_cannot_forge_what_only_the_portal_sets(contract, org, other_org, make_member, api_for):
    member = make_member(Role.ADMIN)
    instance = contract()
    payload = instance.create_payload(org)
    model = type(instance.make_object(org))
    forged = _forged_for(model, org, other_org, make_member(Role.OFFICER))
    started = timezone.now()
    response = api_for(member).post(instance.list_url(), {**payload, **forged}, format="json")
    assert response.status_code in (201, 400), response.content
    if response.status_code != 201:
        return
    created = response.json()
    created = created[0] if isinstance(created, list) else created
    obj = model._base_manager.get(pk=created["id"])
    assert obj.organization_id == org.pk
    assert obj.created_at >= started - datetime.timedelta(seconds=5)
    set_by_client = {
        name: _stored(obj, name) for name in forged if _looks_forged(_stored(obj, name), forged[name])
    }
    assert not set_by_client, f"{contract.basename}: client set {set_by_client}"


def test_a_review_cannot_be_completed_through_a_patch(org, make_member, api_for):
    from risk.models import Review
    from tests.risk.risk_management.test_reviews import _review_with_register

    review, _risk = _review_with_register(org)
    client = api_for(make_member(Role.ADMIN))
    response = client.patch(
        f"/api/v1/risk/reviews/{review.pk}/",
        {"status": "completed", "snapshot": {"risks": []}, "signed_off_by": 1},
        format="json",
    )
    assert response.status_code == 200
    review = Review.objects.get(pk=review.pk)
    assert review.status != "completed" and review.snapshot in (None, {}) and review.signed_off_by_id is None
