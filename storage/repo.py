"""Repository functions: each takes a session, never commits, and loads relationships eagerly."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, ClassVar, NamedTuple

from sqlalchemy import and_, bindparam, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from domain.vocabulary import (
    EKSEMPEL_ADOPTED,
    EKSEMPEL_RECEIVED,
    EKSEMPEL_SELECTED,
    MAALPLAN_KINDS,
    Action,
    ConversationType,
    EntryKind,
    EntryStatus,
    NotificationKind,
    NotificationStatus,
    OutboxKind,
    Role,
    RoundStatus,
    Tema,
    UnitKind,
)
from storage.models import (
    BotStateItem,
    CalendarDate,
    ConversationRef,
    Decision,
    Entry,
    Maal,
    Maalplan,
    Notification,
    OutboxMessage,
    Person,
    Proevehandling,
    Reminder,
    RoleAssignment,
    Round,
    RoundProposal,
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


# Statements on every turn's path are built once, with bound parameters, and executed with their values
# (issue 14): building a statement and its cache key cost more CPU than executing it (the sender's: two thirds).
# The SQL is the same; SQLAlchemy's compiled cache finds it by the memoized cache key.


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


class UnitRow(NamedTuple):
    """A unit as the rules read it (`all_units`): plain values, not a Unit instance the session tracks."""

    id: int
    key: str
    name: str
    kind: UnitKind
    parent_id: int | None


# Read-only: one mapping is shared by every session that read the same unit rows (see `all_units`).
Units = Mapping[int, UnitRow]

_UNIT_COLUMNS = Unit.__table__.c
_ALL_UNITS = select(
    _UNIT_COLUMNS.id, _UNIT_COLUMNS.key, _UNIT_COLUMNS.name, _UNIT_COLUMNS.kind, _UNIT_COLUMNS.parent_id
).order_by(_UNIT_COLUMNS.name)


class _UnitsSeen:
    """The unit rows last read, as plain tuples, and the Units built from them (issue 14: the rows are read from
    the database every time; only building 150 UnitRows again is skipped when they are the same)."""

    rows: ClassVar[list[tuple[Any, ...]]] = []
    units: ClassVar[Units] = MappingProxyType({})


async def all_units(session: AsyncSession) -> Units:
    """Every unit by id. The organisation is small (tens to hundreds of units), so one query beats many.

    Read once per session (one user action): the rules consult the unit tree several times per action, and
    units change only through the organisation file import, which does not use this. Plain rows, not ORM
    instances: at 150 units, loading them into the session was the largest single cost of a card refresh.
    The mapping is read-only and shared: a session whose rows equal the last ones read gets the same mapping.
    """
    cached: Units | None = session.info.get(_UNITS)
    if cached is None:
        rows = [tuple(row) for row in (await session.execute(_ALL_UNITS)).all()]
        if rows != _UnitsSeen.rows:
            _UnitsSeen.units = MappingProxyType({row[0]: UnitRow(*row) for row in rows})
            _UnitsSeen.rows = rows
        cached = session.info[_UNITS] = _UnitsSeen.units
    return cached


def unit_path(units: Units, unit_id: int) -> tuple[int, ...]:
    """The unit and its parents up to the top."""
    path: list[int] = []
    current: int | None = unit_id
    while current is not None and current not in path:
        path.append(current)
        current = units[current].parent_id if current in units else None
    return tuple(path)


def units_below(units: Units, unit_id: int) -> set[int]:
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


_ROLES_BY_PERSON = select(RoleAssignment).where(RoleAssignment.person_id.in_(bindparam("ids", expanding=True)))


async def roles_by_person(
    session: AsyncSession, person_ids: Sequence[int]
) -> dict[int, frozenset[tuple[Role, int | None]]]:
    rows = (await session.scalars(_ROLES_BY_PERSON, {"ids": list(person_ids)})).all()
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


# --- One turn's sender in one statement (issue 14: turn cost) --------------------------------------------------


@dataclass(frozen=True)
class Sender:
    """Who sent an activity, what they hold, and what the bot stored for the conversation it came from."""

    person_id: int
    display_name: str
    unit_id: int | None
    roles: frozenset[tuple[Role, int | None]]
    # The stored conversation reference and its person (None when the conversation is not stored).
    reference: dict[str, Any] | None
    reference_person_id: int | None
    # Approval cards that could not be delivered to this person and that they have not been told about.
    has_undelivered_approvals: bool
    # The bot state item asked for (its JSON document and eTag), None when there is none or none was asked for.
    state: tuple[Any, str] | None = None


def _sender_statement() -> Any:
    people, roles, refs = Person.__table__.c, RoleAssignment.__table__.c, ConversationRef.__table__.c
    state = BotStateItem.__table__.c

    undelivered = (
        select(Notification.id)
        .where(
            Notification.person_id == people.id,
            Notification.kind == NotificationKind.APPROVAL,
            Notification.status == NotificationStatus.UNDELIVERED,
        )
        .exists()
        .label("undelivered")
    )
    statement = (
        select(
            people.id,
            people.display_name,
            people.unit_id,
            roles.role,
            roles.unit_id.label("role_unit_id"),
            refs.reference,
            refs.person_id.label("reference_person_id"),
            undelivered,
            state.document.label("state_document"),
            state.etag.label("state_etag"),
        )
        .select_from(Person.__table__)
        .outerjoin(RoleAssignment.__table__, roles.person_id == people.id)
        .outerjoin(ConversationRef.__table__, refs.conversation_id == bindparam("conversation_id"))
        .outerjoin(BotStateItem.__table__, state.key == bindparam("state_key"))
        .where(people.aad_object_id == bindparam("aad_object_id"))
    )
    return statement


_SENDER = _sender_statement()


async def sender(
    session: AsyncSession, aad_object_id: str, conversation_id: str, state_key: str | None = None
) -> Sender | None:
    """What `person_by_aad`, `conversation_ref` and `has_undelivered_approvals` tell, and the bot state item
    under `state_key` (a storage key, see storage.bot_state.storage_key), in one round trip.

    Every turn asks this (bot.identity.known): one statement with plain rows instead of four ORM loads and a
    separate read of the dialog state.
    """
    parameters = {"aad_object_id": aad_object_id, "conversation_id": conversation_id, "state_key": state_key}
    rows = (await session.execute(_SENDER, parameters)).all()
    if not rows:
        return None
    first = rows[0]
    return Sender(
        person_id=first.id,
        display_name=first.display_name,
        unit_id=first.unit_id,
        roles=frozenset((Role(r.role), r.role_unit_id) for r in rows if r.role is not None),
        reference=first.reference,
        reference_person_id=first.reference_person_id,
        has_undelivered_approvals=bool(first.undelivered),
        state=(first.state_document, first.state_etag) if first.state_etag is not None else None,
    )


# --- Notification delivery (hardening) -------------------------------------------------------------------------


def _claimable(now: Any) -> Any:
    return and_(
        Notification.status == NotificationStatus.PENDING,
        or_(Notification.claimed_until.is_(None), Notification.claimed_until < now),
    )


_CLAIM = (
    update(Notification)
    .where(
        Notification.id == bindparam("notification_id"),
        _claimable(bindparam("now", type_=Notification.claimed_until.type)),
    )
    .values(claimed_until=bindparam("until", type_=Notification.claimed_until.type))
    .execution_options(synchronize_session=False)
)


async def claim_notification(
    session: AsyncSession, notification_id: int, *, now: dt.datetime, until: dt.datetime
) -> bool:
    """Claim one pending notification for delivery until `until`; False when it is done or another holds it.

    One conditional UPDATE: of two instances (or two tasks) racing for it, exactly one matches the row.
    """
    result = await session.execute(_CLAIM, {"notification_id": notification_id, "now": now, "until": until})
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


async def mark_notification(
    session: AsyncSession,
    notification_id: int,
    status: NotificationStatus,
    code: int | None,
    activity_id: str | None = None,
) -> None:
    """Record how a delivery ended and release the claim: one UPDATE (nothing when the row is gone)."""
    values: dict[str, Any] = {
        "status": status,
        "attempts": Notification.attempts + 1,
        "last_status_code": code,
        "claimed_until": None,
    }
    if activity_id:
        values["activity_id"] = activity_id
    if status is NotificationStatus.SENT:
        values["sent_at"] = utcnow()
    await session.execute(
        update(Notification)
        .where(Notification.id == notification_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


class Recipient(NamedTuple):
    """Whom a notification goes to: the person as the rules read them, and their personal chat with the bot."""

    person_id: int
    display_name: str
    unit_id: int | None
    roles: frozenset[tuple[Role, int | None]]
    # The newest stored personal conversation reference (None: no chat with the bot yet).
    reference: dict[str, Any] | None


async def recipients(session: AsyncSession, person_ids: Sequence[int]) -> dict[int, Recipient]:
    """What `person_by_id` and `personal_conversation_ref` tell for each person, in one statement (issue 14)."""
    if not person_ids:
        return {}
    rows: dict[int, list[Any]] = {}
    for row in (await session.execute(_RECIPIENTS, {"ids": sorted(set(person_ids))})).all():
        rows.setdefault(row.id, []).append(row)
    return {
        person_id: Recipient(
            person_id=person_id,
            display_name=found[0].display_name,
            unit_id=found[0].unit_id,
            roles=frozenset((Role(r.role), r.role_unit_id) for r in found if r.role is not None),
            reference=found[0].reference,
        )
        for person_id, found in rows.items()
    }


def _recipients_statement() -> Any:
    people, roles, refs = Person.__table__.c, RoleAssignment.__table__.c, ConversationRef.__table__.c
    newest_reference = (
        select(refs.reference)
        .where(refs.person_id == people.id, refs.conversation_type == ConversationType.PERSONAL)
        .order_by(refs.updated_at.desc())
        .limit(1)
        .scalar_subquery()
    )
    statement = (
        select(
            people.id,
            people.display_name,
            people.unit_id,
            roles.role,
            roles.unit_id.label("role_unit_id"),
            newest_reference.label("reference"),
        )
        .select_from(Person.__table__)
        .outerjoin(RoleAssignment.__table__, roles.person_id == people.id)
        .where(people.id.in_(bindparam("ids", expanding=True)))
    )
    return statement


_RECIPIENTS = _recipients_statement()


# --- Oversigt: counts, reminders and the outbox ------------------------------------------------------------------
# Every count is one aggregate query; the overview never loads entries to count them in Python.


async def eksempel_cells(session: AsyncSession) -> list[tuple[str | None, str | None, int, int, int]]:
    """Per tema and niveau: eksempler received by the indsamler, selected by the arbejdsgruppe, adopted.

    Grouped by status too, in the order of ix_entries_kind_tema_niveau_status, so that PostgreSQL answers from the
    index alone; the few (tema, niveau, status) rows are folded into the three counts here.
    """
    rows = await session.execute(
        select(Entry.tema, Entry.niveau, Entry.status, func.count())
        .where(Entry.kind == EntryKind.EKSEMPEL)
        .group_by(Entry.tema, Entry.niveau, Entry.status)
    )
    cells: dict[tuple[str | None, str | None], list[int]] = {}
    for tema, niveau, status, count in rows.all():
        counts = cells.setdefault((tema, niveau), [0, 0, 0])
        for i, statuses in enumerate((EKSEMPEL_RECEIVED, EKSEMPEL_SELECTED, EKSEMPEL_ADOPTED)):
            if status in statuses:
                counts[i] += int(count)
    return [(tema, niveau, r, s, a) for (tema, niveau), (r, s, a) in cells.items() if r]


async def eksempler_sent_by_unit(
    session: AsyncSession, *, sent_from_stage: int, unit_ids: Sequence[int] | None = None
) -> dict[int, int]:
    """How many eksempler each unit has sent to the indsamler (units with none are absent): received, wherever they
    are in the selection, or waiting at her stage. Grouped by status and stage in the order of
    ix_entries_kind_unit_status (an index-only scan on PostgreSQL) and folded here."""
    query = (
        select(Entry.unit_id, Entry.status, Entry.stage, func.count())
        .where(Entry.kind == EntryKind.EKSEMPEL)
        .group_by(Entry.unit_id, Entry.status, Entry.stage)
    )
    if unit_ids is not None:
        query = query.where(Entry.unit_id.in_(unit_ids))
    sent: dict[int, int] = {}
    for unit_id, status, stage, count in (await session.execute(query)).all():
        if status in EKSEMPEL_RECEIVED or (status is EntryStatus.PENDING and stage >= sent_from_stage):
            sent[unit_id] = sent.get(unit_id, 0) + int(count)
    return sent


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


async def holders_by_unit(session: AsyncSession, role: Role, unit_ids: Sequence[int]) -> dict[int, list[Person]]:
    """The people holding `role` for each of the units, by unit id."""
    rows = await session.execute(
        select(RoleAssignment.unit_id, Person)
        .join(Person, Person.id == RoleAssignment.person_id)
        .where(RoleAssignment.role == role, RoleAssignment.unit_id.in_(unit_ids))
        .order_by(Person.display_name, Person.id)
    )
    result: dict[int, list[Person]] = {}
    for unit_id, person in rows.all():
        if unit_id is not None:
            result.setdefault(unit_id, []).append(person)
    return result


async def unreachable(session: AsyncSession, person_ids: Sequence[int]) -> set[int]:
    """Of these people, those the bot cannot write to: no personal chat with it yet, or Teams refused the last
    reminder or digest for good."""
    if not person_ids:
        return set()
    reachable = select(ConversationRef.person_id).where(
        ConversationRef.person_id.in_(person_ids), ConversationRef.conversation_type == ConversationType.PERSONAL
    )
    refused = select(OutboxMessage.person_id).where(
        OutboxMessage.person_id.in_(person_ids), OutboxMessage.status == NotificationStatus.UNDELIVERED
    )
    have_chat = set((await session.scalars(reachable)).all())
    return (set(person_ids) - have_chat) | set((await session.scalars(refused)).all())


async def calendar_dates(session: AsyncSession, keys: Sequence[str]) -> list[CalendarDate]:
    return list((await session.scalars(select(CalendarDate).where(CalendarDate.key.in_(keys)))).all())


async def claim_reminder(
    session: AsyncSession,
    *,
    unit_id: int,
    deadline_key: str,
    deadline: dt.date,
    offset_days: int,
    manual: bool = False,
    sent_by_id: int | None = None,
    now: dt.datetime | None = None,
) -> Reminder | None:
    """Record that the unit is reminded of the deadline at this offset; None when it already was.

    The unique constraint decides: of two instances inserting the same reminder, the second waits for the first
    to commit and then fails to insert, inside a savepoint so that its transaction goes on.
    """
    try:
        async with session.begin_nested():
            reminder = Reminder(
                unit_id=unit_id,
                deadline_key=deadline_key,
                deadline=deadline,
                offset_days=offset_days,
                manual=manual,
                sent_by_id=sent_by_id,
                created_at=now or utcnow(),
            )
            session.add(reminder)
    except IntegrityError:
        return None
    return reminder


async def last_reminded(session: AsyncSession, *, deadline_key: str, deadline: dt.date) -> dict[int, dt.datetime]:
    """When each unit was last reminded of this deadline."""
    rows = await session.execute(
        select(Reminder.unit_id, func.max(Reminder.created_at))
        .where(Reminder.deadline_key == deadline_key, Reminder.deadline == deadline)
        .group_by(Reminder.unit_id)
    )
    return {unit_id: as_utc(when) for unit_id, when in rows.all()}


async def queue_outbox(
    session: AsyncSession, *, kind: OutboxKind, dedupe_key: str, person_id: int, reminder_id: int | None = None
) -> int | None:
    """Queue a message once per dedupe key; None when it was queued before."""
    try:
        async with session.begin_nested():
            message = OutboxMessage(
                kind=kind, dedupe_key=dedupe_key, person_id=person_id, reminder_id=reminder_id, created_at=utcnow()
            )
            session.add(message)
    except IntegrityError:
        return None
    return message.id


async def outbox_exists(session: AsyncSession, dedupe_keys: Sequence[str]) -> set[str]:
    rows = await session.scalars(select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(dedupe_keys)))
    return set(rows.all())


async def unsent_outbox(session: AsyncSession) -> list[int]:
    """Messages queued and not yet taken by a delivery (e.g. queued just before a restart)."""
    rows = await session.scalars(
        select(OutboxMessage.id)
        .where(OutboxMessage.status == NotificationStatus.PENDING, OutboxMessage.claimed_at.is_(None))
        .order_by(OutboxMessage.id)
    )
    return list(rows.all())


async def take_outbox(session: AsyncSession, message_id: int) -> OutboxMessage | None:
    """Take a queued message for delivery; None when another delivery (or instance) took it first."""
    result = await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.status == NotificationStatus.PENDING,
            OutboxMessage.claimed_at.is_(None),
        )
        .values(claimed_at=utcnow(), attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return await session.get(OutboxMessage, message_id, populate_existing=True)


async def get_reminder(session: AsyncSession, reminder_id: int) -> Reminder | None:
    return await session.get(Reminder, reminder_id)


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


async def people_by_id(session: AsyncSession, person_ids: Sequence[int]) -> dict[int, Person]:
    rows = await session.scalars(select(Person).where(Person.id.in_(person_ids)).options(selectinload(Person.roles)))
    return {p.id: p for p in rows.all()}


async def reminded_units(session: AsyncSession, *, deadline_key: str, deadline: dt.date, offset_days: int) -> set[int]:
    """The units already reminded of this deadline at this offset by the scheduler."""
    rows = await session.scalars(
        select(Reminder.unit_id).where(
            Reminder.deadline_key == deadline_key,
            Reminder.deadline == deadline,
            Reminder.offset_days == offset_days,
            Reminder.manual.is_(False),
        )
    )
    return set(rows.all())


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


# --- Meeting rounds (personalemøde) ----------------------------------------------------------------------------

_ROUND_LOADS = (
    joinedload(Round.starter).selectinload(Person.roles),
    joinedload(Round.unit),
    joinedload(Round.maal).joinedload(Maal.maalplan).joinedload(Maalplan.unit),
    joinedload(Round.proevehandling),
    selectinload(Round.proposals).joinedload(RoundProposal.author),
)


async def get_round(session: AsyncSession, round_id: int, *, for_share: bool = False) -> Round | None:
    """The round with its proposals. `for_share` keeps its status from changing until the transaction ends
    (an addition racing a close); concurrent additions share the lock. SQLite ignores it: its writers queue."""
    query = select(Round).where(Round.id == round_id).options(*_ROUND_LOADS)
    if for_share:
        # Only the round's row: PostgreSQL refuses a lock on the nullable side of the eager loads' outer joins.
        query = query.with_for_update(read=True, of=Round)
    return await session.scalar(query.execution_options(populate_existing=True))


async def round_status(session: AsyncSession, round_id: int, *, for_share: bool = False) -> RoundStatus | None:
    """Only the status: the one read an addition needs."""
    query = select(Round.status).where(Round.id == round_id)
    if for_share:
        query = query.with_for_update(read=True)
    return await session.scalar(query)


async def live_round_status(session: AsyncSession, conversation_id: str) -> tuple[int, RoundStatus] | None:
    """The id and status of the chat's round being set up or open, if any: what a typed message asks first."""
    found = (await session.execute(select(Round.id, Round.status).where(Round.live_in == conversation_id))).first()
    return None if found is None else (found[0], found[1])


async def live_round(session: AsyncSession, conversation_id: str) -> Round | None:
    """The chat's round being set up or open, if any."""
    return await session.scalar(select(Round).where(Round.live_in == conversation_id).options(*_ROUND_LOADS))


async def add_round(session: AsyncSession, **values: Any) -> Round | None:
    """A new live round for the chat, or None if the chat already has one (the unique `live_in` decides)."""
    try:
        async with session.begin_nested():
            row = Round(**values)
            session.add(row)
    except IntegrityError:
        return None
    return await get_round(session, row.id)


async def move_round(session: AsyncSession, round_id: int, *, expected: RoundStatus, **values: Any) -> bool:
    """Change a round only if it is still at `expected` status; True if this call made the change."""
    result = await session.execute(
        update(Round)
        .where(Round.id == round_id, Round.status == expected)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


async def set_round_fields(session: AsyncSession, round_id: int, **values: Any) -> None:
    await session.execute(
        update(Round).where(Round.id == round_id).values(**values).execution_options(synchronize_session=False)
    )


async def add_round_proposal(
    session: AsyncSession, *, round_id: int, author_id: int, text: str, text_key: str, tema: Tema | None
) -> tuple[int, bool]:
    """Store a proposal once per (round, author, text); a repeat brings back one the author removed.

    Returns (proposal id, whether this call added or restored it).
    """
    existing = await session.scalar(
        select(RoundProposal).where(
            RoundProposal.round_id == round_id,
            RoundProposal.author_id == author_id,
            RoundProposal.text_key == text_key,
        )
    )
    if existing is None:
        try:
            async with session.begin_nested():
                row = RoundProposal(
                    round_id=round_id, author_id=author_id, text=text, text_key=text_key, tema=tema, removed=False
                )
                session.add(row)
            return row.id, True
        except IntegrityError:
            # The same click arrived twice at once (a Teams retry on another instance).
            existing = await session.scalar(
                select(RoundProposal).where(
                    RoundProposal.round_id == round_id,
                    RoundProposal.author_id == author_id,
                    RoundProposal.text_key == text_key,
                )
            )
            if existing is None:
                raise
    if existing.removed:
        existing.removed = False
        await session.flush()
        return existing.id, True
    return existing.id, False


async def remove_round_proposal(session: AsyncSession, *, proposal_id: int, round_id: int, author_id: int) -> bool:
    """Mark the author's own proposal removed; False if it is not theirs or already gone."""
    result = await session.execute(
        update(RoundProposal)
        .where(
            RoundProposal.id == proposal_id,
            RoundProposal.round_id == round_id,
            RoundProposal.author_id == author_id,
            RoundProposal.removed.is_(False),
        )
        .values(removed=True)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


async def round_counts(session: AsyncSession, round_id: int) -> tuple[int, int]:
    """(proposals, people who made them) of the round, removed ones left out."""
    row = (
        await session.execute(
            select(func.count(RoundProposal.id), func.count(func.distinct(RoundProposal.author_id))).where(
                RoundProposal.round_id == round_id, RoundProposal.removed.is_(False)
            )
        )
    ).one()
    return int(row[0]), int(row[1])


async def claim_round_base_update(
    session: AsyncSession, *, round_id: int, shown: str, not_since: dt.datetime, now: dt.datetime
) -> bool:
    """Take the right to update the round's shared card now: only if it shows something else than `shown` and
    was not updated after `not_since`. One conditional UPDATE, so across instances exactly one caller wins."""
    result = await session.execute(
        update(Round)
        .where(
            Round.id == round_id,
            Round.base_shown != shown,
            (Round.base_updated_at.is_(None)) | (Round.base_updated_at <= not_since),
        )
        .values(base_shown=shown, base_updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


async def overdue_rounds(session: AsyncSession, *, opened_before: dt.datetime) -> list[int]:
    rows = await session.scalars(
        select(Round.id).where(Round.status == RoundStatus.OPEN, Round.opened_at <= opened_before).order_by(Round.id)
    )
    return list(rows.all())


async def set_proposal_forwarded(session: AsyncSession, *, proposal_id: int, text: str, entry_id: int) -> None:
    await session.execute(
        update(RoundProposal)
        .where(RoundProposal.id == proposal_id)
        .values(forwarded_text=text, entry_id=entry_id)
        .execution_options(synchronize_session=False)
    )


_UNFORWARDED_PROPOSALS = (
    select(RoundProposal)
    .join(Round, RoundProposal.round_id == Round.id)
    .where(
        RoundProposal.author_id == bindparam("author_id"),
        RoundProposal.removed.is_(False),
        RoundProposal.entry_id.is_(None),
        Round.status == RoundStatus.FORWARDED,
    )
    .options(selectinload(RoundProposal.round))
    .order_by(RoundProposal.id.desc())
)


async def unforwarded_proposals_of(session: AsyncSession, author_id: int) -> list[RoundProposal]:
    """The author's proposals from forwarded rounds that the starter did not send on (for `mine`)."""
    return list((await session.scalars(_UNFORWARDED_PROPOSALS, {"author_id": author_id})).all())


# --- Rounds reached by typing (the action table) ----------------------------------------------------------------


async def open_rounds(session: AsyncSession) -> list[Round]:
    """Every open round (a handful at any time), for `forslag` typed in the personal chat."""
    found = await session.scalars(select(Round).where(Round.status == RoundStatus.OPEN).options(*_ROUND_LOADS))
    return list(found)


async def last_closed_round(session: AsyncSession, *, starter_id: int, conversation_id: str | None) -> Round | None:
    """The starter's most recently closed round not yet sent on (in that chat, when given), for `møde send`."""
    query = select(Round).where(Round.starter_id == starter_id, Round.status == RoundStatus.CLOSED)
    if conversation_id is not None:
        query = query.where(Round.conversation_id == conversation_id)
    return await session.scalar(query.order_by(Round.closed_at.desc(), Round.id.desc()).limit(1).options(*_ROUND_LOADS))
