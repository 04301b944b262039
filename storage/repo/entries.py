"""Entries and their decisions: storing, deciding, reading, and the counts the overview shows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy import and_, bindparam, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from core import clock
from core.vocabulary import MAALPLAN_KINDS, Action, EntryKind, EntryStatus
from storage.models import Decision, Entry, Maal, Person
from storage.repo.common import as_utc


class StaleEntry(Exception):
    """The entry changed since the actor saw it; `entry` is its current state (with decisions)."""

    def __init__(self, entry: Entry):
        super().__init__(f"entry {entry.id} is at version {entry.version}")
        self.entry = entry


# --- Entries and decisions -------------------------------------------------------------------------------------

# What an entry's views need. The many-to-one rows come joined to the entry's own row, the history with one more
# statement: two statements per read instead of seven (issue 14: each statement is a driver round trip).
_ENTRY_LOADS = (
    joinedload(Entry.owner),
    joinedload(Entry.unit),
    joinedload(Entry.maal).joinedload(Maal.maalplan),
    joinedload(Entry.proevehandling),
    selectinload(Entry.decisions).joinedload(Decision.actor),
)


# One entry: its history joined too (one row per decision), so that it is one statement, not two.
_ONE_ENTRY_LOADS = (*_ENTRY_LOADS[:-1], joinedload(Entry.decisions).joinedload(Decision.actor))
_GET_ENTRY = (
    select(Entry)
    .where(Entry.id == bindparam("entry_id"))
    .options(*_ONE_ENTRY_LOADS)
    .execution_options(populate_existing=True)
)
_ENTRY_BY_KEY = select(Entry).where(Entry.idempotency_key == bindparam("key")).options(*_ONE_ENTRY_LOADS)


async def get_entry(session: AsyncSession, entry_id: int) -> Entry | None:
    result = await session.execute(_GET_ENTRY, {"entry_id": entry_id})
    return result.unique().scalar_one_or_none()


async def entry_by_key(session: AsyncSession, idempotency_key: str) -> Entry | None:
    result = await session.execute(_ENTRY_BY_KEY, {"key": idempotency_key})
    return result.unique().scalar_one_or_none()


async def add_entry(session: AsyncSession, *, idempotency_key: str, **values: Any) -> tuple[Entry, bool]:
    """Store a new entry once per idempotency key. Returns (entry, created); a repeat returns the first one.

    A repeat comes with its relationships loaded; a new entry is only flushed (it has its id): the caller adds
    its first decision and then loads it with `get_entry`, once.
    """
    existing = await entry_by_key(session, idempotency_key)
    if existing is not None:
        return existing, False
    try:
        async with session.begin_nested():
            entry = Entry(idempotency_key=idempotency_key, **values)
            session.add(entry)
    except IntegrityError:
        # Another request stored the same submission between our read and our insert.
        existing = await entry_by_key(session, idempotency_key)
        if existing is None:
            raise
        return existing, False
    return entry, True


async def record_decision(
    session: AsyncSession,
    *,
    entry: Entry,
    expected_version: int,
    actor_id: int,
    action: Action,
    to_status: EntryStatus,
    to_stage: int,
    comment: str = "",
    data: dict[str, Any] | None = None,
    forum: str | None = None,
    occurred_on: dt.date | None = None,
) -> Entry:
    """Apply a status change if the entry is still at the version the actor saw, and record it.

    The conditional UPDATE is what makes two people acting at once produce exactly one decision: the second
    update matches no row, and StaleEntry carries the entry as it now is.
    """
    now = clock.now()
    values: dict[str, Any] = {
        "status": to_status,
        "stage": to_stage,
        "version": expected_version + 1,
        "updated_at": now,
    }
    if data is not None:
        values["data"] = data
    result = await session.execute(
        update(Entry)
        .where(Entry.id == entry.id, Entry.version == expected_version)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        current = await get_entry(session, entry.id)
        assert current is not None
        raise StaleEntry(current)
    session.add(
        Decision(
            entry_id=entry.id,
            actor_id=actor_id,
            action=action,
            from_status=entry.status,
            to_status=to_status,
            from_stage=entry.stage,
            to_stage=to_stage,
            from_version=expected_version,
            comment=comment,
            created_at=now,
            forum=forum,
            occurred_on=occurred_on,
        )
    )
    await session.flush()
    updated = await get_entry(session, entry.id)
    assert updated is not None
    return updated


_ENTRIES_OF_OWNER = (
    select(Entry, func.count().over().label("total"))
    .where(Entry.owner_id == bindparam("owner_id"))
    .options(*_ENTRY_LOADS)
    .order_by(Entry.created_at.desc(), Entry.id.desc())
    .offset(bindparam("offset"))
    .limit(bindparam("limit"))
)
_COUNT_ENTRIES_OF_OWNER = select(func.count()).select_from(Entry).where(Entry.owner_id == bindparam("owner_id"))


async def entries_of_owner(session: AsyncSession, owner_id: int, *, offset: int, limit: int) -> tuple[int, list[Entry]]:
    """How many entries the person owns, and `limit` of them from `offset`, newest first.

    One statement: the count comes along each row (a window function); a second only for a page past the end.
    """
    params = {"owner_id": owner_id, "offset": offset, "limit": limit}
    rows = (await session.execute(_ENTRIES_OF_OWNER, params)).all()
    if rows:
        return rows[0].total, [row[0] for row in rows]
    total = await session.scalar(_COUNT_ENTRIES_OF_OWNER, {"owner_id": owner_id}) if offset else 0
    return total or 0, []


async def pending_entries(session: AsyncSession, *, kinds: Sequence[EntryKind] | None = None) -> list[Entry]:
    """Every pending entry, oldest first (the caller filters by whose turn it is)."""
    query = (
        select(Entry)
        .where(Entry.status == EntryStatus.PENDING)
        .options(*_ENTRY_LOADS)
        .order_by(Entry.created_at, Entry.id)
    )
    if kinds:
        query = query.where(Entry.kind.in_(kinds))
    return list((await session.scalars(query)).all())


class StageScope(NamedTuple):
    """Entries of this kind at this stage, in these units (None: in any unit)."""

    kind: EntryKind
    stage: int
    unit_ids: set[int] | None


async def pending_facts(session: AsyncSession, scopes: Sequence[StageScope]) -> list[Any]:
    """(id, kind, status, stage, owner_id, unit_id) of the pending entries in any of the scopes, oldest first:
    plain rows, no entries loaded."""
    if not scopes:
        return []
    entries = Entry.__table__.c
    conditions = [
        and_(
            entries.kind == scope.kind,
            entries.stage == scope.stage,
            *([entries.unit_id.in_(sorted(scope.unit_ids))] if scope.unit_ids is not None else []),
        )
        for scope in scopes
    ]
    query = (
        select(entries.id, entries.kind, entries.status, entries.stage, entries.owner_id, entries.unit_id)
        .where(entries.status == EntryStatus.PENDING, or_(*conditions))
        .order_by(entries.created_at, entries.id)
    )
    return list((await session.execute(query)).all())


_ENTRIES_BY_IDS = select(Entry).where(Entry.id.in_(bindparam("ids", expanding=True))).options(*_ENTRY_LOADS)


async def entries_by_ids(session: AsyncSession, ids: Sequence[int]) -> list[Entry]:
    """The entries with these ids, fully loaded, in the order given."""
    if not ids:
        return []
    loaded = {e.id: e for e in await session.scalars(_ENTRIES_BY_IDS, {"ids": list(ids)})}
    return [loaded[i] for i in ids if i in loaded]


async def approved_entries_for_maal(session: AsyncSession, maal_ids: Sequence[int]) -> list[Entry]:
    query = (
        select(Entry)
        .where(Entry.maal_id.in_(maal_ids), Entry.status == EntryStatus.APPROVED, Entry.kind.in_(MAALPLAN_KINDS))
        .options(*_ENTRY_LOADS)
        .order_by(Entry.created_at, Entry.id)
    )
    return list((await session.scalars(query)).all())


# --- Oversigt: counts ---------------------------------------------------------------------------------------
# Every count is one aggregate query; the overview never loads entries to count them in Python.


async def entry_counts_by_unit(
    session: AsyncSession, *, unit_ids: Sequence[int], kinds: Sequence[EntryKind]
) -> list[tuple[int, EntryKind, EntryStatus, int]]:
    """(unit, kind, status, count) for the units' entries of these kinds."""
    query = (
        select(Entry.unit_id, Entry.kind, Entry.status, func.count())
        .where(Entry.unit_id.in_(unit_ids), Entry.kind.in_(kinds))
        .group_by(Entry.unit_id, Entry.kind, Entry.status)
    )
    return [(u, k, s, int(c)) for u, k, s, c in (await session.execute(query)).all()]


async def waiting_by_unit(
    session: AsyncSession, *, unit_ids: Sequence[int]
) -> list[tuple[int, EntryKind, int, int, dt.datetime]]:
    """(unit, kind, stage, count, since) for pending entries: how many wait at each stage, the oldest since when."""
    query = (
        select(Entry.unit_id, Entry.kind, Entry.stage, func.count(), func.min(Entry.updated_at))
        .where(Entry.unit_id.in_(unit_ids), Entry.status == EntryStatus.PENDING)
        .group_by(Entry.unit_id, Entry.kind, Entry.stage)
    )
    return [(u, k, st, int(c), as_utc(since)) for u, k, st, c, since in (await session.execute(query)).all()]


async def waiting_since(
    session: AsyncSession, *, before: dt.datetime
) -> list[tuple[int, EntryKind, int, int, int, dt.datetime, str]]:
    """Pending entries that have waited at their stage since before `before`, oldest first, as light rows:
    (id, kind, stage, owner id, unit id, waiting since, owner's name)."""
    rows = await session.execute(
        select(Entry.id, Entry.kind, Entry.stage, Entry.owner_id, Entry.unit_id, Entry.updated_at, Person.display_name)
        .join(Person, Person.id == Entry.owner_id)
        .where(Entry.status == EntryStatus.PENDING, Entry.updated_at < before)
        .order_by(Entry.updated_at, Entry.id)
    )
    return [(i, k, st, o, u, as_utc(w), name) for i, k, st, o, u, w, name in rows.all()]
