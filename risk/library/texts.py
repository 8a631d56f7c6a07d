"""Library texts in the reader's language: the fallback order, legal-act names and rationale lines.

Every legal text is a mapping of languages (`{en: …, ru: …, kk: …}`). It is shown in the reader's
language; a missing Kazakh text falls back to Russian, never straight to English (the brief's rule
for the state language), and English is the last resort. `texts.yaml` next to this module holds
the texts the library renders around its requirements (act names, notes, rationale lines).
"""

from __future__ import annotations

import functools
from pathlib import Path

import yaml
from django.conf import settings
from django.utils.translation import get_language

TEXTS_FILE = Path(__file__).resolve().parent / "texts.yaml"
LANGUAGES = ("en", "ru", "kk")


def fallback_chain(language: str | None = None) -> tuple[str, ...]:
    """The languages to try, in order, for `language` (default: the active one).

    `settings.LANGUAGE_FALLBACKS` maps a language to the one to try next (kk → ru); English ends
    every chain.
    """
    language = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    fallbacks = getattr(settings, "LANGUAGE_FALLBACKS", {})
    chain = [language]
    while chain[-1] in fallbacks and fallbacks[chain[-1]] not in chain:
        chain.append(fallbacks[chain[-1]])
    if "en" not in chain:
        chain.append("en")
    return tuple(chain)


def localised(texts, language: str | None = None) -> str:
    """The text of a language mapping in `language` (default: the active one), with fallbacks."""
    if isinstance(texts, str):
        return texts
    if not isinstance(texts, dict):
        return ""
    for lang in fallback_chain(language):
        value = texts.get(lang)
        if isinstance(value, str) and value.strip():
            return value
    return ""


class LocalisedText(dict):
    """A language mapping that renders itself in the active language (for templates)."""

    def __str__(self):
        return localised(self)


@functools.cache
def library_texts() -> dict:
    """texts.yaml, parsed once per process (acts, notes, unnamed, rationale)."""
    return yaml.safe_load(TEXTS_FILE.read_text(encoding="utf-8"))


def missing_translations(data, path: str = "") -> list[str]:
    """Every place in nested data where a text mapping (a dict with an `en` string) lacks ru or kk."""
    problems = []
    if isinstance(data, dict):
        if isinstance(data.get("en"), str):
            for lang in ("ru", "kk"):
                if not isinstance(data.get(lang), str) or not data[lang].strip():
                    problems.append(f"{path or '/'}: no '{lang}' text")
        for key, value in data.items():
            problems += missing_translations(value, f"{path}/{key}")
    elif isinstance(data, list):
        for index, value in enumerate(data):
            item = value.get("id") or value.get("key") if isinstance(value, dict) else None
            problems += missing_translations(value, f"{path}[{item or index}]")
    return problems
