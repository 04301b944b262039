"""Reminders that a dead delivery had taken are sent by a later sweep, the indsamler's drill-down says "Påmindet"
only for a reminder Teams accepted, and she is told when Teams refused one for good (issue 23, row 11 and "the
indsamler is told a reminder was sent even when delivery was refused for good"). Through the real app, on a clock
the tests set, with the recording connector as Teams."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from app import SCHEDULER
from cards import danish, texts
from cli.__main__ import _due as cli_due
from core.vocabulary import NotificationStatus
from domain import clock, reminders
from storage.models import OutboxMessage
from storage.orgfile import import_file
from testkit import activities
from testkit.connector import Member, RecordingConnector
from tests.cardtext import card_texts
from tests.conftest import DEMO_ORGANISATION, BotUnderTest
from tests.conftest import test_settings as settings_for
from tests.test_reminders import days_before, reminder_cards, start_bot

PEOPLE = (activities.LARS, activities.SOFIE, activities.KARIN, activities.STINNE, activities.METTE)
AFDELING = "Center for Dagtilbud og Skole"  # Dagtilbud Kirkebjerg (Lars) and Herstedlund Skole (Sofie)
CLAIM = dt.timedelta(seconds=300)  # NOTIFY_CLAIM_SECONDS in the tests' settings (the default)


@pytest.fixture
async def bot(database_url: str, connector: RecordingConnector) -> AsyncIterator[BotUnderTest]:
    await import_file(database_url, DEMO_ORGANISATION)
    for user in PEOPLE:
        connector.add_member(Member(user.id, user.name, user.aad_object_id, user.email))
    started = await start_bot(database_url, connector, NOTIFY_CLAIM_SECONDS=CLAIM.total_seconds())
    try:
        with clock.frozen(days_before(30)):
            for user in (activities.LARS, activities.SOFIE, activities.STINNE):
                await started.say("hjælp", user=user)  # personal chats with the bot
        yield started
    finally:
        await started.client.close()


def only(sent: list[Any]) -> Any:
    assert len(sent) == 1, sent
    return sent[0]


async def drill_down(bot: BotUnderTest) -> list[str]:
    """What the indsamler reads in the afdeling's drill-down now."""
    overview = only(await bot.say("oversigt", user=activities.STINNE))
    answer = only(await bot.click(overview, AFDELING, user=activities.STINNE))
    return card_texts(answer.cards[0])


async def test_a_reminder_taken_by_a_delivery_that_died_is_sent_by_a_later_sweep(bot: BotUnderTest) -> None:
    scheduler = bot.client.app[SCHEDULER]
    died = days_before(14)
    # The delivery takes both reminders and dies (kill -9) before sending: as the database is left then.
    with clock.frozen(died):
        async with scheduler._sessionmaker.begin() as session:
            plan = await reminders.due(session, scheduler.outbox.config, died)
            queued = await reminders.queue_due(session, plan)
        assert len(queued) == 2
        await bot.query(update(OutboxMessage).values(claimed_at=died, attempts=1))
    assert reminder_cards(bot, activities.LARS) == []

    # Claimed is not sent: the drill-down does not say "Påmindet", it says the reminder is on its way.
    with clock.frozen(died + dt.timedelta(minutes=1)):
        shown = await drill_down(bot)
    assert not any(line.startswith(texts.OVERSIGT_UNIT_REMINDED.format(date="")) for line in shown), shown
    assert shown.count(texts.OVERSIGT_UNIT_REMINDING) == 2

    # While the claim runs, another instance's sweep leaves the reminders alone (their delivery may be alive).
    await bot.tick(died + CLAIM - dt.timedelta(seconds=1))
    assert reminder_cards(bot, activities.LARS) == []

    # Once it has run out, the next sweep sends each reminder, once.
    await bot.tick(died + CLAIM + dt.timedelta(seconds=1))
    assert len(reminder_cards(bot, activities.LARS)) == 1
    assert len(reminder_cards(bot, activities.SOFIE)) == 1
    await bot.tick(died + 3 * CLAIM)
    assert len(reminder_cards(bot, activities.LARS)) == 1
    statuses = await bot.query(select(OutboxMessage.status))
    assert [s for (s,) in statuses] == [NotificationStatus.SENT] * 2

    # Now the drill-down reads the sending.
    with clock.frozen(died + 3 * CLAIM):
        shown = await drill_down(bot)
    assert shown.count(texts.OVERSIGT_UNIT_REMINDED.format(date="17. november 2026")) == 2
    assert texts.OVERSIGT_UNIT_REMINDING not in shown


async def test_the_indsamler_is_told_which_reminders_teams_refused_for_good(
    bot: BotUnderTest, connector: RecordingConnector
) -> None:
    # Lars blocked the bot: Teams answers 403 for his chat. Sofie's chat is fine.
    connector.fail(activities.personal_conversation(activities.LARS)["id"], 403)
    with clock.frozen(days_before(20)):
        overview = only(await bot.say("oversigt", user=activities.STINNE))
        answer = only(await bot.click(overview, texts.OVERSIGT_REMIND_ALL, user=activities.STINNE))
        shown = " ".join(card_texts(answer.cards[0]))
        # The answer says the reminders are on their way, not that they were delivered.
        assert danish.fill(texts.OVERSIGT_REMINDED, count=2) in shown
        before = len(bot.sent_to(activities.STINNE))
        await bot.client.app[SCHEDULER].outbox.drain()
    assert len(reminder_cards(bot, activities.SOFIE)) == 1
    assert reminder_cards(bot, activities.LARS) == []
    [told] = bot.sent_to(activities.STINNE)[before:]
    assert told.text == texts.OVERSIGT_REMINDER_REFUSED.format(units="Dagtilbud Kirkebjerg")
    # And the drill-down: Herstedlund reminded, Kirkebjerg's leder cannot be reached.
    with clock.frozen(days_before(20)):
        shown_now = await drill_down(bot)
    assert texts.OVERSIGT_UNIT_REMINDED.format(date="11. november 2026") in shown_now
    assert texts.OVERSIGT_UNIT_UNREACHABLE in shown_now


# --- Issue 18: `python -m cli due` uses the app's own wiring ------------------------------------------------------


def test_the_proactive_sender_and_its_users_are_built_in_one_place() -> None:
    root = Path(__file__).resolve().parents[1]
    sources = [root / "app.py", *(root / "bot").rglob("*.py"), *(root / "cli").rglob("*.py")]
    for name in ("ProactiveSender", "Notifier", "Outbox", "Scheduler", "create_adapter"):
        built = [
            path.relative_to(root).as_posix()
            for path in sources
            for line in path.read_text(encoding="utf-8").splitlines()
            if re.search(rf"(?<![\w.]){name}\(", line) and not line.lstrip().startswith(("class ", "def ", "#"))
        ]
        assert built == ["app.py"], (name, built)


async def test_cli_due_delivers_with_the_apps_settings_what_a_dead_delivery_left(
    bot: BotUnderTest, database_url: str
) -> None:
    claim = 5.0
    settings = settings_for(database_url, NOTIFY_CLAIM_SECONDS=claim)
    died = days_before(14)
    with clock.frozen(died):
        async with bot.client.app[SCHEDULER]._sessionmaker.begin() as session:
            plan = await reminders.due(session, bot.client.app[SCHEDULER].outbox.config, died)
            assert len(await reminders.queue_due(session, plan)) == 2
        await bot.query(update(OutboxMessage).values(claimed_at=died, attempts=1))
    with clock.frozen(died + dt.timedelta(seconds=claim + 1)):
        lines = await cli_due(settings, dry_run=False)
    assert lines[-1].startswith("queued 0 messages")
    assert len(reminder_cards(bot, activities.LARS)) == 1
    assert len(reminder_cards(bot, activities.SOFIE)) == 1
