"""The requirements library: loading errors with file and line, immutable versions, preview/apply."""

import textwrap

import pytest
from django.urls import reverse

from kzai.core.roles import Role
from risk.choices import ObligationStatus, WithdrawnCause
from risk.library.loader import LibraryError, load_library_file, load_library_text, shipped_library_files
from risk.models import LibraryAdoption, Obligation, RequirementLibraryVersion
from risk.services.adoption import library_apply, library_preview
from risk.services.library import library_ensure_loaded, library_file_load, library_version_for
from risk.services.obligations import obligation_update
from tests.factories import system_with_obligations
from tests.tenancy import APIContract, UIContract

MINIMAL = """\
version: "2099.1"
title: {en: Test library, ru: Тестовая библиотека}
source: tests
requirements:
  - id: KZ-AI-TEST-01
    article: Art. 1
    reference_level: P
    title: {en: Always, ru: Всегда}
    text: {en: Applies to every owner, ru: Для всех собственников}
    binds: [owner, possessor]
    applies_when: true
"""


def problems(text, name="lib.yaml"):
    with pytest.raises(LibraryError) as caught:
        load_library_text(textwrap.dedent(text), name)
    return [(p.file, p.line, p.message) for p in caught.value.problems]


def test_the_shipped_library_is_valid_and_complete():
    files = shipped_library_files()
    assert files, "the repository ships at least one library file"
    data = load_library_file(files[-1])
    codes = {r["code"] for r in data.requirements}
    assert {p["code"] for p in data.practices} == {f"KZ-AI-PROH-0{n}" for n in range(1, 8)}
    for expected in (
        "KZ-AI-RISK-01",
        "KZ-AI-PROH-08",
        "KZ-AI-RM-04",
        "KZ-AI-TR-02",
        "KZ-AI-TR-04",
        "KZ-AI-HR-01",
    ):
        assert expected in codes
    rm04 = next(r for r in data.requirements if r["code"] == "KZ-AI-RM-04")
    assert rm04["recurrence"] == "P12M"  # risk update at least yearly (Art. 18(1))
    for requirement in data.requirements:
        assert requirement["title"]["en"] and requirement["title"]["ru"]
        assert requirement["reference_level"] in ("P", "S", "seed", "U")


def test_a_minimal_file_loads():
    data = load_library_text(MINIMAL, "lib.yaml")
    assert data.version == "2099.1"
    assert data.requirements[0]["rule"] is True
    assert len(data.content_hash) == 64


def test_yaml_syntax_error_has_file_and_line():
    found = problems("version: '1'\nrequirements:\n  - id: [unclosed\n", "broken.yaml")
    assert found[0][0] == "broken.yaml"
    assert found[0][1] in (3, 4)
    assert "not valid YAML" in found[0][2]


def test_unknown_fact_is_reported_at_its_line():
    text = MINIMAL.replace(
        "applies_when: true", "applies_when:\n      all:\n        - {fact: flies, eq: true}"
    )
    found = problems(text)
    assert len(found) == 1
    file, line, message = found[0]
    assert (file, line) == ("lib.yaml", 13)
    assert "unknown fact 'flies'" in message and "KZ-AI-TEST-01" in message


def test_wrong_value_for_an_enum_fact():
    text = MINIMAL.replace("applies_when: true", "applies_when: {fact: risk_level, in: [extreme]}")
    [(file, line, message)] = problems(text)
    assert line == 11 and "'extreme'" in message and "allowed" in message


def test_operator_not_allowed_for_the_fact_type():
    text = MINIMAL.replace("applies_when: true", "applies_when: {fact: synthetic_media, eq: text}")
    [(_file, _line, message)] = problems(text)
    assert "operator 'eq' does not apply to list fact" in message


def test_python_in_data_is_refused():
    text = MINIMAL.replace("applies_when: true", "applies_when: \"system.risk_level == 'high'\"")
    [(_file, line, message)] = problems(text)
    assert line == 11 and "a rule is true, false or a mapping" in message


def test_missing_keys_duplicate_ids_and_bad_values_are_all_reported():
    text = MINIMAL + (
        "  - id: KZ-AI-TEST-01\n"
        "    article: Art. 2\n"
        "    reference_level: Q\n"
        "    title: {en: Twice}\n"
        "    text: {en: x, ru: y}\n"
        "    binds: [regulator]\n"
        "    applies_when: false\n"
        "    recurrence: yearly\n"
    )
    found = problems(text)
    messages = " | ".join(m for _f, _l, m in found)
    lines = {line for _f, line, _m in found}
    assert "duplicate id" in messages
    assert "reference_level 'Q'" in messages
    assert "needs a non-empty 'ru' text" in messages
    assert "binds must be a non-empty list" in messages
    assert "recurrence 'yearly' must be an ISO duration" in messages
    assert lines == {12, 14, 15, 17, 19}  # id, reference_level, title, binds, recurrence


def test_duplicate_yaml_keys_are_refused():
    text = MINIMAL.replace("    article: Art. 1\n", "    article: Art. 1\n    article: Art. 2\n")
    [(_file, line, message)] = problems(text)
    assert line == 7 and "duplicate key 'article'" in message


def test_unknown_key_and_missing_key():
    text = MINIMAL.replace("    binds: [owner, possessor]\n", "    bind: [owner]\n")
    found = problems(text)
    messages = " | ".join(m for _f, _l, m in found)
    assert "missing required key 'binds'" in messages and "unknown key 'bind'" in messages


def test_the_management_command_reports_file_and_line(tmp_path):
    from django.core.management import CommandError, call_command

    bad = tmp_path / "2099.2.yaml"
    bad.write_text(MINIMAL.replace("reference_level: P", "reference_level: X"), encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("load_requirements", str(bad), "--check")
    assert "2099.2.yaml:7:" in str(caught.value)


# -- immutable versions, preview, apply -------------------------------------------------------------


@pytest.mark.django_db
def test_versions_are_immutable_and_loading_twice_is_a_no_op(tmp_path):
    path = tmp_path / "lib.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    first, created = library_file_load(path=path)
    again, created_again = library_file_load(path=path)
    assert created and not created_again and first.pk == again.pk
    path.write_text(MINIMAL.replace("Applies to every owner", "Changed text"), encoding="utf-8")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="immutable"):
        library_file_load(path=path)
    assert RequirementLibraryVersion.objects.filter(version="2099.1").count() == 1


NEXT_VERSION_CHANGES = [
    # KZ-AI-TR-03 removed; KZ-AI-OWN-02 kept; a new requirement for every system.
    ("  - id: KZ-AI-TR-03\n", "  - id: KZ-AI-TR-03-RETIRED\n"),
]


def next_version(tmp_path):
    """The shipped library with one requirement renamed (lost + gained) and a new version number."""
    text = shipped_library_files()[-1].read_text(encoding="utf-8")
    text = text.replace('version: "2026.2"', 'version: "2026.3"')
    text = text.replace("  - id: KZ-AI-TR-03\n", "  - id: KZ-AI-TR-03-RETIRED\n")
    text = text.replace(
        "    applies_when: {fact: generates_synthetic_content, eq: true}",
        "    applies_when: {fact: generates_synthetic_content, eq: false}",
    )
    path = tmp_path / "2026.3.yaml"
    path.write_text(text, encoding="utf-8")
    return library_file_load(path=path)[0]


@pytest.mark.django_db
def test_preview_then_apply_keeps_everything_recorded(org, other_org, make_member, tmp_path):
    officer = make_member(Role.OFFICER)
    admin = make_member(Role.ADMIN)
    generative = system_with_obligations(org, generates_synthetic_content=True, synthetic_media=["image"])
    plain = system_with_obligations(org)
    foreign = system_with_obligations(other_org)
    old = library_version_for(org)
    tr03 = Obligation.objects.get(system=generative, code="KZ-AI-TR-03")
    obligation_update(
        obligation=tr03, membership=officer, status=ObligationStatus.IN_PROGRESS, notes="Model card drafted"
    )

    new = next_version(tmp_path)
    assert library_version_for(org) == old  # loading a version applies nothing by itself

    changes = {c.system.pk: c for c in library_preview(organization=org, version=new)}
    assert set(changes) == {generative.pk, plain.pk}  # never another organization's systems
    assert {o.code for o in changes[generative.pk].lost} == {"KZ-AI-TR-03", "KZ-AI-TR-02"}
    assert {r.code for r in changes[generative.pk].gained} == {"KZ-AI-TR-03-RETIRED"}
    assert {r.code for r in changes[plain.pk].gained} == {"KZ-AI-TR-03-RETIRED", "KZ-AI-TR-02"}
    assert Obligation.objects.filter(
        system=generative, in_force=True, code="KZ-AI-TR-03"
    ).exists()  # no writes

    adoption = library_apply(organization=org, version=new, membership=admin)
    assert library_version_for(org) == new and adoption.adopted_by == admin
    assert adoption.gained == 3 and adoption.lost == 3
    tr03.refresh_from_db()
    assert not tr03.in_force and tr03.withdrawn_cause == WithdrawnCause.LIBRARY
    assert tr03.withdrawn_by_version == new and "2026.3" in str(tr03.withdrawn_label)
    assert tr03.notes == "Model card drafted" and tr03.status == ObligationStatus.IN_PROGRESS  # nothing lost
    assert tr03.library_version == old  # keeps the version it was made under
    kept = Obligation.objects.get(system=generative, code="KZ-AI-OWN-02")
    assert kept.in_force and kept.library_version == new and kept.requirement.library_version == new
    # The other organization still works under the old version.
    assert library_version_for(other_org) == old
    assert Obligation.objects.filter(system=foreign, library_version=old, in_force=True).exists()
    assert LibraryAdoption.objects.filter(organization=other_org, library_version=new).count() == 0


@pytest.mark.django_db
def test_ensure_loaded_is_idempotent():
    first = library_ensure_loaded()
    second = library_ensure_loaded()
    assert [v.pk for v in first] == [v.pk for v in second]


# -- API and pages ------------------------------------------------------------------------------------
_counter = iter(range(1, 10_000))


def _version(organization=None):
    """A stored library version (shared law data: the organization is irrelevant)."""
    from risk.library.loader import load_library_text
    from risk.services.library import library_version_store

    number = next(_counter)
    data = load_library_text(MINIMAL.replace('"2099.1"', f'"2098.{number}"'), "lib.yaml")
    return library_version_store(data=data)[0]


def test_api_preview_and_apply(org, other_org, make_member, api_for, tmp_path):
    system_with_obligations(org, generates_synthetic_content=True, synthetic_media=["image"])
    system_with_obligations(other_org)
    new = next_version(tmp_path)
    officer_client = api_for(make_member(Role.OFFICER))
    preview = officer_client.get(f"/api/v1/risk/library-versions/{new.pk}/preview/")
    assert preview.status_code == 200
    [change] = preview.json()["systems"]
    assert set(change["lost"]) == {"KZ-AI-TR-02", "KZ-AI-TR-03"} and change["gained"] == [
        "KZ-AI-TR-03-RETIRED"
    ]
    assert officer_client.post(f"/api/v1/risk/library-versions/{new.pk}/apply/").status_code == 403
    applied = api_for(make_member(Role.ADMIN)).post(f"/api/v1/risk/library-versions/{new.pk}/apply/")
    assert applied.status_code == 200 and applied.json()["lost"] == 2
    listed = officer_client.get("/api/v1/risk/library-versions/").json()["results"]
    adopted = {row["version"]: row["adopted"] for row in listed}
    assert adopted == {"2026.1": False, "2026.2": False, "2026.3": True}
    detail = officer_client.get(f"/api/v1/risk/library-versions/{new.pk}/").json()
    assert detail["requirements"][0]["titles"]["ru"] and len(detail["prohibited_practices"]) == 7


def test_library_page_preview_and_apply(org, make_member, web_for, tmp_path):
    system_with_obligations(org, generates_synthetic_content=True, synthetic_media=["image"])
    new = next_version(tmp_path)
    admin = web_for(make_member(Role.ADMIN))
    page = admin.get(reverse("risk:library_detail", args=[new.pk])).content.decode()
    assert "Preview" in page and "KZ-AI-TR-03-RETIRED" in page
    officer_page = web_for(make_member(Role.OFFICER)).get(reverse("risk:library_detail", args=[new.pk]))
    assert "Preview" not in officer_page.content.decode()
    url = reverse("risk:library_apply", args=[new.pk])
    assert web_for(make_member(Role.OFFICER)).post(url, {"confirm": "on"}).status_code == 403
    assert admin.post(url, {}).status_code == 400  # confirmation required
    assert admin.post(url, {"confirm": "on"}).status_code == 302
    assert library_version_for(org) == new


class TestLibraryVersionAPI(APIContract):
    basename = "library-version"

    def make_object(self, organization):
        return _version(organization)

    def test_other_organization_gets_404(self, org, other_org, make_member, api_for):
        """Versions are law shared by every organization; what must not cross tenants is the preview."""
        system_with_obligations(other_org)
        version = _version()
        client = api_for(make_member(Role.ADMIN, organization=org))
        assert client.get(f"/api/v1/risk/library-versions/{version.pk}/").status_code == 200
        preview = client.get(f"/api/v1/risk/library-versions/{version.pk}/preview/").json()
        assert preview["systems"] == [] and all(
            not change["systems"] and not change["obligations"] for change in preview["requirements"]
        )


class TestLibraryPages(UIContract):
    list_url_name = "risk:library_list"
    detail_url_name = "risk:library_detail"
    covered_url_names = ("risk:library_apply",)

    def make_object(self, organization):
        return _version(organization)

    def test_other_organization_gets_404(self, org, other_org, make_member, web_for):
        """Shared law data: visible to all; another organization's systems never appear in the preview."""
        foreign = system_with_obligations(other_org, name="Foreign secret system")
        version = _version()
        page = web_for(make_member(Role.ADMIN, organization=org)).get(
            reverse("risk:library_detail", args=[version.pk])
        )
        assert page.status_code == 200 and foreign.name not in page.content.decode()


def test_command_loads_previews_and_applies_for_an_organization(org, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    system_with_obligations(org, generates_synthetic_content=True, synthetic_media=["audio"])
    new = next_version(tmp_path)
    out = StringIO()
    call_command("load_requirements", str(tmp_path / "2026.3.yaml"), "--organization", org.slug, stdout=out)
    assert "already loaded" in out.getvalue() and "gains KZ-AI-TR-03-RETIRED" in out.getvalue()
    assert library_version_for(org) != new  # a preview writes nothing
    call_command(
        "load_requirements", str(tmp_path / "2026.3.yaml"), "--organization", org.slug, "--apply", stdout=out
    )
    assert library_version_for(org) == new
