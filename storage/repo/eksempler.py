"""Eksempler: the selection stages, what lists and the export read, and the overview's counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.vocabulary import EKSEMPEL_ADOPTED, EKSEMPEL_RECEIVED, EKSEMPEL_SELECTED, Action, EntryKind, EntryStatus
from storage.models import Decision, Entry, Person, SelectionStageRow
from storage.repo.common import as_utc
from storage.repo.entries import _ENTRY_LOADS

# --- Eksempler (issue 10) --------------------------------------------------------------------------------------


async def selection_stage_rows(session: AsyncSession) -> list[SelectionStageRow]:
    """The eksempel selection's stages from the organisation file, in order (empty when it gives none)."""
    return list((await session.scalars(select(SelectionStageRow).order_by(SelectionStageRow.position))).all())


async def eksempel_entries(
    session: AsyncSession, *, ids: Sequence[int] | None = None, statuses: Sequence[EntryStatus] | None = None
) -> list[Entry]:
    """Eksempler with everything a card shows, oldest first; only these ids or statuses when given."""
    query = select(Entry).where(Entry.kind == EntryKind.EKSEMPEL).options(*_ENTRY_LOADS).order_by(Entry.id)
    if ids is not None:
        query = query.where(Entry.id.in_(ids))
    if statuses is not None:
        query = query.where(Entry.status.in_(statuses))
    return list((await session.scalars(query)).all())


async def eksempel_summaries(session: AsyncSession) -> list[tuple[int, EntryStatus, int, dict[str, Any]]]:
    """Every eksempel as (id, status, stage, data), by id: what lists filter and compare on, without the rest."""
    rows = await session.execute(
        select(Entry.id, Entry.status, Entry.stage, Entry.data)
        .where(Entry.kind == EntryKind.EKSEMPEL)
        .order_by(Entry.id)
    )
    return [(r[0], r[1], r[2], r[3]) for r in rows]


async def received_eksempel_rows(
    session: AsyncSession, *, from_stage: int
) -> list[tuple[int, dict[str, Any], EntryStatus, dt.datetime, str, int]]:
    """Every eksempel received (received_clause) as plain columns for the export: (id, data, status, created at,
    owner's name, unit id)."""
    rows = await session.execute(
        select(Entry.id, Entry.data, Entry.status, Entry.created_at, Person.display_name, Entry.unit_id)
        .join(Person, Entry.owner_id == Person.id)
        .where(received_clause(from_stage))
        .order_by(Entry.id)
    )
    return [(r[0], r[1], r[2], as_utc(r[3]), r[4], r[5]) for r in rows]


async def eksempel_outcomes(session: AsyncSession) -> dict[int, tuple[str, dt.date]]:
    """The last selection outcome recorded for each eksempel: entry id → (forum, the day the forum decided)."""
    rows = await session.execute(
        select(Decision.entry_id, Decision.forum, Decision.occurred_on)
        .join(Entry, Decision.entry_id == Entry.id)
        .where(Entry.kind == EntryKind.EKSEMPEL, Decision.action == Action.RECORD_OUTCOME)
        .order_by(Decision.id)
    )
    return {r[0]: (r[1] or "", r[2]) for r in rows if r[2] is not None}


# --- Sent, received, missing: the counts every reader shares (domain.eksempel_status says what they mean) --------
# Every count is one aggregate query; nothing loads entries to count them in Python.


@lru_cache(maxsize=16)
def received_clause(from_stage: int) -> ColumnElement[bool]:
    """An eksempel the indsamler has received: in a received status (EKSEMPEL_RECEIVED), or pending at her stage
    of the route or a later one (`from_stage`). Withdrawn, sent back, rejected and pending at the leder are not.
    Built once per stage (a clause is immutable): building it and its statements' cache keys on every read was
    a sixth of the tab's Overblik."""
    return and_(
        Entry.kind == EntryKind.EKSEMPEL,
        or_(
            Entry.status.in_(EKSEMPEL_RECEIVED),
            and_(Entry.status == EntryStatus.PENDING, Entry.stage >= from_stage),
        ),
    )


@lru_cache(maxsize=16)
def _received_cells(from_stage: int) -> Select[Any, Any, EntryStatus, int]:
    return (
        select(Entry.tema, Entry.niveau, Entry.status, func.count())
        .where(received_clause(from_stage))
        .group_by(Entry.tema, Entry.niveau, Entry.status)
    )


@lru_cache(maxsize=16)
def _received_by_unit(from_stage: int) -> Select[int, int]:
    return select(Entry.unit_id, func.count()).where(received_clause(from_stage)).group_by(Entry.unit_id)


async def received_cells(
    session: AsyncSession, *, from_stage: int
) -> list[tuple[str | None, str | None, int, int, int]]:
    """Per tema and niveau with any received: eksempler received, selected by the arbejdsgruppe, adopted.

    Grouped by status too, so that PostgreSQL reads it from ix_entries_kind_tema_niveau_status alone (kind, tema,
    niveau, status and stage); the few (tema, niveau, status) rows are folded into the three counts here."""
    rows = await session.execute(_received_cells(from_stage))
    cells: dict[tuple[str | None, str | None], list[int]] = {}
    for tema, niveau, status, count in rows.all():
        counts = cells.setdefault((tema, niveau), [0, 0, 0])
        counts[0] += int(count)
        counts[1] += int(count) if status in EKSEMPEL_SELECTED else 0
        counts[2] += int(count) if status in EKSEMPEL_ADOPTED else 0
    return [(tema, niveau, r, s, a) for (tema, niveau), (r, s, a) in cells.items()]


async def received_by_unit(
    session: AsyncSession, *, from_stage: int, unit_ids: Sequence[int] | None = None
) -> dict[int, int]:
    """How many eksempler each unit has sent, i.e. the indsamler has received (units with none are absent). One
    aggregate over ix_entries_kind_unit_status (kind, unit, status, stage): an index-only scan on PostgreSQL."""
    query = _received_by_unit(from_stage)
    if unit_ids is not None:
        query = query.where(Entry.unit_id.in_(unit_ids))
    return {unit_id: int(count) for unit_id, count in (await session.execute(query)).all()}


# --- The indsamler's daily digest (issue 19) ----------------------------------------------------------------------


async def eksempler_arrived(
    session: AsyncSession, *, at_stage: int, after: dt.datetime, until: dt.datetime
) -> list[tuple[int, dict[str, Any]]]:
    """The eksempler a decision moved to route stage `at_stage` (the indsamler's) in the window (after, until]: sent on
    by their leder, or submitted there by one. Each once, as (id, data), by id."""
    arrived = select(Decision.entry_id).where(
        Decision.to_stage == at_stage,
        Decision.to_status == EntryStatus.PENDING,
        or_(Decision.from_stage.is_(None), Decision.from_stage != at_stage),
        Decision.created_at > after.astimezone(dt.UTC),
        Decision.created_at <= until.astimezone(dt.UTC),
    )
    rows = await session.execute(
        select(Entry.id, Entry.data).where(Entry.kind == EntryKind.EKSEMPEL, Entry.id.in_(arrived)).order_by(Entry.id)
    )
    return [(r[0], r[1]) for r in rows]


async def eksempler_waiting_at(session: AsyncSession, *, stage: int) -> int:
    """How many eksempler wait at route stage `stage` (the indsamler's: sent to her, not yet received)."""
    count = await session.scalar(
        select(func.count())
        .select_from(Entry)
        .where(Entry.kind == EntryKind.EKSEMPEL, Entry.status == EntryStatus.PENDING, Entry.stage == stage)
    )
    return int(count or 0)
