"""Every flow from a phone (no Action.Execute) and from a client with no buttons at all (typing), over HTTP.

Each test runs under both client profiles (testkit.clients): a tap the profile cannot make fails the test, so a
flow passes only if every step it needs has a door that client has.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from app import ROUNDS
from cards import texts
from cards.payloads import Command
from core.vocabulary import Action, EntryKind, EntryStatus, Tema
from storage.models import Entry, Maal, RoundProposal
from testkit import activities
from testkit.activities import AHMED, KARIN, LARS, METTE, STINNE, User
from testkit.clients import CannotTap, Client, check_tap
from testkit.connector import Sent
from tests.cardtext import actions, card_texts, inputs
from tests.conftest import BotUnderTest

CLIENTS = [Client.PHONE, Client.TEXT_ONLY]
TEGN = "Flere forældre spørger ind til, hvad deres barn har leget"
EKSEMPEL = "Når en kollega er presset, tager jeg en af hendes opgaver uden at blive spurgt"


@dataclass
class Person:
    """One person on one client: taps what the client can tap, types the rest."""

    bot: BotUnderTest
    client: Client
    user: User

    async def say(self, text: str) -> list[Sent]:
        return await self.bot.say(text, user=self.user)

    async def tap(self, sent: Sent, title: str, **typed: Any) -> list[Sent]:
        [card] = sent.cards
        button = next((a for a in actions(card) if a.get("title") == title), None)
        assert button is not None, f"no button {title!r}"
        check_tap(self.client, button)
        return await self.bot.click(sent, title, user=self.user, **typed)

    def can_tap(self, sent: Sent, title: str) -> bool:
        button = next((a for a in actions(sent.cards[0]) if a.get("title") == title), None)
        try:
            check_tap(self.client, button or {})
        except CannotTap:
            return False
        return button is not None

    def last_card(self, title: str) -> Sent:
        """The newest card in this person's personal chat that shows `title`."""
        found = [s for s in self.bot.sent_to(self.user) if s.cards and title in card_texts(s.cards[0])]
        assert found, f"no card {title!r} for {self.user.name}"
        return found[-1]

    async def decide(self, entry_id: int, kind: EntryKind, action: Action, word: str, comment: str = "") -> None:
        """Tap the decision on the approval card where the client can; type it otherwise."""
        await self.bot.settle()
        card = self.last_card(texts.ENTRY_TITLE[kind].format(id=entry_id))
        labels = texts.EKSEMPEL_DECISION_BUTTONS if kind is EntryKind.EKSEMPEL else texts.DECISION_BUTTONS
        if self.can_tap(card, labels[action]):
            answer = await self.tap(card, labels[action], comment=comment)
            assert any(s.method == "PUT" and s.activity_id == card.message_id for s in answer), "updated in place"
        else:
            await self.say(f"{word} {entry_id} {comment}".strip())
        await self.bot.settle()


async def open_chats(bot: BotUnderTest, *users: User) -> None:
    """Each user writes to the bot once, so that it can reach them in their personal chat later."""
    for user in users:
        await bot.say(Command.HELP, user=user)
    bot.connector.clear()


async def status_of(bot: BotUnderTest, entry_id: int) -> EntryStatus:
    [(status,)] = await bot.query(select(Entry.status).where(Entry.id == entry_id))
    return EntryStatus(status)


async def newest_entry(bot: BotUnderTest) -> int:
    [(entry_id,)] = await bot.query(select(Entry.id).order_by(Entry.id.desc()).limit(1))
    return int(entry_id)


async def propose_tegn(mette: Person, text: str = TEGN) -> int:
    await mette.bot.settle()
    [picker] = await mette.say("tegn")
    [form] = await mette.tap(picker, texts.BUTTON_CHOOSE)
    [check] = await mette.tap(form, texts.BUTTON_NEXT, tegn=text)
    await mette.tap(check, texts.BUTTON_SEND)
    return await newest_entry(mette.bot)


@pytest.mark.parametrize("client", CLIENTS)
async def test_tegn_leder_chef_with_a_send_back_and_a_resubmit(demo_bot: BotUnderTest, client: Client) -> None:
    await open_chats(demo_bot, METTE, LARS, KARIN)
    mette, lars, karin = (Person(demo_bot, client, u) for u in (METTE, LARS, KARIN))
    entry_id = await propose_tegn(mette)
    await lars.decide(entry_id, EntryKind.TEGN, Action.SEND_BACK, "send tilbage", "Skriv hvem målgruppen er")
    assert await status_of(demo_bot, entry_id) is EntryStatus.SENT_BACK

    news = mette.last_card(texts.OWNER_NEWS[Action.SEND_BACK][0])
    if mette.can_tap(news, texts.BUTTON_EDIT_RESUBMIT):
        [reopened] = await mette.tap(news, texts.BUTTON_EDIT_RESUBMIT)
    else:
        [reopened] = await mette.say(f"ret {entry_id}")
    [check] = await mette.tap(reopened, texts.BUTTON_NEXT, tegn=TEGN + " i de små grupper")
    await mette.tap(check, texts.BUTTON_SEND)
    assert await status_of(demo_bot, entry_id) is EntryStatus.PENDING

    await lars.decide(entry_id, EntryKind.TEGN, Action.RECOMMEND, "anbefal")
    await karin.decide(entry_id, EntryKind.TEGN, Action.APPROVE, "godkend", "Tak")
    assert await status_of(demo_bot, entry_id) is EntryStatus.APPROVED


@pytest.mark.parametrize("client", CLIENTS)
async def test_laering(demo_bot: BotUnderTest, client: Client) -> None:
    await open_chats(demo_bot, METTE, LARS, KARIN)
    mette, lars, karin = (Person(demo_bot, client, u) for u in (METTE, LARS, KARIN))
    [picker] = await mette.say("læring")
    [ph_picker] = await mette.tap(picker, texts.BUTTON_CHOOSE)
    [form] = await mette.tap(ph_picker, texts.BUTTON_CHOOSE)
    fields = {"evaluering": "undervejs", "laering": "De stille børn kommer mere til orde", "tvaerfaglighed": "videns"}
    [check] = await mette.tap(form, texts.BUTTON_NEXT, **fields)
    await mette.tap(check, texts.BUTTON_SEND)
    entry_id = await newest_entry(demo_bot)
    await lars.decide(entry_id, EntryKind.LAERING, Action.RECOMMEND, "anbefal")
    await karin.decide(entry_id, EntryKind.LAERING, Action.APPROVE, "godkend")
    assert await status_of(demo_bot, entry_id) is EntryStatus.APPROVED


@pytest.mark.parametrize("client", CLIENTS)
async def test_eksempel_through_the_leder_to_the_indsamler(demo_bot: BotUnderTest, client: Client) -> None:
    await open_chats(demo_bot, METTE, LARS, STINNE)
    mette, lars, stinne = (Person(demo_bot, client, u) for u in (METTE, LARS, STINNE))
    [picker] = await mette.say("eksempel")
    tema = texts.EKSEMPEL_TEMA_BUTTON.format(tema=texts.TEMA_LABELS[Tema.RELATIONER])
    [niveau] = await mette.tap(picker, tema)
    [form] = await mette.tap(niveau, texts.BUTTON_NEXT)
    [check] = await mette.tap(form, texts.BUTTON_NEXT, eksempel=EKSEMPEL)
    send = next(a["title"] for a in actions(check.cards[0]))
    await mette.tap(check, send)
    entry_id = await newest_entry(demo_bot)
    await lars.decide(entry_id, EntryKind.EKSEMPEL, Action.RECOMMEND, "send videre")
    # No card per eksempel comes to the indsamler (her daily digest counts them): she opens `godkend`.
    await stinne.say("godkend")
    await stinne.decide(entry_id, EntryKind.EKSEMPEL, Action.APPROVE, "modtag")
    assert await status_of(demo_bot, entry_id) is EntryStatus.APPROVED


@pytest.mark.parametrize("client", CLIENTS)
async def test_withdraw(demo_bot: BotUnderTest, client: Client) -> None:
    await open_chats(demo_bot, METTE, LARS)
    mette, lars = Person(demo_bot, client, METTE), Person(demo_bot, client, LARS)
    entry_id = await propose_tegn(mette)
    await lars.decide(entry_id, EntryKind.TEGN, Action.RECOMMEND, "anbefal")
    news = mette.last_card(texts.OWNER_NEWS[Action.RECOMMEND][0])
    if mette.can_tap(news, texts.BUTTON_WITHDRAW):
        await mette.tap(news, texts.BUTTON_WITHDRAW)
    else:
        await mette.say(f"træk tilbage {entry_id}")
    assert await status_of(demo_bot, entry_id) is EntryStatus.WITHDRAWN
    # Typed again (Teams re-sends a slow message): the same answer, nothing new.
    again = await mette.say(f"traek tilbage {entry_id}")
    assert again and await status_of(demo_bot, entry_id) is EntryStatus.WITHDRAWN


async def in_group(bot: BotUnderTest, user: User, text: str) -> list[Sent]:
    return await bot._turn(activities.group_message(bot.service_url, text, user=user))


async def leader_selects(bot: BotUnderTest, lars: Person, picks: list[int]) -> None:
    """After the close, Lars picks in his personal chat: taps on his selection card, or types the numbers."""
    await bot.client.app[ROUNDS].drain()
    selection = lars.last_card(texts.ROUND_SELECT_HEADER)
    if lars.can_tap(selection, texts.ROUND_BUTTON_FORWARD):
        toggles = [key for key in inputs(selection.cards[0]) if key.startswith("sel_")]  # numbered as shown
        ticks = {toggles[n - 1]: "true" for n in picks}
        answer = await lars.tap(selection, texts.ROUND_BUTTON_FORWARD, **ticks)
        assert any(s.method == "PUT" for s in answer), "the selection card is updated in place"
    else:
        await lars.say("møde send " + ",".join(str(n) for n in picks))
    await bot.settle()


@pytest.mark.parametrize("client", CLIENTS)
async def test_a_whole_round_from_typed_start_to_the_chef_and_the_indsamler(
    demo_bot: BotUnderTest, client: Client
) -> None:
    await open_chats(demo_bot, METTE, AHMED, LARS, KARIN, STINNE)
    lars = Person(demo_bot, client, LARS)
    [(maal_id,)] = await demo_bot.query(select(Maal.id).where(Maal.key == "sprog"))
    started = await in_group(demo_bot, LARS, f"møde tegn {maal_id}")
    assert started and started[-1].cards, "the round's card in the chat"
    await in_group(demo_bot, METTE, "Børnene fortæller selv, hvad de har leget")
    # Openings that are command words are proposals in a round's chat, never run as that command.
    await in_group(demo_bot, AHMED, "Tegn på at børnene bruger flere ord ved frokosten")
    mine = await in_group(demo_bot, METTE, "Mine kolleger oplever, at børnene spørger mere")
    assert not any(s.cards for s in mine), "nothing personal in the group chat"
    assert len(await demo_bot.query(select(RoundProposal.id))) == 3
    closed = await in_group(demo_bot, LARS, "møde slut")
    assert any(texts.ROUND_SUMMARY_TITLE in card_texts(s.cards[0]) for s in closed if s.cards)
    await leader_selects(demo_bot, lars, [1, 3])
    karin = await demo_bot.say("godkend", user=KARIN)
    waiting = [s for s in karin if s.cards and texts.APPROVAL_YOUR_TURN in card_texts(s.cards[0])]
    assert len(waiting) == 2, "both chosen tegn wait for the chef"

    # An eksempel round on one tema, to the indsamler.
    await in_group(demo_bot, LARS, "møde eksempel relationer")
    await in_group(demo_bot, METTE, EKSEMPEL)
    await in_group(demo_bot, LARS, "møde slut")
    await leader_selects(demo_bot, lars, [1])
    stinne = await demo_bot.say("godkend", user=STINNE)
    assert [s for s in stinne if s.cards and texts.APPROVAL_YOUR_TURN in card_texts(s.cards[0])]


@pytest.mark.parametrize("client", CLIENTS)
async def test_the_export_link(demo_bot: BotUnderTest, client: Client) -> None:
    karin = Person(demo_bot, client, KARIN)
    # Karin's afdeling has two målplaner: she picks one (Chefforum's workbook, hers too, comes as a link first).
    [picker] = [s for s in await karin.say("eksport") if s.cards]
    first = actions(picker.cards[0])[0]
    if karin.can_tap(picker, first["title"]):
        answer = await karin.tap(picker, first["title"])
    else:
        answer = await karin.say(f"eksport {first['data']['maalplan_id']}")  # the number on the button
    [link] = [s.text for s in answer if s.text and "/exports/" in s.text and "/chefforum/" not in s.text]
    url = link[link.index("http") :].split()[0].rstrip(").")
    path = url[url.index("/exports/") :]
    response = await demo_bot.client.get(path)
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")
