"""Reminders before the eksempel deadline, weekly digests, and the scheduler: on a clock the tests set, through the
real app and the recording connector, on SQLite and PostgreSQL (two instances racing on one database)."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import insert, select

from app import SCHEDULER, create_app
from cards import danish, texts
from cli.__main__ import main as cli_main
from core.vocabulary import EntryKind, EntryStatus, Niveau, NotificationStatus, OutboxKind, Tema
from domain import clock, reminders
from storage.db import create_engine, create_sessionmaker
from storage.models import Entry, OutboxMessage, Person, Reminder, Unit
from storage.orgfile import import_file
from testkit import activities
from testkit.connector import Member, RecordingConnector
from tests import conftest
from tests.cardtext import action, card_texts
from tests.conftest import DEMO_ORGANISATION, BotUnderTest

DEADLINE = dt.date(2026, 12, 1)  # the demo's "eksempler-frist"
PEOPLE = (activities.LARS, activities.SOFIE, activities.KARIN, activities.STINNE, activities.METTE)


def days_before(days: int, hour: int = 9) -> dt.datetime:
    day = DEADLINE - dt.timedelta(days=days)
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=clock.COPENHAGEN).astimezone(dt.UTC)


async def start_bot(database_url: str, connector: RecordingConnector, **settings: Any) -> BotUnderTest:
    client = TestClient(TestServer(create_app(conftest.test_settings(database_url, **settings))))
    await client.start_server()
    return BotUnderTest(client, connector, conftest.test_settings(database_url, **settings))


@pytest.fixture
async def org_url(database_url: str, connector: RecordingConnector) -> str:
    await import_file(database_url, DEMO_ORGANISATION)
    for user in PEOPLE:
        connector.add_member(Member(user.id, user.name, user.aad_object_id, user.email))
    return database_url


@pytest.fixture
async def bot(org_url: str, connector: RecordingConnector) -> AsyncIterator[BotUnderTest]:
    started = await start_bot(org_url, connector, DIGEST_WEEKDAY=1, DIGEST_HOUR=9, DIGEST_MIN_AGE_DAYS=7)
    try:
        with clock.frozen(days_before(30)):
            for user in (activities.LARS, activities.SOFIE, activities.KARIN):
                await started.say("hjælp", user=user)  # a personal chat with the bot, so they can be reached
        yield started
    finally:
        await started.client.close()


def reminder_cards(bot: BotUnderTest, user: activities.User) -> list[dict[str, Any]]:
    return [c for s in bot.sent_to(user) for c in s.cards if texts.REMINDER_TITLE in card_texts(c)]


async def deliver_eksempel(bot: BotUnderTest, unit_key: str, owner_email: str) -> None:
    [(unit_id,)] = await bot.query(select(Unit.id).where(Unit.key == unit_key))
    [(owner_id,)] = await bot.query(select(Person.id).where(Person.email == owner_email))
    await bot.query(
        insert(Entry).values(
            kind=EntryKind.EKSEMPEL,
            owner_id=owner_id,
            unit_id=unit_id,
            data={
                "tema": Tema.MOD.value,
                "niveau": Niveau.LEDER.value,
                "eksempel": "Vi siger det højt",
                "situation": "",
            },
            status=EntryStatus.PENDING,  # the demo's route is [leder, indsamler]: waiting for her is "sent"
            stage=1,
            version=1,
            idempotency_key=f"eks-{unit_key}",
        )
    )


async def reminder_rows(bot: BotUnderTest) -> list[tuple[str, int]]:
    rows = await bot.query(
        select(Unit.key, Reminder.offset_days).join(Unit, Unit.id == Reminder.unit_id).order_by(Reminder.id)
    )
    return [(key, offset) for key, offset in rows]


async def test_reminders_at_15_14_8_7_and_2_days_before(bot: BotUnderTest) -> None:
    assert await bot.tick(days_before(15)) == []
    assert await bot.tick(days_before(14, hour=6)) == [], "not before the reminder hour"

    await bot.tick(days_before(14))
    assert len(reminder_cards(bot, activities.LARS)) == 1
    assert len(reminder_cards(bot, activities.SOFIE)) == 1
    [card] = reminder_cards(bot, activities.SOFIE)
    shown = card_texts(card)
    assert (
        texts.REMINDER_TEXT.format(unit="Herstedlund Skole", date="1. december 2026", days_left="om 14 dage") in shown
    )
    assert action(card, texts.REMINDER_BUTTON)["command"] == "eksempel"
    # The indsamler is named for questions, from the organisation file: name, title and e-mail.
    stinne = texts.PERSON_WITH_TITLE.format(name=activities.STINNE.name, title="HR")
    contact = texts.PERSON_AT_EMAIL.format(person=stinne, email=activities.STINNE.email)
    assert texts.REMINDER_QUESTIONS.format(who=contact) in shown
    assert "indsamleren" not in " ".join(shown)
    assert reminder_cards(bot, activities.KARIN) == [] and reminder_cards(bot, activities.STINNE) == []

    # Herstedlund delivers after its reminder: it gets no more.
    await deliver_eksempel(bot, "herstedlund", "sofie.berg@albertslund.dk")
    assert await bot.tick(days_before(8)) == []
    await bot.tick(days_before(7))
    await bot.tick(days_before(7, hour=15))  # a later tick the same day: nothing twice
    await bot.tick(days_before(2))
    assert len(reminder_cards(bot, activities.LARS)) == 3
    assert len(reminder_cards(bot, activities.SOFIE)) == 1
    assert await reminder_rows(bot) == [("kirkebjerg", 14), ("herstedlund", 14), ("kirkebjerg", 7), ("kirkebjerg", 2)]
    # HR og Arbejdsmiljø has no leder in the file: nobody to remind, nothing claimed.
    # After the deadline: nothing.
    assert await bot.tick(days_before(-1)) == []


async def test_a_bot_down_on_both_days_sends_only_the_latest_reminder(bot: BotUnderTest) -> None:
    await bot.tick(days_before(5))
    assert await reminder_rows(bot) == [("kirkebjerg", 7), ("herstedlund", 7)]
    assert len(reminder_cards(bot, activities.LARS)) == 1


async def test_a_restart_sends_nothing_twice_and_delivers_what_was_queued(
    bot: BotUnderTest, org_url: str, connector: RecordingConnector
) -> None:
    # Queued but not delivered (the instance stopped right after its commit).
    engine = create_engine(org_url)
    with clock.frozen(days_before(14)):
        async with create_sessionmaker(engine).begin() as session:
            plan = await reminders.due(session, bot.scheduler.outbox.config, clock.now())
            assert len(await reminders.queue_due(session, plan)) == 2
    await engine.dispose()
    await bot.client.close()
    assert reminder_cards(bot, activities.LARS) == []

    restarted = await start_bot(org_url, connector)
    try:
        assert await restarted.tick(days_before(14, hour=10)) == []
        assert len(reminder_cards(restarted, activities.LARS)) == 1
        assert len(reminder_cards(restarted, activities.SOFIE)) == 1
        await restarted.tick(days_before(14, hour=11))
        assert len(reminder_cards(restarted, activities.LARS)) == 1
    finally:
        await restarted.client.close()


async def test_two_instances_racing_send_each_reminder_once(
    bot: BotUnderTest, org_url: str, connector: RecordingConnector
) -> None:
    other = await start_bot(org_url, connector)
    try:
        # Both instances decide what is due before either claims it, then claim at the same time.
        engines = [create_engine(org_url), create_engine(org_url)]
        makers = [create_sessionmaker(e) for e in engines]
        config = bot.scheduler.outbox.config
        with clock.frozen(days_before(14)):
            plans = []
            for maker in makers:
                async with maker() as session:
                    plans.append(await reminders.due(session, config, clock.now()))
            assert [len(p.reminders) for p in plans] == [2, 2]

            async def claim(maker: Any, plan: reminders.Due) -> list[int]:
                async with maker.begin() as session:
                    return await reminders.queue_due(session, plan)

            first, second = await asyncio.gather(*(claim(m, p) for m, p in zip(makers, plans, strict=True)))
        assert sorted(len(q) for q in (first, second)) in ([0, 2], [1, 1]), (first, second)
        for engine in engines:
            await engine.dispose()

        # And the whole tick, on two instances at once, a week later: one card per leder.
        await asyncio.gather(bot.tick(days_before(7)), other.tick(days_before(7)))
        assert len(reminder_cards(bot, activities.LARS)) == 2
        assert len(reminder_cards(bot, activities.SOFIE)) == 2
        assert sorted(await reminder_rows(bot)) == sorted(
            [("kirkebjerg", 14), ("herstedlund", 14), ("kirkebjerg", 7), ("herstedlund", 7)]
        )
        statuses = await bot.query(select(OutboxMessage.status))
        assert [s for (s,) in statuses] == [NotificationStatus.SENT] * 4
    finally:
        await other.client.close()


async def waiting_tegn(bot: BotUnderTest, unit_key: str, stage: int, since: dt.datetime, n: int) -> None:
    [(unit_id,)] = await bot.query(select(Unit.id).where(Unit.key == unit_key))
    [(owner_id,)] = await bot.query(select(Person.id).where(Person.email == "mette.hansen@albertslund.dk"))
    await bot.query(
        insert(Entry).values(
            kind=EntryKind.TEGN,
            owner_id=owner_id,
            unit_id=unit_id,
            data={"tegn": f"Tegn {n}"},
            status=EntryStatus.PENDING,
            stage=stage,
            version=1,
            idempotency_key=f"tegn-{n}",
            created_at=since,
            updated_at=since,
        )
    )


MONDAY = dt.datetime(2026, 11, 16, 9, 30, tzinfo=clock.COPENHAGEN).astimezone(dt.UTC)


def digests(bot: BotUnderTest, user: activities.User) -> list[dict[str, Any]]:
    return [c for s in bot.sent_to(user) for c in s.cards if texts.DIGEST_TITLE in card_texts(c)]


async def test_the_weekly_digest_lists_what_has_waited_oldest_first(bot: BotUnderTest) -> None:
    await waiting_tegn(bot, "kirkebjerg", 0, MONDAY - dt.timedelta(days=9), 2)
    await waiting_tegn(bot, "kirkebjerg", 0, MONDAY - dt.timedelta(days=12), 1)
    await waiting_tegn(bot, "kirkebjerg", 0, MONDAY - dt.timedelta(days=2), 3)  # too fresh
    await waiting_tegn(bot, "herstedlund", 1, MONDAY - dt.timedelta(days=20), 4)  # at Karin (chef)
    ids = {n: i for i, n in await bot.query(select(Entry.id, Entry.data["tegn"].as_string()))}

    await bot.tick(MONDAY - dt.timedelta(hours=1))  # before the hour
    await bot.tick(MONDAY - dt.timedelta(days=1))  # Sunday
    assert digests(bot, activities.LARS) == [] and digests(bot, activities.KARIN) == []

    await bot.tick(MONDAY)
    await bot.tick(MONDAY + dt.timedelta(hours=3))  # again that Monday: nothing twice
    [lars] = digests(bot, activities.LARS)
    lines = [t for t in card_texts(lars) if t.startswith("Tegn nr.")]
    assert [line.split(" ")[2] for line in lines] == [str(ids["Tegn 1"]), str(ids["Tegn 2"])]
    assert danish.fill(texts.DIGEST_INTRO, count=2, days=7) in card_texts(lars)
    assert action(lars, texts.DIGEST_BUTTON)["command"] == "godkend"
    [karin] = digests(bot, activities.KARIN)
    assert danish.fill(texts.DIGEST_INTRO, count=1, days=7) in card_texts(karin)
    assert digests(bot, activities.SOFIE) == []

    await bot.tick(MONDAY + dt.timedelta(days=7))  # next week, still waiting
    assert len(digests(bot, activities.LARS)) == 2


async def test_no_digest_when_the_day_is_unset(org_url: str, connector: RecordingConnector) -> None:
    started = await start_bot(org_url, connector)
    try:
        with clock.frozen(MONDAY):
            await started.say("hjælp", user=activities.LARS)
        await waiting_tegn(started, "kirkebjerg", 0, MONDAY - dt.timedelta(days=30), 1)
        await started.tick(MONDAY)
        assert digests(started, activities.LARS) == []
        rows = await started.query(select(OutboxMessage.kind))
        assert OutboxKind.DIGEST not in [k for (k,) in rows]
    finally:
        await started.client.close()


async def test_the_scheduler_starts_and_stops_with_the_app(org_url: str, connector: RecordingConnector) -> None:
    app = create_app(conftest.test_settings(org_url))
    async with TestClient(TestServer(app)):
        assert app[SCHEDULER].running
    assert not app[SCHEDULER].running
    disabled = create_app(conftest.test_settings(org_url, SCHEDULER_ENABLED=False))
    async with TestClient(TestServer(disabled)):
        assert not disabled[SCHEDULER].running


def test_the_command_line_lists_what_is_due_and_sends_it_once(
    org_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", org_url)
    monkeypatch.setenv("APP_ID", "")
    # Plan A's deadline falls on the eksempel deadline here: its reminder only on the last day (after this test).
    monkeypatch.setenv("PLAN_A_REMINDER_OFFSETS_DAYS", "1")
    with clock.frozen(days_before(7)):
        assert cli_main(["due", "--dry-run"]) == 0
        listed = capsys.readouterr().out.splitlines()
        assert len(listed) == 2 and all(line.startswith("reminder: ") for line in listed)
        assert "Herstedlund Skole" in " ".join(listed) and "7 days before" in listed[0]
        assert cli_main(["due"]) == 0
        capsys.readouterr()
        assert cli_main(["due", "--dry-run"]) == 0
        assert capsys.readouterr().out.strip() == "nothing is due"
