"""The list filters in a real browser: a multi-select searched by typing, chosen values as chips,
a submitted filter with no empty parameters in the address, chips that remove their filter, and a
select that asks the server for its options (data-autocomplete, debounced)."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from kzai.core.roles import Role
from tests.browser.helpers import sign_in
from tests.factories import MembershipFactory, PartyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _query(url):
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


def test_multiselect_search_chips_and_short_urls(page, live_server):
    officer = MembershipFactory(role=Role.OFFICER)
    PartyFactory(organization=officer.organization, name="Aigerim Bekova", kind="natural_person")
    PartyFactory(organization=officer.organization, name="Astana Data Integration LLP", kind="legal_entity")
    sign_in(page, live_server.url, officer.user.email)
    page.goto(f"{live_server.url}/registry/parties/?ordering=name")

    # The native multi-select is replaced by a text box; typing narrows the options.
    assert not page.locator("select[name=kind]").is_visible()
    box = page.get_by_role("combobox", name="Kind")
    box.fill("natur")
    options = page.locator(".ms-list").get_by_role("option")
    assert options.all_inner_texts() == ["Natural person"]
    options.first.click()
    page.locator(".ms-chip", has_text="Natural person").wait_for()
    box.press("Escape")

    with page.expect_navigation():
        page.locator("form[data-filter-form] button[type=submit]").click()
    assert _query(page.url) == {"kind": ["natural_person"], "ordering": ["name"]}  # no "search=&country="
    assert page.get_by_role("link", name="Aigerim Bekova").is_visible()
    assert page.get_by_role("link", name="Astana Data Integration LLP").count() == 0

    # The server's chip removes the filter (and works without JavaScript: it is a link).
    with page.expect_navigation():
        page.locator("ul.chips a.chip").click()
    assert _query(page.url) == {"ordering": ["name"]}
    assert page.get_by_role("link", name="Astana Data Integration LLP").is_visible()


def test_autocomplete_select_asks_the_server_as_the_user_types(page, live_server):
    officer = MembershipFactory(role=Role.OFFICER)
    sign_in(page, live_server.url, officer.user.email)
    requests = []

    def answer(route):
        term = _query(route.request.url).get("q", [""])[0]
        requests.append(term)
        results = [{"id": "7", "text": "SCORE-01 — Retail credit scoring"}] if "scor" in term.lower() else []
        route.fulfill(content_type="application/json", body=json.dumps({"results": results}))

    page.route("**/autocomplete-systems/**", answer)
    page.goto(f"{live_server.url}/registry/parties/")
    # The contract with the server-rendered many-option selects: only the chosen options, and a URL.
    page.evaluate(
        """() => {
          const form = document.querySelector("form[data-filter-form]");
          const wrap = document.createElement("div");
          wrap.innerHTML = '<label for="id_system">AI system</label>'
            + '<select multiple name="system" id="id_system"'
            + ' data-autocomplete="/autocomplete-systems/"></select>';
          form.prepend(wrap);
          window.kzai.enhanceSelect(wrap.querySelector("select"));
        }"""
    )
    box = page.get_by_role("combobox", name="AI system")
    box.press_sequentially("scoring", delay=30)
    page.locator(".ms-list").get_by_role("option", name="SCORE-01 — Retail credit scoring").click()
    assert requests == ["scoring"]  # one request after the typing pauses, not one per key
    page.locator(".ms-chip", has_text="SCORE-01").wait_for()
    box.press("Escape")

    with page.expect_navigation():
        page.locator("form[data-filter-form] button[type=submit]").click()
    assert _query(page.url)["system"] == ["7"]
