"""The activity log reads as a person would say it: field labels and choice labels, before → after,
yes/no, dates and times in the reader's language and Asia/Almaty, where a change came from in
words; the JSON export and the API keep the recorded values (a contract)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from kzai.activity.models import ActivityRecord
from risk.services.obligations import obligation_update
from tests.factories import system_with_obligations

pytestmark = pytest.mark.django_db


@pytest.fixture
def changed_obligation(org, officer):
    system = system_with_obligations(org, interacts_with_natural_persons=True, interaction_channel="chatbot")
    obligation = system.obligations.order_by("id").first()
    from kzai.activity.context import acting_as

    with acting_as(officer.user, source="web"):
        obligation_update(
            obligation=obligation,
            membership=officer,
            status="in_progress",
            due_on=datetime.date(2026, 12, 30),
            notes="Drafting the user notice.",
        )
    return obligation


def _page(web, language):
    with translation.override(language):
        return web.get(reverse("activity_list"), HTTP_ACCEPT_LANGUAGE=language).content.decode()


@pytest.mark.parametrize(
    ("language", "status_change", "date", "source"),
    [
        ("en", "Not started → In progress", "Dec. 30, 2026", "(portal)"),
        ("ru", "Не начато → В работе", "30 декабря 2026 г.", "(портал)"),
        ("kk", "Басталмаған → Орындалуда", "2026 ж. 30", "(портал)"),
    ],
)
def test_activity_page_shows_labels_and_local_dates(
    changed_obligation, officer, web_for, language, status_change, date, source
):
    html = _page(web_for(officer), language)
    assert status_change in html and date in html and source in html
    assert "not_started" not in html and "in_progress" not in html and "2026-12-30" not in html
    assert "(web)" not in html


def test_the_record_itself_keeps_the_values(changed_obligation):
    record = ActivityRecord.objects.filter(object_id=str(changed_obligation.pk), action="update").latest("id")
    assert record.changes["status"] == ["not_started", "in_progress"]


def test_booleans_and_times_in_words(org, officer, web_for):
    from kzai.activity.context import acting_as
    from registry.services import ai_system_update
    from tests.factories import AISystemFactory

    system = AISystemFactory(organization=org)
    with acting_as(officer.user, source="web"):
        ai_system_update(system=system, processes_personal_data=True)
    html = _page(web_for(officer), "ru")
    assert "нет → да" in html
    assert "False" not in html and "True" not in html
