"""Load and validate a requirements library file, reporting every problem with FILE:LINE.

PyYAML's composer keeps the position of every node, so the file is composed into nodes and turned
into plain Python values while remembering where each mapping key and list item starts. The schema
is checked by hand (it is small) so each message can say what is wrong in a lawyer's words.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from risk.choices import BoundParty, ReferenceLevel
from risk.library import articles, rules

LIBRARY_DIR = Path(__file__).resolve().parent / "requirements"
REQUIREMENT_ID = re.compile(r"^KZ-AI-[A-Z0-9]+(-[A-Z0-9]+)*$")
PRACTICE_ID = re.compile(r"^KZ-AI-PROH-0[1-7]$")
SLUG = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
VERSION = re.compile(r"^\d{4}\.\d{1,3}$")
DURATION = re.compile(r"^P(\d{1,3})([YMWD])$")
LANGUAGES_REQUIRED = ("en", "ru")
LANGUAGES_OPTIONAL = ("kk",)


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self):
        return f"{self.file}:{self.line}: {self.message}"


class LibraryError(Exception):
    """A library file that does not follow the schema; `problems` lists each with file and line."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class Located(dict):
    """A mapping that remembers its own line and the line of each key (1-based)."""

    line = 0
    key_lines: dict


class LocatedList(list):
    line = 0
    item_lines: list


@dataclass
class LibraryData:
    """A validated library file, ready to be stored as an immutable version."""

    version: str
    title: dict
    source: str
    content_hash: str
    practices: list[dict] = field(default_factory=list)
    requirements: list[dict] = field(default_factory=list)


def _to_python(node, loader, problems, filename):
    if isinstance(node, yaml.MappingNode):
        result = Located()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if key in result:
                problems.append(Problem(filename, key_node.start_mark.line + 1, f"duplicate key '{key}'"))
            result[key] = _to_python(value_node, loader, problems, filename)
            result.key_lines[key] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        result = LocatedList(_to_python(item, loader, problems, filename) for item in node.value)
        result.line = node.start_mark.line + 1
        result.item_lines = [item.start_mark.line + 1 for item in node.value]
        return result
    return loader.construct_object(node, deep=True)


def parse(text: str, filename: str) -> Located:
    """YAML text → located values; a YAML syntax error becomes a LibraryError with its line."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        problems: list[Problem] = []
        data = _to_python(node, loader, problems, filename) if node is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        raise LibraryError([Problem(filename, line, f"not valid YAML: {error.problem or error}")]) from None
    finally:
        loader.dispose()
    if problems:
        raise LibraryError(problems)
    if not isinstance(data, Located):
        raise LibraryError([Problem(filename, 1, "the file must be a mapping with version, requirements…")])
    return data


class _Checker:
    def __init__(self, filename: str):
        self.filename = filename
        self.problems: list[Problem] = []

    def error(self, line: int, message: str):
        self.problems.append(Problem(self.filename, line, message))

    def line_of(self, mapping: Located, key) -> int:
        return mapping.key_lines.get(key, mapping.line)

    def keys(self, mapping, required: tuple, optional: tuple, what: str) -> bool:
        if not isinstance(mapping, Located):
            return False
        for key in required:
            if key not in mapping:
                self.error(mapping.line, f"{what}: missing required key '{key}'")
        for key in mapping:
            if key not in required and key not in optional:
                allowed = ", ".join(required + optional)
                self.error(self.line_of(mapping, key), f"{what}: unknown key '{key}' (allowed: {allowed})")
        return True

    def text(self, mapping: Located, key: str, what: str) -> dict:
        value = mapping.get(key)
        line = self.line_of(mapping, key)
        if not isinstance(value, Located):
            self.error(line, f"{what}: '{key}' must be a mapping of languages (en, ru, optionally kk)")
            return {}
        for lang in LANGUAGES_REQUIRED:
            if not isinstance(value.get(lang), str) or not value.get(lang).strip():
                self.error(line, f"{what}: '{key}' needs a non-empty '{lang}' text")
        for lang in value:
            if lang not in LANGUAGES_REQUIRED + LANGUAGES_OPTIONAL:
                self.error(value.key_lines[lang], f"{what}: unknown language '{lang}' in '{key}'")
            elif not isinstance(value[lang], str):
                self.error(value.key_lines[lang], f"{what}: '{key}.{lang}' must be text")
        return {lang: str(value[lang]).strip() for lang in value if isinstance(value[lang], str)}

    def string(self, mapping: Located, key: str, what: str, pattern=None, hint="") -> str:
        value = mapping.get(key)
        if not isinstance(value, str) or not value.strip():
            self.error(self.line_of(mapping, key), f"{what}: '{key}' must be non-empty text")
            return ""
        if pattern is not None and not pattern.match(value):
            self.error(self.line_of(mapping, key), f"{what}: '{key}' value {value!r} is not valid ({hint})")
        return value.strip()

    def article(self, mapping: Located, what: str) -> tuple[str, list[dict]]:
        """(the article as English text, the structured references) of a requirement or practice.

        The article is a list of references (`[{article: "17", paragraph: "1"}]`); legacy files
        wrote it as English text, which is read into references where it can be.
        """
        value = mapping.get("article")
        line = self.line_of(mapping, "article")
        if isinstance(value, str) and value.strip():
            references = articles.parse_legacy(value.strip())
            return value.strip(), references
        problems = articles.validate(_plain(value))
        for problem in problems:
            self.error(line, f"{what}: {problem}")
        if problems:
            return "", []
        references = articles.normalise(_plain(value))
        return articles.render(references, "en"), references

    def reference_level(self, mapping: Located, what: str) -> str:
        value = mapping.get("reference_level")
        if value not in ReferenceLevel.values:
            self.error(
                self.line_of(mapping, "reference_level"),
                f"{what}: reference_level {value!r} must be one of {', '.join(ReferenceLevel.values)}",
            )
        return value

    def rule(self, mapping: Located, key: str, what: str):
        value = mapping.get(key)
        for path, message in rules.validate(value):
            self.error(
                _line_at(value, path, self.line_of(mapping, key)),
                f"{what}: rule {_path(key, path)}: {message}",
            )
        return value


def _line_at(value, path: tuple, default: int) -> int:
    """The line of the node at `path` inside a located rule, as close as can be found."""
    line = default
    for step in path:
        if isinstance(value, Located) and step in value:
            line = value.key_lines.get(step, line)
            value = value[step]
        elif isinstance(value, LocatedList) and isinstance(step, int) and step < len(value):
            line = value.item_lines[step]
            value = value[step]
        else:
            break
    return line


def _path(key: str, path: tuple) -> str:
    return key + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)


def _plain(value):
    """Located values → plain dicts and lists (for JSON storage)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def validate(data: Located, filename: str, content_hash: str) -> LibraryData:
    check = _Checker(filename)
    check.keys(
        data, ("version", "title", "source", "requirements"), ("prohibited_practices", "notes"), "library"
    )
    version = check.string(data, "version", "library", VERSION, "use YEAR.N, e.g. 2026.1")
    title = check.text(data, "title", "library") if "title" in data else {}
    source = check.string(data, "source", "library") if "source" in data else ""

    practices = []
    seen: set[str] = set()
    raw_practices = data.get("prohibited_practices", LocatedList())
    if not isinstance(raw_practices, list):
        check.error(check.line_of(data, "prohibited_practices"), "prohibited_practices must be a list")
        raw_practices = LocatedList()
    for item in raw_practices:
        if not isinstance(item, Located):
            check.error(raw_practices.line, "each prohibited practice must be a mapping")
            continue
        what = f"prohibited practice {item.get('id', '?')}"
        check.keys(item, ("id", "article", "reference_level", "question", "guidance"), ("exceptions",), what)
        code = check.string(item, "id", what, PRACTICE_ID, "KZ-AI-PROH-01 … KZ-AI-PROH-07")
        if code in seen:
            check.error(check.line_of(item, "id"), f"{what}: duplicate id")
        seen.add(code)
        exceptions = []
        raw_exceptions = item.get("exceptions", LocatedList())
        if not isinstance(raw_exceptions, list):
            check.error(check.line_of(item, "exceptions"), f"{what}: exceptions must be a list")
            raw_exceptions = []
        for exc in raw_exceptions:
            if not check.keys(exc, ("id", "label"), ("requires_basis",), f"{what} exception"):
                check.error(check.line_of(item, "exceptions"), f"{what}: each exception must be a mapping")
                continue
            exceptions.append(
                {
                    "id": check.string(exc, "id", f"{what} exception", SLUG, "lower-case letters, digits, _"),
                    "label": check.text(exc, "label", f"{what} exception"),
                    "requires_basis": bool(exc.get("requires_basis", True)),
                }
            )
        article, references = check.article(item, what)
        practices.append(
            {
                "code": code,
                "article": article,
                "references": references,
                "reference_level": check.reference_level(item, what),
                "question": check.text(item, "question", what),
                "guidance": check.text(item, "guidance", what),
                "exceptions": exceptions,
            }
        )

    requirements = []
    raw_requirements = data.get("requirements")
    if not isinstance(raw_requirements, list) or not raw_requirements:
        check.error(check.line_of(data, "requirements"), "requirements must be a non-empty list")
        raw_requirements = []
    for order, item in enumerate(raw_requirements, start=1):
        if not isinstance(item, Located):
            check.error(raw_requirements.item_lines[order - 1], "each requirement must be a mapping")
            continue
        what = f"requirement {item.get('id', '?')}"
        check.keys(
            item,
            ("id", "article", "reference_level", "title", "text", "binds", "applies_when"),
            ("recurrence", "due_within", "evidence"),
            what,
        )
        code = check.string(item, "id", what, REQUIREMENT_ID, "KZ-AI-<GROUP>-<NN>, upper case")
        if code in seen:
            check.error(check.line_of(item, "id"), f"{what}: duplicate id")
        seen.add(code)
        binds = item.get("binds")
        if not isinstance(binds, list) or not binds or any(b not in BoundParty.values for b in binds):
            check.error(
                check.line_of(item, "binds"),
                f"{what}: binds must be a non-empty list of {', '.join(BoundParty.values)}, "
                f"got {_plain(binds)!r}",
            )
            binds = []
        durations = {}
        for key in ("recurrence", "due_within"):
            value = item.get(key)
            if value is not None and not (isinstance(value, str) and DURATION.match(value)):
                check.error(
                    check.line_of(item, key), f"{what}: {key} {value!r} must be an ISO duration like P12M"
                )
            durations[key] = value or ""
        article, references = check.article(item, what)
        requirements.append(
            {
                "code": code,
                "order": order,
                "article": article,
                "references": references,
                "reference_level": check.reference_level(item, what),
                "title": check.text(item, "title", what),
                "text": check.text(item, "text", what),
                "evidence": check.text(item, "evidence", what) if "evidence" in item else {},
                "binds": list(binds),
                "rule": _plain(check.rule(item, "applies_when", what)),
                **durations,
            }
        )
    if check.problems:
        raise LibraryError(check.problems)
    return LibraryData(
        version=version,
        title=title,
        source=source,
        content_hash=content_hash,
        practices=practices,
        requirements=requirements,
    )


def load_library_text(text: str, filename: str) -> LibraryData:
    """Validate library YAML text; raise LibraryError listing every problem with file and line."""
    content_hash = hashlib.sha256(text.encode()).hexdigest()
    return validate(parse(text, filename), filename, content_hash)


def load_library_file(path: Path | str) -> LibraryData:
    path = Path(path)
    try:
        display = str(path.relative_to(Path.cwd()))
    except ValueError:
        display = str(path)
    return load_library_text(path.read_text(encoding="utf-8"), display)


def shipped_library_files() -> list[Path]:
    """The library files shipped in the repository, oldest version first."""

    def key(path: Path):
        year, _dot, number = path.stem.partition(".")
        return (int(year), int(number or 0)) if year.isdigit() and number.isdigit() else (0, 0)

    return sorted(LIBRARY_DIR.glob("*.yaml"), key=key)


def duration_parts(value: str) -> tuple[int, str] | None:
    """'P12M' → (12, 'M'); '' → None."""
    match = DURATION.match(value or "")
    return (int(match.group(1)), match.group(2)) if match else None
