"""A tegn goes from a medarbejder through the leder to the chef in the Playground; each sees the right card."""

from __future__ import annotations

import pytest

from tests.e2e.playground import E2E, Chat

pytestmark = pytest.mark.e2e

LARS = "lars.mikkelsen@albertslund.dk"
KARIN = "karin.holm@albertslund.dk"


async def propose(chat: Chat, tegn: str) -> None:
    since = await chat.mark_cards()
    await chat.send("tegn")
    picker = await chat.wait_for_card("Vælg et mål", button="Vælg", since=since)
    await chat.click("Vælg", within=picker)
    form = await chat.wait_for_card("Hvad vil vi se hos målgruppen", button="Videre", since=since)
    await chat.fill("Hvad vil vi se hos målgruppen, når vi nærmer os målet?", tegn, within=form)
    await chat.click("Videre", within=form)
    check = await chat.wait_for_card("Tjek dit tegn", button="Send", since=since)
    await chat.click("Send", within=check)
    await chat.wait_for_card("Tak! Dit tegn er sendt", since=since)


async def test_leder_then_chef_approve_and_the_owner_is_told(e2e: E2E, chat: Chat) -> None:
    # Lars and Karin open Teams first: the bot can then reach them in their personal chats.
    lars = await e2e.chat(LARS)
    karin = await e2e.chat(KARIN)
    await propose(chat, "Flere forældre spørger ind til, hvad deres barn har leget")

    card = await lars.wait_for_card("Tegn nr. 1", button="Anbefal")
    assert await card.get_by_role("button", name="Send tilbage").is_visible()
    await lars.screenshot("approval_1_leder_card", card=card)
    await lars.fill(
        "Kommentar (skal udfyldes ved »Send tilbage« og »Afvis«)", "Godt tegn – vi tæller hver måned", within=card
    )
    await lars.click("Anbefal", within=card)
    decided = await lars.wait_for_card("Venter på chefen")
    assert await decided.get_by_role("button", name="Anbefal").count() == 0, "after deciding, only the status"
    await lars.screenshot("approval_2_leder_after", card=decided)

    chef_card = await karin.wait_for_card("Tegn nr. 1", button="Godkend")
    assert await chef_card.get_by_text("Godt tegn – vi tæller hver måned", exact=False).is_visible()
    await karin.screenshot("approval_3_chef_card", card=chef_card)
    await karin.click("Godkend", within=chef_card)
    approved = await karin.wait_for_card("Indarbejdet i målplanen")
    await karin.screenshot("approval_4_chef_after", card=approved)

    recommended = await chat.wait_for_card("Dit forslag er anbefalet")
    await chat.screenshot("approval_5_owner_recommended", card=recommended)
    news = await chat.wait_for_card("Dit forslag er godkendt")
    assert await news.get_by_text("det er nu indarbejdet i målplanen", exact=False).is_visible()
    await chat.screenshot("approval_6_owner_approved", card=news)


async def test_sent_back_the_owner_edits_and_resubmits(e2e: E2E, chat: Chat) -> None:
    lars = await e2e.chat(LARS)
    await propose(chat, "Flere forældre kommer med på tur")

    since = await lars.mark_cards()
    await lars.send("godkend")
    card = await lars.wait_for_card("Tegn nr. 2", button="Send tilbage", since=since)
    await lars.screenshot("approval_7_inbox_card", card=card)
    await lars.click("Send tilbage", within=card)
    refused = await lars.wait_for_card("Skriv en kommentar, så Mette Hansen ved, hvad der skal til.")
    await lars.fill(
        "Kommentar (skal udfyldes ved »Send tilbage« og »Afvis«)", "Hvad ser vi hos forældrene?", within=refused
    )
    await lars.click("Send tilbage", within=refused)
    await lars.wait_for_card("Sendt tilbage til Mette Hansen")

    news = await chat.wait_for_card("Dit forslag er sendt tilbage", button="Ret og send igen")
    await chat.screenshot("approval_8_owner_sent_back", card=news)
    await chat.click("Ret og send igen", within=news)
    form = await chat.wait_for_card("Hvad vil vi se hos målgruppen", button="Videre")
    field = "Hvad vil vi se hos målgruppen, når vi nærmer os målet?"
    assert await chat.value(field, within=form) == "Flere forældre kommer med på tur"
    await chat.fill(field, "Flere forældre tilbyder selv at tage med på tur", within=form)
    await chat.click("Videre", within=form)
    check = await chat.wait_for_card("Tjek dit tegn", button="Send")
    await chat.click("Send", within=check)
    await chat.wait_for_card("Tak! Dit forslag er sendt igen")
    again = await lars.wait_for_card("Flere forældre tilbyder selv at tage med på tur", button="Anbefal")
    assert await again.is_visible()


async def test_a_chef_exports_a_maalplan(e2e: E2E) -> None:
    karin = await e2e.chat(KARIN)
    since = await karin.mark_cards()
    await karin.send("eksport")
    picker = await karin.wait_for_card(
        "Hent en målplan", button="Hent: Målplan 2026 – Dagtilbud Kirkebjerg", since=since
    )
    await karin.screenshot("export_picker", card=picker)
    await karin.click("Hent: Målplan 2026 – Dagtilbud Kirkebjerg", within=picker)
    message = await karin.wait_for_text("Målplanen er klar som Excel-ark")
    assert "Linket virker i 10 minutter" in message
    await karin.screenshot("export_link")
