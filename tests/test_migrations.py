"""The migrations themselves, on each backend: from an empty database to the models' schema, and one step back."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection

from storage.db import create_engine
from storage.migrate import alembic_config, upgrade_async
from storage.models import Base
from tests.conftest import BACKENDS, _drop_postgres_database, _fresh_postgres_database


@pytest.fixture(params=BACKENDS)
async def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """An empty database (no migration run) on each backend."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"
        return
    url, name = await _fresh_postgres_database()
    try:
        yield url
    finally:
        await _drop_postgres_database(name)


def _differences(connection: Connection) -> list[Any]:
    """What autogenerate would change to make the database match the models (nothing, if the migrations do)."""
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


async def _state(url: str) -> tuple[str | None, list[Any]]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            version = await connection.scalar(text("SELECT version_num FROM alembic_version"))
            return version, await connection.run_sync(_differences)
    finally:
        await engine.dispose()


async def test_the_migrations_build_the_models_schema_from_an_empty_database(empty_database_url: str) -> None:
    scripts = ScriptDirectory.from_config(alembic_config(empty_database_url))
    head = scripts.get_current_head()
    assert head is not None

    await upgrade_async(empty_database_url)
    assert await _state(empty_database_url) == (head, [])

    # The newest migration goes back, and forth again.
    previous = scripts.get_revision(head).down_revision
    assert isinstance(previous, str)
    await asyncio.to_thread(command.downgrade, alembic_config(empty_database_url), previous)
    assert (await _state(empty_database_url))[0] == previous
    await upgrade_async(empty_database_url)
    assert await _state(empty_database_url) == (head, [])
