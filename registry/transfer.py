"""CSV/XLSX import and export of the AI-system register.

Export writes every row of a filtered list (streamed for CSV, built in write-only mode for XLSX).
Import reads a file, checks its columns and size, parses each row and checks it as the register's
service would, in bulk; a dry run reports every row's errors by column, and a commit registers all
the systems in one transaction or none of them.
"""

from __future__ import annotations

import csv
import functools
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kzai.accounts.models import Membership, Organization
from kzai.core import spreadsheets
from kzai.core.spreadsheets import imported_cell
from registry import services
from registry.fields import SYSTEM_FACTS

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 5000
# An XLSX is a zip: what it unpacks to, and how many rows (empty ones included) and columns a sheet
# may have, are bounded before and while it is read, so a crafted workbook (shared strings that
# expand to a gigabyte, a million blank rows) is refused early instead of holding a worker.
MAX_XLSX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_XLSX_SCANNED_ROWS = 2 * MAX_IMPORT_ROWS + 100
MAX_IMPORT_COLUMNS = 200
# A cell of a CSV file; larger ones are refused with the row named (Python's csv limit is 128 KB).
MAX_CSV_FIELD_BYTES = 64 * 1024
EXPORT_CHUNK = 500

TRUE_WORDS = {"1", "true", "yes", "y", "x", "да", "иә", "ия"}
FALSE_WORDS = {"", "0", "false", "no", "n", "нет", "жоқ"}


@dataclass(frozen=True)
class Column:
    """One column of the import/export file; `field` is the service argument it feeds."""

    header: str
    kind: str  # text, bool, choice, media, member, tags, country
    required: bool = False
    choices: Any = None
    field: str = ""

    @property
    def target(self) -> str:
        return self.field or self.header


# One column per fact of the register, as declared in `registry.fields` (the names are a contract).
COLUMNS: tuple[Column, ...] = tuple(
    Column(f.header, f.kind, required=f.required_on_import, choices=f.choices, field=f.name)
    for f in SYSTEM_FACTS
)
# Written by export for the reader, accepted and ignored by import (so an export can be edited and
# re-imported into another organization without deleting columns).
EXPORT_ONLY = (
    "risk_level",
    "autonomy_level",
    "classification_stale",
    "is_prohibited",
    "parties",
    "archived",
)
COLUMN_BY_HEADER = {c.header: c for c in COLUMNS}
HEADER_BY_FIELD = {c.target: c.header for c in COLUMNS}
EXAMPLE_ROW = {
    "code": "CRM-SCORE-01",
    "name": "Retail credit scoring",
    "intended_purpose": "Scores retail loan applications for the credit committee.",
    "organization_role": "owner",
    "sector": "banking",
    "lifecycle_stage": "in_operation",
    "business_unit": "Retail lending",
    "tags": "credit, retail",
    "decision_role": "prepares",
    "processes_personal_data": "yes",
    "profiles_people": "yes",
    "deployment": "on_premises",
    "hosting_country": "KZ",
}


class ImportFileError(Exception):
    """The file as a whole cannot be read (size, encoding, format, columns); nothing was imported."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(str(m) for m in messages))
        self.messages = [str(m) for m in messages]


@dataclass
class RowResult:
    number: int  # the row's line in the file (the header is line 1)
    values: dict[str, str]
    errors: dict[str, list[str]] = field(default_factory=dict)
    system_id: int | None = None


@dataclass
class ImportResult:
    dry_run: bool
    rows: list[RowResult]
    headers: list[str]

    @property
    def error_rows(self) -> list[RowResult]:
        return [r for r in self.rows if r.errors]

    @property
    def ok(self) -> bool:
        return not self.error_rows

    @property
    def committed(self) -> bool:
        return self.ok and not self.dry_run

    def as_dict(self) -> dict:
        return {
            "dry_run": self.dry_run,
            "committed": self.committed,
            "row_count": len(self.rows),
            "error_count": len(self.error_rows),
            "created": [r.system_id for r in self.rows] if self.committed else [],
            "rows": [
                {"row": r.number, "code": r.values.get("code", ""), "errors": r.errors} for r in self.rows
            ],
        }


# -- reading ---------------------------------------------------------------------------------------
def _read_csv(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")  # Excel's "CSV UTF-8" starts with a byte-order mark
    except UnicodeDecodeError:
        raise ImportFileError(
            [
                _(
                    "The file is not UTF-8 text (it may be saved as Windows-1251 or another code page). "
                    "In Excel choose “Save as → CSV UTF-8”, or upload an XLSX file."
                )
            ]
        )
    sample = text[:4096]
    try:
        delimiter = csv.Sniffer().sniff(sample.splitlines()[0] if sample else "", delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    # Only the delimiter is guessed (from the header): the sniffer's quoting guess from a header
    # without quotes would turn off doubled quotes and split a name like ТОО "Алма, Ата" in two.
    rows = csv.reader(io.StringIO(text), csv.excel, delimiter=delimiter)
    result = []
    try:
        for row in rows:
            if any("\x00" in cell for cell in row):
                raise ImportFileError([_nul_in_row(rows.line_num)])
            if any(len(cell) > MAX_CSV_FIELD_BYTES for cell in row):
                raise ImportFileError([_cell_too_long(rows.line_num)])
            if any(cell.strip() for cell in row):
                result.append(row)
            if len(result) > MAX_IMPORT_ROWS + 1:
                break
    except csv.Error as error:
        line = rows.line_num
        if "field larger than field limit" in str(error):
            raise ImportFileError([_cell_too_long(line)])
        if "NUL" in str(error):
            raise ImportFileError([_nul_in_row(line)])
        raise ImportFileError([_("Row %(row)s is not valid CSV.") % {"row": line}])
    return result


def _nul_in_row(line: int) -> str:
    return _("Row %(row)s contains a NUL character, which no text cell may hold.") % {"row": line}


def _cell_too_long(line: int) -> str:
    return _("A cell on row %(row)s is longer than %(limit)s KB; shorten it.") % {
        "row": line,
        "limit": MAX_CSV_FIELD_BYTES // 1024,
    }


def _check_xlsx_package(content: bytes) -> None:
    """Refuse what is not a workbook, or unpacks to more than the limit, before openpyxl parses it."""
    try:
        package = zipfile.ZipFile(io.BytesIO(content))
        members = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ImportFileError([_("The file is not a readable XLSX workbook (it is not a zip package).")])
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise ImportFileError(
            [_("The file is not an XLSX workbook: its package has no workbook or no content types.")]
        )
    unpacked = sum(m.file_size for m in members)
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise ImportFileError(
            [
                _(
                    "The workbook unpacks to %(size)s MB; the limit is %(limit)s MB. "
                    "Save it again without formatting or split it."
                )
                % {"size": unpacked // 1024 // 1024, "limit": MAX_XLSX_UNPACKED_BYTES // 1024 // 1024}
            ]
        )


def _read_xlsx(content: bytes) -> list[list[str]]:
    _check_xlsx_package(content)
    # Lazy on purpose: openpyxl is a heavy import that only spreadsheet work needs.
    from openpyxl import load_workbook

    # An uploaded workbook is untrusted XML: anything its parser raises (broken workbook or sheet
    # XML, a wrong content type, a missing part) means the same to the person: unreadable.
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001
        raise ImportFileError([_("The file is not a readable XLSX workbook.")])
    try:
        if not workbook.worksheets:
            raise ImportFileError([_("The workbook has no sheet.")])
        rows = []
        sheet = workbook.worksheets[0]
        for scanned, values in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_IMPORT_COLUMNS), 1):
            if scanned > MAX_XLSX_SCANNED_ROWS:
                raise ImportFileError(
                    [
                        _(
                            "The sheet has more than %(limit)s rows, empty ones included; "
                            "delete the empty rows."
                        )
                        % {"limit": MAX_XLSX_SCANNED_ROWS}
                    ]
                )
            cells = ["" if v is None else str(v) for v in values]
            while cells and cells[-1] == "":  # `max_col` pads every row to the column limit
                cells.pop()
            if any("\x00" in c for c in cells):
                raise ImportFileError([_nul_in_row(scanned)])
            if any(c.strip() for c in cells):
                rows.append(cells)
            if len(rows) > MAX_IMPORT_ROWS + 1:
                break
    except ImportFileError:
        raise
    except Exception:  # noqa: BLE001 - a sheet whose XML breaks while it is read
        raise ImportFileError([_("The file is not a readable XLSX workbook (a sheet cannot be read).")])
    finally:
        workbook.close()
    return rows


def too_big_message(size: int) -> str:
    return _("The file is %(size)s MB; the limit is %(limit)s MB. Split it into smaller files.") % {
        "size": round(size / 1024 / 1024, 1),
        "limit": MAX_IMPORT_BYTES // 1024 // 1024,
    }


def read_table(filename: str, content: bytes) -> tuple[list[str], list[list[str]]]:
    """Headers and data rows of an uploaded CSV or XLSX file, or ImportFileError."""
    if len(content) > MAX_IMPORT_BYTES:
        raise ImportFileError([too_big_message(len(content))])
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        rows = _read_xlsx(content)
    elif name.endswith(".csv") or name.endswith(".txt"):
        rows = _read_csv(content)
    else:
        raise ImportFileError([_("Upload a .csv or .xlsx file.")])
    if not rows:
        raise ImportFileError([_("The file is empty: it needs a header row and at least one system.")])
    headers = [h.strip().lower() for h in rows[0]]
    data = [[imported_cell(cell) for cell in row] for row in rows[1:]]
    if len(data) > MAX_IMPORT_ROWS:
        raise ImportFileError(
            [
                _("The file has more than %(limit)s rows; split it into smaller files.")
                % {"limit": MAX_IMPORT_ROWS}
            ]
        )
    _check_headers(headers)
    return headers, data


def check_file(upload) -> None:
    """Raise ImportFileError if the uploaded file as a whole cannot be imported (read in memory, no
    database work), so the page and the API refuse it at once; rows are checked by the job."""
    content = upload.read()
    upload.seek(0)
    read_table(upload.name, content)


def _check_headers(headers: list[str]) -> None:
    messages = []
    known = set(COLUMN_BY_HEADER) | set(EXPORT_ONLY)
    unknown = [h for h in headers if h not in known]
    missing = [c.header for c in COLUMNS if c.required and c.header not in headers]
    duplicated = sorted({h for h in headers if h and headers.count(h) > 1})
    if unknown:
        messages.append(
            _("Unknown columns: %(columns)s. Use the names in the template.")
            % {"columns": ", ".join(unknown)}
        )
    if missing:
        messages.append(_("Missing required columns: %(columns)s.") % {"columns": ", ".join(missing)})
    if duplicated:
        messages.append(_("Columns appear twice: %(columns)s.") % {"columns": ", ".join(duplicated)})
    if messages:
        raise ImportFileError(messages)


# -- parsing one row --------------------------------------------------------------------------------
@functools.lru_cache(maxsize=64)
def _choice_keys(choices, language: str | None) -> dict[str, str]:
    """Each choice's key by its key and its label in `language`, lowercased (labels are translated
    anew on each read of `choices.choices`: once per file and language, not once per cell)."""
    keys = {}
    for key, label in reversed(choices.choices):  # the first choice wins, as the loop it replaces
        keys[str(label).lower()] = key
        keys[str(key).lower()] = key
    return keys


def _parse_choice(raw: str, choices) -> str:
    value = raw.strip()
    key = _choice_keys(choices, translation.get_language()).get(value.lower())
    if key is not None:
        return key
    raise ValueError(
        _("“%(value)s” is not one of: %(choices)s.")
        % {"value": value, "choices": ", ".join(k for k in choices.values if k)}
    )


def _parse_bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ValueError(_("“%(value)s” is not yes/no (use yes, no, true, false, 1 or 0).") % {"value": raw})


def _split(raw: str) -> list[str]:
    return [part.strip() for part in raw.replace(";", ",").split(",") if part.strip()]


def parse_row(values: dict[str, str], members: dict[str, Membership]) -> tuple[dict[str, Any], dict]:
    """Service arguments from one row, and errors by column header."""
    fields: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for header, raw in values.items():
        column = COLUMN_BY_HEADER.get(header)
        if column is None:
            continue  # export-only column
        raw = (raw or "").strip()
        if column.required and not raw:
            errors[header] = [_("This column is required.")]
            continue
        if not raw and column.kind in ("choice", "country", "member"):
            continue  # leave the model default
        try:
            if column.kind == "text":
                value: Any = raw
            elif column.kind == "bool":
                value = _parse_bool(raw)
            elif column.kind == "choice":
                value = _parse_choice(raw, column.choices)
            elif column.kind == "media":
                value = [_parse_choice(part, column.choices) for part in _split(raw)]
            elif column.kind == "tags":
                value = _split(raw)
            elif column.kind == "country":
                value = raw.upper()
            elif column.kind == "member":
                value = members.get(raw.lower())
                if value is None:
                    raise ValueError(
                        _("No active member of this organization has the e-mail “%(email)s”.")
                        % {"email": raw}
                    )
            else:  # pragma: no cover - a column kind without a parser is a programming error
                raise AssertionError(column.kind)
        except ValueError as error:
            errors[header] = [str(error)]
            continue
        fields[column.target] = value
    return fields, errors


def _errors_by_column(error: ValidationError) -> dict[str, list[str]]:
    if not hasattr(error, "error_dict"):
        return {"row": error.messages}
    result: dict[str, list[str]] = {}
    for field_name, messages in error.message_dict.items():
        header = HEADER_BY_FIELD.get(field_name, "row" if field_name == "__all__" else field_name)
        result.setdefault(header, []).extend(messages)
    return result


# -- running an import ------------------------------------------------------------------------------
def import_systems(
    *,
    organization: Organization,
    filename: str,
    content: bytes,
    dry_run: bool,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Import systems from a CSV/XLSX file, all or nothing.

    Raises ImportFileError when the file itself is unusable. Otherwise every row is parsed and
    checked as `ai_system_create` would check it, in bulk (members, existing codes and tags are read
    once per file, not per row), and every row's errors are reported by column. A dry run stops
    there and saves nothing; a commit of a file without errors registers every system in one
    transaction (`services.ai_systems_create`), so any failure saves nothing.
    `progress(done, total)` is told how far the work is (checking rows, then registering systems).
    """
    headers, data = read_table(filename, content)
    members = {m.user.email.lower(): m for m in Membership.objects.active_in(organization)}
    report = progress or (lambda done, total: None)
    steps = len(data) if dry_run else 2 * len(data)
    result = ImportResult(dry_run=dry_run, rows=[], headers=headers)
    seen_codes: dict[str, int] = {}
    parsed: list[tuple[RowResult, dict[str, Any]]] = []
    for index, cells in enumerate(data, start=2):
        cells = list(cells) + [""] * (len(headers) - len(cells))
        values = {h: cells[i] for i, h in enumerate(headers) if h}
        row = RowResult(number=index, values=values)
        result.rows.append(row)
        fields, row.errors = parse_row(values, members)
        code = (fields.get("code") or "").lower()
        if code in seen_codes:
            row.errors.setdefault("code", []).append(
                _("The code is already used on row %(row)s of this file.") % {"row": seen_codes[code]}
            )
        elif code:
            seen_codes[code] = index
        if not row.errors:
            parsed.append((row, fields))
        report(index - 1, steps)
    systems, errors = services.ai_systems_validate(
        organization=organization, rows=[fields for _row, fields in parsed]
    )
    for position, (row, _fields) in enumerate(parsed):
        if position in errors:
            row.errors = _errors_by_column(ValidationError(errors[position]))
    if dry_run or not result.ok:
        return result
    try:
        with transaction.atomic():
            services.ai_systems_create(
                organization=organization,
                systems=systems,
                progress=lambda done, total: report(len(data) + done, steps),
            )
    except ValidationError as error:
        # The register or a listener refused a row after all (e.g. a code taken meanwhile): nothing
        # was saved; the refusal is reported on the row it names, or on the first.
        result.rows[0].errors = _errors_by_column(error)
        return result
    for row, system in zip((row for row, _fields in parsed), systems, strict=True):
        row.system_id = system.pk
    return result


# -- export -----------------------------------------------------------------------------------------
def export_headers() -> list[str]:
    return [c.header for c in COLUMNS] + list(EXPORT_ONLY)


def _value_name(column: Column) -> str:
    """The `values_list()` name a column reads (members by their e-mail, joined)."""
    return f"{column.target}__user__email" if column.kind == "member" else column.target


# One formatter per column, chosen once per export rather than per cell. The file is meant to be
# edited and imported again, so choices are written as their keys (which import reads in any
# language), yes/no in English and lists joined by commas: nothing here depends on the reader's
# language or time zone, and no cell needs gettext.
def _text(value) -> str:
    return "" if value is None else str(value)


def _as_is(value):
    return value


def _yes_no(value) -> str:
    return "yes" if value else "no"


def _joined(values) -> str:
    return ", ".join(values or [])


def _parties(links) -> str:
    return "; ".join(f"{name} ({role})" for name, role in links or [])


_FORMATTERS = {"bool": _yes_no, "media": _joined, "tags": _joined}
# The export-only columns after the register's facts: (value read, formatter).
_EXPORT_ONLY_VALUES = (
    ("risk_level", _as_is),
    ("autonomy_level", _as_is),
    ("classification_stale", _yes_no),
    ("is_prohibited", _yes_no),
    ("parties", _parties),
    ("archived_at", _yes_no),
)
# Tags and parties are not columns of the system's row: they are read per chunk and passed in.
_RELATED = ("tags", "parties")


def _export_plan() -> tuple[list[str], list[tuple[int, Callable]]]:
    """The `values_list()` names to read, and for each exported column, in `export_headers()`
    order, the position of its value in a row (the names read, then tags, then parties) and its
    formatter."""
    columns = [
        ("tags" if c.kind == "tags" else _value_name(c), _FORMATTERS.get(c.kind, _text)) for c in COLUMNS
    ]
    columns += _EXPORT_ONLY_VALUES
    names = ["pk", *(name for name, _format in columns if name not in _RELATED)]
    positions = {name: index for index, name in enumerate([*names, *_RELATED])}
    return names, [(positions[name], format_) for name, format_ in columns]


def export_rows(queryset) -> Iterator[list[str]]:
    """Every row of the filtered queryset, streamed: the systems are read as tuples of the exported
    columns only, through a server-side cursor (PostgreSQL; SQLite reads in chunks too), and their
    tags and parties with one query each per chunk of rows. No model objects, a fixed number of
    queries per chunk, memory flat whatever the number of rows."""
    from registry.models import AISystem, SystemPartyLink

    yield export_headers()
    names, plan = _export_plan()
    rows = queryset.prefetch_related(None).values_list(*names).iterator(chunk_size=EXPORT_CHUNK)
    through = AISystem.tags.through
    for chunk in iter(lambda: list(islice(rows, EXPORT_CHUNK)), []):
        ids = [row[0] for row in chunk]
        tags: dict[int, list[str]] = {}
        for system_id, name in (
            through.objects.filter(aisystem_id__in=ids)
            .order_by("tag__name")
            .values_list("aisystem_id", "tag__name")
        ):
            tags.setdefault(system_id, []).append(name)
        parties: dict[int, list[tuple[str, str]]] = {}
        for system_id, name, role in (
            SystemPartyLink.objects.filter(system_id__in=ids)
            .order_by("role", "party__name")
            .values_list("system_id", "party__name", "role")
        ):
            parties.setdefault(system_id, []).append((name, role))
        for row in chunk:
            row = (*row, tags.get(row[0]), parties.get(row[0]))
            yield [format_(row[index]) for index, format_ in plan]


def csv_stream(rows: Iterable[list[str]]) -> Iterator[str]:
    """The rows as CSV text through the one exporter (kept for callers of this module)."""
    return spreadsheets.csv_stream(rows)


def xlsx_bytes(rows: Iterable[list[str]], title: str = "AI systems") -> bytes:
    """The rows as a one-sheet XLSX through the one exporter (kept for callers of this module)."""
    return spreadsheets.xlsx_bytes([spreadsheets.Sheet(title, rows)])


def template_rows() -> list[list[str]]:
    headers = [c.header for c in COLUMNS]
    return [headers, [EXAMPLE_ROW.get(h, "") for h in headers]]


IMPORT_HELP = gettext_lazy(
    "Required columns: code, name, intended_purpose, organization_role, sector. Yes/no columns accept "
    "yes, no, true, false, 1, 0. Lists (tags, synthetic_media) are separated by commas. Members are "
    "given by e-mail. Files up to 5 MB and 5,000 rows, CSV in UTF-8 or XLSX."
)
