"""Personal things stay personal: what is typed in a group chat but concerns one person (a list, a flow, a
decision, a link) is answered in that person's personal chat, as if typed there; the group chat gets one line."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from botbuilder.core import TurnContext

from bot.services import services
from cards import texts
from storage import repo
from turn.scope import Turn

log = logging.getLogger(__name__)

# Runs the work in a turn of the personal chat: (its context, the work) → the new turn's work done.
InPersonalChat = Callable[[TurnContext, Callable[[Turn], Awaitable[None]]], Awaitable[None]]


async def answer_there(turn: Turn, work: Callable[[Turn], Awaitable[None]], run: InPersonalChat) -> None:
    async with turn.sessionmaker() as session:
        personal = await repo.personal_conversation_ref(session, turn.actor.person_id)
    if personal is None:
        await turn.answer.text(texts.PERSONAL_NO_CHAT_YET)
        return

    async def in_personal_chat(context: TurnContext) -> None:
        await run(context, work)

    try:
        await services(turn).sender.run(dict(personal.reference), in_personal_chat)
    except Exception as error:  # the personal chat may be gone (the app removed): say how to open one
        log.warning("could not answer person %s in the personal chat: %s", turn.actor.person_id, type(error).__name__)
        await turn.answer.text(texts.PERSONAL_NO_CHAT_YET)
        return
    await turn.answer.text(texts.PERSONAL_SENT_THERE)
