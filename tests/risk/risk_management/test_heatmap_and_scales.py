"""Heat maps a board can read, and the likelihood/severity scales in words.

Every cell of both maps carries its band's colour (empty ones too), the axes name the scale in
words, each cell with risks links to the risk list filtered to exactly those risks, and the form,
the lists and the detail page show the scale's words, translated."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from risk.models import Risk
from tests.factories import AISystemFactory, RiskFactory

pytestmark = pytest.mark.django_db

CELL = re.compile(r'<td class="heat heat-(low|medium|high|critical)( heat-empty)?"')
LINK = re.compile(r'<td class="heat heat-\w+"[^>]*><a href="([^"]+)"')


@pytest.fixture
def register(org):
    """Two systems; on the first, one risk reassessed after measures and one not yet."""
    system = AISystemFactory(organization=org, code="SCORE-01")
    RiskFactory(
        system=system,
        title="Biased scores",
        likelihood=4,
        severity=5,
        residual_likelihood=2,
        residual_severity=3,
    )
    RiskFactory(system=system, title="Stale model", likelihood=4, severity=5)
    RiskFactory(system=AISystemFactory(organization=org), title="Elsewhere", likelihood=1, severity=1)
    return system


def test_every_cell_of_both_maps_is_coloured_and_axes_are_words(register, officer, web_for):
    html = web_for(officer).get(reverse("risk:register_heatmap")).content.decode()
    cells = CELL.findall(html)
    assert len(cells) == 50  # two 5×5 maps, empty cells included
    assert sum(1 for _band, empty in cells if empty) == 50 - 5  # inherent 2 cells, residual 3
    for words in ("Rare", "Almost certain", "Negligible", "Critical", "Likelihood →", "Severity ↓"):
        assert words in html
    assert 'class="heatmaps"' in html and "Low: 1–4" in html and "Critical: 17–25" in html


def test_a_cell_links_to_the_risks_it_counts(register, officer, web_for):
    web = web_for(officer)
    html = web.get(reverse("risk:register_heatmap"), {"system": register.pk}).content.decode()
    links = [link.replace("&amp;", "&") for link in LINK.findall(html)]
    inherent = next(link for link in links if "residual" not in link)
    residual = [link for link in links if "residual_likelihood=2" in link][0]
    stayed = [link for link in links if "residual_likelihood=4" in link][0]

    def titles(url):
        response = web.get(url)
        assert response.status_code == 200
        return sorted(r.title for r in response.context["page_obj"])

    assert f"system={register.pk}" in inherent
    assert titles(inherent) == ["Biased scores", "Stale model"]
    assert titles(residual) == ["Biased scores"]
    # Not yet reassessed: the residual map counts it where it was, and so does its link.
    assert titles(stayed) == ["Stale model"]


def test_system_register_shows_coloured_empty_map_before_any_risk(org, officer, web_for):
    system = AISystemFactory(organization=org)
    html = web_for(officer).get(reverse("risk:register_system", args=[system.pk])).content.decode()
    assert len(CELL.findall(html)) == 50 and "<a href" not in "".join(LINK.findall(html))


def test_system_register_cells_link_to_this_systems_risks(register, officer, web_for):
    web = web_for(officer)
    html = web.get(reverse("risk:register_system", args=[register.pk])).content.decode()
    links = [link.replace("&amp;", "&") for link in LINK.findall(html)]
    assert links and all(f"system={register.pk}" in link for link in links)


def test_heat_map_stylesheet_fits_a_phone_and_prints(officer, web_for):
    from django.contrib.staticfiles import finders

    css = open(finders.find("risk/risk.css"), encoding="utf-8").read()
    assert "table-layout: fixed" in css and "@media print" in css and "print-color-adjust: exact" in css


# -- scales in words --------------------------------------------------------------------------------
def test_risk_form_offers_the_scale_in_words(register, officer, web_for):
    html = web_for(officer).get(reverse("risk:register_risk_create")).content.decode()
    assert '<option value="1">1 — Rare</option>' in html
    assert '<option value="5">5 — Almost certain</option>' in html
    assert '<option value="5">5 — Critical</option>' in html


def test_risk_form_records_the_chosen_step(register, officer, web_for):
    response = web_for(officer).post(
        reverse("risk:register_risk_create"),
        {
            "system": register.pk,
            "title": "Leak",
            "category": "personal_data",
            "origin": "intended_use",
            "likelihood": "2",
            "severity": "4",
            "status": "identified",
        },
    )
    assert response.status_code == 302
    risk = Risk.objects.get(title="Leak")
    assert (risk.get_likelihood_display(), risk.get_severity_display()) == ("Unlikely", "Major")


def test_list_and_detail_show_the_scale_and_band_in_words(register, officer, web_for):
    web = web_for(officer)
    risk = Risk.objects.get(title="Biased scores")
    for url in (reverse("risk:register_risk_list"), reverse("risk:register_risk_detail", args=[risk.pk])):
        html = web.get(url).content.decode()
        assert "4 (likely) × 5 (critical)" in html
        assert "20 · Critical" in html and "6 · Medium" in html
        assert "· critical<" not in html and "· medium<" not in html


@pytest.mark.parametrize(
    ("language", "detail_words", "axis_word"),
    [("ru", "4 (вероятно) × 5 (критическая)", "Незначительная"), ("kk", "4 (ықтимал) × 5 (сыни)", "Елеусіз")],
)
def test_scale_words_are_translated(register, officer, web_for, language, detail_words, axis_word):
    web = web_for(officer)
    risk = Risk.objects.get(title="Biased scores")
    with translation.override(language):
        detail = web.get(reverse("risk:register_risk_detail", args=[risk.pk]), HTTP_ACCEPT_LANGUAGE=language)
        heat = web.get(reverse("risk:register_heatmap"), HTTP_ACCEPT_LANGUAGE=language)
    assert detail_words in detail.content.decode()
    assert axis_word in heat.content.decode()
    for html in (detail.content.decode(), heat.content.decode()):
        assert "Almost certain" not in html and "(likely)" not in html and "Negligible" not in html
