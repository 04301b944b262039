"""Repository functions: each takes a session, never commits, and loads relationships eagerly."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from domain.vocabulary import (
    MAALPLAN_KINDS,
    Action,
    ConversationType,
    EntryKind,
    EntryStatus,
    NotificationKind,
    NotificationStatus,
    Role,
)
from storage.models import (
    CalendarDate,
    ConversationRef,
    Decision,
    Entry,
    Maal,
    Maalplan,
    Notification,
    Person,
    Proevehandling,
    RoleAssignment,
    Route,
    SelectionStageRow,
    Unit,
    utcnow,
)


class StaleEntry(Exception):
    """The entry changed since the actor saw it; `entry` is its current state (with decisions)."""

    def __init__(self, entry: Entry):
        super().__init__(f"entry {entry.id} is at version {entry.version}")
        self.entry = entry


# --- People and organisation -----------------------------------------------------------------------------------


async def person_by_aad(session: AsyncSession, aad_object_id: str) -> Person | None:
    return await session.scalar(
        select(Person).where(Person.aad_object_id == aad_object_id).options(selectinload(Person.roles))
    )


async def person_by_email(session: AsyncSession, email: str) -> Person | None:
    return await session.scalar(select(Person).where(Person.email == email.lower()).options(selectinload(Person.roles)))


async def person_by_id(session: AsyncSession, person_id: int) -> Person | None:
    return await session.scalar(select(Person).where(Person.id == person_id).options(selectinload(Person.roles)))


async def add_person(
    session: AsyncSession, *, display_name: str, aad_object_id: str | None, email: str | None
) -> Person:
    person = Person(display_name=display_name, aad_object_id=aad_object_id, email=email.lower() if email else None)
    session.add(person)
    await session.flush()
    await session.refresh(person, ["roles"])
    return person


_UNITS = "styringsbot.units"


async def all_units(session: AsyncSession) -> dict[int, Unit]:
    """Every unit by id. The organisation is small (tens to hundreds of units), so one query beats many.

    Read once per session (one user action): the rules consult the unit tree several times per action, and
    units change only through the organisation file import, which does not use this.
    """
    cached = session.info.get(_UNITS)
    if cached is None:
        cached = {u.id: u for u in (await session.scalars(select(Unit).order_by(Unit.name))).all()}
        session.info[_UNITS] = cached
    return dict(cached)


def unit_path(units: dict[int, Unit], unit_id: int) -> tuple[int, ...]:
    """The unit and its parents up to the top."""
    path: list[int] = []
    current: int | None = unit_id
    while current is not None and current not in path:
        path.append(current)
        current = units[current].parent_id if current in units else None
    return tuple(path)


def units_below(units: dict[int, Unit], unit_id: int) -> set[int]:
    """The unit and every unit under it."""
    below = {unit_id}
    changed = True
    while changed:
        added = {u.id for u in units.values() if u.parent_id in below} - below
        below |= added
        changed = bool(added)
    return below


async def persons_holding(session: AsyncSession, role: Role, unit_ids: Sequence[int | None]) -> list[Person]:
    query = (
        select(Person)
        .join(RoleAssignment, RoleAssignment.person_id == Person.id)
        .where(RoleAssignment.role == role)
        .order_by(Person.id)
    )
    if None in unit_ids:
        query = query.where(RoleAssignment.unit_id.is_(None))
    else:
        query = query.where(RoleAssignment.unit_id.in_([u for u in unit_ids if u is not None]))
    return list((await session.scalars(query.distinct())).all())


async def roles_by_person(
    session: AsyncSession, person_ids: Sequence[int]
) -> dict[int, frozenset[tuple[Role, int | None]]]:
    rows = (await session.scalars(select(RoleAssignment).where(RoleAssignment.person_id.in_(person_ids)))).all()
    result: dict[int, set[tuple[Role, int | None]]] = {}
    for row in rows:
        result.setdefault(row.person_id, set()).add((row.role, row.unit_id))
    return {person_id: frozenset(roles) for person_id, roles in result.items()}


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


async def get_maal(session: AsyncSession, maal_id: int) -> Maal | None:
    return await session.scalar(
        select(Maal)
        .where(Maal.id == maal_id)
        .options(selectinload(Maal.maalplan).selectinload(Maalplan.unit), selectinload(Maal.proevehandlinger))
    )


async def add_proevehandling(session: AsyncSession, *, maal: Maal, title: str, key: str) -> Proevehandling:
    position = await session.scalar(
        select(func.coalesce(func.max(Proevehandling.position), -1) + 1).where(Proevehandling.maal_id == maal.id)
    )
    proevehandling = Proevehandling(maal_id=maal.id, key=key, position=position or 0, title=title)
    session.add(proevehandling)
    await session.flush()
    return proevehandling


async def route_stages(session: AsyncSession, kind: EntryKind) -> list[str]:
    """The stages the organisation file gives for the kind (empty when it gives none)."""
    route = await session.get(Route, kind)
    return list(route.stages) if route is not None and route.stages else []


async def maalplan_years(session: AsyncSession, unit_ids: Sequence[int]) -> set[int]:
    return set((await session.scalars(select(Maalplan.year).where(Maalplan.unit_id.in_(unit_ids)).distinct())).all())


# --- Entries and decisions -------------------------------------------------------------------------------------

_ENTRY_LOADS = (
    selectinload(Entry.owner),
    selectinload(Entry.unit),
    selectinload(Entry.maal).selectinload(Maal.maalplan),
    selectinload(Entry.proevehandling),
    selectinload(Entry.decisions).selectinload(Decision.actor),
)


async def get_entry(session: AsyncSession, entry_id: int) -> Entry | None:
    return await session.scalar(
        select(Entry).where(Entry.id == entry_id).options(*_ENTRY_LOADS).execution_options(populate_existing=True)
    )


async def entry_by_key(session: AsyncSession, idempotency_key: str) -> Entry | None:
    return await session.scalar(select(Entry).where(Entry.idempotency_key == idempotency_key).options(*_ENTRY_LOADS))


async def add_entry(session: AsyncSession, *, idempotency_key: str, **values: Any) -> tuple[Entry, bool]:
    """Store a new entry once per idempotency key. Returns (entry, created); a repeat returns the first one."""
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
    loaded = await get_entry(session, entry.id)
    assert loaded is not None
    return loaded, True


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
    now = utcnow()
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


async def entries_of_owner(session: AsyncSession, owner_id: int, *, offset: int, limit: int) -> list[Entry]:
    query = (
        select(Entry)
        .where(Entry.owner_id == owner_id)
        .options(*_ENTRY_LOADS)
        .order_by(Entry.created_at.desc(), Entry.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return list((await session.scalars(query)).all())


async def count_entries_of_owner(session: AsyncSession, owner_id: int) -> int:
    return await session.scalar(select(func.count()).select_from(Entry).where(Entry.owner_id == owner_id)) or 0


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


async def approved_entries_for_maal(session: AsyncSession, maal_ids: Sequence[int]) -> list[Entry]:
    query = (
        select(Entry)
        .where(Entry.maal_id.in_(maal_ids), Entry.status == EntryStatus.APPROVED, Entry.kind.in_(MAALPLAN_KINDS))
        .options(*_ENTRY_LOADS)
        .order_by(Entry.created_at, Entry.id)
    )
    return list((await session.scalars(query)).all())


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


# --- Conversation references ---------------------------------------------------------------------------------


async def save_conversation_ref(
    session: AsyncSession,
    *,
    conversation_id: str,
    conversation_type: str,
    person_id: int | None,
    reference: dict[str, Any],
) -> bool:
    """Remember how to reach a conversation later. Returns True the first time it is seen."""
    existing = await session.scalar(select(ConversationRef).where(ConversationRef.conversation_id == conversation_id))
    if existing is None:
        try:
            async with session.begin_nested():
                session.add(
                    ConversationRef(
                        conversation_id=conversation_id,
                        conversation_type=conversation_type,
                        person_id=person_id,
                        reference=reference,
                        updated_at=utcnow(),
                    )
                )
        except IntegrityError:
            return False
        return True
    if existing.reference != reference or existing.person_id != person_id:
        existing.reference = reference
        existing.person_id = person_id
        existing.updated_at = utcnow()
    return False


async def conversation_ref(session: AsyncSession, conversation_id: str) -> ConversationRef | None:
    return await session.scalar(select(ConversationRef).where(ConversationRef.conversation_id == conversation_id))


async def personal_conversation_ref(session: AsyncSession, person_id: int) -> ConversationRef | None:
    return await session.scalar(
        select(ConversationRef)
        .where(
            ConversationRef.person_id == person_id,
            ConversationRef.conversation_type == ConversationType.PERSONAL,
        )
        .order_by(ConversationRef.updated_at.desc())
        .limit(1)
    )


def as_utc(moment: dt.datetime) -> dt.datetime:
    """SQLite returns naive datetimes for timezone-aware columns; they are stored in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


# --- Notifications ---------------------------------------------------------------------------------------------


def _undelivered_approvals(person_id: int) -> Any:
    return select(Notification).where(
        Notification.person_id == person_id,
        Notification.kind == NotificationKind.APPROVAL,
        Notification.status == NotificationStatus.UNDELIVERED,
    )


async def has_undelivered_approvals(session: AsyncSession, person_id: int) -> bool:
    return await session.scalar(_undelivered_approvals(person_id).limit(1)) is not None


async def mark_undelivered_approvals_told(session: AsyncSession, person_id: int) -> int:
    """Approval cards that could not reach this person, marked as told; returns how many there were."""
    rows = (await session.scalars(_undelivered_approvals(person_id))).all()
    for row in rows:
        row.status = NotificationStatus.TOLD
    return len(rows)


async def add_notifications(session: AsyncSession, notifications: Sequence[Notification]) -> list[int]:
    session.add_all(notifications)
    await session.flush()
    return [n.id for n in notifications]


# --- Notification delivery (hardening) -------------------------------------------------------------------------


def _claimable(now: dt.datetime) -> Any:
    return and_(
        Notification.status == NotificationStatus.PENDING,
        or_(Notification.claimed_until.is_(None), Notification.claimed_until < now),
    )


async def claim_notification(
    session: AsyncSession, notification_id: int, *, now: dt.datetime, until: dt.datetime
) -> bool:
    """Claim one pending notification for delivery until `until`; False when it is done or another holds it.

    One conditional UPDATE: of two instances (or two tasks) racing for it, exactly one matches the row.
    """
    result = await session.execute(
        update(Notification)
        .where(Notification.id == notification_id, _claimable(now))
        .values(claimed_until=until)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def claim_due_notifications(
    session: AsyncSession, *, now: dt.datetime, until: dt.datetime, limit: int
) -> list[int]:
    """Claim up to `limit` pending notifications nobody holds, oldest first; returns their ids.

    On PostgreSQL the rows are locked with FOR UPDATE SKIP LOCKED, so instances sweeping at the same moment take
    different rows; SQLite ignores the clause, and its write lock (the caller's unit of work) serialises sweeps.
    """
    ids = list(
        (
            await session.scalars(
                select(Notification.id)
                .where(_claimable(now))
                .order_by(Notification.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
        ).all()
    )
    if ids:
        await session.execute(
            update(Notification)
            .where(Notification.id.in_(ids))
            .values(claimed_until=until)
            .execution_options(synchronize_session=False)
        )
    return ids


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


async def eksempel_rows(session: AsyncSession) -> list[tuple[int, dict[str, Any], EntryStatus, dt.datetime, str, int]]:
    """Every eksempel as plain columns for the export: (id, data, status, created at, owner's name, unit id)."""
    rows = await session.execute(
        select(Entry.id, Entry.data, Entry.status, Entry.created_at, Person.display_name, Entry.unit_id)
        .join(Person, Entry.owner_id == Person.id)
        .where(Entry.kind == EntryKind.EKSEMPEL)
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


async def units_with_eksempler(session: AsyncSession, *, excluding: Sequence[EntryStatus] = ()) -> set[int]:
    """The units that have sent at least one eksempel (not counting those with the excluded statuses)."""
    query = select(Entry.unit_id).where(Entry.kind == EntryKind.EKSEMPEL).distinct()
    if excluding:
        query = query.where(Entry.status.not_in(excluding))
    return set((await session.scalars(query)).all())


async def leder_names_by_unit(session: AsyncSession) -> dict[int, list[str]]:
    """The names of each unit's ledere, by unit id."""
    rows = await session.execute(
        select(RoleAssignment.unit_id, Person.display_name)
        .join(Person, RoleAssignment.person_id == Person.id)
        .where(RoleAssignment.role == Role.LEDER, RoleAssignment.unit_id.is_not(None))
        .order_by(Person.display_name)
    )
    names: dict[int, list[str]] = {}
    for unit_id, name in rows:
        if unit_id is not None:
            names.setdefault(unit_id, []).append(name)
    return names
