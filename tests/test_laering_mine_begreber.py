"""The læring flow, `mine` with paging, and `begreber`, over HTTP with the recording connector."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Entry
from testkit.connector import Sent, only
from tests.cardtext import card_texts, inputs
from tests.conftest import BotUnderTest


async def entries(bot: BotUnderTest) -> list[Entry]:
    return [row[0] for row in await bot.query(select(Entry).order_by(Entry.id))]


async def to_laering_form(bot: BotUnderTest, *, new_title: str | None = None) -> Sent:
    picker = only(await bot.say("læring"))
    assert "Hvilket mål hører prøvehandlingen til?" in card_texts(picker.cards[0])
    ph_picker = only(await bot.click(picker, "Vælg"))
    shown = card_texts(ph_picker.cards[0])
    assert "Dialogisk læsning i små grupper hver formiddag" in shown
    if new_title is None:
        return only(await bot.click(ph_picker, "Vælg"))
    return only(await bot.click(ph_picker, "Brug den nye prøvehandling", ny_proevehandling=new_title))


async def test_a_learning_from_an_existing_proevehandling(demo_bot: BotUnderTest) -> None:
    form = await to_laering_form(demo_bot)
    shown = card_texts(form.cards[0])
    assert "**Prøvehandling:** Dialogisk læsning i små grupper hver formiddag" in shown
    check = only(
        await demo_bot.click(
            form,
            "Videre",
            evaluering="undervejs",
            hvad_gjorde_vi="Læste i grupper af fire børn",
            laering="De stille børn kommer mere til orde i små grupper",
            tvaerfaglighed="videns",
            borgerinddragelse="true",
        )
    )
    shown = card_texts(check.cards[0])
    assert "Tjek din læring" in shown
    assert "Vidensniveau – vi deler viden" in shown and "Ja" in shown
    receipt = only(await demo_bot.click(check, "Send"))
    assert "Tak! Din læring er sendt" in card_texts(receipt.cards[0])
    [entry] = await entries(demo_bot)
    assert entry.kind == "laering" and entry.proevehandling_id is not None
    assert entry.data["borgerinddragelse"] is True and entry.data["beslutning"] is None


async def test_afsluttende_needs_a_decision_and_keeps_the_input(demo_bot: BotUnderTest) -> None:
    form = await to_laering_form(demo_bot, new_title="Fælles morgensang på tværs af stuerne")
    assert "**Prøvehandling:** Fælles morgensang på tværs af stuerne" in card_texts(form.cards[0])
    again = only(
        await demo_bot.click(form, "Videre", evaluering="afsluttende", laering="Børnene synger med", beslutning="")
    )
    assert any("fortsætte, justeres eller stoppe" in t for t in card_texts(again.cards[0]))
    assert inputs(again.cards[0])["laering"] == "Børnene synger med"
    check = only(await demo_bot.click(again, "Videre", beslutning="stop"))
    assert "Stop" in card_texts(check.cards[0])
    only(await demo_bot.click(check, "Send"))
    [entry] = await entries(demo_bot)
    assert entry.proevehandling_id is None
    assert entry.data["ny_proevehandling"] == "Fælles morgensang på tværs af stuerne"
    assert entry.data["beslutning"] == "stop"


async def test_back_from_the_proevehandling_step_returns_to_the_maal(demo_bot: BotUnderTest) -> None:
    picker = only(await demo_bot.say("læring"))
    ph_picker = only(await demo_bot.click(picker, "Vælg"))
    back = only(await demo_bot.click(ph_picker, "Tilbage"))
    assert "Vælg et mål" in card_texts(back.cards[0])


async def test_mine_lists_newest_first_and_pages_by_ten(demo_bot: BotUnderTest) -> None:
    empty = only(await demo_bot.say("mine"))
    assert any("Du har ikke sendt nogen forslag endnu" in t for t in card_texts(empty.cards[0]))
    for n in range(12):
        form_picker = only(await demo_bot.say("tegn"))
        form = only(await demo_bot.click(form_picker, "Vælg"))
        check = only(await demo_bot.click(form, "Videre", tegn=f"Tegn nummer {n + 1} ses hos børnene"))
        only(await demo_bot.click(check, "Send"))
    first_page = only(await demo_bot.say("mine"))
    shown = card_texts(first_page.cards[0])
    assert "Du har 12 forslag. Det nyeste står øverst." in shown
    assert shown.index("Tegn nummer 12 ses hos børnene") < shown.index("Tegn nummer 11 ses hos børnene")
    assert "Tegn nummer 2 ses hos børnene" not in shown
    assert "Sendt til din leder" in shown
    assert "Viser 1–10 af 12" in shown
    second_page = only(await demo_bot.click(first_page, "Vis flere"))
    shown = card_texts(second_page.cards[0])
    assert "Tegn nummer 2 ses hos børnene" in shown and "Tegn nummer 1 ses hos børnene" in shown
    assert "Viser 11–12 af 12" in shown
    assert "Vis flere" not in shown


async def test_begreber_explains_tegn_versus_proevehandling(demo_bot: BotUnderTest) -> None:
    glossary = only(await demo_bot.say("begreber"))
    shown = card_texts(glossary.cards[0])
    for term in ("Vision", "Målsætning", "Mål", "Målplan", "Tegn", "Prøvehandling", "Evaluering", "Årshjul"):
        assert term in shown
    assert "Tegn eller prøvehandling?" in shown
    assert any("Vores opgave" in t and "Helhed" in t and "Relationer" in t and "Mod" in t for t in shown)
