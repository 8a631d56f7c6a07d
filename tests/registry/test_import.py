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
def test_import_page_dry_run_then_commit(org, make_member, web_for):
    web = web_for(make_member(Role.OFFICER))
    url = reverse("registry:system_import")
    response = web.post(url, {"file": SimpleUploadedFile("s.csv", csv_bytes(*GOOD))})
    assert response.status_code == 200
    assert "2 systems will be registered" in response.content.decode()
    assert not AISystem.objects.exists()
    token = response.context["token"]
    response = web.post(reverse("registry:system_import_commit"), {"token": token})
    assert response.status_code == 302
    assert AISystem.objects.filter(organization=org).count() == 2
    # The same token cannot import twice.
    web.post(reverse("registry:system_import_commit"), {"token": token})
    assert AISystem.objects.filter(organization=org).count() == 2


def test_import_page_shows_errors_per_cell(org, make_member, web_for):
    web = web_for(make_member(Role.ADMIN))
    response = web.post(
        reverse("registry:system_import"),
        {"file": SimpleUploadedFile("s.csv", csv_bytes("X 1,N,P,owner,banking,,,"))},
    )
    html = response.content.decode()
    assert "1 row has errors" in html and "Nothing was imported" in html
    assert "token" not in response.context


def test_import_page_file_errors(make_member, web_for):
    web = web_for(make_member(Role.ADMIN))
    response = web.post(
        reverse("registry:system_import"),
        {"file": SimpleUploadedFile("s.csv", csv_bytes(GOOD[0], encoding="cp1251"))},
    )
    assert response.status_code == 400
    assert "not UTF-8" in response.content.decode()


def test_commit_token_of_another_organization_is_refused(org, other_org, make_member, web_for):
    web = web_for(make_member(Role.OFFICER))
    token = web.post(
        reverse("registry:system_import"), {"file": SimpleUploadedFile("s.csv", csv_bytes(*GOOD))}
    ).context["token"]
    other = web_for(make_member(Role.OFFICER, organization=other_org))
    assert other.post(reverse("registry:system_import_commit"), {"token": token}).status_code == 302
    assert not AISystem.objects.exists()


@pytest.mark.parametrize("role", [Role.CONTRIBUTOR, Role.AUDITOR, Role.VIEWER])
def test_import_commit_needs_the_import_action(role, make_member, web_for):
    web = web_for(make_member(role))
    assert web.post(reverse("registry:system_import_commit"), {"token": "x"}).status_code == 403


def test_template_download(make_member, web_for):
    web = web_for(make_member(Role.VIEWER))
    response = web.get(reverse("registry:system_import_template"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("code,name,intended_purpose")
    response = web.get(reverse("registry:system_import_template") + "?format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


# -- API -----------------------------------------------------------------------------------------------
def test_api_import_dry_run_and_commit(org, make_member, api_for):
    client = api_for(make_member(Role.OFFICER))
    url = "/api/v1/systems/import/"
    response = client.post(
        url + "?dry_run=true", {"file": SimpleUploadedFile("s.csv", csv_bytes(*GOOD))}, format="multipart"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["dry_run"] is True and response.json()["row_count"] == 2
    assert not AISystem.objects.exists()
    response = client.post(url, {"file": SimpleUploadedFile("s.csv", csv_bytes(*GOOD))}, format="multipart")
    assert response.status_code == 201
    assert len(response.json()["created"]) == 2


def test_api_import_errors(make_member, api_for):
    client = api_for(make_member(Role.OFFICER))
    url = "/api/v1/systems/import/"
    response = client.post(
        url, {"file": SimpleUploadedFile("s.csv", csv_bytes("X 1,N,P,owner,banking,,,"))}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json()["rows"][0]["errors"]["code"]
    response = client.post(
        url, {"file": SimpleUploadedFile("s.csv", csv_bytes("a", header="colour"))}, format="multipart"
    )
    assert response.status_code == 400 and "colour" in response.json()["file"][0]


@pytest.mark.parametrize("role", [Role.CONTRIBUTOR, Role.AUDITOR, Role.VIEWER])
def test_api_import_needs_the_import_action(role, make_member, api_for):
    response = api_for(make_member(role)).post(
        "/api/v1/systems/import/", {"file": SimpleUploadedFile("s.csv", csv_bytes(*GOOD))}, format="multipart"
    )
    assert response.status_code == 403
