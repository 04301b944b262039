"""Two bot processes share the real PostgreSQL server, behind one connector, as two instances behind a load
balancer: racing decisions store one, pending notifications are delivered once (each instance sweeps them with
FOR UPDATE SKIP LOCKED), and the same click reaching both gives nobody an error."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import func, insert, select

from cards import texts
from core.vocabulary import Action, NotificationKind, NotificationStatus
from storage.db import create_engine, create_sessionmaker
from storage.migrate import upgrade_async
from storage.models import Decision, Entry, Notification, Person
from storage.orgfile import import_file
from testkit import activities
from testkit.activities import LARS, METTE
from testkit.connector import Member, RecordingConnector, Sent
from testkit.process import BotProcess
from tests.cardtext import action, card_texts, inputs
from tests.conftest import DEMO_ORGANISATION, _drop_postgres_database, _fresh_postgres_database

pytestmark = pytest.mark.postgres

PENDING = 60


async def _query(url: str, statement: Any) -> list[Any]:
    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine).begin() as session:
            result = await session.execute(statement)
            return list(result.all()) if getattr(statement, "is_select", False) else []
    finally:
        await engine.dispose()


@pytest.fixture
async def postgres_url() -> AsyncIterator[str]:
    url, name = await _fresh_postgres_database()
    try:
        await upgrade_async(url)
        await import_file(url, DEMO_ORGANISATION)
        yield url
    finally:
        await _drop_postgres_database(name)


async def _post(session: aiohttp.ClientSession, bot: BotProcess, activity: dict[str, Any]) -> tuple[int, Any]:
    async with session.post(f"{bot.url}/api/messages", json=activity) as response:
        body = await response.json() if response.content_type == "application/json" else None
        return response.status, body


def _replies(connector: RecordingConnector, before: int, user: activities.User) -> list[Sent]:
    conversation = activities.personal_conversation(user)["id"]
    return [s for s in connector.sent[before:] if s.conversation_id == conversation]


def _click(connector: RecordingConnector, sent: Sent, title: str, user: activities.User, **typed: Any) -> dict:
    [card] = sent.cards
    value = {**action(card, title), **{k: v if v is not None else "" for k, v in inputs(card).items()}, **typed}
    return activities.submit(connector.url, value, user=user, reply_to_id=sent.message_id)


def _errors(sent: list[Sent]) -> list[Sent]:
    return [
        s for s in sent if s.text == texts.ERROR_GENERIC or (s.cards and texts.ERROR_GENERIC in card_texts(s.cards[0]))
    ]


async def test_two_processes_on_one_postgres(postgres_url: str, connector: RecordingConnector, tmp_path: Path) -> None:
    for user in (METTE, LARS):
        connector.add_member(Member(user.id, user.name, user.aad_object_id, user.email))
    # Both instances sweep often, so that they race for the same pending notifications.
    often = {"NOTIFY_SWEEP_SECONDS": "0.2", "NOTIFY_CLAIM_SECONDS": "60"}
    a = BotProcess(postgres_url, tmp_path / "a.log", often)
    b = BotProcess(postgres_url, tmp_path / "b.log", often)
    a.start()
    b.start()
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session:
            await asyncio.gather(a.wait_up(session), b.wait_up(session))
            for user in (METTE, LARS):
                await _post(session, a, activities.message(connector.url, "hjælp", user=user))

            # Mette's tegn flow, each click to another instance; the Send reaches both at once.
            before = len(connector.sent)
            await _post(session, a, activities.message(connector.url, "tegn", user=METTE))
            [picker] = _replies(connector, before, METTE)
            before = len(connector.sent)
            click = _click(connector, picker, texts.BUTTON_CHOOSE, METTE)
            await asyncio.gather(_post(session, a, click), _post(session, b, click))  # a double click
            form = [s for s in _replies(connector, before, METTE) if s.cards][-1]
            before = len(connector.sent)
            await _post(session, b, _click(connector, form, texts.BUTTON_NEXT, METTE, tegn="Flere forældre leger med"))
            [check] = [s for s in _replies(connector, before, METTE) if s.cards]
            send = _click(connector, check, texts.BUTTON_SEND, METTE)
            statuses = await asyncio.gather(_post(session, a, send), _post(session, b, send))
            assert {status for status, _ in statuses} == {201}
            [(entry_id, count)] = await _query(postgres_url, select(func.max(Entry.id), func.count(Entry.id)))
            assert count == 1, "the Send that reached both instances stored one tegn"

            # Lars decides on both instances at once, twice.
            decision = {"entry_id": entry_id, "decision": Action.RECOMMEND, "version": 1}
            invoke = activities.execute(connector.url, "decide", decision, user=LARS)
            answers = await asyncio.gather(*(_post(session, bot, invoke) for bot in (a, b, a, b)))
            assert all(status == 200 and body["statusCode"] == 200 for status, body in answers)
            decided = select(func.count()).where(Decision.entry_id == entry_id, Decision.action == Action.RECOMMEND)
            assert await _query(postgres_url, decided) == [(1,)]

            # Sixty notifications left pending (as by an instance that died): both instances' sweeps race for them.
            [(lars_id,)] = await _query(
                postgres_url, select(Person.id).where(Person.aad_object_id == LARS.aad_object_id)
            )
            start = len(connector.sent)
            now = dt.datetime.now(dt.UTC)
            rows = [
                {
                    "person_id": lars_id,
                    "entry_id": entry_id,
                    "kind": NotificationKind.DECISION,
                    "status": NotificationStatus.PENDING,
                    "attempts": 0,
                    "created_at": now,
                }
                for _ in range(PENDING)
            ]
            await _query(postgres_url, insert(Notification).values(rows))
            pending = select(func.count()).where(Notification.status == NotificationStatus.PENDING)
            async with asyncio.timeout(120):
                while (await _query(postgres_url, pending))[0][0]:  # noqa: ASYNC110
                    await asyncio.sleep(0.2)
            await asyncio.sleep(1)  # anything sent twice would have arrived by now
    finally:
        await asyncio.gather(a.stop(), b.stop())
    to_lars = [s for s in connector.sent[start:] if s.conversation_id == activities.personal_conversation(LARS)["id"]]
    delivered = await _query(
        postgres_url,
        select(Notification.activity_id, Notification.attempts).where(Notification.id > 0).order_by(Notification.id),
    )
    last = delivered[-PENDING:]
    assert len(to_lars) == PENDING, f"{len(to_lars)} messages for {PENDING} notifications"
    assert Counter(attempts for _, attempts in last) == {1: PENDING}, "each delivered by one instance, once"
    assert len({activity_id for activity_id, _ in last}) == PENDING
    assert not _errors(connector.sent)
    for bot in (a, b):
        assert "Traceback" not in bot.log.read_text()
