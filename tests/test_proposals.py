"""Entries on both databases: idempotent submission, racing decisions (exactly one), identity on first contact."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.vocabulary import EntryKind, EntryStatus, Role
from domain.actor import Actor
from domain.entries import TegnData
from domain.people import identify
from domain.workflow import Action, Decided, NotAllowed, Result, decide_on, submit
from storage import repo
from storage.models import Decision, Entry
from storage.orgfile import import_file

DEMO = Path(__file__).resolve().parents[1] / "demo" / "organisation.yaml"


async def actor(session: AsyncSession, email: str) -> Actor:
    person = await repo.person_by_email(session, email)
    assert person is not None
    return Actor.of(person)


@pytest.fixture
async def demo(database_url: str) -> str:
    await import_file(database_url, DEMO)
    return database_url


async def submit_tegn(
    sessionmaker: async_sessionmaker[AsyncSession], key: str, email: str = "mette.hansen@albertslund.dk"
):
    async with sessionmaker.begin() as session:
        owner = await actor(session, email)
        assert owner.unit_id is not None
        [maal, *_] = await repo.maal_for_units(session, [owner.unit_id], 2026)
        return await submit(
            session,
            actor=owner,
            kind=EntryKind.TEGN,
            unit_id=owner.unit_id,
            maal_id=maal.id,
            data=TegnData(tegn="Flere forældre spørger ind til, hvad deres barn har leget"),
            idempotency_key=key,
        )


async def count(session: AsyncSession, model: type) -> int:
    return await session.scalar(select(func.count()).select_from(model)) or 0


async def test_the_same_submission_twice_is_one_entry(demo: str, sessionmaker) -> None:
    first, created = await submit_tegn(sessionmaker, "card-123")
    again, created_again = await submit_tegn(sessionmaker, "card-123")
    assert created and not created_again
    assert again.id == first.id
    async with sessionmaker() as session:
        assert await count(session, Entry) == 1
        assert await count(session, Decision) == 1  # the submission itself


async def test_concurrent_duplicate_submissions_store_one_entry(demo: str, sessionmaker) -> None:
    results = await asyncio.gather(*(submit_tegn(sessionmaker, "double-click") for _ in range(4)))
    assert len({entry.id for entry, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    async with sessionmaker() as session:
        assert await count(session, Entry) == 1


async def test_a_leders_own_tegn_goes_straight_to_the_chef(demo: str, sessionmaker) -> None:
    entry, _ = await submit_tegn(sessionmaker, "leder-own", email="lars.mikkelsen@albertslund.dk")
    assert entry.status == EntryStatus.PENDING
    assert entry.stage == 1


async def decide_as(
    sessionmaker, email: str, entry_id: int, action: Action, version: int, comment: str = ""
) -> Decided:
    async with sessionmaker.begin() as session:
        return await decide_on(
            session,
            actor=await actor(session, email),
            entry_id=entry_id,
            action=action,
            seen_version=version,
            comment=comment,
        )


async def test_two_people_acting_at_once_make_exactly_one_decision(demo: str, sessionmaker) -> None:
    entry, _ = await submit_tegn(sessionmaker, "race")
    # Two deputies with the leder role for the same unit act on the same version at the same moment.
    async with sessionmaker.begin() as session:
        sofie = await repo.person_by_email(session, "sofie.berg@albertslund.dk")
        assert sofie is not None
        from storage.models import RoleAssignment

        session.add(RoleAssignment(person_id=sofie.id, role=Role.LEDER, unit_id=entry.unit_id))

    outcomes = await asyncio.gather(
        decide_as(sessionmaker, "lars.mikkelsen@albertslund.dk", entry.id, Action.RECOMMEND, entry.version),
        decide_as(sessionmaker, "sofie.berg@albertslund.dk", entry.id, Action.SEND_BACK, entry.version, "Uddyb"),
    )
    winners = [o for o in outcomes if o.result is Result.NEW]
    losers = [o for o in outcomes if o.result is Result.ALREADY_DECIDED]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    assert losers[0].entry.decisions[-1].actor_id == winners[0].entry.decisions[-1].actor_id
    assert losers[0].entry.version == entry.version + 1
    async with sessionmaker() as session:
        decisions = (await session.scalars(select(Decision).where(Decision.entry_id == entry.id))).all()
        assert [d.action for d in decisions] == [Action.SUBMIT, winners[0].entry.decisions[-1].action]


async def test_repeating_a_decision_returns_it_without_a_second_row(demo: str, sessionmaker) -> None:
    entry, _ = await submit_tegn(sessionmaker, "retry")
    first = await decide_as(sessionmaker, "lars.mikkelsen@albertslund.dk", entry.id, Action.RECOMMEND, entry.version)
    again = await decide_as(sessionmaker, "lars.mikkelsen@albertslund.dk", entry.id, Action.RECOMMEND, entry.version)
    assert first.result is Result.NEW and again.result is Result.REPEAT
    assert again.entry.version == first.entry.version
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).where(Decision.entry_id == entry.id)) == 2


async def test_the_whole_route_and_a_refusal(demo: str, sessionmaker) -> None:
    entry, _ = await submit_tegn(sessionmaker, "route")
    with pytest.raises(NotAllowed, match="not_your_turn"):
        await decide_as(sessionmaker, "karin.holm@albertslund.dk", entry.id, Action.APPROVE, entry.version)
    recommended = await decide_as(sessionmaker, "lars.mikkelsen@albertslund.dk", entry.id, Action.RECOMMEND, 1)
    approved = await decide_as(
        sessionmaker, "karin.holm@albertslund.dk", entry.id, Action.APPROVE, recommended.entry.version
    )
    assert approved.entry.status == EntryStatus.APPROVED
    assert [d.action for d in approved.entry.decisions] == [Action.SUBMIT, Action.RECOMMEND, Action.APPROVE]
    assert [d.actor.display_name for d in approved.entry.decisions] == ["Mette Hansen", "Lars Mikkelsen", "Karin Holm"]


async def test_identify_matches_by_email_on_first_contact_and_remembers(demo: str, sessionmaker) -> None:
    lookups = 0

    async def lookup() -> str:
        nonlocal lookups
        lookups += 1
        return "Ahmed.Khan@albertslund.dk"

    async with sessionmaker.begin() as session:
        person = await identify(session, aad_object_id="new-aad-id", display_name="Ahmed Khan", lookup_email=lookup)
        assert person.email == "ahmed.khan@albertslund.dk" and person.unit_id is not None
    async with sessionmaker.begin() as session:
        again = await identify(session, aad_object_id="new-aad-id", display_name="Ahmed Khan", lookup_email=lookup)
        assert again.id == person.id
    assert lookups == 1


async def test_an_unknown_person_can_still_take_part(demo: str, sessionmaker) -> None:
    async def lookup() -> None:
        return None

    async with sessionmaker.begin() as session:
        person = await identify(session, aad_object_id="guest", display_name="Gæst Gæstesen", lookup_email=lookup)
        assert person.unit_id is None and person.roles == []
