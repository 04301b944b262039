"""The chef's export: a målplan with its approved tegn and learnings, placed in the årshjul's phases.

Entries are placed by the date they were proposed, against the årshjul dates in the organisation file:
before udviklingsdage del 1 → FØR; from del 1 until del 2 starts → UNDER udviklingsdage del 1;
during del 2 → UNDER udviklingsdage del 2; after → EFTER. Without those dates everything is in FØR.
The result is a plain read model; cards.workbooks renders it as the .xlsx people download.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from domain import clock
from domain.actor import Roles
from domain.vocabulary import EntryKind, Role
from storage import repo
from storage.models import Entry, Maalplan

DEL_1 = "udviklingsdage-del-1"
DEL_2 = "udviklingsdage-del-2"
PHASES = 4  # FØR, UNDER del 1, UNDER del 2, EFTER


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
    dates = await repo.calendar_periods(session, [DEL_1, DEL_2])
    return Phases(dates.get(DEL_1), dates.get(DEL_2))


@dataclass(frozen=True)
class ExportedEntry:
    """One approved tegn or learning as the export shows it; coded values stay codes (the renderer labels them)."""

    number: int
    kind: EntryKind
    text: str
    maalgruppe: str
    datatype: str
    opfoelgning: str
    proevehandling: str
    evaluering: str
    effekt: str
    beslutning: str
    owner: str
    proposed_at: dt.datetime

    @classmethod
    def of(cls, entry: Entry) -> ExportedEntry:
        data = entry.data

        def field(key: str) -> str:
            value = data.get(key)
            return str(value) if value else ""

        proevehandling = entry.proevehandling.title if entry.proevehandling else field("ny_proevehandling")
        return cls(
            number=entry.id,
            kind=entry.kind,
            text=field("tegn") if entry.kind is EntryKind.TEGN else field("laering"),
            maalgruppe=field("maalgruppe"),
            datatype=field("datatype"),
            opfoelgning=field("opfoelgning"),
            proevehandling=proevehandling,
            evaluering=field("evaluering"),
            effekt=field("effekt"),
            beslutning=field("beslutning"),
            owner=entry.owner.display_name,
            proposed_at=entry.created_at,
        )


@dataclass(frozen=True)
class ExportedMaal:
    title: str
    maalsaetning: str
    proevehandlinger: tuple[str, ...]
    # The approved entries per phase (PHASES lists), in the order they were proposed.
    entries_by_phase: tuple[tuple[ExportedEntry, ...], ...]


@dataclass(frozen=True)
class MaalplanExport:
    title: str
    unit_name: str
    year: int
    maal: tuple[ExportedMaal, ...]


async def maalplan_export(session: AsyncSession, maalplan_id: int) -> MaalplanExport:
    """A målplan with its approved tegn and learnings, each in the phase it was proposed in."""
    plan = await repo.maalplan_with_maal(session, maalplan_id)
    if plan is None:
        raise LookupError(maalplan_id)
    entries = await repo.approved_entries_for_maal(session, [m.id for m in plan.maal])
    return build(plan, entries, await phases(session))


def build(plan: Maalplan, entries: Sequence[Entry], phase_dates: Phases) -> MaalplanExport:
    by_maal: dict[int, list[list[ExportedEntry]]] = {m.id: [[] for _ in range(PHASES)] for m in plan.maal}
    for entry in entries:
        if entry.maal_id in by_maal:
            phase = phase_dates.index(entry.created_at.astimezone(clock.COPENHAGEN).date())
            by_maal[entry.maal_id][phase].append(ExportedEntry.of(entry))
    return MaalplanExport(
        title=plan.title,
        unit_name=plan.unit.name,
        year=plan.year,
        maal=tuple(
            ExportedMaal(
                title=m.title,
                maalsaetning=m.maalsaetning,
                proevehandlinger=tuple(ph.title for ph in m.proevehandlinger),
                entries_by_phase=tuple(tuple(phase) for phase in by_maal[m.id]),
            )
            for m in plan.maal
        ),
    )


async def allowed_maalplaner(session: AsyncSession, roles: Roles) -> list[Maalplan]:
    """The målplaner a person may export: every unit in a chef's afdeling, a leder's own units."""
    units = await repo.all_units(session)
    allowed: set[int] = set()
    for role, unit_id in roles:
        if unit_id is None:
            continue
        if role is Role.CHEF:
            allowed |= repo.units_below(units, unit_id)
        elif role in (Role.LEDER, Role.TOVHOLDER):
            allowed.add(unit_id)
    return await repo.exportable_maalplaner(session, sorted(allowed)) if allowed else []
