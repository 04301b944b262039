"""A botbuilder Storage for dialog and conversation state, kept in the bot_state table of the app's database."""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, cast

from botbuilder.core import Storage
from jsonpickle.pickler import Pickler
from jsonpickle.unpickler import Unpickler
from sqlalchemy import Table, bindparam, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core import clock
from storage.models import BotStateItem

log = logging.getLogger(__name__)

# The width of bot_state.key. Keys are limited in UTF-8 bytes, not characters, so that a stored key also fits
# PostgreSQL's b-tree entry limit (about 2.7 kB) whatever characters it holds.
MAX_KEY_BYTES = 1024
_HASH_MARKER = "#sha256:"

_table = cast(Table, BotStateItem.__table__)


# Items read ahead for the running turn (`SqlStorage.primed`): storage key -> (document, eTag), or None for none.
_PRIMED: ContextVar[dict[str, tuple[Any, str] | None] | None] = ContextVar("styringsbot_primed_state", default=None)


class EtagConflictError(Exception):
    """A write named an e_tag that is no longer the stored one: another writer changed or deleted the item."""

    def __init__(self, key: str) -> None:
        # The key stays out of the message: keys name conversations and users, and errors get logged loudly.
        super().__init__("Etag conflict: the stored item was changed by another writer")
        self.key = key


def storage_key(key: str) -> str:
    """The primary key under which `key` is stored.

    A key whose UTF-8 encoding fits in MAX_KEY_BYTES (and has no NUL, which PostgreSQL text cannot hold) is
    stored as it is. Any other key is stored as a readable prefix of itself, then "#sha256:" and the hex
    SHA-256 of the whole key's UTF-8 bytes, at most MAX_KEY_BYTES in all. The mapping is deterministic, so every
    bot instance finds the same row; callers always see their own key, never the stored one.
    """
    if not isinstance(key, str):
        raise TypeError(f"storage keys must be str, not {type(key).__name__}")
    encoded = key.encode("utf-8", "surrogatepass")
    if len(encoded) <= MAX_KEY_BYTES and "\x00" not in key:
        return key
    marker = _HASH_MARKER + hashlib.sha256(encoded).hexdigest()
    prefix = encoded[: MAX_KEY_BYTES - len(marker)].decode("utf-8", "ignore").replace("\x00", "")
    return prefix + marker


def _etag_of(item: object) -> str | None:
    value = item.get("e_tag") if isinstance(item, dict) else getattr(item, "e_tag", None)
    return None if value is None else str(value)


def _to_document(item: object) -> Any:
    """The JSON document for a store item: jsonpickle's flattened form without the e_tag, as Cosmos DB stores it.

    Dicts stay plain JSON; other objects (DialogState, StoreItem, models) carry their class under "py/object".
    """
    document = Pickler().flatten(item)
    if isinstance(document, dict):
        document.pop("e_tag", None)
    return document


def _from_document(document: Any, etag: str) -> Any:
    """The store item for a stored document, with the row's eTag as `e_tag` (a key of a dict, else an attribute)."""
    if isinstance(document, dict):
        document = {**document, "e_tag": etag}
    # safe=True: never eval a "py/repr" entry.
    return Unpickler(safe=True).restore(document)


# Built once (issue 14: building a statement costs about as much as running it).
_READ = select(_table.c.key, _table.c.document, _table.c.etag).where(
    _table.c.key.in_(bindparam("keys", expanding=True))
)
_UPDATE = (
    update(_table)
    .where(_table.c.key == bindparam("item_key"), _table.c.etag == bindparam("old_etag"))
    .values(document=bindparam("new_document"), etag=bindparam("new_etag"), updated_at=bindparam("now"))
)


class SqlStorage(Storage):
    """botbuilder's Storage on SQLAlchemy (PostgreSQL or SQLite), with optimistic concurrency by eTag.

    The semantics are botbuilder's (MemoryStorage, and the Cosmos DB and Blob storages in botbuilder-azure):

    - `read(keys)` returns only the keys found; every item carries the stored eTag as `e_tag`.
    - `write(changes)` stores dicts or objects (serialised with jsonpickle, like the Azure storages). An item
      whose `e_tag` is missing, None or "*" overwrites. Any other `e_tag` must equal the stored one, else
      EtagConflictError; as in Cosmos DB and Blob storage, an item that no longer exists counts as changed.
      An empty `e_tag` is an error. Every write stores a new eTag. The caller's objects are never modified.
    - `delete(keys)` ignores keys that do not exist.

    Each call is one transaction, so a batch is written entirely or not at all. Concurrency between bot
    instances rests on single statements: the eTag check is `UPDATE ... WHERE key = :k AND etag = :old`
    (PostgreSQL re-evaluates the condition after waiting for a concurrent writer's row lock, so of two writers
    with the same old eTag exactly one updates a row), and an overwrite is one INSERT ... ON CONFLICT DO UPDATE,
    so there is no window between "is it there?" and "insert it". Long keys are hashed: see `storage_key`.
    """

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        super().__init__()
        self._sessionmaker = sessionmaker

    @staticmethod
    @contextmanager
    def primed(items: Mapping[str, tuple[Any, str] | None]) -> Iterator[None]:
        """Within the block (one turn, in its task), reads of these keys are answered from `items`: the stored
        document and eTag, or None where there is no item, as the caller read them moments before together with
        its other facts (bot.identity.known, issue 14: one round trip less per turn).

        A key is answered from `items` once, and a write or delete of it forgets it, so that everything after
        reads the database again. When the block ends, the items are forgotten for every task that saw them.
        """
        primed = {storage_key(key): item for key, item in items.items()}
        token = _PRIMED.set(primed)
        try:
            yield
        finally:
            primed.clear()
            _PRIMED.reset(token)

    async def read(self, keys: Iterable[str] | None) -> dict[str, Any]:
        if keys is None:
            raise Exception("Keys are required when reading")
        wanted = {storage_key(key): key for key in keys}
        if not wanted:
            return {}
        items: dict[str, Any] = {}
        primed = _PRIMED.get()
        if primed:
            for db_key in [k for k in wanted if k in primed]:
                item = primed.pop(db_key)
                key = wanted.pop(db_key)
                if item is not None:
                    items[key] = _from_document(*item)
        if wanted:
            items.update(await self._read(wanted))
        log.debug("bot state read: %d found: %s", len(items), list(items))
        return items

    async def _read(self, wanted: dict[str, str]) -> dict[str, Any]:
        async with self._sessionmaker() as session:
            rows = (await session.execute(_READ, {"keys": list(wanted)})).all()
        return {wanted[row.key]: _from_document(row.document, row.etag) for row in rows}

    async def write(self, changes: Mapping[str, Any] | None) -> None:
        if changes is None:
            raise Exception("Changes are required when writing")
        if not changes:
            return
        # Check and serialise everything before touching the database. Rows are written in key order, so that
        # two batches over the same keys lock them in the same order and cannot deadlock.
        rows: list[tuple[str, str, str | None, Any]] = []
        for key, item in changes.items():
            etag = _etag_of(item)
            if etag == "":
                raise Exception("SqlStorage.write(): etag missing")
            rows.append((storage_key(key), key, None if etag == "*" else etag, _to_document(item)))
        rows.sort(key=lambda row: row[0])
        _forget(row[0] for row in rows)

        async with self._sessionmaker.begin() as session:
            dialect = (await session.connection()).dialect.name
            for db_key, key, etag, document in rows:
                values = {"document": document, "etag": uuid.uuid4().hex, "updated_at": clock.now()}
                if etag is None:
                    await session.execute(_upsert(dialect, db_key, values))
                    continue
                result = cast(
                    CursorResult[Any],
                    await session.execute(
                        _UPDATE,
                        {
                            "item_key": db_key,
                            "old_etag": etag,
                            "new_document": values["document"],
                            "new_etag": values["etag"],
                            "now": values["updated_at"],
                        },
                    ),
                )
                if result.rowcount != 1:
                    log.debug("bot state write conflict: %r", key[:100])
                    raise EtagConflictError(key)
        log.debug("bot state written: %s", [row[1] for row in rows])

    async def delete(self, keys: Iterable[str] | None) -> None:
        if keys is None:
            raise Exception("Keys are required when deleting")
        db_keys = sorted({storage_key(key) for key in keys})
        if not db_keys:
            return
        _forget(db_keys)
        async with self._sessionmaker.begin() as session:
            await session.execute(delete(_table).where(_table.c.key.in_(db_keys)))
        log.debug("bot state deleted: %s", db_keys)


def _forget(db_keys: Iterable[str]) -> None:
    primed = _PRIMED.get()
    if primed:
        for db_key in db_keys:
            primed.pop(db_key, None)


def _upsert(dialect: str, db_key: str, values: dict[str, Any]) -> Any:
    """INSERT ... ON CONFLICT (key) DO UPDATE: one atomic overwrite on PostgreSQL and on SQLite (3.24+)."""
    if dialect == "postgresql":
        stmt: Any = postgresql.insert(_table)
    elif dialect == "sqlite":
        stmt = sqlite.insert(_table)
    else:
        raise NotImplementedError(f"SqlStorage supports PostgreSQL and SQLite, not {dialect}")
    stmt = stmt.values(key=db_key, **values)
    return stmt.on_conflict_do_update(
        index_elements=[_table.c.key], set_={name: stmt.excluded[name] for name in values}
    )


# The conversation state's property that holds the dialog stack (bot.handler's DialogSet).
DIALOGS = "dialogs"


def holds_no_dialog(state: tuple[Any, str] | None) -> bool:
    """Whether the stored conversation state (document, eTag) certainly holds no active dialog: there is none, it has
    no dialog state, or its dialog stack is empty. Anything else, or any doubt, is False: it is then read as usual."""
    if state is None:
        return True
    document = state[0]
    if not isinstance(document, dict):
        return False
    dialogs = document.get(DIALOGS, {"_dialog_stack": []})
    return isinstance(dialogs, dict) and dialogs.get("_dialog_stack") == []
