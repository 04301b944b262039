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
from bot import approvals, eksempler, entries, exports, overview, rounds  # noqa: F401
from bot.identity import known, member_email, remember_conversation, resolve
from bot.services import Services
from bot.turn_locks import KeyedLocks
from cards import payloads, texts
from dialogs.base import interruption
from domain import approvals as domain_approvals
from domain.actor import Actor
from domain.logsafe import escaped
from domain.vocabulary import EntryKind
from storage import repo
from storage.bot_state import EtagConflictError, SqlStorage
from turn.commands import Command, is_personal_only, parse_command
from turn.help import help_for
from turn.messaging import is_group
from turn.reply import Door, Reply, invoke_error
from turn.scope import Turn, submitted
from turn.table import ACTIONS, TypedAction, Where

log = logging.getLogger(__name__)

FLOWS = {Command.TEGN: EntryKind.TEGN, Command.LAERING: EntryKind.LAERING, Command.EKSEMPEL: EntryKind.EKSEMPEL}
DIALOGS = "dialogs"
_NO_DIALOG = "styringsbot.no_dialog"


def holds_no_dialog(state: tuple[Any, str] | None) -> bool:
    """Whether the stored conversation state (document, eTag) certainly holds no active dialog (any doubt: False)."""
    if state is None:
        return True
    document = state[0]
    if not isinstance(document, dict):
        return False
    dialogs = document.get(DIALOGS, {"_dialog_stack": []})
    return isinstance(dialogs, dict) and dialogs.get("_dialog_stack") == []


def command_text(context: TurnContext) -> str:
    """The typed text without the bot's @mention (botbuilder leaves leading whitespace behind; we strip it)."""
    TurnContext.remove_recipient_mention(context.activity)
    return (context.activity.text or "").strip()


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
            primed: dict[str, tuple[Any, str] | None] = {}
            if activity.type in (ActivityTypes.message, ActivityTypes.invoke) or activity.type in (
                ActivityTypes.conversation_update,
                ActivityTypes.installation_update,
            ):
                primed = await self._who(turn_context)
            with SqlStorage.primed(primed):
                await super().on_turn(turn_context)
                try:
                    await self.state.save_changes(turn_context)
                except EtagConflictError:
                    # Another instance served the same person in the same chat at the same moment; its state
                    # stands, and what this turn stored in the database is idempotent.
                    log.warning("dialog state changed underneath turn %s", escaped(activity.id))

    async def _who(self, context: TurnContext) -> dict[str, tuple[Any, str] | None]:
        """Who is acting, read with their dialog state; the Turn put in the turn state."""
        is_message = context.activity.type == ActivityTypes.message
        state_key = self.state.get_storage_key(context) if is_message else None
        async with self.sessionmaker() as session:
            found = await known(context, session, state_key)
        actor = found.actor if found is not None else None
        primed = {state_key: found.state} if found is not None and state_key is not None else {}
        context.turn_state[_NO_DIALOG] = bool(primed) and holds_no_dialog(found.state if found else None)
        first_contact, waiting = False, 0
        if actor is None or (found is not None and found.must_tell and is_message):
            # First contact, a changed conversation, or news to tell: Teams is asked who a newcomer is first.
            email = await member_email(context, self.sessionmaker) if actor is None else None
            async with self.sessionmaker.begin() as session:
                actor = await resolve(context, session, email=email)
                first_contact = await remember_conversation(context, session, actor)
                if is_message and await repo.mark_undelivered_approvals_told(session, actor.person_id):
                    waiting = len(await domain_approvals.waiting(session, actor))
        self._turn(context, actor, Reply.for_activity(context))
        context.turn_state["styringsbot.first_contact"] = first_contact
        if waiting and parse_command(context.activity.text) is not Command.GODKEND:
            await context.send_activity(MessageFactory.text(texts.INBOX_WAITING.format(count=waiting)))
        return primed

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
            if spec is not None:
                await ACTIONS.serve(turn, spec, payload)
            else:
                await self.continue_flow(turn, payload)
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
            await self.send_help(turn, unknown=bool(text))

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
        if command in FLOWS:
            await self.start_flow(turn, FLOWS[command], None)
        elif command is Command.HELP and turn.context.turn_state.get(_NO_DIALOG):
            # What `interruption` does outside a flow, without reading the dialog state.
            await self.send_help(turn, unknown=False)
        elif command in (Command.HELP, Command.ANNULLER):
            await interruption(await self.dialogs.create_context(turn.context), command)
        else:
            await ACTIONS.run_command(turn, command, rest)

    async def send_help(self, turn: Turn, *, unknown: bool) -> None:
        in_group = is_group(turn.context.activity)
        await turn.answer.card(help_for(turn.actor, in_group=in_group, unknown_text=unknown), new_message=True)

    async def start_flow(self, turn: Turn, flow: str, options: object) -> None:
        """A flow from its start (a new command mid-flow replaces the old flow), or reopened on an entry."""
        dialog_context = await self.dialogs.create_context(turn.context)
        await dialog_context.cancel_all_dialogs()
        await dialog_context.begin_dialog(flow, options)

    async def in_flow(self, context: TurnContext) -> bool:
        return (await self.dialogs.create_context(context)).active_dialog is not None

    async def continue_flow(self, turn: Turn, payload: payloads.AnyPayload | payloads.InvalidInput) -> None:
        dialog_context = await self.dialogs.create_context(turn.context)
        if dialog_context.active_dialog is not None:
            result = await dialog_context.continue_dialog()
            if result.status is not DialogTurnStatus.Empty:
                return
        await entries.outside_flow(turn, payload)

    async def elsewhere(self, turn: Turn, work: Callable[[Turn], Awaitable[None]]) -> None:
        """Something personal typed in a group chat (a list, a flow, a decision): answered in the person's personal
        chat, as if typed there; the group chat gets one line and nothing personal."""
        async with self.sessionmaker() as session:
            personal = await repo.personal_conversation_ref(session, turn.actor.person_id)
        if personal is None:
            await turn.answer.text(texts.PERSONAL_NO_CHAT_YET)
            return

        async def in_personal_chat(context: TurnContext) -> None:
            await work(self._turn(context, turn.actor, Reply(context, Door.TYPED)))
            await self.state.save_changes(context)

        try:
            await self.services.sender.run(dict(personal.reference), in_personal_chat)
        except Exception as error:  # the personal chat may be gone (the app removed): say how to open one
            log.warning(
                "could not answer person %s in the personal chat: %s", turn.actor.person_id, type(error).__name__
            )
            await turn.answer.text(texts.PERSONAL_NO_CHAT_YET)
            return
        await turn.answer.text(texts.PERSONAL_SENT_THERE)

    # --- Invokes (Action.Execute) ------------------------------------------------------------------------------

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        if turn_context.activity.name != "adaptiveCard/action":
            # The manifest declares no other invokes: 400, not botbuilder's 501 for an invoke it has no handler for.
            log.info("invoke %s not served", escaped(turn_context.activity.name))
            return InvokeResponse(status=int(HTTPStatus.BAD_REQUEST))
        turn = Turn.of(turn_context)
        value = turn_context.activity.value if isinstance(turn_context.activity.value, dict) else {}
        action: dict[str, Any] = value["action"] if isinstance(value.get("action"), dict) else {}
        verb, data = action.get("verb"), action.get("data")
        log.info("card invoke verb=%s trigger=%s", escaped(verb), escaped(value.get("trigger")))
        spec = ACTIONS.spec(verb)
        if spec is None or not spec.execute:
            return invoke_error(HTTPStatus.BAD_REQUEST, "BadRequest", texts.ERROR_GENERIC)
        try:
            payload: payloads.AnyPayload | payloads.InvalidInput = payloads.parse_invoke(verb, data)
        except payloads.InvalidInput as invalid:
            payload = invalid
        await ACTIONS.serve(turn, spec, payload)
        return turn.answer.response()

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
