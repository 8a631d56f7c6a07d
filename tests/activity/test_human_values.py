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


def _export_rows(web, language):
    import csv
    import io

    with translation.override(language):
        response = web.get(reverse("activity_list"), {"export": "csv"}, HTTP_ACCEPT_LANGUAGE=language)
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))[1:]


def test_the_csv_export_words_every_row_in_the_readers_language(org, officer, web_for):
    # The export words each choice and yes/no once and reuses the words for every later row: each
    # row must still read in the language of the export, and each value as its own.
    from kzai.activity.context import acting_as
    from registry.services import ai_system_update
    from tests.factories import AISystemFactory

    systems = [AISystemFactory(organization=org, name=f"Scoring {i}") for i in range(3)]
    with acting_as(officer.user, source="web"):
        for system in systems:
            ai_system_update(system=system, processes_personal_data=True, lifecycle_stage="testing")
        ai_system_update(system=systems[0], processes_personal_data=False)
    for language, yes_no, no_yes, stage in (
        ("ru", "нет → да", "да → нет", "Тестирование"),
        ("en", "no → yes", "yes → no", "Testing"),
    ):
        changes = [row[6] for row in _export_rows(web_for(officer), language) if row[2] != row[0]]
        updates = [text for text in changes if "→" in text and "—" not in text]
        assert len(updates) == 4, changes
        assert updates[0].endswith(no_yes) and all(yes_no in text for text in updates[1:]), updates
        assert all(stage in text for text in updates[1:]), updates
