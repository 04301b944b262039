"""The chef's export: a målplan as an .xlsx in the shape of the målplanskabelon, one sheet per årshjul phase.

Entries are placed by the date they were proposed, against the årshjul dates in the organisation file:
before udviklingsdage del 1 → FØR; from del 1 until del 2 starts → UNDER udviklingsdage del 1;
during del 2 → UNDER udviklingsdage del 2; after → EFTER. Without those dates everything is in FØR.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from cards import danish, texts
from domain.actor import Roles
from domain.vocabulary import EntryKind, Role
from storage import repo
from storage.models import CalendarDate, Entry, Maal, Maalplan

DEL_1 = "udviklingsdage-del-1"
DEL_2 = "udviklingsdage-del-2"
# Column widths (characters) for texts.EXPORT_HEADERS.
WIDTHS = (40, 36, 14, 6, 60, 24, 14, 30, 36, 14, 40, 12, 22, 18)


@dataclass(frozen=True)
class Phases:
    del_1: tuple[dt.date, dt.date] | None
    del_2: tuple[dt.date, dt.date] | None

    def index(self, day: dt.date) -> int:
        """0 FØR, 1 UNDER del 1, 2 UNDER del 2, 3 EFTER."""
        if self.del_1 is None or day < self.del_1[0]:
            return 0
        if self.del_2 is None:
            return 1 if day <= self.del_1[1] else 3
        if day < self.del_2[0]:
            return 1
        return 2 if day <= self.del_2[1] else 3


async def phases(session: AsyncSession) -> Phases:
    dates = {d.key: d for d in (await session.scalars(select(CalendarDate))).all()}

    def period(key: str) -> tuple[dt.date, dt.date] | None:
        date = dates.get(key)
        return (date.starts_on, date.ends_on or date.starts_on) if date else None

    return Phases(period(DEL_1), period(DEL_2))


def _coded(mapping: dict[str, str], value: object) -> str:
    return mapping.get(str(value), "") if value else ""


def _entry_row(maal: Maal, entry: Entry) -> list[object]:
    data = entry.data
    ph_title = entry.proevehandling.title if entry.proevehandling else str(data.get("ny_proevehandling") or "")
    text = data.get("tegn") if entry.kind is EntryKind.TEGN else data.get("laering")
    return [
        maal.title,
        maal.maalsaetning,
        texts.KIND_LABELS[entry.kind],
        entry.id,
        text,
        data.get("maalgruppe", ""),
        _coded(texts.DATATYPE_LABELS, data.get("datatype")),
        data.get("opfoelgning", ""),
        ph_title,
        _coded(texts.EVALUERING_LABELS, data.get("evaluering")),
        data.get("effekt", ""),
        _coded(texts.BESLUTNING_LABELS, data.get("beslutning")),
        entry.owner.display_name,
        danish.date(entry.created_at),
    ]


async def maalplan_workbook(session: AsyncSession, maalplan_id: int) -> tuple[str, bytes]:
    """The file name and the .xlsx bytes for a målplan with its approved tegn and learnings."""
    plan = await session.scalar(
        select(Maalplan)
        .where(Maalplan.id == maalplan_id)
        .options(selectinload(Maalplan.unit), selectinload(Maalplan.maal).selectinload(Maal.proevehandlinger))
    )
    if plan is None:
        raise LookupError(maalplan_id)
    entries = await repo.approved_entries_for_maal(session, [m.id for m in plan.maal])
    return f"{plan.title}.xlsx", build(plan, entries, await phases(session))


def build(plan: Maalplan, entries: Sequence[Entry], phase_dates: Phases) -> bytes:
    workbook = Workbook()
    sheets = [workbook.active] + [workbook.create_sheet() for _ in texts.EXPORT_SHEETS[1:]]
    by_phase: list[list[Entry]] = [[] for _ in sheets]
    for entry in entries:
        by_phase[phase_dates.index(danish.local(entry.created_at).date())].append(entry)
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="2E6B47")
    wrap = Alignment(wrap_text=True, vertical="top")
    for sheet, title, phase_entries in zip(sheets, texts.EXPORT_SHEETS, by_phase, strict=True):
        assert sheet is not None
        sheet.title = title
        sheet.append([f"{plan.title} ({plan.unit.name}, {plan.year})"])
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.append(list(texts.EXPORT_HEADERS))
        for cell in sheet[2]:
            cell.font, cell.fill, cell.alignment = header_font, header_fill, wrap
        for maal in plan.maal:
            sheet.append([maal.title, maal.maalsaetning])
            sheet.cell(sheet.max_row, 1).font = Font(bold=True)
            for ph in maal.proevehandlinger:
                sheet.append([maal.title, maal.maalsaetning, texts.EXPORT_TYPE_PROEVEHANDLING, "", ph.title])
            for entry in (e for e in phase_entries if e.maal_id == maal.id):
                sheet.append(_entry_row(maal, entry))
        for index, width in enumerate(WIDTHS, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        for row in sheet.iter_rows(min_row=3):
            for cell in row:
                cell.alignment = wrap
        sheet.freeze_panes = "A3"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


async def allowed_maalplaner(session: AsyncSession, roles: Roles) -> list[Maalplan]:
    """The målplaner a person may export: every unit in a chef's afdeling, a leder's own units."""
    units = await repo.all_units(session)
    allowed: set[int] = set()
    for role, unit_id in roles:
        if unit_id is None:
            continue
        if role is Role.CHEF:
            allowed |= repo.units_below(units, unit_id)
        elif role is Role.LEDER:
            allowed.add(unit_id)
    return await repo.exportable_maalplaner(session, sorted(allowed)) if allowed else []
