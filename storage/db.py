"""Engine and session factory: SQLite (WAL, foreign keys) by default, PostgreSQL when DATABASE_URL says so."""

from __future__ import annotations

import asyncio
import collections
import logging
import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.dialects.sqlite.aiosqlite import AsyncAdapt_aiosqlite_connection, AsyncAdapt_aiosqlite_cursor
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.util import EMPTY_DICT
from sqlalchemy.util.concurrency import await_

log = logging.getLogger(__name__)


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


class _OneHopCursor(AsyncAdapt_aiosqlite_cursor):
    """SQLAlchemy's aiosqlite cursor, with a statement run in one call on the driver's thread (issue 14).

    aiosqlite runs every cursor call in its thread, and SQLAlchemy's adapter makes four per statement (create
    the cursor, execute, fetch all rows, close), each a round trip through a queue, a thread switch and a future:
    on SQLite the largest cost of a read turn. This cursor does the same four calls on sqlite3's own cursor in one
    function on that thread and keeps the results (rows, description, rowcount, lastrowid) as SQLAlchemy's cursor
    does after fetching them. Transactions (commit, rollback) and the connection are SQLAlchemy's, unchanged.
    """

    __slots__ = ("_arraysize", "_description", "_lastrowid", "_rowcount")

    def __init__(self, adapt_connection: Any):
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._cursor = None  # type: ignore[assignment]  # no aiosqlite cursor is kept between statements
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = collections.deque()
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid: int | None = None
        self._arraysize = 1

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> Any:
        return self._lastrowid

    @property
    def arraysize(self) -> int:
        return self._arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._arraysize = value

    async def _async_soft_close(self) -> None:
        return None

    def close(self) -> None:
        self._rows.clear()

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        try:
            return await_(self._run(operation, [() if parameters is None else parameters], many=False))
        except Exception as error:
            self._adapt_connection._handle_exception(error)

    def executemany(self, operation: Any, seq_of_parameters: Any) -> Any:
        try:
            return await_(self._run(operation, seq_of_parameters, many=True))
        except Exception as error:
            self._adapt_connection._handle_exception(error)

    async def _run(self, operation: Any, parameters: Sequence[Any], *, many: bool) -> None:
        def run(connection: sqlite3.Connection) -> tuple[Any, list[Any], int, int | None]:
            cursor = connection.cursor()
            try:
                if many:
                    cursor.executemany(operation, parameters)
                else:
                    cursor.execute(operation, parameters[0])
                description = cursor.description
                rows = cursor.fetchall() if description else []
                return description, rows, cursor.rowcount, cursor.lastrowid
            finally:
                cursor.close()

        async with self._adapt_connection._execute_mutex:
            driver = self._connection
            self._description, rows, self._rowcount, self._lastrowid = await driver._execute(run, driver._conn)
        self._rows = collections.deque(rows)


class _OneHopConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()
    _cursor_cls = _OneHopCursor


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Statements in one call on the driver's thread (see _OneHopCursor); the class adds no state.
    if type(dbapi_connection) is AsyncAdapt_aiosqlite_connection:
        dbapi_connection.__class__ = _OneHopConnection
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
