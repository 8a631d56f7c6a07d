"""The law in the state language: every library text in ru and kk, kk → ru fallback, articles
rendered per language, the confidence marks explained, the rationale rendered for its reader."""

import subprocess

import pytest
import yaml
from django.urls import reverse
from django.utils import translation

from kzai.core.roles import Role
from risk.library import articles
from risk.library.loader import LibraryError, load_library_text, shipped_library_files
from risk.library.texts import TEXTS_FILE, localised, missing_translations
from risk.models import Classification, Requirement
from risk.risk_management.catalogue.loader import CATALOGUE_DIR
from tests.factories import classify_system, system_with_obligations


@pytest.fixture(autouse=True)
def _restore_language():
    """Pages read here in ru or kk leave that language active in the thread; later tests read en."""
    language = translation.get_language()
    yield
    translation.activate(language)


# 2026.1 is a stored, immutable version that predates the state-language texts; 2026.2 replaced it.
CURRENT_FILES = [
    shipped_library_files()[-1],
    TEXTS_FILE,
    CATALOGUE_DIR / "risks.yaml",
    CATALOGUE_DIR / "measures.yaml",
]


@pytest.mark.parametrize("path", CURRENT_FILES, ids=lambda p: p.name)
def test_every_library_text_has_russian_and_kazakh(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert missing_translations(data) == []


def test_the_translation_check_finds_a_missing_text():
    data = {
        "requirements": [{"id": "KZ-AI-X-01", "title": {"en": "T", "ru": "Т"}, "text": {"en": "x", "kk": ""}}]
    }
    assert missing_translations(data) == [
        "/requirements[KZ-AI-X-01]/title: no 'kk' text",
        "/requirements[KZ-AI-X-01]/text: no 'ru' text",
        "/requirements[KZ-AI-X-01]/text: no 'kk' text",
    ]


def test_kazakh_falls_back_to_russian_not_english():
    texts = {"en": "Classify", "ru": "Классифицировать"}
    assert localised(texts, "kk") == "Классифицировать"
    assert localised({**texts, "kk": "Жіктеу"}, "kk") == "Жіктеу"
    assert localised({"en": "Classify"}, "kk") == "Classify"  # the last resort
    with translation.override("kk"):
        assert localised(texts) == "Классифицировать"


@pytest.mark.django_db
def test_a_requirement_without_kazakh_shows_russian(org):
    system_with_obligations(org)
    legacy = Requirement.objects.get(library_version__version="2026.1", code="KZ-AI-RM-01")
    assert "kk" not in legacy.title
    with translation.override("kk"):
        assert legacy.title_text == legacy.title["ru"]


def test_interface_messages_missing_in_kazakh_fall_back_to_russian(settings, tmp_path):
    """A message the Kazakh catalogue lacks is looked up in the Russian one (kzai.core.i18n)."""
    folder = tmp_path / "locale" / "ru" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = folder / "django.po"
    po.write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Fallback probe"\nmsgstr "Проверка отката"\n',
        encoding="utf-8",
    )
    subprocess.run(["msgfmt", "-o", str(folder / "django.mo"), str(po)], check=True)
    settings.LOCALE_PATHS = [tmp_path / "locale", *settings.LOCALE_PATHS]
    with translation.override("kk"):
        assert translation.gettext("Fallback probe") == "Проверка отката"
        assert translation.gettext("AI systems") == "Жасанды интеллект жүйелері"  # Kazakh first
    with translation.override("en"):
        assert translation.gettext("Fallback probe") == "Fallback probe"


# -- articles ------------------------------------------------------------------------------------------
ARTICLES = [
    (
        [{"article": "17", "paragraph": "1", "note": "last_paragraph"}],
        "Art. 17(1), last paragraph",
        "п. 1 ст. 17, последний абзац",
        "17-баптың 1-тармағы, соңғы абзац",
    ),
    ([{"article": "10"}], "Art. 10", "ст. 10", "10-бап"),
    (
        [{"article": "21", "paragraph": "2", "paragraph_to": "3"}],
        "Art. 21(2)–(3)",
        "пп. 2–3 ст. 21",
        "21-баптың 2–3-тармақтары",
    ),
    (
        [{"article": "15", "paragraph": "2", "subparagraph": "5"}, {"article": "16", "paragraph": "1"}],
        "Art. 15(2)(5); Art. 16(1)",
        "подп. 5) п. 2 ст. 15; п. 1 ст. 16",
        "15-баптың 2-тармағының 5) тармақшасы; 16-баптың 1-тармағы",
    ),
    (
        [{"act": "personal_data_law", "article": "19-1"}],
        "Art. 19-1 of the Law on Personal Data and Their Protection",
        "ст. 19-1 Закона Республики Казахстан «О персональных данных и их защите»",
        "«Дербес деректер және оларды қорғау туралы» Қазақстан Республикасы Заңының 19-1-бабы",
    ),
    (
        [{"unnamed": "practice"}],
        "Article not named (practice)",
        "Статья не названа (практика)",
        "Бабы көрсетілмеген (практика)",
    ),
]


@pytest.mark.parametrize(("references", "en", "ru", "kk"), ARTICLES, ids=[row[1] for row in ARTICLES])
def test_articles_render_as_lawyers_write_them(references, en, ru, kk):
    assert (
        articles.render(references, "en"),
        articles.render(references, "ru"),
        articles.render(references, "kk"),
    ) == (
        en,
        ru,
        kk,
    )


def test_legacy_article_text_is_read_into_the_structure():
    assert articles.parse_legacy("Art. 17(1), last paragraph") == [
        {"article": "17", "paragraph": "1", "note": "last_paragraph"}
    ]
    assert articles.parse_legacy("Art. 15(2)(5); Art. 16(1)(1)") == [
        {"article": "15", "paragraph": "2", "subparagraph": "5"},
        {"article": "16", "paragraph": "1", "subparagraph": "1"},
    ]
    assert articles.parse_legacy("Not named in the catalogue (practice)") == [
        {"text": "Not named in the catalogue (practice)"}
    ]


def test_a_bad_reference_is_refused_with_its_line():
    text = """\
version: "2099.7"
title: {en: T, ru: Т}
source: tests
requirements:
  - id: KZ-AI-TEST-01
    article: [{article: "17", act: penal_code}]
    reference_level: P
    title: {en: A, ru: А}
    text: {en: B, ru: Б}
    binds: [owner]
    applies_when: true
"""
    with pytest.raises(LibraryError) as caught:
        load_library_text(text, "lib.yaml")
    [problem] = caught.value.problems
    assert problem.line == 6 and "unknown act 'penal_code'" in problem.message


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "citation", "legend"),
    [
        ("en", "Art. 17(1), last paragraph", "Read in the official text of the law."),
        ("ru", "п. 1 ст. 17, последний абзац", "Прочитано в официальном тексте закона."),
        ("kk", "17-баптың 1-тармағы, соңғы абзац", "Заңның ресми мәтінінде оқылды."),
    ],
)
def test_obligation_page_cites_the_article_in_the_readers_language_and_explains_the_mark(
    org, make_member, web_for, language, citation, legend
):
    officer = make_member(Role.OFFICER)
    system = system_with_obligations(org, critical_ict_infrastructure=True)
    classify_system(system, officer, disruption_impact="emergency", critical_ict_infrastructure=True)
    obligation = system.obligations.get(code="KZ-AI-HR-01")
    web = web_for(officer)
    web.post("/i18n/setlang/", {"language": language, "next": "/"})
    page = web.get(reverse("risk:obligation_detail", args=[obligation.pk])).content.decode()
    assert citation in page
    assert f'<abbr class="ref-mark" title="{legend}">[P]</abbr>' in page  # the tooltip on the mark
    assert "marks-legend" in page and legend in page  # and the legend
    assert "Art. 17(1)" not in page or language == "en"


# -- the rationale is data ----------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_rationale_is_stored_as_keys_and_read_in_the_readers_language(org, make_member, api_for):
    officer = make_member(Role.OFFICER)
    system = system_with_obligations(org, critical_ict_infrastructure=False)
    with translation.override("en"):
        classification = classify_system(
            system,
            officer,
            disruption_impact="minimal",
            affected_domains=["defence"],
            critical_ict_infrastructure=True,
            approve=False,
        )
    classification = Classification.objects.get(pk=classification.pk)
    assert [r["key"] for r in classification.reasons] == [
        "risk_domains",
        "state_high",
        "autonomy",
        "note_cii_differs",
    ]
    assert classification.reasons[0]["params"] == {"domains": ["defence"]}
    with translation.override("kk"):
        text = classification.rationale_display
    assert "жоғары тәуекел" in text and "Қорғаныс қабілеті" in text
    assert "17-баптың 1-тармағы [P]" in text and "high risk" not in text
    with translation.override("ru"):
        assert "п. 1 ст. 17 [P]" in classification.rationale_display
    response = api_for(officer).get(
        f"/api/v1/risk/classifications/{classification.pk}/", HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert response.status_code == 200 and "высокий риск" in response.json()["rationale"]
