"""Import: good file, bad rows, mixed, wrong columns, wrong encoding, huge files; CSV and XLSX; UI and API."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from kzai.activity.models import ActivityRecord
from kzai.core.roles import Role
from registry import transfer
from registry.models import AISystem
from tests.factories import AISystemFactory

pytestmark = pytest.mark.django_db

HEADER = (
    "code,name,intended_purpose,organization_role,sector,processes_personal_data,tags,"
    "responsible_officer_email"
)


def csv_bytes(*rows: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode(encoding)


def xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


GOOD = [
    "SCORE-01,Кредитный скоринг,Scores loans,owner,banking,yes,credit;retail,",
    "CHAT-01,Chatbot,Answers questions,Possessor,Banking and finance,no,,",
]


def run(org, content, name="systems.csv", dry_run=False):
    return transfer.import_systems(organization=org, filename=name, content=content, dry_run=dry_run)


def test_good_file_commits_through_services(org, officer):
    content = csv_bytes(GOOD[0] + officer.user.email, GOOD[1])
    result = run(org, content)
    assert result.committed and len(result.rows) == 2
    score = AISystem.objects.get(organization=org, code="SCORE-01")
    assert score.name == "Кредитный скоринг" and score.processes_personal_data
    assert score.responsible_officer == officer
    assert sorted(t.name for t in score.tags.all()) == ["credit", "retail"]
    chat = AISystem.objects.get(organization=org, code="CHAT-01")
    assert chat.organization_role == "possessor"  # labels are accepted too
    assert ActivityRecord.objects.filter(object_id=str(score.pk), action="create").exists()


def test_dry_run_saves_nothing(org):
    result = run(org, csv_bytes(*GOOD), dry_run=True)
    assert result.ok and not result.committed
    assert not AISystem.objects.filter(organization=org).exists()
    assert not ActivityRecord.objects.filter(organization=org, content_type__app_label="registry").exists()


def test_bad_rows_are_reported_by_row_and_column(org):
    content = csv_bytes(
        "BAD 1,Name,Purpose,landlord,banking,maybe,,",
        ",No code,Purpose,owner,banking,,,nobody@example.kz",
    )
    result = run(org, content)
    assert not result.ok
    first, second = result.rows
    assert first.number == 2 and set(first.errors) == {"organization_role", "processes_personal_data"}
    assert second.number == 3 and set(second.errors) == {"code", "responsible_officer_email"}
    assert "nobody@example.kz" in second.errors["responsible_officer_email"][0]


def test_mixed_file_is_all_or_nothing(org):
    AISystemFactory(organization=org, code="TAKEN")
    content = csv_bytes(
        *GOOD, "TAKEN,Dup,Purpose,owner,banking,,,", "SCORE-01,Twice,Purpose,owner,banking,,,"
    )
    result = run(org, content)
    assert not result.ok
    errors = {r.number: r.errors for r in result.rows}
    assert errors[2] == {} and errors[3] == {}
    assert "already uses the code" in errors[4]["code"][0]  # from the service, mapped to its column
    assert "row 2" in errors[5]["code"][0]
    assert AISystem.objects.filter(organization=org).count() == 1  # only the pre-existing one


def test_service_rule_errors_land_on_their_columns(org):
    header = "code,name,intended_purpose,organization_role,sector,processes_biometric_data"
    result = run(org, csv_bytes("BIO-1,Face,Purpose,owner,banking,yes", header=header))
    assert "processes_personal_data" in result.rows[0].errors


def test_wrong_columns_are_named(org):
    content = csv_bytes("X,Y,Z", header="code,title,colour")
    with pytest.raises(transfer.ImportFileError) as error:
        run(org, content)
    text = " ".join(error.value.messages)
    assert "title, colour" in text
    assert "intended_purpose" in text and "organization_role" in text and "sector" in text


def test_wrong_encoding_is_explained(org):
    content = csv_bytes(GOOD[0], encoding="cp1251")
    with pytest.raises(transfer.ImportFileError) as error:
        run(org, content)
    assert "not UTF-8" in error.value.messages[0]


def test_utf8_with_bom_and_semicolons_are_accepted(org):
    content = (
        "\ufeff"
        + HEADER.replace(",", ";")
        + "\n"
        + GOOD[0].replace(",", ";").replace("credit;retail", "credit")
        + "\n"
    )
    result = run(org, content.encode("utf-8"))
    assert result.committed, result.as_dict()
    assert AISystem.objects.get(organization=org).name == "Кредитный скоринг"


def test_huge_file_rejected_with_a_message(org):
    content = csv_bytes(*GOOD) + b"#" * transfer.MAX_IMPORT_BYTES
    with pytest.raises(transfer.ImportFileError) as error:
        run(org, content)
    assert "limit is 5 MB" in error.value.messages[0]


def test_too_many_rows_rejected_with_a_message(org, settings):
    rows = [f"C-{i},N,P,owner,banking,,," for i in range(transfer.MAX_IMPORT_ROWS + 1)]
    with pytest.raises(transfer.ImportFileError) as error:
        run(org, csv_bytes(*rows))
    assert "more than 5000 rows" in error.value.messages[0]
    assert not AISystem.objects.exists()


def test_xlsx_import(org):
    content = xlsx(
        [
            [
                "code",
                "name",
                "intended_purpose",
                "organization_role",
                "sector",
                "generates_synthetic_content",
                "synthetic_media",
            ],
            ["GEN-1", "Marketing copy", "Drafts campaigns", "owner", "banking", True, "text, image"],
        ]
    )
    result = run(org, content, name="systems.xlsx")
    assert result.committed, result.as_dict()
    assert AISystem.objects.get(code="GEN-1").synthetic_media == ["image", "text"]


def test_not_an_xlsx(org):
    with pytest.raises(transfer.ImportFileError) as error:
        run(org, b"plain text", name="systems.xlsx")
    assert "XLSX" in error.value.messages[0]


def test_export_can_be_reimported(org, other_org):
    AISystemFactory(organization=org, code="ROUND-1")
    rows = list(transfer.export_rows(AISystem.objects.filter(organization=org)))
    content = "".join(transfer.csv_stream(rows)).encode("utf-8")
    result = run(other_org, content)
    assert result.committed, result.as_dict()
    assert AISystem.objects.filter(organization=other_org, code="ROUND-1").exists()


# -- pages ---------------------------------------------------------------------------------------------
def upload(web, content, capture, name="s.csv"):
    """Upload a file on the import page; the dry run runs as a job (run by `capture`, the on-commit
    fixture, as the worker would). Returns the page the job's progress page leads to."""
    with capture(execute=True):
        response = web.post(reverse("registry:system_import"), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 302 and response["Location"].startswith("/jobs/"), response
    return web.get(response["Location"], follow=True)


def commit(web, job_id, capture):
    with capture(execute=True):
        response = web.post(reverse("registry:system_import_commit"), {"job": job_id})
    return web.get(response["Location"], follow=True) if response.status_code == 302 else response


def test_import_page_shows_progress_then_dry_run_then_commit(
    org, make_member, web_for, django_capture_on_commit_callbacks
):
    web = web_for(make_member(Role.OFFICER))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        started = web.post(
            reverse("registry:system_import"), {"file": SimpleUploadedFile("s.csv", csv_bytes(*GOOD))}
        )
    progress = web.get(started["Location"])
    assert progress.status_code == 200 and "<progress" in progress.content.decode()
    assert "Import of AI systems" in progress.content.decode()
    callbacks[0]()  # the worker runs the dry run
    response = web.get(started["Location"], follow=True)
    html = response.content.decode()
    assert "2 systems will be registered" in html and "Кредитный скоринг" in html
    assert not AISystem.objects.exists()
    checked = response.context["job"]
    response = commit(web, checked.pk, django_capture_on_commit_callbacks)
    assert "2 AI systems were imported" in response.content.decode()
    assert AISystem.objects.filter(organization=org).count() == 2
    # The same dry run cannot import twice.
    with django_capture_on_commit_callbacks(execute=True):
        again = web.post(reverse("registry:system_import_commit"), {"job": checked.pk})
    assert again.status_code == 302 and again["Location"] == reverse("registry:system_import")
    assert AISystem.objects.filter(organization=org).count() == 2


def test_import_page_shows_errors_per_cell(org, make_member, web_for, django_capture_on_commit_callbacks):
    web = web_for(make_member(Role.ADMIN))
    response = upload(web, csv_bytes("X 1,N,P,owner,banking,,,"), django_capture_on_commit_callbacks)
    html = response.content.decode()
    assert "1 row has errors" in html and "Nothing was imported" in html
    assert response.context["can_commit"] is False and "Import now" not in html
    with django_capture_on_commit_callbacks(execute=True):
        refused = web.post(reverse("registry:system_import_commit"), {"job": response.context["job"].pk})
    assert refused["Location"] == reverse("registry:system_import") and not AISystem.objects.exists()


def test_import_page_file_errors(make_member, web_for, django_capture_on_commit_callbacks):
    from kzai.jobs.models import Job

    web = web_for(make_member(Role.ADMIN))
    url = reverse("registry:system_import")
    bad = SimpleUploadedFile("s.csv", csv_bytes(GOOD[0], encoding="cp1251"))
    response = web.post(url, {"file": bad})
    assert response.status_code == 400 and "not UTF-8" in response.content.decode()
    response = web.post(url, {"file": SimpleUploadedFile("s.csv", csv_bytes("a", header="colour"))})
    assert response.status_code == 400 and "Unknown columns: colour" in response.content.decode()
    assert not Job.objects.exists()  # refused before any job was started


def test_an_import_that_fails_at_commit_saves_nothing(
    org, make_member, web_for, django_capture_on_commit_callbacks
):
    web = web_for(make_member(Role.OFFICER))
    checked = upload(web, csv_bytes(*GOOD), django_capture_on_commit_callbacks).context["job"]
    AISystemFactory(organization=org, code="CHAT-01")  # taken meanwhile
    response = commit(web, checked.pk, django_capture_on_commit_callbacks)
    html = response.content.decode()
    assert response.context["job"].status == "failed" and "already uses the code" in html
    assert list(AISystem.objects.values_list("code", flat=True)) == ["CHAT-01"]


def test_commit_of_another_organizations_dry_run_is_refused(
    org, other_org, make_member, web_for, django_capture_on_commit_callbacks
):
    web = web_for(make_member(Role.OFFICER))
    checked = upload(web, csv_bytes(*GOOD), django_capture_on_commit_callbacks).context["job"]
    other = web_for(make_member(Role.OFFICER, organization=other_org))
    assert other.get(reverse("registry:system_import") + f"?job={checked.pk}").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        assert other.post(reverse("registry:system_import_commit"), {"job": checked.pk}).status_code == 302
    assert not AISystem.objects.exists()


@pytest.mark.parametrize("role", [Role.CONTRIBUTOR, Role.AUDITOR, Role.VIEWER])
def test_import_commit_needs_the_import_action(role, make_member, web_for):
    web = web_for(make_member(role))
    assert web.post(reverse("registry:system_import_commit"), {"job": "1"}).status_code == 403


def test_template_download(make_member, web_for):
    web = web_for(make_member(Role.VIEWER))
    response = web.get(reverse("registry:system_import_template"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("code,name,intended_purpose")
    response = web.get(reverse("registry:system_import_template") + "?format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


# -- API -----------------------------------------------------------------------------------------------
def api_import(client, content, dry_run=False, capture=None):
    url = "/api/v1/systems/import/" + ("?dry_run=true" if dry_run else "")
    return client.post(url, {"file": SimpleUploadedFile("s.csv", content)}, format="multipart")


def test_api_import_starts_a_job_to_poll_then_commits(
    org, make_member, api_for, django_capture_on_commit_callbacks
):
    client = api_for(make_member(Role.OFFICER))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = api_import(client, csv_bytes(*GOOD), dry_run=True)
    assert response.status_code == 202, response.json()
    job = response.json()
    assert job["status"] == "queued" and response["Location"] == job["url"]
    assert client.get(job["url"]).json()["finished"] is False
    callbacks[0]()
    polled = client.get(job["url"]).json()
    assert polled["status"] == "succeeded" and polled["result"]["dry_run"] is True
    assert polled["result"]["row_count"] == 2 and polled["result"]["error_count"] == 0
    assert polled["progress"]["percent"] == 100
    assert not AISystem.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = api_import(client, csv_bytes(*GOOD))
    assert response.status_code == 202
    polled = client.get(response.json()["url"]).json()
    assert polled["status"] == "succeeded" and polled["result"]["committed"] is True
    assert sorted(polled["result"]["created"]) == sorted(AISystem.objects.values_list("pk", flat=True))
    assert len(polled["result"]["created"]) == 2


def test_api_import_errors(make_member, api_for, django_capture_on_commit_callbacks):
    client = api_for(make_member(Role.OFFICER))
    with django_capture_on_commit_callbacks(execute=True):
        response = api_import(client, csv_bytes("X 1,N,P,owner,banking,,,"))
    job = client.get(response.json()["url"]).json()
    assert job["status"] == "failed" and job["result"]["rows"][0]["errors"]["code"]
    assert not AISystem.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = api_import(client, csv_bytes("a", header="colour"))
    assert response.status_code == 400 and "colour" in response.json()["file"][0]
    response = client.post("/api/v1/systems/import/", {}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()


@pytest.mark.parametrize("role", [Role.CONTRIBUTOR, Role.AUDITOR, Role.VIEWER])
def test_api_import_needs_the_import_action(role, make_member, api_for):
    response = api_for(make_member(role)).post(
        "/api/v1/systems/import/", {"file": SimpleUploadedFile("s.csv", csv_bytes(*GOOD))}, format="multipart"
    )
    assert response.status_code == 403


# -- cost ------------------------------------------------------------------------------------------------
def _many(count: int, email: str) -> bytes:
    rows = [
        f"Q-{i:04d},System {i},Scores loans,owner,banking,yes,credit;batch-{i % 3},{email}"
        for i in range(count)
    ]
    return csv_bytes(*rows)


def _queries(org, content, dry_run):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        result = run(org, content, dry_run=dry_run)
    assert result.ok, result.as_dict()
    return len(queries)


def test_a_dry_run_costs_the_same_queries_whatever_the_number_of_rows(org, officer):
    few = _queries(org, _many(3, officer.user.email), dry_run=True)
    many = _queries(org, _many(40, officer.user.email), dry_run=True)
    assert many == few <= 6


# A commit's cost whatever the number of rows: tests/registry/test_import_batch.py.
