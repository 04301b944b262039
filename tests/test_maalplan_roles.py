"""The målplan year's roles and dates (issue 20): Chefforum members and tovholdere from the organisation file,
the tovholder acting as the chef on their målplan's entries (and only there), and the årshjul's phase ends."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.vocabulary import Action, EntryKind, EntryStatus, Role
from domain import aarshjul, approvals
from domain.actor import Actor
from domain.entries import TegnData
from domain.export import allowed_maalplaner
from domain.policy import EntryFacts, acts_as_chef, policy_for
from domain.workflow import decide_on, submit
from storage import repo
from storage.models import CalendarDate, Maalplan, Unit
from storage.orgfile import OrgFileError, import_file, import_org, parse

DEMO = Path(__file__).resolve().parents[1] / "demo" / "organisation.yaml"
ROUTE = (Role.LEDER, Role.CHEF)
# Units: 3 = an arbejdsplads, under 2 = its afdeling; 4 = another arbejdsplads in the same afdeling.
PATH = (3, 2, 1)
TOVHOLDER = Actor(20, roles=frozenset({(Role.TOVHOLDER, 3)}))
OTHER_TOVHOLDER = Actor(21, roles=frozenset({(Role.TOVHOLDER, 4)}))
CHEF = Actor(13, roles=frozenset({(Role.CHEF, 2)}))


def at_chef(kind: EntryKind | None) -> EntryFacts:
    return EntryFacts(EntryStatus.PENDING, 1, 10, PATH, kind)


def test_a_tovholder_acts_as_the_chef_on_their_maalplans_entries_only() -> None:
    for kind in (EntryKind.TEGN, EntryKind.LAERING):
        assert acts_as_chef(TOVHOLDER, at_chef(kind))
        decisions = policy_for(ROUTE, at_chef(kind), TOVHOLDER).decisions
        assert decisions == (Action.APPROVE, Action.SEND_BACK, Action.REJECT)
        assert policy_for(ROUTE, at_chef(kind), TOVHOLDER).may_see
        assert not acts_as_chef(OTHER_TOVHOLDER, at_chef(kind)), "another unit's målplan"
        assert not policy_for(ROUTE, at_chef(kind), OTHER_TOVHOLDER).is_my_turn
        assert not policy_for(ROUTE, EntryFacts(EntryStatus.PENDING, 0, 10, PATH, kind), TOVHOLDER).is_my_turn, (
            "the leder's stage is not the tovholder's"
        )
    # An eksempel belongs to the grundlag, not to the målplan; an entry of unknown kind is not assumed to be one.
    assert not acts_as_chef(TOVHOLDER, at_chef(EntryKind.EKSEMPEL))
    assert not acts_as_chef(TOVHOLDER, at_chef(None))
    # The chef still is the chef, for every kind.
    assert acts_as_chef(CHEF, at_chef(EntryKind.EKSEMPEL)) and acts_as_chef(CHEF, at_chef(EntryKind.TEGN))


async def test_the_demo_file_gives_chefforum_and_a_tovholder(
    database_url: str, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await import_file(database_url, DEMO)
    async with sessionmaker() as session:
        karin = await repo.person_by_email(session, "karin.holm@albertslund.dk")
        sofie = await repo.person_by_email(session, "sofie.berg@albertslund.dk")
        assert karin is not None and sofie is not None
        assert Actor.of(karin).has_role(Role.CHEFFORUM)
        hr = await session.scalar(select(Unit.id).where(Unit.key == "hr-arbejdsmiljo"))
        assert (Role.TOVHOLDER, hr) in Actor.of(sofie).roles
        plans = await allowed_maalplaner(session, Actor.of(sofie).roles)
        assert sorted(p.title for p in plans) == [
            "Målplan 2026 – HR og Arbejdsmiljø",
            "Målplan 2026 – Herstedlund Skole",
        ], "a tovholder exports their målplan (beside her own unit's, as its leder)"
        keys = set((await session.scalars(select(CalendarDate.key))).all())
        assert set(aarshjul.KEYS) <= keys


async def test_a_tovholder_gets_the_card_and_approves(
    database_url: str, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """Ahmed is made tovholder of Kirkebjerg's målplan: after Lars recommends Mette's tegn, it waits for Karin (the
    chef) and Ahmed alike; Ahmed approves it. Herstedlund's entries are not his."""
    text = DEMO.read_text(encoding="utf-8").replace(
        "    title: Målplan 2026 – Dagtilbud Kirkebjerg\n",
        "    title: Målplan 2026 – Dagtilbud Kirkebjerg\n    tovholdere: [Ahmed.Khan@albertslund.dk]\n",
    )
    async with sessionmaker.begin() as session:
        await import_org(session, parse(text))
    async with sessionmaker.begin() as session:
        people = {
            name: await repo.person_by_email(session, f"{name}@albertslund.dk")
            for name in ("mette.hansen", "lars.mikkelsen", "karin.holm", "ahmed.khan", "sofie.berg")
        }
        actors = {name.split(".")[0]: Actor.of(p) for name, p in people.items() if p is not None}
        mette = actors["mette"]
        assert mette.unit_id is not None
        [maal, *_] = await repo.maal_for_units(session, [mette.unit_id], 2026)
        entry, _ = await submit(
            session,
            actor=mette,
            kind=EntryKind.TEGN,
            unit_id=mette.unit_id,
            maal_id=maal.id,
            data=TegnData(tegn="Flere børn fortæller selv om weekenden"),
            idempotency_key="tovholder-1",
        )
        assert await approvals.waiting(session, actors["ahmed"]) == []
        decided = await decide_on(
            session, actor=actors["lars"], entry_id=entry.id, action=Action.RECOMMEND, seen_version=1
        )
        assert {p.display_name for p in await approvals.approvers(session, decided.entry)} == {
            "Karin Holm",
            "Ahmed Khan",
        }
        assert await approvals.waiting(session, actors["ahmed"]) == [entry.id]
        approved = await decide_on(
            session, actor=actors["ahmed"], entry_id=entry.id, action=Action.APPROVE, seen_version=2
        )
        assert approved.new and approved.entry.status is EntryStatus.APPROVED
        assert await approvals.waiting(session, actors["sofie"]) == []
        plans = await allowed_maalplaner(session, actors["ahmed"].roles)
        assert [p.title for p in plans] == ["Målplan 2026 – Dagtilbud Kirkebjerg"]
        assert await session.scalar(select(Maalplan.id).where(Maalplan.title.like("%Herstedlund%"))) not in {
            p.id for p in plans
        }


def test_a_tovholder_must_be_a_person_in_the_file() -> None:
    text = DEMO.read_text(encoding="utf-8").replace(
        "tovholdere: [sofie.berg@albertslund.dk]", "tovholdere: [ukendt@albertslund.dk]"
    )
    with pytest.raises(OrgFileError, match=re.escape("tovholder 'ukendt@albertslund.dk' is not in `people`")):
        parse(text)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def test_phase_ends_from_the_sheet_deadlines_else_the_udviklingsdage() -> None:
    del_1, del_2 = (d("2025-12-04"), d("2026-01-14")), (d("2026-01-15"), d("2026-03-31"))
    by_periods = aarshjul.Phases.of({aarshjul.DEL_1: del_1, aarshjul.DEL_2: del_2})
    assert by_periods.ends == (d("2025-12-03"), d("2026-01-14"), d("2026-03-31"))
    assert [by_periods.index(d(x)) for x in ("2025-12-03", "2025-12-04", "2026-01-15", "2026-04-01")] == [0, 1, 2, 3]
    deadline = (d("2025-12-21"), d("2025-12-21"))
    with_sheet = aarshjul.Phases.of({aarshjul.DEL_1: del_1, aarshjul.DEL_2: del_2, "ark-under-del-1": deadline})
    assert with_sheet.index(d("2025-12-21")) == 1 and with_sheet.index(d("2025-12-22")) == 2
    assert aarshjul.Phases.of({}).index(d("2026-06-01")) == 0, "no årshjul: everything on FØR"
