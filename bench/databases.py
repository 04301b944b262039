"""The databases a benchmark run uses: one migrated and seeded template per scenario and backend, and a fresh copy
of it for every measured run, so that no run inherits another's rows, caches or dialog state.

SQLite copies go through SQLite's backup API; PostgreSQL copies are `CREATE DATABASE ... TEMPLATE ...` on the
server given by --postgres (the role needs CREATEDB, as scripts/postgres.sh sets it up). Every PostgreSQL
database the benchmark creates is named `bench_<run id>_...` and dropped again at the end.
"""

from __future__ import annotations

import sqlite3
import uuid
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from storage.db import create_engine

SQLITE = "sqlite"
POSTGRES = "postgres"


@dataclass
class Databases:
    """Creates templates and copies under a work directory (SQLite) or on one PostgreSQL server."""

    workdir: Path
    postgres_url: str | None = None
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    _created: list[str] = field(default_factory=list)

    def backends(self) -> list[str]:
        return [SQLITE, POSTGRES] if self.postgres_url else [SQLITE]

    async def empty(self, backend: str, name: str) -> str:
        """The URL of a new, empty database."""
        if backend == SQLITE:
            path = self.workdir / f"{name}.db"
            path.unlink(missing_ok=True)
            return f"sqlite+aiosqlite:///{path}"
        db_name = self._pg_name(name)
        await self._admin(f'CREATE DATABASE "{db_name}"')
        return self._pg_url(db_name)

    async def copy(self, backend: str, template_url: str, name: str) -> str:
        """The URL of a new database holding what the template holds."""
        if backend == SQLITE:
            source = make_url(template_url).database
            assert source is not None
            path = self.workdir / f"{name}.db"
            path.unlink(missing_ok=True)
            # The backup API copies a WAL-mode database consistently, WAL contents included.
            with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(path)) as dst:
                src.backup(dst)
            return f"sqlite+aiosqlite:///{path}"
        template = make_url(template_url).database
        db_name = self._pg_name(name)
        await self._admin(f'CREATE DATABASE "{db_name}" TEMPLATE "{template}"')
        return self._pg_url(db_name)

    async def drop(self, url: str) -> None:
        if make_url(url).get_backend_name() == SQLITE:
            _remove_sqlite(make_url(url).database)
            return
        name = make_url(url).database
        await self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if name in self._created:
            self._created.remove(name)

    async def drop_all(self) -> None:
        for name in list(self._created):
            await self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._created.clear()

    def _pg_name(self, name: str) -> str:
        db_name = f"bench_{self.run_id}_{name}".replace("-", "_")[:63]
        self._created.append(db_name)
        return db_name

    def _pg_url(self, db_name: str) -> str:
        assert self.postgres_url is not None
        return make_url(self.postgres_url).set(database=db_name).render_as_string(hide_password=False)

    async def _admin(self, statement: str) -> None:
        assert self.postgres_url is not None
        admin = create_engine(self.postgres_url, isolation_level="AUTOCOMMIT")
        try:
            async with admin.connect() as conn:
                await conn.execute(text(statement))
        finally:
            await admin.dispose()


def backend_of(url: str) -> str:
    return SQLITE if make_url(url).get_backend_name() == SQLITE else POSTGRES


def _remove_sqlite(path: str | None) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
