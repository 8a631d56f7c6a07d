"""The risk register: scores and bands, services, catalogue, heat map, export, pages and API."""

import csv
import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from kzai.core.roles import Role
from kzai.deadlines.models import Deadline, DeadlineKind
from risk.models import Measure, Risk
from risk.risk_management import services
from risk.risk_management.catalogue.loader import CATALOGUE_DIR, CatalogueError, catalogue, load_catalogue
from risk.risk_management.choices import SCORE_BANDS, band_for
from risk.risk_management.selectors import heat_map
from tests.factories import AISystemFactory, MeasureFactory, MembershipFactory, RiskFactory
from tests.tenancy import APIContract, UIContract


# -- bands ------------------------------------------------------------------------------------------
def test_bands_cover_every_score_exactly_once():
    covered = [score for _band, low, high in SCORE_BANDS for score in range(low, high + 1)]
    assert covered == list(range(1, 26))


@pytest.mark.parametrize(
    "likelihood,severity,band",
    [
        (1, 1, "low"),
        (2, 2, "low"),
        (1, 5, "medium"),
        (3, 3, "medium"),
        (2, 5, "high"),
        (4, 4, "high"),
        (3, 5, "high"),
        (5, 4, "critical"),
        (5, 5, "critical"),
    ],
)
def test_inherent_score_and_band(org, likelihood, severity, band):
    risk = RiskFactory(system=AISystemFactory(organization=org), likelihood=likelihood, severity=severity)
    assert risk.inherent_score == likelihood * severity
    assert risk.inherent_band == band == band_for(likelihood * severity)


def test_residual_needs_both_values_and_is_scored(org):
    risk = RiskFactory(system=AISystemFactory(organization=org), likelihood=5, severity=5)
    with pytest.raises(ValidationError) as error:
        services.risk_update(risk=risk, residual_likelihood=2)
    assert "residual_severity" in error.value.message_dict
    risk.refresh_from_db()
    risk = services.risk_update(risk=risk, residual_likelihood=2, residual_severity=3)
    assert (risk.residual_score, risk.residual_band) == (6, "medium")


def test_scale_outside_one_to_five_is_rejected(org):
    with pytest.raises(ValidationError) as error:
        RiskFactory(system=AISystemFactory(organization=org), likelihood=6)
    assert "likelihood" in error.value.message_dict


def test_owner_must_belong_to_the_organization(org, other_org):
    stranger = MembershipFactory(organization=other_org)
    with pytest.raises(ValidationError) as error:
        RiskFactory(system=AISystemFactory(organization=org), owner=stranger)
    assert "owner" in error.value.message_dict


# -- measures ---------------------------------------------------------------------------------------
def test_measure_links_several_risks_of_its_system_only(org):
    system = AISystemFactory(organization=org)
    first, second = RiskFactory(system=system), RiskFactory(system=system)
    measure = MeasureFactory(system=system, risks=[first, second])
    assert set(measure.risks.all()) == {first, second}
    foreign_risk = RiskFactory(system=AISystemFactory(organization=org))
    with pytest.raises(ValidationError) as error:
        services.measure_update(measure=measure, risks=[foreign_risk])
    assert "risks" in error.value.message_dict


def test_measure_due_date_feeds_the_deadlines(org, officer):
    import datetime

    system = AISystemFactory(organization=org)
    measure = MeasureFactory(system=system, owner=officer, due_on=datetime.date(2026, 6, 1))
    deadline = Deadline.objects.get(kind=DeadlineKind.MEASURE, object_id=str(measure.pk))
    assert (deadline.due_on, deadline.responsible, deadline.system, deadline.completed_at) == (
        datetime.date(2026, 6, 1),
        officer,
        system,
        None,
    )
    services.measure_update(measure=measure, status="implemented")
    deadline.refresh_from_db()
    assert deadline.completed_at is not None
    services.measure_delete(measure=measure)
    assert not Deadline.objects.filter(kind=DeadlineKind.MEASURE).exists()


# -- catalogue --------------------------------------------------------------------------------------
def test_shipped_catalogue_is_valid_and_cross_referenced():
    entries = catalogue()
    assert len(entries.risks) >= 10 and len(entries.measures) >= 10
    for risk in entries.risks.values():
        assert all(key in entries.measures for key in risk.measures)
        assert risk.text("title") and risk.title.get("ru")


def test_catalogue_errors_name_file_and_line(tmp_path):
    (tmp_path / "measures.yaml").write_text((CATALOGUE_DIR / "measures.yaml").read_text(encoding="utf-8"))
    (tmp_path / "risks.yaml").write_text(
        'version: "x"\nrisks:\n  - key: a\n    category: astrology\n    origin: intended_use\n'
        "    likelihood: 7\n    severity: 2\n    title: {en: A}\n    description: {en: B}\n"
        "    measures: [no-such-measure]\n",
        encoding="utf-8",
    )
    with pytest.raises(CatalogueError) as error:
        load_catalogue(Path(tmp_path))
    problems = error.value.problems
    assert any(p.startswith("risks.yaml:4:") and "astrology" in p for p in problems), problems
    assert any(p.startswith("risks.yaml:6:") and "1 to 5" in p for p in problems), problems
    assert any(p.startswith("risks.yaml:10:") and "no-such-measure" in p for p in problems), problems


def test_catalogue_reports_broken_yaml(tmp_path):
    (tmp_path / "measures.yaml").write_text("version: x\nmeasures: [\n", encoding="utf-8")
    (tmp_path / "risks.yaml").write_text("version: x\nrisks: []\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"measures.yaml:\d+: not valid YAML"):
        load_catalogue(Path(tmp_path))


def test_add_from_catalogue_creates_risks_with_shared_measures_once(org, officer):
    system = AISystemFactory(organization=org)
    keys = ["bias-protected-groups", "model-inaccuracy"]  # both suggest human-review
    created = services.register_add_from_catalogue(system=system, risk_keys=keys, owner=officer)
    assert [r.catalogue_key for r in created] == keys
    human_review = Measure.objects.get(system=system, catalogue_key="human-review")
    assert set(human_review.risks.values_list("catalogue_key", flat=True)) == set(keys)
    # Picking again adds nothing twice.
    assert services.register_add_from_catalogue(system=system, risk_keys=keys) == []
    assert Risk.objects.filter(system=system).count() == 2
    with pytest.raises(ValidationError):
        services.register_add_from_catalogue(system=system, risk_keys=["nope"])


# -- heat map and export ----------------------------------------------------------------------------
def test_heat_map_counts_inherent_and_residual(org):
    system = AISystemFactory(organization=org)
    RiskFactory(system=system, likelihood=5, severity=4, residual_likelihood=2, residual_severity=2)
    RiskFactory(system=system, likelihood=5, severity=4)
    grid = heat_map(Risk.objects.filter(system=system))

    def cell(name, likelihood, severity):
        row = next(r for r in grid[name] if r["severity"] == severity)
        return row["cells"][likelihood - 1]["count"]

    assert grid["total"] == 2
    assert cell("inherent", 5, 4) == 2
    assert cell("residual", 5, 4) == 1 and cell("residual", 2, 2) == 1


def test_heat_map_page_is_an_accessible_table_and_filters(org, officer, web_for):
    RiskFactory(system=AISystemFactory(organization=org), likelihood=4, severity=5, category="legal")
    RiskFactory(system=AISystemFactory(organization=org), likelihood=1, severity=1, category="safety")
    web = web_for(officer)
    html = web.get(reverse("risk:register_heatmap")).content.decode()
    assert "<caption" in html and 'scope="row"' in html and 'scope="col"' in html
    assert "1 risk: likelihood 4 (Likely) × severity 5 (Critical) = 20, Critical" in html
    assert "2 risks in the selection" in html
    html = web.get(reverse("risk:register_heatmap"), {"category": "legal"}).content.decode()
    assert "1 risk in the selection" in html


def test_export_csv_and_xlsx_follow_the_filters(org, officer, web_for):
    system = AISystemFactory(organization=org)
    RiskFactory(system=system, title="Кредитный скоринг: предвзятость", likelihood=5, severity=5)
    RiskFactory(system=system, title="Minor glitch", likelihood=1, severity=1)
    web = web_for(officer)
    response = web.get(reverse("risk:register_risk_export"), {"band": "critical", "format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][1] == "Risk" and len(rows) == 2
    assert rows[1][1] == "Кредитный скоринг: предвзятость" and rows[1][7] == "Critical"
    response = web.get(reverse("risk:register_risk_export"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 3


def test_export_words_every_row_in_the_readers_language(org, officer, web_for):
    # The export words choices and bands from maps made once per export: each row must read as the
    # risk's own words say it, in the language of the request (here as `get_FOO_display` says it).
    from django.utils import translation

    system = AISystemFactory(organization=org, code="CS-1", name="Скоринг")
    risks = [
        RiskFactory(system=system, title="Bias", category="discrimination", likelihood=5, severity=5),
        RiskFactory(
            system=system,
            title="Leak",
            category="personal_data",
            origin="foreseeable_misuse",
            likelihood=2,
            severity=3,
            residual_likelihood=1,
            residual_severity=2,
            owner=officer,
            status="treated",
        ),
    ]
    with translation.override("ru"):
        response = web_for(officer).get(reverse("risk:register_risk_export"), HTTP_ACCEPT_LANGUAGE="ru")
        expected = [
            [
                "CS-1 Скоринг",
                risk.title,
                risk.get_category_display(),
                risk.get_origin_display(),
                str(risk.likelihood),
                str(risk.severity),
                str(risk.inherent_score),
                str(risk.inherent_band_label),
                str(risk.residual_score or ""),
                str(risk.residual_band_label),
                risk.owner.user.email if risk.owner else "",
                risk.get_status_display(),
            ]
            for risk in risks
        ]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][1] == "Риск" and rows[1:] == expected
    assert expected[0][7] == "Критический" and expected[1][9] != "" and expected[1][11] != "treated"


def test_risk_list_filters_by_band_and_sorts(org, officer, web_for):
    system = AISystemFactory(organization=org)
    RiskFactory(system=system, title="High one", likelihood=4, severity=4)
    RiskFactory(system=system, title="Low one", likelihood=1, severity=2)
    page = web_for(officer).get(reverse("risk:register_risk_list"), {"band": "high"}).content.decode()
    assert "High one" in page and "Low one" not in page


def test_create_form_shows_service_errors(org, officer, web_for):
    system = AISystemFactory(organization=org)
    response = web_for(officer).post(
        reverse("risk:register_risk_create"),
        {
            "system": system.pk,
            "title": "X",
            "category": "legal",
            "origin": "intended_use",
            "likelihood": 3,
            "severity": 3,
            "residual_likelihood": 2,
            "status": "identified",
        },
    )
    assert response.status_code == 200
    assert "Give both residual likelihood and residual severity" in response.content.decode()


def test_catalogue_page_adds_selected_risks(org, officer, web_for):
    system = AISystemFactory(organization=org)
    url = reverse("risk:register_catalogue", args=[system.pk])
    web = web_for(officer)
    assert "Prompt injection" in web.get(url).content.decode()
    assert "Choose one or more" in web.post(url, {}).content.decode()
    response = web.post(url, {"risk_keys": ["prompt-injection"]})
    assert response.status_code == 302
    assert Risk.objects.get(system=system).catalogue_key == "prompt-injection"


# -- tenancy contracts ------------------------------------------------------------------------------
class TestRiskAPI(APIContract):
    basename = "register-risk"
    supports_delete = True

    def make_object(self, organization):
        return RiskFactory(system=AISystemFactory(organization=organization))

    def create_payload(self, organization):
        system = AISystemFactory(organization=organization)
        return {
            "system": system.pk,
            "title": "Prompt injection",
            "category": "information_security",
            "likelihood": 4,
            "severity": 4,
        }

    def update_payload(self, obj):
        return {"residual_likelihood": 2, "residual_severity": 2}


class TestMeasureAPI(APIContract):
    basename = "register-measure"
    supports_delete = True

    def make_object(self, organization):
        return MeasureFactory(system=AISystemFactory(organization=organization))

    def create_payload(self, organization):
        risk = RiskFactory(system=AISystemFactory(organization=organization))
        return {
            "system": risk.system_id,
            "title": "Human review",
            "kind": "organisational",
            "risks": [risk.pk],
        }

    def update_payload(self, obj):
        return {"status": "implemented", "evidence": "Procedure approved by the board on 2026-02-01."}


def test_api_rejects_bad_input_with_field_errors(org, officer, api_for, other_org):
    client = api_for(officer)
    foreign_system = AISystemFactory(organization=other_org)
    body = client.post(
        reverse("register-risk-list"),
        {"system": foreign_system.pk, "title": "", "category": "astrology", "likelihood": 9, "severity": 1},
        format="json",
    ).json()
    assert {"system", "title", "category", "likelihood", "detail"} <= set(body)


def test_api_catalogue_and_from_catalogue(org, make_member, api_for):
    system = AISystemFactory(organization=org)
    listed = api_for(make_member(Role.VIEWER)).get(reverse("register-risk-catalogue")).json()
    assert any(entry["key"] == "prompt-injection" for entry in listed)
    url = reverse("register-risk-fromcatalogue")
    payload = {"system": system.pk, "risk_keys": ["prompt-injection"]}
    assert api_for(make_member(Role.VIEWER)).post(url, payload, format="json").status_code == 403
    response = api_for(make_member(Role.CONTRIBUTOR)).post(url, payload, format="json")
    assert response.status_code == 201 and response.json()[0]["inherent_band"] == "high"


class TestRiskListPage(UIContract):
    list_url_name = "risk:register_risk_list"
    detail_url_name = "risk:register_risk_detail"
    create_url_name = "risk:register_risk_create"
    update_url_name = "risk:register_risk_update"
    covered_url_names = ("risk:register_risk_export", "risk:register_heatmap", "risk:register_risk_delete")

    def make_object(self, organization):
        return RiskFactory(system=AISystemFactory(organization=organization))


class TestMeasurePages(UIContract):
    list_url_name = "risk:register_measure_list"
    create_url_name = "risk:register_measure_create"
    update_url_name = "risk:register_measure_update"
    covered_url_names = ("risk:register_measure_delete",)

    def make_object(self, organization):
        return MeasureFactory(system=AISystemFactory(organization=organization))


class TestSystemRegisterPage(UIContract):
    detail_url_name = "risk:register_system"
    covered_url_names = ("risk:register_catalogue",)

    def make_object(self, organization):
        system = AISystemFactory(organization=organization)
        RiskFactory(system=system)
        return system


@pytest.mark.parametrize("role", Role.values)
def test_export_heatmap_catalogue_and_delete_follow_roles(role, org, other_org, make_member, web_for):
    from kzai.core.roles import Action, role_allows

    member = make_member(role)
    web = web_for(member)
    system = AISystemFactory(organization=org)
    risk = RiskFactory(system=system)
    foreign = RiskFactory(system=AISystemFactory(organization=other_org), title="Foreign secret risk")
    export = web.get(reverse("risk:register_risk_export"))
    assert export.status_code == 200
    assert "Foreign secret risk" not in b"".join(export.streaming_content).decode("utf-8-sig")
    assert web.get(reverse("risk:register_heatmap")).status_code == 200
    catalogue_url = reverse("risk:register_catalogue", args=[system.pk])
    if not role_allows(role, Action.ADD):
        assert web.get(catalogue_url).status_code == 403
    else:
        assert web.get(catalogue_url).status_code == 200
    delete = web.post(reverse("risk:register_risk_delete", args=[risk.pk]))
    assert delete.status_code == (302 if role_allows(role, Action.DELETE) else 403)
    if role_allows(role, Action.DELETE):
        assert web.post(reverse("risk:register_risk_delete", args=[foreign.pk])).status_code == 404
