"""Engine and session factory: SQLite (WAL, foreign keys) by default, PostgreSQL when DATABASE_URL says so."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

log = logging.getLogger(__name__)


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers run beside the one writer; busy_timeout makes a second writer wait instead of failing.
    # isolation_level None stops the driver from issuing its own deferred BEGIN; _sqlite_on_begin does it.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


_WRITE = "styringsbot_sqlite_write"


def _sqlite_on_begin(connection: Any) -> None:
    # A deferred transaction that reads and then writes fails with SQLITE_BUSY_SNAPSHOT when another writer
    # committed in between, instead of waiting. A unit of work that writes (Sessions.begin) therefore starts
    # with BEGIN IMMEDIATE and takes the write lock up front: concurrent writers queue and then see committed
    # data, so conditional updates behave as on PostgreSQL. Reads stay deferred: in WAL mode they never wait.
    # https://www.sqlite.org/lang_transaction.html  https://docs.sqlalchemy.org/en/20/dialects/sqlite.html
    connection.exec_driver_sql("BEGIN IMMEDIATE" if connection.get_execution_options().get(_WRITE) else "BEGIN")


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """An async engine for the URL, with SQLite's pragmas and transaction mode set on every connection."""
    if is_sqlite(url):
        engine = create_async_engine(url, **kwargs)
        event.listen(engine.sync_engine, "connect", _sqlite_on_connect)
        event.listen(engine.sync_engine, "begin", _sqlite_on_begin)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("pool_size", 10)
    return create_async_engine(url, **kwargs)


class Sessions(async_sessionmaker[AsyncSession]):
    """`sessions()` opens a session for reading; `sessions.begin()` is one unit of work that writes.

    On SQLite the writing units of one process also queue on an asyncio lock, so that they wait their turn in
    the event loop rather than in SQLite's busy handler (which sleeps in growing steps and makes the tail slow).
    """

    def __init__(self, engine: AsyncEngine):
        super().__init__(engine, expire_on_commit=False)
        self._write_lock = asyncio.Lock() if is_sqlite(engine.url.render_as_string()) else None

    @asynccontextmanager
    async def begin(self) -> AsyncIterator[AsyncSession]:  # type: ignore[override]
        if self._write_lock is None:
            async with super().begin() as session:
                yield session
            return
        async with self._write_lock, super().begin() as session:
            await session.connection(execution_options={_WRITE: True})
            yield session


def create_sessionmaker(engine: AsyncEngine) -> Sessions:
    return Sessions(engine)
