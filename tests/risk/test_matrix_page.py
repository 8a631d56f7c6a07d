"""The matrix page's cells (rendered by risk.templatetags.matrix): each obligation in force is a
link to it with its status as mark and words, in the reader's language; the status filter empties
the other cells but keeps every row's score."""

import re

import pytest
from django.urls import reverse

from kzai.core.roles import Role
from risk.choices import ObligationStatus
from risk.services.obligations import obligation_update
from tests.factories import system_with_obligations

pytestmark = pytest.mark.django_db

CELL = re.compile(
    r'<td class="cell status-(?P<status>\w+)">'
    r'<a href="/risk/obligations/(?P<pk>\d+)/" title="(?P<title>[^"]+)">'
    r'<span aria-hidden="true">(?P<mark>[^<]+)</span>'
    r'<span class="visually-hidden">(?P<words>[^<]+)</span></a></td>'
)
MARKS = {"met": "✓", "in_progress": "◐", "not_started": "○", "not_applicable": "n/a"}


@pytest.fixture
def statuses(org, make_member):
    officer = make_member(Role.OFFICER)
    system = system_with_obligations(org)
    obligations = list(system.obligations.filter(in_force=True).order_by("id"))
    assert len(obligations) >= 3
    obligation_update(obligation=obligations[0], membership=officer, status=ObligationStatus.MET)
    obligation_update(obligation=obligations[1], membership=officer, status=ObligationStatus.IN_PROGRESS)
    return officer, {o.pk: o for o in system.obligations.filter(in_force=True)}


def cells(page: str) -> dict[int, re.Match]:
    return {int(m["pk"]): m for m in CELL.finditer(page)}


def test_every_obligation_in_force_is_a_cell_with_its_status(statuses, web_for):
    officer, obligations = statuses
    shown = cells(web_for(officer).get(reverse("risk:matrix")).content.decode())
    assert shown.keys() == obligations.keys()
    for pk, cell in shown.items():
        status = obligations[pk].status
        assert cell["status"] == status and cell["mark"] == MARKS[status]
        assert cell["title"] == cell["words"] == obligations[pk].get_status_display()
    assert {c["status"] for c in shown.values()} >= {"met", "in_progress", "not_started"}


def test_the_status_filter_keeps_only_its_cells(statuses, web_for):
    officer, obligations = statuses
    page = web_for(officer).get(reverse("risk:matrix"), {"status": "met"}).content.decode()
    met = [pk for pk, o in obligations.items() if o.status == "met"]
    assert list(cells(page)) == met
    assert page.count('<td class="cell"></td>') == len(obligations) - len(met)


def test_the_words_are_the_readers_language(statuses, web_for):
    officer, _obligations = statuses
    web = web_for(officer)
    web.cookies["django_language"] = "ru"
    page = web.get(reverse("risk:matrix"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert {c["words"] for c in cells(page).values()} >= {"Выполнено"}
