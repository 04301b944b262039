"""The guided flows in the Playground, typed and clicked as a person would, with a screenshot of every card."""

from __future__ import annotations

import pytest

from cards import texts
from domain.vocabulary import Role
from tests.e2e.playground import Chat

pytestmark = pytest.mark.e2e

MAAL = "Flere børn har et alderssvarende sprog, når de begynder i skole"
ACTION_TEGN = "Vi vil læse mere højt for børnene"
GOOD_TEGN = "Flere børn beder selv om at få læst højt"


async def test_a_medarbejder_proposes_a_tegn_and_sees_it_in_mine(chat: Chat) -> None:
    await chat.send("tegn")
    picker = await chat.wait_for_card(texts.MAAL_TITLE, button=texts.BUTTON_CHOOSE)
    await chat.screenshot("tegn_1_maal_picker", card=picker)
    assert await picker.get_by_text(MAAL).is_visible()
    assert await picker.get_by_text(
        texts.MAAL_MAALSAETNING.format(maalsaetning="Alle børn skal have et godt sprog og lyst til at lære")
    ).is_visible()
    await chat.click(texts.BUTTON_CHOOSE, within=picker)

    form = await chat.wait_for_card(texts.TEGN_LABEL, button=texts.BUTTON_NEXT)
    await chat.screenshot("tegn_2_form", card=form)
    await chat.fill(texts.TEGN_LABEL, ACTION_TEGN, within=form)
    await chat.fill(texts.TEGN_MAALGRUPPE_LABEL, "Børn på 3-5 år", within=form)
    await chat.choose(texts.TEGN_DATATYPE_LABEL, texts.DATATYPE_LABELS["kvalitativ"], within=form)
    await chat.fill(texts.TEGN_OPFOELGNING_LABEL, "Vi noterer det i samlingen hver fredag", within=form)
    await chat.click(texts.BUTTON_NEXT, within=form)

    coached = await chat.wait_for_card(texts.TEGN_COACH_TITLE, button=texts.BUTTON_SEND_ANYWAY)
    await chat.screenshot("tegn_3_check_with_coaching", card=coached)
    await chat.click(texts.BUTTON_EDIT, within=coached)

    form = await chat.wait_for_card(texts.TEGN_LABEL, button=texts.BUTTON_NEXT)
    assert await chat.value(texts.TEGN_MAALGRUPPE_LABEL, within=form) == "Børn på 3-5 år", "Ret keeps every field"
    await chat.fill(texts.TEGN_LABEL, GOOD_TEGN, within=form)
    await chat.click(texts.BUTTON_NEXT, within=form)

    check = await chat.wait_for_card(texts.TEGN_CHECK_TITLE, button=texts.BUTTON_SEND)
    assert await check.get_by_text(texts.TEGN_COACH_TITLE).count() == 0
    await chat.screenshot("tegn_4_check", card=check)
    await chat.click(texts.BUTTON_SEND, within=check)

    receipt = await chat.wait_for_card(texts.TEGN_RECEIPT_TITLE)
    assert await receipt.get_by_text(texts.STATUS_PENDING_AT[Role.LEDER]).first.is_visible()
    await chat.screenshot("tegn_5_receipt", card=receipt)

    since = await chat.mark_cards()
    await chat.send("mine")
    mine = await chat.wait_for_card(texts.MINE_TITLE, since=since)
    assert await mine.get_by_text(GOOD_TEGN).is_visible()
    await chat.screenshot("mine", card=mine)


async def test_a_missing_tegn_keeps_what_was_typed(chat: Chat) -> None:
    await chat.send("tegn")
    picker = await chat.wait_for_card(texts.MAAL_TITLE, button=texts.BUTTON_CHOOSE)
    await chat.click(texts.BUTTON_CHOOSE, within=picker)
    form = await chat.wait_for_card(texts.TEGN_LABEL, button=texts.BUTTON_NEXT)
    await chat.fill(texts.TEGN_MAALGRUPPE_LABEL, "Forældrene", within=form)
    await chat.fill(texts.TEGN_LABEL, "   ", within=form)
    await chat.click(texts.BUTTON_NEXT, within=form)
    again = await chat.wait_for_card(texts.ERROR_REQUIRED, button=texts.BUTTON_NEXT)
    assert await chat.value(texts.TEGN_MAALGRUPPE_LABEL, within=again) == "Forældrene"
    await chat.screenshot("tegn_form_error", card=again)
    await chat.click(texts.BUTTON_CANCEL, within=again)
    await chat.wait_for_card(texts.CANCELLED_TITLE)


async def test_a_learning_from_a_proevehandling(chat: Chat) -> None:
    await chat.send("læring")
    picker = await chat.wait_for_card(texts.MAAL_INTRO_LAERING, button=texts.BUTTON_CHOOSE)
    await chat.click(texts.BUTTON_CHOOSE, within=picker)
    ph = await chat.wait_for_card(texts.LAERING_PH_TITLE, button=texts.LAERING_PH_NEW_BUTTON)
    await chat.screenshot("laering_1_proevehandling", card=ph)
    await chat.click(texts.BUTTON_CHOOSE, within=ph)

    form = await chat.wait_for_card(texts.LAERING_FLOW_TITLE, button=texts.BUTTON_NEXT)
    await chat.screenshot("laering_2_form", card=form)
    await chat.choose(texts.LAERING_EVALUERING_LABEL, texts.EVALUERING_LABELS["afsluttende"], within=form)
    await chat.fill(texts.LAERING_GJORDE_LABEL, "Vi læste i grupper af fire børn hver formiddag", within=form)
    await chat.fill(texts.LAERING_LAERING_LABEL, "De stille børn kommer mere til orde i små grupper", within=form)
    await chat.choose(texts.LAERING_BESLUTNING_LABEL, texts.BESLUTNING_LABELS["juster"], within=form)
    await chat.choose(texts.LAERING_TVAERFAGLIG_LABEL, texts.TVAERFAGLIG_LABELS["videns"], within=form)
    await chat.toggle(texts.LAERING_BORGER_LABEL, within=form)
    await chat.click(texts.BUTTON_NEXT, within=form)

    check = await chat.wait_for_card(texts.LAERING_CHECK_TITLE, button=texts.BUTTON_SEND)
    await chat.screenshot("laering_3_check", card=check)
    await chat.click(texts.BUTTON_SEND, within=check)
    receipt = await chat.wait_for_card(texts.LAERING_RECEIPT_TITLE)
    await chat.screenshot("laering_4_receipt", card=receipt)


async def test_begreber(chat: Chat) -> None:
    await chat.send("begreber")
    card = await chat.wait_for_card("Tegn eller prøvehandling?")
    await chat.screenshot("begreber", card=card)
