"""What a turn reads in one statement (issue 14): who the sender is, and the dialog state read along with it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bench.seed import dialog_state_key
from storage import repo
from storage.bot_state import SqlStorage, storage_key
from storage.db import create_engine, create_sessionmaker
from testkit import activities
from tests.conftest import BotUnderTest

KEY = "msteams/conversations/a:1/users/29:1"


@pytest.fixture
async def storage(database_url: str) -> AsyncIterator[SqlStorage]:
    engine = create_engine(database_url)
    yield SqlStorage(create_sessionmaker(engine))
    await engine.dispose()


async def test_a_primed_item_is_answered_once_then_the_database_again(storage: SqlStorage) -> None:
    await storage.write({KEY: {"n": 1}})
    with SqlStorage.primed({KEY: ({"n": 2}, "etag-2")}):
        first = await storage.read([KEY])
        second = await storage.read([KEY])
    assert first[KEY]["n"] == 2 and first[KEY]["e_tag"] == "etag-2", "the primed item, not a read"
    assert second[KEY]["n"] == 1, "read from the database the second time"


async def test_a_primed_absence_and_a_write_forget_the_primed_item(storage: SqlStorage) -> None:
    with SqlStorage.primed({KEY: None, "other": None}):
        assert await storage.read([KEY]) == {}
        await storage.write({"other": {"n": 3}})
        assert (await storage.read(["other"]))["other"]["n"] == 3
    with SqlStorage.primed({KEY: ({"n": 9}, "x")}):
        await storage.delete([KEY])
        assert await storage.read([KEY]) == {}


async def test_the_sender_is_read_with_roles_reference_and_state_in_one_statement(demo_bot: BotUnderTest) -> None:
    await demo_bot.say("tegn", user=activities.LARS)  # first contact, and a flow in the dialog state
    engine = create_engine(demo_bot.settings.DATABASE_URL)
    try:
        async with create_sessionmaker(engine)() as session:
            conversation = activities.personal_conversation(activities.LARS)["id"]
            key = dialog_state_key(activities.LARS)
            found = await repo.sender(session, activities.LARS.aad_object_id, conversation, storage_key(key))
            missing = await repo.sender(session, activities.LARS.aad_object_id, "a:unknown", "no-such-key")
    finally:
        await engine.dispose()
    assert found is not None and found.display_name == activities.LARS.name
    assert {role.value for role, _ in found.roles} == {"leder"}
    assert found.reference is not None and found.reference_person_id == found.person_id
    assert found.state is not None and "dialogs" in found.state[0]
    assert missing is not None and missing.reference is None and missing.state is None
