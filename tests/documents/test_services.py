"""Documents through their services: versions, states, approval by role, expiry, the documentation list."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from documents.choices import DocumentState, ItemState
from documents.selectors import documentation_status, organization_gaps, system_documentation
from documents.services import (
    document_approve,
    document_create,
    document_supersede,
    document_update,
    document_version_add,
    documents_expire,
)
from kzai.activity.models import ActivityRecord
from kzai.core.roles import Role
from kzai.deadlines.models import Deadline
from tests.documents.helpers import make_document, officer_of, pdf
from tests.factories import AISystemFactory


def test_versions_are_numbered_and_keep_author_and_note(org):
    officer = officer_of(org)
    document = make_document(org, membership=officer)
    second = document_version_add(
        document=document, membership=officer, file=pdf("v2.pdf"), change_note="Section 3"
    )
    assert [v.number for v in document.versions.order_by("number")] == [1, 2]
    assert second.author == officer and second.change_note == "Section 3"


def test_only_officers_and_admins_approve(org, make_member):
    document = make_document(org)
    for role in (Role.CONTRIBUTOR, Role.VIEWER, Role.AUDITOR):
        with pytest.raises(PermissionDenied):
            document_approve(document=document, membership=make_member(role))
    approved = document_approve(document=document, membership=make_member(Role.ADMIN))
    assert approved.state == DocumentState.APPROVED and approved.approved_version.number == 1


def test_approval_needs_a_file(org):
    document = make_document(org, file=False)
    with pytest.raises(ValidationError, match="Upload a file"):
        document_approve(document=document, membership=officer_of(org))


def test_new_version_of_an_approved_document_needs_approval_again(org):
    officer = officer_of(org)
    document = make_document(org, membership=officer, approve=True)
    document_version_add(document=document, membership=officer, file=pdf("v2.pdf"))
    document.refresh_from_db()
    assert document.state == DocumentState.DRAFT and document.approved_version.number == 1
    document_approve(document=document, membership=officer)
    document.refresh_from_db()
    assert document.approved_version.number == 2


def test_superseded_document_takes_no_new_version(org):
    officer = officer_of(org)
    document = make_document(org, membership=officer, approve=True)
    document = document_supersede(document=document, membership=officer)
    assert document.state == DocumentState.SUPERSEDED
    with pytest.raises(ValidationError, match="superseded"):
        document_version_add(document=document, membership=officer, file=pdf())
    with pytest.raises(ValidationError):
        document_approve(document=document, membership=officer)


def test_expiry_feeds_the_deadline_mechanism(org):
    officer = officer_of(org)
    expires = timezone.localdate() + datetime.timedelta(days=90)
    document = make_document(org, membership=officer, expires_on=expires)
    assert not Deadline.objects.filter(kind="document_expiry").exists()  # drafts owe nothing
    document = document_approve(document=document, membership=officer)
    deadline = Deadline.objects.get(kind="document_expiry")
    assert deadline.due_on == expires and deadline.responsible == officer
    assert deadline.system == document.systems.get()
    document_update(document=document, membership=officer, expires_on=expires + datetime.timedelta(days=30))
    assert Deadline.objects.get(kind="document_expiry").due_on == expires + datetime.timedelta(days=30)
    document_supersede(document=document, membership=officer)
    assert not Deadline.objects.filter(kind="document_expiry").exists()


def test_expired_document_no_longer_meets_its_items(org):
    officer = officer_of(org)
    system = AISystemFactory(organization=org)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    document = make_document(org, membership=officer, system=system, expires_on=timezone.localdate())
    document = document_approve(document=document, membership=officer)
    assert _state(officer, system, "general-description") == ItemState.APPROVED
    # The sweep runs the next day: the stored state follows, and the item is expired.
    assert documents_expire(today=timezone.localdate() + datetime.timedelta(days=1)) == 1
    document.refresh_from_db()
    assert document.state == DocumentState.EXPIRED
    assert _state(officer, system, "general-description") == ItemState.EXPIRED
    with pytest.raises(ValidationError, match="expiry date has passed"):
        document_update(document=document, membership=officer, expires_on=yesterday)
        document_approve(document=document, membership=officer)


def _state(membership, system, key):
    return next(row.state for row in system_documentation(membership, system) if row.item.key == key)


def test_documentation_list_states(org):
    officer = officer_of(org)
    system = AISystemFactory(organization=org, processes_personal_data=True)
    rows = {row.item.key: row for row in documentation_status(system, [])}
    assert rows["general-description"].required and rows["general-description"].state == ItemState.MISSING
    assert rows["personal-data-consents"].required
    assert not rows["architecture"].required  # not classified high, no critical infrastructure
    make_document(org, membership=officer, system=system, items=["personal-data-consents"])
    assert _state(officer, system, "personal-data-consents") == ItemState.DRAFT
    make_document(org, membership=officer, system=system, items=["personal-data-consents"], approve=True)
    assert _state(officer, system, "personal-data-consents") == ItemState.APPROVED


def test_gaps_across_systems(org):
    officer = officer_of(org)
    covered = AISystemFactory(organization=org, name="A covered")
    bare = AISystemFactory(organization=org, name="B bare")
    make_document(
        org,
        membership=officer,
        system=covered,
        items=["general-description", "intended-purpose"],
        approve=True,
    )
    gaps = {row.system: row for row in organization_gaps(officer)}
    assert {g.item.key for g in gaps[covered].gaps} == set()
    assert {g.item.key for g in gaps[bare].gaps} == {"general-description", "intended-purpose"}


def test_systems_of_another_organization_are_refused(org, other_org):
    foreign = AISystemFactory(organization=other_org)
    with pytest.raises(ValidationError) as error:
        document_create(membership=officer_of(org), title="X", systems=[foreign])
    assert "systems" in error.value.message_dict


def test_unknown_item_is_refused(org):
    with pytest.raises(ValidationError) as error:
        document_create(membership=officer_of(org), title="X", items=["no-such-item"])
    assert "items" in error.value.message_dict


def test_every_write_is_in_the_activity_log(org):
    officer = officer_of(org)
    document = make_document(org, membership=officer, approve=True)
    actions = list(
        ActivityRecord.objects.filter(
            organization=org, content_type__model__in=["document", "documentversion"]
        ).values_list("content_type__model", "action")
    )
    assert ("document", "create") in actions and ("documentversion", "create") in actions
    assert ("document", "update") in actions  # the approval
    assert document.state == DocumentState.APPROVED


def test_daily_expiry_task_stores_the_expired_state(org):
    from documents.tasks import expire_sweep

    officer = officer_of(org)
    document = make_document(org, membership=officer, expires_on=timezone.localdate(), approve=True)
    assert expire_sweep.delay().get() == 0  # still valid today
    document_update(
        document=document, membership=officer, expires_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert expire_sweep.delay().get() == 1
    document.refresh_from_db()
    assert document.state == DocumentState.EXPIRED
    # The renewal stays owed (overdue reminders) until the document is renewed or superseded.
    assert Deadline.objects.get(kind="document_expiry").due_on == document.expires_on
