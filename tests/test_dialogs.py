"""The flows as dialogs in isolation (botbuilder's DialogTestClient), on a real database with the demo organisation.

The HTTP-level tests drive the same flows through the whole app; these pin down the dialog behaviour itself:
back, Ret, cancel, interruptions, validation that keeps input, coaching, and where each flow ends.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from botbuilder.core import Middleware, TurnContext
from botbuilder.dialogs import DialogTurnStatus
from botbuilder.schema import Activity, ActivityTypes
from botbuilder.testing import DialogTestClient

from bot.approvals import render_notification
from bot.notifier import Notifier
from bot.proactive import ProactiveSender, RetryPolicy
from cards import texts
from cards.payloads import Command
from dialogs.base import CardFlow
from dialogs.laering import LaeringFlow
from dialogs.tegn import TegnFlow
from domain.actor import Actor
from storage import repo
from storage.db import Sessions, create_engine, create_sessionmaker
from storage.orgfile import import_file
from tests.cardtext import action, card_texts, inputs
from turn.reply import Reply
from turn.scope import Turn

DEMO = Path(__file__).resolve().parents[1] / "demo" / "organisation.yaml"


class Scope(Middleware):
    """Puts what the bot resolves at the start of a turn (the user, the database) into the turn state."""

    def __init__(self, scope: Turn):
        self.scope = scope

    async def on_turn(self, context: TurnContext, logic: Callable[[], Awaitable[Any]]) -> None:
        # As the bot does for every activity: the turn, with how this one is answered.
        dataclasses.replace(self.scope, reply=Reply.for_activity(context)).put(context)
        await logic()


@pytest.fixture
async def sessions(sqlite_url: str) -> AsyncIterator[Sessions]:
    await import_file(sqlite_url, DEMO)
    engine = create_engine(sqlite_url)
    yield create_sessionmaker(engine)
    await engine.dispose()


class Conversation:
    """A DialogTestClient around one flow, as Mette; `click` answers the last card like Teams would."""

    def __init__(self, flow: CardFlow[Any], scope: Turn):
        self.client = DialogTestClient("msteams", flow, middlewares=[Scope(scope)])
        self.last_card: dict[str, Any] = {}

    async def _turn(self, activity: Activity | str) -> list[Activity]:
        """Send one activity; returns everything the dialog sent (or updated) in that turn."""
        first = await self.client.send_activity(activity)
        replies = [first] if first is not None else []
        while (reply := self.client.get_next_reply()) is not None:
            replies.append(reply)
        return replies

    def _card(self, replies: list[Activity]) -> dict[str, Any]:
        cards = [r.attachments[0].content for r in replies if r.attachments]
        assert len(cards) == 1, [r.text for r in replies]
        self.last_card = cards[0]
        return self.last_card

    async def say(self, text: str) -> list[Activity]:
        return await self._turn(text)

    async def start(self) -> dict[str, Any]:
        return self._card(await self._turn(Command.TEGN))

    async def click(self, title: str, **typed: Any) -> dict[str, Any]:
        value = {**action(self.last_card, title), **{k: v or "" for k, v in inputs(self.last_card).items()}, **typed}
        activity = Activity(type=ActivityTypes.message, value=value)
        return self._card(await self._turn(activity))

    @property
    def status(self) -> DialogTurnStatus:
        return self.client.dialog_turn_result.status


@pytest.fixture
async def notifier(sessions: Sessions) -> AsyncIterator[Notifier]:
    """The bot's notifier. Nobody in these tests has a chat with the bot, so notifications end up undelivered
    without reaching the adapter (there is none)."""
    notifier = Notifier(
        ProactiveSender(None, app_id="", policy=RetryPolicy()),  # type: ignore[arg-type]
        sessionmaker=sessions,
        render=render_notification,
    )
    yield notifier
    await notifier.drain()


async def conversation(flow: CardFlow[Any], sessions: Sessions, notifier: Notifier) -> Conversation:
    async with sessions() as session:
        mette = await repo.person_by_email(session, "mette.hansen@albertslund.dk")
    assert mette is not None
    return Conversation(flow, Turn(sessions, Actor.of(mette), notifier))


async def test_tegn_back_edit_coaching_and_send(sessions: Sessions, notifier: Notifier) -> None:
    talk = await conversation(TegnFlow(), sessions, notifier)
    picker = await talk.start()
    assert texts.MAAL_TITLE in card_texts(picker)
    await talk.click(texts.BUTTON_CHOOSE)
    invalid = await talk.click(texts.BUTTON_NEXT, tegn="", maalgruppe="Vuggestuen")
    assert texts.ERROR_REQUIRED in card_texts(invalid) and inputs(invalid)["maalgruppe"] == "Vuggestuen"
    assert talk.status is DialogTurnStatus.Waiting
    back = await talk.click(texts.BUTTON_BACK)
    assert texts.MAAL_TITLE in card_texts(back)
    form = await talk.click(texts.BUTTON_CHOOSE)
    assert inputs(form)["maalgruppe"] == "Vuggestuen", "going back keeps what was typed"
    check = await talk.click(texts.BUTTON_NEXT, tegn="Vi skal holde flere forældremøder")
    assert texts.TEGN_COACH_TITLE in card_texts(check)
    edit = await talk.click(texts.BUTTON_EDIT)
    assert inputs(edit)["tegn"] == "Vi skal holde flere forældremøder"
    check = await talk.click(texts.BUTTON_NEXT, tegn="Flere forældre kommer til forældremøderne")
    assert texts.TEGN_COACH_TITLE not in card_texts(check)
    receipt = await talk.click(texts.BUTTON_SEND)
    assert texts.TEGN_RECEIPT_TITLE in card_texts(receipt)
    assert talk.status is DialogTurnStatus.Complete


async def test_typed_interruptions(sessions: Sessions, notifier: Notifier) -> None:
    talk = await conversation(TegnFlow(), sessions, notifier)
    await talk.start()
    helped = await talk.say(Command.HELP)
    assert texts.HELP_TITLE in card_texts(helped[0].attachments[0].content)
    assert helped[1].text == texts.HELP_DURING_FLOW
    assert talk.status is DialogTurnStatus.Waiting, "hjælp keeps the flow"
    [reminded] = await talk.say("noget helt andet")
    assert reminded.text == texts.USE_THE_CARD
    [cancelled] = await talk.say(Command.ANNULLER)
    assert cancelled.text == texts.CANCELLED
    assert talk.status is DialogTurnStatus.Cancelled


async def test_cancel_button(sessions: Sessions, notifier: Notifier) -> None:
    talk = await conversation(TegnFlow(), sessions, notifier)
    await talk.start()
    await talk.click(texts.BUTTON_CHOOSE)
    cancelled = await talk.click(texts.BUTTON_CANCEL)
    assert card_texts(cancelled) == [texts.CANCELLED]
    assert talk.status is DialogTurnStatus.Cancelled


async def test_laering_needs_a_decision_at_the_end(sessions: Sessions, notifier: Notifier) -> None:
    talk = await conversation(LaeringFlow(), sessions, notifier)
    await talk.start()
    await talk.click(texts.BUTTON_CHOOSE)
    await talk.click(texts.BUTTON_CHOOSE)
    invalid = await talk.click(texts.BUTTON_NEXT, evaluering="afsluttende", laering="Det virkede", beslutning="")
    assert texts.ERROR_BESLUTNING_REQUIRED in card_texts(invalid)
    assert inputs(invalid)["laering"] == "Det virkede"
    check = await talk.click(texts.BUTTON_NEXT, beslutning="fortsaet")
    assert texts.BESLUTNING_LABELS["fortsaet"] in card_texts(check)
    receipt = await talk.click(texts.BUTTON_SEND)
    assert texts.LAERING_RECEIPT_TITLE in card_texts(receipt)
    assert talk.status is DialogTurnStatus.Complete
