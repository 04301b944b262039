"""People and the organisation: persons, units, roles, and one turn's sender in one statement."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, ClassVar, NamedTuple

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from core.vocabulary import NotificationKind, NotificationStatus, Role, UnitKind
from storage.models import BotStateItem, ConversationRef, Notification, Person, RoleAssignment, Unit

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


async def people_by_id(session: AsyncSession, person_ids: Sequence[int]) -> dict[int, Person]:
    rows = await session.scalars(select(Person).where(Person.id.in_(person_ids)).options(selectinload(Person.roles)))
    return {p.id: p for p in rows.all()}


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
