"""Every mål covered at the size of a municipality: one afdeling with 150 arbejdspladser, 600 mål, thousands of
entries. The chef's view comes in pages that each fit Teams' limit and together show every unit; Chefforum's view
and its drill-downs fit too; the counts match the database; and the coverage is a handful of statements, however
many units and mål (no statement per mål)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app import create_app
from cards import texts
from cards.base import MAX_CARD_BYTES
from core.vocabulary import EntryKind, EntryStatus, Role
from domain import clock, coverage, overview
from domain.policy import OverviewRole, OverviewScope
from storage.db import create_engine, create_sessionmaker
from storage.models import Entry, Maal, Maalplan, Person, Proevehandling, RoleAssignment
from testkit import activities
from testkit.connector import Member, RecordingConnector, Sent, only
from tests import conftest
from tests.cardtext import actions, card_texts
from tests.conftest import BotUnderTest
from tests.large_org import ARBEJDSPLADS_NAME, LargeOrg, seed_large_org
from tests.test_overview_scale import WIRE_LIMIT, StatementCounter, wire_size

UNITS = 150
MAAL_PER_UNIT = 4
MAALSAETNINGER = [
    f"Målsætning {n}: alle børn og unge i Albertslund skal trives, lære og være en del af fællesskabet (Æ-Ø)"
    for n in range(6)
]
# A long mål title, so that the cards are measured at their worst.
MAAL_TITLE = "Flere børn og unge har et alderssvarende sprog og trives i fællesskabet, nr. {n} – " + "æøå " * 40
NOW = dt.datetime(2026, 11, 16, 9, 30, tzinfo=clock.COPENHAGEN).astimezone(dt.UTC)
STATUSES = (EntryStatus.APPROVED, EntryStatus.PENDING, EntryStatus.REJECTED, EntryStatus.SENT_BACK)


async def seed_maalplaner(sessionmaker: async_sessionmaker[AsyncSession], org: LargeOrg, entries: int) -> None:
    """A 2026 målplan for every arbejdsplads (and an older 2025 one for the first, which must not count), four mål
    each; every third mål without prøvehandlinger, every fifth without entries."""
    async with sessionmaker.begin() as session:
        plans = [
            {"unit_id": unit_id, "year": 2026, "title": f"Målplan 2026 – {n}"}
            for n, unit_id in enumerate(org.arbejdsplads_ids)
        ]
        plans.append({"unit_id": org.arbejdsplads_ids[0], "year": 2025, "title": "Målplan 2025"})
        await session.execute(insert(Maalplan), plans)
        plan_ids = list((await session.scalars(select(Maalplan.id).order_by(Maalplan.id))).all())
        maal_values = [
            {
                "maalplan_id": plan_id,
                "key": f"m{m}",
                "position": m,
                "title": MAAL_TITLE.format(n=p * MAAL_PER_UNIT + m),
                "maalsaetning": MAALSAETNINGER[(p * MAAL_PER_UNIT + m) % len(MAALSAETNINGER)],
                "politik": "",
                "description": "",
            }
            for p, plan_id in enumerate(plan_ids)
            for m in range(MAAL_PER_UNIT)
        ]
        await session.execute(insert(Maal), maal_values)
        rows = (await session.execute(select(Maal.id, Maalplan.unit_id, Maalplan.year).join(Maalplan))).all()
        await session.execute(
            insert(Proevehandling),
            [
                {"maal_id": maal_id, "key": f"ph{k}", "position": k, "title": f"Prøvehandling {k}", "description": ""}
                for maal_id, _unit, _year in rows
                if maal_id % 3
                for k in range(maal_id % 3)
            ],
        )
        owner = org.leder_ids[0]
        covered = [(maal_id, unit_id) for maal_id, unit_id, _year in rows if maal_id % 5]
        start = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
        batch = []
        for n in range(entries):
            maal_id, unit_id = covered[n % len(covered)]
            kind = EntryKind.TEGN if n % 3 else EntryKind.LAERING
            data = {"tegn": f"Tegn {n}"} if kind is EntryKind.TEGN else {"laering": f"L {n}", "evaluering": "undervejs"}
            batch.append(
                {
                    "kind": kind,
                    "owner_id": owner,
                    "unit_id": unit_id,
                    "maal_id": maal_id,
                    "data": data,
                    "status": STATUSES[(n // 7) % len(STATUSES)],
                    "stage": 0,
                    "version": 1,
                    "idempotency_key": f"cov-{n}",
                    "created_at": start + dt.timedelta(minutes=n),
                    "updated_at": start + dt.timedelta(minutes=n),
                }
            )
        await session.execute(insert(Entry), batch)


@pytest.fixture
async def big_afdeling(sqlite_url: str, connector: RecordingConnector) -> AsyncIterator[tuple[BotUnderTest, LargeOrg]]:
    engine = create_engine(sqlite_url)
    try:
        sessionmaker = create_sessionmaker(engine)
        org = await seed_large_org(sessionmaker, afdelinger=1, arbejdspladser=UNITS, entries=0)
        await seed_maalplaner(sessionmaker, org, entries=6000)
        async with sessionmaker.begin() as session:
            for person_id, user in ((org.chef_ids[0], activities.KARIN), (org.leder_ids[0], activities.LARS)):
                await session.execute(
                    update(Person).where(Person.id == person_id).values(aad_object_id=user.aad_object_id)
                )
            session.add(RoleAssignment(person_id=org.chef_ids[0], role=Role.CHEFFORUM, unit_id=None))
    finally:
        await engine.dispose()
    for user in (activities.KARIN, activities.LARS):
        connector.add_member(Member(user.id, user.name, user.aad_object_id, user.email))
    settings = conftest.test_settings(sqlite_url)
    async with TestClient(TestServer(create_app(settings))) as client:
        yield BotUnderTest(client, connector, settings), org


def utf16_bytes(sent: Sent) -> int:
    """The card as cards.base.utf16_size counts it; and the message on the wire stays under 40 KB."""
    assert wire_size(sent) < WIRE_LIMIT, f"{wire_size(sent)} bytes on the wire"
    return len(json.dumps(sent.cards[0], ensure_ascii=False).encode("utf-16-le"))


def has_button(sent: Sent, title: str) -> bool:
    return any(a.get("title") == title for a in actions(sent.cards[0]))


async def expected_unit_line(bot: BotUnderTest, unit_id: int) -> str:
    """The unit's coverage line, counted in the database: its 2026 mål, those without an approved tegn, those
    without prøvehandlinger."""
    maal = select(Maal.id).join(Maalplan).where(Maalplan.unit_id == unit_id, Maalplan.year == 2026)
    [(total,)] = await bot.query(select(func.count()).select_from(maal.subquery()))
    with_tegn = select(Entry.maal_id).where(Entry.kind == EntryKind.TEGN, Entry.status == EntryStatus.APPROVED)
    [(no_tegn,)] = await bot.query(select(func.count()).where(Maal.id.in_(maal), Maal.id.not_in(with_tegn)))
    [(no_ph,)] = await bot.query(
        select(func.count()).where(Maal.id.in_(maal), Maal.id.not_in(select(Proevehandling.maal_id)))
    )
    return texts.OVERSIGT_COVERAGE_UNIT.format(maal=total, no_tegn=no_tegn, no_ph=no_ph)


async def test_the_chefs_150_units_come_in_pages_that_fit_and_count_right(
    big_afdeling: tuple[BotUnderTest, LargeOrg], capsys: pytest.CaptureFixture[str]
) -> None:
    bot, org = big_afdeling
    karin = activities.KARIN
    names = {ARBEJDSPLADS_NAME.format(n=p + 1): unit_id for p, unit_id in enumerate(org.arbejdsplads_ids)}
    seen: list[str] = []
    sizes = []
    with clock.frozen(NOW):
        page = only(await bot.say("oversigt", user=karin))
        assert texts.OVERSIGT_PAGE_UNITS.format(first=1, last=15, total=UNITS) in card_texts(page.cards[0])
        while True:
            shown = card_texts(page.cards[0])
            sizes.append(utf16_bytes(page))
            assert utf16_bytes(page) < MAX_CARD_BYTES
            on_page = [name for name in names if name in shown]
            seen += on_page
            for name in on_page[:2]:
                assert await expected_unit_line(bot, names[name]) in shown, name
            if not has_button(page, texts.OVERSIGT_NEXT):
                break
            page = only(await bot.click(page, texts.OVERSIGT_NEXT, user=karin))
        assert sorted(seen) == sorted(names), "every unit once, no cap"
        # The drill-down of the last unit on the last page, and back to that page.
        last = seen[-1]
        unit = only(await bot.click(page, texts.OVERSIGT_UNIT_OPEN.format(unit=last), user=karin))
        assert utf16_bytes(unit) < MAX_CARD_BYTES
        assert await expected_unit_line(bot, names[last]) in card_texts(unit.cards[0])
        back = only(await bot.click(unit, texts.OVERSIGT_BACK, user=karin))
        assert last in card_texts(back.cards[0])
    with capsys.disabled():
        print(f"\nchef's pages at {UNITS} units: {len(sizes)} pages, largest {max(sizes)} bytes (UTF-16)")


async def test_chefforum_across_150_units_fits_and_counts_right(big_afdeling: tuple[BotUnderTest, LargeOrg]) -> None:
    bot, _org = big_afdeling
    karin = activities.KARIN
    home = only(await bot.say("oversigt", user=karin))
    across = only(await bot.click(home, texts.OVERSIGT_ACROSS_BUTTON, user=karin))
    assert utf16_bytes(across) < MAX_CARD_BYTES
    [(no_ph,)] = await bot.query(
        select(func.count())
        .select_from(Maal)
        .join(Maalplan)
        .where(Maalplan.year == 2026, Maal.id.not_in(select(Proevehandling.maal_id)))
    )
    approved = select(Entry.maal_id).where(Entry.kind == EntryKind.TEGN, Entry.status == EntryStatus.APPROVED)
    [(no_tegn,)] = await bot.query(
        select(func.count()).select_from(Maal).join(Maalplan).where(Maalplan.year == 2026, Maal.id.not_in(approved))
    )
    intro = texts.OVERSIGT_ACROSS_INTRO.format(maal=UNITS * MAAL_PER_UNIT, no_tegn=no_tegn, no_ph=no_ph)
    assert intro in card_texts(across.cards[0]), "the 2025 målplan does not count"
    for nth, _maalsaetning in enumerate(MAALSAETNINGER):
        page = only(await bot.click(across, texts.OVERSIGT_MAALSAETNING_OPEN, user=karin, nth=nth))
        pages = 1
        while True:
            assert utf16_bytes(page) < MAX_CARD_BYTES
            if not has_button(page, texts.OVERSIGT_NEXT):
                break
            page = only(await bot.click(page, texts.OVERSIGT_NEXT, user=karin))
            pages += 1
        assert pages == 7, "100 mål per målsætning, 15 a page"


async def test_coverage_is_a_handful_of_statements_at_scale(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = create_engine(database_url)
    try:
        sessionmaker = create_sessionmaker(engine)
        org = await seed_large_org(sessionmaker, afdelinger=1, arbejdspladser=UNITS, entries=0)
        await seed_maalplaner(sessionmaker, org, entries=20_000)
        chef = OverviewScope(OverviewRole.CHEF, frozenset(org.afdeling_ids))
        views: dict[str, Any] = {
            "across": lambda s: coverage.across(s),
            "all units": lambda s: coverage.unit_coverage(s, org.arbejdsplads_ids),
            "chef page": lambda s: overview.manager_overview(s, chef, deadline_keys=[], today=NOW.date()),
        }
        statements: dict[str, int] = {}
        for name, build in views.items():
            counter = StatementCounter(engine)
            async with sessionmaker() as session:
                found = await build(session)
            counter.stop()
            statements[name] = counter.statements
            if name == "across":
                assert sum(len(g.maal) for g in found) == UNITS * MAAL_PER_UNIT
        # SQLite's BEGIN, the units, the mål with their prøvehandlinger, the entries by mål, kind and status.
        assert statements["across"] <= 4 and statements["all units"] <= 4, statements
        assert statements["chef page"] <= 14, statements
        async with sessionmaker() as session:
            found_units = await coverage.unit_coverage(session, org.arbejdsplads_ids)
            counted = sum(m.tegn_approved + m.tegn_pending for u in found_units.values() for m in u.maal)
            [(in_table,)] = (
                await session.execute(
                    select(func.count())
                    .select_from(Entry)
                    .join(Maal)
                    .join(Maalplan)
                    .where(
                        Maalplan.year == 2026,
                        Entry.kind == EntryKind.TEGN,
                        Entry.status.in_([EntryStatus.APPROVED, EntryStatus.PENDING]),
                    )
                )
            ).all()
            assert counted == in_table
    finally:
        await engine.dispose()
    with capsys.disabled():
        print(f"\ncoverage statements at {UNITS} units, 600 mål, 20,000 entries: {statements}")
