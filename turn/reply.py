"""How a turn answers, in one way whatever the door: a typed message gets a new message, a click on an
Action.Submit gets the clicked card updated in place, an Action.Execute gets its invoke response, and a personal
answer to something typed in a group chat goes to the person's personal chat.

Teams refuses a message above its size limit with 413 (CardTooLarge): every path says so in Danish, and the card
the person filled in stays on their screen with what they typed.
"""

from __future__ import annotations

import logging
from enum import StrEnum
from http import HTTPStatus
from typing import Any, Protocol

from botbuilder.core import CardFactory, InvokeResponse, TurnContext
from botbuilder.schema import Activity, ActivityTypes
from microsoft_teams.cards.core import AdaptiveCard
from msrest.exceptions import HttpOperationError

from cards import texts
from cards.base import card_json
from turn.messaging import CardTooLarge, clicked_card_id, plain, send_card, sized, to_attachment

log = logging.getLogger(__name__)


class Door(StrEnum):
    """How the action arrived, which decides how it is answered."""

    TYPED = "typed"  # a typed message: answered with new messages
    CLICKED = "clicked"  # an Action.Submit: the clicked card is updated in place
    INVOKE = "invoke"  # an Action.Execute: the invoke response is the answer
    ELSEWHERE = "elsewhere"  # typed in a group chat, answered in the person's personal chat


class Sending(Protocol):
    async def send(self, reference: dict[str, Any], message: Activity) -> str | None: ...


def invoke_error(status: HTTPStatus, code: str, message: str) -> InvokeResponse:
    """An invoke error Teams shows as an error; botbuilder's own carry an Exception in the body (workaround 3)."""
    body = {
        "statusCode": int(status),
        "type": "application/vnd.microsoft.error",
        "value": {"code": code, "message": message},
    }
    return InvokeResponse(status=int(HTTPStatus.OK), body=body)


def card_response(adaptive_card: AdaptiveCard) -> InvokeResponse:
    """The body Teams expects for an Action.Execute answered with a card, built as a plain dict: botbuilder's
    AdaptiveCardInvokeResponse fails to serialize in 4.17.1 when its value is a string."""
    body = {
        "statusCode": int(HTTPStatus.OK),
        "type": CardFactory.content_types.adaptive_card,
        "value": card_json(adaptive_card),
    }
    return InvokeResponse(status=int(HTTPStatus.OK), body=body)


def message_response(text: str) -> InvokeResponse:
    """An Action.Execute answered with a short message that Teams shows beside the card (the card stays)."""
    body = {"statusCode": int(HTTPStatus.OK), "type": "application/vnd.microsoft.activity.message", "value": text}
    return InvokeResponse(status=int(HTTPStatus.OK), body=body)


class Reply:
    """The one answer of a turn. Handlers say what to show; the door decides how it is shown."""

    def __init__(
        self,
        context: TurnContext,
        door: Door,
        *,
        sender: Sending | None = None,
        personal_reference: dict[str, Any] | None = None,
    ):
        self.context = context
        self.door = door
        self._sender = sender
        self._personal = personal_reference
        self.invoke_response: InvokeResponse | None = None

    @staticmethod
    def for_activity(context: TurnContext) -> Reply:
        if context.activity.type == ActivityTypes.invoke:
            return Reply(context, Door.INVOKE)
        return Reply(context, Door.CLICKED if clicked_card_id(context) else Door.TYPED)

    @property
    def in_place(self) -> bool:
        """The answer replaces the card that was clicked (a submit or an invoke)."""
        return self.door in (Door.CLICKED, Door.INVOKE)

    async def card(self, adaptive_card: AdaptiveCard, *, new_message: bool = False) -> None:
        """Show a card: in place of the clicked one, or as a new message (always, with `new_message`)."""
        if self.door is Door.INVOKE and not new_message:
            self.invoke_response = card_response(adaptive_card)
            return
        if self.door is Door.ELSEWHERE:
            await self._elsewhere(Activity(type=ActivityTypes.message, attachments=[to_attachment(adaptive_card)]))
            return
        card_id = clicked_card_id(self.context) if self.door is Door.CLICKED and not new_message else None
        try:
            if card_id is None:
                await send_card(self.context, adaptive_card)
                return
            update = Activity(type=ActivityTypes.message, id=card_id, attachments=[to_attachment(adaptive_card)])
            try:
                await sized(self.context.update_activity(update))
            except HttpOperationError as error:
                if getattr(error.response, "status_code", None) != 404:
                    raise
                # The clicked card is gone (deleted in Teams): show the answer as a new message instead.
                log.info("clicked card %s is gone; sent the answer as a new message", card_id)
                await send_card(self.context, adaptive_card)
        except CardTooLarge:
            await self.text(texts.ERROR_CARD_TOO_LARGE)

    async def text(self, message: str, *, literal: bool = False) -> None:
        """A short sentence. `literal`: it holds a name or text from outside, shown exactly as written."""
        if self.door is Door.INVOKE:
            self.invoke_response = message_response(message)
            return
        activity = plain(message) if literal else Activity(type=ActivityTypes.message, text=message)
        if self.door is Door.ELSEWHERE:
            await self._elsewhere(activity)
            return
        await self.context.send_activity(activity)

    async def error(self, status: HTTPStatus, code: str, message: str) -> None:
        """A refusal Teams shows as an error on an invoke; a sentence for the other doors."""
        if self.door is Door.INVOKE:
            self.invoke_response = invoke_error(status, code, message)
            return
        await self.text(message)

    async def _elsewhere(self, activity: Activity) -> None:
        assert self._sender is not None and self._personal is not None
        await self._sender.send(self._personal, activity)

    def response(self) -> InvokeResponse:
        """The invoke's answer; a handler that said nothing answers with an empty 200."""
        return self.invoke_response or InvokeResponse(status=int(HTTPStatus.OK))
