"""The tegn flow over HTTP, as Teams would drive it: every step, back, edit, validation, coaching, and storage."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from cards import texts
from cards.payloads import Command
from core.vocabulary import EntryKind, EntryStatus, Role
from domain.entries import LONG
from storage.models import Entry, Maal
from testkit import activities
from testkit.connector import Sent, only
from tests.cardtext import action, card_texts, inputs
from tests.conftest import BotUnderTest

GOOD_TEGN = "Flere børn fortæller selv om deres weekend i samlingen"
# Kirkebjerg's first mål in demo/organisation.yaml, and a mål of Herstedlund Skole in the same afdeling.
KIRKEBJERG_MAAL = "Flere børn har et alderssvarende sprog, når de begynder i skole"
KIRKEBJERG_MAALSAETNING = "Alle børn skal have et godt sprog og lyst til at lære"
HERSTEDLUND_MAAL = "Færre elever har bekymrende fravær"


async def stored_entries(bot: BotUnderTest) -> list[Entry]:
    return [row[0] for row in await bot.query(select(Entry).order_by(Entry.id))]


async def start_to_form(bot: BotUnderTest) -> Sent:
    picker = only(await bot.say(Command.TEGN))
    shown = card_texts(picker.cards[0])
    assert texts.MAAL_TITLE in shown
    assert KIRKEBJERG_MAAL in shown
    assert texts.MAAL_MAALSAETNING.format(maalsaetning=KIRKEBJERG_MAALSAETNING) in shown
    assert HERSTEDLUND_MAAL not in shown, "another unit's mål must not be offered by default"
    form = only(await bot.click(picker, texts.BUTTON_CHOOSE))
    assert form.method == "PUT" and form.activity_id == picker.message_id, "steps replace the clicked card"
    assert texts.TEGN_LABEL in card_texts(form.cards[0])
    return form


async def test_a_medarbejder_proposes_a_tegn_through_every_step(demo_bot: BotUnderTest) -> None:
    form = await start_to_form(demo_bot)
    check = only(
        await demo_bot.click(
            form,
            texts.BUTTON_NEXT,
            tegn=GOOD_TEGN,
            maalgruppe="Børn på 3-5 år",
            datatype="kvalitativ",
            opfoelgning="Observation i samlingen hver fredag",
        )
    )
    shown = card_texts(check.cards[0])
    assert texts.TEGN_CHECK_TITLE in shown and GOOD_TEGN in shown
    assert texts.TEGN_COACH_TITLE not in shown
    receipt = only(await demo_bot.click(check, texts.BUTTON_SEND))
    shown = card_texts(receipt.cards[0])
    assert texts.TEGN_RECEIPT_TITLE in shown
    assert (
        texts.STATUS_PENDING_AT_PEOPLE.format(
            who=texts.PERSON_WITH_TITLE.format(name=activities.LARS.name, title=texts.ROLE_TITLES[Role.LEDER])
        )
        in shown
    ), "the leder is named"
    [entry] = await stored_entries(demo_bot)
    assert entry.kind == EntryKind.TEGN and entry.status == EntryStatus.PENDING and entry.stage == 0
    assert entry.data["tegn"] == GOOD_TEGN and entry.data["datatype"] == "kvalitativ"
    assert str(entry.id) in shown

    # A double click on Send (or a Teams retry) shows the same receipt and stores nothing new.
    again = only(await demo_bot.click(check, texts.BUTTON_SEND))
    assert texts.TEGN_RECEIPT_TITLE in card_texts(again.cards[0])
    assert len(await stored_entries(demo_bot)) == 1


async def test_missing_tegn_shows_the_form_again_with_everything_kept(demo_bot: BotUnderTest) -> None:
    form = await start_to_form(demo_bot)
    again = only(
        await demo_bot.click(form, texts.BUTTON_NEXT, tegn="   ", maalgruppe="Forældrene", opfoelgning="Spørgeskema")
    )
    card = again.cards[0]
    assert texts.ERROR_REQUIRED in card_texts(card)
    kept = inputs(card)
    assert kept["maalgruppe"] == "Forældrene" and kept["opfoelgning"] == "Spørgeskema"
    assert await stored_entries(demo_bot) == []


async def test_too_long_text_is_refused_in_danish(demo_bot: BotUnderTest) -> None:
    form = await start_to_form(demo_bot)
    again = only(await demo_bot.click(form, texts.BUTTON_NEXT, tegn="x" * (LONG + 1)))
    assert texts.ERROR_TOO_LONG.format(limit=LONG) in card_texts(again.cards[0])
    assert inputs(again.cards[0])["tegn"] == "x" * (LONG + 1)


async def test_action_wording_gets_a_coaching_hint_and_ret_keeps_every_field(demo_bot: BotUnderTest) -> None:
    form = await start_to_form(demo_bot)
    check = only(
        await demo_bot.click(form, texts.BUTTON_NEXT, tegn="Vi vil læse mere højt for børnene", maalgruppe="Vuggestuen")
    )
    shown = card_texts(check.cards[0])
    assert texts.TEGN_COACH_TITLE in shown
    assert texts.BUTTON_SEND_ANYWAY in shown
    edit = only(await demo_bot.click(check, texts.BUTTON_EDIT))
    assert inputs(edit.cards[0])["tegn"] == "Vi vil læse mere højt for børnene"
    assert inputs(edit.cards[0])["maalgruppe"] == "Vuggestuen"
    better = only(await demo_bot.click(edit, texts.BUTTON_NEXT, tegn="Flere børn beder selv om at få læst højt"))
    assert texts.TEGN_COACH_TITLE not in card_texts(better.cards[0])


async def test_back_and_cancel(demo_bot: BotUnderTest) -> None:
    form = await start_to_form(demo_bot)
    picker = only(await demo_bot.click(form, texts.BUTTON_BACK))
    assert texts.MAAL_TITLE in card_texts(picker.cards[0])
    cancelled = only(await demo_bot.click(picker, texts.BUTTON_CANCEL))
    assert card_texts(cancelled.cards[0]) == [texts.CANCELLED]
    # The flow is gone: a click on the old card is not taken as an answer.
    stale = await demo_bot.click(form, texts.BUTTON_NEXT, tegn=GOOD_TEGN)
    assert stale[0].text == texts.STALE_CARD_GONE
    assert texts.HELP_TITLE in card_texts(stale[1].cards[0])
    assert await stored_entries(demo_bot) == []


async def test_typed_annuller_and_hjaelp_interrupt_the_flow(demo_bot: BotUnderTest) -> None:
    form = await start_to_form(demo_bot)
    help_sent = await demo_bot.say(Command.HELP)
    assert texts.HELP_TITLE in card_texts(help_sent[0].cards[0])
    assert help_sent[1].text == texts.HELP_DURING_FLOW
    # The flow survived the help: the form still works.
    check = only(await demo_bot.click(form, texts.BUTTON_NEXT, tegn=GOOD_TEGN))
    assert texts.TEGN_CHECK_TITLE in card_texts(check.cards[0])
    cancelled = only(await demo_bot.say(Command.ANNULLER))
    assert cancelled.text == texts.CANCELLED
    typed_without_accent = "annuller"
    assert only(await demo_bot.say(typed_without_accent)).text == texts.NOTHING_TO_CANCEL


async def test_typing_a_command_mid_flow_starts_that_flow(demo_bot: BotUnderTest) -> None:
    await start_to_form(demo_bot)
    laering = only(await demo_bot.say(Command.LAERING))
    assert texts.MAAL_INTRO_LAERING in card_texts(laering.cards[0])


async def test_a_mal_from_another_unit_is_refused_and_the_picker_shown_again(demo_bot: BotUnderTest) -> None:
    picker = only(await demo_bot.say(Command.TEGN))
    other_units_maal = 999
    again = only(await demo_bot.click(picker, texts.BUTTON_CHOOSE, maal_id=other_units_maal))
    assert texts.ERROR_UNKNOWN_MAAL in card_texts(again.cards[0])
    # Herstedlund Skole's mål exists but belongs to another afdeling's unit? No: same afdeling, so it is offered
    # on the toggle; Center for Ledelse og Personale's is not Mette's to propose for.
    toggled = only(await demo_bot.click(again, texts.MAAL_SHOW_AFDELING))
    shown = card_texts(toggled.cards[0])
    assert HERSTEDLUND_MAAL in shown
    hr_maal_title = "Nye medarbejdere føler sig godt modtaget og bliver hos os"
    assert hr_maal_title not in shown
    hr_maal = await maal_id_by_title(demo_bot, hr_maal_title)
    refused = only(await demo_bot.click(toggled, texts.BUTTON_CHOOSE, maal_id=hr_maal))
    assert texts.ERROR_MAAL_NOT_YOURS in card_texts(refused.cards[0])


async def maal_id_by_title(bot: BotUnderTest, title: str) -> int:
    [(maal_id,)] = await bot.query(select(Maal.id).where(Maal.title == title))
    return int(maal_id)


async def test_a_newcomer_picks_a_unit_once(demo_bot: BotUnderTest) -> None:
    unit_card = only(await demo_bot.say(Command.TEGN, user=activities.NEWCOMER))
    assert texts.UNIT_TITLE in card_texts(unit_card.cards[0])
    choices = {c["title"]: c["value"] for c in unit_card.cards[0]["body"][2]["choices"]}
    picker = only(
        await demo_bot.click(
            unit_card,
            texts.BUTTON_NEXT,
            user=activities.NEWCOMER,
            unit_id=choices["Herstedlund Skole (Center for Dagtilbud og Skole)"],
        )
    )
    assert HERSTEDLUND_MAAL in card_texts(picker.cards[0])
    # Remembered: next time the mål come straight away.
    again = only(await demo_bot.say(Command.TEGN, user=activities.NEWCOMER))
    assert texts.MAAL_TITLE in card_texts(again.cards[0])


async def test_user_text_is_shown_literally(demo_bot: BotUnderTest) -> None:
    form = await start_to_form(demo_bot)
    sneaky = "**fed** [link](https://evil.example) <b>html</b>"
    check = only(await demo_bot.click(form, texts.BUTTON_NEXT, tegn=sneaky))
    runs = [
        inline
        for block in check.cards[0]["body"]
        if block.get("type") == "RichTextBlock"
        for inline in block["inlines"]
    ]
    assert {"type": "TextRun", "text": sneaky} in [{k: r[k] for k in ("type", "text")} for r in runs]
    assert not any(b.get("type") == "TextBlock" and sneaky in b.get("text", "") for b in check.cards[0]["body"])
    assert action(check.cards[0], texts.BUTTON_SEND)["action"] == "send"


async def test_a_double_click_is_served_twice_without_an_error(demo_bot: BotUnderTest) -> None:
    form = await start_to_form(demo_bot)
    check = only(await demo_bot.click(form, texts.BUTTON_NEXT, tegn=GOOD_TEGN))
    [card] = check.cards
    value = {**action(card, texts.BUTTON_SEND), **inputs(card)}
    clicks = [activities.submit(demo_bot.service_url, value, user=activities.METTE, reply_to_id=check.message_id)]
    clicks.append(dict(clicks[0], id="act-double-click"))
    before = len(demo_bot.connector.sent)
    responses = await asyncio.gather(*(demo_bot.post(click) for click in clicks))
    assert [r.status for r in responses] == [201, 201]
    sent = demo_bot.connector.sent[before:]
    assert not any(s.text == texts.ERROR_GENERIC for s in sent), [s.text for s in sent]
    assert all(texts.TEGN_RECEIPT_TITLE in card_texts(s.cards[0]) for s in sent)
    assert len(await stored_entries(demo_bot)) == 1
