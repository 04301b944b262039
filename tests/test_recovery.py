"""Several instances on one database, and restarts: notifications claimed by one instance and sent once, what a
crashed instance left pending delivered by the next start, racing decisions stored once, dialog state conflicts
silent. Runs on SQLite and on the real PostgreSQL (two apps, each with its own engine, as two processes have)."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select, update

from app import NOTIFIER, create_app
from cards import texts
from core.vocabulary import Action, NotificationKind, NotificationStatus
from storage.models import Decision, Notification, Person
from storage.orgfile import import_file
from testkit import activities
from testkit.activities import KARIN, LARS, METTE
from testkit.connector import Member, RecordingConnector, Sent
from tests.cardtext import card_texts
from tests.conftest import DEMO_ORGANISATION, BotUnderTest
from tests.conftest import test_settings as settings_for
from tests.test_approvals import approval_cards, open_chats, propose

PEOPLE = (activities.METTE, activities.AHMED, LARS, activities.SOFIE, KARIN, activities.STINNE)


async def _demo(database_url: str, connector: RecordingConnector) -> None:
    await import_file(database_url, DEMO_ORGANISATION)
    for user in PEOPLE:
        connector.add_member(Member(user.id, user.name, user.aad_object_id, user.email))


@pytest.fixture
async def two_instances(
    database_url: str, connector: RecordingConnector
) -> AsyncIterator[tuple[BotUnderTest, BotUnderTest]]:
    """Two instances of the bot on one database, behind one connector (as behind a load balancer)."""
    await _demo(database_url, connector)
    settings = settings_for(database_url)
    async with (
        TestClient(TestServer(create_app(settings))) as first,
        TestClient(TestServer(create_app(settings))) as second,
    ):
        yield BotUnderTest(first, connector, settings), BotUnderTest(second, connector, settings)


def _errors(sent: list[Sent]) -> list[Sent]:
    return [
        s for s in sent if s.text == texts.ERROR_GENERIC or (s.cards and texts.ERROR_GENERIC in card_texts(s.cards[0]))
    ]


async def test_racing_decisions_on_two_instances_store_one(two_instances: tuple[BotUnderTest, BotUnderTest]) -> None:
    a, b = two_instances
    await open_chats(a, METTE, LARS)
    entry_id = await propose(a)
    await a.settle()
    decision = {"entry_id": entry_id, "decision": Action.RECOMMEND, "version": 1}
    bodies = await asyncio.gather(*(bot.execute("decide", decision, user=LARS) for bot in (a, b, a, b)))
    assert all(body["statusCode"] == 200 for body in bodies)
    decided = select(func.count()).where(Decision.entry_id == entry_id, Decision.action == Action.RECOMMEND)
    assert await a.query(decided) == [(1,)]
    await asyncio.gather(a.settle(), b.settle())
    assert not _errors(a.connector.sent)


async def test_pending_notifications_are_delivered_once_by_two_instances(
    two_instances: tuple[BotUnderTest, BotUnderTest],
) -> None:
    a, b = two_instances
    await open_chats(a, METTE, LARS)
    entry_id = await propose(a)
    await a.settle()
    [(lars_id,)] = await a.query(select(Person.id).where(Person.aad_object_id == LARS.aad_object_id))
    # Forty approval notifications left pending by an instance that died before delivering them.
    await a.query(update(Notification).values(status=NotificationStatus.SENT))
    for _ in range(40):
        await a.query(
            Notification.__table__.insert().values(
                person_id=lars_id,
                entry_id=entry_id,
                kind=NotificationKind.APPROVAL,
                status=NotificationStatus.PENDING,
                attempts=0,
                created_at=dt.datetime.now(dt.UTC),
            )
        )
    a.connector.clear()
    delivered = await asyncio.gather(
        a.client.app[NOTIFIER].deliver_due(batch=7),
        b.client.app[NOTIFIER].deliver_due(batch=7),
        a.client.app[NOTIFIER].deliver_due(batch=7),
        b.client.app[NOTIFIER].deliver_due(batch=7),
    )
    assert sum(delivered) == 40, f"each pending notification claimed exactly once, got {delivered}"
    assert len(approval_cards(a.sent_to(LARS), entry_id)) == 40, "each sent once, none twice"
    rows = await a.query(select(Notification.status, Notification.attempts, Notification.activity_id))
    assert {(status, attempts) for status, attempts, _ in rows[-40:]} == {(NotificationStatus.SENT, 1)}
    assert len({activity_id for _, _, activity_id in rows[-40:]}) == 40


async def test_a_dialog_state_conflict_gives_the_user_no_error(
    two_instances: tuple[BotUnderTest, BotUnderTest],
) -> None:
    a, b = two_instances
    picker = (await a.say("tegn"))[0]
    # The same click reaches both instances at once (a double click, or Teams' retry routed elsewhere).
    replies = await asyncio.gather(a.click(picker, texts.BUTTON_CHOOSE), b.click(picker, texts.BUTTON_CHOOSE))
    assert all(replies), "both clicks are answered"
    assert not _errors(a.connector.sent)
    # The flow carries on from either instance.
    form = replies[0][0]
    check = await b.click(form, texts.BUTTON_NEXT, tegn="Flere forældre spørger ind til dagens leg")
    assert check and not _errors(a.connector.sent)


async def test_a_restart_delivers_what_a_crashed_instance_left_pending(
    database_url: str, connector: RecordingConnector
) -> None:
    await _demo(database_url, connector)
    settings = settings_for(database_url)
    async with TestClient(TestServer(create_app(settings))) as client:
        bot = BotUnderTest(client, connector, settings)
        await open_chats(bot, METTE, LARS)
        entry_id = await propose(bot)
        await bot.settle()
    [to_lars] = approval_cards(connector.sent, entry_id)
    # As a kill -9 leaves it: one notification claimed by the dead instance (its claim has run out), one never
    # tried; and one another live instance is delivering right now (its claim still holds).
    now = dt.datetime.now(dt.UTC)
    await bot.query(
        update(Notification).values(
            status=NotificationStatus.PENDING, attempts=0, claimed_until=now - dt.timedelta(seconds=1)
        )
    )
    [(lars_id,)] = await bot.query(select(Person.id).where(Person.aad_object_id == LARS.aad_object_id))
    for claimed_until in (None, now + dt.timedelta(hours=1)):
        await bot.query(
            Notification.__table__.insert().values(
                person_id=lars_id,
                entry_id=entry_id,
                kind=NotificationKind.APPROVAL,
                status=NotificationStatus.PENDING,
                attempts=0,
                created_at=now,
                claimed_until=claimed_until,
            )
        )
    connector.clear()
    async with TestClient(TestServer(create_app(settings))) as client:
        restarted = BotUnderTest(client, connector, settings)
        pending = await restarted.query(select(func.count()).where(Notification.status == NotificationStatus.PENDING))
        await connector.wait_for(pending[0][0] - 1)  # the start-up sweep, without any user turn
        await restarted.settle()
        statuses = await restarted.query(
            select(Notification.status, Notification.claimed_until).order_by(Notification.id)
        )
    assert [s for s, _ in statuses].count(NotificationStatus.PENDING) == 1, "the live instance's claim is respected"
    assert len(approval_cards(connector.sent, entry_id)) == 2, "Lars gets the approval card again, and the new one"
    assert to_lars.message_id not in {s.message_id for s in connector.sent}
