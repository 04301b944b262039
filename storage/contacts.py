"""The people to name on a card: who decides at a stage of an entry's route, and who collects the eksempler.

Kept apart from storage.repo (queries by purpose). The rules for who holds a role match domain.actor.Actor.holds.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.vocabulary import Role
from storage.models import Person, RoleAssignment


async def deciders(session: AsyncSession, role: Role, unit_path: Sequence[int]) -> list[Person]:
    """The people holding `role` for an entry of the unit whose path (unit, parents…) is given.

    The indsamler holds her role for the whole organisation; a leder leads the entry's own unit; a chef decides for
    every unit below her afdeling, and the nearest chef above the unit is named. Asked once per (role, unit) in a
    unit of work: a page of `mine` or an inbox names the same leder or chef for many entries.
    """
    memo: dict[tuple[Role, tuple[int, ...]], list[Person]] = session.info.setdefault("styringsbot.deciders", {})
    key = (role, tuple(unit_path))
    if key not in memo:
        memo[key] = await _deciders(session, role, unit_path)
    return memo[key]


async def _deciders(session: AsyncSession, role: Role, unit_path: Sequence[int]) -> list[Person]:
    query = select(RoleAssignment.unit_id, Person).join(Person, Person.id == RoleAssignment.person_id)
    if role in (Role.INDSAMLER, Role.ADMINISTRATOR):
        query = query.where(RoleAssignment.role == role, RoleAssignment.unit_id.is_(None))
    elif role is Role.LEDER:
        query = query.where(RoleAssignment.role == role, RoleAssignment.unit_id == (unit_path[0] if unit_path else -1))
    else:
        query = query.where(RoleAssignment.role == role, RoleAssignment.unit_id.in_(unit_path))
    rows = [
        (unit_id, person) for unit_id, person in await session.execute(query.order_by(Person.display_name, Person.id))
    ]
    if role is Role.CHEF and rows:
        nearest = min(unit_path.index(unit_id) for unit_id, _ in rows if unit_id is not None)
        rows = [(unit_id, person) for unit_id, person in rows if unit_id == unit_path[nearest]]
    return [person for _, person in rows]


async def indsamlere(session: AsyncSession) -> list[Person]:
    """The people who collect the eksempler (Stinne Grønne), by name."""
    return await deciders(session, Role.INDSAMLER, ())


__all__ = ["deciders", "indsamlere"]
