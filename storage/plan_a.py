"""Plan A's SQL: the indikatorer and the year's mandatory set, an arbejdsplads's Plan A with its rows and history,
and MUS/LUS preparation cards. Functions take a session and never commit."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from core.vocabulary import EntryKind, EntryStatus, Role
from storage.models import (
    CalendarDate,
    ConversationPrep,
    Entry,
    Indikator,
    MandatoryIndikator,
    Person,
    PlanA,
    PlanAChange,
    PlanAIndikator,
    PlanAStatus,
    RoleAssignment,
)


async def indikatorer(session: AsyncSession) -> list[Indikator]:
    """Every indikator with its perspektiv, in the perspektiver's order and then by number."""
    rows = await session.scalars(select(Indikator).options(selectinload(Indikator.perspektiv)))
    return sorted(rows.all(), key=lambda i: (i.perspektiv.position, i.number))


async def mandatory_numbers(session: AsyncSession, year: int) -> tuple[int | None, list[int]]:
    """The mandatory set that applies in `year`: that year's, else the latest before it, else the earliest.
    Returns (the year the set is from, the indikatorer's numbers); (None, []) when the file gives none."""
    years = sorted((await session.scalars(select(MandatoryIndikator.year).distinct())).all())
    if not years:
        return None, []
    earlier = [y for y in years if y <= year]
    chosen = earlier[-1] if earlier else years[0]
    numbers = await session.scalars(
        select(Indikator.number)
        .join(MandatoryIndikator, MandatoryIndikator.indikator_id == Indikator.id)
        .where(MandatoryIndikator.year == chosen)
        .order_by(Indikator.number)
    )
    return chosen, list(numbers.all())


async def plan_of_unit(session: AsyncSession, unit_id: int) -> PlanA | None:
    return await session.scalar(select(PlanA).where(PlanA.unit_id == unit_id))


async def plan_for_update(session: AsyncSession, unit_id: int) -> PlanA:
    """The unit's Plan A, created empty the first time; locked for this unit of work on PostgreSQL."""
    found = await session.scalar(select(PlanA).where(PlanA.unit_id == unit_id).with_for_update())
    if found is not None:
        return found
    try:
        async with session.begin_nested():
            plan = PlanA(unit_id=unit_id, form="", version=0)
            session.add(plan)
    except IntegrityError:  # another instance created it a moment ago
        again = await session.scalar(select(PlanA).where(PlanA.unit_id == unit_id).with_for_update())
        assert again is not None
        return again
    return plan


async def plan_rows(session: AsyncSession, plan_id: int) -> list[PlanAIndikator]:
    return list((await session.scalars(select(PlanAIndikator).where(PlanAIndikator.plan_a_id == plan_id))).all())


async def plan_row(session: AsyncSession, plan_id: int, indikator_id: int, *, create: bool) -> PlanAIndikator | None:
    row = await session.scalar(
        select(PlanAIndikator).where(PlanAIndikator.plan_a_id == plan_id, PlanAIndikator.indikator_id == indikator_id)
    )
    if row is None and create:
        row = PlanAIndikator(
            plan_a_id=plan_id, indikator_id=indikator_id, chosen=False, forskel="", kendetegn="", maal_tegn=""
        )
        row.documents = []
        session.add(row)
        await session.flush()
    return row


async def add_changes(session: AsyncSession, changes: Sequence[dict[str, Any]]) -> None:
    session.add_all(PlanAChange(**change) for change in changes)
    await session.flush()


async def history(session: AsyncSession, plan_id: int, *, offset: int, limit: int) -> tuple[int, list[PlanAChange]]:
    """The plan's changes, newest first, a page at a time, with who made them; and how many there are."""
    total = await session.scalar(select(func.count()).select_from(PlanAChange).where(PlanAChange.plan_a_id == plan_id))
    rows = await session.scalars(
        select(PlanAChange)
        .where(PlanAChange.plan_a_id == plan_id)
        .options(selectinload(PlanAChange.actor))
        .order_by(PlanAChange.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return total or 0, list(rows.all())


async def calendar(session: AsyncSession, keys: Sequence[str]) -> dict[str, CalendarDate]:
    rows = await session.scalars(select(CalendarDate).where(CalendarDate.key.in_(keys)))
    return {row.key: row for row in rows.all()}


# --- Status per indikator ---------------------------------------------------------------------------------------


async def add_status(session: AsyncSession, **values: Any) -> PlanAStatus:
    row = PlanAStatus(**values)
    session.add(row)
    await session.flush()
    found = await session.scalar(
        select(PlanAStatus).where(PlanAStatus.id == row.id).options(selectinload(PlanAStatus.actor))
    )
    assert found is not None
    return found


async def statuses(session: AsyncSession, unit_id: int, number: int, *, limit: int) -> list[PlanAStatus]:
    """The unit's statuses on one indikator, newest date first (then the latest recorded), with who recorded them."""
    rows = await session.scalars(
        select(PlanAStatus)
        .where(PlanAStatus.unit_id == unit_id, PlanAStatus.indikator_number == number)
        .options(selectinload(PlanAStatus.actor))
        .order_by(PlanAStatus.recorded_on.desc(), PlanAStatus.id.desc())
        .limit(limit)
    )
    return list(rows.all())


async def latest_statuses(session: AsyncSession, unit_ids: Sequence[int]) -> list[PlanAStatus]:
    """The units' latest status on each indikator that has one (one per unit and indikator)."""
    rows = await session.scalars(
        select(PlanAStatus)
        .where(PlanAStatus.unit_id.in_(unit_ids))
        .options(selectinload(PlanAStatus.actor))
        .order_by(
            PlanAStatus.unit_id, PlanAStatus.indikator_number, PlanAStatus.recorded_on.desc(), PlanAStatus.id.desc()
        )
    )
    latest: dict[tuple[int, int], PlanAStatus] = {}
    for row in rows.all():
        latest.setdefault((row.unit_id, row.indikator_number), row)
    return list(latest.values())


# --- The overview of many units' Plan A (chef, Chefforum) and the deadline reminders ----------------------------


async def plan_dates(session: AsyncSession, unit_ids: Sequence[int] | None) -> dict[int, tuple[str, Any, Any]]:
    """Per unit with a Plan A (of `unit_ids`, or all): (form, the day the form was decided, in use since)."""
    query = select(PlanA.unit_id, PlanA.form, PlanA.form_decided_on, PlanA.in_use_since)
    if unit_ids is not None:
        query = query.where(PlanA.unit_id.in_(unit_ids))
    return {unit_id: (form, decided, in_use) for unit_id, form, decided, in_use in (await session.execute(query)).all()}


async def written_numbers(session: AsyncSession, unit_ids: Sequence[int] | None) -> dict[int, set[int]]:
    """Per unit (of `unit_ids`, or all): the indikatorer whose »Hvilken forskel« is written."""
    query = (
        select(PlanA.unit_id, Indikator.number)
        .join(PlanAIndikator, PlanAIndikator.plan_a_id == PlanA.id)
        .join(Indikator, Indikator.id == PlanAIndikator.indikator_id)
        .where(func.length(func.trim(PlanAIndikator.forskel)) > 0)
    )
    if unit_ids is not None:
        query = query.where(PlanA.unit_id.in_(unit_ids))
    found: dict[int, set[int]] = {}
    for unit_id, number in (await session.execute(query)).all():
        found.setdefault(unit_id, set()).add(number)
    return found


async def chosen_numbers(session: AsyncSession, unit_ids: Sequence[int]) -> dict[int, set[int]]:
    """Per unit: the further indikatorer its leder chose."""
    query = (
        select(PlanA.unit_id, Indikator.number)
        .join(PlanAIndikator, PlanAIndikator.plan_a_id == PlanA.id)
        .join(Indikator, Indikator.id == PlanAIndikator.indikator_id)
        .where(PlanA.unit_id.in_(unit_ids), PlanAIndikator.chosen.is_(True))
    )
    found: dict[int, set[int]] = {}
    for unit_id, number in (await session.execute(query)).all():
        found.setdefault(unit_id, set()).add(number)
    return found


# Entries that count for an indikator: proposed or approved (not withdrawn, not rejected).
_COUNTED = (EntryStatus.PENDING, EntryStatus.SENT_BACK, EntryStatus.APPROVED)
LINKED_KINDS = (EntryKind.TEGN, EntryKind.PROEVEHANDLING, EntryKind.LAERING)


async def entries_per_indikator(
    session: AsyncSession, unit_ids: Sequence[int]
) -> list[tuple[int, int, EntryKind, int]]:
    """(unit, indikator, kind, how many) for the units' tegn, prøvehandlinger and læring linked to an indikator
    (the index ix_entries_unit_indikator)."""
    rows = await session.execute(
        select(Entry.unit_id, Entry.indikator, Entry.kind, func.count())
        .where(
            Entry.unit_id.in_(unit_ids),
            Entry.indikator.is_not(None),
            Entry.kind.in_(LINKED_KINDS),
            Entry.status.in_(_COUNTED),
        )
        .group_by(Entry.unit_id, Entry.indikator, Entry.kind)
    )
    return [(unit_id, number, kind, count) for unit_id, number, kind, count in rows.all() if number is not None]


# --- MUS and LUS ------------------------------------------------------------------------------------------------


async def people_matching(session: AsyncSession, wanted: str, *, unit_ids: Sequence[int]) -> list[Person]:
    """People working in one of the units whose e-mail is `wanted`, or whose name contains it (case forgiven)."""
    needle = wanted.strip().lower()
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    query = (
        select(Person)
        .where(Person.unit_id.in_(unit_ids))
        .where(or_(func.lower(Person.email) == needle, func.lower(Person.display_name).like(f"%{escaped}%", "\\")))
        .options(selectinload(Person.roles))
        .order_by(Person.display_name, Person.id)
    )
    return list((await session.scalars(query)).all())


async def ledere_matching(session: AsyncSession, wanted: str, *, unit_ids: Sequence[int]) -> list[Person]:
    """People who lead one of the units, by e-mail or a part of their name."""
    needle = wanted.strip().lower()
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    query = (
        select(Person)
        .join(RoleAssignment, RoleAssignment.person_id == Person.id)
        .where(RoleAssignment.role == Role.LEDER, RoleAssignment.unit_id.in_(unit_ids))
        .where(or_(func.lower(Person.email) == needle, func.lower(Person.display_name).like(f"%{escaped}%", "\\")))
        .options(selectinload(Person.roles))
        .order_by(Person.display_name, Person.id)
        .distinct()
    )
    return list((await session.scalars(query)).all())


async def prep_by_key(session: AsyncSession, dedupe_key: str) -> ConversationPrep | None:
    return await session.scalar(select(ConversationPrep).where(ConversationPrep.dedupe_key == dedupe_key))


async def add_prep(session: AsyncSession, **values: Any) -> tuple[ConversationPrep, bool]:
    """The preparation card's row, once per dedupe key (a re-sent request finds the first): (row, created)."""
    found = await prep_by_key(session, values["dedupe_key"])
    if found is not None:
        return found, False
    try:
        async with session.begin_nested():
            prep = ConversationPrep(**values)
            session.add(prep)
    except IntegrityError:
        again = await prep_by_key(session, values["dedupe_key"])
        assert again is not None
        return again, False
    return prep, True


async def get_prep(session: AsyncSession, prep_id: int, *, for_update: bool = False) -> ConversationPrep | None:
    query = select(ConversationPrep).where(ConversationPrep.id == prep_id)
    return await session.scalar(query.with_for_update() if for_update else query)
