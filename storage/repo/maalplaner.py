"""Målplaner with their mål and prøvehandlinger, and the routes and calendar dates beside them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from core.vocabulary import EntryKind
from storage.models import CalendarDate, Maal, Maalplan, Proevehandling, Route, Unit

# --- Målplaner ---------------------------------------------------------------------------------------------------


async def maal_for_units(session: AsyncSession, unit_ids: Sequence[int], year: int) -> list[Maal]:
    """The mål of the units' målplaner for the year, with their målplan, unit and prøvehandlinger."""
    query = (
        select(Maal)
        .join(Maalplan, Maal.maalplan_id == Maalplan.id)
        .where(Maalplan.unit_id.in_(unit_ids), Maalplan.year == year)
        .options(
            selectinload(Maal.maalplan).selectinload(Maalplan.unit),
            selectinload(Maal.proevehandlinger),
        )
        .order_by(Maalplan.title, Maal.position)
    )
    return list((await session.scalars(query)).all())


_GET_MAAL = (
    select(Maal)
    .where(Maal.id == bindparam("maal_id"))
    .options(joinedload(Maal.maalplan).joinedload(Maalplan.unit), selectinload(Maal.proevehandlinger))
)


async def get_maal(session: AsyncSession, maal_id: int) -> Maal | None:
    return await session.scalar(_GET_MAAL, {"maal_id": maal_id})


async def add_proevehandling(session: AsyncSession, *, maal: Maal, title: str, key: str) -> Proevehandling:
    position = await session.scalar(
        select(func.coalesce(func.max(Proevehandling.position), -1) + 1).where(Proevehandling.maal_id == maal.id)
    )
    proevehandling = Proevehandling(maal_id=maal.id, key=key, position=position or 0, title=title)
    session.add(proevehandling)
    await session.flush()
    return proevehandling


_ROUTES = "styringsbot.routes"


_ALL_ROUTES = select(Route.kind, Route.stages)


async def route_stages(session: AsyncSession, kind: EntryKind) -> list[str]:
    """The stages the organisation file gives for the kind (empty when it gives none).

    Read once per session (one user action), like the units: the rules ask for the route of every entry they
    look at, and routes change only through the organisation file import.
    """
    routes: dict[EntryKind, list[str]] | None = session.info.get(_ROUTES)
    if routes is None:
        rows = (await session.execute(_ALL_ROUTES)).all()
        routes = {EntryKind(kind): list(stages or []) for kind, stages in rows}
        session.info[_ROUTES] = routes
    return list(routes.get(kind, []))


async def maalplan_years(session: AsyncSession, unit_ids: Sequence[int]) -> set[int]:
    return set((await session.scalars(select(Maalplan.year).where(Maalplan.unit_id.in_(unit_ids)).distinct())).all())


async def exportable_maalplaner(session: AsyncSession, unit_ids: Sequence[int]) -> list[Maalplan]:
    query = (
        select(Maalplan)
        .where(Maalplan.unit_id.in_(unit_ids))
        .options(selectinload(Maalplan.unit))
        .order_by(Maalplan.year.desc(), Maalplan.title)
    )
    return list((await session.scalars(query)).all())


async def maalplan_with_maal(session: AsyncSession, maalplan_id: int) -> Maalplan | None:
    """A målplan with its unit, its mål and their prøvehandlinger."""
    return await session.scalar(
        select(Maalplan)
        .where(Maalplan.id == maalplan_id)
        .options(selectinload(Maalplan.unit), selectinload(Maalplan.maal).selectinload(Maal.proevehandlinger))
    )


async def maalplan_id_by_unit_key(session: AsyncSession, unit_key: str, year: int) -> int | None:
    return await session.scalar(
        select(Maalplan.id).join(Unit, Maalplan.unit_id == Unit.id).where(Unit.key == unit_key, Maalplan.year == year)
    )


async def calendar_periods(session: AsyncSession, keys: Sequence[str]) -> dict[str, tuple[dt.date, dt.date]]:
    """The årshjul dates with these keys, each as (first day, last day)."""
    rows = await session.scalars(select(CalendarDate).where(CalendarDate.key.in_(keys)))
    return {row.key: (row.starts_on, row.ends_on or row.starts_on) for row in rows}


async def calendar_dates(session: AsyncSession, keys: Sequence[str]) -> list[CalendarDate]:
    return list((await session.scalars(select(CalendarDate).where(CalendarDate.key.in_(keys)))).all())
