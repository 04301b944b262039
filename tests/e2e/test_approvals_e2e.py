"""A tegn goes from a medarbejder through the leder to the chef in the Playground; each sees the right card."""

from __future__ import annotations

import pytest

from cards import texts
from domain.vocabulary import Action, EntryKind, Role
from tests.e2e.playground import E2E, Chat

pytestmark = pytest.mark.e2e

LARS = "lars.mikkelsen@albertslund.dk"
KARIN = "karin.holm@albertslund.dk"
DOWNLOAD = texts.EXPORT_BUTTON.format(title="Målplan 2026 – Dagtilbud Kirkebjerg")


async def propose(chat: Chat, tegn: str) -> None:
    since = await chat.mark_cards()
    await chat.send("tegn")
    picker = await chat.wait_for_card(texts.MAAL_TITLE, button=texts.BUTTON_CHOOSE, since=since)
    await chat.click(texts.BUTTON_CHOOSE, within=picker)
    form = await chat.wait_for_card(texts.TEGN_LABEL, button=texts.BUTTON_NEXT, since=since)
    await chat.fill(texts.TEGN_LABEL, tegn, within=form)
    await chat.click(texts.BUTTON_NEXT, within=form)
    check = await chat.wait_for_card(texts.TEGN_CHECK_TITLE, button=texts.BUTTON_SEND, since=since)
    await chat.click(texts.BUTTON_SEND, within=check)
    await chat.wait_for_card(texts.TEGN_RECEIPT_TITLE, since=since)


async def test_leder_then_chef_approve_and_the_owner_is_told(e2e: E2E, chat: Chat) -> None:
    # Lars and Karin open Teams first: the bot can then reach them in their personal chats.
    lars = await e2e.chat(LARS)
    karin = await e2e.chat(KARIN)
    # Cards are found by the tegn's own text, never by its number: the tests may run in any order.
    tegn = "Flere forældre spørger ind til, hvad deres barn har leget"
    since = {"lars": await lars.mark_cards(), "karin": await karin.mark_cards(), "mette": await chat.mark_cards()}
    await propose(chat, tegn)

    card = await lars.wait_for_card(tegn, since=since["lars"], button=texts.DECISION_BUTTONS[Action.RECOMMEND])
    assert await card.get_by_role("button", name=texts.DECISION_BUTTONS[Action.SEND_BACK]).is_visible()
    await lars.screenshot("approval_1_leder_card", card=card)
    await lars.fill(texts.APPROVAL_COMMENT_LABEL, "Godt tegn – vi tæller hver måned", within=card)
    await lars.click(texts.DECISION_BUTTONS[Action.RECOMMEND], within=card)
    decided = await lars.wait_for_card(
        texts.STATUS_PENDING_OTHER.format(role=texts.ROLE_LABELS[Role.CHEF]), since=since["lars"]
    )
    assert await decided.get_by_role("button", name=texts.DECISION_BUTTONS[Action.RECOMMEND]).count() == 0, (
        "after deciding, only the status"
    )
    await lars.screenshot("approval_2_leder_after", card=decided)

    chef_card = await karin.wait_for_card(tegn, since=since["karin"], button=texts.DECISION_BUTTONS[Action.APPROVE])
    assert await chef_card.get_by_text("Godt tegn – vi tæller hver måned", exact=False).is_visible()
    await karin.screenshot("approval_3_chef_card", card=chef_card)
    await karin.click(texts.DECISION_BUTTONS[Action.APPROVE], within=chef_card)
    approved = await karin.wait_for_card(texts.STATUS_APPROVED_BY_KIND[EntryKind.TEGN])
    await karin.screenshot("approval_4_chef_after", card=approved)

    recommended = await chat.wait_for_card(texts.OWNER_NEWS[Action.RECOMMEND][0], since=since["mette"])
    await chat.screenshot("approval_5_owner_recommended", card=recommended)
    news = await chat.wait_for_card(texts.OWNER_NEWS[Action.APPROVE][0], since=since["mette"])
    assert await news.get_by_text(texts.OWNER_NEWS_APPROVED_TEGN.format(actor="Karin Holm"), exact=False).is_visible()
    await chat.screenshot("approval_6_owner_approved", card=news)


async def test_sent_back_the_owner_edits_and_resubmits(e2e: E2E, chat: Chat) -> None:
    lars = await e2e.chat(LARS)
    tegn = "Flere forældre kommer med på tur"
    mette_since = await chat.mark_cards()
    await propose(chat, tegn)

    since = await lars.mark_cards()
    await lars.send("godkend")
    card = await lars.wait_for_card(tegn, button=texts.DECISION_BUTTONS[Action.SEND_BACK], since=since)
    await lars.screenshot("approval_7_inbox_card", card=card)
    await lars.click(texts.DECISION_BUTTONS[Action.SEND_BACK], within=card)
    refused = await lars.wait_for_card(texts.APPROVAL_COMMENT_REQUIRED.format(owner="Mette Hansen"))
    await lars.fill(texts.APPROVAL_COMMENT_LABEL, "Hvad ser vi hos forældrene?", within=refused)
    await lars.click(texts.DECISION_BUTTONS[Action.SEND_BACK], within=refused)
    await lars.wait_for_card(texts.STATUS_SENT_BACK_TO.format(owner="Mette Hansen"))

    news = await chat.wait_for_card(
        texts.OWNER_NEWS[Action.SEND_BACK][0], button=texts.BUTTON_EDIT_RESUBMIT, since=mette_since
    )
    await chat.screenshot("approval_8_owner_sent_back", card=news)
    await chat.click(texts.BUTTON_EDIT_RESUBMIT, within=news)
    form = await chat.wait_for_card(texts.TEGN_LABEL, button=texts.BUTTON_NEXT)
    field = texts.TEGN_LABEL
    assert await chat.value(field, within=form) == "Flere forældre kommer med på tur"
    await chat.fill(field, "Flere forældre tilbyder selv at tage med på tur", within=form)
    await chat.click(texts.BUTTON_NEXT, within=form)
    check = await chat.wait_for_card(texts.TEGN_CHECK_TITLE, button=texts.BUTTON_SEND)
    await chat.click(texts.BUTTON_SEND, within=check)
    await chat.wait_for_card(texts.RESUBMITTED_TITLE)
    again = await lars.wait_for_card(
        "Flere forældre tilbyder selv at tage med på tur", button=texts.DECISION_BUTTONS[Action.RECOMMEND]
    )
    assert await again.is_visible()


async def test_a_chef_exports_a_maalplan(e2e: E2E) -> None:
    karin = await e2e.chat(KARIN)
    since = await karin.mark_cards()
    await karin.send("eksport")
    picker = await karin.wait_for_card(texts.EXPORT_PICK_TITLE, button=DOWNLOAD, since=since)
    await karin.screenshot("export_picker", card=picker)
    await karin.click(DOWNLOAD, within=picker)
    message = await karin.wait_for_text(texts.EXPORT_READY_LEAD)
    assert texts.EXPORT_LINK_VALID.format(minutes=10) in message
    await karin.screenshot("export_link")
