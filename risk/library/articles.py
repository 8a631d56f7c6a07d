"""Article references as data, rendered in each language.

A reference is a mapping: `article` ("17", "19-1"), optional `paragraph`, `paragraph_to` (a range
of paragraphs), `subparagraph`, `act` (a key of `acts` in texts.yaml; none = the AI law itself),
`note` (a key of `notes`, e.g. `last_paragraph`) and `unnamed` (a key of `unnamed`: the article
number is not known). A requirement cites a list of them. They render as lawyers write them:

- en: "Art. 17(1), last paragraph", "Art. 15(2)(5)", "Art. 21(2)–(3)"
- ru: "п. 1 ст. 17, последний абзац", "подп. 5) п. 2 ст. 15", "пп. 2–3 ст. 21"
- kk: "17-баптың 1-тармағы, соңғы абзац", "15-баптың 2-тармағының 5) тармақшасы",
  "21-баптың 2–3-тармақтары"

Library files of version 2026.1 wrote the article as English text ("Art. 17(1), last paragraph");
`parse_legacy` reads those into the same structure, keeping anything it cannot read as text.
"""

from __future__ import annotations

import re

from risk.library.texts import library_texts, localised

KEYS = ("article", "paragraph", "paragraph_to", "subparagraph", "act", "note", "unnamed")
NUMBER = re.compile(r"^\d{1,3}(-\d{1,2})?$")
_LEGACY = re.compile(
    r"^Art\. (?P<article>\d{1,3}(?:-\d{1,2})?)"
    r"(?:\((?P<paragraph>\d{1,2})\)(?:–\((?P<paragraph_to>\d{1,2})\))?(?:\((?P<subparagraph>\d{1,2})\))?)?"
    r"(?P<note>, last paragraph)?$"
)


def parse_legacy(text: str) -> list[dict]:
    """'Art. 15(2)(5); Art. 16(1)(1)' → structured references; unreadable parts stay as `text`."""
    references = []
    for part in (p.strip() for p in text.split(";")):
        match = _LEGACY.match(part)
        if match is None:
            references.append({"text": part})
            continue
        reference = {k: v for k, v in match.groupdict().items() if v and k != "note"}
        if match.group("note"):
            reference["note"] = "last_paragraph"
        references.append(reference)
    return references


def validate(value) -> list[str]:
    """Problems with a list of structured references (empty when valid)."""
    texts = library_texts()
    if not isinstance(value, list) or not value:
        return ["article must be a non-empty list of references like {article: '17', paragraph: '1'}"]
    problems = []
    for index, reference in enumerate(value):
        where = f"article[{index}]"
        if not isinstance(reference, dict):
            problems.append(f"{where}: a reference is a mapping with article, paragraph, …")
            continue
        unknown = set(reference) - set(KEYS)
        if unknown:
            problems.append(f"{where}: unknown keys {sorted(unknown)} (allowed: {', '.join(KEYS)})")
        if not any(k in reference for k in ("article", "act", "unnamed")):
            problems.append(f"{where}: give an article number, an act or `unnamed`")
        for key in ("article", "paragraph", "paragraph_to", "subparagraph"):
            if key in reference and not NUMBER.match(str(reference[key])):
                problems.append(f"{where}: {key} {reference[key]!r} is not a number like 17 or 19-1")
        if "paragraph_to" in reference and "paragraph" not in reference:
            problems.append(f"{where}: paragraph_to needs paragraph")
        if "subparagraph" in reference and "paragraph" not in reference:
            problems.append(f"{where}: subparagraph needs paragraph")
        for key, section in (("act", "acts"), ("note", "notes"), ("unnamed", "unnamed")):
            if key in reference and reference[key] not in texts[section]:
                problems.append(
                    f"{where}: unknown {key} {reference[key]!r}; known: {', '.join(sorted(texts[section]))}"
                )
    return problems


def normalise(value) -> list[dict]:
    """References with every value as text (YAML may read 17 as a number)."""
    return [{k: str(v) for k, v in reference.items()} for reference in value]


def _render_en(ref: dict, texts: dict) -> str:
    if "article" not in ref:
        return _act_or_unnamed(ref, texts, "en")
    out = f"Art. {ref['article']}"
    if "paragraph" in ref:
        out += f"({ref['paragraph']})"
        if "paragraph_to" in ref:
            out += f"–({ref['paragraph_to']})"
        if "subparagraph" in ref:
            out += f"({ref['subparagraph']})"
    if "act" in ref:
        out += " " + localised(texts["acts"][ref["act"]]["of"], "en")
    return out


def _render_ru(ref: dict, texts: dict) -> str:
    if "article" not in ref:
        return _act_or_unnamed(ref, texts, "ru")
    parts = []
    if "subparagraph" in ref:
        parts.append(f"подп. {ref['subparagraph']})")
    if "paragraph" in ref:
        if "paragraph_to" in ref:
            parts.append(f"пп. {ref['paragraph']}–{ref['paragraph_to']}")
        else:
            parts.append(f"п. {ref['paragraph']}")
    parts.append(f"ст. {ref['article']}")
    if "act" in ref:
        parts.append(localised(texts["acts"][ref["act"]]["of"], "ru"))
    return " ".join(parts)


def _render_kk(ref: dict, texts: dict) -> str:
    if "article" not in ref:
        return _act_or_unnamed(ref, texts, "kk")
    act = localised(texts["acts"][ref["act"]]["of"], "kk") + " " if "act" in ref else ""
    article = ref["article"]
    if "paragraph" not in ref:
        # "10-бап" alone; after an act in the genitive the article takes the possessive "-бабы".
        return f"{act}{article}-бабы" if act else f"{article}-бап"
    out = f"{act}{article}-бабының " if act else f"{article}-баптың "
    if "paragraph_to" in ref:
        return out + f"{ref['paragraph']}–{ref['paragraph_to']}-тармақтары"
    if "subparagraph" in ref:
        return out + f"{ref['paragraph']}-тармағының {ref['subparagraph']}) тармақшасы"
    return out + f"{ref['paragraph']}-тармағы"


def _act_or_unnamed(ref: dict, texts: dict, language: str) -> str:
    if "unnamed" in ref:
        words = localised(texts["unnamed"][ref["unnamed"]], language)
        if "act" in ref:
            return f"{localised(texts['acts'][ref['act']]['title'], language)}, {words}"
        return words[:1].upper() + words[1:]
    return localised(texts["acts"][ref["act"]]["title"], language)


_RENDERERS = {"en": _render_en, "ru": _render_ru, "kk": _render_kk}


def render(references, language: str) -> str:
    """The references as a lawyer writes them in `language` (en, ru or kk), joined by "; "."""
    texts = library_texts()
    renderer = _RENDERERS.get(language, _render_en)
    out = []
    for ref in references or []:
        if "text" in ref:  # a legacy reference that could not be read: shown as written
            out.append(ref["text"])
            continue
        text = renderer(ref, texts)
        if "note" in ref and "article" in ref:
            text += ", " + localised(texts["notes"][ref["note"]], language)
        out.append(text)
    return "; ".join(out)
