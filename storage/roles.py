"""Who holds the chef's role for a unit: the chefs of the afdelinger above it and the tovholdere of its målplan."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.vocabulary import Role
from storage.models import Person, RoleAssignment


async def chefs_and_tovholdere(session: AsyncSession, unit_path: Sequence[int]) -> list[Person]:
    """In one statement: the people holding the chef role anywhere on the unit's path (the unit first), and the
    tovholdere of the unit's målplan (their role is held for the unit itself)."""
    if not unit_path:
        return []
    query = (
        select(Person)
        .join(RoleAssignment, RoleAssignment.person_id == Person.id)
        .where(
            or_(
                and_(RoleAssignment.role == Role.CHEF, RoleAssignment.unit_id.in_(list(unit_path))),
                and_(RoleAssignment.role == Role.TOVHOLDER, RoleAssignment.unit_id == unit_path[0]),
            )
        )
        .order_by(Person.id)
        .distinct()
    )
    return list((await session.scalars(query)).all())
