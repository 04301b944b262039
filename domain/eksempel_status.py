"""What »sent«, »received« and »missing« mean for eksempler: the one definition that the chat's `oversigt`, the
tab's Overblik, the reminders and the Excel export all read.

- **Received** (one eksempel): it has reached the indsamler and is still in play there or further along. That is
  an eksempel pending at the indsamler's stage of the route or a later one (it waits for her: her `godkend` has
  it), or one in a status of `core.vocabulary.EKSEMPEL_RECEIVED` (she received it, and wherever the fora have
  taken it since: udvalgt or not, kvalificeret or not, vedtaget or not).
  Not received: one pending at an earlier stage (the leder has not sent it on yet), one sent back (by the leder or
  by the indsamler: it is the writer's again), one rejected, and one withdrawn.
  When the route has no indsamler stage, an eksempel is received once it passed the route's last stage.
- **Sent** (one unit): the unit has sent an eksempel when at least one of its eksempler is received; the number
  it has sent is the number received. »Sent« is the unit's side of »received«, never a count of its own.
- **Missing**: a unit that sends eksempler (core.vocabulary.EKSEMPEL_SENDERS, placed in an afdeling, or below a
  parent where there is none: domain.units) and has sent none; a tema × niveau cell with no eksempel received.

The SQL for the counts is storage.repo's `received_clause` and the aggregates built on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from core.vocabulary import EKSEMPEL_RECEIVED, EKSEMPEL_SENDERS, EntryKind, EntryStatus, Niveau, Role, Tema
from domain.routes import route_of
from domain.units import arbejdspladser_by_afdeling
from storage import repo


def received_from_stage(route: Sequence[Role]) -> int:
    """The first route stage at which a pending eksempel counts as received: the indsamler's (past the route's last
    stage when it has none)."""
    return route.index(Role.INDSAMLER) if Role.INDSAMLER in route else len(route)


def is_received(route: Sequence[Role], status: EntryStatus, stage: int) -> bool:
    """Whether an eksempel in `status` at `stage` is received (the module's rule, for one eksempel in Python)."""
    if status in EKSEMPEL_RECEIVED:
        return True
    return status is EntryStatus.PENDING and stage >= received_from_stage(route)


async def from_stage(session: AsyncSession) -> int:
    """received_from_stage of the eksempel route the organisation file sets (or the default)."""
    return received_from_stage(await route_of(session, EntryKind.EKSEMPEL))


@dataclass(frozen=True)
class CellCount:
    """One tema × niveau cell: eksempler received, of them selected by the arbejdsgruppe, of them adopted."""

    tema: Tema
    niveau: Niveau
    received: int
    selected: int
    adopted: int

    @property
    def missing(self) -> bool:
        return self.received == 0


async def cells(session: AsyncSession) -> tuple[CellCount, ...]:
    """Every tema × niveau cell, in the order of the enums (one aggregate statement, plus the route)."""
    counted = {
        (t, n): (r, s, a) for t, n, r, s, a in await repo.received_cells(session, from_stage=await from_stage(session))
    }
    return tuple(
        CellCount(tema, niveau, *counted.get((tema.value, niveau.value), (0, 0, 0)))
        for tema in Tema
        for niveau in Niveau
    )


async def sent_by_unit(session: AsyncSession, unit_ids: Sequence[int] | None = None) -> dict[int, int]:
    """How many eksempler each unit (of `unit_ids`, or every unit) has sent; units that sent none are absent."""
    return await repo.received_by_unit(session, from_stage=await from_stage(session), unit_ids=unit_ids)


def senders_by_afdeling(units: repo.Units) -> dict[int, list[repo.UnitRow]]:
    """The units that send eksempler, by their afdeling: the units that can be »missing«."""
    return arbejdspladser_by_afdeling(units, EKSEMPEL_SENDERS)


def senders(units: repo.Units) -> list[int]:
    """Every unit that sends eksempler (see senders_by_afdeling)."""
    return [unit.id for group in senders_by_afdeling(units).values() for unit in group]


async def missing_units(session: AsyncSession, unit_ids: Sequence[int] | None = None) -> list[int]:
    """The sending units (of `unit_ids`, or all) that have sent no eksempel, by name."""
    units = await repo.all_units(session)
    places = senders(units)
    if unit_ids is not None:
        wanted = set(unit_ids)
        places = [p for p in places if p in wanted]
    sent = await sent_by_unit(session, places)
    return sorted((p for p in places if p not in sent), key=lambda p: (units[p].name, p))
