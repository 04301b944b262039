"""Plain tables as an .xlsx workbook: a bold header row, an autofilter, the header frozen, column widths.

openpyxl's write-only mode streams each sheet's rows to the file instead of building a cell object per value,
so an export of 10,000 eksempler (all of them, then again one sheet per tema) stays well inside its budget; lxml,
when installed, makes openpyxl's XML writing several times faster still.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

Value = str | int | float | bool | dt.date | None

# Characters XML 1.0 does not allow (text people typed may contain them).
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Excel's limits: a sheet name has at most 31 characters and none of these.
_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="2E6B47")
_HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="top")
DATE_FORMAT = "d/m/yyyy"


@dataclass(frozen=True)
class Table:
    """One sheet: a header row and rows of plain values; widths in characters, one per column."""

    name: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Value]]
    widths: Sequence[int] = ()


def sheet_name(name: str, taken: set[str]) -> str:
    """A name Excel accepts, unique in the workbook."""
    base = _SHEET_NAME.sub(" ", name).strip()[:31] or "Ark"
    candidate, n = base, 2
    while candidate.lower() in taken:
        suffix = f" ({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(candidate.lower())
    return candidate


def _clean(value: Value) -> Value:
    return _INVALID.sub("", value) if isinstance(value, str) else value


def _header(sheet: WriteOnlyWorksheet, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=_clean(text))
    cell.font, cell.fill, cell.alignment = _HEADER_FONT, _HEADER_FILL, _HEADER_ALIGNMENT
    return cell


def _date(sheet: WriteOnlyWorksheet, day: dt.date) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=day.date() if isinstance(day, dt.datetime) else day)
    cell.number_format = DATE_FORMAT
    return cell


def _fill(sheet: WriteOnlyWorksheet, table: Table) -> None:
    width = len(table.headers)
    for index, chars in enumerate(table.widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = chars
    sheet.freeze_panes = "A2"
    if width:
        sheet.auto_filter.ref = f"A1:{get_column_letter(width)}{len(table.rows) + 1}"
    sheet.append([_header(sheet, name) for name in table.headers])
    for row in table.rows:
        sheet.append(
            [
                _date(sheet, value) if isinstance(value, dt.date) else (None if value == "" else _clean(value))
                for value in row[:width]
            ]
        )


def workbook(tables: Sequence[Table]) -> bytes:
    """The .xlsx bytes for these tables, one sheet each, in order."""
    book = Workbook(write_only=True)
    taken: set[str] = set()
    for table in tables:
        _fill(book.create_sheet(sheet_name(table.name, taken)), table)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
