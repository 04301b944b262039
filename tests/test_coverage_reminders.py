"""Reminders before Chefforum's quality-assurance dates (issue 20): the ledere of units whose mål lack tegn or
prøvehandlinger, N days before, exactly once however many instances tick; on a clock the tests move, through the
real app and the recording connector, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import insert, select, update

from bot.scheduler import describe
from cards import texts
from core.vocabulary import EntryKind, EntryStatus, NotificationStatus, OutboxKind
from domain import aarshjul, clock, coverage_reminders
from domain.reminders import Due
from storage.db import create_engine, create_sessionmaker
from storage.models import CalendarDate, Entry, Maal, Maalplan, OutboxMessage, Person, Reminder, Unit
from storage.orgfile import import_file
from testkit import activities
from testkit.connector import Member, RecordingConnector
from tests.cardtext import card_texts
from tests.conftest import DEMO_ORGANISATION, BotUnderTest
from tests.test_reminders import start_bot

QA_TEGN = dt.date(2026, 12, 21)
QA_PH = dt.date(2027, 1, 31)
PEOPLE = (activities.LARS, activities.SOFIE, activities.KARIN, activities.STINNE, activities.METTE)
NEW_MAAL = "Børnene bevæger sig mere i løbet af dagen"


def days_before(date: dt.date, days: int, hour: int = 9) -> dt.datetime:
    day = date - dt.timedelta(days=days)
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=clock.COPENHAGEN).astimezone(dt.UTC)


@pytest.fixture
async def org_url(database_url: str, connector: RecordingConnector) -> str:
    """The demo organisation with this year's quality-assurance dates ahead, and one mål without prøvehandlinger
    (Kirkebjerg's): every mål lacks tegn."""
    await import_file(database_url, DEMO_ORGANISATION)
    engine = create_engine(database_url)
    try:
        async with create_sessionmaker(engine).begin() as session:
            for key, day in ((aarshjul.CHEFFORUM_TEGN, QA_TEGN), (aarshjul.CHEFFORUM_PROEVEHANDLINGER, QA_PH)):
                await session.execute(update(CalendarDate).where(CalendarDate.key == key).values(starts_on=day))
            plan_id = await session.scalar(select(Maalplan.id).join(Unit).where(Unit.key == "kirkebjerg"))
            await session.execute(
                insert(Maal).values(maalplan_id=plan_id, key="bevaegelse", position=9, title=NEW_MAAL)
            )
    finally:
        await engine.dispose()
    for user in PEOPLE:
        connector.add_member(Member(user.id, user.name, user.aad_object_id, user.email))
    return database_url


@pytest.fixture
async def bot(org_url: str, connector: RecordingConnector) -> AsyncIterator[BotUnderTest]:
    started = await start_bot(org_url, connector)
    try:
        with clock.frozen(days_before(QA_TEGN, 30)):
            for user in (activities.LARS, activities.SOFIE, activities.KARIN):
                await started.say("hjælp", user=user)  # a personal chat with the bot, so they can be reached
        yield started
    finally:
        await started.client.close()


def cards_titled(bot: BotUnderTest, user: activities.User, title: str) -> list[list[str]]:
    return [card_texts(c) for s in bot.sent_to(user) for c in s.cards if title in card_texts(c)]


async def approve_a_tegn(bot: BotUnderTest, maal_key: str) -> None:
    [(maal_id, unit_id)] = await bot.query(select(Maal.id, Maalplan.unit_id).join(Maalplan).where(Maal.key == maal_key))
    [(owner_id,)] = await bot.query(select(Person.id).where(Person.email == activities.METTE.email))
    await bot.query(
        insert(Entry).values(
            kind=EntryKind.TEGN,
            owner_id=owner_id,
            unit_id=unit_id,
            maal_id=maal_id,
            data={"tegn": "Færre elever har mere end ti fraværsdage"},
            status=EntryStatus.APPROVED,
            stage=1,
            version=3,
            idempotency_key=f"approved-{maal_key}",
        )
    )


async def test_ledere_whose_maal_lack_tegn_are_reminded_once_per_offset(bot: BotUnderTest) -> None:
    tegn = texts.COVERAGE_REMINDER_TITLE_TEGN
    assert await bot.tick(days_before(QA_TEGN, 15)) == []
    await bot.tick(days_before(QA_TEGN, 14))
    [lars] = cards_titled(bot, activities.LARS, tegn)
    [sofie] = cards_titled(bot, activities.SOFIE, tegn)
    assert (
        texts.COVERAGE_REMINDER_TEXT_TEGN.format(
            unit="Dagtilbud Kirkebjerg", count=3, date="21. december 2026", days_left="om 14 dage"
        )
        in lars
    )
    assert texts.COVERAGE_REMINDER_MAAL.format(title=NEW_MAAL) in lars
    assert texts.COVERAGE_REMINDER_BUTTON_TEGN in lars
    assert (
        texts.COVERAGE_REMINDER_TEXT_TEGN.format(
            unit="Herstedlund Skole", count=1, date="21. december 2026", days_left="om 14 dage"
        )
        in sofie
    )
    assert not cards_titled(bot, activities.KARIN, tegn), "a chef leads no arbejdsplads"

    # Again the same day, and the day after: nothing new.
    assert await bot.tick(days_before(QA_TEGN, 14, hour=15)) == []
    assert await bot.tick(days_before(QA_TEGN, 13)) == []
    # Herstedlund's one mål gets an approved tegn: at 7 days only Kirkebjerg lacks tegn.
    await approve_a_tegn(bot, "fravaer")
    await bot.tick(days_before(QA_TEGN, 7))
    assert len(cards_titled(bot, activities.LARS, tegn)) == 2
    assert len(cards_titled(bot, activities.SOFIE, tegn)) == 1
    rows = await bot.query(
        select(Unit.key, Reminder.offset_days)
        .join(Unit, Unit.id == Reminder.unit_id)
        .where(Reminder.deadline_key == aarshjul.CHEFFORUM_TEGN)
        .order_by(Reminder.id)
    )
    assert sorted(rows) == sorted([("kirkebjerg", 14), ("herstedlund", 14), ("kirkebjerg", 7)])


async def test_proevehandlinger_are_reminded_before_their_own_date(bot: BotUnderTest) -> None:
    ph = texts.COVERAGE_REMINDER_TITLE_PH
    await bot.tick(days_before(QA_PH, 2))
    [lars] = cards_titled(bot, activities.LARS, ph)
    assert (
        texts.COVERAGE_REMINDER_TEXT_PH.format(
            unit="Dagtilbud Kirkebjerg", count=1, date="31. januar 2027", days_left="om 2 dage"
        )
        in lars
    )
    assert texts.COVERAGE_REMINDER_MAAL.format(title=NEW_MAAL) in lars
    assert not cards_titled(bot, activities.SOFIE, ph), "Herstedlund's mål has prøvehandlinger"


async def test_a_unit_that_got_its_tegn_after_the_reminder_was_queued_gets_no_card(bot: BotUnderTest) -> None:
    engine = create_engine(bot.settings.DATABASE_URL)
    try:
        maker = create_sessionmaker(engine)
        with clock.frozen(days_before(QA_TEGN, 2)):
            async with maker.begin() as session:
                plan = await coverage_reminders.due(session, bot.scheduler.outbox.config, clock.now())
                assert "Herstedlund Skole" in "\n".join(describe(Due((), ()), plan)), "the command line's list"
                queued = await coverage_reminders.queue_due(session, plan)
        assert len(queued) == 2
    finally:
        await engine.dispose()
    await approve_a_tegn(bot, "fravaer")
    await bot.tick(days_before(QA_TEGN, 2, hour=10))
    assert len(cards_titled(bot, activities.LARS, texts.COVERAGE_REMINDER_TITLE_TEGN)) == 1
    assert not cards_titled(bot, activities.SOFIE, texts.COVERAGE_REMINDER_TITLE_TEGN)


async def test_two_instances_ticking_at_once_send_each_reminder_once(
    bot: BotUnderTest, org_url: str, connector: RecordingConnector
) -> None:
    other = await start_bot(org_url, connector)
    try:
        await asyncio.gather(bot.tick(days_before(QA_TEGN, 14)), other.tick(days_before(QA_TEGN, 14)))
        await asyncio.gather(bot.tick(days_before(QA_TEGN, 7)), other.tick(days_before(QA_TEGN, 7)))
        assert len(cards_titled(bot, activities.LARS, texts.COVERAGE_REMINDER_TITLE_TEGN)) == 2
        assert len(cards_titled(bot, activities.SOFIE, texts.COVERAGE_REMINDER_TITLE_TEGN)) == 2
        statuses = await bot.query(
            select(OutboxMessage.status).where(OutboxMessage.kind == OutboxKind.COVERAGE_REMINDER)
        )
        assert [s for (s,) in statuses] == [NotificationStatus.SENT] * 4
    finally:
        await other.client.close()


async def waiting_at_karin(bot: BotUnderTest, maal_key: str, n: int) -> None:
    """A tegn of the mål's unit, recommended by its leder: waiting at the chef's stage."""
    [(maal_id, unit_id)] = await bot.query(select(Maal.id, Maalplan.unit_id).join(Maalplan).where(Maal.key == maal_key))
    [(owner_id,)] = await bot.query(select(Person.id).where(Person.email == activities.METTE.email))
    await bot.query(
        insert(Entry).values(
            kind=EntryKind.TEGN,
            owner_id=owner_id,
            unit_id=unit_id,
            maal_id=maal_id,
            data={"tegn": f"Tegn {n}"},
            status=EntryStatus.PENDING,
            stage=1,
            version=2,
            idempotency_key=f"at-karin-{maal_key}-{n}",
        )
    )


async def test_a_chef_with_tegn_waiting_is_reminded_once(bot: BotUnderTest) -> None:
    await waiting_at_karin(bot, "fravaer", 1)
    await waiting_at_karin(bot, "sprog", 2)
    chef_title = texts.COVERAGE_REMINDER_TITLE_CHEF
    await bot.tick(days_before(QA_TEGN, 14))
    [karin] = cards_titled(bot, activities.KARIN, chef_title)
    assert (
        texts.COVERAGE_REMINDER_CHEF_TEGN.format(
            count=2, unit="Center for Dagtilbud og Skole", date="21. december 2026", days_left="om 14 dage"
        )
        in karin
    )
    assert texts.COVERAGE_REMINDER_BUTTON_GODKEND in karin
    assert not cards_titled(bot, activities.LARS, chef_title), "the ledere get their own reminder, not the chef's"
    assert await bot.tick(days_before(QA_TEGN, 14, hour=16)) == []
    assert len(cards_titled(bot, activities.KARIN, chef_title)) == 1
    # Nothing of the prøvehandlinger's kinds waits at her: no reminder before their date.
    await bot.tick(days_before(QA_PH, 2))
    assert len(cards_titled(bot, activities.KARIN, chef_title)) == 1
