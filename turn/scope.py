"""What a turn's dialogs may use: the database and who the user is. The bot puts it in the turn state."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from botbuilder.core import TurnContext
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from cards import payloads
from domain.actor import Actor
from storage.models import Entry

_KEY = "styringsbot.scope"


class Notifying(Protocol):
    async def prepare(self, session: AsyncSession, notification_ids: Sequence[int], entry: Entry) -> Mapping[int, Any]:
        """Render, within the unit of work that queued them, what the notifications will deliver."""
        ...

    def schedule(self, notification_ids: list[int], prepared: Mapping[int, Any] | None = None) -> None: ...


@dataclass
class TurnScope:
    sessionmaker: async_sessionmaker[AsyncSession]
    actor: Actor
    # Delivers notifications after the user has been answered (bot.notifier.Notifier).
    notifier: Notifying

    def put(self, context: TurnContext) -> None:
        context.turn_state[_KEY] = self

    @staticmethod
    def of(context: TurnContext) -> TurnScope:
        scope = context.turn_state.get(_KEY)
        if not isinstance(scope, TurnScope):
            raise RuntimeError("TurnScope missing: the bot must resolve the user before running dialogs")
        return scope


_SUBMITTED = "styringsbot.submitted"


def submitted(context: TurnContext) -> payloads.AnyPayload | payloads.InvalidInput | None:
    """The card submit of this turn parsed into its model (once per turn), InvalidInput, or None for text."""
    if _SUBMITTED not in context.turn_state:
        value = context.activity.value
        result: payloads.AnyPayload | payloads.InvalidInput | None = None
        if isinstance(value, dict) and value:
            try:
                result = payloads.parse(value)
            except payloads.InvalidInput as invalid:
                result = invalid
        context.turn_state[_SUBMITTED] = result
    return context.turn_state[_SUBMITTED]  # type: ignore[no-any-return]
