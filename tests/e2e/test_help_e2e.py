"""The help card in the Playground: typed in the personal chat, rendered by the real Adaptive Card renderer."""

from __future__ import annotations

import pytest

from cards import texts
from cards.payloads import Command
from tests.cardtext import plain
from tests.e2e.playground import Chat
from turn.help import HELP_STARTS

pytestmark = pytest.mark.e2e


async def test_hjaelp_shows_the_help_card(chat: Chat) -> None:
    await chat.send(Command.HELP)

    card = await chat.wait_for_card(texts.HELP_TITLE)
    await chat.screenshot("help_card")

    assert await card.get_by_text(texts.HELP_TITLE, exact=True).is_visible()
    for title, _ in HELP_STARTS:
        assert await card.get_by_role("button", name=title, exact=True).is_visible()


async def test_mention_in_the_group_chat_shows_the_help_card(chat: Chat) -> None:
    await chat.open_group()
    since = await chat.mark_cards()

    await chat.mention_and_send(Command.HELP)

    card = await chat.wait_for_card(texts.HELP_TITLE, since=since)
    # In a group chat: the round and its typed forms; the 1:1 flows are answered in the personal chat.
    assert await card.get_by_text(plain(texts.HELP_GROUP_PROPOSAL), exact=False).is_visible()
    assert await card.get_by_role("button", name=texts.HELP_BUTTON_TEGN, exact=True).count() == 0
