"""The .xlsx files people download, rendered from the domain's read models with the labels in cards.texts.

A målplan comes in the shape of the målplanskabelon: one sheet per årshjul phase (see domain.export for how
entries are placed), each listing every mål with its prøvehandlinger and the approved entries of that phase.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from cards import danish, texts, xlsx
from cards.xlsx import Table, Value
from domain.eksempel_export import EksempelExport, ExportedEksempel
from domain.export import ExportedEntry, ExportedMaal, MaalplanExport
from domain.vocabulary import EntryKind, EntryStatus, Tema

# Column widths (characters) for texts.EXPORT_HEADERS.
WIDTHS = (40, 36, 14, 6, 60, 24, 14, 30, 36, 14, 40, 12, 22, 18)
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="2E6B47")
WRAP = Alignment(wrap_text=True, vertical="top")


def _label(mapping: dict[str, str], code: str) -> str:
    return mapping.get(code, "") if code else ""


def _entry_row(maal: ExportedMaal, entry: ExportedEntry) -> list[object]:
    return [
        maal.title,
        maal.maalsaetning,
        texts.KIND_LABELS[entry.kind],
        entry.number,
        entry.text,
        entry.maalgruppe,
        _label(texts.DATATYPE_LABELS, entry.datatype),
        entry.opfoelgning,
        entry.proevehandling,
        _label(texts.EVALUERING_LABELS, entry.evaluering),
        entry.effekt,
        _label(texts.BESLUTNING_LABELS, entry.beslutning),
        entry.owner,
        danish.date(entry.proposed_at),
    ]


def maalplan_workbook(export: MaalplanExport) -> tuple[str, bytes]:
    """The file name and the .xlsx bytes for a målplan export."""
    workbook = Workbook()
    sheets = [workbook.active] + [workbook.create_sheet() for _ in texts.EXPORT_SHEETS[1:]]
    for phase, (sheet, title) in enumerate(zip(sheets, texts.EXPORT_SHEETS, strict=True)):
        assert sheet is not None
        sheet.title = title
        sheet.append([f"{export.title} ({export.unit_name}, {export.year})"])
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.append(list(texts.EXPORT_HEADERS))
        for cell in sheet[2]:
            cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, WRAP
        for maal in export.maal:
            sheet.append([maal.title, maal.maalsaetning])
            sheet.cell(sheet.max_row, 1).font = Font(bold=True)
            for title_of_ph in maal.proevehandlinger:
                sheet.append([maal.title, maal.maalsaetning, texts.EXPORT_TYPE_PROEVEHANDLING, "", title_of_ph])
            for entry in maal.entries_by_phase[phase]:
                sheet.append(_entry_row(maal, entry))
        for index, width in enumerate(WIDTHS, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        for row in sheet.iter_rows(min_row=3):
            for cell in row:
                cell.alignment = WRAP
        sheet.freeze_panes = "A3"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return f"{export.title}.xlsx", buffer.getvalue()


# --- Eksempler (issue 10) --------------------------------------------------------------------------------------

EKSEMPEL_WIDTHS = (6, 14, 13, 70, 40, 30, 30, 22, 12, 34, 16, 14, 10)
SILENT_WIDTHS = (36, 36, 30)


def _selection_label(row: ExportedEksempel) -> str:
    if row.forum and row.status in texts.OUTCOME_LABELS:
        return texts.OUTCOME_LABELS[row.status].format(forum=row.forum)
    if row.status is EntryStatus.APPROVED:
        return texts.STATUS_APPROVED_BY_KIND[EntryKind.EKSEMPEL]
    if row.status is EntryStatus.SENT_BACK:
        return texts.STATUS_SENT_BACK_OTHER
    return texts.STATUS_LABELS.get(row.status, row.status)


def _eksempel_row(row: ExportedEksempel) -> list[Value]:
    return [
        row.number,
        texts.TEMA_LABELS[row.tema],
        texts.NIVEAU_LABELS[row.niveau],
        row.eksempel,
        row.situation,
        row.fra,
        row.afdeling,
        row.owner,
        row.sent_on,
        _selection_label(row),
        row.forum,
        row.decided_on,
        texts.YES if row.film_kandidat else "",
    ]


def eksempel_workbook(export: EksempelExport) -> tuple[str, bytes]:
    """The file name and the .xlsx bytes: the eksempler, one sheet per tema, and the units that sent nothing.

    Each eksempel is written once (on its tema's sheet), with openpyxl's streaming writer (cards.xlsx)."""
    rows = [(row.tema, _eksempel_row(row)) for row in export.eksempler]
    headers = texts.EKSEMPEL_EXPORT_HEADERS
    tables: list[Table] = []
    for tema in Tema:
        chosen = [values for row_tema, values in rows if row_tema is tema]
        tables.append(Table(texts.TEMA_LABELS[tema], headers, chosen, EKSEMPEL_WIDTHS))
    silent: list[list[Value]] = [[unit.name, unit.afdeling, unit.ledere] for unit in export.silent_units]
    tables.append(
        Table(texts.EKSEMPEL_EXPORT_SHEET_SILENT, texts.EKSEMPEL_EXPORT_SILENT_HEADERS, silent, SILENT_WIDTHS)
    )
    return f"{texts.EKSEMPEL_EXPORT_TITLE}.xlsx", xlsx.workbook(tables)
