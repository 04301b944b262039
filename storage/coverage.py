"""Coverage of the mål: each mål of the newest målplaner with its prøvehandlinger counted, and its entries counted
by kind and status. Two aggregate statements however many units and mål (issue 20: every mål covered)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, selectinload

from core.vocabulary import EntryKind, EntryStatus
from storage.models import Entry, Maal, Maalplan, Proevehandling


class MaalRow(NamedTuple):
    maal_id: int
    maalplan_id: int
    unit_id: int
    year: int
    position: int
    title: str
    maalsaetning: str
    proevehandlinger: int


def _newest_plan() -> Any:
    """The målplan is its unit's newest (the year being worked on)."""
    other = aliased(Maalplan)
    newest = select(func.max(other.year)).where(other.unit_id == Maalplan.unit_id).scalar_subquery()
    return Maalplan.year == newest


def _in_units(unit_ids: Sequence[int] | None) -> list[Any]:
    return [] if unit_ids is None else [Maalplan.unit_id.in_(list(unit_ids))]


async def maal_rows(session: AsyncSession, unit_ids: Sequence[int] | None) -> list[MaalRow]:
    """The mål of the units' newest målplaner (every unit's when None), with how many prøvehandlinger each has."""
    if unit_ids is not None and not unit_ids:
        return []
    proevehandlinger = (
        select(Proevehandling.maal_id, func.count().label("n")).group_by(Proevehandling.maal_id).subquery()
    )
    query = (
        select(
            Maal.id,
            Maal.maalplan_id,
            Maalplan.unit_id,
            Maalplan.year,
            Maal.position,
            Maal.title,
            Maal.maalsaetning,
            func.coalesce(proevehandlinger.c.n, 0),
        )
        .join(Maalplan, Maal.maalplan_id == Maalplan.id)
        .outerjoin(proevehandlinger, proevehandlinger.c.maal_id == Maal.id)
        .where(_newest_plan(), *_in_units(unit_ids))
        .order_by(Maalplan.unit_id, Maal.position, Maal.id)
    )
    return [MaalRow(*row) for row in (await session.execute(query)).all()]


async def entry_counts_by_maal(
    session: AsyncSession, unit_ids: Sequence[int] | None
) -> list[tuple[int, EntryKind, EntryStatus, int]]:
    """(mål, kind, status, count) for the entries of every mål of the units' newest målplaner: every kind that
    belongs to a mål (tegn, læring, and whatever kind a mål gets later), never eksempler."""
    if unit_ids is not None and not unit_ids:
        return []
    query = (
        select(Entry.maal_id, Entry.kind, Entry.status, func.count())
        .join(Maal, Entry.maal_id == Maal.id)
        .join(Maalplan, Maal.maalplan_id == Maalplan.id)
        .where(Entry.kind != EntryKind.EKSEMPEL, _newest_plan(), *_in_units(unit_ids))
        .group_by(Entry.maal_id, Entry.kind, Entry.status)
    )
    return [(m, k, s, int(c)) for m, k, s, c in (await session.execute(query)).all() if m is not None]


async def maalplaner_with_maal(session: AsyncSession, maalplan_ids: Sequence[int]) -> list[Maalplan]:
    """The målplaner with their unit, their mål and the mål's prøvehandlinger (Chefforum's workbook)."""
    if not maalplan_ids:
        return []
    query = (
        select(Maalplan)
        .where(Maalplan.id.in_(list(maalplan_ids)))
        .options(selectinload(Maalplan.unit), selectinload(Maalplan.maal).selectinload(Maal.proevehandlinger))
    )
    return list((await session.scalars(query)).all())
