"""SqlStorage on SQLite and PostgreSQL: Microsoft's Storage conformance suite, plus concurrency and long keys."""

from __future__ import annotations

import asyncio
import inspect
import logging
from typing import Any

import pytest
from botbuilder.core import StoreItem
from botbuilder.testing.storage_base_tests import StorageBaseTests
from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.bot_state import MAX_KEY_BYTES, EtagConflictError, SqlStorage, storage_key
from storage.db import Sessions, create_engine, create_sessionmaker
from storage.models import BotStateItem

# Every check in botbuilder-testing's suite, found in its source so that a new one is picked up on upgrade.
CONFORMANCE = sorted(
    name
    for name, member in inspect.getmembers(StorageBaseTests, inspect.iscoroutinefunction)
    if not name.startswith("_")
)


def test_the_conformance_suite_is_found() -> None:
    assert {
        "return_empty_object_when_reading_unknown_key",
        "handle_null_keys_when_reading",
        "handle_null_keys_when_writing",
        "does_not_raise_when_writing_no_items",
        "create_object",
        "handle_crazy_keys",
        "update_object",
        "delete_object",
        "delete_unknown_object",
        "perform_batch_operations",
        "proceeds_through_waterfall",
    } <= set(CONFORMANCE)


@pytest.fixture
def storage(sessionmaker: async_sessionmaker[AsyncSession]) -> SqlStorage:
    return SqlStorage(sessionmaker)


@pytest.mark.parametrize("check", CONFORMANCE)
async def test_conformance(storage: SqlStorage, check: str) -> None:
    assert await getattr(StorageBaseTests, check)(storage) is True


async def _stored_keys(sessionmaker: async_sessionmaker[AsyncSession]) -> list[str]:
    async with sessionmaker() as session:
        return list((await session.scalars(select(BotStateItem.key))).all())


class Note(StoreItem):
    """A store item that is an object, not a dict (like botbuilder's own state objects)."""


# --- etags ----------------------------------------------------------------------------------------------------


async def test_every_write_stores_a_new_etag_and_leaves_the_callers_item_alone(storage: SqlStorage) -> None:
    item = {"count": 1}
    await storage.write({"k": item})
    first = (await storage.read(["k"]))["k"]
    await storage.write({"k": first})
    second = (await storage.read(["k"]))["k"]

    assert item == {"count": 1}
    assert first["e_tag"] and second["e_tag"] and first["e_tag"] != second["e_tag"]


async def test_a_stale_etag_is_a_conflict_and_a_wildcard_overwrites(storage: SqlStorage) -> None:
    await storage.write({"k": {"v": 1}})
    stale = (await storage.read(["k"]))["k"]
    await storage.write({"k": {**stale, "v": 2}})

    with pytest.raises(EtagConflictError):
        await storage.write({"k": {**stale, "v": 3}})
    assert (await storage.read(["k"]))["k"]["v"] == 2

    await storage.write({"k": {**stale, "v": 4, "e_tag": "*"}})
    assert (await storage.read(["k"]))["k"]["v"] == 4


async def test_an_etag_for_an_item_deleted_meanwhile_is_a_conflict(storage: SqlStorage) -> None:
    await storage.write({"k": {"v": 1}})
    read = (await storage.read(["k"]))["k"]
    await storage.delete(["k"])

    with pytest.raises(EtagConflictError):
        await storage.write({"k": read})
    assert await storage.read(["k"]) == {}


async def test_a_batch_with_a_conflict_writes_nothing(storage: SqlStorage) -> None:
    await storage.write({"a": {"v": 1}, "b": {"v": 1}})
    read = await storage.read(["a", "b"])
    await storage.write({"b": {"v": 2}})

    with pytest.raises(EtagConflictError):
        await storage.write({"a": {**read["a"], "v": 9}, "b": {**read["b"], "v": 9}})
    after = await storage.read(["a", "b"])
    assert (after["a"]["v"], after["b"]["v"]) == (1, 2)


async def test_objects_round_trip_with_their_etag(storage: SqlStorage) -> None:
    await storage.write({"note": Note(text="hej", tags=["a", "b"], e_tag="*")})
    note = (await storage.read(["note"]))["note"]
    assert isinstance(note, Note)
    assert (note.text, note.tags) == ("hej", ["a", "b"])
    assert note.e_tag and note.e_tag != "*"

    note.text = "farvel"
    await storage.write({"note": note})
    with pytest.raises(EtagConflictError):
        await storage.write({"note": note})


async def test_documents_are_never_logged(storage: SqlStorage, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="storage.bot_state")
    await storage.write({"k": {"text": "noget brugeren skrev"}})
    read = await storage.read(["k"])
    await storage.write({"k": read["k"]})
    with pytest.raises(EtagConflictError):
        await storage.write({"k": read["k"]})
    await storage.delete(["k"])

    assert caplog.records
    assert "noget brugeren skrev" not in caplog.text


# --- concurrency ----------------------------------------------------------------------------------------------


async def _a_writer_is_waiting(sessionmaker: Sessions) -> bool:
    """Whether a unit of work is queued behind the one that is open: on SQLite at the sessionmaker's write lock
    (an asyncio.Lock: its queue is CPython's `_waiters`), on PostgreSQL at a row lock (pg_stat_activity)."""
    lock = sessionmaker._write_lock
    if lock is not None:
        return bool(lock._waiters)
    async with sessionmaker() as session:
        waiting = await session.scalar(
            text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
        )
    return bool(waiting)


async def _until_a_writer_waits(sessionmaker: Sessions, task: asyncio.Task[None]) -> None:
    """Wait (with a deadline, not a fixed time) until another unit of work is blocked behind the open one."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 30
    while not await _a_writer_is_waiting(sessionmaker):
        assert not task.done(), f"the write did not wait for the open transaction: {task}"
        assert loop.time() < deadline, "the write never started waiting for the open transaction"
        await asyncio.sleep(0.01)


async def test_of_two_instances_writing_with_the_same_etag_exactly_one_wins(database_url: str) -> None:
    # Two bot instances: separate engines, so separate connections and transactions.
    engines = [create_engine(database_url), create_engine(database_url)]
    try:
        first, second = (SqlStorage(create_sessionmaker(engine)) for engine in engines)
        for round_ in range(10):
            await first.write({"conv": {"round": round_, "by": None}})
            seen = (await first.read(["conv"]))["conv"]

            results = await asyncio.gather(
                first.write({"conv": {**seen, "by": "first"}}),
                second.write({"conv": {**seen, "by": "second"}}),
                return_exceptions=True,
            )

            failures = [result for result in results if isinstance(result, BaseException)]
            assert len(failures) == 1, results
            assert isinstance(failures[0], EtagConflictError)
            winner = "second" if results[0] is failures[0] else "first"
            stored = (await second.read(["conv"]))["conv"]
            assert (stored["round"], stored["by"]) == (round_, winner)
            assert stored["e_tag"] != seen["e_tag"]
    finally:
        for engine in engines:
            await engine.dispose()


async def test_of_many_writers_with_the_same_etag_exactly_one_wins(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    storage = SqlStorage(sessionmaker)
    await storage.write({"conv": {"by": None}})
    seen = (await storage.read(["conv"]))["conv"]

    results = await asyncio.gather(
        *(storage.write({"conv": {**seen, "by": n}}) for n in range(8)), return_exceptions=True
    )

    winners = [n for n, result in enumerate(results) if result is None]
    assert len(winners) == 1, results
    assert all(isinstance(result, EtagConflictError) for result in results if result is not None)
    assert (await storage.read(["conv"]))["conv"]["by"] == winners[0]


async def test_the_etag_check_sees_a_write_committed_while_it_waited(sessionmaker: Sessions) -> None:
    # Another instance's write holds the row (PostgreSQL) or the database (SQLite) while ours starts; ours must
    # wait for it and then see the changed eTag, not decide on what it read before.
    storage = SqlStorage(sessionmaker)
    await storage.write({"conv": {"by": None}})
    seen = (await storage.read(["conv"]))["conv"]

    async with sessionmaker.begin() as other:
        await other.execute(update(BotStateItem).where(BotStateItem.key == "conv").values(etag="written-by-other"))
        ours = asyncio.create_task(storage.write({"conv": {**seen, "by": "us"}}))
        await _until_a_writer_waits(sessionmaker, ours)
        assert not ours.done()

    with pytest.raises(EtagConflictError):
        await ours
    stored = (await storage.read(["conv"]))["conv"]
    assert (stored["by"], stored["e_tag"]) == (None, "written-by-other")


async def test_concurrent_first_writes_of_a_new_key_all_succeed(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    storage = SqlStorage(sessionmaker)

    await asyncio.gather(*(storage.write({"new": {"by": n}}) for n in range(8)))

    assert (await storage.read(["new"]))["new"]["by"] in range(8)
    assert await _stored_keys(sessionmaker) == ["new"]


# --- keys -----------------------------------------------------------------------------------------------------

# A Teams-like conversation id, made long enough to overflow the key column.
LONG_KEY = "msteams/conversations/a:1" + "x" * 3000 + "/users/29:abc"


def test_keys_that_fit_are_stored_as_they_are() -> None:
    fits = "k" * MAX_KEY_BYTES
    assert storage_key(fits) == fits
    assert storage_key('!@#$%^&*()_+??><":QASD~`') == '!@#$%^&*()_+??><":QASD~`'


@pytest.mark.parametrize(
    "key",
    [
        pytest.param(LONG_KEY, id="long"),
        pytest.param("k" * (MAX_KEY_BYTES + 1), id="one-too-long"),
        pytest.param("æ" * 600, id="multibyte"),  # 600 characters, 1200 bytes
        pytest.param("a\x00b", id="nul"),
    ],
)
def test_other_keys_are_hashed_deterministically(key: str) -> None:
    stored = storage_key(key)
    assert stored == storage_key(key)
    assert len(stored.encode()) <= MAX_KEY_BYTES
    assert "\x00" not in stored
    assert "#sha256:" in stored
    assert key.replace("\x00", "").startswith(stored.split("#sha256:")[0])


def test_long_keys_with_a_common_prefix_get_different_stored_keys() -> None:
    assert storage_key(LONG_KEY + "1") != storage_key(LONG_KEY + "2")


async def test_long_keys_round_trip_under_the_callers_key(
    storage: SqlStorage, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    other = LONG_KEY.replace("/users/29:abc", "/users/29:def")
    await storage.write({LONG_KEY: {"who": "abc"}, other: {"who": "def"}, "short": {"who": "short"}})

    read = await storage.read([LONG_KEY, other, "short"])
    assert {key: item["who"] for key, item in read.items()} == {LONG_KEY: "abc", other: "def", "short": "short"}
    stored = await _stored_keys(sessionmaker)
    assert sorted(stored) == sorted([storage_key(LONG_KEY), storage_key(other), "short"])
    assert all(len(key) <= MAX_KEY_BYTES for key in stored)

    await storage.write({LONG_KEY: {**read[LONG_KEY], "who": "changed"}})
    with pytest.raises(EtagConflictError):
        await storage.write({LONG_KEY: read[LONG_KEY]})

    await storage.delete([LONG_KEY])
    assert set(await storage.read([LONG_KEY, other])) == {other}


async def test_non_ascii_keys_and_documents(storage: SqlStorage) -> None:
    document: dict[str, Any] = {"tekst": "Vi så ændringer i målgruppen ✓", "liste": [1, 2.5, None, True]}
    await storage.write({"bruger/Søren": document})
    read = (await storage.read(["bruger/Søren"]))["bruger/Søren"]
    assert {key: value for key, value in read.items() if key != "e_tag"} == document


async def test_empty_and_missing_inputs(storage: SqlStorage) -> None:
    assert await storage.read([]) == {}
    await storage.write({})
    await storage.delete([])
    with pytest.raises(Exception, match="Keys are required when deleting"):
        await storage.delete(None)
    with pytest.raises(Exception, match="etag missing"):
        await storage.write({"k": {"e_tag": ""}})
