"""Export of the filtered register: every row of the filter (not the page), CSV and XLSX, tenant-safe."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kzai.core.roles import Role
from tests.factories import AISystemFactory, SystemPartyLinkFactory

pytestmark = pytest.mark.django_db


def rows_of(response):
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_csv_export_has_all_filtered_rows(org, other_org, make_member, web_for):
    for i in range(60):  # more than one page
        AISystemFactory(organization=org, code=f"BANK-{i:03d}", sector="banking")
    AISystemFactory(organization=org, code="TEL-1", sector="telecom")
    AISystemFactory(organization=other_org, code="FOREIGN-1", sector="banking")
    SystemPartyLinkFactory(system=AISystemFactory(organization=org, code="BANK-X"), party__name="Halyk Bank")
    web = web_for(make_member(Role.VIEWER))
    response = web.get(reverse("registry:system_export") + "?sector=banking&page=2")
    assert response["Content-Type"].startswith("text/csv")
    rows = rows_of(response)
    codes = {row[0] for row in rows[1:]}
    assert len(codes) == 61 and "TEL-1" not in codes and "FOREIGN-1" not in codes
    header = rows[0]
    assert header[:3] == ["code", "name", "intended_purpose"] and "is_prohibited" in header
    bank_x = next(r for r in rows if r[0] == "BANK-X")
    assert "Halyk Bank (developer)" in bank_x[header.index("parties")]


def test_xlsx_export(org, make_member, web_for):
    AISystemFactory(organization=org, code="XL-1", name="Сканер документов")
    web = web_for(make_member(Role.AUDITOR))  # sees nothing until granted
    response = web.get(reverse("registry:system_export") + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 1
    web = web_for(make_member(Role.VIEWER))
    response = web.get(reverse("registry:system_export") + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for cell in sheet[2]]
    assert values[0] == "XL-1" and values[1] == "Сканер документов"


def test_export_needs_sign_in(client):
    response = client.get(reverse("registry:system_export"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_export_query_count_is_bounded_by_chunks(org, make_member, web_for, django_assert_max_num_queries):
    for _ in range(30):
        SystemPartyLinkFactory(system=AISystemFactory(organization=org))
    web = web_for(make_member(Role.VIEWER))
    with django_assert_max_num_queries(15):
        rows = rows_of(web.get(reverse("registry:system_export")))
    assert len(rows) == 31
