"""Personalemøde rounds over HTTP: starting, the set-up, adding and removing, anonymous and hidden rounds, large
chats, closing, selecting and forwarding into the route, typing, the automatic close, and the coalesced updates
of the shared card under a burst of 60 additions."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from app import ROUNDS, create_app
from cards import danish, texts
from core.vocabulary import Action, Afsender, EntryKind, EntryStatus, Niveau, NotificationKind, RoundStatus, Tema
from domain import clock
from storage.models import Decision, Entry, Maal, Notification, Person, Round, RoundProposal
from storage.orgfile import import_file
from testkit import activities
from testkit.activities import AHMED, KARIN, LARS, METTE, NEWCOMER, SOFIE, STINNE, User
from testkit.connector import Member, RecordingConnector, Sent
from tests import conftest
from tests.cardtext import actions, card_texts, inputs
from tests.conftest import DEMO_ORGANISATION, BotUnderTest

GROUP = activities.group_conversation("Personalemøde Kirkebjerg")
DEMO_USERS = (METTE, AHMED, LARS, SOFIE, KARIN, STINNE, NEWCOMER)


@pytest.fixture
async def meeting(database_url: str, connector: RecordingConnector) -> AsyncIterator[BotUnderTest]:
    """The bot on each backend with the demo organisation; its people are members of the group chat."""
    await import_file(database_url, DEMO_ORGANISATION)
    for user in DEMO_USERS:
        connector.add_member(Member(user.id, user.name, user.aad_object_id, user.email))
    settings = conftest.test_settings(database_url, ROUND_SWEEP_SECONDS=0, ROUND_UPDATE_SECONDS=0.05)
    async with TestClient(TestServer(create_app(settings))) as client:
        yield BotUnderTest(client, connector, settings)


class ManualSleep:
    """domain.clock's sleep in the test's hands: sleepers wait until `release`, which moves the clock on."""

    def __init__(self, start: dt.datetime):
        self.now = start
        self.waiting: list[tuple[float, asyncio.Future[None]]] = []

    async def __call__(self, seconds: float) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.waiting.append((seconds, future))
        await future

    async def release(self) -> None:
        """Let every sleeper go on, after the longest wait has passed; then let them run."""
        waiting, self.waiting = self.waiting, []
        if waiting:
            self.now += dt.timedelta(seconds=max(seconds for seconds, _ in waiting))
        for _, future in waiting:
            future.set_result(None)
        for _ in range(50):
            await asyncio.sleep(0.01)


@pytest.fixture
def manual_sleep() -> Iterator[ManualSleep]:
    sleeper = ManualSleep(dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC))
    clock.set_sleep(sleeper)
    clock.set_now(lambda: sleeper.now)
    try:
        yield sleeper
    finally:
        clock.set_sleep(None)
        clock.set_now(None)


# --- Helpers: the group chat, as Teams sends it -------------------------------------------------------------------


async def in_group(bot: BotUnderTest, text: str, *, user: User, conversation: dict[str, Any] = GROUP) -> list[Sent]:
    """An @mention of the bot in the group chat (or `conversation`); returns the messages the bot posted there
    during the turn (not the shared card's background updates)."""
    before = len(bot.connector.sent)
    response = await bot.post(activities.group_message(bot.service_url, text, user=user, conversation=conversation))
    assert response.status in (200, 201), await response.text()
    return [s for s in bot.connector.sent[before:] if s.conversation_id == conversation["id"] and s.method == "POST"]


async def execute(
    bot: BotUnderTest,
    verb: str,
    data: dict[str, Any],
    *,
    user: User,
    reply_to_id: str | None = None,
    conversation: dict[str, Any] = GROUP,
    **typed: Any,
) -> dict[str, Any]:
    """An Action.Execute click in the group chat (or `conversation`), inputs merged into the data as Teams does;
    returns the card."""
    activity = activities.execute(
        bot.service_url, verb, {**data, **typed}, user=user, conversation=conversation, reply_to_id=reply_to_id
    )
    response = await bot.post(activity)
    assert response.status == 200, await response.text()
    body: dict[str, Any] = await response.json()
    assert body["statusCode"] == 200, body
    card: dict[str, Any] = body["value"]
    return card


def button(card: dict[str, Any], title: str, nth: int = 0) -> dict[str, Any]:
    found = [a for a in actions(card) if a.get("title") == title]
    assert len(found) > nth, [a.get("title") for a in actions(card)]
    return found[nth]


def titles(card: dict[str, Any]) -> list[str]:
    return [a["title"] for a in actions(card)]


def text_of(card: dict[str, Any]) -> str:
    return "\n".join(card_texts(card))


async def maal_id(bot: BotUnderTest, key: str = "sprog") -> int:
    [(found,)] = await bot.query(select(Maal.id).where(Maal.key == key))
    return int(found)


async def start_round(
    bot: BotUnderTest,
    *,
    target: str | None = None,
    starter: User = LARS,
    conversation: dict[str, Any] = GROUP,
    **settings: Any,
) -> tuple[int, Sent]:
    """The starter writes `møde` and starts the round; returns the round id and the shared card's message."""
    [setup] = await in_group(bot, "møde", user=starter, conversation=conversation)
    [setup_card] = setup.cards
    start = button(setup_card, texts.ROUND_BUTTON_START)
    values = {**inputs(setup_card), "target": target or f"tegn:{await maal_id(bot)}", **settings}
    before = len(bot.connector.sent)
    started = await execute(
        bot,
        "round_start",
        start["data"],
        user=starter,
        reply_to_id=setup.message_id,
        conversation=conversation,
        **values,
    )
    assert texts.ROUND_STARTED in text_of(started)
    [posted] = [s for s in bot.connector.sent[before:] if s.method == "POST" and s.cards]
    return int(start["data"]["round_id"]), posted


async def add(bot: BotUnderTest, round_id: int, text: str, *, user: User, **typed: Any) -> dict[str, Any]:
    return await execute(bot, "round_add", {"round_id": round_id}, user=user, proposal=text, **typed)


async def proposals(bot: BotUnderTest, round_id: int) -> list[tuple[str, bool]]:
    rows = await bot.query(
        select(RoundProposal.text, RoundProposal.removed)
        .where(RoundProposal.round_id == round_id)
        .order_by(RoundProposal.id)
    )
    return [(text, removed) for text, removed in rows]


def updates_of(sent: list[Sent], message_id: str) -> list[Sent]:
    return [s for s in sent if s.method == "PUT" and s.activity_id == message_id]


# --- Starting ---------------------------------------------------------------------------------------------------


async def test_moede_in_the_personal_chat_says_where_rounds_happen(meeting: BotUnderTest) -> None:
    [reply] = await meeting.say("møde", user=LARS)
    assert reply.text == texts.ROUND_PERSONAL_CHAT


async def test_a_medarbejder_is_told_kindly_who_starts_a_round(meeting: BotUnderTest) -> None:
    [reply] = await in_group(meeting, "møde", user=METTE)
    assert reply.text == texts.ROUND_NOT_A_LEADER
    assert await meeting.query(select(Round.id)) == []


async def test_only_the_starter_can_use_the_set_up_card(meeting: BotUnderTest) -> None:
    [setup] = await in_group(meeting, "møde", user=LARS)
    card = setup.cards[0]
    assert texts.ROUND_SHOW_NAMES in text_of(card) and texts.ROUND_HIDE_UNTIL_CLOSE in text_of(card)
    targets = next(i for i in _inputs(card) if i["id"] == "target")
    titles_ = [c["title"] for c in targets["choices"]]
    assert any("Flere børn har et alderssvarende sprog" in t for t in titles_), "Lars's mål are offered"
    assert not any("Færre elever" in t for t in titles_), "another unit's mål are not"
    assert texts.ROUND_TARGET_EKSEMPEL_ALL in titles_

    start = button(card, texts.ROUND_BUTTON_START)
    values = {**inputs(card), "target": f"tegn:{await maal_id(meeting)}"}
    refused = await execute(meeting, "round_start", start["data"], user=METTE, **values)
    assert texts.ROUND_SETUP_ONLY_STARTER.format(name=LARS.name) in text_of(refused)
    assert await meeting.query(select(Round.status)) == [(RoundStatus.SETUP,)]

    # A target that is not Lars's (another unit's mål) is refused on the server, with the card kept.
    other = await maal_id(meeting, "fravaer")
    again = await execute(meeting, "round_start", start["data"], user=LARS, **{**values, "target": f"tegn:{other}"})
    assert texts.ROUND_BAD_TARGET in text_of(again)
    assert await meeting.query(select(Round.status)) == [(RoundStatus.SETUP,)]


def _inputs(card: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if str(node.get("type", "")).startswith("Input."):
                found.append(node)
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(card.get("body", []))
    return found


# --- The round --------------------------------------------------------------------------------------------------


async def test_a_tegn_round_from_start_to_the_chefs_inbox(meeting: BotUnderTest) -> None:
    round_id, posted = await start_round(meeting)
    base = posted.cards[0]
    assert base["version"] == "1.5"
    assert base["refresh"]["action"]["verb"] == "round_view"
    assert base["refresh"]["action"]["data"] == {"round_id": round_id}, "card data carries only ids"
    assert sorted(base["refresh"]["userIds"]) == sorted({u.id for u in DEMO_USERS})
    assert texts.ROUND_COUNT_NONE in text_of(base)
    assert texts.ROUND_BUTTON_MY_CARD not in titles(base), "a chat of up to 60 refreshes by itself"
    assert all(a["type"] == "Action.Execute" for a in actions(base))

    # Mette adds; her card comes back with her proposal and "Fjern". The same click again is stored once.
    mine = await add(meeting, round_id, "Flere børn fortæller selv om deres dag ved afhentning", user=METTE)
    assert texts.ROUND_ADDED in text_of(mine)
    assert "Flere børn fortæller selv om deres dag ved afhentning" in text_of(mine)
    assert texts.ROUND_BUTTON_REMOVE in titles(mine)
    assert texts.ROUND_BUTTON_CLOSE not in titles(mine)
    repeat = await add(meeting, round_id, "Flere børn fortæller selv om deres dag ved afhentning", user=METTE)
    assert texts.ROUND_ALREADY_ADDED in text_of(repeat)
    await add(meeting, round_id, "Forældre spørger til sangene fra samling", user=METTE)
    ahmed = await add(meeting, round_id, "Børnene bruger nye ord i legen", user=AHMED)
    assert "Flere børn fortæller selv om deres dag ved afhentning" not in text_of(ahmed), "only his own"
    await add(meeting, round_id, "Et forslag jeg fortryder", user=AHMED)

    # Ahmed removes one of his; the row stays, marked removed.
    ahmed = await execute(meeting, "round_view", {"round_id": round_id}, user=AHMED)
    remove = [a for a in actions(ahmed) if a["title"] == texts.ROUND_BUTTON_REMOVE][-1]
    after = await execute(meeting, "round_remove", remove["data"], user=AHMED)
    assert "Et forslag jeg fortryder" not in text_of(after)
    assert ("Et forslag jeg fortryder", True) in await proposals(meeting, round_id)
    other_remove = await execute(meeting, "round_remove", remove["data"] | {"proposal_id": 1}, user=AHMED)
    assert texts.ROUND_REMOVED not in text_of(other_remove), "Mette's proposal is not Ahmed's to remove"
    assert ("Flere børn fortæller selv om deres dag ved afhentning", False) in await proposals(meeting, round_id)

    # Lars (the starter) sees everyone's, with names, the count and "Afslut runde".
    lars = await execute(meeting, "round_view", {"round_id": round_id}, user=LARS, trigger="automatic")
    text = text_of(lars)
    assert "Børnene bruger nye ord i legen – Ahmed Khan" in text
    assert danish.fill(texts.ROUND_COUNT, count=3, people=2) in text
    assert texts.ROUND_BUTTON_CLOSE in titles(lars)

    # Mette may not close; the round stays open.
    refused = await execute(meeting, "round_close", {"round_id": round_id}, user=METTE)
    assert texts.ROUND_CLOSE_REFUSED.format(name=LARS.name) in text_of(refused)

    # The count update for the removal (the coalescer's timer) is out before the close is counted.
    await meeting.client.app[ROUNDS].drain()
    before = len(meeting.connector.sent)
    closed = await execute(meeting, "round_close", {"round_id": round_id}, user=LARS, reply_to_id=posted.message_id)
    again = await execute(meeting, "round_close", {"round_id": round_id}, user=LARS)
    sent = meeting.connector.sent[before:]
    summaries = [s for s in sent if s.method == "POST" and s.cards]
    assert len(summaries) == 1, "two closes, one summary"
    assert texts.ROUND_SUMMARY_TITLE in text_of(summaries[0].cards[0])
    assert "Børnene bruger nye ord i legen – Ahmed Khan" in text_of(summaries[0].cards[0])
    assert len(updates_of(sent, posted.message_id)) == 1, "the shared card becomes the summary"
    assert titles(again) == titles(closed)

    late = await add(meeting, round_id, "For sent", user=AHMED)
    assert texts.ROUND_CLOSED_REFUSED in text_of(late)
    assert ("For sent", False) not in await proposals(meeting, round_id)

    # The shared card shows the summary and who selects; its "Vælg forslag" opens the selection for Lars only
    # (where Teams does not refresh by itself: channels, large chats, the Agents Playground).
    shared = updates_of(sent, posted.message_id)[0].cards[0]
    assert texts.ROUND_SELECT_HINT.format(name=LARS.name) in text_of(shared)
    select_action = next(a for a in actions(shared) if a["title"] == texts.ROUND_BUTTON_SELECT)
    not_hers = await execute(meeting, "round_view", select_action["data"], user=METTE)
    assert texts.ROUND_ONLY_STARTER.format(name=LARS.name) in text_of(not_hers)
    assert texts.ROUND_BUTTON_FORWARD not in titles(not_hers)
    his = await execute(meeting, "round_view", select_action["data"], user=LARS)
    assert texts.ROUND_BUTTON_FORWARD in titles(his)
    assert texts.ROUND_SELECT_TOGGLE.format(n=3) in str(_inputs(his)), "one numbered toggle per proposal"

    # Mette sees the summary; only Lars can select and forward.
    mette_closed = await execute(meeting, "round_view", {"round_id": round_id}, user=METTE)
    assert texts.ROUND_BUTTON_FORWARD not in titles(mette_closed)
    assert "Forældre spørger til sangene fra samling – Mette Hansen" in text_of(mette_closed)
    foreign = await execute(meeting, "round_forward", {"round_id": round_id}, user=METTE)
    assert texts.ROUND_ONLY_STARTER.format(name=LARS.name) in text_of(foreign)

    # Lars picks two and corrects the wording of one; nothing chosen first is a Danish message.
    assert texts.ROUND_BUTTON_FORWARD in titles(closed)
    none = await execute(meeting, "round_forward", {"round_id": round_id}, user=LARS, **inputs(closed))
    assert texts.ROUND_FORWARD_NONE in text_of(none)
    ids = {text: pid for pid, text in await meeting.query(select(RoundProposal.id, RoundProposal.text))}
    first, second = ids["Flere børn fortæller selv om deres dag ved afhentning"], ids["Børnene bruger nye ord i legen"]
    choice = {
        **inputs(closed),
        f"sel_{first}": "true",
        f"sel_{second}": "true",
        f"text_{second}": "Børnene bruger nye ord fra samling i den frie leg",
    }
    empty = await execute(
        meeting, "round_forward", {"round_id": round_id}, user=LARS, **{**choice, f"text_{first}": " "}
    )
    assert texts.ERROR_REQUIRED in text_of(empty)
    assert "Børnene bruger nye ord fra samling i den frie leg" in [i.get("value") for i in _inputs(empty)], "kept"
    done = await execute(meeting, "round_forward", {"round_id": round_id}, user=LARS, **choice)
    assert texts.ROUND_FORWARDED.format(count=2, total=3) in text_of(done)
    await execute(meeting, "round_forward", {"round_id": round_id}, user=LARS, **choice)  # a retry: nothing new

    entries = await meeting.query(
        select(Entry.id, Entry.kind, Entry.status, Entry.stage, Entry.owner_id, Entry.data).order_by(Entry.id)
    )
    assert len(entries) == 2
    assert all(
        kind is EntryKind.TEGN and status is EntryStatus.PENDING and stage == 1
        for _, kind, status, stage, _, _ in entries
    )
    assert entries[1][5]["tegn"] == "Børnene bruger nye ord fra samling i den frie leg"
    history = await meeting.query(
        select(Decision.action, Decision.comment).where(Decision.entry_id == entries[1][0]).order_by(Decision.id)
    )
    assert [action for action, _ in history] == [Action.SUBMIT, Action.RECOMMEND]
    original = texts.QUOTED.format(text="Børnene bruger nye ord i legen")
    assert original in history[1][1], "the original wording is in the history"
    assert (await meeting.query(select(Round.status)))[0] == (RoundStatus.FORWARDED,)

    # Mette sees her proposal that was not sent on in `mine`; the one that was is an entry there.
    mine_cards = [text_of(s.cards[0]) for s in await meeting.say("mine", user=METTE) if s.cards]
    assert texts.MINE_ROUND_HEADER in mine_cards[0]
    assert "Forældre spørger til sangene fra samling" in mine_cards[0]
    assert texts.ROUND_NOT_FORWARDED_MARK in mine_cards[0]

    # Karin (chef) finds both in her inbox.
    await meeting.settle()
    inbox = await meeting.say("godkend", user=KARIN)
    cards = [text_of(s.cards[0]) for s in inbox if s.cards]
    assert any("Børnene bruger nye ord fra samling i den frie leg" in c for c in cards)
    assert any("Flere børn fortæller selv om deres dag ved afhentning" in c for c in cards)


async def test_bad_input_keeps_the_text_and_says_what_to_fix(meeting: BotUnderTest) -> None:
    round_id, _ = await start_round(meeting)
    empty = await add(meeting, round_id, "   ", user=METTE)
    assert texts.ERROR_REQUIRED in text_of(empty)
    long_text = "x" * 501
    too_long = await add(meeting, round_id, long_text, user=METTE)
    assert texts.ERROR_TOO_LONG.format(limit=500) in text_of(too_long)
    assert long_text in [i.get("value") for i in _inputs(too_long)]
    assert await proposals(meeting, round_id) == []


async def test_anonymous_round_shows_no_names(meeting: BotUnderTest) -> None:
    round_id, _ = await start_round(meeting, show_names="false")
    await add(meeting, round_id, "Børnene rydder selv op efter frokost", user=METTE)
    lars = await execute(meeting, "round_view", {"round_id": round_id}, user=LARS)
    assert f"Børnene rydder selv op efter frokost – {texts.ROUND_ANONYMOUS}" in text_of(lars)
    assert METTE.name not in text_of(lars)
    summary = await execute(meeting, "round_close", {"round_id": round_id}, user=LARS)
    assert METTE.name not in text_of(summary)


async def test_hidden_until_close_means_absent_from_every_card(meeting: BotUnderTest) -> None:
    round_id, _ = await start_round(meeting, hide_until_close="true")
    await add(meeting, round_id, "Mettes hemmelige forslag", user=METTE)
    ahmed = await add(meeting, round_id, "Ahmeds forslag", user=AHMED)
    lars = await execute(meeting, "round_view", {"round_id": round_id}, user=LARS)
    for card in (ahmed, lars):
        assert "Mettes hemmelige forslag" not in str(card), "not in the card at all, not merely hidden"
    assert danish.fill(texts.ROUND_COUNT, count=2, people=2) in text_of(lars)
    await execute(meeting, "round_close", {"round_id": round_id}, user=LARS)
    ahmed = await execute(meeting, "round_view", {"round_id": round_id}, user=AHMED)
    assert "Mettes hemmelige forslag – Mette Hansen" in text_of(ahmed)


async def test_a_count_update_that_lands_after_the_close_does_not_hide_it(meeting: BotUnderTest) -> None:
    round_id, posted = await start_round(meeting)
    held = asyncio.Event()
    meeting.connector.hold_next_update = held  # the count's update is slow on its way to Teams
    await add(meeting, round_id, "Flere børn fortæller selv om deres dag", user=METTE)
    await asyncio.wait_for(meeting.connector.update_held.wait(), 10)
    await execute(meeting, "round_close", {"round_id": round_id}, user=LARS)
    held.set()  # the open card with the count lands after the close's card
    await meeting.client.app[ROUNDS].drain()

    updates = [s.cards[0] for s in updates_of(meeting.connector.sent, posted.message_id)]
    assert [texts.ROUND_SUMMARY_TITLE in text_of(card) for card in updates] == [True, False, True]
    assert texts.ROUND_BUTTON_ADD not in titles(updates[-1]), "the shared card ends closed"


async def test_a_chat_of_more_than_60_gets_vis_mit_kort(meeting: BotUnderTest) -> None:
    for n in range(60):
        meeting.connector.add_member(Member(f"29:guest-{n}", f"Gæst {n}", f"aad-guest-{n}", f"g{n}@example.org"))
    round_id, posted = await start_round(meeting)
    base = posted.cards[0]
    assert len(base["refresh"]["userIds"]) == 60
    assert button(base, texts.ROUND_BUTTON_MY_CARD)["data"] == {"round_id": round_id}
    [(count,)] = await meeting.query(select(Round.member_count))
    assert count == 67


async def test_in_a_channel_the_round_lives_in_its_thread(meeting: BotUnderTest) -> None:
    """Teams gives a channel thread its own conversation id, and does not refresh cards by itself in channels
    (Microsoft-Teams-Samples#1246): the round belongs to the thread, and its card has »Vis mit kort«."""
    thread, other = activities.channel_thread(root="1"), activities.channel_thread(root="2")
    round_id, posted = await start_round(meeting, conversation=thread)
    assert posted.conversation_id == thread["id"]
    assert button(posted.cards[0], texts.ROUND_BUTTON_MY_CARD)["data"] == {"round_id": round_id}

    [thanked] = await in_group(meeting, "Flere børn siger farvel selv", user=METTE, conversation=thread)
    assert thanked.text == texts.ROUND_TYPED_ADDED.format(name="Mette", count=1)
    mine = await execute(meeting, "round_view", {"round_id": round_id}, user=METTE, conversation=thread)
    assert "Flere børn siger farvel selv" in text_of(mine)

    # Another thread of the same channel has no round: there, the text is no proposal.
    elsewhere = await in_group(meeting, "Et andet emne", user=METTE, conversation=other)
    assert all(s.text != texts.ROUND_TYPED_ADDED.format(name="Mette", count=2) for s in elsewhere)
    assert await proposals(meeting, round_id) == [("Flere børn siger farvel selv", False)]

    sent = await in_group(meeting, "møde slut", user=LARS, conversation=thread)
    [summary] = [s for s in sent if s.cards]
    assert texts.ROUND_SUMMARY_TITLE in text_of(summary.cards[0])
    await meeting.client.app[ROUNDS].drain()
    [closed] = updates_of(meeting.connector.sent, posted.message_id)[-1:]
    assert texts.ROUND_BUTTON_SELECT in titles(closed.cards[0]), "the selection is a click away in a channel"


async def test_typing_in_the_chat_adds_and_closes(meeting: BotUnderTest) -> None:
    round_id, _ = await start_round(meeting)
    [reply] = await in_group(meeting, "Flere børn hjælper hinanden med tøjet", user=NEWCOMER)
    assert reply.text == texts.ROUND_TYPED_ADDED.format(name="Nanna", count=1)
    [repeat] = await in_group(meeting, "Flere børn hjælper hinanden med tøjet", user=NEWCOMER)
    assert repeat.text == texts.ROUND_ALREADY_ADDED
    assert await proposals(meeting, round_id) == [("Flere børn hjælper hinanden med tøjet", False)]

    # `møde` again shows the round with its count, as a new message that the coalescer keeps up to date.
    [again] = await in_group(meeting, "møde", user=METTE)
    assert danish.fill(texts.ROUND_COUNT, count=1, people=1) in text_of(again.cards[0])

    [refused] = await in_group(meeting, "møde slut", user=METTE)
    assert refused.text == texts.ROUND_CLOSE_REFUSED.format(name=LARS.name)
    sent = await in_group(meeting, "møde slut", user=LARS)
    assert any(s.cards and texts.ROUND_SUMMARY_TITLE in text_of(s.cards[0]) for s in sent)
    [late] = await in_group(meeting, "Et forslag efter lukning", user=METTE)
    assert "Et forslag efter lukning" not in str(await proposals(meeting, round_id))
    assert late.cards or late.text  # no open round: the bot answers with its help, not a proposal


async def test_proposals_typed_at_once_are_thanked_together(meeting: BotUnderTest, manual_sleep: ManualSleep) -> None:
    """Teams allows 7 messages a second in a chat: a burst of typed proposals gets one thank-you in its turn and
    one for all the rest, not one each."""
    other_mette = User("29:mette-j", "Mette Jensen", "aad-mette-j", "mette.jensen@example.org")  # Teams only
    meeting.connector.add_member(Member(other_mette.id, other_mette.name, other_mette.aad_object_id, other_mette.email))
    round_id, _ = await start_round(meeting)
    typists = (AHMED, METTE, SOFIE, other_mette, NEWCOMER, KARIN, STINNE)
    replies = [await in_group(meeting, f"Forslag fra {u.name}", user=u) for u in typists]  # within a second
    assert [len(r) for r in replies] == [1, 0, 0, 0, 0, 0, 0], "the first is thanked in its turn, the rest wait"
    before = len(meeting.connector.sent)

    await manual_sleep.release()
    [together] = [s for s in meeting.connector.sent[before:] if s.conversation_id == GROUP["id"] and s.method == "POST"]
    assert together.body["textFormat"] == "plain", "names from Teams are shown as they are, never as markdown"
    text = together.text or ""
    rest = [u.name.split()[0] for u in typists[1:]]  # both called Mette are thanked
    assert text == texts.ROUND_TYPED_ADDED_MANY.format(names=danish.listing(rest), count=7)
    assert len(await proposals(meeting, round_id)) == 7

    await manual_sleep.release()  # a quiet spell: the next proposal is thanked at once again
    [alone] = await in_group(meeting, "Et forslag mere", user=METTE)
    assert alone.text == texts.ROUND_TYPED_ADDED.format(name="Mette", count=8)
    while manual_sleep.waiting:  # let the timers end
        await manual_sleep.release()


def test_names_are_listed_as_danish_writes_them() -> None:
    assert danish.listing(["Mette"]) == "Mette"
    assert danish.listing(["Mette", "Ahmed"]) == f"Mette {texts.LIST_AND} Ahmed"
    five = ["A", "B", "C", "D", "E"]
    assert danish.listing(five) == f"A, B, C, D {texts.LIST_AND} E"
    assert danish.listing([*five, "F"]) == f"A, B, C, D {texts.LIST_AND} {texts.LIST_OTHERS.format(count=2)}"


async def test_a_round_left_open_is_closed_and_its_starter_told(meeting: BotUnderTest) -> None:
    await meeting.say("hjælp", user=LARS)  # Lars has a chat with the bot
    round_id, posted = await start_round(meeting)
    await add(meeting, round_id, "Et forslag", user=METTE)
    rounds = meeting.client.app[ROUNDS]
    await rounds.drain()  # the shared card's update for the addition is out before the clock moves
    assert await rounds.close_overdue() == []
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=13)
    with clock.frozen(later):
        before = len(meeting.connector.sent)
        assert await rounds.close_overdue() == [round_id]
        assert await rounds.close_overdue() == []
    sent = meeting.connector.sent[before:]
    told = [s for s in sent if s.text == danish.fill(texts.ROUND_AUTO_CLOSED, hours=12)]
    assert len(told) == 1 and told[0].conversation_id == activities.personal_conversation(LARS)["id"]
    assert len([s for s in sent if s.conversation_id == GROUP["id"] and s.method == "POST"]) == 1
    assert len(updates_of(sent, posted.message_id)) == 1
    assert await meeting.query(select(Round.status)) == [(RoundStatus.CLOSED,)]


# --- The burst --------------------------------------------------------------------------------------------------


async def test_60_people_adding_at_once_give_one_update_of_the_shared_card(
    meeting: BotUnderTest, manual_sleep: ManualSleep
) -> None:
    people = [User(f"29:p{n}", f"Deltager {n}", f"aad-p{n}", f"p{n}@example.org") for n in range(60)]
    for person in people:
        meeting.connector.add_member(Member(person.id, person.name, person.aad_object_id, person.email))
    round_id, posted = await start_round(meeting)
    before = len(meeting.connector.sent)

    cards = await asyncio.gather(*(add(meeting, round_id, f"Forslag fra {p.name}", user=p) for p in people))
    assert all(texts.ROUND_ADDED in text_of(card) for card in cards), "every addition acknowledged"
    assert updates_of(meeting.connector.sent[before:], posted.message_id) == [], "the shared card waits"
    assert len(manual_sleep.waiting) == 1, "one timer for the round, however many additions"

    await manual_sleep.release()  # the first wait: the burst lands in one update
    updates = updates_of(meeting.connector.sent[before:], posted.message_id)
    assert len(updates) == 1
    assert danish.fill(texts.ROUND_COUNT, count=60, people=60) in text_of(updates[0].cards[0])

    # More additions within the next 5 seconds: they wait for the interval, then one more update.
    await add(meeting, round_id, "Et sent forslag", user=METTE)
    await manual_sleep.release()
    updates = updates_of(meeting.connector.sent[before:], posted.message_id)
    assert len(updates) == 2
    assert danish.fill(texts.ROUND_COUNT, count=61, people=61) in text_of(updates[1].cards[0])
    await manual_sleep.release()  # nothing new: the timer ends without an update
    assert manual_sleep.waiting == []
    await meeting.client.app[ROUNDS].drain()
    assert len(updates_of(meeting.connector.sent[before:], posted.message_id)) == 2
    assert len(await proposals(meeting, round_id)) == 61


async def test_two_instances_share_the_coalescing_through_the_database(
    meeting: BotUnderTest, manual_sleep: ManualSleep
) -> None:
    round_id, posted = await start_round(meeting)
    other_app = create_app(meeting.settings)
    async with TestClient(TestServer(other_app)) as other_client:
        other = BotUnderTest(other_client, meeting.connector, meeting.settings)
        before = len(meeting.connector.sent)
        await add(meeting, round_id, "Fra instans et", user=METTE)
        await add(other, round_id, "Fra instans to", user=AHMED)
        assert len(manual_sleep.waiting) == 2, "each instance times its own additions"
        await manual_sleep.release()
        updates = updates_of(meeting.connector.sent[before:], posted.message_id)
        assert len(updates) == 1, "the database let one instance update"
        assert danish.fill(texts.ROUND_COUNT, count=2, people=2) in text_of(updates[0].cards[0])
        await manual_sleep.release()
        await manual_sleep.release()
        await other_app[ROUNDS].drain()
        await meeting.client.app[ROUNDS].drain()
        assert len(updates_of(meeting.connector.sent[before:], posted.message_id)) == 1


async def test_an_eksempel_round_on_all_four_temaer_goes_to_the_indsamler(meeting: BotUnderTest) -> None:
    round_id, posted = await start_round(meeting, target="eksempel:alle", niveau="medarbejder")
    base = posted.cards[0]
    assert all(texts.TEMA_MEANINGS[tema] in text_of(base) for tema in Tema), "the meaning of every tema"
    assert "tema" in inputs(base), "each proposal says which tema it is for"
    await add(meeting, round_id, "Vi siger til, når vi er uenige på et møde", user=METTE, tema="mod")
    await add(meeting, round_id, "Vi spørger nabostuen, før vi køber nyt", user=AHMED, tema="helhed")
    closed = await execute(meeting, "round_close", {"round_id": round_id}, user=LARS)
    ids = {text: pid for pid, text in await meeting.query(select(RoundProposal.id, RoundProposal.text))}
    mod = ids["Vi siger til, når vi er uenige på et møde"]
    helhed = ids["Vi spørger nabostuen, før vi køber nyt"]
    choice = {
        **inputs(closed),
        f"sel_{mod}": "true",
        f"text_{mod}": "Vi siger det højt, når vi er uenige på et møde",
        f"sel_{helhed}": "false",
    }
    done = await execute(meeting, "round_forward", {"round_id": round_id}, user=LARS, **choice)
    assert texts.ROUND_FORWARDED.format(count=1, total=2) in text_of(done)
    assert texts.ROUND_NOT_FORWARDED_MARK in text_of(done)
    [(kind, status, data, owner)] = await meeting.query(select(Entry.kind, Entry.status, Entry.data, Entry.owner_id))
    assert kind is EntryKind.EKSEMPEL and status is EntryStatus.PENDING
    assert data["tema"] == Tema.MOD and data["niveau"] == Niveau.MEDARBEJDER and data["fra"] == Afsender.ENHED
    assert data["eksempel"] == "Vi siger det højt, når vi er uenige på et møde"
    [(mette_id,)] = await meeting.query(select(Person.id).where(Person.email == METTE.email))
    assert owner == mette_id
    [(stinne_id,)] = await meeting.query(select(Person.id).where(Person.email == STINNE.email))
    waiting = await meeting.query(select(Notification.person_id).where(Notification.kind == NotificationKind.APPROVAL))
    assert (stinne_id,) not in waiting, "no card per eksempel to the indsamler: her daily digest counts them"
    [(entry_id,)] = await meeting.query(select(Entry.id))
    inbox = [s for s in await meeting.say("godkend", user=STINNE) if s.cards]
    title = texts.ENTRY_TITLE[EntryKind.EKSEMPEL].format(id=entry_id)
    assert any(title in text_of(s.cards[0]) for s in inbox), "the indsamler's turn: in her `godkend`"
