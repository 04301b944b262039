"""`oversigt` at the size of a whole municipality: 20 afdelinger with 150 arbejdspladser. Every card stays under
Teams' 40 KB; on PostgreSQL with 100,000 entries each view is a handful of statements (their database time is
measured by `make bench`'s oversigt scale cases, not by a timed test)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import event, func, select, text, update

from app import SCHEDULER, create_app
from cards import danish, texts
from cards.base import MAX_CARD_BYTES, card_json
from cards.overview import digest_card
from core.vocabulary import EKSEMPEL_RECEIVED, EntryKind, EntryStatus, Role
from domain import clock, overview
from domain.policy import OverviewRole, OverviewScope
from domain.reminders import digest_items
from storage.db import create_engine, create_sessionmaker
from storage.models import CalendarDate, Entry, Person, RoleAssignment
from testkit import activities
from testkit.connector import Member, RecordingConnector, Sent, only
from tests import conftest
from tests.cardtext import card_texts
from tests.conftest import BotUnderTest
from tests.large_org import AFDELING_NAME, LargeOrg, seed_large_org

NOW = dt.datetime(2026, 11, 16, 9, 30, tzinfo=clock.COPENHAGEN).astimezone(dt.UTC)
WIRE_LIMIT = 40_000


def wire_size(sent: Sent) -> int:
    """The message as msrest puts it on the wire (every non-ASCII character escaped as \\uXXXX)."""
    return len(json.dumps(sent.body, ensure_ascii=True).encode("ascii"))


def card_size(sent: Sent) -> int:
    return len(json.dumps(sent.cards[0], ensure_ascii=False).encode("utf-8"))


async def give_identities(database_url: str, org: LargeOrg) -> None:
    """The Teams users of the tests are the large organisation's indsamler, first chef and first leder."""
    engine = create_engine(database_url)
    try:
        async with create_sessionmaker(engine).begin() as session:
            stinne = Person(display_name="Stinne Grønne", aad_object_id=activities.STINNE.aad_object_id)
            session.add(stinne)
            await session.flush()
            session.add(RoleAssignment(person_id=stinne.id, role=Role.INDSAMLER, unit_id=None))
            for person_id, user in ((org.chef_ids[0], activities.KARIN), (org.leder_ids[0], activities.LARS)):
                await session.execute(
                    update(Person).where(Person.id == person_id).values(aad_object_id=user.aad_object_id)
                )
            session.add(CalendarDate(key="eksempler-frist", title="Frist", starts_on=dt.date(2026, 12, 1)))
    finally:
        await engine.dispose()


@pytest.fixture
async def large_bot(sqlite_url: str, connector: RecordingConnector) -> AsyncIterator[tuple[BotUnderTest, LargeOrg]]:
    engine = create_engine(sqlite_url)
    try:
        org = await seed_large_org(create_sessionmaker(engine), afdelinger=20, arbejdspladser=150, entries=6000)
    finally:
        await engine.dispose()
    await give_identities(sqlite_url, org)
    for user in (activities.STINNE, activities.KARIN, activities.LARS):
        connector.add_member(Member(user.id, user.name, user.aad_object_id, user.email))
    settings = conftest.test_settings(sqlite_url, DIGEST_WEEKDAY=1, DIGEST_HOUR=9, DIGEST_MIN_AGE_DAYS=0)
    async with TestClient(TestServer(create_app(settings))) as client:
        yield BotUnderTest(client, connector, settings), org


def assert_fits(sent: Sent, what: str) -> None:
    assert card_size(sent) < MAX_CARD_BYTES, f"{what}: card {card_size(sent)} bytes"
    assert wire_size(sent) < WIRE_LIMIT, f"{what}: message {wire_size(sent)} bytes on the wire"


async def test_every_overview_card_fits_at_150_arbejdspladser(
    large_bot: tuple[BotUnderTest, LargeOrg], capsys: pytest.CaptureFixture[str]
) -> None:
    bot, _org = large_bot
    sizes: dict[str, int] = {}
    [(received,)] = await bot.query(
        select(func.count()).where(Entry.kind == EntryKind.EKSEMPEL, Entry.status.in_(EKSEMPEL_RECEIVED))
    )
    stinne = activities.STINNE
    cell_name = texts.OVERSIGT_CELL_NAME.format(tema="Mod", niveau="medarbejder")
    with clock.frozen(NOW):
        home = only(await bot.say("oversigt", user=stinne))
        shown = card_texts(home.cards[0])
        # Every third arbejdsplads sends nothing (tests/large_org.py).
        assert danish.fill(texts.OVERSIGT_TOTALS, received=received, units_sent=100, units=150) in shown
        afdeling = only(await bot.click(home, AFDELING_NAME.format(n=1), user=stinne))
        cell = only(await bot.click(home, cell_name, user=stinne))
        reminded = only(await bot.click(home, texts.OVERSIGT_REMIND_ALL, user=activities.STINNE))
        chef = only(await bot.say("oversigt", user=activities.KARIN))
        leder = only(await bot.say("oversigt", user=activities.LARS))
        await bot.say("hjælp", user=activities.LARS)
        await bot.client.app[SCHEDULER].outbox.drain()
    for name, sent in (
        ("indsamler", home),
        ("afdeling", afdeling),
        ("cell (selection list)", cell),
        ("after reminding", reminded),
        ("chef", chef),
        ("leder", leder),
    ):
        assert_fits(sent, name)
        sizes[name] = wire_size(sent)
    assert danish.fill(texts.OVERSIGT_REMINDED, count=50) in card_texts(reminded.cards[0])
    with capsys.disabled():
        print("\noversigt wire sizes at 20 afdelinger × 150 arbejdspladser:", sizes)


async def test_the_digest_and_the_reminder_fit_with_a_long_list(large_bot: tuple[BotUnderTest, LargeOrg]) -> None:
    bot, org = large_bot
    engine = create_engine(bot.settings.DATABASE_URL)
    try:
        async with create_sessionmaker(engine)() as session:
            items = await digest_items(session, bot.client.app[SCHEDULER].outbox.config, NOW, org.leder_ids[1])
    finally:
        await engine.dispose()
    assert len(items) > 15, "the digest shows 15 and says how many more"

    built = card_json(digest_card(lines=items, min_age_days=7))
    assert len(json.dumps(built, ensure_ascii=True)) < WIRE_LIMIT
    assert texts.DIGEST_MORE.format(count=len(items) - 15) in card_texts(built)


# --- Speed: 100,000 entries and 150 units on PostgreSQL ---------------------------------------------------------


class StatementCounter:
    """Counts the statements the database driver executes for a block."""

    def __init__(self, engine: Any) -> None:
        self.statements = 0
        self._engine = engine
        event.listen(engine.sync_engine, "after_cursor_execute", self._after)

    def _after(self, *_args: Any) -> None:
        self.statements += 1

    def stop(self) -> None:
        event.remove(self._engine.sync_engine, "after_cursor_execute", self._after)


@pytest.mark.postgres
async def test_the_overview_at_municipal_scale_counts_right_in_a_few_statements(database_url: str) -> None:
    """100,000 entries and 150 arbejdspladser: each view is a handful of statements whatever the number of units
    (no statement per unit or per entry), and the aggregate counts what is in the table. How long those statements
    take is measured by `make bench` (the oversigt scale cases, ≤ 50 ms of database time), not here: this machine's
    neighbours would time themselves."""
    if not database_url.startswith("postgresql"):
        pytest.skip("the municipal-scale data set is loaded on PostgreSQL, the production database")
    engine = create_engine(database_url)
    try:
        org = await seed_large_org(create_sessionmaker(engine), afdelinger=20, arbejdspladser=150, entries=100_000)
        sessionmaker = create_sessionmaker(engine)
        chef = OverviewScope(OverviewRole.CHEF, frozenset({org.afdeling_ids[0]}))
        views = {
            "indsamler": lambda s: overview.indsamler_overview(s, deadline_keys=["eksempler-frist"], today=NOW.date()),
            "afdeling": lambda s: overview.afdeling_detail(
                s, org.afdeling_ids[0], deadline_keys=["eksempler-frist"], today=NOW.date()
            ),
            "chef": lambda s: overview.manager_overview(s, chef, deadline_keys=["eksempler-frist"], today=NOW.date()),
        }
        statements: dict[str, int] = {}
        for name, build in views.items():
            counter = StatementCounter(engine)
            async with sessionmaker() as session:
                await build(session)
            counter.stop()
            statements[name] = counter.statements
        assert all(count <= 12 for count in statements.values()), f"statements per view: {statements}"
        async with sessionmaker() as session:
            assert await session.scalar(text("SELECT count(*) FROM entries")) == 100_000
            received = await session.scalar(
                text("SELECT count(*) FROM entries WHERE kind = 'eksempel' AND status = ANY(:s)"),
                {
                    "s": [
                        s.value
                        for s in (
                            EntryStatus.APPROVED,
                            EntryStatus.SELECTED,
                            EntryStatus.NOT_SELECTED,
                            EntryStatus.QUALIFIED,
                            EntryStatus.ADOPTED,
                        )
                    ]
                },
            )
            found = await overview.indsamler_overview(session, deadline_keys=[], today=NOW.date())
            assert found.received == received, "the aggregate counts what is in the table"
    finally:
        await engine.dispose()
