"""Helpers for the domain-level tests of the approval route on the demo organisation: its people as actors, and an
entry of Mette's that Lars has recommended, so that it waits for the chef (Karin)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from core.vocabulary import Action, EntryKind
from domain.actor import Actor
from domain.entries import EntryData
from domain.workflow import decide_on, submit
from storage import repo


async def demo_actors(session: AsyncSession) -> dict[str, Actor]:
    """Mette (medarbejder), Lars (her leder) and Karin (their chef), by first name."""
    found = {}
    for name in ("mette.hansen", "lars.mikkelsen", "karin.holm"):
        person = await repo.person_by_email(session, f"{name}@albertslund.dk")
        assert person is not None
        found[name.split(".")[0]] = Actor.of(person)
    return found


@dataclass(frozen=True)
class AtTheChef:
    entry_id: int
    maal_id: int
    maalplan_id: int


async def at_the_chef(
    session: AsyncSession, actors: dict[str, Actor], kind: EntryKind, data: EntryData, *, key: str
) -> AtTheChef:
    """Mette proposes `data` on her unit's first mål of 2026 and Lars recommends it: it waits for the chef."""
    mette = actors["mette"]
    assert mette.unit_id is not None
    [maal, *_] = await repo.maal_for_units(session, [mette.unit_id], 2026)
    entry, _ = await submit(
        session, actor=mette, kind=kind, unit_id=mette.unit_id, maal_id=maal.id, data=data, idempotency_key=key
    )
    assert entry.stage == 0, "to the leder first"
    await decide_on(session, actor=actors["lars"], entry_id=entry.id, action=Action.RECOMMEND, seen_version=1)
    return AtTheChef(entry.id, maal.id, maal.maalplan_id)
