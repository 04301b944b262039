"""The læring flow, `mine` with paging, and `begreber`, over HTTP with the recording connector."""

from __future__ import annotations

from sqlalchemy import select

from cards import texts
from cards.payloads import Command
from core.vocabulary import EntryKind, Role
from storage.models import Entry
from testkit.activities import LARS
from testkit.connector import Sent, only
from tests.cardtext import card_texts, inputs
from tests.conftest import BotUnderTest

# A prøvehandling of Kirkebjerg's first mål in demo/organisation.yaml.
PROEVEHANDLING = "Dialogisk læsning i små grupper hver formiddag"


async def entries(bot: BotUnderTest) -> list[Entry]:
    return [row[0] for row in await bot.query(select(Entry).order_by(Entry.id))]


async def to_laering_form(bot: BotUnderTest, *, new_title: str | None = None) -> Sent:
    picker = only(await bot.say(Command.LAERING))
    assert texts.MAAL_INTRO_LAERING in card_texts(picker.cards[0])
    ph_picker = only(await bot.click(picker, texts.BUTTON_CHOOSE))
    shown = card_texts(ph_picker.cards[0])
    assert texts.LAERING_PH_TITLE in shown and PROEVEHANDLING in shown
    if new_title is None:
        return only(await bot.click(ph_picker, texts.BUTTON_CHOOSE))
    return only(await bot.click(ph_picker, texts.LAERING_PH_NEW_BUTTON, ny_proevehandling=new_title))


async def test_a_learning_from_an_existing_proevehandling(demo_bot: BotUnderTest) -> None:
    form = await to_laering_form(demo_bot)
    shown = card_texts(form.cards[0])
    assert shown[shown.index(texts.FIELD_PROEVEHANDLING) + 1] == PROEVEHANDLING
    check = only(
        await demo_bot.click(
            form,
            texts.BUTTON_NEXT,
            evaluering="undervejs",
            hvad_gjorde_vi="Læste i grupper af fire børn",
            laering="De stille børn kommer mere til orde i små grupper",
            tvaerfaglighed="videns",
            borgerinddragelse="true",
        )
    )
    shown = card_texts(check.cards[0])
    assert texts.LAERING_CHECK_TITLE in shown
    assert texts.TVAERFAGLIG_LABELS["videns"] in shown and texts.YES in shown
    receipt = only(await demo_bot.click(check, texts.BUTTON_SEND))
    assert texts.LAERING_RECEIPT_TITLE in card_texts(receipt.cards[0])
    [entry] = await entries(demo_bot)
    assert entry.kind == EntryKind.LAERING and entry.proevehandling_id is not None
    assert entry.data["borgerinddragelse"] is True and entry.data["beslutning"] is None


async def test_afsluttende_needs_a_decision_and_keeps_the_input(demo_bot: BotUnderTest) -> None:
    new_title = "Fælles morgensang på tværs af stuerne"
    form = await to_laering_form(demo_bot, new_title=new_title)
    shown = card_texts(form.cards[0])
    assert shown[shown.index(texts.FIELD_PROEVEHANDLING) + 1] == new_title
    again = only(
        await demo_bot.click(
            form, texts.BUTTON_NEXT, evaluering="afsluttende", laering="Børnene synger med", beslutning=""
        )
    )
    assert texts.ERROR_BESLUTNING_REQUIRED in card_texts(again.cards[0])
    assert inputs(again.cards[0])["laering"] == "Børnene synger med"
    check = only(await demo_bot.click(again, texts.BUTTON_NEXT, beslutning="stop"))
    assert texts.BESLUTNING_LABELS["stop"] in card_texts(check.cards[0])
    only(await demo_bot.click(check, texts.BUTTON_SEND))
    # The new prøvehandling is proposed alongside the læring (tests/test_proevehandling.py).
    entry, proposal = await entries(demo_bot)
    assert entry.kind is EntryKind.LAERING and proposal.kind is EntryKind.PROEVEHANDLING
    assert entry.proevehandling_id is None
    assert entry.data["ny_proevehandling"] == new_title
    assert entry.data["beslutning"] == "stop"


async def test_back_from_the_proevehandling_step_returns_to_the_maal(demo_bot: BotUnderTest) -> None:
    picker = only(await demo_bot.say(Command.LAERING))
    ph_picker = only(await demo_bot.click(picker, texts.BUTTON_CHOOSE))
    back = only(await demo_bot.click(ph_picker, texts.BUTTON_BACK))
    assert texts.MAAL_TITLE in card_texts(back.cards[0])


async def test_mine_lists_newest_first_and_pages_by_ten(demo_bot: BotUnderTest) -> None:
    empty = only(await demo_bot.say(Command.MINE))
    assert texts.MINE_EMPTY in card_texts(empty.cards[0])
    for n in range(12):
        form_picker = only(await demo_bot.say(Command.TEGN))
        form = only(await demo_bot.click(form_picker, texts.BUTTON_CHOOSE))
        check = only(await demo_bot.click(form, texts.BUTTON_NEXT, tegn=f"Tegn nummer {n + 1} ses hos børnene"))
        only(await demo_bot.click(check, texts.BUTTON_SEND))
    first_page = only(await demo_bot.say(Command.MINE))
    shown = card_texts(first_page.cards[0])
    assert texts.MINE_TITLE in shown
    assert texts.MINE_COUNT.format(count=12) in shown
    assert shown.index("Tegn nummer 12 ses hos børnene") < shown.index("Tegn nummer 11 ses hos børnene")
    assert "Tegn nummer 2 ses hos børnene" not in shown
    assert (
        texts.STATUS_PENDING_AT_PEOPLE.format(
            who=texts.PERSON_WITH_TITLE.format(name=LARS.name, title=texts.ROLE_TITLES[Role.LEDER])
        )
        in shown
    )
    [(newest,)] = await demo_bot.query(select(Entry.id).order_by(Entry.id.desc()).limit(1))
    assert texts.MINE_ENTRY_HEADING.format(kind=texts.KIND_LABELS[EntryKind.TEGN], id=newest) in shown
    assert texts.MINE_SHOWING.format(first=1, last=10, count=12) in shown
    second_page = only(await demo_bot.click(first_page, texts.BUTTON_SHOW_MORE))
    shown = card_texts(second_page.cards[0])
    assert "Tegn nummer 2 ses hos børnene" in shown and "Tegn nummer 1 ses hos børnene" in shown
    assert texts.MINE_SHOWING.format(first=11, last=12, count=12) in shown
    assert texts.BUTTON_SHOW_MORE not in shown


async def test_begreber_explains_tegn_versus_proevehandling(demo_bot: BotUnderTest) -> None:
    glossary = only(await demo_bot.say(Command.BEGREBER))
    shown = card_texts(glossary.cards[0])
    assert texts.BEGREBER_TITLE in shown
    for term, explanation in texts.BEGREBER:
        assert term in shown and explanation in shown
    # Among them, what a tegn is next to a prøvehandling, and the grundlag's four temaer.
    terms = {term.casefold() for term, _ in texts.BEGREBER}
    assert {texts.KIND_LABELS[EntryKind.TEGN].casefold(), texts.FIELD_PROEVEHANDLING.casefold()} <= terms
    assert any(all(tema in explanation for tema in texts.TEMA_LABELS.values()) for _, explanation in texts.BEGREBER)
