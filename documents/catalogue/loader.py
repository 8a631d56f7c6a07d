"""Load and validate the documentation catalogue (documentation.yaml).

The file is data a lawyer edits: every mistake is reported as `file:line: message`
(`CatalogueError`), never as a traceback. Each item's `required_when` is a rule of the requirements
library's language (`risk.library.rules`), evaluated on the system's facts (`risk.library.facts`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.utils.translation import get_language

from risk.library import rules

CATALOGUE_DIR = Path(__file__).resolve().parent
CATALOGUE_FILE = CATALOGUE_DIR / "documentation.yaml"
LANGUAGES = ("en", "ru", "kk")
REFERENCE_LEVELS = ("P", "S", "seed", "U")
ITEM_FIELDS = {"key", "group", "title", "description", "reference", "required_when"}


class CatalogueError(ValueError):
    """One or more problems in the catalogue file, each with its file and line."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def localised(texts: dict) -> str:
    """The text in the active language; Kazakh falls back to Russian, never to English."""
    language = (get_language() or "en").split("-")[0]
    if language == "kk":
        return texts.get("kk") or texts.get("ru") or texts["en"]
    return texts.get(language) or texts["en"]


@dataclass(frozen=True)
class Group:
    key: str
    title: dict

    @property
    def label(self) -> str:
        return localised(self.title)


@dataclass(frozen=True)
class Item:
    """One kind of document the law (or practice) expects per AI system."""

    key: str
    group: str
    title: dict
    description: dict
    reference: dict
    required_when: object  # a rule: bool or mapping

    @property
    def label(self) -> str:
        return localised(self.title)

    @property
    def text(self) -> str:
        return localised(self.description)

    def required_for(self, facts: dict) -> bool:
        """Whether this item is required for a system with these facts."""
        return rules.evaluate(self.required_when, facts)


@dataclass(frozen=True)
class Catalogue:
    version: str
    groups: dict[str, Group]
    items: dict[str, Item]

    def choices(self) -> list[tuple[str, str]]:
        return [(item.key, item.label) for item in self.items.values()]


def _node_to_python(node):
    """A YAML node as plain Python (for rules), without losing the node for line numbers."""
    return yaml.safe_load(yaml.serialize(node))


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

    def scalar(self, items: dict, name: str, parent, *, choices=None) -> str | None:
        node = items.get(name)
        if node is None:
            self.error(parent, f"missing field '{name}'")
            return None
        if not isinstance(node, yaml.ScalarNode) or not node.value.strip():
            self.error(node, f"'{name}' must be a single non-empty value")
            return None
        if choices is not None and node.value not in choices:
            self.error(node, f"'{name}' is {node.value!r}; expected one of {', '.join(choices)}")
            return None
        return node.value

    def texts(self, items: dict, name: str, parent) -> dict | None:
        node = items.get(name)
        if node is None:
            self.error(parent, f"missing field '{name}'")
            return None
        mapping = self.mapping(node, f"'{name}'")
        if mapping is None:
            return None
        texts = {}
        for language, value in mapping.items():
            if language not in LANGUAGES:
                self.error(value, f"'{name}' has unknown language '{language}'; use {', '.join(LANGUAGES)}")
            elif not isinstance(value, yaml.ScalarNode) or not value.value.strip():
                self.error(value, f"'{name}.{language}' must be a non-empty text")
            else:
                texts[language] = value.value
        missing = [language for language in LANGUAGES if language not in mapping]
        if missing:
            self.error(node, f"'{name}' needs a text in {', '.join(missing)} (en, ru and kk are required)")
            return None
        return texts if len(texts) == len(LANGUAGES) else None


def load_catalogue(path: Path = CATALOGUE_FILE) -> Catalogue:
    """Read and validate the catalogue; raise `CatalogueError` listing every problem found."""
    checker = _Checker(path)
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

    groups: dict[str, Group] = {}
    groups_node = top.get("groups")
    if not isinstance(groups_node, yaml.SequenceNode):
        checker.error(groups_node or root, "'groups' must be a list")
    else:
        for node in groups_node.value:
            entry = checker.mapping(node, "a group")
            if entry is None:
                continue
            for key in set(entry) - {"key", "title"}:
                checker.error(entry[key], f"unknown field '{key}' in a group")
            key, title = checker.scalar(entry, "key", node), checker.texts(entry, "title", node)
            if key in groups:
                checker.error(entry["key"], f"duplicate group key '{key}'")
            elif key and title:
                groups[key] = Group(key=key, title=title)

    items: dict[str, Item] = {}
    items_node = top.get("items")
    if not isinstance(items_node, yaml.SequenceNode):
        checker.error(items_node or root, "'items' must be a list")
    else:
        for node in items_node.value:
            entry = checker.mapping(node, "an item")
            if entry is None:
                continue
            for key in set(entry) - ITEM_FIELDS:
                checker.error(entry[key], f"unknown field '{key}'; allowed: {', '.join(sorted(ITEM_FIELDS))}")
            key = checker.scalar(entry, "key", node)
            label = f"item {key}" if key else "an item"
            group = checker.scalar(entry, "group", node, choices=tuple(groups) or ("?",))
            title, description = (
                checker.texts(entry, "title", node),
                checker.texts(entry, "description", node),
            )
            reference = {}
            if "reference" in entry:
                ref = checker.mapping(entry["reference"], "'reference'") or {}
                text = checker.scalar(ref, "text", entry["reference"])
                level = checker.scalar(ref, "level", entry["reference"], choices=REFERENCE_LEVELS)
                reference = {"text": text, "level": level}
            rule = None
            rule_node = entry.get("required_when")
            if rule_node is None:
                checker.error(node, f"{label}: missing field 'required_when' (true, false or a rule)")
            else:
                rule = _node_to_python(rule_node)
                for where, message in rules.validate(rule):
                    place = "required_when" + "".join(
                        f"[{p}]" if isinstance(p, int) else f".{p}" for p in where
                    )
                    checker.error(rule_node, f"{label}: rule {place}: {message}")
            if key in items:
                checker.error(entry["key"], f"duplicate item key '{key}'")
            elif None not in (key, group, title, description, rule_node):
                items[key] = Item(
                    key=key,
                    group=group,
                    title=title,
                    description=description,
                    reference=reference,
                    required_when=rule,
                )
    if checker.problems:
        raise CatalogueError(checker.problems)
    return Catalogue(version=version, groups=groups, items=items)


@functools.cache
def catalogue() -> Catalogue:
    """The shipped catalogue, loaded once per process."""
    return load_catalogue()
