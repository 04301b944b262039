"""The .xlsx files people download, rendered from the domain's read models with the labels in cards.texts.

A målplan comes in the shape of the målplanskabelon: one sheet per årshjul phase, each the målplan as it stood at
the end of that phase (see domain.export): every mål with its prøvehandlinger and its approved tegn and læring,
every field of each, and what was added in the phase marked. Chefforum's workbook has a summary and one sheet per
afdeling with its units' newest målplaner as they stand.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from cards import danish, texts, xlsx
from cards.xlsx import Table, Value
from core.vocabulary import EntryKind, EntryStatus, Tema
from domain.eksempel_export import EksempelExport, ExportedEksempel
from domain.export import ChefforumExport, ExportedEntry, ExportedMaal, ExportedProevehandling, MaalplanExport

# Column widths (characters) for texts.EXPORT_HEADERS.
WIDTHS = (40, 36, 14, 6, 60, 24, 14, 30, 36, 36, 14, 40, 40, 40, 12, 22, 12, 22, 18, 18, 22, 40, 18, 18)
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="2E6B47")
MAAL_FILL = PatternFill("solid", fgColor="DDEBE2")
NEW_FILL = PatternFill("solid", fgColor="FFF2B3")
WRAP = Alignment(wrap_text=True, vertical="top")
REPEATED_FONT = Font(color="808080")
MARK = len(texts.EXPORT_HEADERS)  # the column "I denne fase"
LINE_HEIGHT = 15  # points


def _height(values: Sequence[Value]) -> float:
    """A row tall enough for its wrapped text (spreadsheet programs do not measure rows openpyxl wrote)."""
    lines = 1
    for value, width in zip(values, WIDTHS, strict=False):
        if isinstance(value, str) and value:
            lines = max(lines, sum(-(-max(1, len(part)) // max(1, width - 2)) for part in value.split("\n")))
    return LINE_HEIGHT * lines


def _label(mapping: dict[str, str], code: str) -> str:
    return mapping.get(code, "") if code else ""


def _maal_row(maal: ExportedMaal) -> list[Value]:
    return [maal.title, maal.maalsaetning, texts.EXPORT_TYPE_MAAL, None, maal.description or maal.politik]


def _how_we_know(ph: ExportedProevehandling) -> str:
    """How we will see a proposed prøvehandling's effect: the mål's tegn it names, and/or in words."""
    parts = [texts.EXPORT_PROEVEHANDLING_TEGN.format(text=ph.tegn_tekst)] if ph.tegn_tekst else []
    return "\n".join([*parts, *([ph.hvordan_ser_vi] if ph.hvordan_ser_vi else [])])


def _proevehandling_row(maal: ExportedMaal, ph: ExportedProevehandling) -> list[Value]:
    row: list[Value] = [maal.title, maal.maalsaetning, texts.EXPORT_TYPE_PROEVEHANDLING, ph.number, ph.title]
    if ph.number is None:  # from the organisation file: its title and description
        return row + [None] * 4 + [ph.description]
    borger = None if ph.borgerinddragelse is None else texts.YES if ph.borgerinddragelse else texts.NO
    return [
        *row,
        ph.maalgruppe,
        None,
        _how_we_know(ph) or None,
        None,
        ph.description or None,
        *([None] * 5),
        _label(texts.TVAERFAGLIG_LABELS, ph.tvaerfaglighed),
        borger,
        ph.owner,
        danish.date(ph.proposed_at) if ph.proposed_at else None,
        danish.date(ph.approved_at) if ph.approved_at else None,
        ph.approved_by,
        ph.original_text or None,
        danish.date(ph.evalueres) if ph.evalueres else None,
    ]


def _entry_row(maal: ExportedMaal, entry: ExportedEntry) -> list[Value]:
    borger = None if entry.borgerinddragelse is None else texts.YES if entry.borgerinddragelse else texts.NO
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
        None,
        _label(texts.EVALUERING_LABELS, entry.evaluering),
        entry.hvad_gjorde_vi,
        entry.tegn_set,
        entry.effekt,
        _label(texts.BESLUTNING_LABELS, entry.beslutning),
        _label(texts.TVAERFAGLIG_LABELS, entry.tvaerfaglighed) if entry.kind is EntryKind.LAERING else None,
        borger,
        entry.owner,
        danish.date(entry.proposed_at),
        danish.date(entry.approved_at),
        entry.approved_by,
        entry.original_text,
    ]


def _mark(entry: ExportedEntry | ExportedProevehandling) -> str:
    return texts.EXPORT_NEW_CORRECTED.format(name=entry.approved_by) if entry.original_text else texts.EXPORT_NEW


def _sheet_rows(export: MaalplanExport, phase: int) -> list[tuple[list[Value], str]]:
    """The målplan at the end of `phase`: (row, what it is: "maal", "new" or "")."""
    rows: list[tuple[list[Value], str]] = []
    for maal in export.maal:
        rows.append((_maal_row(maal), "maal"))
        for ph in maal.proevehandlinger_until(phase):
            row = _proevehandling_row(maal, ph)
            new = ph.phase == phase
            rows.append((_padded(row, _mark(ph) if new else None), "new" if new else ""))
        for entry in maal.entries_until(phase):
            new = entry.phase == phase
            rows.append((_padded(_entry_row(maal, entry), _mark(entry) if new else None), "new" if new else ""))
    return rows


def _padded(row: list[Value], mark: str | None) -> list[Value]:
    return row + [None] * (MARK - 1 - len(row)) + [mark]


def maalplan_workbook(export: MaalplanExport) -> tuple[str, bytes]:
    """The file name and the .xlsx bytes for a målplan export: four cumulative sheets."""
    workbook = Workbook()
    sheets = [workbook.active] + [workbook.create_sheet() for _ in texts.EXPORT_SHEETS[1:]]
    for phase, (sheet, title) in enumerate(zip(sheets, texts.EXPORT_SHEETS, strict=True)):
        assert sheet is not None
        sheet.title = title
        end = export.ends[phase] if phase < len(export.ends) else None
        note = texts.EXPORT_SHEET_NOTE.format(until=danish.date(end)) if end else texts.EXPORT_SHEET_NOTE_OPEN
        heading = texts.EXPORT_SHEET_TITLE.format(
            title=export.title, unit=export.unit_name, year=export.year, sheet=title
        )
        sheet.append([f"{heading}: {note}"])
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.append(list(texts.EXPORT_HEADERS))
        for cell in sheet[2]:
            cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, WRAP
        sheet.row_dimensions[2].height = 2 * LINE_HEIGHT
        for values, what in _sheet_rows(export, phase):
            sheet.append(values)
            row = sheet.max_row
            sheet.row_dimensions[row].height = _height(values)
            for column in range(1, MARK + 1):
                cell = sheet.cell(row, column)
                cell.alignment = WRAP
                if what == "maal":
                    cell.font, cell.fill = Font(bold=True), MAAL_FILL
                elif column <= 2:
                    cell.font = REPEATED_FONT  # the mål and målsætning repeated, for filtering
            if what == "new":
                sheet.cell(row, MARK).fill = NEW_FILL
                sheet.cell(row, MARK).font = Font(bold=True)
        for index, width in enumerate(WIDTHS, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A3"
        # Printed (or saved as PDF for SBSYS): landscape, every column on one page's width.
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.print_title_rows = "2:2"
        sheet.auto_filter.ref = f"A2:{get_column_letter(MARK)}{max(sheet.max_row, 2)}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return f"{export.title}.xlsx", buffer.getvalue()


# --- Chefforum: across målplaner (issue 20) --------------------------------------------------------------------

SUMMARY_WIDTHS = (44, 60, 14, 8, 14, 22, 14, 14, 10)
PLAN_WIDTHS = (36, 30, *WIDTHS[:-1], 24)


def _phase_name(phase: int | None) -> str:
    return texts.CHEFFORUM_EXPORT_FROM_START if phase is None else texts.EXPORT_SHEETS[phase]


def _summary_row(afdeling: str, maalsaetning: str, plans: Sequence[tuple[str, ExportedMaal]]) -> list[Value]:
    maal = [m for _unit, m in plans]
    last = len(texts.EXPORT_SHEETS) - 1
    return [
        afdeling,
        maalsaetning,
        len({unit for unit, _m in plans}),
        len(maal),
        sum(1 for m in maal if not any(e.kind is EntryKind.TEGN for e in m.entries)),
        sum(1 for m in maal if not m.proevehandlinger_until(last)),
        sum(1 for m in maal for e in m.entries if e.kind is EntryKind.TEGN),
        sum(len(m.proevehandlinger_until(last)) for m in maal),
        sum(1 for m in maal for e in m.entries if e.kind is EntryKind.LAERING),
    ]


def chefforum_workbook(export: ChefforumExport) -> tuple[str, bytes]:
    """The file name and the .xlsx bytes: a summary (per afdeling and målsætning, with totals), then one sheet per
    afdeling with its units' newest målplaner as they stand, each row naming the phase it was added in."""
    summary: list[list[Value]] = []
    everything: list[tuple[str, ExportedMaal]] = []
    sheets: list[Table] = []
    for afdeling in export.afdelinger:
        name = afdeling.name or texts.CHEFFORUM_EXPORT_NO_AFDELING
        pairs = [(plan.unit_name, m) for plan in afdeling.plans for m in plan.maal]
        everything += pairs
        by_maalsaetning: dict[str, list[tuple[str, ExportedMaal]]] = {}
        for unit, m in pairs:
            by_maalsaetning.setdefault(m.maalsaetning or texts.CHEFFORUM_EXPORT_NO_MAALSAETNING, []).append((unit, m))
        for maalsaetning in sorted(by_maalsaetning, key=str.casefold):
            summary.append(_summary_row(name, maalsaetning, by_maalsaetning[maalsaetning]))
        summary.append(_summary_row(name, texts.CHEFFORUM_EXPORT_ALL, pairs))
        rows: list[list[Value]] = []
        for plan in afdeling.plans:
            last = len(texts.EXPORT_SHEETS) - 1
            for maal in plan.maal:
                rows.append([plan.unit_name, plan.title, *_maal_row(maal)])
                for ph in maal.proevehandlinger_until(last):
                    rows.append(
                        [plan.unit_name, plan.title, *_padded(_proevehandling_row(maal, ph), _phase_name(ph.phase))]
                    )
                for entry in maal.entries:
                    rows.append(
                        [plan.unit_name, plan.title, *_padded(_entry_row(maal, entry), _phase_name(entry.phase))]
                    )
        sheets.append(Table(name, texts.CHEFFORUM_EXPORT_PLAN_HEADERS, rows, PLAN_WIDTHS, fit_width=True))
    summary.append(_summary_row(texts.CHEFFORUM_EXPORT_ALL, texts.CHEFFORUM_EXPORT_ALL, everything))
    tables = [
        Table(
            texts.CHEFFORUM_EXPORT_SUMMARY,
            texts.CHEFFORUM_EXPORT_SUMMARY_HEADERS,
            summary,
            SUMMARY_WIDTHS,
            fit_width=True,
        ),
        *sheets,
    ]
    return f"{texts.CHEFFORUM_EXPORT_TITLE}.xlsx", xlsx.workbook(tables)


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
