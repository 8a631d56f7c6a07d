"""The controls every list shares: the filter bar (no "Sort by" select, other parameters kept),
chips for the active filters (each link drops just its value, with no empty parameters), sortable
column headers, and the navigation entry marked for the page's section."""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from kzai.core.roles import Role
from tests.factories import AISystemFactory, DataLibraryFactory, PartyFactory, RiskFactory

pytestmark = pytest.mark.django_db


def _page(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _query(href):
    return parse_qs(urlsplit(html.unescape(href)).query, keep_blank_values=True)


def _chips(page) -> dict[str, str]:
    """Chip text → its link."""
    found = re.findall(r'<a class="chip" href="([^"]*)"[^>]*>(.*?)</a>', page)
    return {_text(body): href for href, body in found}


def _clear(page) -> str:
    return re.search(r'<a class="chip-clear" href="([^"]*)"', page).group(1)


def _sorted_headers(page) -> list[tuple[str, str, str]]:
    """(aria-sort, link, text) of each header the list is sorted by."""
    found = re.findall(r'<th scope="col" aria-sort="(\w+)"><a href="([^"]*)"[^>]*>(.*?)</a></th>', page)
    return [(state, href, _text(body)) for state, href, body in found]


def _filter_form(page) -> str:
    return re.search(r"<form[^>]*data-filter-form.*?</form>", page, re.S).group(0)


def test_chips_name_each_active_filter_and_remove_only_it(org, make_member, web_for):
    web = web_for(make_member(Role.OFFICER))
    PartyFactory(organization=org, name="Astana Data Integration LLP")
    query = "?kind=legal_entity&kind=natural_person&search=astana&country=&ordering=name"
    url = reverse("registry:party_list") + query
    page = _page(web.get(url))

    chips = _chips(page)
    assert len(chips) == 3, chips
    texts = " | ".join(chips)
    assert "Search: astana" in texts and "Kind: Natural person" in texts
    assert "Kind: Legal entity (Kazakhstan)" in texts
    # Removing one kind keeps the other, the search and the sorting; no empty parameter survives.
    drop_person = next(href for text, href in chips.items() if "Natural person" in text)
    assert _query(drop_person) == {"kind": ["legal_entity"], "search": ["astana"], "ordering": ["name"]}
    assert _query(_clear(page)) == {"ordering": ["name"]}


def test_no_chips_without_filters_nor_for_any(org, make_member, web_for):
    web = web_for(make_member(Role.OFFICER))
    assert 'class="chips"' not in _page(web.get(reverse("registry:party_list")))
    page = _page(web.get(reverse("registry:library_list") + "?contains_personal_data=unknown"))
    assert 'class="chips"' not in page  # "Any" is no filter


def test_chip_names_an_object_by_its_label_not_its_id(org, make_member, web_for):
    member = make_member(Role.OFFICER)
    system = AISystemFactory(organization=org, code="SCORE-01", name="Retail credit scoring")
    RiskFactory(system=system, owner=member)
    page = _page(web_for(member).get(reverse("risk:register_risk_list") + f"?system={system.pk}"))
    [text] = _chips(page)
    assert "Retail credit scoring" in text or "SCORE-01" in text


def test_filter_bar_has_no_sort_select_and_keeps_the_sorting(org, make_member, web_for):
    web = web_for(make_member(Role.OFFICER))
    url = reverse("registry:library_list") + "?ordering=-name&page_size=&search="
    form = _filter_form(_page(web.get(url)))
    assert 'name="ordering"' in form and '<select name="ordering"' not in form
    hidden = re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)">', form)
    assert ("ordering", "-name") in hidden
    assert all(value for _name, value in hidden)  # blanks are not carried along


def test_sortable_headers_toggle_and_say_which_way(org, make_member, web_for):
    web = web_for(make_member(Role.OFFICER))
    DataLibraryFactory(organization=org)
    page = _page(web.get(reverse("registry:library_list") + "?ordering=name&search=x&page=2"))
    [(state, href, text)] = _sorted_headers(page)
    assert state == "ascending" and "▲" in text
    assert _query(href) == {"ordering": ["-name"], "search": ["x"]}  # and back to page one

    page = _page(web.get(reverse("registry:library_list") + "?ordering=-name"))
    [(state, href, text)] = _sorted_headers(page)
    assert state == "descending" and "▼" in text and _query(href) == {"ordering": ["name"]}
    # The other sortable column is a plain link, without aria-sort.
    assert re.search(r'<th scope="col"><a href="\?ordering=last_provenance_review_on" class="sort">', page)


def test_default_ordering_shows_its_arrow(org, make_member, web_for):
    member = make_member(Role.OFFICER)
    RiskFactory(system=AISystemFactory(organization=org), owner=member)
    page = _page(web_for(member).get(reverse("risk:register_risk_list")))
    [(state, href, _text_)] = _sorted_headers(page)
    assert state == "descending" and _query(href) == {"ordering": ["inherent_score"]}


@pytest.mark.parametrize(
    ("url_name", "kwargs_factory", "entry"),
    [
        ("registry:party_list", None, "Parties"),
        ("registry:party_detail", "party", "Parties"),
        ("registry:library_detail", "library", "Data libraries"),
        ("registry:system_detail", "system", "AI systems"),
        ("risk:system_risk", "system", "AI systems"),
        ("risk:register_risk_list", None, "Risk register"),
        ("risk:obligation_list", None, "Obligations"),
        ("dashboard", None, "Overview"),
    ],
)
def test_navigation_marks_the_pages_section(org, make_member, web_for, url_name, kwargs_factory, entry):
    web = web_for(make_member(Role.OFFICER))
    objects = {
        "party": lambda: PartyFactory(organization=org),
        "library": lambda: DataLibraryFactory(organization=org),
        "system": lambda: AISystemFactory(organization=org),
    }
    args = [objects[kwargs_factory]().pk] if kwargs_factory else []
    page = _page(web.get(reverse(url_name, args=args)))
    nav = re.search(r'<nav class="mainnav".*?</nav>', page, re.S).group(0)
    assert [_text(a) for a in re.findall(r'<a href="[^"]*" aria-current="page">(.*?)</a>', nav)] == [entry]


def test_phone_menu_button_and_its_targets(org, make_member, web_for):
    page = _page(web_for(make_member(Role.OFFICER)).get(reverse("dashboard")))
    button = re.search(r'<button type="button" class="menu-toggle"[^>]*>', page).group(0)
    assert " hidden" in button and 'aria-expanded="false"' in button  # kzai.js shows it
    for target in re.search(r'aria-controls="([^"]*)"', button).group(1).split():
        assert f'id="{target}"' in page


def test_the_default_of_a_select_without_an_empty_option_is_no_filter(org, make_member, web_for):
    web = web_for(make_member(Role.OFFICER))
    page = _page(web.get(reverse("registry:party_list") + "?status=active"))
    assert 'class="chips"' not in page
    assert 'data-default="active"' in _filter_form(page)  # multiselect.js leaves it out of the URL
    chips = _chips(_page(web.get(reverse("registry:party_list") + "?status=archived")))
    assert list(chips) == ["Status: Archived × (remove)"]
