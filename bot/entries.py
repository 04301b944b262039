"""A person's own entries: `mine`, reopening a sent-back entry (`ret 12`), `begreber`, a button that runs a
command, and a click on a flow's card after the flow has ended."""

from __future__ import annotations

import logging

from cards import payloads, texts
from cards.begreber import begreber_card
from cards.entry import receipt_card
from cards.mine import PAGE_SIZE, mine_card
from core.vocabulary import EntryKind
from dialogs.eksempel import EksempelFlow
from dialogs.laering import LaeringFlow
from dialogs.proevehandling import ProevehandlingFlow
from dialogs.tegn import TegnFlow
from domain.rounds import not_forwarded_of
from domain.views import viewed
from domain.workflow import policy_of
from storage import repo
from turn.commands import Command, parse_command
from turn.scope import Turn
from turn.table import ACTIONS, Typed, entry_number, number_and_text

log = logging.getLogger(__name__)

# The guided flows, by the kind of entry each one makes (its dialog id).
FLOWS: dict[EntryKind, type[TegnFlow | LaeringFlow | ProevehandlingFlow | EksempelFlow]] = {
    flow.kind: flow for flow in (TegnFlow, LaeringFlow, ProevehandlingFlow, EksempelFlow)
}
# The commands that start a flow (a new command mid-flow replaces the old flow).
FLOW_COMMANDS = {
    Command.TEGN: EntryKind.TEGN,
    Command.LAERING: EntryKind.LAERING,
    Command.PROEVEHANDLING: EntryKind.PROEVEHANDLING,
    Command.EKSEMPEL: EntryKind.EKSEMPEL,
}


@ACTIONS.action(payloads.RunCommand)
async def run_command(turn: Turn, payload: payloads.RunCommand) -> None:
    """A button that does what typing its word does (the help card's starts, »Vis mine forslag« …)."""
    command = parse_command(payload.command)
    if command is None:
        await turn.answer.text(texts.STALE_CARD_GONE)
        return
    await turn.hooks.run_command(turn, command, payload.command)


@ACTIONS.command(Command.MINE)
async def mine(turn: Turn, rest: str) -> None:
    await show_mine(turn, offset=0)


def _page(rest: str) -> dict[str, int] | None:
    found = number_and_text(rest)
    if found is None or found[1] or not 1 <= found[0] <= payloads.MAX_OFFSET // PAGE_SIZE:
        return None
    return {"offset": (found[0] - 1) * PAGE_SIZE}


@ACTIONS.action(payloads.MineMore, typed=(Typed("mine", _page, texts.TYPED_MINE),))
async def mine_more(turn: Turn, payload: payloads.MineMore) -> None:
    await show_mine(turn, offset=payload.offset)


async def show_mine(turn: Turn, *, offset: int) -> None:
    actor = turn.actor
    async with turn.sessionmaker() as session:
        total, entries = await repo.entries_of_owner(session, actor.person_id, offset=offset, limit=PAGE_SIZE)
        views = [(await viewed(session, entry, actor)).view for entry in entries]
        not_forwarded = await not_forwarded_of(session, actor.person_id) if offset == 0 else []
    card = mine_card(entries=views, offset=offset, total=total, not_forwarded=not_forwarded)
    await turn.answer.card(card, new_message=True)


@ACTIONS.action(payloads.EditEntry, typed=(Typed("ret", entry_number(), texts.TYPED_RET),))
async def edit_entry(turn: Turn, payload: payloads.EditEntry) -> None:
    """The owner's »Ret og send igen« (or `ret 12`): the entry's flow opens with everything filled in."""
    async with turn.sessionmaker() as session:
        entry = await repo.get_entry(session, payload.entry_id)
        may_edit = entry is not None and (await policy_of(session, entry, turn.actor)).may_edit
    if entry is None or not may_edit or entry.kind not in FLOWS:
        await turn.answer.text(texts.REFUSED_NOT_PENDING)
        return
    await turn.hooks.start_flow(turn, entry.kind, {"entry_id": entry.id})


@ACTIONS.command(Command.BEGREBER)
async def begreber(turn: Turn, rest: str) -> None:
    await turn.answer.card(begreber_card(), new_message=True)


@ACTIONS.action(payloads.Send, after_flow=True)
async def send_again(turn: Turn, payload: payloads.Send) -> None:
    """A second click on Send (or a Teams retry) after the flow finished: the same receipt, nothing stored anew."""
    async with turn.sessionmaker() as session:
        entry = await repo.entry_by_key(session, payload.submission_key)
        seen = await viewed(session, entry, turn.actor) if entry else None
    if entry is None or seen is None or not seen.policy.is_owner:
        await stale_card(turn)
        return
    await turn.answer.card(receipt_card(view=seen.view, title=FLOWS[entry.kind].receipt_title))


async def stale_card(turn: Turn) -> None:
    """A click on a flow's card when no flow is running: say so, and show what the bot can do."""
    await turn.answer.text(texts.STALE_CARD_GONE)
    await turn.hooks.run_command(turn, Command.HELP, "")
