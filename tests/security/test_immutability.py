"""Records of decisions are immutable below the services too: approved classifications, screenings,
signed-off reviews and activity records refuse a change or a delete at the model."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kzai.activity.models import ActivityRecord
from kzai.core.roles import Role
from risk.choices import ClassificationStatus
from risk.models import Classification, Review, Screening
from risk.risk_management import services as register_services
from risk.services.screening import screening_record
from tests.factories import NO_PROHIBITED_PRACTICE, AISystemFactory, classify_system
from tests.risk.risk_management.test_reviews import _review_with_register


def test_an_approved_classification_cannot_be_changed_or_deleted(org, officer):
    system = AISystemFactory(organization=org)
    approved = Classification.objects.get(pk=classify_system(system, officer).pk)
    approved.declared_risk_level = "high"
    with pytest.raises(ValidationError, match="cannot be changed"):
        approved.save()
    with pytest.raises(ValidationError, match="cannot be deleted"):
        Classification.objects.get(pk=approved.pk).delete()
    assert Classification.objects.get(pk=approved.pk).declared_risk_level != "high"


def test_approving_a_new_classification_supersedes_the_old_which_then_is_frozen(org, officer):
    system = AISystemFactory(organization=org)
    first = classify_system(system, officer)
    classify_system(system, officer, disruption_impact="minimal")
    superseded = Classification.objects.get(pk=first.pk)
    assert superseded.status == ClassificationStatus.SUPERSEDED
    superseded.status = ClassificationStatus.APPROVED
    with pytest.raises(ValidationError):
        superseded.save()


def test_a_draft_can_still_be_changed(org, officer):
    draft = classify_system(AISystemFactory(organization=org), officer, approve=False)
    draft = Classification.objects.get(pk=draft.pk)
    draft.answer_notes = "Checked"
    draft.save()


def test_a_screening_cannot_be_changed_or_deleted(org, officer):
    screening = screening_record(
        system=AISystemFactory(organization=org), membership=officer, answers=NO_PROHIBITED_PRACTICE
    )
    loaded = Screening.objects.get(pk=screening.pk)
    loaded.result = "prohibited"
    with pytest.raises(ValidationError):
        loaded.save()
    with pytest.raises(ValidationError):
        Screening.objects.get(pk=screening.pk).delete()


def test_a_signed_off_review_cannot_be_deleted(org, officer):
    review, _risk = _review_with_register(org)
    review = register_services.review_start(review=review, membership=officer)
    for item in review.items.all():
        register_services.review_item_record(item=item, outcome="confirmed", membership=officer)
    review = register_services.review_sign_off(review=review, membership=officer, summary="ok")
    with pytest.raises(ValidationError, match="cannot be deleted"):
        Review.objects.get(pk=review.pk).delete()


def test_activity_records_cannot_be_deleted_or_changed(org, officer):
    AISystemFactory(organization=org)
    record = ActivityRecord.objects.filter(organization=org).first()
    with pytest.raises(RuntimeError):
        record.save()
    with pytest.raises(RuntimeError):
        record.delete()
    assert ActivityRecord.objects.filter(pk=record.pk).exists()


def test_the_activity_api_is_read_only(org, make_member, api_for):
    AISystemFactory(organization=org)
    record = ActivityRecord.objects.filter(organization=org).first()
    client = api_for(make_member(Role.ADMIN))
    url = reverse("activity-detail", args=[record.pk])
    assert client.patch(url, {"action": "deleted"}, format="json").status_code == 405
    assert client.delete(url).status_code == 405
    assert client.post(reverse("activity-list"), {}, format="json").status_code == 405
