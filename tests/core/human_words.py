"""What a person reads on a page, and the internal values they must never read there.

`page_words(html)` keeps the text a browser shows, as the whole text and as its text nodes: no
markup, no attribute values, no scripts or styles, and not what the page quotes on purpose as code
(`<code>`, `<kbd>`, `<pre>`). `raw_values(words, language)` names every internal value found:

- choice keys and field names (snake_case, anywhere), and on Russian and Kazakh pages a text node
  that is a bare choice key;
- booleans and "None"; ISO timestamps and ISO dates; model labels (`app.model`); request ids;
- on Russian and Kazakh pages, a text node that is a choice's English label (an untranslated band
  name, status or sort label).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser

from django.apps import apps
from django.conf import settings
from django.utils import translation

SKIPPED_ELEMENTS = {"script", "style", "code", "kbd", "pre", "template", "noscript"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
APPS = ("kzai.", "registry.", "risk.", "documents.", "audit.")


@dataclass
class PageWords:
    text: str
    nodes: list[str]


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.nodes: list[str] = []
        self.skipping: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED_ELEMENTS:
            self.skipping.append(tag)
        elif tag not in VOID:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()
        self.parts.append(" ")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)
            if data.strip():
                self.nodes.append(data.strip())


def page_words(html: str) -> PageWords:
    parser = _Text()
    parser.feed(html)
    return PageWords(re.sub(r"\s+", " ", "".join(parser.parts)), parser.nodes)


@dataclass(frozen=True)
class InternalNames:
    snake: frozenset[str]  # snake_case field names and choice keys
    keys: frozenset[str]  # one-word choice keys
    english_labels: frozenset[str]  # choice labels whose Russian differs from the English


@cache
def internal_names() -> InternalNames:
    snake, keys, labels = set(), set(), set()
    # Language names are shown in their own language in the language switcher (and choices).
    language_names = {str(name) for _code, name in settings.LANGUAGES}
    for model in apps.get_models():
        if not model.__module__.startswith(APPS):
            continue
        for field in model._meta.get_fields():
            name = getattr(field, "name", "")
            if "_" in name:
                snake.add(name)
            for key, label in getattr(field, "flatchoices", None) or ():
                if isinstance(key, str) and key:
                    (snake if "_" in key else keys).add(key)
                with translation.override("en"):
                    english = str(label)
                with translation.override("ru"):
                    russian = str(label)
                if english != russian and len(english) > 2 and english not in language_names:
                    labels.add(english)
    return InternalNames(frozenset(snake), frozenset(keys), frozenset(labels))


# "None established." is a sentence someone wrote; "None" alone or before an arrow is a value.
BOOLEANS = re.compile(r"(?<![\w-])(True|False|None)(?![\w-])(?! [a-z])")
ISO_TIMESTAMP = re.compile(r"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?")
ISO_DATE = re.compile(r"(?<![\w/-])\d{4}-\d{2}-\d{2}(?![\w/-])")
MODEL_LABEL = re.compile(
    r"(?<![\w/.])(?:accounts|activity|deadlines|jobs|core|registry|risk|documents|audit)\.[a-z_]+\b"
)
REQUEST_ID = re.compile(r"\b[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\b")
SNAKE = re.compile(r"(?<![\w./@-])[a-z]+(?:_[a-z0-9]+)+(?![\w./@-])")


def raw_values(words: PageWords, language: str = "en") -> list[str]:
    names = internal_names()
    text = words.text
    found = [f"boolean/None {m.group(0)!r}" for m in BOOLEANS.finditer(text)]
    found += [f"ISO timestamp {m.group(0)!r}" for m in ISO_TIMESTAMP.finditer(text)]
    found += [f"ISO date {m.group(0)!r}" for m in ISO_DATE.finditer(text)]
    found += [f"model label {m.group(0)!r}" for m in MODEL_LABEL.finditer(text)]
    found += [f"request id {m.group(0)!r}" for m in REQUEST_ID.finditer(text)]
    found += [f"internal name {m.group(0)!r}" for m in SNAKE.finditer(text) if m.group(0) in names.snake]
    for node in words.nodes:
        if language != "en" and "(descending)" in node:  # a library's sort label left in English
            found.append(f"untranslated sort label {node!r}")
        bare = node.strip(" ·:()—")
        # In English a key can be the same word as its label ("expired"); in Russian or Kazakh a
        # bare English key is always one left untranslated.
        if language != "en" and bare in names.keys:
            found.append(f"choice key {bare!r}")
        if language != "en" and bare in names.english_labels:
            found.append(f"untranslated label {bare!r}")
    return found


def context_of(words: PageWords, finding: str, width: int = 60) -> str:
    needle = finding.split("'")[1] if "'" in finding else ""
    index = words.text.find(needle) if needle else -1
    return words.text[max(0, index - width) : index + width] if index >= 0 else ""
