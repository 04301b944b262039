"""Who the user is: finding a Teams user in the organisation, and which units they may propose for."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from core.vocabulary import Role, UnitKind
from domain.actor import Actor
from storage import repo
from storage.models import Person


async def identify(
    session: AsyncSession,
    *,
    aad_object_id: str,
    display_name: str,
    lookup_email: Callable[[], Awaitable[str | None]],
) -> Person:
    """Find the person behind a Teams user; on first contact match the organisation file by e-mail.

    `lookup_email` asks Teams for the user's e-mail/UPN; it is only called for a user we have not seen.
    An unknown person is created without a unit: they can still take part as a medarbejder.
    """
    person = await repo.person_by_aad(session, aad_object_id)
    if person is not None:
        return person
    email = await lookup_email()
    if email:
        person = await repo.person_by_email(session, email)
        if person is not None:
            person.aad_object_id = aad_object_id
            await session.flush()
            return person
    return await repo.add_person(session, display_name=display_name, aad_object_id=aad_object_id, email=email)


def afdeling_of(units: repo.Units, unit_id: int) -> int:
    """The afdeling a unit belongs to (the unit itself if it is one or has no afdeling above it)."""
    for candidate in repo.unit_path(units, unit_id):
        if units[candidate].kind is UnitKind.AFDELING:
            return candidate
    return unit_id


def proposable_units(units: repo.Units, actor: Actor, *, whole_afdeling: bool) -> set[int]:
    """Units whose målplaner the user may propose for: their own unit (or, on request, their whole afdeling),
    plus the units they lead and, for a chef, every unit in their afdeling."""
    allowed: set[int] = set()
    if actor.unit_id is not None and actor.unit_id in units:
        allowed.add(actor.unit_id)
        if whole_afdeling:
            allowed |= repo.units_below(units, afdeling_of(units, actor.unit_id))
    allowed |= actor.units_with_role(Role.LEDER)
    for afdeling in actor.units_with_role(Role.CHEF):
        allowed |= repo.units_below(units, afdeling)
    return allowed


async def set_unit(session: AsyncSession, *, person_id: int, unit_id: int) -> None:
    person = await repo.person_by_id(session, person_id)
    if person is not None:
        person.unit_id = unit_id
        await session.flush()
