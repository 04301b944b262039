"""A tegn goes from a medarbejder through the leder to the chef in the Playground; each sees the right card.

Every test proposes its own tegn and finds its cards by that text, so the tests run in any order, alone or
together on one bot (the entry numbers then differ from run to run).
"""

from __future__ import annotations

import sqlite3

import pytest

from cards import danish, texts
from cards.payloads import Command
from core.vocabulary import Action, EntryKind, Role
from testkit.activities import AHMED, KARIN, LARS
from tests.cardtext import plain, template_start
from tests.e2e.playground import E2E, Chat

pytestmark = pytest.mark.e2e

COMMENT_LABEL = texts.APPROVAL_COMMENT_LABEL
RECOMMEND = texts.DECISION_BUTTONS[Action.RECOMMEND]
APPROVE = texts.DECISION_BUTTONS[Action.APPROVE]
SEND_BACK = texts.DECISION_BUTTONS[Action.SEND_BACK]
# Demo organisation: Karin is chef for Kirkebjerg's afdeling.
KIRKEBJERG_PLAN = "Målplan 2026 – Dagtilbud Kirkebjerg"


async def propose(chat: Chat, tegn: str) -> None:
    since = await chat.mark_cards()
    await chat.send(Command.TEGN)
    picker = await chat.wait_for_card(texts.MAAL_TITLE, button=texts.BUTTON_CHOOSE, since=since)
    await chat.click(texts.BUTTON_CHOOSE, within=picker)
    form = await chat.wait_for_card(texts.TEGN_LABEL, button=texts.BUTTON_NEXT, since=since)
    await chat.fill(texts.TEGN_LABEL, tegn, within=form)
    await chat.click(texts.BUTTON_NEXT, within=form)
    check = await chat.wait_for_card(texts.TEGN_CHECK_TITLE, button=texts.BUTTON_SEND, since=since)
    await chat.click(texts.BUTTON_SEND, within=check)
    await chat.wait_for_card([texts.TEGN_RECEIPT_TITLE, tegn], since=since)


async def test_leder_then_chef_approve_and_the_owner_is_told(e2e: E2E, chat: Chat) -> None:
    tegn = "Flere forældre spørger ind til, hvad deres barn har leget"
    comment = "Godt tegn – vi tæller hver måned"
    # Lars and Karin open Teams first: the bot can then reach them in their personal chats.
    lars = await e2e.chat(LARS.email)
    karin = await e2e.chat(KARIN.email)
    await propose(chat, tegn)

    card = await lars.wait_for_card([template_start(texts.ENTRY_TITLE[EntryKind.TEGN]), tegn], button=RECOMMEND)
    assert await card.get_by_role("button", name=SEND_BACK).is_visible()
    await lars.screenshot("approval_1_leder_card", card=card)
    await lars.fill(COMMENT_LABEL, comment, within=card)
    await lars.click(RECOMMEND, within=card)
    karin_chef = texts.PERSON_WITH_TITLE.format(name=KARIN.name, title=texts.ROLE_TITLES[Role.CHEF])
    waiting_for_chef = texts.STATUS_PENDING_FOR_PEOPLE.format(who=karin_chef)
    decided = await lars.wait_for_card([tegn, waiting_for_chef])
    assert await decided.get_by_role("button", name=RECOMMEND).count() == 0, "after deciding, only the status"
    await lars.screenshot("approval_2_leder_after", card=decided)

    chef_card = await karin.wait_for_card(tegn, button=APPROVE)
    assert await chef_card.get_by_text(comment, exact=False).is_visible()
    await karin.screenshot("approval_3_chef_card", card=chef_card)
    await karin.click(APPROVE, within=chef_card)
    approved = await karin.wait_for_card([tegn, texts.STATUS_APPROVED_BY_KIND[EntryKind.TEGN]])
    await karin.screenshot("approval_4_chef_after", card=approved)

    recommended = await chat.wait_for_card([texts.OWNER_NEWS[Action.RECOMMEND][0], tegn])
    await chat.screenshot("approval_5_owner_recommended", card=recommended)
    news = await chat.wait_for_card([texts.OWNER_NEWS[Action.APPROVE][0], tegn])
    told = plain(texts.OWNER_NEWS_APPROVED[EntryKind.TEGN].format(actor=KARIN.name))
    assert await news.get_by_text(told, exact=False).is_visible()
    await chat.screenshot("approval_6_owner_approved", card=news)


async def test_sent_back_the_owner_edits_and_resubmits(e2e: E2E) -> None:
    # Ahmed, not Mette, owns this one: nothing here rests on what another test left in Mette's chat.
    tegn = "Flere forældre kommer med på tur"
    better = "Flere forældre tilbyder selv at tage med på tur"
    ahmed = await e2e.chat(AHMED.email)
    lars = await e2e.chat(LARS.email)
    await propose(ahmed, tegn)

    since = await lars.mark_cards()
    await lars.send(Command.GODKEND)
    card = await lars.wait_for_card(tegn, button=SEND_BACK, since=since)
    await lars.screenshot("approval_7_inbox_card", card=card)
    await lars.click(SEND_BACK, within=card)
    refused = await lars.wait_for_card([tegn, texts.APPROVAL_COMMENT_REQUIRED.format(owner=AHMED.name)])
    await lars.fill(COMMENT_LABEL, "Hvad ser vi hos forældrene?", within=refused)
    await lars.click(SEND_BACK, within=refused)
    await lars.wait_for_card([tegn, texts.STATUS_SENT_BACK_TO.format(owner=AHMED.name)])

    news = await ahmed.wait_for_card([texts.OWNER_NEWS[Action.SEND_BACK][0], tegn], button=texts.BUTTON_EDIT_RESUBMIT)
    await ahmed.screenshot("approval_8_owner_sent_back", card=news)
    await ahmed.click(texts.BUTTON_EDIT_RESUBMIT, within=news)
    form = await ahmed.wait_for_card(texts.TEGN_LABEL, button=texts.BUTTON_NEXT)
    assert await ahmed.value(texts.TEGN_LABEL, within=form) == tegn
    await ahmed.fill(texts.TEGN_LABEL, better, within=form)
    await ahmed.click(texts.BUTTON_NEXT, within=form)
    check = await ahmed.wait_for_card(texts.TEGN_CHECK_TITLE, button=texts.BUTTON_SEND)
    await ahmed.click(texts.BUTTON_SEND, within=check)
    await ahmed.wait_for_card([texts.RESUBMITTED_TITLE, better])
    again = await lars.wait_for_card(better, button=RECOMMEND)
    assert await again.is_visible()


async def test_a_chef_exports_a_maalplan(e2e: E2E) -> None:
    karin = await e2e.chat(KARIN.email)
    since = await karin.mark_cards()
    await karin.send(Command.EKSPORT)
    assert karin.bot is not None
    with sqlite3.connect(karin.bot.database_url.split("///", 1)[1]) as db:
        (plan_id,) = db.execute("SELECT id FROM maalplaner WHERE title = ?", (KIRKEBJERG_PLAN,)).fetchone()
    button = texts.EXPORT_BUTTON_NUMBERED.format(title=KIRKEBJERG_PLAN, number=plan_id)
    picker = await karin.wait_for_card(texts.EXPORT_PICK_TITLE, button=button, since=since)
    await karin.screenshot("export_picker", card=picker)
    await karin.click(button, within=picker)
    expected = plain(danish.fill(texts.EXPORT_READY, title=KIRKEBJERG_PLAN, url="", minutes=10))
    await karin.wait_for_text(expected)
    await karin.screenshot("export_link")
