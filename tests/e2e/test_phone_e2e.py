"""On a phone (390 × 844) in the Playground: a leder approves with Action.Submit, and leads a whole round by typing;
every card is looked at in a screenshot and nothing of it is cut off."""

from __future__ import annotations

import sqlite3
import time

import pytest

from cards import texts
from cards.payloads import Command
from core.vocabulary import Action, EntryKind, Role
from testkit.activities import KARIN, LARS, METTE
from tests.cardtext import template_start
from tests.e2e.playground import E2E, Chat
from tests.e2e.test_approvals_e2e import propose
from tests.e2e.test_round_e2e import _typed

pytestmark = pytest.mark.e2e

RECOMMEND = texts.DECISION_BUTTONS[Action.RECOMMEND]


def _sprog_maal(chat: Chat) -> int:
    assert chat.bot is not None
    path = chat.bot.database_url.split("///", 1)[1]
    with sqlite3.connect(path) as db:
        (found,) = db.execute("SELECT id FROM maal WHERE key = 'sprog'").fetchone()
    return int(found)


async def test_a_leder_approves_on_a_phone(e2e: E2E, chat: Chat) -> None:
    tegn = "Flere børn fortæller forældrene om dagens leg"
    lars = await e2e.chat(LARS.email)
    await propose(chat, tegn)
    card = await lars.wait_for_card([template_start(texts.ENTRY_TITLE[EntryKind.TEGN]), tegn], button=RECOMMEND)
    assert await lars.at_width(card) == []
    await lars.screenshot("phone_1_approval_card", card=card)
    await lars.click(RECOMMEND, within=card)  # an Action.Submit: a phone can tap it
    karin = texts.PERSON_WITH_TITLE.format(name=KARIN.name, title=texts.ROLE_TITLES[Role.CHEF])
    waiting = texts.STATUS_PENDING_FOR_PEOPLE.format(who=karin)
    decided = await lars.wait_for_card([tegn, waiting])
    assert await decided.get_by_role("button", name=RECOMMEND).count() == 0, "updated in place: only the status"
    assert await lars.at_width(decided) == []
    await lars.screenshot("phone_2_approval_after", card=decided)


async def test_a_leder_leads_a_round_on_a_phone_by_typing(e2e: E2E) -> None:
    unique = str(time.time_ns())[-6:]
    lars = await e2e.chat(LARS.email)
    await lars.open_group()
    since = await lars.mark_cards()
    await lars.mention_and_send(f"møde tegn {_sprog_maal(lars)}")
    base = await lars.wait_for_card(texts.ROUND_TYPE_HINT, since=since)
    assert await lars.at_width(base) == []
    await lars.screenshot("phone_3_round_card", card=base)

    playground = await e2e.playground(LARS.email)
    await playground.send_custom_activity(_typed(playground, METTE.email, f"Børnene leger mere sammen ({unique})"))
    await playground.send_custom_activity(_typed(playground, METTE.email, f"Tegn på ro ved frokosten ({unique})"))
    await lars.mention_and_send("møde slut")
    summary = await lars.wait_for_card([texts.ROUND_SUMMARY_TITLE, unique], since=since)
    assert await lars.at_width(summary) == []
    await lars.screenshot("phone_4_round_summary", card=summary)

    # The selection comes to his personal chat as Action.Submit: he ticks one and sends it on.
    await lars.open_personal()
    selection = await lars.wait_for_card(texts.ROUND_SELECT_HEADER, button=texts.ROUND_BUTTON_FORWARD)
    assert await lars.at_width(selection) == []
    await lars.screenshot("phone_5_round_selection", card=selection)
    await lars.toggle(texts.ROUND_SELECT_TOGGLE.format(n=1), within=selection)
    await lars.click(texts.ROUND_BUTTON_FORWARD, within=selection)
    sent = await lars.wait_for_card([texts.ROUND_FORWARDED_MARK, unique])
    await lars.screenshot("phone_6_round_sent_on", card=sent)
    await lars.send(Command.HELP)
    help_card = await lars.wait_for_card(texts.HELP_TYPED_HEADER)
    await lars.screenshot("phone_7_help_typed_forms", card=help_card)
