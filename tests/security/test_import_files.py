"""Import files that are broken or crafted: each is refused at once with 400 naming the problem, on
the API and on the page, and nothing is started or stored."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kzai.core.roles import Role
from kzai.jobs.models import Job
from registry import transfer

HEADER = "code,name,intended_purpose,organization_role,sector"
ROW = "SYS-1,Scoring,Scores applications,owner,banking"


def _workbook(**overrides) -> bytes:
    """A minimal XLSX package whose parts can be replaced or left out (None)."""
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/></Types>'
        ),
        "xl/workbook.xml": "<workbook><sheets/></workbook>",
    }
    parts.update(overrides)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, text in parts.items():
            if text is not None:
                package.writestr(name, text)
    return buffer.getvalue()


def _blank_rows_workbook(rows: int) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    sheet.cell(row=rows, column=1, value="")  # a sheet dimension reaching far down
    for number in range(2, rows + 1):
        sheet.cell(row=number, column=2, value=" ")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _bomb() -> bytes:
    """Shared strings that unpack to far more than the limit from a small upload."""
    return _workbook(
        **{"xl/sharedStrings.xml": "<sst>" + "A" * (transfer.MAX_XLSX_UNPACKED_BYTES + 1) + "</sst>"}
    )


CASES = [
    ("not-a-zip.xlsx", b"PK\x03\x04 not really a zip", "not a zip package"),
    ("no-content-types.xlsx", _workbook(**{"[Content_Types].xml": None}), "no workbook or no content types"),
    ("no-workbook.xlsx", _workbook(**{"xl/workbook.xml": None}), "no workbook or no content types"),
    ("broken-xml.xlsx", _workbook(**{"xl/workbook.xml": "<workbook><sheets"}), "not a readable XLSX"),
    ("bomb.xlsx", _bomb(), "unpacks to"),
    ("no-sheets.xlsx", _workbook(), "XLSX workbook"),
    (
        "bad-content-types.xlsx",
        _workbook(
            **{"[Content_Types].xml": "<Types><Override PartName='/x' ContentType='text/plain'/></Types>"}
        ),
        "XLSX workbook",
    ),
    ("nul.csv", f"{HEADER}\nSYS-1,Sco\x00ring,P,owner,banking\n".encode(), "NUL character"),
    (
        "long-cell.csv",
        f"{HEADER}\nSYS-1,{'x' * (transfer.MAX_CSV_FIELD_BYTES + 10)},P,owner,banking\n".encode(),
        "longer than",
    ),
    ("huge-cell.csv", f'{HEADER}\nSYS-1,"{"y" * 140_000}",P,owner,banking\n'.encode(), "longer than"),
]


@pytest.mark.parametrize("name, content, message", CASES, ids=[c[0] for c in CASES])
def test_api_refuses_a_bad_file_with_400(name, content, message, make_member, api_for):
    client = api_for(make_member(Role.OFFICER))
    response = client.post(
        "/api/v1/systems/import/?dry_run=1", {"file": SimpleUploadedFile(name, content)}, format="multipart"
    )
    assert response.status_code == 400, response.content
    assert message in " ".join(response.json()["file"])
    assert not Job.objects.exists()


@pytest.mark.parametrize("name, content, message", CASES, ids=[c[0] for c in CASES])
def test_page_refuses_a_bad_file_with_400(name, content, message, make_member, web_for):
    web = web_for(make_member(Role.OFFICER))
    response = web.post(reverse("registry:system_import"), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400 and message in response.content.decode()
    assert not Job.objects.exists()


def test_a_million_blank_rows_are_refused_without_reading_them_all(make_member, api_for, settings):
    client = api_for(make_member(Role.OFFICER))
    content = _blank_rows_workbook(transfer.MAX_XLSX_SCANNED_ROWS + 50)
    response = client.post(
        "/api/v1/systems/import/?dry_run=1",
        {"file": SimpleUploadedFile("blank.xlsx", content)},
        format="multipart",
    )
    assert response.status_code == 400 and "empty ones included" in response.json()["file"][0]


def test_a_good_file_still_starts_a_job(make_member, api_for):
    client = api_for(make_member(Role.OFFICER))
    response = client.post(
        "/api/v1/systems/import/?dry_run=1",
        {"file": SimpleUploadedFile("ok.csv", f"{HEADER}\n{ROW}\n".encode())},
        format="multipart",
    )
    assert response.status_code == 202


def test_uploads_of_dry_runs_never_committed_are_removed_after_a_while(
    make_member, web_for, django_capture_on_commit_callbacks
):
    import datetime

    from django.utils import timezone

    from registry.jobs import stale_import_uploads_delete

    web = web_for(make_member(Role.OFFICER))
    with django_capture_on_commit_callbacks(execute=True):
        web.post(
            reverse("registry:system_import"),
            {"file": SimpleUploadedFile("ok.csv", f"{HEADER}\n{ROW}\n".encode())},
        )
    job = Job.objects.get()
    stored = job.input_file.name
    assert job.input_file.storage.exists(stored)
    assert stale_import_uploads_delete(now=timezone.now() + datetime.timedelta(hours=1)) == 0
    assert stale_import_uploads_delete(now=timezone.now() + datetime.timedelta(hours=25)) == 1
    assert not job.input_file.storage.exists(stored)
    assert not Job.objects.exclude(input_file="").exists()  # not looked for again the next day
    with django_capture_on_commit_callbacks(execute=True):
        web.post(reverse("registry:system_import_commit"), {"job": job.pk})
    commit = Job.objects.exclude(pk=job.pk).get()
    assert commit.status == "failed" and "no longer available" in commit.error
