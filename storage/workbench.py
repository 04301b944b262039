"""The workbench tab's queries: the eksempel table as plain columns, the ticks each person keeps, the arbejdsgruppe's
proposals, and the people the local sign-in lists. They take a session and never commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, String, cast, delete, func, literal, select, union_all
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from core import clock
from core.vocabulary import Action, EntryKind, EntryStatus, Role
from storage.models import (
    Decision,
    Entry,
    Person,
    RoleAssignment,
    Route,
    SelectionProposal,
    SelectionStageRow,
    Unit,
    WorkbenchTick,
)
from storage.repo import as_utc


class EksempelRow(NamedTuple):
    """One eksempel as the table filters, sorts and shows it (no relationships loaded)."""

    id: int
    status: EntryStatus
    stage: int
    version: int
    data: dict[str, Any]
    unit_id: int
    created_at: dt.datetime


class OutcomeRow(NamedTuple):
    entry_id: int
    to_status: EntryStatus
    forum: str
    occurred_on: dt.date


async def eksempel_rows(session: AsyncSession, statuses: Sequence[EntryStatus]) -> list[EksempelRow]:
    """Every eksempel in one of these statuses, by id."""
    rows = await session.execute(
        select(Entry.id, Entry.status, Entry.stage, Entry.version, Entry.data, Entry.unit_id, Entry.created_at)
        .where(Entry.kind == EntryKind.EKSEMPEL, Entry.status.in_(statuses))
        .order_by(Entry.id)
    )
    return [EksempelRow(r[0], r[1], r[2], r[3], r[4], r[5], as_utc(r[6])) for r in rows]


async def outcome_rows(session: AsyncSession) -> list[OutcomeRow]:
    """Every selection outcome recorded for an eksempel, in the order recorded."""
    rows = await session.execute(
        select(Decision.entry_id, Decision.to_status, Decision.forum, Decision.occurred_on)
        .join(Entry, Entry.id == Decision.entry_id)
        .where(
            Entry.kind == EntryKind.EKSEMPEL,
            Decision.action == Action.RECORD_OUTCOME,
            Decision.occurred_on.is_not(None),
        )
        .order_by(Decision.id)
    )
    return [OutcomeRow(r[0], r[1], r[2] or "", r[3]) for r in rows if r[3] is not None]


async def arrival_times(session: AsyncSession, stage: int) -> dict[int, dt.datetime]:
    """When each eksempel first reached route stage `stage` (the indsamler's): entry id → moment."""
    rows = await session.execute(
        select(Decision.entry_id, func.min(Decision.created_at))
        .join(Entry, Entry.id == Decision.entry_id)
        .where(Entry.kind == EntryKind.EKSEMPEL, Decision.to_stage == stage, Decision.to_status == EntryStatus.PENDING)
        .group_by(Decision.entry_id)
    )
    return {r[0]: as_utc(r[1]) for r in rows}


# --- Ticks -------------------------------------------------------------------------------------------------------


def _insert(session: AsyncSession, model: Any) -> Any:
    """INSERT … ON CONFLICT DO NOTHING for either backend (a double click or a retry is not an error)."""
    dialect = session.get_bind().dialect.name
    return (pg_insert if dialect == "postgresql" else sqlite_insert)(model)


async def ticked(session: AsyncSession, person_id: int) -> set[int]:
    rows = await session.scalars(select(WorkbenchTick.entry_id).where(WorkbenchTick.person_id == person_id))
    return set(rows.all())


async def add_ticks(session: AsyncSession, person_id: int, entry_ids: Sequence[int]) -> None:
    if not entry_ids:
        return
    now = clock.now()
    statement = _insert(session, WorkbenchTick).values(
        [{"person_id": person_id, "entry_id": entry_id, "created_at": now} for entry_id in sorted(set(entry_ids))]
    )
    await session.execute(statement.on_conflict_do_nothing())


async def remove_ticks(session: AsyncSession, person_id: int, entry_ids: Sequence[int] | None = None) -> None:
    """Untick these eksempler, or every one when `entry_ids` is None."""
    statement = delete(WorkbenchTick).where(WorkbenchTick.person_id == person_id)
    if entry_ids is not None:
        statement = statement.where(WorkbenchTick.entry_id.in_(list(entry_ids)))
    await session.execute(statement)


# --- The arbejdsgruppe's proposals --------------------------------------------------------------------------------


async def proposal_counts(session: AsyncSession) -> dict[int, int]:
    """How many members of the arbejdsgruppe have proposed each eksempel."""
    rows = await session.execute(select(SelectionProposal.entry_id, func.count()).group_by(SelectionProposal.entry_id))
    return {r[0]: r[1] for r in rows}


async def proposed_by(session: AsyncSession, person_id: int) -> set[int]:
    rows = await session.scalars(select(SelectionProposal.entry_id).where(SelectionProposal.person_id == person_id))
    return set(rows.all())


class ViewerMarks(NamedTuple):
    """What a person's view of the table adds to every viewer's: their ticks, their proposals, everyone's counts."""

    ticked: set[int]
    proposed_by_me: set[int]
    proposal_counts: dict[int, int]


async def viewer_marks(session: AsyncSession, person_id: int) -> ViewerMarks:
    """`ticked`, `proposed_by` and `proposal_counts` in one statement (each page of the table reads all three)."""
    ticks = select(literal("t"), WorkbenchTick.entry_id, literal(1)).where(WorkbenchTick.person_id == person_id)
    mine = select(literal("m"), SelectionProposal.entry_id, literal(1)).where(SelectionProposal.person_id == person_id)
    counts = select(literal("c"), SelectionProposal.entry_id, func.count()).group_by(SelectionProposal.entry_id)
    marks = ViewerMarks(set(), set(), {})
    for kind, entry_id, count in await session.execute(union_all(ticks, mine, counts)):
        if kind == "t":
            marks.ticked.add(entry_id)
        elif kind == "m":
            marks.proposed_by_me.add(entry_id)
        else:
            marks.proposal_counts[entry_id] = count
    return marks


async def set_proposal(session: AsyncSession, person_id: int, entry_id: int, *, proposed: bool) -> None:
    if proposed:
        statement = _insert(session, SelectionProposal).values(
            person_id=person_id, entry_id=entry_id, created_at=clock.now()
        )
        await session.execute(statement.on_conflict_do_nothing())
    else:
        await session.execute(
            delete(SelectionProposal).where(
                SelectionProposal.person_id == person_id, SelectionProposal.entry_id == entry_id
            )
        )


# --- People ------------------------------------------------------------------------------------------------------


class SignedInPerson(NamedTuple):
    person_id: int
    display_name: str
    unit_id: int | None
    roles: frozenset[tuple[Role, int | None]]


async def signed_in_person(session: AsyncSession, person_id: int) -> SignedInPerson | None:
    """The person behind a tab session with their current roles, in one statement (every page asks, every time)."""
    rows = (
        await session.execute(
            select(Person.display_name, Person.unit_id, RoleAssignment.role, RoleAssignment.unit_id)
            .outerjoin(RoleAssignment, RoleAssignment.person_id == Person.id)
            .where(Person.id == person_id)
        )
    ).all()
    if not rows:
        return None
    roles = frozenset((Role(r[2]), r[3]) for r in rows if r[2] is not None)
    return SignedInPerson(person_id, rows[0][0], rows[0][1], roles)


async def people_with_roles(session: AsyncSession) -> list[Person]:
    """Everyone in the organisation with their roles, by name (the local sign-in page lists them)."""
    rows = await session.scalars(select(Person).options(selectinload(Person.roles)).order_by(Person.display_name))
    return list(rows.all())


async def existing_eksempler(session: AsyncSession, entry_ids: Sequence[int]) -> set[int]:
    """Which of these ids are eksempler (a forged id is dropped, never a foreign-key error)."""
    if not entry_ids:
        return set()
    rows = await session.scalars(
        select(Entry.id).where(Entry.kind == EntryKind.EKSEMPEL, Entry.id.in_(sorted(set(entry_ids))))
    )
    return set(rows.all())


def _line(*columns: Any) -> Any:
    """A row's columns as one text (NULL as empty): a line of a signature."""
    parts = [func.coalesce(cast(column, String), "") for column in columns]
    line: ColumnElement[str] = parts[0]
    for part in parts[1:]:
        line = line + "|" + part
    return line


def _signature(columns: Sequence[Any], order_by: Sequence[Any]) -> Any:
    """Every row of a small table as one text, in a fixed order: equal texts, equal rows."""
    lines = select(_line(*columns).label("line")).order_by(*order_by).subquery()
    return select(func.aggregate_strings(lines.c.line, "\n")).scalar_subquery()


# The route, the selection's stages and the units: what the table's read model is built from besides the
# eksempler (they change only with an organisation import).
_ORGANISATION = (
    _signature([Route.kind, Route.stages], [Route.kind]),
    _signature(
        [SelectionStageRow.position, SelectionStageRow.stage, SelectionStageRow.fora], [SelectionStageRow.position]
    ),
    _signature([Unit.id, Unit.key, Unit.name, Unit.kind, Unit.parent_id], [Unit.id]),
)
_TABLE_VERSION = select(
    func.count(),
    func.coalesce(func.sum(Entry.version), 0),
    func.coalesce(func.max(Entry.id), 0),
    *_ORGANISATION,
).where(Entry.kind == EntryKind.EKSEMPEL)


async def table_version(session: AsyncSession) -> tuple[object, ...]:
    """What the eksempel table's read model is built from, in one statement: the eksempler's (count, sum of
    versions, highest id), which changes whenever one is added or changes (every change bumps an entry's version),
    and the routes, the selection's stages and the units as text. A read model built from them can be kept until
    this changes (a row read in another order only makes it look changed: a rebuild, never a stale page)."""
    row = (await session.execute(_TABLE_VERSION)).one()
    return (int(row[0]), int(row[1]), int(row[2]), row[3] or "", row[4] or "", row[5] or "")
