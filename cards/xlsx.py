"""Plain tables as an .xlsx workbook: a bold header row, an autofilter, the header frozen, column widths.

openpyxl's write-only mode streams each sheet's rows to the file instead of keeping a cell object per value; lxml,
when installed, makes openpyxl's XML writing faster still. What is left per cell is openpyxl's own work (about
10 µs: binding the value, then the XML), so this module adds as little as it can around it:

- plain values go to `append` as they are; only the header and the date cells carry a style, and each date column
  has one styled cell per sheet, given a new value each row (openpyxl writes a row before `append` returns): the
  day's serial number, which is what openpyxl writes for a date, computed once per day;
- strings are cleaned of characters XML forbids only when they have any (`isprintable` says no faster than a
  regular expression can);
- the zip is deflated at level 1: four times faster than the default (6) for a file about a quarter larger.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.writer.excel import ExcelWriter

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
    # Printed (or saved as PDF): landscape, every column on one page's width.
    fit_width: bool = False


def sheet_name(name: str, taken: set[str]) -> str:
    """A name Excel accepts, unique in the workbook."""
    base = _SHEET_NAME.sub(" ", name).strip()[:31] or "Ark"
    candidate, n = base, 2
    while candidate.lower() in taken:
        suffix = f" ({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(candidate.lower())
    return candidate


def _clean(text: str) -> str:
    # Tabs and newlines are allowed but not printable: those strings take the regular expression too.
    return text if text.isprintable() else _INVALID.sub("", text)


def _header(sheet: WriteOnlyWorksheet, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=_clean(text))
    cell.font, cell.fill, cell.alignment = _HEADER_FONT, _HEADER_FILL, _HEADER_ALIGNMENT
    return cell


def _date_cell(sheet: WriteOnlyWorksheet) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet)
    cell.number_format = DATE_FORMAT
    return cell


def _fill(sheet: WriteOnlyWorksheet, table: Table) -> None:
    width = len(table.headers)
    for index, chars in enumerate(table.widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = chars
    sheet.freeze_panes = "A2"
    if table.fit_width:
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if width:
        sheet.auto_filter.ref = f"A1:{get_column_letter(width)}{len(table.rows) + 1}"
    sheet.append([_header(sheet, name) for name in table.headers])
    # One styled cell per date column, reused: openpyxl has written the row when `append` returns.
    dates: dict[int, WriteOnlyCell] = {}
    serials: dict[dt.date, float] = {}
    for row in table.rows:
        values: list[Value | WriteOnlyCell] = []
        for column, value in enumerate(row[:width]):
            if isinstance(value, str):
                values.append(_clean(value) if value else None)
            elif isinstance(value, dt.date):
                cell = dates.get(column) or dates.setdefault(column, _date_cell(sheet))
                day = value.date() if isinstance(value, dt.datetime) else value
                # What openpyxl writes for a date (its serial number, t="n", the cell's date format), computed
                # once per day: a workbook has few distinct days.
                serial = serials.get(day)
                if serial is None:
                    serial = serials[day] = to_excel(day, sheet.parent.epoch)
                cell.value = serial
                values.append(cell)
            else:
                values.append(value)
        sheet.append(values)


def workbook(tables: Sequence[Table]) -> bytes:
    """The .xlsx bytes for these tables, one sheet each, in order."""
    book = Workbook(write_only=True)
    taken: set[str] = set()
    for table in tables:
        _fill(book.create_sheet(sheet_name(table.name, taken)), table)
    buffer = io.BytesIO()
    # What Workbook.save does (openpyxl.writer.excel.save_workbook), with a faster deflate level.
    with ZipFile(buffer, "w", ZIP_DEFLATED, allowZip64=True, compresslevel=1) as archive:
        ExcelWriter(book, archive).save()
    return buffer.getvalue()
