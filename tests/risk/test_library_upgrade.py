"""Library upgrades that show every change: the preview lists every added, removed and changed
requirement field by field with what it touches; applying returns obligations whose requirement
changed in substance for review, in their history; stored versions cannot be edited."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from kzai.activity.models import ActivityRecord
from kzai.core.roles import Role
from risk.choices import ObligationStatus
from risk.library.loader import shipped_library_files
from risk.models import Obligation, Requirement, RequirementLibraryVersion
from risk.models.library import ImmutableVersionError
from risk.services.adoption import library_apply, library_diff
from risk.services.library import library_file_load, library_version_for
from risk.services.obligations import obligation_update
from tests.factories import system_with_obligations

TR03_EN = (
    "      en: Users get full information on the system's capabilities, characteristics and limitations.\n"
)
OWN02_KK = "      kk: Қауіпсіздік пен сенімділікті қамтамасыз ету\n"


def changed_library(tmp_path, version="2026.3", name=None) -> str:
    """The newest shipped library with: TR-03's English text changed (substance), OWN-02's Kazakh
    title reworded (wording only), HR-05 removed and a new requirement added."""
    text = shipped_library_files()[-1].read_text(encoding="utf-8")
    assert text.count(TR03_EN) == 1 and text.count(OWN02_KK) == 1
    text = text.replace('version: "2026.2"', f'version: "{version}"')
    text = text.replace(TR03_EN, TR03_EN.rstrip("\n")[:-1] + ", in Kazakh and Russian.\n")
    text = text.replace(OWN02_KK, "      kk: Жүйенің қауіпсіздігі мен сенімділігін қамтамасыз ету\n")
    text = re.sub(r"  - id: KZ-AI-HR-05\n.*?\n\n", "", text, flags=re.S)
    text += """
  - id: KZ-AI-TEST-99
    article: [{article: "15", paragraph: "2"}]
    reference_level: U
    title: {en: New duty, ru: Новая обязанность, kk: Жаңа міндет}
    text: {en: Applies to all, ru: Для всех, kk: Барлығына}
    binds: [owner, possessor]
    applies_when: true
"""
    path = tmp_path / (name or f"{version}.yaml")
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.django_db
def test_the_preview_lists_every_change_field_by_field_and_what_it_touches(
    org, make_member, web_for, tmp_path
):
    system = system_with_obligations(org)
    new = library_file_load(path=changed_library(tmp_path))[0]
    changes = {c.code: c for c in library_diff(organization=org, version=new)}
    assert {code: c.kind for code, c in changes.items()} == {
        "KZ-AI-TR-03": "changed",
        "KZ-AI-OWN-02": "changed",
        "KZ-AI-HR-05": "removed",
        "KZ-AI-TEST-99": "added",
    }
    tr03 = changes["KZ-AI-TR-03"]
    assert [(f.field, f.language, f.substantive) for f in tr03.fields] == [("text", "en", True)]
    assert tr03.fields[0].after.endswith("in Kazakh and Russian.")
    assert [o.code for o in tr03.obligations] == ["KZ-AI-TR-03"] and tr03.systems == [system]
    own02 = changes["KZ-AI-OWN-02"]
    assert [(f.field, f.language) for f in own02.fields] == [("title", "kk")] and not own02.substantive
    assert changes["KZ-AI-TEST-99"].systems == [system]

    page = (
        web_for(make_member(Role.ADMIN)).get(reverse("risk:library_detail", args=[new.pk])).content.decode()
    )
    assert 'id="diff-KZ-AI-TR-03"' in page and "Text (en)" in page and "in Kazakh and Russian." in page
    assert (
        'id="diff-KZ-AI-HR-05"' in page
        and "Changed in substance" in page
        and "Wording in another language" in page
    )


@pytest.mark.django_db
def test_applying_returns_substantively_changed_obligations_for_review(org, make_member, tmp_path):
    officer, admin = make_member(Role.OFFICER), make_member(Role.ADMIN)
    system = system_with_obligations(org)
    tr03 = system.obligations.get(code="KZ-AI-TR-03")
    obligation_update(obligation=tr03, membership=officer, status=ObligationStatus.MET)
    new = library_file_load(path=changed_library(tmp_path))[0]

    library_apply(organization=org, version=new, membership=admin)

    tr03.refresh_from_db()
    assert tr03.needs_review and tr03.status == ObligationStatus.MET  # nothing lost, but flagged
    assert tr03.review_changes == {"from": "2026.2", "to": "2026.3", "fields": ["text"]}
    assert "2026.3" in tr03.review_label and "Text" in tr03.review_label
    assert not Obligation.objects.get(system=system, code="KZ-AI-OWN-02").needs_review  # wording only
    history = ActivityRecord.objects.filter(object_id=str(tr03.pk), changes__has_key="needs_review")
    assert history.exists() and history.first().changes["needs_review"] == [False, True]

    obligation_update(obligation=tr03, membership=officer, notes="Checked against 2026.3")
    tr03.refresh_from_db()
    assert not tr03.needs_review  # a member saving it confirms the review


@pytest.mark.django_db
def test_command_check_previews_without_storing(org, tmp_path):
    system_with_obligations(org)
    out = StringIO()
    call_command(
        "load_requirements", changed_library(tmp_path), "--organization", org.slug, "--check", stdout=out
    )
    text = out.getvalue()
    assert "CHANGED KZ-AI-TR-03" in text and "Text (en)" in text and "(return for review)" in text
    assert "REMOVED KZ-AI-HR-05" in text and "ADDED KZ-AI-TEST-99" in text and "(wording only)" in text
    assert "nothing was stored" in text
    assert not RequirementLibraryVersion.objects.filter(version="2026.3").exists()
    assert library_version_for(org).version == "2026.2"


@pytest.mark.django_db
def test_a_file_that_changes_a_stored_version_is_refused_with_a_message(org, tmp_path):
    library_version_for(org)  # 2026.2 stored
    path = changed_library(tmp_path, version="2026.2", name="edited.yaml")
    with pytest.raises(CommandError, match="already loaded with different content"):
        call_command("load_requirements", path, stdout=StringIO())


@pytest.mark.django_db
def test_a_stored_version_cannot_be_edited_or_deleted(org):
    version = library_version_for(org)
    requirement = version.requirements.get(code="KZ-AI-TR-03")
    requirement.text = {"en": "Edited", "ru": "Изменено", "kk": "Өзгертілді"}
    with pytest.raises(ImmutableVersionError):
        requirement.save()
    with pytest.raises(ImmutableVersionError):
        requirement.delete()
    version.title = {"en": "Edited"}
    with pytest.raises(ImmutableVersionError):
        version.save()
    with pytest.raises(ImmutableVersionError):
        version.delete()
    assert Requirement.objects.get(pk=requirement.pk).text["en"] != "Edited"


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_database_refuses_writes_that_bypass_the_model(org):
    version = library_version_for(org)
    with pytest.raises(IntegrityError), transaction.atomic():
        Requirement.objects.filter(library_version=version).update(article="Art. 99")
    with pytest.raises(IntegrityError), transaction.atomic():
        RequirementLibraryVersion.objects.filter(pk=version.pk).update(source="edited")
