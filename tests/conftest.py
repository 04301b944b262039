"""Shared fixtures: real databases (an SQLite file, and PostgreSQL via TEST_POSTGRES_URL) and the bot app."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import shutil
import sqlite3
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from app import NOTIFIER, SCHEDULER, create_app
from bot.scheduler import Scheduler
from bot.settings import Settings
from domain import clock
from storage.db import create_engine, create_sessionmaker
from storage.migrate import upgrade_async
from storage.orgfile import import_file
from testkit import activities
from testkit.connector import Member, RecordingConnector, Sent, start_connector
from tests.cardtext import action, inputs

DEMO_ORGANISATION = Path(__file__).resolve().parents[1] / "demo" / "organisation.yaml"
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def _admin_url() -> str:
    admin_url = os.environ.get("TEST_POSTGRES_URL")
    if not admin_url:
        pytest.skip("TEST_POSTGRES_URL is not set: run the suite with `make test`, which starts PostgreSQL")
    return admin_url


async def _fresh_postgres_database(template: str | None = None) -> tuple[str, str]:
    """Create a database on the test server, empty or a copy of `template`; returns (its URL, its name)."""
    admin_url = _admin_url()
    name = f"t_{uuid.uuid4().hex[:16]}"
    copy = f' TEMPLATE "{template}"' if template else ""
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            await conn.execute(text(f'CREATE DATABASE "{name}"{copy}'))
    finally:
        await admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False), name


async def _drop_postgres_database(name: str) -> None:
    admin = create_engine(os.environ["TEST_POSTGRES_URL"], isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        await admin.dispose()


def _checkpoint(path: Path) -> None:
    """Fold the write-ahead log into the file and drop it, so that the file alone is the whole database."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


class Templates:
    """Migrated databases, made once per test run on first use and copied for each test.

    Running the migrations costs far more than copying their result: an SQLite file is copied, a PostgreSQL
    database is created from the template (`CREATE DATABASE … TEMPLATE …`). tests/test_migrations.py still runs
    the migrations on an empty database on each backend.
    """

    def __init__(self, directory: Path) -> None:
        self._directory = directory
        self._sqlite: Path | None = None
        self._postgres: str | None = None

    async def sqlite_copy(self, target: Path) -> str:
        """A migrated SQLite file at `target`; returns its URL."""
        if self._sqlite is None:
            template = self._directory / "template.db"
            await upgrade_async(f"sqlite+aiosqlite:///{template}")
            # The migration's engine is disposed (its connections closed); the checkpoint makes sure no committed
            # page is left in template.db-wal, which copying the main file would lose.
            await asyncio.to_thread(_checkpoint, template)
            self._sqlite = template
        await asyncio.to_thread(shutil.copyfile, self._sqlite, target)
        return f"sqlite+aiosqlite:///{target}"

    async def postgres_copy(self) -> tuple[str, str]:
        """A migrated PostgreSQL database of its own; returns (its URL, its name)."""
        if self._postgres is None:
            url, name = await _fresh_postgres_database()
            try:
                # The migration's engine is disposed afterwards: a template must have no open connection.
                await upgrade_async(url)
            except BaseException:
                await _drop_postgres_database(name)
                raise
            self._postgres = name
        return await _fresh_postgres_database(template=self._postgres)

    async def close(self) -> None:
        if self._postgres is not None:
            await _drop_postgres_database(self._postgres)


@pytest.fixture(scope="session")
async def templates(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Templates]:
    templates = Templates(tmp_path_factory.mktemp("templates"))
    try:
        yield templates
    finally:
        await templates.close()


@pytest.fixture(params=BACKENDS)
async def database_url(request: pytest.FixtureRequest, tmp_path: Path, templates: Templates) -> AsyncIterator[str]:
    """A migrated, empty database on each backend; the test runs once per backend."""
    if request.param == "sqlite":
        yield await templates.sqlite_copy(tmp_path / "test.db")
        return
    url, name = await templates.postgres_copy()
    try:
        yield url
    finally:
        await _drop_postgres_database(name)


@pytest.fixture
async def sqlite_url(tmp_path: Path, templates: Templates) -> str:
    """A migrated SQLite file, for tests that are about the bot rather than the backend."""
    return await templates.sqlite_copy(tmp_path / "bot.db")


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    yield engine
    await engine.dispose()


@pytest.fixture
def sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return create_sessionmaker(engine)


@dataclass
class BotUnderTest:
    """The real app from create_app, served on loopback, with the recording connector behind it."""

    client: TestClient
    connector: RecordingConnector
    settings: Settings
    # The people who have the app installed in their personal chat (see `installed`).
    installed_for: set[str] = field(default_factory=set)

    @property
    def service_url(self) -> str:
        return self.connector.url

    async def post(self, activity: dict[str, Any], *, headers: dict[str, str] | None = None) -> ClientResponse:
        return await self.client.post("/api/messages", json=activity, headers=headers)

    async def say(self, text: str, *, user: activities.User = activities.METTE) -> list[Sent]:
        """Type a message in the user's personal chat; returns what the bot sent in reply."""
        await self.installed(user)
        return await self._turn(activities.message(self.service_url, text, user=user))

    async def click(
        self, sent: Sent, title: str, *, user: activities.User = activities.METTE, nth: int = 0, **typed: Any
    ) -> list[Sent]:
        """Click a button on a card the bot sent, with the inputs as the user left them (plus `typed`)."""
        [card] = sent.cards
        # As in Teams: the action's data, with every input merged in by id (untouched inputs as "").
        value = {
            **action(card, title, nth),
            **{k: v if v is not None else "" for k, v in inputs(card).items()},
            **typed,
        }
        activity = activities.submit(self.service_url, value, user=user, reply_to_id=sent.message_id)
        await self.installed(user)
        return await self._turn(activity)

    async def execute(
        self, verb: str, data: dict[str, Any], *, user: activities.User, reply_to_id: str | None = None
    ) -> dict[str, Any]:
        """Click an Action.Execute button; returns the invoke response body (the card Teams shows instead)."""
        activity = activities.execute(self.service_url, verb, data, user=user, reply_to_id=reply_to_id)
        response = await self.post(activity)
        assert response.status == 200, await response.text()
        body: dict[str, Any] = await response.json()
        return body

    async def query(self, statement: Any) -> list[Any]:
        """Run a statement on the bot's database in its own transaction; returns the rows."""
        engine = create_engine(self.settings.DATABASE_URL)
        try:
            async with create_sessionmaker(engine).begin() as session:
                result = await session.execute(statement)
                return list(result.all()) if getattr(statement, "is_select", False) else []
        finally:
            await engine.dispose()

    @property
    def scheduler(self) -> Scheduler:
        return self.client.app[SCHEDULER]

    async def tick(self, moment: dt.datetime) -> list[int]:
        """The scheduler's tick at `moment` (the clock frozen there) and its deliveries; returns what it queued."""
        with clock.frozen(moment):
            queued = await self.scheduler.tick()
            await self.scheduler.outbox.drain()
        return queued

    async def settle(self) -> None:
        """Wait until the notifications sent in the background are done."""
        await self.client.app[NOTIFIER].drain()

    async def installed(self, user: activities.User) -> None:
        """As in Teams, where a personal chat with the bot begins with the app's installation (and its greeting),
        before the person's first message; a first message without it is greeted too (tests/test_http.py)."""
        if user.aad_object_id not in self.installed_for:
            self.installed_for.add(user.aad_object_id)
            await self._turn(activities.bot_installed(self.service_url, user=user))

    def sent_to(self, user: activities.User) -> list[Sent]:
        conversation = activities.personal_conversation(user)["id"]
        return [s for s in self.connector.sent if s.conversation_id == conversation]

    async def _turn(self, activity: dict[str, Any]) -> list[Sent]:
        """Post the activity; returns what the bot sent to that conversation during the turn."""
        before = len(self.connector.sent)
        response = await self.post(activity)
        assert response.status in (200, 201), await response.text()
        conversation = activity["conversation"]["id"]
        return [s for s in self.connector.sent[before:] if s.conversation_id == conversation]


def test_settings(database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "DATABASE_URL": database_url,
        "NOTIFY_RETRY_BASE_SECONDS": 0.01,
        "APP_ID": "",
        "ALLOWED_TENANT_IDS": ["tenant-albertslund"],
        "EXPORT_SIGNING_KEY": "test-signing-key",
        # The Plan A deadlines fall beside the eksempel deadline: their reminders are off unless a test wants them
        # (tests/test_plan_a_overview.py), so that the other reminder tests count only their own.
        "PLAN_A_REMINDER_OFFSETS_DAYS": [],
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


@pytest.fixture
async def connector() -> AsyncIterator[RecordingConnector]:
    recorder, runner = await start_connector()
    try:
        yield recorder
    finally:
        await runner.cleanup()


@pytest.fixture
async def bot(sqlite_url: str, connector: RecordingConnector) -> AsyncIterator[BotUnderTest]:
    settings = test_settings(sqlite_url)
    async with TestClient(TestServer(create_app(settings))) as client:
        yield BotUnderTest(client, connector, settings)


@pytest.fixture
async def demo_bot(sqlite_url: str, connector: RecordingConnector) -> AsyncIterator[BotUnderTest]:
    """The bot with the demo organisation loaded, and its people known to the connector as Teams members."""
    await import_file(sqlite_url, DEMO_ORGANISATION)
    for user in (
        activities.METTE,
        activities.AHMED,
        activities.LARS,
        activities.SOFIE,
        activities.KARIN,
        activities.STINNE,
        activities.NEWCOMER,
    ):
        connector.add_member(Member(user.id, user.name, user.aad_object_id, user.email))
    settings = test_settings(sqlite_url)
    async with TestClient(TestServer(create_app(settings))) as client:
        yield BotUnderTest(client, connector, settings)


class Sleeps:
    """domain.clock's sleep, replaced: every sleep is recorded and returns at once, or waits while `hold()` is on."""

    def __init__(self) -> None:
        self.requested: list[float] = []
        self._gate = asyncio.Event()
        self._gate.set()

    async def __call__(self, seconds: float) -> None:
        self.requested.append(seconds)
        await self._gate.wait()

    def hold(self) -> None:
        """Sleeps from now on wait until `release()`."""
        self._gate.clear()

    def release(self) -> None:
        self._gate.set()


@pytest.fixture
def sleeps() -> Iterator[Sleeps]:
    """No real sleeping in the test: the production code's `clock.sleep` calls are recorded instead."""
    sleeps = Sleeps()
    clock.set_sleep(sleeps)
    try:
        yield sleeps
    finally:
        sleeps.release()
        clock.set_sleep(None)
