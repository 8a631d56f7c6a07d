"""Load and validate the catalogue of common AI risks and measures (risks.yaml, measures.yaml).

The files are data a risk manager edits, so every mistake is reported as `file:line: message`
(`CatalogueError`), never as a Python traceback. Validation walks PyYAML's node tree, which keeps
the line of every value.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from risk.library.texts import LocalisedText, localised
from risk.risk_management.choices import MeasureKind, RiskCategory, RiskOrigin

CATALOGUE_DIR = Path(__file__).resolve().parent
REFERENCE_LEVELS = {"P", "S", "seed", "U"}


class CatalogueError(ValueError):
    """One or more problems in the catalogue files, each with its file and line."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class CatalogueMeasure:
    key: str
    kind: str
    title: dict
    description: dict

    def text(self, attr: str) -> str:
        return _localised(getattr(self, attr))


@dataclass(frozen=True)
class CatalogueRisk:
    key: str
    category: str
    origin: str
    likelihood: int
    severity: int
    title: dict
    description: dict
    measures: tuple[str, ...] = ()
    reference: dict = field(default_factory=dict)

    def text(self, attr: str) -> str:
        return _localised(getattr(self, attr))


@dataclass(frozen=True)
class Catalogue:
    version: str
    risks: dict[str, CatalogueRisk]
    measures: dict[str, CatalogueMeasure]


def _localised(texts: dict) -> str:
    """The text in the reader's language; Kazakh falls back to Russian, then English."""
    return localised(texts)


class _Checker:
    def __init__(self, path: Path):
        self.path = path
        self.problems: list[str] = []

    def error(self, node, message: str) -> None:
        line = node.start_mark.line + 1 if node is not None else 1
        self.problems.append(f"{self.path.name}:{line}: {message}")

    def mapping(self, node, what: str) -> dict | None:
        if not isinstance(node, yaml.MappingNode):
            self.error(node, f"{what} must be a mapping")
            return None
        return {key.value: value for key, value in node.value}

    def scalar(self, items: dict, name: str, parent, *, choices=None, integer=False, required=True):
        node = items.get(name)
        if node is None:
            if required:
                self.error(parent, f"missing field '{name}'")
            return None
        if not isinstance(node, yaml.ScalarNode):
            self.error(node, f"'{name}' must be a single value")
            return None
        value = node.value
        if integer:
            if not value.isdigit() or not 1 <= int(value) <= 5:
                self.error(node, f"'{name}' must be a whole number from 1 to 5, not {value!r}")
                return None
            return int(value)
        if choices is not None and value not in choices:
            self.error(node, f"'{name}' is {value!r}; expected one of {', '.join(sorted(choices))}")
            return None
        return value

    def texts(self, items: dict, name: str, parent) -> dict | None:
        node = items.get(name)
        if node is None:
            self.error(parent, f"missing field '{name}'")
            return None
        mapping = self.mapping(node, f"'{name}'")
        if mapping is None:
            return None
        texts = {lang: value.value for lang, value in mapping.items() if isinstance(value, yaml.ScalarNode)}
        if not texts.get("en"):
            self.error(node, f"'{name}' needs an English text ('en')")
            return None
        return texts

    def unknown(self, items: dict, allowed: set[str]) -> None:
        for key, node in items.items():
            if key not in allowed:
                self.error(node, f"unknown field '{key}'")


def _document(path: Path, checker: _Checker, list_key: str):
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise CatalogueError([f"{path.name}:{line}: not valid YAML ({getattr(error, 'problem', error)})"])
    top = checker.mapping(root, "the file") if root is not None else None
    if top is None:
        raise CatalogueError(checker.problems or [f"{path.name}:1: the file is empty"])
    version = checker.scalar(top, "version", root)
    entries = top.get(list_key)
    if not isinstance(entries, yaml.SequenceNode):
        checker.error(entries or root, f"'{list_key}' must be a list")
        return version, []
    return version, entries.value


def load_catalogue(directory: Path = CATALOGUE_DIR) -> Catalogue:
    """Read and validate both files; raise `CatalogueError` listing every problem found."""
    measures_path, risks_path = directory / "measures.yaml", directory / "risks.yaml"
    problems: list[str] = []
    measures: dict[str, CatalogueMeasure] = {}
    checker = _Checker(measures_path)
    version, entries = _document(measures_path, checker, "measures")
    for node in entries:
        items = checker.mapping(node, "a measure")
        if items is None:
            continue
        checker.unknown(items, {"key", "kind", "title", "description"})
        key = checker.scalar(items, "key", node)
        kind = checker.scalar(items, "kind", node, choices=set(MeasureKind.values))
        title, description = checker.texts(items, "title", node), checker.texts(items, "description", node)
        if key in measures:
            checker.error(items["key"], f"duplicate measure key '{key}'")
        elif None not in (key, kind, title, description):
            measures[key] = CatalogueMeasure(key=key, kind=kind, title=title, description=description)
    problems += checker.problems

    risks: dict[str, CatalogueRisk] = {}
    checker = _Checker(risks_path)
    risk_version, entries = _document(risks_path, checker, "risks")
    for node in entries:
        items = checker.mapping(node, "a risk")
        if items is None:
            continue
        checker.unknown(
            items,
            {
                "key",
                "category",
                "origin",
                "likelihood",
                "severity",
                "title",
                "description",
                "measures",
                "reference",
            },
        )
        key = checker.scalar(items, "key", node)
        values = {
            "category": checker.scalar(items, "category", node, choices=set(RiskCategory.values)),
            "origin": checker.scalar(items, "origin", node, choices=set(RiskOrigin.values)),
            "likelihood": checker.scalar(items, "likelihood", node, integer=True),
            "severity": checker.scalar(items, "severity", node, integer=True),
            "title": checker.texts(items, "title", node),
            "description": checker.texts(items, "description", node),
        }
        linked: list[str] = []
        measures_node = items.get("measures")
        if measures_node is not None:
            if not isinstance(measures_node, yaml.SequenceNode):
                checker.error(measures_node, "'measures' must be a list of measure keys")
            else:
                for ref in measures_node.value:
                    if ref.value not in measures:
                        checker.error(ref, f"unknown measure '{ref.value}' (not in measures.yaml)")
                    else:
                        linked.append(ref.value)
        reference = {}
        if "reference" in items:
            ref_items = checker.mapping(items["reference"], "'reference'") or {}
            level = checker.scalar(ref_items, "level", items["reference"], choices=REFERENCE_LEVELS)
            # The reference's text is a language mapping (older files: one English text).
            if isinstance(ref_items.get("text"), yaml.MappingNode):
                text = checker.texts(ref_items, "text", items["reference"])
                text = LocalisedText(text) if text else None
            else:
                text = checker.scalar(ref_items, "text", items["reference"])
            reference = {"text": text, "level": level}
        if key in risks:
            checker.error(items["key"], f"duplicate risk key '{key}'")
        elif key is not None and None not in values.values():
            risks[key] = CatalogueRisk(key=key, measures=tuple(linked), reference=reference, **values)
    problems += checker.problems
    if problems:
        raise CatalogueError(problems)
    return Catalogue(version=f"{risk_version}/{version}", risks=risks, measures=measures)


@functools.cache
def catalogue() -> Catalogue:
    """The shipped catalogue, loaded once per process."""
    return load_catalogue()
