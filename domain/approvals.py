"""Whose turn it is, the approval inbox, and the notifications a submission or decision leaves behind."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from domain.actor import Actor
from domain.policy import policy_for
from domain.vocabulary import DECIDING_ROLES, EntryKind, EntryStatus, NotificationKind, Role
from domain.workflow import facts_of, route_of
from storage import repo
from storage.models import Entry, Notification, Person


async def approvers(session: AsyncSession, entry: Entry) -> list[Person]:
    """The people whose turn it is to decide on a pending entry (a leder and a deputy, say)."""
    if entry.status is not EntryStatus.PENDING:
        return []
    route = await route_of(session, entry.kind)
    if entry.stage >= len(route):
        return []
    role = route[entry.stage]
    facts = await facts_of(session, entry)
    candidates: list[int | None] = [None] if role is Role.INDSAMLER else list(facts.unit_path)
    people = await repo.persons_holding(session, role, candidates)
    roles = await repo.roles_by_person(session, [p.id for p in people])
    return [
        p
        for p in people
        if policy_for(route, facts, Actor(p.id, p.display_name, p.unit_id, roles.get(p.id, frozenset()))).is_my_turn
    ]


async def inbox(session: AsyncSession, actor: Actor) -> list[Entry]:
    """Pending entries waiting for this person, oldest first."""
    if not any(role in DECIDING_ROLES for role, _ in actor.roles):
        return []
    routes = {kind: await route_of(session, kind) for kind in EntryKind}
    return [
        entry
        for entry in await repo.pending_entries(session)
        if policy_for(routes[entry.kind], await facts_of(session, entry), actor).is_my_turn
    ]


async def notify_after(session: AsyncSession, entry: Entry, *, actor_id: int) -> list[int]:
    """Queue what a submission or decision owes people: the next approvers' cards and the owner's news.

    Returns the notification ids, for the caller to deliver after it has answered the user.
    """
    notifications = [
        Notification(person_id=person.id, entry_id=entry.id, kind=NotificationKind.APPROVAL)
        for person in await approvers(session, entry)
        if person.id != actor_id
    ]
    if entry.owner_id != actor_id:
        notifications.append(Notification(person_id=entry.owner_id, entry_id=entry.id, kind=NotificationKind.DECISION))
    return await repo.add_notifications(session, notifications)
