"""English first; Russian and Kazakh catalogues ship compiled and are chosen by the switcher."""

import pytest

from kzai.core.roles import Role


@pytest.mark.parametrize(
    "language, expected",
    [("en", "AI systems"), ("ru", "Системы искусственного интеллекта"), ("kk", "Жасанды интеллект жүйелері")],
)
def test_language_switcher_changes_the_interface(db, make_member, web_for, language, expected):
    web = web_for(make_member(Role.VIEWER))
    response = web.post("/i18n/setlang/", {"language": language, "next": "/"})
    assert response.status_code == 302
    page = web.get("/").content.decode()
    assert f'<html lang="{language}">' in page
    assert expected in page


def test_catalogues_have_no_untranslated_or_fuzzy_entries():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "locale"
    for language in ("ru", "kk"):
        text = (root / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
        entries = text.split("\n\n")[1:]  # the first block is the header
        empty = [e for e in entries if e.rstrip().endswith('msgstr ""') and "msgid_plural" not in e]
        fuzzy = [e for e in entries if "#, fuzzy" in e]
        assert not empty, f"{language}: {len(empty)} untranslated, e.g. {empty[0][:200]}"
        assert not fuzzy, f"{language}: {len(fuzzy)} fuzzy"


def test_api_errors_speak_the_requested_language(db, make_member, api_for):
    client = api_for(make_member(Role.VIEWER), read_only=True)
    response = client.post("/api/v1/systems/", {}, format="json", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 403
    assert response.json()["detail"] == "Этот API-токен только для чтения."
