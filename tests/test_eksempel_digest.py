"""The indsamler's daily digest (issue 19), over HTTP through the real app and the recording connector, on a clock the
tests set: an eksempel that reaches her sends her no card (the leder still gets his); at the digest time she gets one
card with the count, by tema, the deep link to the tab and the list in chat; nothing on a day with nothing new,
nothing twice after a restart, and one card with two instances racing on one database (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import select

from bot.settings import Settings
from cards import danish, texts
from cli.__main__ import main as cli_main
from core.vocabulary import EntryKind, EntryStatus, NotificationKind, OutboxKind, Tema
from domain import clock, eksempel_digest
from storage.db import create_engine, create_sessionmaker
from storage.models import Entry, Notification, OutboxMessage, Person
from storage.orgfile import import_file
from testkit import activities
from testkit.activities import KARIN, LARS, METTE, STINNE
from testkit.connector import Member, RecordingConnector, Sent
from tests.cardtext import actions, card_texts
from tests.conftest import DEMO_ORGANISATION, BotUnderTest
from tests.test_eksempel_flow import GOOD, OTHER, forward, send_eksempel
from tests.test_reminders import start_bot

TEAMS_APP_ID = "3f2b8c1e-7d4a-4e6b-9a0c-5b1d2e3f4a5b"
DEEP_LINK = f"https://teams.microsoft.com/l/entity/{TEAMS_APP_ID}/arbejdsbord"
PEOPLE = (METTE, LARS, KARIN, STINNE)


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """A moment in November 2026, Copenhagen time."""
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=clock.COPENHAGEN)


@pytest.fixture
async def org_url(database_url: str, connector: RecordingConnector) -> str:
    await import_file(database_url, DEMO_ORGANISATION)
    for user in PEOPLE:
        connector.add_member(Member(user.id, user.name, user.aad_object_id, user.email))
    return database_url


@pytest.fixture
async def bot(org_url: str, connector: RecordingConnector) -> AsyncIterator[BotUnderTest]:
    started = await start_bot(org_url, connector, TEAMS_APP_ID=TEAMS_APP_ID)
    try:
        with clock.frozen(at(2, 7)):
            for user in PEOPLE:
                await started.say("hjælp", user=user)  # a personal chat with the bot, so they can be reached
        connector.clear()
        yield started
    finally:
        await started.client.close()


async def eksempel_to_stinne(bot: BotUnderTest, moment: dt.datetime, text: str, tema: Tema) -> int:
    """Mette writes an eksempel and Lars sends it on to the indsamler, at `moment`."""
    with clock.frozen(moment):
        entry_id = await send_eksempel(bot, text, tema=tema)
        await forward(bot, entry_id)
        await bot.settle()
    return entry_id


def digests(bot: BotUnderTest) -> list[dict[str, Any]]:
    return [c for s in bot.sent_to(STINNE) for c in s.cards if texts.EKSEMPEL_DIGEST_TITLE in card_texts(c)]


def fact(shown: list[str], label: str) -> str:
    """The value beside a label on the card."""
    return shown[shown.index(label) + 1]


def cards_to(bot: BotUnderTest, user: activities.User) -> list[Sent]:
    return [s for s in bot.sent_to(user) if s.cards]


async def test_no_card_per_eksempel_then_one_digest_with_the_count_the_temaer_and_the_deep_link(
    bot: BotUnderTest,
) -> None:
    first = await eksempel_to_stinne(bot, at(2, 10), GOOD, Tema.RELATIONER)
    second = await eksempel_to_stinne(bot, at(2, 11), OTHER, Tema.RELATIONER)
    with clock.frozen(at(2, 12)):
        await send_eksempel(bot, "Vi hjælper nye kolleger i gang den første uge.", tema=Tema.HELHED)  # stays at Lars
        await bot.settle()

    # The indsamler got no card for either; the leder got his approval card for each, as before.
    assert cards_to(bot, STINNE) == []
    assert not await bot.query(
        select(Notification.id)
        .join(Person, Person.id == Notification.person_id)
        .where(Person.email == STINNE.email, Notification.kind == NotificationKind.APPROVAL)
    )
    for entry_id in (first, second):
        title = texts.ENTRY_TITLE[EntryKind.EKSEMPEL].format(id=entry_id)
        assert [s for s in cards_to(bot, LARS) if title in card_texts(s.cards[0])], "the leder's card, as before"

    assert await bot.tick(at(2, 18)) == [], "eksempler of today wait for tomorrow's digest"
    assert await bot.tick(at(3, 7, 59)) == [], "not before the digest time"
    assert len(await bot.tick(at(3, 8, 5))) == 1
    [card] = digests(bot)
    shown = card_texts(card)
    since = danish.datetime(at(2, 8))
    assert danish.fill(texts.EKSEMPEL_DIGEST_INTRO, since=since, count=2) in shown
    assert "2 nye eksempler" in " ".join(shown), "the plural through the count helper"
    assert fact(shown, texts.TEMA_LABELS[Tema.RELATIONER]) == danish.fill(texts.EKSEMPEL_DIGEST_TEMA, count=2)
    assert texts.TEMA_LABELS[Tema.HELHED] not in shown, "the eksempel still at the leder is not hers yet"
    assert danish.fill(texts.EKSEMPEL_DIGEST_WAITING, waiting=2) in shown
    [link] = [a for a in actions(card) if a["type"] == "Action.OpenUrl"]
    assert (link["title"], link["url"]) == (texts.EKSEMPEL_DIGEST_OPEN_TAB, DEEP_LINK)
    # The list in chat, by a button (Action.Submit) that runs `eksempler`.
    [sent] = [s for s in bot.sent_to(STINNE) if s.cards and texts.EKSEMPEL_DIGEST_TITLE in card_texts(s.cards[0])]
    listed = [s for s in await bot.click(sent, texts.EKSEMPEL_DIGEST_OPEN_LIST, user=STINNE) if s.cards]
    assert texts.SELECTION_TITLE in card_texts(listed[-1].cards[0])

    # Later the same day: nothing again. Eksempler sent on after the digest time are the next day's.
    assert await bot.tick(at(3, 15)) == []
    third = await eksempel_to_stinne(bot, at(3, 9), "Vi siger til, når vi er uenige på et møde.", Tema.MOD)
    assert await bot.tick(at(3, 20)) == []
    assert len(digests(bot)) == 1
    assert len(await bot.tick(at(4, 8))) == 1
    newest = card_texts(digests(bot)[-1])
    assert danish.fill(texts.EKSEMPEL_DIGEST_INTRO, since=danish.datetime(at(3, 8)), count=1) in newest
    assert "1 nyt eksempel" in " ".join(newest), "the singular"
    assert fact(newest, texts.TEMA_LABELS[Tema.MOD]) == danish.fill(texts.EKSEMPEL_DIGEST_TEMA, count=1)
    assert texts.TEMA_LABELS[Tema.RELATIONER] not in newest, "yesterday's are not counted again"
    [(status,)] = await bot.query(select(Entry.status).where(Entry.id == third))
    assert status is EntryStatus.PENDING

    # A day with nothing new sends nothing.
    assert await bot.tick(at(5, 9)) == []
    assert await bot.tick(at(6, 9)) == []
    assert len(digests(bot)) == 2


async def test_a_restart_sends_nothing_twice_and_delivers_what_was_queued(
    bot: BotUnderTest, org_url: str, connector: RecordingConnector
) -> None:
    await eksempel_to_stinne(bot, at(2, 10), GOOD, Tema.RELATIONER)
    # Queued, not delivered: the instance stopped right after its commit.
    engine = create_engine(org_url)
    with clock.frozen(at(3, 8, 1)):
        async with create_sessionmaker(engine).begin() as session:
            plan = await eksempel_digest.due(session, dt.time(8, 0), clock.now())
            assert [(d.person_name, d.count) for d in plan] == [(STINNE.name, 1)]
            assert len(await eksempel_digest.queue_due(session, plan)) == 1
    await engine.dispose()
    await bot.client.close()
    assert digests(bot) == []

    restarted = await start_bot(org_url, connector, TEAMS_APP_ID=TEAMS_APP_ID)
    try:
        assert await restarted.tick(at(3, 8, 10)) == []
        assert len(digests(restarted)) == 1, "the restarted instance delivers what was queued"
        await restarted.tick(at(3, 9))
        await restarted.tick(at(3, 23, 59))
        assert len(digests(restarted)) == 1
    finally:
        await restarted.client.close()
    again = await start_bot(org_url, connector, TEAMS_APP_ID=TEAMS_APP_ID)
    try:
        assert await again.tick(at(3, 12)) == []
        assert len(digests(again)) == 1, "a second restart the same day: nothing again"
    finally:
        await again.client.close()


async def test_two_instances_racing_send_one_digest(
    bot: BotUnderTest, org_url: str, connector: RecordingConnector
) -> None:
    await eksempel_to_stinne(bot, at(2, 10), GOOD, Tema.RELATIONER)
    await eksempel_to_stinne(bot, at(2, 10, 30), OTHER, Tema.MOD)
    other = await start_bot(org_url, connector, TEAMS_APP_ID=TEAMS_APP_ID)
    try:
        # Both decide what is due before either queues it, then queue at the same time.
        engines = [create_engine(org_url), create_engine(org_url)]
        makers = [create_sessionmaker(e) for e in engines]
        with clock.frozen(at(3, 8)):
            plans = []
            for maker in makers:
                async with maker() as session:
                    plans.append(await eksempel_digest.due(session, dt.time(8, 0), clock.now()))
            assert [[d.count for d in p] for p in plans] == [[2], [2]]

            async def queue(maker: Any, plan: list[eksempel_digest.DueEksempelDigest]) -> list[int]:
                async with maker.begin() as session:
                    return await eksempel_digest.queue_due(session, plan)

            first, second = await asyncio.gather(*(queue(m, p) for m, p in zip(makers, plans, strict=True)))
        assert sorted(len(q) for q in (first, second)) == [0, 1], (first, second)
        for engine in engines:
            await engine.dispose()

        # The whole tick on both instances at once, delivering: one card.
        await asyncio.gather(bot.tick(at(3, 8, 5)), other.tick(at(3, 8, 5)))
        assert len(digests(bot)) == 1

        # The next day, a new eksempel, both instances tick at once: one card again, and one row per day.
        await eksempel_to_stinne(bot, at(3, 12), "Vi siger til, når vi er uenige på et møde.", Tema.MOD)
        await asyncio.gather(bot.tick(at(4, 8, 5)), other.tick(at(4, 8, 5)))
        assert len(digests(bot)) == 2
        rows = await bot.query(select(OutboxMessage.dedupe_key).where(OutboxMessage.kind == OutboxKind.EKSEMPEL_DIGEST))
        assert sorted(key for (key,) in rows) == [
            f"eksempel-digest:2026-11-03:{await person_id(bot, STINNE)}",
            f"eksempel-digest:2026-11-04:{await person_id(bot, STINNE)}",
        ]
    finally:
        await other.client.close()


async def person_id(bot: BotUnderTest, user: activities.User) -> int:
    [(found,)] = await bot.query(select(Person.id).where(Person.email == user.email))
    return int(found)


def test_the_deep_link_names_the_app_and_the_tab() -> None:
    settings = Settings(_env_file=None, APP_ID="", TEAMS_APP_ID=TEAMS_APP_ID)
    assert settings.tab_deep_link == DEEP_LINK
    assert Settings(_env_file=None).tab_deep_link == "", "no app id (a local run): no link, the list in chat only"
    app = "0d6c0f6e-2b7a-4a39-8d3c-1f2e3d4c5b6a"
    production = Settings(_env_file=None, APP_ID=app, ALLOWED_TENANT_IDS="t")
    assert production.tab_deep_link == f"https://teams.microsoft.com/l/entity/{app}/arbejdsbord", "APP_ID by default"
    assert dt.time(7, 30) == Settings(_env_file=None, EKSEMPEL_DIGEST_TIME="07:30").EKSEMPEL_DIGEST_TIME


async def test_the_command_line_lists_and_sends_the_digest_once(
    bot: BotUnderTest, org_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    await eksempel_to_stinne(bot, at(2, 10), GOOD, Tema.RELATIONER)
    monkeypatch.setenv("DATABASE_URL", org_url)
    monkeypatch.setenv("APP_ID", "")
    stinne = await person_id(bot, STINNE)
    with clock.frozen(at(3, 9)):  # the command line runs its own event loop: in a thread, beside the test's
        assert await asyncio.to_thread(cli_main, ["due", "--dry-run"]) == 0
        listed = capsys.readouterr().out.splitlines()
        assert listed == [f"eksempel digest: {STINNE.name} (person {stinne}), 2026-11-03: 1 new eksempler"]
        assert await asyncio.to_thread(cli_main, ["due"]) == 0
        capsys.readouterr()
        assert await asyncio.to_thread(cli_main, ["due", "--dry-run"]) == 0
        assert capsys.readouterr().out.strip() == "nothing is due"
    assert len(digests(bot)) == 1, "sent by the command line, through the same outbox"
