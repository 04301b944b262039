"""The Eksempler page's Excel round trip: the filtered list as a workbook with two columns per selection stage to
fill in (the new outcome and the forum's date), and reading a filled-in workbook back into lines to preview.

Each stage also has a read-only column with the outcome recorded when the list was exported: the preview compares
it with the database to show a conflict when someone recorded another outcome in the meantime.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence

from openpyxl import load_workbook

from cards import danish, texts
from cards.xlsx import Table, workbook
from core.vocabulary import EntryStatus
from domain.policy import Selection
from domain.workbench import SheetLine, TableRow, outcome_labels

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# An uploaded workbook larger than this is refused (2,000 eksempler make about 300 KB).
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
_DAY = re.compile(r"^\s*(\d{1,2})[-./](\d{1,2})[-./](\d{4})\s*$")


class BadSheet(ValueError):
    """Not a workbook this page made (or not a workbook at all)."""


def label(status: EntryStatus, forum: str) -> str:
    return texts.OUTCOME_LABELS[status].format(forum=forum)


def _fora(selection: Selection, stage: int) -> str:
    return " / ".join(selection[stage].fora)


def export(rows: Sequence[TableRow], selection: Selection) -> bytes:
    """The workbook: one row per eksempel, then per stage: registreret (as now), nyt udfald, dato (to fill in)."""
    headers = [
        texts.TAB_EKS_COL_NR,
        texts.EKSEMPEL_TEMA_LABEL,
        texts.EKSEMPEL_NIVEAU_LABEL,
        texts.EKSEMPEL_LABEL,
        texts.EKSEMPEL_SITUATION_LABEL,
        texts.TAB_EKS_FILTER_AFDELING,
        texts.TAB_EKS_FILTER_UNIT,
        texts.TAB_EKS_COL_SENT,
        texts.TAB_XL_COL_STATUS,
    ]
    for stage in range(len(selection)):
        fora = _fora(selection, stage)
        headers += [
            texts.TAB_XL_COL_RECORDED.format(fora=fora),
            texts.TAB_XL_COL_NEW.format(fora=fora),
            texts.TAB_XL_COL_DATE.format(fora=fora),
        ]
    lines = []
    for row in rows:
        values: list[str | int | dt.date | None] = [
            row.id,
            texts.TEMA_LABELS[row.tema],
            texts.NIVEAU_LABELS[row.niveau],
            row.eksempel,
            row.situation,
            row.afdeling_name,
            row.unit_name,
            danish.local(row.sent_at).date(),
            texts.STATUS_LABELS[row.status],
        ]
        for outcome in row.outcomes:
            values += [label(outcome.status, outcome.forum) if outcome else "", "", None]
        lines.append(values)
    widths = [6, 14, 12, 60, 30, 24, 24, 12, 24] + [24, 24, 12] * len(selection)
    valid = [[text] for text in outcome_labels(selection, label)]
    help_rows = [[texts.TAB_XL_HELP], [""], [texts.TAB_XL_HELP_VALUES], *valid]
    return workbook(
        [
            Table(texts.TAB_XL_SHEET, headers, lines, widths),
            Table(texts.TAB_XL_HELP_SHEET, [texts.TAB_XL_HELP_SHEET], help_rows, [100]),
        ]
    )


def _day(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        found = _DAY.match(text)
        try:
            if found:
                return dt.date(int(found.group(3)), int(found.group(2)), int(found.group(1)))
            return dt.date.fromisoformat(text) if text else None
        except ValueError:
            return None
    return None


def read(content: bytes, selection: Selection) -> list[SheetLine]:
    """The filled-in outcomes of an uploaded workbook (rows with no new outcome are left out); BadSheet otherwise."""
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as error:
        raise BadSheet(type(error).__name__) from None
    try:
        if texts.TAB_XL_SHEET not in book.sheetnames:
            raise BadSheet("no sheet")
        rows = book[texts.TAB_XL_SHEET].iter_rows(values_only=True)
        header = [str(value).strip() if value is not None else "" for value in next(rows, ())]
        if not header or header[0] != texts.TAB_EKS_COL_NR:
            raise BadSheet("no header")
        columns = []
        for stage in range(len(selection)):
            fora = _fora(selection, stage)
            wanted = [
                texts.TAB_XL_COL_RECORDED.format(fora=fora),
                texts.TAB_XL_COL_NEW.format(fora=fora),
                texts.TAB_XL_COL_DATE.format(fora=fora),
            ]
            if not all(name in header for name in wanted):
                raise BadSheet("stage columns missing")
            columns.append(tuple(header.index(name) for name in wanted))
        lines: list[SheetLine] = []
        for values in rows:
            if not values or values[0] is None:
                continue
            number = values[0]
            if not isinstance(number, int | float) or int(number) != number or number < 1:
                continue
            for stage, (recorded, new, day) in enumerate(columns):
                typed = values[new] if new < len(values) else None
                if typed is None or not str(typed).strip():
                    continue
                exported = values[recorded] if recorded < len(values) else None
                lines.append(
                    SheetLine(
                        entry_id=int(number),
                        stage=stage,
                        exported=str(exported or ""),
                        new=str(typed)[:200],
                        on=_day(values[day] if day < len(values) else None),
                    )
                )
        return lines
    finally:
        book.close()
