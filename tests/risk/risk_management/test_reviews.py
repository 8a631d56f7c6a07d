"""Annual reviews: scheduling rules (12 months, leap years, Asia/Almaty), the walk-through, the
sign-off snapshot, immutability, and the pages and API through the shared tenancy suite."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kzai.core.roles import Action, Role, role_allows
from kzai.deadlines.models import Deadline, DeadlineKind
from registry.choices import LifecycleStage
from risk.models import Review, ReviewItem, ReviewSchedule
from risk.risk_management import services
from risk.risk_management.choices import ReviewStatus
from tests.factories import AISystemFactory, MeasureFactory, RiskFactory, screened_system, system_in_operation
from tests.tenancy import APIContract, UIContract

UTC = datetime.UTC
ALMATY = ZoneInfo("Asia/Almaty")


def _schedule(system):
    return services.review_schedule_sync(system=system)


# -- scheduling rules -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "classified_at,expected",
    [
        (datetime.datetime(2026, 3, 10, 9, 0, tzinfo=UTC), datetime.date(2027, 3, 10)),
        # 21:00 UTC on 31 Dec is already 1 January in Almaty (UTC+5): the date is Almaty's.
        (datetime.datetime(2026, 12, 31, 21, 0, tzinfo=UTC), datetime.date(2028, 1, 1)),
        # Leap day: 29 Feb 2028 + 12 months is 28 Feb 2029.
        (datetime.datetime(2028, 2, 29, 10, 0, tzinfo=ALMATY), datetime.date(2029, 2, 28)),
        # 28 Feb 2027 + 12 months stays 28 Feb 2028 (not 29).
        (datetime.datetime(2027, 2, 28, 10, 0, tzinfo=ALMATY), datetime.date(2028, 2, 28)),
    ],
)
def test_first_review_due_twelve_months_after_first_classification(org, classified_at, expected):
    system = system_in_operation(org, classified_at=classified_at)
    schedule = _schedule(system)
    assert schedule.next_due_on == expected
    deadline = Deadline.objects.get(kind=DeadlineKind.RISK_REVIEW)
    assert deadline.due_on == expected and deadline.system == system
    review = Review.objects.get(system=system)
    assert (review.status, review.due_on) == (ReviewStatus.SCHEDULED, expected)


def test_no_review_owed_when_not_in_operation_or_never_classified(org):
    development = AISystemFactory(
        organization=org, first_classified_at=datetime.datetime(2026, 1, 1, tzinfo=UTC)
    )
    assert _schedule(development) is None
    unclassified = system_in_operation(org, classified_at=None)
    assert _schedule(unclassified).next_due_on is None
    assert not Deadline.objects.filter(kind=DeadlineKind.RISK_REVIEW).exists()


def test_leaving_operation_removes_the_deadline_and_the_unstarted_review(org):
    system = system_in_operation(org, classified_at=datetime.datetime(2026, 2, 1, tzinfo=UTC))
    _schedule(system)
    system.lifecycle_stage = LifecycleStage.DECOMMISSIONED
    system.save()
    _schedule(system)
    assert not Deadline.objects.filter(kind=DeadlineKind.RISK_REVIEW).exists()
    assert not Review.objects.filter(system=system).exists()


def test_officer_may_shorten_the_interval_but_not_lengthen_it(org, officer):
    system = system_in_operation(org, classified_at=datetime.datetime(2026, 1, 15, 6, tzinfo=UTC))
    schedule = _schedule(system)
    schedule = services.review_schedule_update(schedule=schedule, interval_months=6, reviewer=officer)
    assert schedule.next_due_on == datetime.date(2026, 7, 15)
    deadline = Deadline.objects.get(kind=DeadlineKind.RISK_REVIEW)
    assert (deadline.due_on, deadline.responsible) == (datetime.date(2026, 7, 15), officer)
    with pytest.raises(ValidationError) as error:
        services.review_schedule_update(schedule=schedule, interval_months=13)
    assert "at least once a year" in error.value.message_dict["interval_months"][0]
    with pytest.raises(ValidationError) as error:
        services.review_schedule_update(
            schedule=schedule, interval_months=12, first_due_on=datetime.date(2027, 2, 1)
        )
    assert "2027-01-15" in error.value.message_dict["first_due_on"][0]
    schedule = services.review_schedule_update(
        schedule=schedule, interval_months=12, first_due_on=datetime.date(2026, 5, 1)
    )
    assert schedule.next_due_on == datetime.date(2026, 5, 1)


def test_facts_changed_signal_schedules_through_the_task(org, officer, django_capture_on_commit_callbacks):
    from registry.signals import system_facts_changed

    system = system_in_operation(org, classified_at=datetime.datetime(2026, 4, 1, tzinfo=UTC))
    screened_system(system, officer)
    with django_capture_on_commit_callbacks(execute=True):
        system_facts_changed.send(sender=type(system), system=system, changed=["lifecycle_stage"])
    assert ReviewSchedule.objects.get(system=system).next_due_on == datetime.date(2027, 4, 1)


# -- the review -------------------------------------------------------------------------------------
def _review_with_register(org):
    system = system_in_operation(org, classified_at=datetime.datetime(2025, 6, 1, tzinfo=UTC))
    risk = RiskFactory(system=system, title="Bias", likelihood=4, severity=5)
    MeasureFactory(system=system, title="Bias testing", risks=[risk])
    _schedule(system)
    return Review.objects.get(system=system), risk


def test_review_walks_every_item_and_sign_off_freezes_a_snapshot(org, officer, make_member):
    review, risk = _review_with_register(org)
    assert review.effective_status == ReviewStatus.OVERDUE  # due 2026-06-01 < today (2026-11)
    review = services.review_start(review=review, membership=officer)
    items = list(review.items.order_by("kind"))
    assert [i.kind for i in items] == ["measure", "risk"]
    with pytest.raises(ValidationError, match="not reviewed yet"):
        services.review_sign_off(review=review, membership=officer, summary="Done")
    with pytest.raises(ValidationError) as error:
        services.review_item_record(item=items[1], outcome="changed", note="", membership=officer)
    assert "note" in error.value.message_dict
    services.review_item_record(item=items[0], outcome="confirmed", membership=officer)
    services.review_item_record(item=items[1], outcome="changed", note="Severity lowered", membership=officer)
    with pytest.raises(ValidationError, match="officer or administrator"):
        services.review_sign_off(review=review, membership=make_member(Role.CONTRIBUTOR), summary="x")
    review = services.review_sign_off(review=review, membership=officer, summary="Register confirmed.")
    assert review.status == ReviewStatus.COMPLETED and review.effective_status == ReviewStatus.COMPLETED
    assert review.snapshot["risks"][0]["inherent_score"] == 20
    assert review.snapshot["measures"][0]["risk_ids"] == [risk.pk]
    # The register changes later; the snapshot does not.
    services.risk_update(risk=risk, likelihood=1)
    review.refresh_from_db()
    assert review.snapshot["risks"][0]["likelihood"] == 4
    # Next review due 12 months after completion, a new scheduled review, the deadline moved.
    schedule = ReviewSchedule.objects.get(system=review.system)
    assert schedule.last_completed_on == review.completed_on
    assert schedule.next_due_on == services.add_months(review.completed_on, 12)
    assert (
        Review.objects.get(system=review.system, status=ReviewStatus.SCHEDULED).due_on == schedule.next_due_on
    )
    assert Deadline.objects.get(kind=DeadlineKind.RISK_REVIEW).due_on == schedule.next_due_on


def test_completed_review_cannot_be_changed(org, officer):
    review, _risk = _review_with_register(org)
    review = services.review_start(review=review, membership=officer)
    for item in review.items.all():
        services.review_item_record(item=item, outcome="confirmed", membership=officer)
    review = services.review_sign_off(review=review, membership=officer, summary="ok")
    item = review.items.first()
    with pytest.raises(ValidationError, match="cannot be changed"):
        services.review_item_record(item=item, outcome="changed", note="late edit", membership=officer)
    with pytest.raises(ValidationError, match="cannot be changed"):
        services.review_sign_off(review=review, membership=officer, summary="again")
    review = Review.objects.get(pk=review.pk)
    review.summary = "tampered"
    with pytest.raises(ValidationError):
        review.save()


def test_api_refuses_to_edit_a_completed_review(org, officer, api_for):
    review, _risk = _review_with_register(org)
    client = api_for(officer)
    assert client.post(reverse("review-start", args=[review.pk])).status_code == 200
    for item in ReviewItem.objects.filter(review=review):
        response = client.patch(
            reverse("review-item-detail", args=[item.pk]), {"outcome": "confirmed"}, format="json"
        )
        assert response.status_code == 200, response.content
    response = client.post(reverse("review-signoff", args=[review.pk]), {"summary": "Signed."}, format="json")
    assert response.status_code == 200 and response.json()["snapshot"]["risks"]
    response = client.patch(reverse("review-detail", args=[review.pk]), {"summary": "changed"}, format="json")
    assert response.status_code == 400 and "cannot be changed" in str(response.json())
    item = ReviewItem.objects.filter(review=review).first()
    response = client.patch(
        reverse("review-item-detail", args=[item.pk]), {"outcome": "closed"}, format="json"
    )
    assert response.status_code == 400


@pytest.mark.parametrize("role", Role.values)
def test_sign_off_needs_approve(role, org, make_member, api_for):
    review, _risk = _review_with_register(org)
    officer = make_member(Role.OFFICER)
    services.review_start(review=review, membership=officer)
    for item in review.items.all():
        services.review_item_record(item=item, outcome="confirmed", membership=officer)
    response = api_for(make_member(role)).post(reverse("review-signoff", args=[review.pk]), {"summary": "ok"})
    if role_allows(role, Action.APPROVE):
        assert response.status_code == 200
    else:
        assert response.status_code in (403, 404)  # auditors without a grant do not even see it


def test_review_pages_start_record_and_sign_off(org, officer, web_for):
    review, _risk = _review_with_register(org)
    web = web_for(officer)
    assert web.post(reverse("risk:review_start", args=[review.pk])).status_code == 302
    for item in ReviewItem.objects.filter(review=review):
        prefix = f"item-{item.pk}"
        response = web.post(
            reverse("risk:review_item", args=[item.pk]),
            {f"{prefix}-outcome": "confirmed", f"{prefix}-note": ""},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 200 and 'data-outcome="confirmed"' in response.content.decode()
    response = web.post(reverse("risk:review_signoff", args=[review.pk]), {"summary": ""})
    assert response.status_code == 400
    response = web.post(reverse("risk:review_signoff", args=[review.pk]), {"summary": "All confirmed."})
    assert response.status_code == 302
    page = web.get(reverse("risk:review_detail", args=[review.pk])).content.decode()
    assert "Register as it stood at sign-off" in page and "Bias" in page


def test_refused_item_record_answers_422_with_the_row_and_its_errors(org, officer, web_for):
    review, _risk = _review_with_register(org)
    web = web_for(officer)
    web.post(reverse("risk:review_start", args=[review.pk]))
    item = ReviewItem.objects.filter(review=review).first()
    url = reverse("risk:review_item", args=[item.pk])
    prefix = f"item-{item.pk}"

    response = web.post(url, {f"{prefix}-outcome": "changed", f"{prefix}-note": ""}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 422
    assert f'<tr id="item-{item.pk}">' in body and "Say what changed." in body
    item.refresh_from_db()
    assert item.outcome == "pending"
    # A form-level refusal (an unknown outcome) is a 422 too.
    response = web.post(url, {f"{prefix}-outcome": "bogus", f"{prefix}-note": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422 and "field-errors" in response.content.decode()
    # The review page tells htmx to swap 422 answers, or the user would never see the errors.
    page = web.get(reverse("risk:review_detail", args=[review.pk])).content.decode()
    # (from a script file: the Content-Security-Policy refuses inline scripts)
    assert '<script src="/static/js/review_detail.js">' in page
    from django.contrib.staticfiles import finders

    script = open(finders.find("js/review_detail.js"), encoding="utf-8").read()
    assert "htmx:beforeSwap" in script and "422" in script
    # Without htmx the refusal is still a redirect with the message.
    response = web.post(url, {f"{prefix}-outcome": "changed", f"{prefix}-note": ""})
    assert response.status_code == 302


def test_schedule_page_shows_the_law_message(org, officer, web_for):
    system = system_in_operation(org, classified_at=datetime.datetime(2026, 1, 15, tzinfo=UTC))
    schedule = _schedule(system)
    response = web_for(officer).post(
        reverse("risk:review_schedule_update", args=[schedule.pk]), {"interval_months": 18}
    )
    assert response.status_code == 200 and "at least once a year" in response.content.decode()


def test_review_list_filters_overdue(org, officer, web_for):
    review, _ = _review_with_register(org)
    later = system_in_operation(org, classified_at=datetime.datetime(2026, 10, 1, tzinfo=UTC), name="Chatbot")
    _schedule(later)
    page = web_for(officer).get(reverse("risk:review_list"), {"status": "overdue"}).content.decode()
    assert f"{review.system.code} {review.system.name}</a>" in page
    assert f"{later.code} Chatbot</a>" not in page


# -- tenancy contracts ------------------------------------------------------------------------------
def _open_review(organization):
    system = system_in_operation(organization, classified_at=datetime.datetime(2026, 5, 1, tzinfo=UTC))
    RiskFactory(system=system)
    _schedule(system)
    return Review.objects.get(system=system)


class TestReviewAPI(APIContract):
    basename = "review"

    def make_object(self, organization):
        return _open_review(organization)

    def create_payload(self, organization):
        return {"system": AISystemFactory(organization=organization).pk}

    def update_payload(self, obj):
        return {"summary": "Walk-through planned with the data science team."}


class TestReviewItemAPI(APIContract):
    basename = "review-item"

    def make_object(self, organization):
        review = _open_review(organization)
        from kzai.accounts.models import Membership
        from tests.factories import MembershipFactory

        member = Membership.objects.filter(organization=organization, role=Role.OFFICER).first()
        services.review_start(
            review=review, membership=member or MembershipFactory(organization=organization)
        )
        return review.items.first()

    def update_payload(self, obj):
        return {"outcome": "confirmed"}


class TestReviewScheduleAPI(APIContract):
    basename = "review-schedule"

    def make_object(self, organization):
        return _open_review(organization).system.review_schedule

    def update_payload(self, obj):
        return {"interval_months": 6}


class TestReviewPages(UIContract):
    list_url_name = "risk:review_list"
    detail_url_name = "risk:review_detail"
    # review_schedule_update is exercised by TestReviewSchedulePage (an update-only contract, which
    # the suite does not register by itself).
    covered_url_names = (
        "risk:review_start",
        "risk:review_signoff",
        "risk:review_item",
        "risk:review_items",
        "risk:review_schedule_update",
    )

    def make_object(self, organization):
        return _open_review(organization)


class TestReviewSchedulePage(UIContract):
    update_url_name = "risk:review_schedule_update"

    def make_object(self, organization):
        return _open_review(organization).system.review_schedule


@pytest.mark.parametrize("role", Role.values)
def test_review_actions_follow_roles_and_tenancy(role, org, other_org, make_member, web_for):
    member = make_member(role)
    web = web_for(member)
    review = _open_review(org)
    foreign = _open_review(other_org)
    start = web.post(reverse("risk:review_start", args=[review.pk]))
    if not role_allows(role, Action.CHANGE):
        assert start.status_code == 403
    else:
        assert start.status_code == 302
        assert web.post(reverse("risk:review_start", args=[foreign.pk])).status_code == 404
    sign_off = web.post(reverse("risk:review_signoff", args=[foreign.pk]), {"summary": "x"})
    assert sign_off.status_code == (404 if role_allows(role, Action.APPROVE) else 403)


def test_system_register_and_review_pages_have_bounded_queries(org, officer, web_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    system = system_in_operation(org, classified_at=datetime.datetime(2025, 6, 1, tzinfo=UTC))
    web = web_for(officer)

    def counts():
        review = Review.objects.get(system=system, status__in=["scheduled", "in_progress"])
        if review.status == "scheduled":
            services.review_start(review=review, membership=officer)
        web.get(reverse("risk:register_system", args=[system.pk]))  # warm-up
        with CaptureQueriesContext(connection) as register_page:
            web.get(reverse("risk:register_system", args=[system.pk]))
        with CaptureQueriesContext(connection) as review_page:
            web.get(reverse("risk:review_detail", args=[review.pk]))
        return len(register_page), len(review_page)

    risk = RiskFactory(system=system)
    MeasureFactory(system=system, risks=[risk])
    _schedule(system)
    few = counts()
    Review.objects.filter(system=system).delete()
    for _ in range(8):
        risk = RiskFactory(system=system)
        MeasureFactory(system=system, risks=[risk])
    _schedule(system)
    assert counts() == few


# -- the daily refresh -------------------------------------------------------------------------------
def _systems_in_operation(org, officer, count, *, classified):
    """Systems put into operation through the register (screened first), classified or not."""
    from tests.factories import classify_system

    systems = []
    for _n in range(count):
        system = screened_system(
            AISystemFactory(organization=org), officer, lifecycle_stage=LifecycleStage.IN_OPERATION
        )
        if classified:
            classify_system(system, officer)
        systems.append(system)
    return systems


def _refresh_statements():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        synced = services.review_schedules_refresh()
    return synced, [q["sql"].split(" ", 1)[0] for q in queries.captured_queries]


def test_daily_refresh_syncs_only_the_schedules_out_of_step(org, officer):
    _systems_in_operation(org, officer, 2, classified=False)
    # Approving a first classification does not touch the schedule: the daily refresh makes the
    # first review due 12 months later.
    classified = _systems_in_operation(org, officer, 2, classified=True)
    assert not Deadline.objects.filter(kind=DeadlineKind.RISK_REVIEW).exists()

    synced, _statements = _refresh_statements()
    assert synced == 2
    for system in classified:
        system.refresh_from_db()
        schedule = ReviewSchedule.objects.get(system=system)
        deadline = Deadline.objects.get(kind=DeadlineKind.RISK_REVIEW, system=system)
        assert deadline.due_on == schedule.next_due_on == services.review_due_on(schedule)
        assert Review.objects.get(system=system).due_on == deadline.due_on

    # The next day nothing changed: nothing is synced, saved or recorded.
    synced, statements = _refresh_statements()
    assert synced == 0
    assert not {"INSERT", "UPDATE", "DELETE"} & set(statements), statements
    few = len(statements)

    # Three times the systems, the same queries (they are read a chunk at a time).
    _systems_in_operation(org, officer, 8, classified=True)
    assert _refresh_statements()[0] == 8
    synced, statements = _refresh_statements()
    assert synced == 0 and len(statements) == few

    # A schedule the refresh left alone is what syncing it would make it: syncing writes nothing.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        for system in classified:
            services.review_schedule_sync(system=system)
    assert not [q for q in queries.captured_queries if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))]
