"""An eksempel from Mette, through Lars, to Stinne's selection and into the grundlag, in the Playground, with a
screenshot of every new card."""

from __future__ import annotations

import re

import pytest

from cards import texts
from core.vocabulary import Action, EksempelTip, EntryStatus, Niveau, Role, Tema
from testkit import activities
from tests.e2e.playground import E2E, Chat

pytestmark = pytest.mark.e2e

LARS = "lars.mikkelsen@albertslund.dk"
STINNE = "stinne.gronne@albertslund.dk"
TEMA = Tema.RELATIONER
VALUE = "Vi har tillid til hinanden"
GOOD = (
    "Når en ny kollega har en svær samtale med en forælder, går en erfaren kollega med, og bagefter taler de om, "
    "hvad der gik godt, og hvad der var svært."
)


def outcome(status: EntryStatus, forum: str) -> str:
    return texts.OUTCOME_LABELS[status].format(forum=forum)


async def record(stinne: Chat, number: int, status: EntryStatus, forum: str, shot: str) -> None:
    since = await stinne.mark_cards()
    await stinne.send("eksempler")
    listed = await stinne.wait_for_card(texts.SELECTION_TITLE, button=texts.SELECTION_APPLY, since=since)
    head = texts.SELECTION_ITEM_HEAD.format(
        id=number, tema=texts.TEMA_LABELS[TEMA], niveau=texts.NIVEAU_LABELS[Niveau.MEDARBEJDER]
    )
    await stinne.toggle(head, within=listed)
    await stinne.choose(texts.SELECTION_OUTCOME_LABEL, outcome(status, forum), within=listed)
    await stinne.screenshot(f"{shot}_before", card=listed)
    await stinne.click(texts.SELECTION_APPLY, within=listed)
    done = texts.SELECTION_DONE.format(numbers=str(number), outcome=outcome(status, forum))
    after = await stinne.wait_for_card(done, since=since)
    await stinne.screenshot(f"{shot}_after", card=after)


async def test_an_eksempel_from_mette_through_lars_and_stinne_into_the_grundlag(e2e: E2E, chat: Chat) -> None:
    lars = await e2e.chat(LARS)
    stinne = await e2e.chat(STINNE)
    since = {"mette": await chat.mark_cards(), "lars": await lars.mark_cards()}

    # 1. Mette writes an eksempel, gets the coaching tip, corrects it and sends it.
    await chat.send("eksempel")
    picker = await chat.wait_for_card(texts.EKSEMPEL_TEMA_INTRO, since=since["mette"])
    assert await picker.get_by_text(texts.TEMA_MEANINGS[Tema.MOD]).is_visible()
    await chat.screenshot("eksempel_1_tema", card=picker)
    await chat.click(texts.EKSEMPEL_TEMA_BUTTON.format(tema=texts.TEMA_LABELS[TEMA]), within=picker)
    niveau = await chat.wait_for_card(texts.EKSEMPEL_NIVEAU_TITLE, button=texts.BUTTON_NEXT)
    await chat.screenshot("eksempel_2_niveau", card=niveau)
    await chat.click(texts.BUTTON_NEXT, within=niveau)
    form = await chat.wait_for_card(texts.EKSEMPEL_FORM_LABEL, button=texts.BUTTON_NEXT)
    await chat.fill(texts.EKSEMPEL_FORM_LABEL, VALUE, within=form)
    await chat.fill(texts.EKSEMPEL_SITUATION_INPUT_LABEL, "Forældresamtaler", within=form)
    await chat.screenshot("eksempel_3_form", card=form)
    await chat.click(texts.BUTTON_NEXT, within=form)
    coached = await chat.wait_for_card(texts.EKSEMPEL_COACH_TITLE, button=texts.BUTTON_SEND_ANYWAY)
    assert await coached.get_by_text(texts.EKSEMPEL_COACH[EksempelTip.VALUE][1], exact=False).is_visible()
    await chat.screenshot("eksempel_4_check_with_coaching", card=coached)
    await chat.click(texts.BUTTON_EDIT, within=coached)
    form = await chat.wait_for_card(texts.EKSEMPEL_FORM_LABEL, button=texts.BUTTON_NEXT)
    assert await chat.value(texts.EKSEMPEL_SITUATION_INPUT_LABEL, within=form) == "Forældresamtaler"
    await chat.fill(texts.EKSEMPEL_FORM_LABEL, GOOD, within=form)
    await chat.click(texts.BUTTON_NEXT, within=form)
    check = await chat.wait_for_card(texts.EKSEMPEL_CHECK_TITLE, button=texts.BUTTON_SEND)
    assert await check.get_by_text(texts.EKSEMPEL_COACH_TITLE).count() == 0
    await chat.screenshot("eksempel_5_check", card=check)
    await chat.click(texts.BUTTON_SEND, within=check)
    receipt = await chat.wait_for_card(texts.EKSEMPEL_RECEIPT_TITLE)
    assert await receipt.get_by_text(
        texts.STATUS_PENDING_AT_PEOPLE.format(
            who=texts.PERSON_WITH_TITLE.format(name=activities.LARS.name, title=texts.ROLE_TITLES[Role.LEDER])
        )
    ).first.is_visible()
    await chat.screenshot("eksempel_6_receipt", card=receipt)
    found = re.search(rf"{texts.FIELD_NUMBER}\s*(\d+)", await receipt.inner_text())
    assert found, await receipt.inner_text()
    number = int(found.group(1))

    # 2. Lars sends it on in the unit's name.
    forward = texts.EKSEMPEL_DECISION_BUTTONS[Action.RECOMMEND]
    card = await lars.wait_for_card(GOOD, button=forward, since=since["lars"])
    await lars.screenshot("eksempel_7_leder_card", card=card)
    await lars.click(forward, within=card)
    sent_on = await lars.wait_for_card(
        texts.STATUS_PENDING_FOR_PEOPLE.format(
            who=texts.PERSON_WITH_TITLE.format(name=activities.STINNE.name, title="HR")
        )
    )
    await lars.screenshot("eksempel_8_leder_after", card=sent_on)

    # 3. Stinne marks it udvalgt, then (after Chefforum) godkendt.
    await record(stinne, number, EntryStatus.SELECTED, "arbejdsgruppen", "eksempel_9_selection_udvalgt")
    await record(stinne, number, EntryStatus.QUALIFIED, "Chefforum", "eksempel_10_selection_kvalificeret")
    await record(stinne, number, EntryStatus.ADOPTED, "KommuneMED", "eksempel_11_selection_godkendt")

    # 4. Mette sees both news cards.
    owner_selected = texts.EKSEMPEL_NEWS[EntryStatus.SELECTED][0][0]
    selected = await chat.wait_for_card(owner_selected, since=since["mette"])
    await chat.screenshot("eksempel_12_news_udvalgt", card=selected)
    adopted = await chat.wait_for_card(texts.EKSEMPEL_NEWS[EntryStatus.ADOPTED][0][0], since=since["mette"])
    assert await adopted.get_by_text(GOOD).is_visible()
    await chat.screenshot("eksempel_13_news_godkendt", card=adopted)
    leder_news = texts.EKSEMPEL_NEWS[EntryStatus.ADOPTED][1][0].format(unit="Dagtilbud Kirkebjerg")
    lars_news = await lars.wait_for_card(leder_news, since=since["lars"])
    await lars.screenshot("eksempel_14_leder_news", card=lars_news)

    # 5. `grundlag` shows it under its tema.
    mark = await chat.mark_cards()
    await chat.send("grundlag")
    grundlag = await chat.wait_for_card(texts.GRUNDLAG_TITLE, since=mark)
    await chat.click(texts.GRUNDLAG_TEMA_COUNT.format(tema=texts.TEMA_LABELS[TEMA], count=1), within=grundlag)
    shown = await chat.wait_for_card(texts.TEMA_MEANINGS[TEMA], since=mark)
    assert await shown.get_by_text(GOOD).is_visible()
    await chat.screenshot("eksempel_15_grundlag", card=shown)


async def write(chat: Chat, tema: Tema, text: str) -> None:
    """An eksempel through the flow, sent as it is (with or without a tip)."""
    since = await chat.mark_cards()
    await chat.send("eksempel")
    picker = await chat.wait_for_card(texts.EKSEMPEL_TEMA_INTRO, since=since)
    await chat.click(texts.EKSEMPEL_TEMA_BUTTON.format(tema=texts.TEMA_LABELS[tema]), within=picker)
    niveau = await chat.wait_for_card(texts.EKSEMPEL_NIVEAU_TITLE, button=texts.BUTTON_NEXT, since=since)
    await chat.click(texts.BUTTON_NEXT, within=niveau)
    form = await chat.wait_for_card(texts.EKSEMPEL_FORM_LABEL, button=texts.BUTTON_NEXT, since=since)
    await chat.fill(texts.EKSEMPEL_FORM_LABEL, text, within=form)
    await chat.click(texts.BUTTON_NEXT, within=form)
    check = await chat.wait_for_card(texts.EKSEMPEL_CHECK_TITLE, since=since)
    await chat.click(texts.BUTTON_SEND, within=check)
    await chat.wait_for_card(texts.EKSEMPEL_RECEIPT_TITLE, since=since)


SIMILAR = (
    "På ledermødet fortæller jeg om en beslutning, der ikke holdt, og hvad jeg gjorde bagefter, så de andre "
    "ledere kan lære af det.",
    "På ledermødet fortæller jeg om en beslutning, som ikke holdt, og hvad jeg gjorde bagefter, så de andre ledere "
    "kan lære af det og undgå det samme.",
)


async def test_stinne_sees_similar_eksempler_grouped_and_exports_them(e2e: E2E) -> None:
    # A leder's own eksempler go straight to the indsamler.
    lars = await e2e.chat(LARS)
    for text in SIMILAR:
        await write(lars, Tema.MOD, text)
    stinne = await e2e.chat(STINNE)
    since = await stinne.mark_cards()
    await stinne.send("eksempler")
    listed = await stinne.wait_for_card(SIMILAR[1], since=since)
    assert await listed.get_by_text(texts.SELECTION_SIMILAR.format(numbers=""), exact=False).first.is_visible()
    await stinne.screenshot("eksempel_16_selection_similar", card=listed)
    await stinne.click(texts.SELECTION_GROUPED, within=listed)
    grouped = await stinne.wait_for_card(texts.SELECTION_UNGROUPED, since=since)
    header = texts.SELECTION_GROUP.format(numbers="")
    assert await grouped.get_by_text(header, exact=False).first.is_visible()
    await stinne.screenshot("eksempel_17_selection_grouped", card=grouped)
    await stinne.send("eksport")
    await stinne.wait_for_text(texts.EKSEMPEL_EXPORT_LEAD)
    await stinne.screenshot("eksempel_18_export_link")
