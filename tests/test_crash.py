"""A real crash: the bot runs as a subprocess on an SQLite file and is killed with SIGKILL while people send tegn.

Four people run the tegn flow over and over, concurrently, over HTTP. The bot is killed four times (the second
time right after a Send was posted) and restarted on the same file; people then carry on from the card they have
(a click on the old card, as in Teams, or Teams' retry of a Send that got no answer). At the end: every tegn
whose receipt reached the connector exists exactly once, nothing is duplicated, `PRAGMA integrity_check` is ok,
and every notification left pending by the kills is delivered by the restarted bot without any user turn.
Bounded: about a minute.
"""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from cards import texts
from storage.migrate import upgrade_async
from storage.orgfile import import_file
from testkit import activities
from testkit.connector import Member, RecordingConnector, Sent
from testkit.process import START_WITHIN, BotProcess
from tests.cardtext import action, card_texts, inputs
from tests.conftest import DEMO_ORGANISATION

WORKERS = (activities.METTE, activities.AHMED, activities.SOFIE, activities.STINNE)
APPROVERS = (activities.LARS, activities.KARIN)
KILLS = 3
SENDS_PER_RUN = 5


class BotDown(Exception):
    """The request got no answer: the bot process is gone."""


@dataclass
class Crash:
    """The bot process, the connector it talks to, and what the people saw."""

    connector: RecordingConnector
    bot: BotProcess
    up: asyncio.Event = field(default_factory=asyncio.Event)
    acknowledged: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    resumed_mid_flow: int = 0
    sends_in_run: int = 0
    kill_after_next_send: bool = False

    @property
    def url(self) -> str:
        return self.bot.url

    @property
    def process(self) -> subprocess.Popen[bytes] | None:
        return self.bot.process

    def start(self) -> None:
        self.bot.start()

    async def wait_up(self, session: aiohttp.ClientSession) -> None:
        await self.bot.wait_up(session)
        self.up.set()

    def kill(self) -> None:
        self.up.clear()
        self.bot.kill()


def _kind(card: dict[str, Any]) -> str:
    shown = card_texts(card)
    if texts.BUTTON_SEND in shown:
        return "check"
    if texts.BUTTON_NEXT in shown and "tegn" in inputs(card):
        return "form"
    if texts.BUTTON_CHOOSE in shown:
        return "picker"
    return "receipt"


@dataclass
class Person:
    user: activities.User
    card: Sent | None = None
    step: str = "start"
    count: int = 0

    @property
    def conversation(self) -> str:
        return str(activities.personal_conversation(self.user)["id"])


async def _post(crash: Crash, session: aiohttp.ClientSession, activity: dict[str, Any]) -> list[Sent]:
    before = len(crash.connector.sent)
    try:
        async with session.post(f"{crash.url}/api/messages", json=activity) as response:
            status = response.status
    except (TimeoutError, aiohttp.ClientError):
        raise BotDown from None
    if status >= 500:
        crash.errors.append(f"HTTP {status}")
    conversation = activity["conversation"]["id"]
    return [s for s in crash.connector.sent[before:] if s.conversation_id == conversation]


async def _click(crash: Crash, session: aiohttp.ClientSession, person: Person, title: str, **typed: Any) -> list[Sent]:
    assert person.card is not None
    [card] = person.card.cards
    value = {**action(card, title), **{k: v if v is not None else "" for k, v in inputs(card).items()}, **typed}
    activity = activities.submit(crash.url, value, user=person.user, reply_to_id=person.card.message_id)
    activity["serviceUrl"] = crash.connector.url
    return await _post(crash, session, activity)


async def _step(crash: Crash, session: aiohttp.ClientSession, person: Person) -> None:
    if person.step == "start":
        replies = await _post(crash, session, activities.message(crash.connector.url, "tegn", user=person.user))
    elif person.step == "picker":
        replies = await _click(crash, session, person, texts.BUTTON_CHOOSE)
    elif person.step == "form":
        person.count += 1
        text = f"{person.user.name} har set tegn nummer {person.count}"
        replies = await _click(crash, session, person, texts.BUTTON_NEXT, tegn=text)
    else:
        assert person.card is not None
        key = action(person.card.cards[0], texts.BUTTON_SEND)["submission_key"]
        if crash.kill_after_next_send:
            crash.kill_after_next_send = False
            sending = asyncio.ensure_future(_click(crash, session, person, texts.BUTTON_SEND))
            await asyncio.sleep(0.01)  # the Send is on its way
            crash.kill()
            await asyncio.gather(sending, return_exceptions=True)
            raise BotDown
        replies = await _click(crash, session, person, texts.BUTTON_SEND)
        if any(s.cards and _kind(s.cards[0]) == "receipt" and s.method == "PUT" for s in replies):
            crash.acknowledged.append(key)
            crash.sends_in_run += 1
    for sent in replies:
        if sent.text == texts.ERROR_GENERIC or (sent.cards and texts.ERROR_GENERIC in card_texts(sent.cards[0])):
            crash.errors.append(f"{person.user.name} at {person.step}: generic error")
    cards = [s for s in replies if s.cards]
    if not cards:
        return
    person.card = cards[-1]
    kind = _kind(person.card.cards[0])
    person.step = "start" if kind == "receipt" else kind


async def _person(crash: Crash, session: aiohttp.ClientSession, person: Person, stop: asyncio.Event) -> None:
    while not stop.is_set():
        await crash.up.wait()
        try:
            await _step(crash, session, person)
        except BotDown:
            if person.step in ("picker", "form", "check"):
                crash.resumed_mid_flow += 1  # after the restart: a click on the card they still have
            await crash.up.wait()


def _integrity(database: Path) -> str:
    with sqlite3.connect(database) as db:
        return str(db.execute("PRAGMA integrity_check").fetchone()[0])


def _rows(database: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(database) as db:
        return list(db.execute(sql).fetchall())


async def test_kill_9_loses_and_duplicates_nothing(tmp_path: Path, connector: RecordingConnector) -> None:
    database = tmp_path / "crash.db"
    url = f"sqlite+aiosqlite:///{database}"
    await upgrade_async(url)
    await import_file(url, DEMO_ORGANISATION)
    for user in WORKERS + APPROVERS:
        connector.add_member(Member(user.id, user.name, user.aad_object_id, user.email))
    log = tmp_path / "bot.log"
    # A killed instance's claims run out quickly, and the restarted one sweeps often.
    quick = {"NOTIFY_CLAIM_SECONDS": "1", "NOTIFY_SWEEP_SECONDS": "0.5"}
    crash = Crash(connector, BotProcess(url, log, quick))
    people = [Person(user) for user in WORKERS]
    timeout = aiohttp.ClientTimeout(total=20)
    async with asyncio.timeout((KILLS + 1) * START_WITHIN), aiohttp.ClientSession(timeout=timeout) as session:
        crash.start()
        await crash.wait_up(session)
        for user in WORKERS + APPROVERS:  # everyone has a chat with the bot, so notifications can reach them
            await _post(crash, session, activities.message(connector.url, "hjælp", user=user))
        stop = asyncio.Event()
        workers = [asyncio.ensure_future(_person(crash, session, person, stop)) for person in people]
        try:
            for kill in range(KILLS):
                crash.sends_in_run = 0
                while crash.sends_in_run < SENDS_PER_RUN:
                    await asyncio.sleep(0.02)
                    assert crash.process is not None and crash.process.poll() is None, log.read_text()[-3000:]
                if kill == 1:
                    crash.kill_after_next_send = True
                    while crash.up.is_set():  # noqa: ASYNC110 (a person's Send kills the bot; this only watches)
                        await asyncio.sleep(0.01)
                else:
                    crash.kill()
                crash.start()
                await crash.wait_up(session)
            crash.sends_in_run = 0
            # People carry on after the last restart.
            while crash.sends_in_run < SENDS_PER_RUN:  # noqa: ASYNC110
                await asyncio.sleep(0.02)
        finally:
            stop.set()
            for worker in workers:
                worker.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
            if crash.process is not None and crash.process.poll() is None and not crash.up.is_set():
                crash.process.kill()
        # Every notification the kills left pending is delivered by the running bot, without any user turn.
        while _rows(database, "SELECT id FROM notifications WHERE status = 'pending'"):  # noqa: ASYNC110
            await asyncio.sleep(0.1)
        await crash.bot.stop()  # a graceful shutdown, too

    keys = Counter(key for (key,) in _rows(database, "SELECT idempotency_key FROM entries"))
    acknowledged = set(crash.acknowledged)
    lost = acknowledged - set(keys)
    duplicated = [key for key, count in keys.items() if count > 1]
    print(
        f"\ncrash test: {KILLS} kills, {len(acknowledged)} acknowledged, {len(keys)} stored, {len(lost)} lost, "
        f"{len(duplicated)} duplicated, {crash.resumed_mid_flow} resumed mid-flow, "
        f"{len(_rows(database, 'SELECT id FROM notifications'))} notifications"
    )
    assert len(acknowledged) >= (KILLS + 1) * SENDS_PER_RUN
    assert lost == set(), "every tegn whose receipt reached the connector is stored"
    assert duplicated == [], "and stored once"
    assert _integrity(database) == "ok"
    assert crash.resumed_mid_flow >= 1, "someone was mid-flow at a kill and carried on from their card"
    assert crash.errors == []
    statuses = Counter(status for (status,) in _rows(database, "SELECT status FROM notifications"))
    assert statuses["pending"] == 0, statuses
    assert statuses["sent"] > 0
