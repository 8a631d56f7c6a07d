"""Fines exposure under Art. 641-1: the data file, the computation, the pages and the API."""

import copy

import pytest
import yaml
from django.urls import reverse
from django.utils import translation

from kzai.accounts.models import OrganizationSize
from kzai.core.roles import Role
from registry.services import ai_system_archive
from risk.fines import FINES_FILE, FinesDataError, parse, schedule
from risk.fines.selectors import organization_exposure, system_exposure
from risk.library.loader import LIBRARY_DIR
from risk.services.obligations import obligation_update
from tests.factories import MembershipFactory, OrganizationFactory, system_with_obligations
from tests.tenancy import APIContract, UIContract

MCI_2026 = 4325


def _raw():
    return yaml.safe_load(FINES_FILE.read_text(encoding="utf-8"))


def _library_codes():
    codes = set()
    for path in LIBRARY_DIR.glob("*.yaml"):
        for requirement in yaml.safe_load(path.read_text(encoding="utf-8"))["requirements"]:
            codes.add(requirement["id"])
    return codes


# -- the data file -----------------------------------------------------------------------------------
def test_every_listed_requirement_exists_in_the_library():
    listed = {code for v in schedule().violations for code in v.requirements}
    assert listed <= _library_codes(), listed - _library_codes()


def test_fines_cover_exactly_the_register_size_classes_and_the_2026_mci():
    assert set(schedule().fines) == set(OrganizationSize.values)
    assert schedule().fines["large"] == (100, 200)
    assert schedule().mci_for(2026) == (2026, MCI_2026)


def test_a_later_year_keeps_the_last_adopted_mci():
    assert schedule().mci_for(2031) == (2026, MCI_2026)


@pytest.mark.parametrize(
    "spoil, message",
    [
        (lambda d: d["violations"][1]["requirements"].append("KZ-AI-TR-01"), "more than one violation"),
        (lambda d: d["violations"][0]["title"].pop("kk"), "kk"),
        (lambda d: d["fines"].pop("medium"), "size classes"),
        (lambda d: d["mci"].update({2027: "4500"}), "mci"),
        (lambda d: d["violations"][0].update(mark="X"), "mark"),
    ],
)
def test_a_wrong_data_file_is_refused_with_a_message(spoil, message):
    data = copy.deepcopy(_raw())
    spoil(data)
    with pytest.raises(FinesDataError, match=message):
        parse(data)


# -- the computation ---------------------------------------------------------------------------------
@pytest.fixture
def medium_org(db):
    return OrganizationFactory(name="Gamma Retail", slug="gamma-retail", size=OrganizationSize.MEDIUM)


def _officer(organization):
    return MembershipFactory(organization=organization, role=Role.OFFICER)


def test_open_marking_duty_exposes_a_synthetic_content_generator(medium_org):
    officer = _officer(medium_org)
    system = system_with_obligations(medium_org, generates_synthetic_content=True, synthetic_media=["video"])
    exposure = system_exposure(officer, system)
    by_id = {v.violation.id: v for v in exposure.violations}
    assert "KZ-AI-TR-02" in by_id["synthetic-results"].codes
    assert exposure.fine.first_kzt == 30 * MCI_2026 and exposure.fine.repeat_kzt == 70 * MCI_2026
    assert exposure.first_kzt == len(by_id) * 30 * MCI_2026


def test_meeting_every_obligation_of_a_violation_removes_it(medium_org):
    officer = _officer(medium_org)
    system = system_with_obligations(medium_org, generates_synthetic_content=True, synthetic_media=["video"])
    before = system_exposure(officer, system)
    for obligation in system.obligations.filter(code__in=["KZ-AI-TR-01", "KZ-AI-TR-02"], in_force=True):
        obligation_update(obligation=obligation, membership=officer, status="met")
    after = system_exposure(officer, system)
    assert "synthetic-results" in {v.violation.id for v in before.violations}
    assert "synthetic-results" not in {v.violation.id for v in after.violations}
    assert after.first_kzt == before.first_kzt - 30 * MCI_2026


def test_organization_exposure_sums_systems_and_leaves_out_archived_ones(medium_org):
    officer = _officer(medium_org)
    first = system_with_obligations(medium_org)
    second = system_with_obligations(medium_org)
    one = system_exposure(officer, first).first_kzt
    assert one > 0
    assert organization_exposure(officer).first_kzt == one + system_exposure(officer, second).first_kzt
    ai_system_archive(system=second)
    assert organization_exposure(officer).first_kzt == one
    second.refresh_from_db()
    assert system_exposure(officer, second).first_kzt == 0  # an archived system is exposed to nothing


def test_an_auditor_sees_the_exposure_of_granted_systems_only(org, make_member):
    from registry.grants import grant_system_view

    granted, hidden = system_with_obligations(org), system_with_obligations(org)
    auditor = make_member(Role.AUDITOR)
    grant_system_view(auditor.user, granted)
    officer = make_member(Role.OFFICER)
    assert organization_exposure(auditor).first_kzt == system_exposure(officer, granted).first_kzt
    assert organization_exposure(officer).first_kzt > organization_exposure(auditor).first_kzt
    assert system_exposure(auditor, hidden).first_kzt == 0


# -- pages -------------------------------------------------------------------------------------------
def test_system_page_matrix_and_overview_show_the_exposure_in_tenge(medium_org, make_member, web_for):
    officer = make_member(Role.OFFICER, organization=medium_org)
    system = system_with_obligations(medium_org, generates_synthetic_content=True, synthetic_media=["image"])
    amount = f"{system_exposure(officer, system).first_kzt:,}"
    web = web_for(officer)
    risk_tab = web.get(reverse("risk:system_risk", args=[system.pk])).content.decode()
    assert "Fines exposure" in risk_tab and amount in risk_tab
    assert "30 MCI for a first offence" in risk_tab and "Medium business" in risk_tab
    matrix = web.get(reverse("risk:matrix")).content.decode()
    assert "Fines exposure" in matrix and amount in matrix
    page = web.get(reverse("risk:fines_exposure")).content.decode()
    assert system.name in page and amount in page
    assert "Failing to inform users about synthetic results" in page
    assert reverse("risk:fines_exposure") in web.get(reverse("dashboard")).content.decode()


def test_the_basis_is_shown_in_the_readers_language(org, make_member, web_for):
    member = make_member(Role.OFFICER)
    system = system_with_obligations(org)
    web = web_for(member)
    with translation.override("kk"):
        page = web.get(reverse("risk:system_risk", args=[system.pk]), HTTP_ACCEPT_LANGUAGE="kk")
    body = page.content.decode()
    assert "ӘҚБтК 641-1-бабы" in body or "ст. 641-1 КоАП РК" in body
    assert "Code of Administrative Offences, Art. 641-1" not in body


def test_filter_by_violation_lists_only_systems_risking_it(org, make_member, web_for):
    web = web_for(make_member(Role.OFFICER))
    generator = system_with_obligations(org, generates_synthetic_content=True, synthetic_media=["audio"])
    plain = system_with_obligations(org)
    page = web.get(reverse("risk:fines_exposure"), {"violation": "synthetic-results"}).content.decode()
    assert generator.name in page and plain.name not in page
    assert web.get(reverse("risk:fines_exposure"), {"violation": "no-such"}).status_code == 200


class TestFinesExposurePage(UIContract):
    list_url_name = "risk:fines_exposure"

    def make_object(self, organization):
        return system_with_obligations(organization)


# -- API ---------------------------------------------------------------------------------------------
class TestFinesExposureAPI(APIContract):
    basename = "fines-exposure"

    def make_object(self, organization):
        return system_with_obligations(organization)


def test_api_gives_the_organization_total_with_its_basis(medium_org, make_member, api_for):
    officer = make_member(Role.OFFICER, organization=medium_org)
    system = system_with_obligations(medium_org, generates_synthetic_content=True, synthetic_media=["video"])
    body = api_for(officer).get(reverse("fines-exposure-list")).json()
    assert body["organization"]["first_offence_kzt"] == system_exposure(officer, system).first_kzt
    assert body["organization"]["mci_kzt"] == MCI_2026 and body["organization"]["size_class"] == "medium"
    row = body["results"][0]
    assert row["id"] == system.pk
    assert "synthetic-results" in {v["violation"] for v in row["exposure"]["violations"]}
    detail = api_for(officer).get(reverse("fines-exposure-detail", args=[system.pk])).json()
    assert detail["exposure"]["first_offence_kzt"] == row["exposure"]["first_offence_kzt"]
    matrix = api_for(officer).get(reverse("obligation-matrix")).json()
    assert (
        matrix["organization_fines_exposure"]["first_offence_kzt"]
        == body["organization"]["first_offence_kzt"]
    )
    assert matrix["results"][0]["fines_exposure_kzt"] == row["exposure"]["first_offence_kzt"]
