"""Whose turn it is, the approval inbox, and the notifications a decision leaves behind."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.people import Me
from domain.proposals import route_of
from domain.workflow import Actor, EntryState, is_turn_of
from storage import repo
from storage.models import Entry, EntryStatus, Notification, NotificationStatus, Person, Role, RoleAssignment

APPROVAL = "approval"
DECISION = "decision"


def state_of(entry: Entry, unit_path: tuple[int, ...]) -> EntryState:
    return EntryState(EntryStatus(entry.status), entry.stage, entry.owner_id, unit_path)


async def approvers(session: AsyncSession, entry: Entry) -> list[Person]:
    """The people whose turn it is to decide on a pending entry (a leder and a deputy, say)."""
    if entry.status != EntryStatus.PENDING.value:
        return []
    route = await route_of(session, entry.kind)
    if entry.stage >= len(route):
        return []
    role = route[entry.stage]
    path = repo.unit_path(await repo.all_units(session), entry.unit_id)
    candidates: list[int | None] = [None] if role == Role.INDSAMLER.value else list(path)
    people = await repo.persons_holding(session, role, candidates)
    roles = await _roles_by_person(session, [p.id for p in people])
    state = state_of(entry, path)
    return [p for p in people if is_turn_of(route, state, Actor(p.id, roles.get(p.id, frozenset())))]


async def _roles_by_person(session: AsyncSession, ids: Sequence[int]) -> dict[int, frozenset[tuple[str, int | None]]]:
    rows = (await session.execute(select(RoleAssignment).where(RoleAssignment.person_id.in_(ids)))).scalars().all()
    result: dict[int, set[tuple[str, int | None]]] = {}
    for row in rows:
        result.setdefault(row.person_id, set()).add((row.role, row.unit_id))
    return {k: frozenset(v) for k, v in result.items()}


async def is_my_turn(session: AsyncSession, entry: Entry, me: Me) -> bool:
    route = await route_of(session, entry.kind)
    path = repo.unit_path(await repo.all_units(session), entry.unit_id)
    return is_turn_of(route, state_of(entry, path), me.actor)


async def may_view(session: AsyncSession, entry: Entry, me: Me) -> bool:
    """Who may see an entry's card: its owner and colleagues in its unit, the leder and chef above it, the
    indsamler and administrators. A crafted refresh for someone else's entry gets nothing."""
    if entry.owner_id == me.person_id or me.unit_id == entry.unit_id:
        return True
    if me.has_role(Role.INDSAMLER) or me.has_role(Role.ADMINISTRATOR):
        return True
    path = repo.unit_path(await repo.all_units(session), entry.unit_id)
    return any(role in (Role.LEDER.value, Role.CHEF.value) and unit_id in path for role, unit_id in me.roles)


async def inbox(session: AsyncSession, me: Me) -> list[Entry]:
    """Pending entries waiting for this person, oldest first."""
    if not any(role in (Role.LEDER.value, Role.CHEF.value, Role.INDSAMLER.value) for role, _ in me.roles):
        return []
    units = await repo.all_units(session)
    routes = {kind: await route_of(session, kind) for kind in ("tegn", "laering", "eksempel")}
    return [
        entry
        for entry in await repo.pending_entries(session)
        if is_turn_of(routes[entry.kind], state_of(entry, repo.unit_path(units, entry.unit_id)), me.actor)
    ]


async def notify_after(session: AsyncSession, entry: Entry, *, actor_id: int) -> list[int]:
    """Queue what a submission or decision owes people: the next approvers' cards and the owner's news.

    Returns the notification ids, for the caller to deliver after it has answered the user.
    """
    notifications: list[Notification] = []
    for person in await approvers(session, entry):
        if person.id != actor_id:
            notifications.append(Notification(person_id=person.id, entry_id=entry.id, kind=APPROVAL))
    if entry.owner_id != actor_id:
        notifications.append(Notification(person_id=entry.owner_id, entry_id=entry.id, kind=DECISION))
    session.add_all(notifications)
    await session.flush()
    return [n.id for n in notifications]


def _undelivered(person_id: int) -> Any:
    return select(Notification).where(
        Notification.person_id == person_id,
        Notification.kind == APPROVAL,
        Notification.status == NotificationStatus.UNDELIVERED.value,
    )


async def has_undelivered(session: AsyncSession, person_id: int) -> bool:
    return await session.scalar(_undelivered(person_id).limit(1)) is not None


async def undelivered_count(session: AsyncSession, person_id: int) -> int:
    """Approval cards that could not reach this person; they are told about them once, when they next write."""
    rows = (await session.scalars(_undelivered(person_id))).all()
    for row in rows:
        row.status = NotificationStatus.TOLD.value
    return len(rows)
