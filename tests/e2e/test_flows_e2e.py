"""The guided flows in the Playground, typed and clicked as a person would, with a screenshot of every card."""

from __future__ import annotations

import pytest

from tests.e2e.playground import Chat

pytestmark = pytest.mark.e2e

MAAL = "Flere børn har et alderssvarende sprog, når de begynder i skole"
ACTION_TEGN = "Vi vil læse mere højt for børnene"
GOOD_TEGN = "Flere børn beder selv om at få læst højt"


async def test_a_medarbejder_proposes_a_tegn_and_sees_it_in_mine(chat: Chat) -> None:
    await chat.send("tegn")
    picker = await chat.wait_for_card("Vælg et mål", button="Vælg")
    await chat.screenshot("tegn_1_maal_picker", card=picker)
    assert await picker.get_by_text(MAAL).is_visible()
    assert await picker.get_by_text("Målsætning: Alle børn skal have et godt sprog og lyst til at lære").is_visible()
    await chat.click("Vælg", within=picker)

    form = await chat.wait_for_card("Hvad vil vi se hos målgruppen", button="Videre")
    await chat.screenshot("tegn_2_form", card=form)
    await chat.fill("Hvad vil vi se hos målgruppen, når vi nærmer os målet?", ACTION_TEGN, within=form)
    await chat.fill("Målgruppe", "Børn på 3-5 år", within=form)
    await chat.choose("Hvilke data viser tegnet?", "Iagttagelser (kvalitativ)", within=form)
    await chat.fill("Hvordan følger vi op?", "Vi noterer det i samlingen hver fredag", within=form)
    await chat.click("Videre", within=form)

    coached = await chat.wait_for_card("Et lille tip", button="Send alligevel")
    await chat.screenshot("tegn_3_check_with_coaching", card=coached)
    await chat.click("Ret", within=coached)

    form = await chat.wait_for_card("Hvad vil vi se hos målgruppen", button="Videre")
    assert await chat.value("Målgruppe", within=form) == "Børn på 3-5 år", "Ret keeps every field"
    await chat.fill("Hvad vil vi se hos målgruppen, når vi nærmer os målet?", GOOD_TEGN, within=form)
    await chat.click("Videre", within=form)

    check = await chat.wait_for_card("Tjek dit tegn", button="Send")
    assert await check.get_by_text("Et lille tip").count() == 0
    await chat.screenshot("tegn_4_check", card=check)
    await chat.click("Send", within=check)

    receipt = await chat.wait_for_card("Tak! Dit tegn er sendt")
    assert await receipt.get_by_text("Sendt til din leder").first.is_visible()
    await chat.screenshot("tegn_5_receipt", card=receipt)

    since = await chat.mark_cards()
    await chat.send("mine")
    mine = await chat.wait_for_card("Mine forslag", since=since)
    assert await mine.get_by_text(GOOD_TEGN).is_visible()
    await chat.screenshot("mine", card=mine)


async def test_a_missing_tegn_keeps_what_was_typed(chat: Chat) -> None:
    await chat.send("tegn")
    picker = await chat.wait_for_card("Vælg et mål", button="Vælg")
    await chat.click("Vælg", within=picker)
    form = await chat.wait_for_card("Hvad vil vi se hos målgruppen", button="Videre")
    await chat.fill("Målgruppe", "Forældrene", within=form)
    await chat.fill("Hvad vil vi se hos målgruppen, når vi nærmer os målet?", "   ", within=form)
    await chat.click("Videre", within=form)
    again = await chat.wait_for_card("Skal udfyldes.", button="Videre")
    assert await chat.value("Målgruppe", within=again) == "Forældrene"
    await chat.screenshot("tegn_form_error", card=again)
    await chat.click("Annullér", within=again)
    await chat.wait_for_card("Annulleret")


async def test_a_learning_from_a_proevehandling(chat: Chat) -> None:
    await chat.send("læring")
    picker = await chat.wait_for_card("Hvilket mål hører prøvehandlingen til?", button="Vælg")
    await chat.click("Vælg", within=picker)
    ph = await chat.wait_for_card("Vælg prøvehandlingen", button="Brug den nye prøvehandling")
    await chat.screenshot("laering_1_proevehandling", card=ph)
    await chat.click("Vælg", within=ph)

    form = await chat.wait_for_card("Læring fra en prøvehandling", button="Videre")
    await chat.screenshot("laering_2_form", card=form)
    await chat.choose("Hvilken evaluering er det?", "Afsluttende", within=form)
    await chat.fill("Hvad gjorde vi?", "Vi læste i grupper af fire børn hver formiddag", within=form)
    await chat.fill("Hvad har vi lært?", "De stille børn kommer mere til orde i små grupper", within=form)
    await chat.choose("Hvad gør vi nu? (skal udfyldes ved en afsluttende evaluering)", "Justér", within=form)
    await chat.choose("Tværfagligt samarbejde", "Vidensniveau – vi deler viden", within=form)
    await chat.toggle("Har borgerne været inddraget?", within=form)
    await chat.click("Videre", within=form)

    check = await chat.wait_for_card("Tjek din læring", button="Send")
    await chat.screenshot("laering_3_check", card=check)
    await chat.click("Send", within=check)
    receipt = await chat.wait_for_card("Tak! Din læring er sendt")
    await chat.screenshot("laering_4_receipt", card=receipt)


async def test_begreber(chat: Chat) -> None:
    await chat.send("begreber")
    card = await chat.wait_for_card("Tegn eller prøvehandling?")
    await chat.screenshot("begreber", card=card)
