"""A personalemøde round in the Playground's group chat: Lars starts a tegn round, Mette and Ahmed add three
proposals (one typed with an @mention), Lars closes, picks two, corrects one and sends them on, and Karin finds them
in `godkend`. Other people's clicks go through the Playground's custom activities, as in the approval tests."""

from __future__ import annotations

import time
from typing import Any

import pytest

from cards import danish, texts
from cards.payloads import Command
from cards.round import ADD_VERB
from core.vocabulary import Action
from testkit.activities import AHMED, KARIN, LARS, METTE
from tests.e2e.playground import E2E, Chat, Playground, _poll

pytestmark = pytest.mark.e2e

APPROVE = texts.DECISION_BUTTONS[Action.APPROVE]


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
        (found,) = db.execute("SELECT id FROM rounds ORDER BY created_at DESC LIMIT 1").fetchone()
    return int(found)


async def test_a_tegn_round_in_the_group_chat(e2e: E2E) -> None:
    unique = str(time.time_ns())[-6:]  # the tests may run in any order, and the bot's database is shared
    lars = await e2e.chat(LARS.email)
    await lars.open_group()
    since = await lars.mark_cards()
    await lars.mention_and_send("møde")
    setup = await lars.wait_for_card(texts.ROUND_SETUP_TITLE, button=texts.ROUND_BUTTON_START, since=since)
    await lars.screenshot("round_1_setup_starter", card=setup)
    await lars.click(texts.ROUND_BUTTON_START, within=setup)
    base = await lars.wait_for_card(texts.ROUND_TYPE_HINT, since=since)
    await lars.screenshot("round_2_base_card", card=base)
    round_id = await _round_id(lars)
    playground = await e2e.playground(LARS.email)

    first, second, third = (
        f"Flere børn fortæller selv om deres dag ({unique})",
        f"Forældre spørger til sangene fra samling ({unique})",
        f"Børnene bruger nye ord i legen ({unique})",
    )
    # Mette, in her own Teams (Playground): `møde` shows the open round to her; she adds one from the card and
    # sees her own view. (Each Playground is its own client, so the round's card moves to her chat meanwhile.)
    mette = await e2e.chat(METTE.email)
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
        _invoke(playground, METTE.email, ADD_VERB, {"round_id": round_id, "proposal": second})
    )
    since = await lars.mark_cards()
    await lars.mention_and_send("møde")
    base = await lars.wait_for_card(danish.fill(texts.ROUND_COUNT, count=2, people=1).split(" fra")[0], since=since)
    # Ahmed types his with an @mention.
    await playground.send_custom_activity(_typed(playground, AHMED.email, third))
    await lars.wait_for_text(texts.ROUND_TYPED_ADDED.split("{")[0].strip())

    # The shared card's count follows (coalesced); Lars's own view shows every proposal and "Afslut runde".
    count = danish.fill(texts.ROUND_COUNT, count=3, people=2)

    async def counted() -> bool | None:
        return True if count in " ".join((await base.inner_text()).split()) else None

    assert await _poll(counted, seconds=20), f"the shared card did not show {count!r}"
    await lars.screenshot("round_3_base_card_counted", card=base)
    await lars.fill(texts.ROUND_INPUT_LABEL, f"Lars' eget forslag ({unique})", within=base)
    await lars.click(texts.ROUND_BUTTON_ADD, within=base)
    mine = await lars.wait_for_card(texts.ROUND_ALL_HEADER, button=texts.ROUND_BUTTON_CLOSE, since=since)
    assert await mine.get_by_text(f"{third} – Ahmed Khan", exact=False).is_visible()
    await lars.screenshot("round_4_starter_view", card=mine)

    # Lars closes by typing, as he can from any device: the summary is posted as a new message, and the shared
    # card becomes the summary too, with "Vælg forslag" for him. (The Agents Playground never fires the automatic
    # refresh, so his own view would otherwise only come from a click; in Teams it comes by itself.)
    karin = await e2e.chat(KARIN.email)  # Karin has opened Teams: the chef's cards can reach her
    await lars.mention_and_send("møde slut")
    summary = await lars.wait_for_card(danish.fill(texts.ROUND_SUMMARY_COUNT, count=4, people=3), since=since)
    assert await summary.get_by_text(third, exact=False).is_visible()
    await lars.screenshot("round_5_summary", card=summary)
    shared = await lars.wait_for_card(texts.ROUND_SELECT_HINT.format(name=LARS.name), button=texts.ROUND_BUTTON_SELECT)
    await lars.screenshot("round_6_shared_card_closed", card=shared)

    # He picks two, corrects the wording of one and sends them on. The proposals are numbered in the order given.
    await lars.click(texts.ROUND_BUTTON_SELECT, within=shared)
    selection = await lars.wait_for_card(texts.ROUND_SELECT_HEADER, button=texts.ROUND_BUTTON_FORWARD)
    for number, proposal in enumerate((first, second, third), start=1):
        assert await lars.value(texts.ROUND_SELECT_TEXT_LABEL.format(n=number), within=selection) == proposal
    corrected = f"Børnene bruger nye ord fra samling i den frie leg ({unique})"
    await lars.toggle(texts.ROUND_SELECT_TOGGLE.format(n=1), within=selection)
    await lars.toggle(texts.ROUND_SELECT_TOGGLE.format(n=3), within=selection)
    await lars.fill(texts.ROUND_SELECT_TEXT_LABEL.format(n=3), corrected, within=selection)
    await lars.screenshot("round_7_selection", card=selection)
    await lars.click(texts.ROUND_BUTTON_FORWARD, within=selection)
    forwarded = await lars.wait_for_card(texts.ROUND_FORWARDED.format(count=2, total=4))
    assert await forwarded.get_by_text(corrected, exact=False).is_visible()
    await lars.screenshot("round_8_forwarded", card=forwarded)
    await lars.screenshot("round_9_group_chat")

    # Karin, the chef, finds both in `godkend`, the corrected wording and where they came from.
    since_karin = await karin.mark_cards()
    await karin.send(Command.GODKEND)
    for tegn in (first, corrected):
        found = await karin.wait_for_card(tegn, button=APPROVE, since=since_karin)
        assert await found.get_by_text(texts.ROUND_FORWARDED_COMMENT.split("{")[0].strip(), exact=False).count()
    await karin.screenshot("round_10_chef_godkend", card=found)
