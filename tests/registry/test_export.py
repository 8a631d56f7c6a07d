"""Export of the filtered register: every row of the filter (not the page), CSV and XLSX, tenant-safe."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kzai.core.roles import Role
from tests.factories import AISystemFactory, SystemPartyLinkFactory
from tests.tenancy import UIContract

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


class TestBackgroundExportPages(UIContract):
    detail_url_name = "registry:system_export_detail"
    covered_url_names = ("registry:system_export_download",)

    def make_object(self, organization):
        from kzai.jobs.models import Job
        from kzai.jobs.services import job_start
        from registry.jobs import EXPORT_SYSTEMS
        from tests.factories import MembershipFactory

        member = MembershipFactory(organization=organization, role=Role.OFFICER)
        return Job.objects.get(pk=job_start(membership=member, kind=EXPORT_SYSTEMS, params={"query": ""}).pk)

    @pytest.mark.parametrize("role", Role.values)
    def test_role_permissions(self, role, org, make_member, web_for):
        # An export is the private result of the member who started it: nobody else reads it
        # (404), whatever their role; the member's own export is covered below.
        obj = self.make_object(org)
        member = make_member(role)
        for name in (self.detail_url_name, *self.covered_url_names):
            assert web_for(member).get(reverse(name, args=[obj.pk])).status_code == 404


# -- cost and the background path ---------------------------------------------------------------------
def _export_statements(web, org, count):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import TagFactory

    tag = TagFactory(organization=org)
    for _ in range(count):
        system = AISystemFactory(organization=org)
        system.tags.add(tag)
        SystemPartyLinkFactory(system=system)
    with CaptureQueriesContext(connection) as queries:
        rows = rows_of(web.get(reverse("registry:system_export")))
    return len(rows), len(queries)


def test_export_queries_do_not_grow_with_the_rows(org, make_member, web_for):
    from registry import transfer

    web = web_for(make_member(Role.VIEWER))
    rows_10, queries_10 = _export_statements(web, org, 10)
    rows_40, queries_40 = _export_statements(web, org, 30)
    assert (rows_10, rows_40) == (11, 41)
    assert queries_40 == queries_10  # one chunk: systems, their tags, their parties
    assert transfer.EXPORT_CHUNK >= 500


def test_a_large_xlsx_export_runs_as_a_job_with_a_download_link(
    org, other_org, make_member, web_for, settings, django_capture_on_commit_callbacks
):
    from kzai.jobs.models import Job
    from registry.jobs import EXPORT_SYSTEMS

    settings.KZAI_EXPORT_BACKGROUND_ROWS = 5
    for i in range(8):
        AISystemFactory(organization=org, code=f"BANK-{i}", sector="banking")
    AISystemFactory(organization=org, code="TEL-1", sector="telecom")
    AISystemFactory(organization=other_org, code="FOREIGN-1", sector="banking")
    viewer = make_member(Role.VIEWER)
    web = web_for(viewer)

    # Past the limit, the XLSX is offered as a background export (a GET starts nothing).
    url = reverse("registry:system_export") + "?sector=banking&format=xlsx"
    page = web.get(url)
    assert page.status_code == 200 and "Prepare the XLSX file" in page.content.decode()
    assert not Job.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = web.post(url)
    job = Job.objects.get(kind=EXPORT_SYSTEMS)
    assert response["Location"] == reverse("jobs:job_detail", args=[job.pk])
    assert job.status == "succeeded", job.error
    assert (job.progress_done, job.progress_total) == (8, 8)

    # The job page sends the member to the export's page, which links the file.
    page = web.get(reverse("jobs:job_detail", args=[job.pk]), follow=True)
    assert page.request["PATH_INFO"] == reverse("registry:system_export_detail", args=[job.pk])
    download = reverse("registry:system_export_download", args=[job.pk])
    assert download in page.content.decode()
    response = web.get(download)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    codes = sorted(row[0] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert codes == [f"BANK-{i}" for i in range(8)]  # filtered, this organization's only

    # The file is its creator's: another member, an officer of this or another organization, 404.
    for other in (make_member(Role.ADMIN), make_member(Role.OFFICER, organization=other_org)):
        assert web_for(other).get(download).status_code == 404
        assert web_for(other).get(reverse("registry:system_export_detail", args=[job.pk])).status_code == 404

    # A day later the file is deleted by the daily sweep; the page says so, the link is gone.
    import datetime

    from registry.jobs import stale_export_files_delete

    assert stale_export_files_delete(now=job.finished_at + datetime.timedelta(hours=25)) == 1
    assert web.get(download).status_code == 404
    assert (
        "has been deleted"
        in web.get(reverse("registry:system_export_detail", args=[job.pk])).content.decode()
    )


def test_an_export_of_several_chunks_has_every_system_once_with_its_own_tags_and_parties(
    org, make_member, web_for, monkeypatch
):
    from registry import transfer
    from tests.factories import TagFactory

    officer = make_member(Role.OFFICER)
    tags = [TagFactory(organization=org, name=f"tag {i}") for i in range(3)]
    for i in range(8):  # three chunks of three below, the last one short
        system = AISystemFactory(
            organization=org,
            code=f"C-{i}",
            name=f"System {i}",
            responsible_officer=officer if i % 2 else None,
            processes_personal_data=i == 1,
        )
        system.tags.add(tags[i % 3], tags[(i + 1) % 3])
        SystemPartyLinkFactory(system=system, party__name=f"Host {i}", role="hosting_provider")
        SystemPartyLinkFactory(system=system, party__name=f"Maker {i}")
    web = web_for(make_member(Role.VIEWER))
    url = reverse("registry:system_export")

    monkeypatch.setattr(transfer, "EXPORT_CHUNK", 3)
    body = b"".join(web.get(url).streaming_content)
    header, *rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    rows = [dict(zip(header, row, strict=True)) for row in rows]
    assert [row["code"] for row in rows] == [f"C-{i}" for i in range(8)]  # name order, none lost or twice
    for i, row in enumerate(rows):
        assert row["name"] == f"System {i}"
        assert row["tags"] == ", ".join(sorted([f"tag {i % 3}", f"tag {(i + 1) % 3}"]))
        assert row["parties"] == f"Maker {i} (developer); Host {i} (hosting_provider)"
        assert row["responsible_officer_email"] == (officer.user.email if i % 2 else "")
    assert rows[1] == {
        **dict.fromkeys(header, ""),
        "code": "C-1",
        "name": "System 1",
        "intended_purpose": "Credit scoring of retail loan applications.",
        "organization_role": "owner",
        "sector": "banking",
        "lifecycle_stage": "development",
        "responsible_officer_email": officer.user.email,
        "tags": "tag 1, tag 2",
        "decision_role": "none",
        "deployment": "on_premises",
        "hosting_country": "KZ",
        "risk_level": rows[1]["risk_level"],  # derived by the register's rules, not this test's subject
        "autonomy_level": rows[1]["autonomy_level"],
        **dict.fromkeys([c.header for c in transfer.COLUMNS if c.kind == "bool"], "no"),
        "processes_personal_data": "yes",
        "classification_stale": "no",
        "is_prohibited": "no",
        "parties": "Maker 1 (developer); Host 1 (hosting_provider)",
        "archived": "no",
    }

    # Read in one chunk, the file is the same to the byte.
    monkeypatch.setattr(transfer, "EXPORT_CHUNK", 500)
    assert b"".join(web.get(url).streaming_content) == body
