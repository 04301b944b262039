"""»Ret og godkend« (issue 20, part 4) from the chef's card and typed: approved with the wording corrected, the
original kept in the history with who changed it."""

from __future__ import annotations

from sqlalchemy import select

from cards import texts
from core.vocabulary import Action, EntryKind, EntryStatus
from storage.models import Decision, Entry
from testkit.activities import KARIN, LARS, METTE
from testkit.clients import Client
from tests.cardtext import inputs
from tests.conftest import BotUnderTest
from tests.test_phone import TEGN, Person, open_chats, propose_tegn

BETTER = "Flere forældre spørger af sig selv, hvad deres barn har leget"


async def _at_the_chef(bot: BotUnderTest) -> tuple[int, Person]:
    await open_chats(bot, METTE, LARS, KARIN)
    entry_id = await propose_tegn(Person(bot, Client.PHONE, METTE))
    await Person(bot, Client.PHONE, LARS).decide(entry_id, EntryKind.TEGN, Action.RECOMMEND, "anbefal")
    return entry_id, Person(bot, Client.PHONE, KARIN)


async def test_the_chef_corrects_on_her_card_and_approves(demo_bot: BotUnderTest) -> None:
    entry_id, karin = await _at_the_chef(demo_bot)
    card = karin.last_card(texts.ENTRY_TITLE[EntryKind.TEGN].format(id=entry_id))
    assert inputs(card.cards[0])["wording"] == TEGN, "the wording as proposed, ready to correct"
    await karin.tap(card, texts.BUTTON_CORRECT_APPROVE, wording=BETTER)  # an Action.Submit: a phone can tap it
    [(status, data)] = await demo_bot.query(select(Entry.status, Entry.data).where(Entry.id == entry_id))
    assert EntryStatus(status) is EntryStatus.APPROVED and data["tegn"] == BETTER
    [(original,)] = await demo_bot.query(
        select(Decision.original_data).where(Decision.entry_id == entry_id, Decision.action == Action.APPROVE)
    )
    assert original["tegn"] == TEGN, "the history keeps what the medarbejder wrote"


async def test_the_chef_corrects_by_typing(demo_bot: BotUnderTest) -> None:
    entry_id, _karin = await _at_the_chef(demo_bot)
    [answer] = [s for s in await demo_bot.say(f"ret og godkend {entry_id} {BETTER}", user=KARIN) if s.cards]
    assert answer.cards
    [(data,)] = await demo_bot.query(select(Entry.data).where(Entry.id == entry_id))
    assert data["tegn"] == BETTER


async def test_a_leder_cannot_correct_and_approve(demo_bot: BotUnderTest) -> None:
    await open_chats(demo_bot, METTE, LARS)
    entry_id = await propose_tegn(Person(demo_bot, Client.PHONE, METTE))
    await demo_bot.say(f"ret og godkend {entry_id} {BETTER}", user=LARS)
    [(status, data)] = await demo_bot.query(select(Entry.status, Entry.data).where(Entry.id == entry_id))
    assert EntryStatus(status) is EntryStatus.PENDING and data["tegn"] == TEGN
