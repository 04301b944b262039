"""Sending cards: a new message, or the card the user clicked updated in place."""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from typing import TypeVar

from botbuilder.core import MessageFactory, TurnContext
from botbuilder.schema import Activity, ActivityTypes, Attachment, TextFormatTypes
from microsoft_teams.cards.core import AdaptiveCard
from msrest.exceptions import HttpOperationError

from cards.base import ADAPTIVE_CARD_CONTENT_TYPE, card_json
from core.vocabulary import ConversationType

log = logging.getLogger(__name__)
T = TypeVar("T")


class CardTooLarge(Exception):
    """Teams refused the message as too large (413 MessageSizeTooBig): tell the person, keep what they typed."""


async def sized(sending: Awaitable[T]) -> T:
    try:
        return await sending
    except HttpOperationError as error:
        if getattr(error.response, "status_code", None) == 413:
            log.warning("Teams refused a card as too large (413)")
            raise CardTooLarge from None
        raise


def plain(text: str) -> Activity:
    """A text message Teams shows exactly as written (no markdown): for sentences with a name from outside."""
    activity = MessageFactory.text(text)
    activity.text_format = TextFormatTypes.plain
    return activity


def to_attachment(adaptive_card: AdaptiveCard) -> Attachment:
    """The one place a card becomes a Bot Framework attachment."""
    return Attachment(content_type=ADAPTIVE_CARD_CONTENT_TYPE, content=card_json(adaptive_card))


def is_group(activity: Activity) -> bool:
    """A group chat or a channel (where the bot must be @mentioned), not the personal chat."""
    return bool(
        activity.conversation and activity.conversation.conversation_type not in (None, ConversationType.PERSONAL)
    )


def clicked_card_id(context: TurnContext) -> str | None:
    """The message id of the card whose Action.Submit produced this activity (Teams sends it as replyToId)."""
    activity = context.activity
    if activity.type == ActivityTypes.message and activity.value is not None and activity.reply_to_id:
        return str(activity.reply_to_id)
    return None


async def send_card(context: TurnContext, card: AdaptiveCard) -> str | None:
    response = await sized(context.send_activity(MessageFactory.attachment(to_attachment(card))))
    return response.id if response else None


async def show_card(context: TurnContext, card: AdaptiveCard) -> None:
    """Replace the card the user clicked (so old buttons disappear), or send a new one for a typed command."""
    card_id = clicked_card_id(context)
    if card_id is None:
        await send_card(context, card)
        return
    update = Activity(type=ActivityTypes.message, id=card_id, attachments=[to_attachment(card)])
    await sized(context.update_activity(update))


def command_text(context: TurnContext) -> str:
    """The typed text without the bot's @mention (botbuilder leaves leading whitespace behind; we strip it)."""
    TurnContext.remove_recipient_mention(context.activity)
    return (context.activity.text or "").strip()
