"""The Teams activity handler: it only dispatches. Commands, card submits and invokes each go to one handler."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from botbuilder.core import InvokeResponse, MessageFactory, PrivateConversationState, Storage, TurnContext
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.dialogs import DialogSet, DialogTurnStatus
from botbuilder.schema import ActivityTypes, ChannelAccount
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import eksempler, export_links
from bot import rounds as meeting_rounds
from bot.approvals import handle_execute, view_for
from bot.identity import known, member_email, remember_conversation, resolve
from bot.notifier import Notifier
from bot.overview import OVERVIEW_PAYLOADS, Overview
from bot.scheduler import Outbox
from bot.settings import Settings
from bot.turn_locks import KeyedLocks
from cards import danish, payloads, texts
from cards.begreber import begreber_card
from cards.entry import receipt_card
from cards.export import export_picker_card
from cards.mine import PAGE_SIZE, mine_card
from dialogs.base import interruption
from dialogs.eksempel import EksempelFlow
from dialogs.laering import LaeringFlow
from dialogs.tegn import TegnFlow
from domain import approvals
from domain.eksempler import ListFilter
from domain.export import allowed_maalplaner
from domain.logsafe import escaped
from domain.policy import works_the_selection
from domain.rounds import not_forwarded_of
from domain.views import viewed
from domain.vocabulary import EntryKind
from domain.workflow import policy_of
from storage import repo
from storage.bot_state import EtagConflictError, SqlStorage
from turn.commands import Command, help_for, parse_command
from turn.messaging import is_group, send_card, show_card
from turn.scope import TurnScope, submitted

log = logging.getLogger(__name__)

# Commands that start a guided flow, by the dialog id that serves them.
FLOWS = {Command.TEGN: EntryKind.TEGN, Command.LAERING: EntryKind.LAERING, Command.EKSEMPEL: EntryKind.EKSEMPEL}
INBOX_PAGE = 10
# The dialog state property, and the turn state key saying the state read with the sender holds no dialog.
DIALOGS = "dialogs"
_NO_DIALOG = "styringsbot.no_dialog"


def holds_no_dialog(state: tuple[Any, str] | None) -> bool:
    """Whether the stored conversation state (document, eTag) certainly holds no active dialog: there is none, it has
    no dialog state, or its dialog stack is empty (botbuilder's DialogState as storage.bot_state stores it).
    Anything else, or any doubt, is False: the dialog state is then read as usual."""
    if state is None:
        return True
    document = state[0]
    if not isinstance(document, dict):
        return False
    if DIALOGS not in document:
        return True
    dialogs = document[DIALOGS]
    return isinstance(dialogs, dict) and dialogs.get("_dialog_stack") == []


def command_text(context: TurnContext) -> str:
    """The typed text without the bot's @mention (botbuilder leaves leading whitespace behind; we strip it)."""
    TurnContext.remove_recipient_mention(context.activity)
    return (context.activity.text or "").strip()


class StyringsBot(TeamsActivityHandler):
    """Routes each activity to the one method that serves it."""

    def __init__(
        self,
        *,
        settings: Settings,
        sessionmaker: async_sessionmaker[AsyncSession],
        storage: Storage,
        notifier: Notifier,
        outbox: Outbox,
        rounds: meeting_rounds.RoundUpdater | None = None,
    ):
        self.settings = settings
        self.overview = Overview(outbox)
        self.rounds = rounds
        self.sessionmaker = sessionmaker
        self.notifier = notifier
        self.turns = KeyedLocks()
        # Dialog state per user per conversation: people in one group chat never share a dialog stack.
        self.state = PrivateConversationState(storage)
        self.dialogs = DialogSet(self.state.create_property(DIALOGS))
        self.flows = {flow.kind: flow for flow in (TegnFlow(), LaeringFlow(), EksempelFlow())}
        for flow in self.flows.values():
            self.dialogs.add(flow)

    # --- Every turn ------------------------------------------------------------------------------------------

    async def on_turn(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        conversation = activity.conversation.id if activity.conversation else ""
        sender = activity.from_property.id if activity.from_property else ""
        async with self.turns.hold(f"{conversation}|{sender}"):
            await self._turn(turn_context)

    async def _turn(self, turn_context: TurnContext) -> None:
        primed: dict[str, tuple[Any, str] | None] = {}
        if turn_context.activity.type in (
            ActivityTypes.message,
            ActivityTypes.invoke,
            ActivityTypes.conversation_update,
            ActivityTypes.installation_update,
        ):
            is_message = turn_context.activity.type == ActivityTypes.message
            # Messages may touch the dialog state: it is read along with who the sender is.
            state_key = self.state.get_storage_key(turn_context) if is_message else None
            async with self.sessionmaker() as session:
                found = await known(turn_context, session, state_key)
            actor = found.actor if found is not None else None
            must_tell = found is not None and found.must_tell and is_message
            if found is not None and state_key is not None:
                primed = {state_key: found.state}
                # hjælp and unknown text outside a flow need not read (nor store) the dialog state at all.
                turn_context.turn_state[_NO_DIALOG] = holds_no_dialog(found.state)
            first_contact, waiting = False, 0
            if actor is None or must_tell:
                # First contact, a changed conversation, or news to tell: the only turns that write here.
                # Teams is asked who a newcomer is before the unit of work starts, never within it.
                email = await member_email(turn_context, self.sessionmaker) if actor is None else None
                async with self.sessionmaker.begin() as session:
                    actor = await resolve(turn_context, session, email=email)
                    first_contact = await remember_conversation(turn_context, session, actor)
                    if is_message and await repo.mark_undelivered_approvals_told(session, actor.person_id):
                        waiting = len(await approvals.waiting(session, actor))
            TurnScope(self.sessionmaker, actor, self.notifier).put(turn_context)
            turn_context.turn_state["styringsbot.first_contact"] = first_contact
            if first_contact and is_message and not is_group(turn_context.activity):
                await self.greet(turn_context)  # a first message with no install greeting before it: greet once
            if waiting:
                # Approval cards that could not be delivered (no chat with the bot yet): say so, once.
                await turn_context.send_activity(MessageFactory.text(texts.INBOX_WAITING.format(count=waiting)))
        with SqlStorage.primed(primed):
            await self._run(turn_context)

    async def _run(self, turn_context: TurnContext) -> None:
        await super().on_turn(turn_context)
        try:
            await self.state.save_changes(turn_context)
        except EtagConflictError:
            # Another instance served the same person in the same chat at the same moment (the in-process
            # queue cannot see it). Its state stands; what this turn stored in the database is idempotent.
            log.warning(
                "dialog state changed underneath turn %s; kept the other turn's state",
                escaped(turn_context.activity.id),
            )

    # --- Messages --------------------------------------------------------------------------------------------

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        payload = submitted(turn_context)
        if payload is not None:
            await self.on_card_submit(turn_context, payload)
            return
        text = command_text(turn_context)
        command = parse_command(text)
        log.info(
            "message conversation=%s type=%s command=%s",
            escaped(turn_context.activity.conversation.id if turn_context.activity.conversation else None),
            escaped(
                turn_context.activity.conversation.conversation_type if turn_context.activity.conversation else None
            ),
            command.value if command else None,
        )
        if command is Command.MOEDE and self.rounds is not None:
            await meeting_rounds.start(turn_context, self.rounds, rest=text.split(maxsplit=1)[1] if " " in text else "")
            return
        if command is None and self.rounds is not None and await meeting_rounds.typed(turn_context, self.rounds, text):
            # A message in a chat with an open round: the sender's proposal.
            return
        if command is None and not turn_context.turn_state.get(_NO_DIALOG):
            # Only text that is no command can belong to a flow; commands read the dialog state when they need it.
            dialog_context = await self.dialogs.create_context(turn_context)
            if dialog_context.active_dialog is not None:
                # Text that is no command, in a flow: the flow points to its card.
                await dialog_context.continue_dialog()
                return
        await self.run_command(turn_context, command, unknown=bool(text) and command is None)

    async def run_command(self, turn_context: TurnContext, command: Command | None, *, unknown: bool) -> None:
        if command is None:
            await self.send_help(turn_context, unknown=unknown)
        elif command is Command.HELP and turn_context.turn_state.get(_NO_DIALOG):
            # What `interruption` does outside a flow, without reading the dialog state.
            await self.send_help(turn_context, unknown=False)
        elif command in (Command.HELP, Command.ANNULLER):
            await interruption(await self.dialogs.create_context(turn_context), command)
        elif command in FLOWS:
            # A new command mid-flow starts that flow instead of being taken as an answer.
            dialog_context = await self.dialogs.create_context(turn_context)
            await dialog_context.cancel_all_dialogs()
            await dialog_context.begin_dialog(FLOWS[command])
        elif command is Command.MINE:
            await self.show_mine(turn_context, offset=0)
        elif command is Command.BEGREBER:
            await send_card(turn_context, begreber_card())
        elif command is Command.GODKEND:
            await self.show_inbox(turn_context)
        elif command is Command.EKSPORT:
            await self.offer_export(turn_context)
        elif command is Command.OVERSIGT:
            await self.overview.command(turn_context)
        elif command is Command.MOEDE and self.rounds is not None:
            await meeting_rounds.start(turn_context, self.rounds, rest="")
        elif command is Command.GRUNDLAG:
            await eksempler.show_grundlag(turn_context, tema=None)
        elif command is Command.EKSEMPLER:
            await eksempler.show_selection(turn_context, shown=ListFilter())
        else:
            await turn_context.send_activity(texts.ERROR_NOT_AVAILABLE_YET)

    async def on_card_submit(
        self, turn_context: TurnContext, payload: payloads.AnyPayload | payloads.InvalidInput
    ) -> None:
        log.info("card submit action=%s", escaped(getattr(payload, "action", None)))
        if isinstance(payload, payloads.RunCommand):
            await self.run_command(turn_context, parse_command(payload.command), unknown=False)
            return
        if isinstance(payload, payloads.MineMore):
            await self.show_mine(turn_context, offset=payload.offset)
            return
        if isinstance(payload, payloads.EditEntry):
            await self.edit_entry(turn_context, payload.entry_id)
            return
        if isinstance(payload, payloads.ExportPick):
            await self.send_export_link(turn_context, payload.maalplan_id)
            return
        if isinstance(payload, OVERVIEW_PAYLOADS):
            await self.overview.on_submit(turn_context, payload)
            return
        if await self.on_eksempel_submit(turn_context, payload):
            return
        dialog_context = await self.dialogs.create_context(turn_context)
        if dialog_context.active_dialog is not None:
            result = await dialog_context.continue_dialog()
            if result.status is not DialogTurnStatus.Empty:
                return
        if isinstance(payload, payloads.Send):
            # A second click on Send (or a Teams retry) after the flow finished: the same receipt, no new entry.
            async with self.sessionmaker() as session:
                entry = await repo.entry_by_key(session, payload.submission_key)
                seen = await viewed(session, entry, TurnScope.of(turn_context).actor) if entry else None
            if entry is not None and seen is not None and seen.policy.is_owner:
                title = self.flows[entry.kind].receipt_title
                await show_card(turn_context, receipt_card(view=seen.view, title=title))
                return
        await turn_context.send_activity(texts.STALE_CARD_GONE)
        await self.send_help(turn_context, unknown=False)

    async def on_eksempel_submit(
        self, turn_context: TurnContext, payload: payloads.AnyPayload | payloads.InvalidInput
    ) -> bool:
        """The indsamler's list and the grundlag (cards outside any flow); True when the submit was theirs."""
        if isinstance(payload, payloads.SelectionApply):
            await eksempler.apply_selection(turn_context, payload)
        elif isinstance(payload, payloads.SelectionShow):
            shown = eksempler.list_filter(payload)
            await eksempler.show_selection(turn_context, shown=shown, offset=payload.offset, replace=True)
        elif isinstance(payload, payloads.GrundlagShow):
            await eksempler.show_grundlag(
                turn_context, tema=payload.tema, niveau=payload.niveau, offset=payload.offset, replace=True
            )
        elif isinstance(payload, payloads.InvalidInput) and payload.action in eksempler.SELECTION_ACTIONS:
            await eksempler.invalid_selection(turn_context, payload)
        else:
            return False
        return True

    async def send_help(self, turn_context: TurnContext, *, unknown: bool) -> None:
        await send_card(turn_context, help_for(in_group=is_group(turn_context.activity), unknown_text=unknown))

    async def show_mine(self, turn_context: TurnContext, *, offset: int) -> None:
        actor = TurnScope.of(turn_context).actor
        async with self.sessionmaker() as session:
            total, entries = await repo.entries_of_owner(session, actor.person_id, offset=offset, limit=PAGE_SIZE)
            views = [(await viewed(session, entry, actor)).view for entry in entries]
            not_forwarded = await not_forwarded_of(session, actor.person_id) if offset == 0 else []
        await send_card(turn_context, mine_card(entries=views, offset=offset, total=total, not_forwarded=not_forwarded))

    async def show_inbox(self, turn_context: TurnContext) -> None:
        """`godkend`: what waits for actor, oldest first, each as an approval card to act on directly."""
        actor = TurnScope.of(turn_context).actor
        async with self.sessionmaker() as session:
            count, first = await approvals.inbox_page(session, actor, INBOX_PAGE)
            cards = [await view_for(session, entry, actor) for entry in first]
        if not count:
            await turn_context.send_activity(MessageFactory.text(texts.INBOX_EMPTY))
            return
        await turn_context.send_activity(MessageFactory.text(texts.INBOX_COUNT.format(count=count)))
        for adaptive_card in cards:
            await send_card(turn_context, adaptive_card)
        if count > INBOX_PAGE:
            await turn_context.send_activity(MessageFactory.text(texts.INBOX_MORE.format(count=count - INBOX_PAGE)))

    async def edit_entry(self, turn_context: TurnContext, entry_id: int) -> None:
        """The owner's "Ret og send igen": the entry's flow opens with everything filled in."""
        actor = TurnScope.of(turn_context).actor
        async with self.sessionmaker() as session:
            entry = await repo.get_entry(session, entry_id)
            may_edit = entry is not None and (await policy_of(session, entry, actor)).may_edit
        if entry is None or not may_edit or entry.kind not in self.flows:
            await turn_context.send_activity(MessageFactory.text(texts.REFUSED_NOT_PENDING))
            return
        dialog_context = await self.dialogs.create_context(turn_context)
        await dialog_context.cancel_all_dialogs()
        await dialog_context.begin_dialog(entry.kind, {"entry_id": entry.id})

    async def offer_export(self, turn_context: TurnContext) -> None:
        """`eksport`: a link straight away when there is one målplan to export, else a choice."""
        actor = TurnScope.of(turn_context).actor
        async with self.sessionmaker() as session:
            plans = [(p.id, p.title) for p in await allowed_maalplaner(session, actor.roles)]
        if works_the_selection(actor):
            # The indsamler's export is every eksempel; her målplaner (if any) follow.
            await eksempler.send_export_link(turn_context, self.settings)
            if not plans:
                return
        if not plans:
            await turn_context.send_activity(MessageFactory.text(texts.EXPORT_NONE))
        elif len(plans) == 1:
            await self.send_export_link(turn_context, plans[0][0])
        else:
            await send_card(turn_context, export_picker_card(maalplaner=plans))

    async def send_export_link(self, turn_context: TurnContext, maalplan_id: int) -> None:
        actor = TurnScope.of(turn_context).actor
        async with self.sessionmaker() as session:
            plans = {p.id: p.title for p in await allowed_maalplaner(session, actor.roles)}
        if maalplan_id not in plans:
            log.warning("export refused: person %s may not export målplan %s", actor.person_id, maalplan_id)
            await turn_context.send_activity(MessageFactory.text(texts.EXPORT_NONE))
            return
        url = export_links.link(self.settings, maalplan_id=maalplan_id, person_id=actor.person_id)
        minutes = max(1, self.settings.EXPORT_LINK_TTL_SECONDS // 60)
        text = danish.fill(texts.EXPORT_READY, title=plans[maalplan_id], url=url, minutes=minutes)
        await turn_context.send_activity(MessageFactory.text(text))

    # --- Invokes (Action.Execute) ------------------------------------------------------------------------------

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        if turn_context.activity.name != "adaptiveCard/action":
            # The manifest declares no other invokes (no messaging extensions, task modules or sign-in): answer
            # 400, not botbuilder's 501 for an invoke it has no handler for.
            log.info("invoke %s not served", escaped(turn_context.activity.name))
            return InvokeResponse(status=int(HTTPStatus.BAD_REQUEST))
        value: dict[str, Any] = turn_context.activity.value if isinstance(turn_context.activity.value, dict) else {}
        action: dict[str, Any] = value["action"] if isinstance(value.get("action"), dict) else {}
        if self.rounds is not None and meeting_rounds.is_round_verb(action.get("verb")):
            log.info("card invoke verb=%s trigger=%s", escaped(action.get("verb")), escaped(value.get("trigger")))
            return await meeting_rounds.handle_execute(
                turn_context, self.rounds, self.notifier, action["verb"], action.get("data")
            )
        return await handle_execute(turn_context, self.notifier)

    # --- Installation ----------------------------------------------------------------------------------------

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
