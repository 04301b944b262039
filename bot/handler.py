"""The Teams activity handler: it sets up the turn, looks the action up in the table (turn.table), or runs a dialog.

Every click (Action.Submit), invoke (Action.Execute) and typed form is one entry in the action table, served by
the feature module it belongs to; only a guided flow's own cards go to the dialogs.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

from botbuilder.core import InvokeResponse, MessageFactory, PrivateConversationState, Storage, TurnContext
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.dialogs import DialogSet, DialogTurnStatus
from botbuilder.schema import ActivityTypes, ChannelAccount
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

# The feature modules register their actions in the table on import.
from bot import approvals, eksempler, entries, exports, overview, personal, plan_a, plan_a_overview, rounds  # noqa: F401
from bot.identity import who
from bot.services import Services
from bot.turn_locks import KeyedLocks
from cards import danish, payloads, texts
from dialogs.base import interruption
from domain.actor import Actor
from domain.logsafe import escaped
from storage.bot_state import DIALOGS, EtagConflictError, SqlStorage, holds_no_dialog
from turn.commands import Command, is_personal_only, parse_command
from turn.help import send_help
from turn.messaging import command_text, is_group
from turn.reply import Door, Reply, invoke_error
from turn.scope import Turn, invoked, submitted
from turn.table import ACTIONS, TypedAction, Where

log = logging.getLogger(__name__)

_NO_DIALOG = "styringsbot.no_dialog"
_SET_UP = (ActivityTypes.message, ActivityTypes.invoke, ActivityTypes.conversation_update, "installationUpdate")


class StyringsBot(TeamsActivityHandler):
    def __init__(self, *, sessionmaker: async_sessionmaker[AsyncSession], storage: Storage, services: Services):
        self.sessionmaker = sessionmaker
        self.services = services
        self.turns = KeyedLocks()
        # Dialog state per user per conversation: people in one group chat never share a dialog stack.
        self.state = PrivateConversationState(storage)
        self.dialogs = DialogSet(self.state.create_property(DIALOGS))
        for flow in entries.FLOWS.values():
            self.dialogs.add(flow())

    # --- The turn's set-up -------------------------------------------------------------------------------------

    async def on_turn(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        conversation = activity.conversation.id if activity.conversation else ""
        sender = activity.from_property.id if activity.from_property else ""
        async with self.turns.hold(f"{conversation}|{sender}"):
            primed = await self._set_up(turn_context) if activity.type in _SET_UP else {}
            with SqlStorage.primed(primed):
                await super().on_turn(turn_context)
                try:
                    await self.state.save_changes(turn_context)
                except EtagConflictError:
                    # Another instance served the same person in the same chat at the same moment; its state
                    # stands, and what this turn stored in the database is idempotent.
                    log.warning("dialog state changed underneath turn %s", escaped(activity.id))

    async def _set_up(self, context: TurnContext) -> dict[str, tuple[Any, str] | None]:
        """Who is acting (read with their dialog state), and the Turn in the turn state."""
        state_key = self.state.get_storage_key(context) if context.activity.type == ActivityTypes.message else None
        found = await who(context, self.sessionmaker, state_key)
        self._turn(context, found.actor, Reply.for_activity(context))
        context.turn_state[_NO_DIALOG] = state_key is not None and holds_no_dialog(found.state)
        context.turn_state["styringsbot.first_contact"] = found.first_contact
        if found.first_contact and state_key is not None and not is_group(context.activity):
            await self.greet(context)  # a first message with no install greeting before it: greeted once
        if found.waiting and parse_command(context.activity.text) is not Command.GODKEND:
            await context.send_activity(MessageFactory.text(danish.fill(texts.INBOX_WAITING, count=found.waiting)))
        return {state_key: found.state} if state_key is not None else {}

    def _turn(self, context: TurnContext, actor: Actor, reply: Reply) -> Turn:
        turn = Turn(self.sessionmaker, actor, self.services.notifier, self.services, reply, bot=self)
        turn.put(context)
        return turn

    # --- Clicks and typing -------------------------------------------------------------------------------------

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        turn = Turn.of(turn_context)
        payload = submitted(turn_context)
        if payload is not None:
            tag = payload.action if isinstance(payload, payloads.InvalidInput) else payload.tag()
            log.info("card submit action=%s", escaped(tag))
            spec = ACTIONS.spec(tag)
            if spec is not None and not spec.after_flow:
                await ACTIONS.serve(turn, spec, payload)
            elif not await self.continue_flow(turn):
                await (ACTIONS.serve(turn, spec, payload) if spec is not None else entries.stale_card(turn))
            return
        text = command_text(turn_context)
        in_group = is_group(turn_context.activity)
        typed = ACTIONS.typed(text, in_group=in_group)
        command = parse_command(text)
        log.info("message in_group=%s command=%s typed=%s", in_group, command, typed.form.words if typed else None)
        if in_group and await ACTIONS.in_group(turn, text, typed, command):
            return  # the chat's open round took it (a proposal, or one of the round's own forms)
        if typed is not None:
            await self.run_typed(turn, typed, in_group=in_group)
        elif command is not None and in_group and is_personal_only(command):
            await self.elsewhere(turn, lambda personal: self.run_command(personal, command, text))
        elif command is not None:
            await self.run_command(turn, command, text)
        elif not turn_context.turn_state.get(_NO_DIALOG) and await self.in_flow(turn_context):
            await (await self.dialogs.create_context(turn_context)).continue_dialog()
        else:
            await send_help(turn, unknown=bool(text))

    async def run_typed(self, turn: Turn, typed: TypedAction, *, in_group: bool) -> None:
        if typed.payload is None:
            await turn.answer.text(texts.TYPED_WRONG_FORM.format(usage=typed.form.usage))
        elif in_group and typed.form.where is Where.PERSONAL:
            payload = typed.payload
            await self.elsewhere(turn, lambda personal: ACTIONS.serve(personal, typed.spec, payload))
        else:
            await ACTIONS.serve(turn, typed.spec, typed.payload)

    async def run_command(self, turn: Turn, command: Command, text: str) -> None:
        rest = text.split(maxsplit=1)[1] if len(text.split(maxsplit=1)) > 1 else ""
        if command in entries.FLOW_COMMANDS:
            await self.start_flow(turn, entries.FLOW_COMMANDS[command], None)
        elif command is Command.HELP and turn.context.turn_state.get(_NO_DIALOG):
            # What `interruption` does outside a flow, without reading the dialog state.
            await send_help(turn, unknown=False)
        elif command in (Command.HELP, Command.ANNULLER):
            await interruption(await self.dialogs.create_context(turn.context), command)
        else:
            await ACTIONS.run_command(turn, command, rest)

    async def start_flow(self, turn: Turn, flow: str, options: object) -> None:
        """A flow from its start (a new command mid-flow replaces the old flow), or reopened on an entry."""
        dialog_context = await self.dialogs.create_context(turn.context)
        await dialog_context.cancel_all_dialogs()
        await dialog_context.begin_dialog(flow, options)

    async def in_flow(self, context: TurnContext) -> bool:
        return (await self.dialogs.create_context(context)).active_dialog is not None

    async def continue_flow(self, turn: Turn) -> bool:
        """A click on a flow's card, for the running flow; False when no flow took it."""
        dialog_context = await self.dialogs.create_context(turn.context)
        if dialog_context.active_dialog is None:
            return False
        return (await dialog_context.continue_dialog()).status is not DialogTurnStatus.Empty

    async def elsewhere(self, turn: Turn, work: Callable[[Turn], Awaitable[None]]) -> None:
        async def run(context: TurnContext, work: Callable[[Turn], Awaitable[None]]) -> None:
            await work(self._turn(context, turn.actor, Reply(context, Door.TYPED)))
            await self.state.save_changes(context)

        await personal.answer_there(turn, work, run)

    # --- Invokes (Action.Execute) ------------------------------------------------------------------------------

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        if turn_context.activity.name != "adaptiveCard/action":
            # The manifest declares no other invokes: 400, not botbuilder's 501 for an invoke it has no handler for.
            log.info("invoke %s not served", escaped(turn_context.activity.name))
            return InvokeResponse(status=int(HTTPStatus.BAD_REQUEST))
        verb, payload = invoked(turn_context)
        spec = ACTIONS.spec(verb)
        if spec is None or not spec.execute:
            return invoke_error(HTTPStatus.BAD_REQUEST, "BadRequest", texts.ERROR_GENERIC)
        await ACTIONS.serve(Turn.of(turn_context), spec, payload)
        return Turn.of(turn_context).answer.response()

    # --- Installation ------------------------------------------------------------------------------------------

    async def on_teams_members_added(  # type: ignore[override]
        self, teams_members_added: list[ChannelAccount], team_info: Any, turn_context: TurnContext
    ) -> None:
        bot_id = turn_context.activity.recipient.id if turn_context.activity.recipient else None
        if any(member.id == bot_id for member in teams_members_added):
            await self.greet(turn_context)

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        await self.greet(turn_context)

    async def greet(self, turn_context: TurnContext) -> None:
        # Teams sends both installationUpdate and conversationUpdate on install: greet a conversation once.
        if not turn_context.turn_state.get("styringsbot.first_contact"):
            return
        welcome = texts.WELCOME_GROUP if is_group(turn_context.activity) else texts.WELCOME_PERSONAL
        await turn_context.send_activity(MessageFactory.text(welcome))
