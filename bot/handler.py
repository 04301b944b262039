"""The Teams activity handler: it only dispatches. Commands, card submits and invokes each go to one handler."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from botbuilder.core import CardFactory, InvokeResponse, MessageFactory, TurnContext
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.schema import Activity, ChannelAccount
from microsoft_teams.cards.core import AdaptiveCard

from bot.adapter import invoke_error
from bot.commands import Command, parse_command
from cards import texts
from cards.base import card_json, to_attachment
from cards.help import help_card

log = logging.getLogger(__name__)

PERSONAL = "personal"


def is_group(activity: Activity) -> bool:
    return bool(activity.conversation and activity.conversation.conversation_type not in (None, PERSONAL))


def command_text(context: TurnContext) -> str:
    """The typed text without the bot's @mention (botbuilder leaves leading whitespace behind; we strip it)."""
    TurnContext.remove_recipient_mention(context.activity)
    return (context.activity.text or "").strip()


def card_invoke_response(adaptive_card: AdaptiveCard) -> InvokeResponse:
    """The body Teams expects for an Action.Execute answered with a card, built as a plain dict.

    botbuilder's AdaptiveCardInvokeResponse model fails to serialize in 4.17.1 when value is a string,
    so all invoke bodies are plain dicts (see bot/adapter.py).
    """
    body = {
        "statusCode": int(HTTPStatus.OK),
        "type": CardFactory.content_types.adaptive_card,
        "value": card_json(adaptive_card),
    }
    return InvokeResponse(status=int(HTTPStatus.OK), body=body)


class StyringsBot(TeamsActivityHandler):
    """Routes each activity to the one method that serves it."""

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        # A card's Action.Submit arrives as a message with `value` and no text (and no @mention in channels).
        if isinstance(activity.value, dict) and activity.value:
            await self.on_card_submit(turn_context, activity.value)
            return
        text = command_text(turn_context)
        command = parse_command(text)
        log.info(
            "message conversation=%s type=%s command=%s",
            activity.conversation.id if activity.conversation else None,
            activity.conversation.conversation_type if activity.conversation else None,
            command.value if command else None,
        )
        await self.run_command(turn_context, command, unknown=bool(text) and command is None)

    async def run_command(self, turn_context: TurnContext, command: Command | None, *, unknown: bool) -> None:
        if command is None or command is Command.HELP:
            await self.send_help(turn_context, unknown=unknown)
            return
        await turn_context.send_activity(texts.ERROR_NOT_AVAILABLE_YET)

    async def on_card_submit(self, turn_context: TurnContext, value: dict[str, Any]) -> None:
        action = value.get("action")
        log.info("card submit action=%s", action if isinstance(action, str) else None)
        if action == "command":
            await self.run_command(turn_context, parse_command(str(value.get("command", ""))), unknown=False)
            return
        await self.send_help(turn_context, unknown=False)

    async def send_help(self, turn_context: TurnContext, *, unknown: bool) -> None:
        card = help_card(in_group=is_group(turn_context.activity), unknown_text=unknown)
        await turn_context.send_activity(MessageFactory.attachment(to_attachment(card)))

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        activity = turn_context.activity
        if activity.name != "adaptiveCard/action":
            return await super().on_invoke_activity(turn_context)
        # Read activity.value ourselves: botbuilder's AdaptiveCardInvokeValue drops `trigger`.
        value = activity.value if isinstance(activity.value, dict) else {}
        action = value.get("action")
        verb = action.get("verb") if isinstance(action, dict) else None
        log.info("card invoke verb=%s trigger=%s", verb, value.get("trigger"))
        if verb == "help":
            return card_invoke_response(help_card(in_group=is_group(activity)))
        return invoke_error(HTTPStatus.BAD_REQUEST, "BadRequest", texts.ERROR_GENERIC)

    async def on_teams_members_added(  # type: ignore[override]
        self, teams_members_added: list[ChannelAccount], team_info: Any, turn_context: TurnContext
    ) -> None:
        bot_id = turn_context.activity.recipient.id if turn_context.activity.recipient else None
        if any(member.id == bot_id for member in teams_members_added):
            await self.greet(turn_context)

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        await self.greet(turn_context)

    async def greet(self, turn_context: TurnContext) -> None:
        welcome = texts.WELCOME_GROUP if is_group(turn_context.activity) else texts.WELCOME_PERSONAL
        await turn_context.send_activity(MessageFactory.text(welcome))
