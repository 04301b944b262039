"""The guided flows in the Playground, typed and clicked as a person would, with a screenshot of every card.

Each test starts its flow by typing its command (which replaces whatever flow the chat was in) on a new page,
so the tests run in any order.
"""

from __future__ import annotations

import pytest

from cards import texts
from cards.payloads import Command
from core.vocabulary import Role
from testkit import activities
from tests.cardtext import plain
from tests.e2e.playground import Chat

pytestmark = pytest.mark.e2e

# Kirkebjerg's first mål in demo/organisation.yaml.
MAAL = "Flere børn har et alderssvarende sprog, når de begynder i skole"
MAALSAETNING = "Alle børn skal have et godt sprog og lyst til at lære"
ACTION_TEGN = "Vi vil læse mere højt for børnene"
GOOD_TEGN = "Flere børn beder selv om at få læst højt"


async def test_a_medarbejder_proposes_a_tegn_and_sees_it_in_mine(chat: Chat) -> None:
    await chat.send(Command.TEGN)
    picker = await chat.wait_for_card(texts.MAAL_TITLE, button=texts.BUTTON_CHOOSE)
    await chat.screenshot("tegn_1_maal_picker", card=picker)
    assert await picker.get_by_text(MAAL).is_visible()
    assert await picker.get_by_text(texts.MAAL_MAALSAETNING.format(maalsaetning=MAALSAETNING)).is_visible()
    await chat.click(texts.BUTTON_CHOOSE, within=picker)

    form = await chat.wait_for_card(texts.TEGN_LABEL, button=texts.BUTTON_NEXT)
    await chat.screenshot("tegn_2_form", card=form)
    await chat.fill(texts.TEGN_LABEL, ACTION_TEGN, within=form)
    await chat.fill(texts.TEGN_MAALGRUPPE_LABEL, "Børn på 3-5 år", within=form)
    await chat.choose(texts.TEGN_DATATYPE_LABEL, texts.DATATYPE_LABELS["kvalitativ"], within=form)
    await chat.fill(texts.TEGN_OPFOELGNING_LABEL, "Vi noterer det i samlingen hver fredag", within=form)
    await chat.click(texts.BUTTON_NEXT, within=form)

    coached = await chat.wait_for_card([texts.TEGN_COACH_TITLE, ACTION_TEGN], button=texts.BUTTON_SEND_ANYWAY)
    await chat.screenshot("tegn_3_check_with_coaching", card=coached)
    await chat.click(texts.BUTTON_EDIT, within=coached)

    form = await chat.wait_for_card(texts.TEGN_LABEL, button=texts.BUTTON_NEXT)
    assert await chat.value(texts.TEGN_MAALGRUPPE_LABEL, within=form) == "Børn på 3-5 år", "Ret keeps every field"
    await chat.fill(texts.TEGN_LABEL, GOOD_TEGN, within=form)
    await chat.click(texts.BUTTON_NEXT, within=form)

    check = await chat.wait_for_card([texts.TEGN_CHECK_TITLE, GOOD_TEGN], button=texts.BUTTON_SEND)
    assert await check.get_by_text(texts.TEGN_COACH_TITLE).count() == 0
    await chat.screenshot("tegn_4_check", card=check)
    await chat.click(texts.BUTTON_SEND, within=check)

    receipt = await chat.wait_for_card([texts.TEGN_RECEIPT_TITLE, GOOD_TEGN])
    assert await receipt.get_by_text(
        texts.STATUS_PENDING_AT_PEOPLE.format(
            who=texts.PERSON_WITH_TITLE.format(name=activities.LARS.name, title=texts.ROLE_TITLES[Role.LEDER])
        )
    ).first.is_visible()
    await chat.screenshot("tegn_5_receipt", card=receipt)

    since = await chat.mark_cards()
    await chat.send(Command.MINE)
    mine = await chat.wait_for_card(texts.MINE_TITLE, since=since)
    assert await mine.get_by_text(GOOD_TEGN).is_visible()
    await chat.screenshot("mine", card=mine)


async def test_a_missing_tegn_keeps_what_was_typed(chat: Chat) -> None:
    await chat.send(Command.TEGN)
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
    await chat.wait_for_card(plain(texts.CANCELLED))


async def test_a_learning_from_a_proevehandling(chat: Chat) -> None:
    await chat.send(Command.LAERING)
    picker = await chat.wait_for_card(texts.MAAL_INTRO_LAERING, button=texts.BUTTON_CHOOSE)
    await chat.click(texts.BUTTON_CHOOSE, within=picker)
    ph = await chat.wait_for_card(texts.LAERING_PH_TITLE, button=texts.LAERING_PH_NEW_BUTTON)
    await chat.screenshot("laering_1_proevehandling", card=ph)
    await chat.click(texts.BUTTON_CHOOSE, within=ph)

    form = await chat.wait_for_card(texts.LAERING_FLOW_TITLE, button=texts.BUTTON_NEXT)
    await chat.screenshot("laering_2_form", card=form)
    await chat.choose(texts.LAERING_EVALUERING_LABEL, texts.EVALUERING_LABELS["afsluttende"], within=form)
    await chat.fill(texts.LAERING_GJORDE_LABEL, "Vi læste i grupper af fire børn hver formiddag", within=form)
    learned = "De stille børn kommer mere til orde i små grupper"
    await chat.fill(texts.LAERING_LAERING_LABEL, learned, within=form)
    await chat.choose(texts.LAERING_BESLUTNING_LABEL, texts.BESLUTNING_LABELS["juster"], within=form)
    await chat.choose(texts.LAERING_TVAERFAGLIG_LABEL, texts.TVAERFAGLIG_LABELS["videns"], within=form)
    await chat.toggle(texts.LAERING_BORGER_LABEL, within=form)
    await chat.click(texts.BUTTON_NEXT, within=form)

    check = await chat.wait_for_card([texts.LAERING_CHECK_TITLE, learned], button=texts.BUTTON_SEND)
    await chat.screenshot("laering_3_check", card=check)
    await chat.click(texts.BUTTON_SEND, within=check)
    receipt = await chat.wait_for_card([texts.LAERING_RECEIPT_TITLE, learned])
    await chat.screenshot("laering_4_receipt", card=receipt)


async def test_begreber(chat: Chat) -> None:
    await chat.send(Command.BEGREBER)
    card = await chat.wait_for_card([texts.BEGREBER_TITLE, texts.BEGREBER_INTRO])
    for term, _ in texts.BEGREBER:
        assert await card.get_by_text(term, exact=True).first.is_visible(), term
    await chat.screenshot("begreber", card=card)
