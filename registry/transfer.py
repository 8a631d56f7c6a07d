"""CSV/XLSX import and export of the AI-system register.

Export writes every row of a filtered list (streamed for CSV, built in write-only mode for XLSX).
Import reads a file, checks its columns and size, parses each row, and runs the very services a form
uses, row by row, inside one transaction: a dry run (or any error) rolls everything back, so a bad
row never half-imports and the dry run shows exactly what the commit would do.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kzai.accounts.models import Membership, Organization
from kzai.core.spreadsheets import csv_row, imported_cell, xlsx_row
from registry import services
from registry.choices import (
    DecisionRole,
    Deployment,
    InteractionChannel,
    LifecycleStage,
    OrganizationRole,
    Sector,
    SyntheticMedium,
)

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 5000
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


COLUMNS: tuple[Column, ...] = (
    Column("code", "text", required=True),
    Column("name", "text", required=True),
    Column("intended_purpose", "text", required=True),
    Column("organization_role", "choice", required=True, choices=OrganizationRole),
    Column("sector", "choice", required=True, choices=Sector),
    Column("lifecycle_stage", "choice", choices=LifecycleStage),
    Column("description", "text"),
    Column("business_unit", "text"),
    Column("responsible_officer_email", "member", field="responsible_officer"),
    Column("technical_owner_email", "member", field="technical_owner"),
    Column("tags", "tags"),
    Column("generates_synthetic_content", "bool"),
    Column("synthetic_media", "media", choices=SyntheticMedium),
    Column("interacts_with_natural_persons", "bool"),
    Column("interaction_channel", "choice", choices=InteractionChannel),
    Column("decision_role", "choice", choices=DecisionRole),
    Column("processes_personal_data", "bool"),
    Column("processes_biometric_data", "bool"),
    Column("recognises_emotions", "bool"),
    Column("profiles_people", "bool"),
    Column("consumer_facing", "bool"),
    Column("critical_ict_infrastructure", "bool"),
    Column("state_information_resource", "bool"),
    Column("deployment", "choice", choices=Deployment),
    Column("hosting_country", "country"),
    Column("data_leaves_kazakhstan", "bool"),
    Column("uses_foreign_platform", "bool"),
    Column("user_agreement_url", "text"),
    Column("user_agreement_version", "text"),
    Column("support_contact", "text"),
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
    return [row for row in rows if any(cell.strip() for cell in row)]


def _read_xlsx(content: bytes) -> list[list[str]]:

    # Lazy on purpose: openpyxl is a heavy import that only spreadsheet work needs.
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ImportFileError([_("The file is not a readable XLSX workbook.")])
    rows = []
    for values in workbook.worksheets[0].iter_rows(values_only=True):
        cells = ["" if v is None else str(v) for v in values]
        if any(c.strip() for c in cells):
            rows.append(cells)
        if len(rows) > MAX_IMPORT_ROWS + 1:
            break
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
def _parse_choice(raw: str, choices) -> str:
    value = raw.strip()
    for key, label in choices.choices:
        if value.lower() in (str(key).lower(), str(label).lower()):
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
    *, organization: Organization, filename: str, content: bytes, dry_run: bool
) -> ImportResult:
    """Import systems from a CSV/XLSX file through `ai_system_create`, all or nothing.

    Raises ImportFileError when the file itself is unusable. Otherwise every row is tried inside one
    transaction (each in its own savepoint so all row errors are reported at once); the transaction
    is rolled back on a dry run or when any row fails.
    """
    headers, data = read_table(filename, content)
    members = {m.user.email.lower(): m for m in Membership.objects.active_in(organization)}
    result = ImportResult(dry_run=dry_run, rows=[], headers=headers)
    seen_codes: dict[str, int] = {}
    with transaction.atomic():
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
            if row.errors:
                continue
            try:
                with transaction.atomic():
                    row.system_id = services.ai_system_create(organization=organization, **fields).pk
            except ValidationError as error:
                row.errors = _errors_by_column(error)
        if dry_run or not result.ok:
            transaction.set_rollback(True)
    return result


# -- export -----------------------------------------------------------------------------------------
def export_headers() -> list[str]:
    return [c.header for c in COLUMNS] + list(EXPORT_ONLY)


def _cell(system, column: Column) -> str:
    value = getattr(system, column.target)
    if column.kind == "bool":
        return "yes" if value else "no"
    if column.kind == "media":
        return ", ".join(value or [])
    if column.kind == "tags":
        return ", ".join(t.name for t in system.tags.all())
    if column.kind == "member":
        return value.user.email if value else ""
    return "" if value is None else str(value)


def export_row(system) -> list[str]:
    parties = "; ".join(f"{link.party.name} ({link.role})" for link in system.party_links.all())
    return [_cell(system, c) for c in COLUMNS] + [
        system.risk_level,
        system.autonomy_level,
        "yes" if system.classification_stale else "no",
        "yes" if system.is_prohibited else "no",
        parties,
        "yes" if system.archived_at else "no",
    ]


def export_rows(queryset) -> Iterator[list[str]]:
    """Every row of the filtered queryset, read in chunks (prefetches run once per chunk)."""
    yield export_headers()
    for system in queryset.iterator(chunk_size=EXPORT_CHUNK):
        yield export_row(system)


class _Echo:
    def write(self, value):
        return value


def csv_stream(rows: Iterable[list[str]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so Excel opens the UTF-8 file with Cyrillic intact
    for row in rows:
        yield writer.writerow(csv_row(row))


def xlsx_bytes(rows: Iterable[list[str]], title: str = "AI systems") -> bytes:
    # Lazy on purpose: openpyxl is a heavy import that only spreadsheet work needs.
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    for row in rows:
        sheet.append(xlsx_row(sheet, row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_rows() -> list[list[str]]:
    headers = [c.header for c in COLUMNS]
    return [headers, [EXAMPLE_ROW.get(h, "") for h in headers]]


IMPORT_HELP = gettext_lazy(
    "Required columns: code, name, intended_purpose, organization_role, sector. Yes/no columns accept "
    "yes, no, true, false, 1, 0. Lists (tags, synthetic_media) are separated by commas. Members are "
    "given by e-mail. Files up to 5 MB and 5,000 rows, CSV in UTF-8 or XLSX."
)
