"""A review's items recorded in one pass on the review page's table form: rows filled in are
recorded (all or none), rows left blank stay pending, a refused row shows its error in place and
every row keeps what was entered. The per-item record still works beside it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from kzai.activity.models import ActivityRecord
from kzai.core.roles import Action, Role, role_allows
from risk.models import Review, ReviewItem
from risk.risk_management import services
from tests.factories import MeasureFactory, RiskFactory, system_in_operation

pytestmark = pytest.mark.django_db


def _started_review(org, officer, risks=3):
    system = system_in_operation(org, classified_at=datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC))
    first = None
    for n in range(risks):
        risk = RiskFactory(system=system, title=f"Risk {n}")
        first = first or risk
    MeasureFactory(system=system, title="Bias testing", risks=[first])
    services.review_schedule_sync(system=system)
    review = services.review_start(review=Review.objects.get(system=system), membership=officer)
    return review, list(ReviewItem.objects.filter(review=review).order_by("-kind", "id"))


def _table_data(items, rows):
    """The table form as a browser sends it: every row, filled in or left blank."""
    data = {}
    for item in items:
        outcome, note = rows.get(item.pk, ("", ""))
        data[f"item-{item.pk}-outcome"] = outcome
        data[f"item-{item.pk}-note"] = note
    return data


def test_review_page_is_one_table_form_with_a_blank_choice_per_row(org, officer, web_for):
    review, items = _started_review(org, officer)
    html = web_for(officer).get(reverse("risk:review_detail", args=[review.pk])).content.decode()
    assert f'action="{reverse("risk:review_items", args=[review.pk])}"' in html
    assert html.count('<option value="" selected>—</option>') == len(items)  # pending rows stay blank
    assert "Record all filled-in items" in html


def test_filled_rows_are_recorded_in_one_pass_and_blank_rows_stay_pending(org, officer, web_for):
    review, items = _started_review(org, officer)
    first, second, *rest = items
    response = web_for(officer).post(
        reverse("risk:review_items", args=[review.pk]),
        _table_data(items, {first.pk: ("confirmed", ""), second.pk: ("changed", "Severity lowered to 3.")}),
    )
    assert response.status_code == 302 and response["Location"] == reverse(
        "risk:review_detail", args=[review.pk]
    )
    outcomes = dict(ReviewItem.objects.filter(review=review).values_list("id", "outcome"))
    assert outcomes[first.pk] == "confirmed" and outcomes[second.pk] == "changed"
    assert all(outcomes[item.pk] == "pending" for item in rest)
    second.refresh_from_db()
    assert second.note == "Severity lowered to 3." and second.reviewed_by == officer
    # Attributable like any other change: one activity record per recorded item, by the officer.
    records = ActivityRecord.objects.filter(content_type__model="reviewitem", action="update")
    assert {r.object_id for r in records} == {str(first.pk), str(second.pk)}
    assert all(r.actor_id == officer.user_id for r in records)


def test_a_refused_row_saves_nothing_and_every_row_keeps_its_input(org, officer, web_for):
    review, items = _started_review(org, officer)
    first, second, third, *_ = items
    response = web_for(officer).post(
        reverse("risk:review_items", args=[review.pk]),
        _table_data(
            items,
            {
                first.pk: ("confirmed", "Checked with the model owner."),
                second.pk: ("changed", ""),  # a change needs a note (the service says so)
                third.pk: ("", "Looked at it"),  # a note without an outcome (the form says so)
            },
        ),
    )
    assert response.status_code == 400
    assert set(ReviewItem.objects.filter(review=review).values_list("outcome", flat=True)) == {"pending"}
    forms = {row["item"].pk: row["form"] for row in response.context["rows"]}
    assert forms[second.pk].errors["note"] == ["Say what changed."]
    assert "outcome" in forms[third.pk].errors
    assert not forms[first.pk].errors
    html = response.content.decode()
    assert "Checked with the model owner." in html and "Looked at it" in html
    assert '<option value="confirmed" selected>' in html and '<option value="changed" selected>' in html
    assert "Nothing was recorded" in html


def test_nothing_filled_in_records_nothing(org, officer, web_for):
    review, items = _started_review(org, officer)
    web = web_for(officer)
    response = web.post(reverse("risk:review_items", args=[review.pk]), _table_data(items, {}), follow=True)
    assert "Nothing to record" in response.content.decode()
    assert not ActivityRecord.objects.filter(content_type__model="reviewitem", action="update").exists()


def test_unchanged_recorded_rows_are_not_recorded_again(org, officer, web_for):
    review, items = _started_review(org, officer)
    first, second, *_ = items
    services.review_item_record(item=first, outcome="confirmed", membership=officer)
    web_for(officer).post(
        reverse("risk:review_items", args=[review.pk]),
        _table_data(items, {first.pk: ("confirmed", ""), second.pk: ("closed", "")}),
    )
    records = ActivityRecord.objects.filter(content_type__model="reviewitem", action="update")
    assert sorted(r.object_id for r in records) == sorted([str(first.pk), str(second.pk)])  # first once


def test_per_item_button_still_records_one_row(org, officer, web_for):
    review, items = _started_review(org, officer)
    first, second, *_ = items
    # The row's button posts the whole table form to the item's own address: only that row counts.
    data = _table_data(items, {first.pk: ("confirmed", ""), second.pk: ("changed", "")})
    response = web_for(officer).post(
        reverse("risk:review_item", args=[first.pk]), data, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    outcomes = dict(ReviewItem.objects.filter(review=review).values_list("id", "outcome"))
    assert outcomes[first.pk] == "confirmed" and outcomes[second.pk] == "pending"


def test_table_form_on_a_completed_review_is_refused(org, officer, web_for):
    review, items = _started_review(org, officer, risks=1)
    for item in items:
        services.review_item_record(item=item, outcome="confirmed", membership=officer)
    services.review_sign_off(review=review, membership=officer, summary="Done.")
    response = web_for(officer).post(
        reverse("risk:review_items", args=[review.pk]), _table_data(items, {items[0].pk: ("closed", "")})
    )
    assert response.status_code in (302, 400)
    assert set(ReviewItem.objects.filter(review=review).values_list("outcome", flat=True)) == {"confirmed"}


@pytest.mark.parametrize("role", Role.values)
def test_table_form_follows_roles_and_tenancy(role, org, other_org, officer, make_member, web_for):
    from tests.factories import MembershipFactory

    review, items = _started_review(org, officer)
    foreign_officer = MembershipFactory(organization=other_org, role=Role.OFFICER)
    foreign, foreign_items = _started_review(other_org, foreign_officer)
    web = web_for(make_member(role))
    data = _table_data(items, {items[0].pk: ("confirmed", "")})
    response = web.post(reverse("risk:review_items", args=[review.pk]), data)
    foreign_response = web.post(
        reverse("risk:review_items", args=[foreign.pk]),
        _table_data(foreign_items, {foreign_items[0].pk: ("closed", "")}),
    )
    if role_allows(role, Action.CHANGE):
        assert response.status_code == 302 and foreign_response.status_code == 404
    else:
        assert response.status_code == 403 and foreign_response.status_code == 403
    assert set(ReviewItem.objects.filter(review=foreign).values_list("outcome", flat=True)) == {"pending"}


def test_table_form_messages_are_translated(org, officer, web_for):
    review, items = _started_review(org, officer)
    with translation.override("ru"):
        response = web_for(officer).post(
            reverse("risk:review_items", args=[review.pk]),
            _table_data(items, {items[0].pk: ("changed", "")}),
            HTTP_ACCEPT_LANGUAGE="ru",
        )
    html = response.content.decode()
    assert "Nothing was recorded" not in html and "Ничего не записано" in html


@pytest.mark.parametrize(
    ("language", "band", "status"), [("en", "Critical", "Identified"), ("ru", "Критический", "Выявлен")]
)
def test_signed_off_snapshot_reads_in_words(org, officer, web_for, language, band, status):
    review, items = _started_review(org, officer, risks=1)
    for item in items:
        services.review_item_record(item=item, outcome="confirmed", membership=officer)
    services.risk_update(risk=items[0].risk or items[1].risk, likelihood=5, severity=5)
    services.review_sign_off(review=review, membership=officer, summary="Done.")
    with translation.override(language):
        html = (
            web_for(officer)
            .get(reverse("risk:review_detail", args=[review.pk]), HTTP_ACCEPT_LANGUAGE=language)
            .content.decode()
        )
    snapshot = html.split("<h4>", 1)[1]
    assert f"25 · {band}" in snapshot and f"<td>{status}</td>" in snapshot
    assert "· critical" not in snapshot and "<td>identified</td>" not in snapshot
