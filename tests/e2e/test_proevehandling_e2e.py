"""Issue 20 in the Playground: Mette proposes a prøvehandling, Lars recommends it, Karin corrects its wording and
approves it, and Mette's `læring` then offers it by its corrected title."""

from __future__ import annotations

import time

import pytest

from cards import texts
from cards.payloads import Command
from core.vocabulary import Action, EntryKind
from testkit.activities import KARIN, LARS
from tests.cardtext import template_start
from tests.e2e.playground import E2E, Chat

pytestmark = pytest.mark.e2e

RECOMMEND = texts.DECISION_BUTTONS[Action.RECOMMEND]


async def test_a_proevehandling_from_proposal_to_laering(e2e: E2E, chat: Chat) -> None:
    unique = str(time.time_ns())[-6:]
    handling = f"Vi læser højt i grupper af fire hver formiddag ({unique})"
    corrected = f"Dialogisk læsning i grupper af fire hver formiddag ({unique})"
    lars = await e2e.chat(LARS.email)
    karin = await e2e.chat(KARIN.email)

    since = await chat.mark_cards()
    await chat.send(Command.PROEVEHANDLING)
    picker = await chat.wait_for_card(texts.MAAL_TITLE, button=texts.BUTTON_CHOOSE, since=since)
    await chat.click(texts.BUTTON_CHOOSE, within=picker)
    what = await chat.wait_for_card(texts.PROEVEHANDLING_HANDLING_LABEL, button=texts.BUTTON_NEXT, since=since)
    await chat.fill(texts.PROEVEHANDLING_HANDLING_LABEL, handling, within=what)
    await chat.screenshot("proevehandling_1_what", card=what)
    await chat.click(texts.BUTTON_NEXT, within=what)
    know = await chat.wait_for_card(texts.PROEVEHANDLING_VIDE_TITLE, button=texts.BUTTON_NEXT, since=since)
    await chat.fill(texts.PROEVEHANDLING_HVORDAN_LABEL, "Flere børn beder selv om at få læst højt", within=know)
    await chat.click(texts.BUTTON_NEXT, within=know)
    together = await chat.wait_for_card(texts.PROEVEHANDLING_INDDRAGELSE_TITLE, button=texts.BUTTON_NEXT, since=since)
    await chat.click(texts.BUTTON_NEXT, within=together)
    when = await chat.wait_for_card(texts.PROEVEHANDLING_EVALUERES_TITLE, button=texts.BUTTON_NEXT, since=since)
    await chat.fill(texts.PROEVEHANDLING_EVALUERES_LABEL, "2027-03-01", within=when)
    await chat.click(texts.BUTTON_NEXT, within=when)
    check = await chat.wait_for_card(texts.PROEVEHANDLING_CHECK_TITLE, since=since)
    await chat.screenshot("proevehandling_2_check", card=check)
    await chat.click(texts.BUTTON_SEND, within=check)
    await chat.wait_for_card(texts.PROEVEHANDLING_RECEIPT_TITLE, since=since)

    title = template_start(texts.ENTRY_TITLE[EntryKind.PROEVEHANDLING])
    to_lars = await lars.wait_for_card([title, handling], button=RECOMMEND)
    await lars.click(RECOMMEND, within=to_lars)
    to_karin = await karin.wait_for_card([title, handling], button=texts.BUTTON_CORRECT_APPROVE)
    await karin.fill(texts.APPROVAL_CORRECT_LABEL, corrected, within=to_karin)
    await karin.screenshot("proevehandling_3_chef_corrects", card=to_karin)
    await karin.click(texts.BUTTON_CORRECT_APPROVE, within=to_karin)
    approved = await karin.wait_for_card([corrected, texts.STATUS_APPROVED_BY_KIND[EntryKind.PROEVEHANDLING]])
    await karin.screenshot("proevehandling_4_approved", card=approved)

    since = await chat.mark_cards()
    await chat.send(Command.LAERING)
    maal = await chat.wait_for_card(texts.MAAL_TITLE, button=texts.BUTTON_CHOOSE, since=since)
    await chat.click(texts.BUTTON_CHOOSE, within=maal)
    offered = await chat.wait_for_card([texts.LAERING_PH_TITLE, corrected], since=since)
    await chat.screenshot("proevehandling_5_offered_in_laering", card=offered)
