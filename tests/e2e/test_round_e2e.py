"""A personalemøde round in the Playground's group chat: Lars starts a tegn round, Mette and Ahmed add three
proposals (one typed with an @mention), Lars closes, picks two, corrects one and sends them on, and Karin finds them
in `godkend`. Other people's clicks go through the Playground's custom activities, as in the approval tests."""

from __future__ import annotations

import time
from typing import Any

import pytest

from cards import texts
from cards.round import ADD_VERB
from tests.e2e.playground import E2E, Chat, Playground, _poll

pytestmark = pytest.mark.e2e

LARS = "lars.mikkelsen@albertslund.dk"
METTE = "mette.hansen@albertslund.dk"
AHMED = "ahmed.khan@albertslund.dk"


def _invoke(playground: Playground, user: str, verb: str, data: dict[str, Any]) -> dict[str, Any]:
    return playground.activity_from(
        user,
        type="invoke",
        name="adaptiveCard/action",
        value={"action": {"type": "Action.Execute", "verb": verb, "data": data}, "trigger": "manual"},
    )


def _typed(playground: Playground, user: str, text: str) -> dict[str, Any]:
    """A message in the group chat that @mentions the bot, as Teams sends it."""
    mention = f"<at>{playground.bot_name}</at>"
    bot = {"id": playground.config["bot"]["id"], "name": playground.bot_name}
    return playground.activity_from(
        user,
        text=f"{mention} {text}",
        entities=[{"type": "mention", "text": mention, "mentioned": bot}],
    )


async def _round_id(chat: Chat) -> int:
    """The round's id, read from the bot's database (the card data carries it, but the page does not show it)."""
    import sqlite3

    assert chat.bot is not None
    path = chat.bot.database_url.split("///", 1)[1]
    with sqlite3.connect(path) as db:
        (found,) = db.execute("SELECT max(id) FROM rounds").fetchone()
    return int(found)


async def test_a_tegn_round_in_the_group_chat(e2e: E2E) -> None:
    unique = str(time.time_ns())[-6:]  # the tests may run in any order, and the bot's database is shared
    lars = await e2e.chat(LARS)
    await lars.open_group()
    since = await lars.mark_cards()
    await lars.mention_and_send("møde")
    setup = await lars.wait_for_card(texts.ROUND_SETUP_TITLE, button=texts.ROUND_BUTTON_START, since=since)
    await lars.screenshot("round_1_setup_starter", card=setup)
    await lars.click(texts.ROUND_BUTTON_START, within=setup)
    base = await lars.wait_for_card(texts.ROUND_TYPE_HINT, since=since)
    await lars.screenshot("round_2_base_card", card=base)
    round_id = await _round_id(lars)
    playground = await e2e.playground(LARS)

    first, second, third = (
        f"Flere børn fortæller selv om deres dag ({unique})",
        f"Forældre spørger til sangene fra samling ({unique})",
        f"Børnene bruger nye ord i legen ({unique})",
    )
    # Mette, in her own Teams (Playground): `møde` shows the open round to her; she adds one from the card and
    # sees her own view. (Each Playground is its own client, so the round's card moves to her chat meanwhile.)
    mette = await e2e.chat(METTE)
    await mette.open_group()
    since_mette = await mette.mark_cards()
    await mette.mention_and_send("møde")
    her_base = await mette.wait_for_card(texts.ROUND_TYPE_HINT, button=texts.ROUND_BUTTON_ADD, since=since_mette)
    await mette.fill(texts.ROUND_INPUT_LABEL, first, within=her_base)
    await mette.click(texts.ROUND_BUTTON_ADD, within=her_base)
    her_view = await mette.wait_for_card(texts.ROUND_MINE_HEADER, button=texts.ROUND_BUTTON_REMOVE, since=since_mette)
    assert await her_view.get_by_role("button", name=texts.ROUND_BUTTON_CLOSE).count() == 0, "only the starter's"
    await mette.screenshot("round_2b_participant_view", card=her_view)

    # Her second click goes through Lars's Playground; Lars writes `møde` to show the round again in his chat.
    await playground.send_custom_activity(
        _invoke(playground, METTE, ADD_VERB, {"round_id": round_id, "proposal": second})
    )
    since = await lars.mark_cards()
    await lars.mention_and_send("møde")
    base = await lars.wait_for_card(texts.ROUND_COUNT.format(count=2, people=1).split(" fra")[0], since=since)
    # Ahmed types his with an @mention.
    await playground.send_custom_activity(_typed(playground, AHMED, third))
    await lars.wait_for_text(texts.ROUND_TYPED_ADDED.split("{")[0].strip())

    # The shared card's count follows (coalesced); Lars's own view shows every proposal and "Afslut runde".
    count = texts.ROUND_COUNT.format(count=3, people=2)

    async def counted() -> bool | None:
        return True if count in " ".join((await base.inner_text()).split()) else None

    assert await _poll(counted, seconds=20), f"the shared card did not show {count!r}"
    await lars.screenshot("round_3_base_card_counted", card=base)
    await lars.fill(texts.ROUND_INPUT_LABEL, f"Lars' eget forslag ({unique})", within=base)
    await lars.click(texts.ROUND_BUTTON_ADD, within=base)
    mine = await lars.wait_for_card(texts.ROUND_ALL_HEADER, button=texts.ROUND_BUTTON_CLOSE, since=since)
    assert await mine.get_by_text(f"{third} – Ahmed Khan", exact=False).is_visible()
    await lars.screenshot("round_4_starter_view", card=mine)

    # Lars closes by typing, as he can from any device. The Agents Playground never fires the automatic refresh, so
    # a person's own view is replaced by the shared card as soon as the coalesced update lands; which of the two a
    # screenshot catches depends on timing. The selection, the corrected wording and the forwarding into the chef's
    # inbox are therefore checked over HTTP (tests/test_rounds.py, test_a_tegn_round_from_start_to_the_chefs_inbox),
    # where each view is the bot's answer itself; here the close is checked by its summary message in the chat.
    await lars.mention_and_send("møde slut")
    summary = await lars.wait_for_card(texts.ROUND_SUMMARY_COUNT.format(count=4, people=3), since=since)
    assert await summary.get_by_text(third, exact=False).is_visible()
    await lars.screenshot("round_5_summary", card=summary)
    await lars.screenshot("round_7_group_chat")
