"""Whose turn it is, the approval inbox, and the notifications a submission or decision leaves behind."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from core.vocabulary import DECIDING_ROLES, EntryKind, EntryStatus, NotificationKind, Role
from domain.actor import Actor
from domain.policy import EntryFacts, policy_for
from domain.workflow import facts_of, route_of
from storage import repo, roles
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
    if role is Role.CHEF:
        # The målplan's tovholder may act as the chef (domain.policy.acts_as_chef): they get the card too.
        people = await roles.chefs_and_tovholdere(session, facts.unit_path)
    else:
        candidates: list[int | None] = [None] if role is Role.INDSAMLER else list(facts.unit_path)
        people = await repo.persons_holding(session, role, candidates)
    held = await repo.roles_by_person(session, [p.id for p in people])
    return [
        p
        for p in people
        if policy_for(route, facts, Actor(p.id, p.display_name, p.unit_id, held.get(p.id, frozenset()))).is_my_turn
    ]


async def waiting(session: AsyncSession, actor: Actor) -> list[int]:
    """The ids of the pending entries waiting for this person, oldest first.

    The database narrows the search to where it can be their turn (the route stages whose role they hold, in
    the units that role covers); the entry policy then decides, entry by entry, as everywhere else.
    """
    if not any(role in DECIDING_ROLES or role is Role.TOVHOLDER for role, _ in actor.roles):
        return []
    routes = {kind: await route_of(session, kind) for kind in EntryKind}
    units = await repo.all_units(session)
    candidates: list[repo.StageScope] = []
    for kind, route in routes.items():
        for stage, role in enumerate(route):
            scope = _units_covered(units, actor, role)
            if scope is None or scope:
                candidates.append(repo.StageScope(kind, stage, scope))
    mine = []
    for row in await repo.pending_facts(session, candidates):
        facts = EntryFacts(row.status, row.stage, row.owner_id, repo.unit_path(units, row.unit_id), row.kind)
        if policy_for(routes[row.kind], facts, actor).is_my_turn:
            mine.append(row.id)
    return mine


def _units_covered(units: repo.Units, actor: Actor, role: Role) -> set[int] | None:
    """The entry units for which `actor` holds `role` (Actor.holds); None for any unit."""
    if role is Role.LEDER:
        return actor.units_with_role(Role.LEDER)
    if role is Role.CHEF:
        chef = {u for top in actor.units_with_role(Role.CHEF) for u in repo.units_below(units, top)}
        return chef | actor.units_with_role(Role.TOVHOLDER)
    if role is Role.INDSAMLER:
        return None if actor.has_role(Role.INDSAMLER) else set()
    return None  # a role the rules may learn later: let the policy decide on every entry


async def inbox(session: AsyncSession, actor: Actor) -> list[Entry]:
    """Pending entries waiting for this person, oldest first."""
    return await repo.entries_by_ids(session, await waiting(session, actor))


async def inbox_page(session: AsyncSession, actor: Actor, limit: int) -> tuple[int, list[Entry]]:
    """How many entries wait for this person, and the oldest `limit` of them."""
    ids = await waiting(session, actor)
    return len(ids), await repo.entries_by_ids(session, ids[:limit])


async def carded(session: AsyncSession, entry: Entry) -> bool:
    """Whether the next approvers get a card for this entry. Not the indsamler for an eksempel: at hundreds of
    eksempler one card each floods her chat, so she gets one card a day saying how many arrived
    (domain.eksempel_digest) and decides in the tab, `godkend` or `eksempler` (issue 19)."""
    if entry.kind is not EntryKind.EKSEMPEL or entry.status is not EntryStatus.PENDING:
        return True
    route = await route_of(session, entry.kind)
    return entry.stage >= len(route) or route[entry.stage] is not Role.INDSAMLER


async def notify_after(session: AsyncSession, entry: Entry, *, actor_id: int) -> list[int]:
    """Queue what a submission or decision owes people: the next approvers' cards (see `carded`) and the owner's news.

    Returns the notification ids, for the caller to deliver after it has answered the user.
    """
    notifications = [
        Notification(person_id=person.id, entry_id=entry.id, kind=NotificationKind.APPROVAL)
        for person in (await approvers(session, entry) if await carded(session, entry) else [])
        if person.id != actor_id
    ]
    if entry.owner_id != actor_id:
        notifications.append(Notification(person_id=entry.owner_id, entry_id=entry.id, kind=NotificationKind.DECISION))
    return await repo.add_notifications(session, notifications)
