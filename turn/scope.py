"""One turn: who is acting, its unit of work, what happens after the commit, and how it answers (turn.reply).

The bot puts the Turn in the turn state once it knows who is acting; dialogs and the action table's handlers read
it with `Turn.of(context)`.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from botbuilder.core import TurnContext
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from cards import payloads
from domain.actor import Actor
from domain.logsafe import escaped
from storage.models import Entry
from turn.reply import Reply

log = logging.getLogger(__name__)
_KEY = "styringsbot.turn"


class Notifying(Protocol):
    async def prepare(self, session: AsyncSession, notification_ids: Sequence[int], entry: Entry) -> Mapping[int, Any]:
        """Render, within the unit of work that queued them, what the notifications will deliver."""
        ...

    def schedule(self, notification_ids: list[int], prepared: Mapping[int, Any] | None = None) -> None: ...


class BotHooks(Protocol):
    async def start_flow(self, turn: Turn, flow: str, options: object) -> None:
        """Begin a guided flow (a new command mid-flow replaces the old flow); options: e.g. the entry to reopen."""
        ...

    async def run_command(self, turn: Turn, command: payloads.Command, text: str) -> None:
        """Run a command as if typed (`text` is the whole typed message)."""
        ...


@dataclass
class Turn:
    sessionmaker: async_sessionmaker[AsyncSession]
    actor: Actor
    # Delivers notifications after the user has been answered (bot.notifier.Notifier).
    notifier: Notifying
    # The bot's services for the action table's handlers (bot.services.Services): the layer below cannot name them.
    services: Any = None
    # How this turn answers (set for every activity the bot serves; dialogs use their own card helpers).
    reply: Reply | None = None
    # The bot's dialogs and commands, for actions that start a flow or run a command (bot.handler.StyringsBot).
    bot: BotHooks | None = None
    # What runs once the unit of work has committed: notifications, card updates, a round's coalescer.
    _after_commit: list[Callable[[], None]] = field(default_factory=list)

    @property
    def answer(self) -> Reply:
        assert self.reply is not None, "the bot sets the reply before it runs an action"
        return self.reply

    @property
    def context(self) -> TurnContext:
        return self.answer.context

    def put(self, context: TurnContext) -> None:
        context.turn_state[_KEY] = self

    @staticmethod
    def of(context: TurnContext) -> Turn:
        turn = context.turn_state.get(_KEY)
        if not isinstance(turn, Turn):
            raise RuntimeError("Turn missing: the bot must resolve the user before running dialogs")
        return turn

    @asynccontextmanager
    async def unit(self) -> AsyncIterator[AsyncSession]:
        """The user action's one unit of work. What `after_commit` queued inside it runs once it has committed,
        and not at all when it fails."""
        queued: list[Callable[[], None]] = []
        self._after_commit = queued
        async with self.sessionmaker.begin() as session:
            yield session
        for work in queued:
            work()

    def after_commit(self, work: Callable[[], None]) -> None:
        self._after_commit.append(work)

    @property
    def hooks(self) -> BotHooks:
        assert self.bot is not None, "the bot sets itself on the turn before it runs an action"
        return self.bot


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


def set_submitted(context: TurnContext, payload: payloads.AnyPayload | payloads.InvalidInput | None) -> None:
    """A typed form parsed by the action table stands for the card submit of this turn."""
    context.turn_state[_SUBMITTED] = payload


def invoked(context: TurnContext) -> tuple[str | None, payloads.AnyPayload | payloads.InvalidInput]:
    """An Action.Execute's verb, and its data parsed into that action's model (the one place an invoke's value is
    read). Teams sends `value = {action: {type, verb, data}, trigger}`."""
    value = context.activity.value if isinstance(context.activity.value, dict) else {}
    action: dict[str, Any] = value["action"] if isinstance(value.get("action"), dict) else {}
    verb = action.get("verb")
    log.info("card invoke verb=%s trigger=%s", escaped(verb), escaped(value.get("trigger")))
    try:
        return (verb if isinstance(verb, str) else None), payloads.parse_invoke(verb, action.get("data"))
    except payloads.InvalidInput as invalid:
        return (verb if isinstance(verb, str) else None), invalid
