"""Personalemøde rounds in Teams: `møde`, the round card's Action.Execute verbs, typed proposals, and the shared
card's coalesced update.

The shared card (the message everyone sees) shows the count. After additions it is updated with
`update_activity`, coalesced: a round's card is updated at most once per ROUND_UPDATE_SECONDS (Microsoft's Ask
Away updates every 5 s), far below Teams' 7 operations per second per conversation. Each edit also makes Teams
refresh every listed user's view (refresh.userIds), so fewer edits also mean fewer refresh invokes.
https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/up-to-date-views
https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit

Several instances: an instance only runs a timer for the rounds its own users added to, and the database decides
whether an update goes out now (domain.rounds.claim_base_update: one conditional UPDATE that records what the
card will show and when). The instance that saw the last addition keeps its timer until the card shows it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

from botbuilder.core import MessageFactory, TurnContext
from botbuilder.core.teams import TeamsInfo
from botbuilder.schema import Activity, ActivityTypes
from microsoft_teams.cards.core import AdaptiveCard
from msrest.exceptions import HttpOperationError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.proactive import Background, ProactiveSender
from bot.services import services
from cards import danish, payloads, texts
from cards.plan_a import edit_card
from cards.round import (
    closed_card,
    notice_card,
    round_card,
    selection_card,
    setup_card,
    summary_card,
    which_round_card,
)
from core.vocabulary import Colour, EntryKind, Niveau, Role, RoundStatus, RoundTopic, Tema
from domain import clock, plan_a, rounds
from domain.actor import Actor
from domain.logsafe import escaped
from domain.plan_a import EditRefused
from domain.policy import NotAllowed, Refusal
from storage import repo
from storage.models import Round
from turn.commands import Command
from turn.messaging import is_group, plain, send_card, to_attachment
from turn.reply import Door
from turn.scope import Turn
from turn.table import ACTIONS, Typed, TypedAction, Where, fold, number_and_text, numbers, tema_named

log = logging.getLogger(__name__)

# After the first addition of a quiet spell: wait this long so that a burst lands in one update.
FIRST_DELAY_SECONDS = 1.0
# Typed proposals within this long of a thank-you are thanked together in the next one.
CONFIRM_SPACING_SECONDS = 1.0


def base_card(row: Round) -> AdaptiveCard:
    """The shared card everyone sees: the count while open, the summary once closed."""
    if row.status is RoundStatus.OPEN:
        return round_card(view=rounds.view_of(row, None, None), policy=None)
    return closed_card(view=rounds.summary_of(row), policy=None)


class RoundUpdater:
    """Background work of rounds: the coalesced card updates, summaries and the automatic close."""

    def __init__(
        self,
        sender: ProactiveSender,
        *,
        sessionmaker: async_sessionmaker[AsyncSession],
        interval: float,
        max_open: dt.timedelta,
    ):
        self._sender = sender
        self._sessionmaker = sessionmaker
        self.interval = interval
        self.max_open = max_open
        self._timers: dict[int, asyncio.Task[None]] = {}
        self._dirty: set[int] = set()
        self._background = Background()
        self._unthanked: dict[int, dict[int, str]] = {}

    # --- The coalesced update ---

    def poke(self, round_id: int) -> None:
        """A proposal was added or removed (and committed): the shared card should show it soon."""
        self._dirty.add(round_id)
        if round_id not in self._timers:
            task = asyncio.ensure_future(self._coalesce(round_id))
            self._timers[round_id] = task

    async def _coalesce(self, round_id: int) -> None:
        delay = min(FIRST_DELAY_SECONDS, self.interval)
        try:
            while True:
                await clock.sleep(delay)
                # Changes from here on are either read below or poke again; synchronous with the check at the end.
                self._dirty.discard(round_id)
                try:
                    async with self._sessionmaker.begin() as session:
                        decision = await rounds.claim_base_update(session, round_id=round_id, interval=self.interval)
                        row = decision.round
                        card = base_card(row) if row is not None else None
                except Exception as error:  # the next poke tries again; never crash the loop
                    log.error("round %s: could not claim the card update: %s", round_id, type(error).__name__)
                    return
                if row is not None and card is not None and row.activity_id:
                    await self.update(dict(row.reference), row.activity_id, card)
                    if row.status is RoundStatus.OPEN:
                        await self._unless_closed_meanwhile(round_id)
                    delay = self.interval
                    continue
                if decision.wait is not None:
                    delay = decision.wait
                    continue
                if round_id in self._dirty:
                    delay = self.interval
                    continue
                return
        finally:
            self._timers.pop(round_id, None)

    async def _unless_closed_meanwhile(self, round_id: int) -> None:
        """The round may have closed while the open card was on its way (here or on another instance), and the
        close's own update may have landed first: then the open card would stay. Show the closed card again."""
        try:
            async with self._sessionmaker() as session:
                row = await rounds.load(session, round_id)
                card = base_card(row) if row.status is not RoundStatus.OPEN else None
        except Exception as error:  # never crash the loop
            log.error("round %s: could not check the round after the update: %s", round_id, type(error).__name__)
            return
        if card is not None and row.activity_id:
            await self.update(dict(row.reference), row.activity_id, card)

    # --- Confirming typed proposals ---
    #
    # Each typed proposal deserves a thank-you, but Teams allows a bot 7 messages a second in a conversation: the
    # first proposal of a quiet spell is thanked at once, in its turn; those typed within the next
    # CONFIRM_SPACING_SECONDS are thanked together in one message ("Tak, Mette, Ahmed og 3 andre"). Per instance:
    # a missed thank-you is harmless, so this needs no database.

    def confirm_now(self, round_id: int, person_id: int, name: str, reference: dict[str, Any]) -> bool:
        """True: thank this person now. False: they are thanked with the others in a moment."""
        waiting = self._unthanked.get(round_id)
        if waiting is None:
            self._unthanked[round_id] = {}
            self.spawn(self._thank_later(round_id, reference))
            return True
        waiting.setdefault(person_id, name)  # two people called Mette are both thanked
        return False

    async def _thank_later(self, round_id: int, reference: dict[str, Any]) -> None:
        try:
            while True:
                await clock.sleep(CONFIRM_SPACING_SECONDS)
                names = list((self._unthanked.get(round_id) or {}).values())
                if not names:
                    return
                self._unthanked[round_id] = {}
                async with self._sessionmaker() as session:
                    count, _people = await repo.round_counts(session, round_id)
                if len(names) == 1:
                    text = texts.ROUND_TYPED_ADDED.format(name=names[0], count=count)
                else:
                    text = texts.ROUND_TYPED_ADDED_MANY.format(names=danish.listing(names), count=count)
                await self.post(reference, plain(text))
        except Exception as error:  # a thank-you is not worth a crash
            log.warning("round %s: could not thank for typed proposals: %s", round_id, type(error).__name__)
        finally:
            self._unthanked.pop(round_id, None)

    async def drain(self) -> None:
        """Wait for the timers and background work in flight (tests, and shutdown)."""
        while self._timers or self._background:
            await asyncio.gather(*self._timers.values(), self._background.drain(), return_exceptions=True)

    def spawn(self, work: Awaitable[Any]) -> None:
        self._background.spawn(work)

    # --- Talking to the chat ---

    async def update(self, reference: dict[str, Any], activity_id: str, card: AdaptiveCard) -> None:
        await self._sender.update_card(reference, activity_id, card)

    async def post(self, reference: dict[str, Any], message: Activity) -> None:
        try:
            await self._sender.send(reference, message)
        except Exception as error:
            log.warning("could not post to conversation: %s", type(error).__name__)

    # --- Closing by the clock ---

    async def close_overdue(self) -> list[int]:
        """Close the rounds open longer than the setting; tell each starter. Safe with several instances: only
        the instance whose conditional UPDATE closes a round posts its summary."""
        async with self._sessionmaker() as session:
            candidates = await rounds.overdue(session, max_open=self.max_open)
        closed: list[int] = []
        for round_id in candidates:
            async with self._sessionmaker.begin() as session:
                row, now_closed = await rounds.close(session, actor=None, round_id=round_id)
                starter_ref = await repo.personal_conversation_ref(session, row.starter_id)
                starter_reference = dict(starter_ref.reference) if starter_ref else None
            if not now_closed:
                continue
            closed.append(round_id)
            await self.announce_close(row)
            await self.send_selection(row)
            if starter_reference is not None:
                hours = round(self.max_open.total_seconds() / 3600)
                await self.post(
                    starter_reference, MessageFactory.text(danish.fill(texts.ROUND_AUTO_CLOSED, hours=hours))
                )
        return closed

    async def send_selection(self, row: Round) -> None:
        """After the close: the starter's selection in their personal chat, as Action.Submit (phones). Without a
        personal chat the shared card's »Vælg forslag« and `møde send` still work."""
        if not any(not p.removed for p in row.proposals):
            return
        async with self._sessionmaker() as session:
            personal = await repo.personal_conversation_ref(session, row.starter_id)
        if personal is None:
            log.info("round %s: the starter has no personal chat with the bot; no selection sent there", row.id)
            return
        try:
            await self._sender.send_card(dict(personal.reference), selection_card(view=rounds.summary_of(row)))
        except Exception as error:
            log.warning("round %s: could not send the selection: %s", row.id, type(error).__name__)

    async def announce_close(self, row: Round) -> None:
        """The summary as a new message (so that it is found later), and the shared card turned into it."""
        await self.post(
            dict(row.reference), MessageFactory.attachment(to_attachment(summary_card(view=rounds.summary_of(row))))
        )
        if row.activity_id:
            await self.update(dict(row.reference), row.activity_id, base_card(row))

    async def sweep_forever(self, every: float) -> None:
        """Close overdue rounds now and then (real time: this is a service loop, not a test seam)."""
        while True:
            await asyncio.sleep(every)
            try:
                await self.close_overdue()
            except Exception as error:
                log.error("closing overdue rounds failed: %s", type(error).__name__)


# --- Where a round's actions may come from ------------------------------------------------------------------------


def _reference(context: TurnContext) -> dict[str, Any]:
    reference = TurnContext.get_conversation_reference(context.activity)
    reference.activity_id = None
    serialized: dict[str, Any] = reference.serialize()
    return serialized


def _conversation_id(turn: Turn) -> str:
    conversation = turn.context.activity.conversation
    return conversation.id if conversation else ""


def _in_personal_chat(turn: Turn) -> bool:
    return not is_group(turn.context.activity)


async def _load_here(session: AsyncSession, turn: Turn, round_id: int, *, personal_for_starter: bool = False) -> Round:
    """The round, when the action comes from its own chat (a channel thread is a chat of its own). The starter's
    selection may also come from the starter's personal chat. Anything else is refused as if there were no such
    round, so that round ids tell nothing (issue 23)."""
    row = await rounds.load(session, round_id)
    if row.conversation_id == _conversation_id(turn):
        return row
    if (
        personal_for_starter
        and _in_personal_chat(turn)
        and (await rounds.policy_of(session, row, turn.actor)).is_starter
    ):
        return row
    log.warning("round %s: action by person %s from another chat refused", round_id, turn.actor.person_id)
    raise NotAllowed(Refusal.NOT_FOUND)


def _member_of(row: Round, teams_user_id: str) -> bool:
    """Whether the person was in the round's chat when it started (the roster Teams gave, up to 60 members)."""
    return teams_user_id in (row.roster or [])


REFUSALS = {
    Refusal.NOT_OPEN: texts.ROUND_CLOSED_REFUSED,
    Refusal.NOT_FOUND: texts.ROUND_NOT_FOUND,
    Refusal.BAD_TARGET: texts.ROUND_BAD_TARGET,
    Refusal.NOT_A_LEADER: texts.ROUND_NOT_A_LEADER,
    Refusal.TOO_MANY: texts.ROUND_TOO_MANY,
    Refusal.COLOUR_REQUIRED: texts.ROUND_STATUS_COLOUR_REQUIRED,
}


async def _refused(turn: Turn, refusal: NotAllowed, round_id: int | None) -> None:
    """A refused round action: on the person's own card when clicked, as a sentence when typed."""
    message = REFUSALS.get(refusal.reason, texts.REFUSED_GENERIC)
    if refusal.reason is Refusal.NOT_FOUND:
        await turn.answer.error(HTTPStatus.NOT_FOUND, "NotFound", message)
    elif turn.answer.door is Door.INVOKE and round_id is not None:
        await _personal(turn, round_id, notice=message)
    else:
        await turn.answer.text(message)


# --- `møde` and starting a round ------------------------------------------------------------------------------------

_LEADERS = frozenset({Role.LEDER, Role.CHEF})
# Words a typed start may end with: the round's settings (names are shown and proposals seen at once otherwise).
_ANONYMOUS, _HIDDEN = "anonym", "skjult"


def _start_fields(kind: EntryKind) -> Callable[[str], dict[str, Any] | None]:
    def fields(rest: str) -> dict[str, Any] | None:
        words = rest.split()
        show_names = _ANONYMOUS not in [fold(w) for w in words]
        hide = _HIDDEN in [fold(w) for w in words]
        words = [w for w in words if fold(w) not in (_ANONYMOUS, _HIDDEN)]
        base = {"show_names": show_names, "hide_until_close": hide}
        if kind is EntryKind.EKSEMPEL:
            niveau = Niveau.MEDARBEJDER
            if words and fold(words[-1]) in {fold(n.value) for n in Niveau}:
                niveau = Niveau(fold(words.pop()))
            tema = tema_named(" ".join(words)) if words else None
            if tema is None and not (len(words) == 1 and fold(words[0]) == payloads.ROUND_TARGET_ALL):
                return None
            value = tema.value if tema else payloads.ROUND_TARGET_ALL
            return {**base, "target": f"{kind.value}:{value}", "niveau": niveau.value}
        found = number_and_text(" ".join(words))
        if found is None or found[1]:
            return None
        return {**base, "target": f"{kind.value}:{found[0]}"}

    return fields


def _topic_fields(topic: RoundTopic) -> Callable[[str], dict[str, Any] | None]:
    """`møde plan a 6`, `møde status 6 anonym`: the indikator's number and the round's settings."""

    def fields(rest: str) -> dict[str, Any] | None:
        words = rest.split()
        folded = [fold(w) for w in words]
        base = {"show_names": _ANONYMOUS not in folded, "hide_until_close": _HIDDEN in folded}
        found = number_and_text(" ".join(w for w in words if fold(w) not in (_ANONYMOUS, _HIDDEN)))
        if found is None or found[1]:
            return None
        return {**base, "target": f"{topic.value}:{found[0]}"}

    return fields


START_TYPED = (
    Typed("møde tegn", _start_fields(EntryKind.TEGN), texts.TYPED_MOEDE_TEGN, Where.GROUP, _LEADERS),
    Typed(
        "møde prøvehandling",
        _start_fields(EntryKind.PROEVEHANDLING),
        texts.TYPED_MOEDE_PROEVEHANDLING,
        Where.GROUP,
        _LEADERS,
    ),
    Typed("møde læring", _start_fields(EntryKind.LAERING), texts.TYPED_MOEDE_LAERING, Where.GROUP, _LEADERS),
    Typed("møde eksempel", _start_fields(EntryKind.EKSEMPEL), texts.TYPED_MOEDE_EKSEMPEL, Where.GROUP, _LEADERS),
    Typed("møde plan a", _topic_fields(RoundTopic.PLAN_A), texts.TYPED_MOEDE_PLAN_A, Where.GROUP, _LEADERS),
    Typed("møde status", _topic_fields(RoundTopic.STATUS), texts.TYPED_MOEDE_STATUS, Where.GROUP, _LEADERS),
)


@ACTIONS.command(Command.MOEDE)
async def moede(turn: Turn, rest: str) -> None:
    """`@Styringsbot møde`: the set-up card for a leder (with the numbers for typing), the open round shown again,
    or a kind explanation. `møde` with words that are none of its forms gets the forms."""
    if _in_personal_chat(turn):
        await turn.answer.text(texts.ROUND_PERSONAL_CHAT)
        return
    if rest.strip():
        await turn.answer.text(texts.TYPED_WRONG_FORM.format(usage=texts.TYPED_MOEDE_FORMS))
        return
    context = turn.context
    try:
        async with turn.unit() as session:
            setup = await rounds.begin(
                session, actor=turn.actor, conversation_id=_conversation_id(turn), reference=_reference(context)
            )
            row = setup.round
            options = [] if setup.already_open else await rounds.target_options(session, turn.actor)
    except NotAllowed:
        await turn.answer.text(texts.ROUND_NOT_A_LEADER)
        return
    if setup.already_open:
        await _show_again(turn, row)
        return
    activity_id = await send_card(context, setup_card(round_id=row.id, options=options))
    async with turn.unit() as session:
        await repo.set_round_fields(session, row.id, setup_activity_id=activity_id)


async def _show_again(turn: Turn, row: Round) -> None:
    """The open round's shared card as a new message, which becomes the one the coalescer keeps up to date."""
    activity_id = await send_card(turn.context, base_card(row))
    async with turn.unit() as session:
        await rounds.set_activity(session, row.id, activity_id, reference=_reference(turn.context))


async def _roster(context: TurnContext) -> tuple[list[str], int]:
    """The chat's members as Teams user ids, for refresh.userIds (at most 60), and how many there are."""
    try:
        members = await TeamsInfo.get_members(context)
    except Exception as error:  # Teams may refuse (permissions); the card then works without userIds
        log.warning("could not read the chat's members: %s", type(error).__name__)
        return [], 0
    ids = [m.id for m in members if m.id]
    return ids[: rounds.REFRESH_MAX_USERS], len(ids)


async def _invalid(turn: Turn, invalid: payloads.InvalidInput) -> None:
    """Bad input on a round's card: the same card again with what was typed kept and a Danish message."""
    round_id = invalid.values.get("round_id")
    if not isinstance(round_id, int) or not 0 <= round_id <= payloads.MAX_DB_INT:
        await turn.answer.error(HTTPStatus.BAD_REQUEST, "BadRequest", next(iter(invalid.errors.values())))
        return
    verb = invalid.action
    errors = {
        ("proposal" if key in ("", "proposal") and verb == payloads.RoundAdd.tag() else key): message
        for key, message in invalid.errors.items()
    }
    try:
        await _personal(turn, round_id, values=invalid.values, errors=errors, notice=next(iter(errors.values()), None))
    except NotAllowed:
        await turn.answer.error(HTTPStatus.NOT_FOUND, "NotFound", texts.ROUND_NOT_FOUND)


@ACTIONS.action(payloads.RoundStart, typed=START_TYPED, execute=True, invalid=_invalid)
async def start_round(turn: Turn, payload: payloads.RoundStart) -> None:
    """»Start runden« on the set-up card, or typed (`møde tegn 3`), which sets the round up and starts it at once."""
    context = turn.context
    try:
        async with turn.unit() as session:
            if payload.round_id is None:
                setup = await rounds.begin(
                    session, actor=turn.actor, conversation_id=_conversation_id(turn), reference=_reference(context)
                )
                row = setup.round
                if setup.already_open:
                    await turn.answer.text(texts.ROUND_ALREADY_OPEN)
                    return
            else:
                row = await _load_here(session, turn, payload.round_id)
                if not (await rounds.policy_of(session, row, turn.actor)).is_starter:
                    await turn.answer.card(await _setup_view(session, row, turn.actor))
                    return
    except NotAllowed as refusal:
        await _refused(turn, refusal, payload.round_id)
        return
    if row.status is not RoundStatus.SETUP:
        await turn.answer.card(notice_card(texts.ROUND_SETUP_TITLE, texts.ROUND_STARTED))
        return
    roster, member_count = await _roster(context)
    try:
        async with turn.unit() as session:
            row, opened = await rounds.open_round(
                session,
                actor=turn.actor,
                round_id=row.id,
                target=payload.with_niveau(),
                show_names=payload.show_names,
                hide_until_close=payload.hide_until_close,
                roster=roster,
                member_count=member_count,
            )
    except NotAllowed as refusal:
        if refusal.reason is not Refusal.BAD_TARGET:
            raise
        async with turn.sessionmaker() as session:
            row = await rounds.load(session, row.id)
            values = {"target": "", "show_names": payload.show_names, "hide_until_close": payload.hide_until_close}
            card = await _setup_view(session, row, turn.actor, values=values, errors={"target": texts.ROUND_BAD_TARGET})
        if payload.round_id is None:
            # Typed with a number that is none of this leder's: the set-up card, with the numbers to choose from.
            await turn.answer.text(texts.ROUND_BAD_NUMBER)
            activity_id = await send_card(context, card)
            async with turn.unit() as session:
                await repo.set_round_fields(session, row.id, setup_activity_id=activity_id)
            return
        await turn.answer.card(card)
        return
    started = notice_card(texts.ROUND_SETUP_TITLE, texts.ROUND_STARTED)
    if opened:
        activity_id = await send_card(context, base_card(row))
        async with turn.unit() as session:
            await rounds.set_activity(session, row.id, activity_id)
        setup_id = context.activity.reply_to_id or row.setup_activity_id
        if setup_id:
            # The set-up card, for everyone else in the chat.
            update = Activity(type=ActivityTypes.message, id=setup_id, attachments=[to_attachment(started)])
            await _update_or_skip(context, update)
    if turn.answer.door is Door.INVOKE:
        await turn.answer.card(started)


async def _update_or_skip(context: TurnContext, update: Activity) -> bool:
    """Update a card in this chat; a card that is gone (deleted in Teams: 404) is no error."""
    try:
        await context.update_activity(update)
    except HttpOperationError as error:
        if getattr(error.response, "status_code", None) != 404:
            raise
        log.info("card %s is gone", escaped(update.id))
        return False
    return True


async def _setup_view(
    session: AsyncSession,
    row: Round,
    actor: Actor,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
) -> AdaptiveCard:
    if not (await rounds.policy_of(session, row, actor)).is_starter:
        log.info("round %s: set-up click by person %s refused (not the starter)", row.id, actor.person_id)
        return notice_card(
            texts.ROUND_SETUP_TITLE, texts.ROUND_SETUP_ONLY_STARTER.format(name=row.starter.display_name)
        )
    options = await rounds.target_options(session, actor)
    return setup_card(round_id=row.id, options=options, values=values, errors=errors)


# --- Proposals -------------------------------------------------------------------------------------------------------


async def _personal(
    turn: Turn,
    round_id: int,
    *,
    notice: str | None = None,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    asked_to_select: bool = False,
) -> None:
    """This person's view of the round, built from the database. `asked_to_select`: "Vælg forslag" was clicked;
    anyone but the one who selects is told who does."""
    async with turn.sessionmaker() as session:
        row = await _load_here(session, turn, round_id, personal_for_starter=True)
        if row.status is RoundStatus.SETUP:
            await turn.answer.card(await _setup_view(session, row, turn.actor, values=values, errors=errors))
            return
        if row.status is RoundStatus.CANCELLED:
            await turn.answer.card(notice_card(texts.ROUND_SETUP_TITLE, texts.ROUND_SETUP_REPLACED))
            return
        seen = await rounds.seen_by(session, row, turn.actor)
    if asked_to_select and not seen.policy.may_select and row.status is RoundStatus.CLOSED:
        notice = texts.ROUND_ONLY_STARTER.format(name=seen.view.starter_name)
    if _in_personal_chat(turn):
        # The starter's selection in the personal chat: Action.Submit only, and no refresh (a per-user view).
        if seen.policy.may_select:
            await turn.answer.card(selection_card(view=seen.view, notice=notice, values=values, errors=errors))
        else:
            await turn.answer.card(closed_card(view=seen.view, policy=seen.policy, notice=notice, refresh=False))
        return
    await turn.answer.card(round_card(view=seen.view, policy=seen.policy, notice=notice, values=values, errors=errors))


@ACTIONS.action(payloads.RoundShow, execute=True, invalid=_invalid)
async def show_round(turn: Turn, payload: payloads.RoundShow) -> None:
    """A refresh, »Vis mit kort«, or »Vælg forslag« on the closed round's shared card."""
    if payload.round_id is None:
        await turn.answer.error(HTTPStatus.NOT_FOUND, "NotFound", texts.ROUND_NOT_FOUND)
        return
    try:
        await _personal(turn, payload.round_id, asked_to_select=payload.select)
    except NotAllowed as refusal:
        await _refused(turn, refusal, None)


def _private_fields(rest: str) -> dict[str, Any] | None:
    return {"proposal": rest} if rest else None


@ACTIONS.action(
    payloads.RoundAdd,
    typed=(Typed("forslag", _private_fields, texts.TYPED_FORSLAG, Where.PERSONAL),),
    execute=True,
    invalid=_invalid,
)
async def add_proposal(turn: Turn, payload: payloads.RoundAdd) -> None:
    """»Tilføj« on the round's card; or, in the personal chat, `forslag <tekst>` (the private path for an
    anonymous or hidden round, from a phone) to the open round of a chat the person is in."""
    if payload.round_id is None:
        await _add_privately(turn, payload)
        return
    try:
        async with turn.sessionmaker() as session:
            row = await rounds.load(session, payload.round_id)
        here = row.conversation_id == _conversation_id(turn)
        teams_id = turn.context.activity.from_property.id if turn.context.activity.from_property else ""
        if not here and not (_in_personal_chat(turn) and _member_of(row, teams_id)):
            raise NotAllowed(Refusal.NOT_FOUND)
        changed = await _add(turn, row.id, payload.proposal, payload.tema, payload.colour)
    except NotAllowed as refusal:
        await _refused(turn, refusal, payload.round_id)
        return
    notice = _with_tip(texts.ROUND_ADDED if changed else texts.ROUND_ALREADY_ADDED, row, payload.proposal)
    if here:
        await _personal(turn, row.id, notice=notice)
    else:
        await turn.answer.card(
            notice_card(texts.ROUND_PRIVATE_TITLE, _with_tip(texts.ROUND_PRIVATE_ADDED, row, payload.proposal))
        )


def _with_tip(notice: str, row: Round, proposal: str) -> str:
    """The answer to the proposal's author, with the coaching it gets (their own view only, never the chat)."""
    tip = rounds.tip_for(row.kind, row.topic, proposal)
    return f"{notice} {texts.ROUND_TIP_FLAG.format(tip=texts.ROUND_TIPS[tip])}" if tip in texts.ROUND_TIPS else notice


_COLOURS = {fold(word): colour for colour in Colour for word in (colour.value, texts.COLOUR_LABELS[colour.value])}


def colour_prefix(text: str) -> tuple[Colour | None, str]:
    """»gul Vi taler mere sammen …« (or »Gul: …«, »rød, …«): a status answer's colour and its sentence."""
    head, _, rest = text.strip().partition(" ")
    colour = _COLOURS.get(fold(head.rstrip(":,.-")))
    if colour is None:
        return None, text.strip()
    return colour, rest.strip(" :,-")


async def _add(turn: Turn, round_id: int, text: str, tema: Tema | None, colour: Colour | None = None) -> bool:
    """One proposal, one unit of work; the shared card shows it at the coalescer's next update. In a status round
    a proposal's colour may be written first (`gul …`)."""
    updater = services(turn).rounds
    async with turn.unit() as session:
        topic = await repo.round_topic(session, round_id)
        if topic is RoundTopic.STATUS and colour is None:
            colour, text = colour_prefix(text)
            if not text:
                raise NotAllowed(Refusal.COLOUR_REQUIRED)
        changed = await rounds.add_proposal(
            session,
            actor=turn.actor,
            round_id=round_id,
            text=text,
            tema=tema,
            max_per_person=services(turn).settings.ROUND_MAX_PROPOSALS_PER_PERSON,
            colour=colour,
            topic=topic,
        )
        if changed:
            turn.after_commit(lambda: updater.poke(round_id))
    return changed


async def _add_privately(turn: Turn, payload: payloads.RoundAdd) -> None:
    teams_id = turn.context.activity.from_property.id if turn.context.activity.from_property else ""
    async with turn.sessionmaker() as session:
        candidates = [row for row in await repo.open_rounds(session) if _member_of(row, teams_id)]
    if not candidates:
        await turn.answer.text(texts.ROUND_PRIVATE_NONE)
        return
    if len(candidates) > 1:
        # Which round? One button each, carrying the proposal (the person need not type it again).
        choices = [(row.id, rounds.summary_of(row)) for row in candidates]
        await turn.answer.card(which_round_card(choices=choices, proposal=payload.proposal, tema=payload.tema))
        return
    try:
        changed = await _add(turn, candidates[0].id, payload.proposal, payload.tema, payload.colour)
    except NotAllowed as refusal:
        await _refused(turn, refusal, None)
        return
    answer = texts.ROUND_PRIVATE_ADDED if changed else texts.ROUND_ALREADY_ADDED
    await turn.answer.text(_with_tip(answer, candidates[0], payload.proposal))


def _remove_fields(rest: str) -> dict[str, Any] | None:
    found = number_and_text(rest)
    return {"number": found[0]} if found is not None and not found[1] and 1 <= found[0] <= 1000 else None


@ACTIONS.action(
    payloads.RoundRemove,
    typed=(Typed("fjern", _remove_fields, texts.TYPED_FJERN, Where.GROUP),),
    execute=True,
    invalid=_invalid,
)
async def remove_proposal(turn: Turn, payload: payloads.RoundRemove) -> None:
    """»Fjern« beside one's own proposal, or `fjern 2` (the person's second proposal, as their view numbers it)."""
    updater = services(turn).rounds
    try:
        async with turn.unit() as session:
            if payload.round_id is None:
                live = await repo.live_round(session, _conversation_id(turn))
                if live is None:
                    raise NotAllowed(Refusal.NOT_OPEN)
                row = live
                own = [p for p in row.proposals if p.author_id == turn.actor.person_id and not p.removed]
                if payload.number is None or payload.number > len(own):
                    await turn.answer.text(texts.ROUND_REMOVE_NO_SUCH.format(count=len(own)))
                    return
                proposal_id = own[payload.number - 1].id
            else:
                row = await _load_here(session, turn, payload.round_id)
                if payload.proposal_id is None:
                    raise NotAllowed(Refusal.NOT_FOUND)
                proposal_id = payload.proposal_id
            changed = await rounds.remove_proposal(session, actor=turn.actor, round_id=row.id, proposal_id=proposal_id)
            if changed:
                round_id = row.id
                turn.after_commit(lambda: updater.poke(round_id))
    except NotAllowed as refusal:
        await _refused(turn, refusal, payload.round_id)
        return
    if turn.answer.door is Door.INVOKE:
        await _personal(turn, row.id, notice=texts.ROUND_REMOVED if changed else None)
    else:
        await turn.answer.text(texts.ROUND_REMOVED if changed else texts.ROUND_REMOVE_NO_SUCH.format(count=0))


@ACTIONS.group_text
async def in_round_chat(turn: Turn, text: str, typed: TypedAction | None, command: Command | None) -> bool:
    """A message to the bot in a chat with an open round is a proposal, unless it is exactly one of the round's
    own forms (`møde`, `møde slut`, `fjern 2`, `hjælp`): a proposal that starts with a command word (»Tegn på …«,
    »Mine kolleger …«, »Godkend …«) is a proposal, never run as that command."""
    if not text:
        return False
    async with turn.sessionmaker() as session:
        live = await repo.live_round_status(session, _conversation_id(turn))
    if live is None or live[1] is not RoundStatus.OPEN:
        return False
    if typed is not None and typed.form.where is Where.GROUP:
        return False  # one of the round's own forms: the table serves it
    if fold(text) in (fold(Command.MOEDE.value), fold(Command.HELP.value), "hjalp", "help", "?"):
        return False
    round_id = live[0]
    tema, proposal = _tema_prefix(text)
    if len(proposal) > rounds.PROPOSAL_MAX:
        await turn.answer.text(texts.ERROR_TOO_LONG.format(limit=rounds.PROPOSAL_MAX))
        return True
    if not payloads.is_storable(proposal):
        await turn.answer.text(texts.ERROR_INVALID_CHARACTER)
        return True
    try:
        changed = await _add(turn, round_id, proposal, tema)
    except NotAllowed as refusal:
        await turn.answer.text(REFUSALS.get(refusal.reason, texts.REFUSED_GENERIC))
        return True
    if not changed:
        await turn.answer.text(texts.ROUND_ALREADY_ADDED)
        return True
    await _thank(turn, round_id, proposal)
    return True


def _tema_prefix(text: str) -> tuple[Tema | None, str]:
    """`mod: <forslag>` (each tema's name or its first word) sets the proposal's tema in a round on all four."""
    head, colon, rest = text.partition(":")
    if colon and rest.strip():
        tema = tema_named(head)
        if tema is not None:
            return tema, rest.strip()
    return None, text.strip()


async def _thank(turn: Turn, round_id: int, proposal: str) -> None:
    """The typed proposal's thank-you, gathered with others typed at the same moment (Teams' 7 messages a second).
    An anonymous or hidden round thanks by count only: the chat is public. A coaching tip goes to the author's
    personal chat, never in front of the whole chat."""
    updater = services(turn).rounds
    async with turn.sessionmaker() as session:
        row = await rounds.load(session, round_id)
        count, _people = await repo.round_counts(session, round_id)
        personal = await repo.personal_conversation_ref(session, turn.actor.person_id)
    tip = rounds.tip_for(row.kind, row.topic, proposal)
    if tip in texts.ROUND_TIPS and personal is not None:
        private = texts.ROUND_TIP_PRIVATE.format(proposal=proposal, tip=texts.ROUND_TIPS[tip])
        updater.spawn(updater.post(dict(personal.reference), plain(private)))
    if not row.show_names or row.hide_until_close:
        if updater.confirm_now(round_id, turn.actor.person_id, "", _reference(turn.context)):
            await turn.answer.text(texts.ROUND_TYPED_ADDED_ANONYMOUS.format(count=count))
        return
    first_name = (turn.actor.display_name or "").split(" ")[0]
    if updater.confirm_now(round_id, turn.actor.person_id, first_name, _reference(turn.context)):
        await turn.answer.text(texts.ROUND_TYPED_ADDED.format(name=first_name, count=count), literal=True)


# --- Closing and the selection ----------------------------------------------------------------------------------


def _close_fields(rest: str) -> dict[str, Any] | None:
    return {} if not rest else None


@ACTIONS.action(
    payloads.RoundClose,
    typed=(
        Typed("møde slut", _close_fields, texts.TYPED_MOEDE_SLUT, Where.GROUP, _LEADERS),
        Typed("møde afslut", _close_fields, texts.TYPED_MOEDE_SLUT, Where.GROUP, _LEADERS),
    ),
    execute=True,
    invalid=_invalid,
)
async def close_round(turn: Turn, payload: payloads.RoundClose) -> None:
    """»Afslut runden«, or `møde slut`: the summary in the chat, and the starter's selection in their personal chat."""
    try:
        async with turn.unit() as session:
            if payload.round_id is None:
                live = await repo.live_round(session, _conversation_id(turn))
                if live is None or live.status is not RoundStatus.OPEN:
                    await turn.answer.text(texts.ROUND_NO_OPEN_ROUND)
                    return
                round_id = live.id
            else:
                round_id = (await _load_here(session, turn, payload.round_id)).id
            row, closed = await rounds.close(session, actor=turn.actor, round_id=round_id)
    except NotAllowed as refusal:
        if refusal.reason is not Refusal.NOT_ALLOWED:
            await _refused(turn, refusal, payload.round_id)
            return
        async with turn.sessionmaker() as session:
            row = await rounds.load(session, round_id)
        log.info("round %s: close by person %s refused", round_id, turn.actor.person_id)
        notice = texts.ROUND_CLOSE_REFUSED.format(name=row.starter.display_name)
        if turn.answer.door is Door.INVOKE:
            await _personal(turn, round_id, notice=notice)
        else:
            await turn.answer.text(notice, literal=True)
        return
    if closed:
        await _announce_close_in_turn(turn.context, row)
        services(turn).rounds.spawn(services(turn).rounds.send_selection(row))
    if turn.answer.door is Door.INVOKE:
        await _personal(turn, row.id)


async def _announce_close_in_turn(context: TurnContext, row: Round) -> None:
    """The summary as a new message, and the shared card turned into it; a shared card that is gone (deleted in
    Teams) is posted afresh, so that »Vælg forslag« can still be reached."""
    await send_card(context, summary_card(view=rounds.summary_of(row)))
    if row.activity_id:
        update = Activity(type=ActivityTypes.message, id=row.activity_id, attachments=[to_attachment(base_card(row))])
        if not await _update_or_skip(context, update):
            await send_card(context, base_card(row))


def _send_fields(rest: str) -> dict[str, Any] | None:
    found = numbers(rest)
    return {"numbers": found} if found else None


def _forward_errors(chosen: dict[int, str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    for proposal_id, text in chosen.items():
        if not text:
            errors[f"text_{proposal_id}"] = texts.ERROR_REQUIRED
        elif len(text) > rounds.PROPOSAL_MAX:
            errors[f"text_{proposal_id}"] = texts.ERROR_TOO_LONG.format(limit=rounds.PROPOSAL_MAX)
        elif not payloads.is_storable(text):
            errors[f"text_{proposal_id}"] = texts.ERROR_INVALID_CHARACTER
    return errors


async def _round_to_forward(session: AsyncSession, turn: Turn, payload: payloads.RoundForward) -> Round:
    if payload.round_id is not None:
        return await _load_here(session, turn, payload.round_id, personal_for_starter=True)
    # Typed: the chat's last closed round, or (in the personal chat) the starter's.
    conversation = None if _in_personal_chat(turn) else _conversation_id(turn)
    row = await repo.last_closed_round(session, starter_id=turn.actor.person_id, conversation_id=conversation)
    if row is None:
        raise NotAllowed(Refusal.NOT_CLOSED)
    return row


@ACTIONS.action(
    payloads.RoundForward,
    typed=(Typed("møde send", _send_fields, texts.TYPED_MOEDE_SEND, Where.ANY, _LEADERS),),
    execute=True,
    invalid=_invalid,
)
async def forward(turn: Turn, payload: payloads.RoundForward) -> None:
    """»Send videre«, or `møde send 1,3,4`: the chosen proposals go on as entries (tegn and læring to the chef,
    eksempler to the indsamler), each in the wording the starter settled on."""
    notifier = services(turn).notifier
    try:
        async with turn.sessionmaker() as session:
            row = await _round_to_forward(session, turn, payload)
            may_select = (await rounds.policy_of(session, row, turn.actor)).is_starter
    except NotAllowed as refusal:
        message = texts.ROUND_NOTHING_TO_SEND if refusal.reason is Refusal.NOT_CLOSED else None
        if message:
            await turn.answer.text(message)
        else:
            await _refused(turn, refusal, payload.round_id)
        return
    if not may_select:
        log.info("round %s: forward by person %s refused (not the starter)", row.id, turn.actor.person_id)
        only = texts.ROUND_PLAN_A_ONLY_STARTER if row.topic is RoundTopic.PLAN_A else texts.ROUND_ONLY_STARTER
        await _answer_forward(turn, row.id, notice=only.format(name=row.starter.display_name))
        return
    if row.topic is RoundTopic.STATUS:
        # A status round sends nothing on: its starter records the unit's status (the card shows the form).
        await _answer_forward(
            turn, row.id, notice=texts.ROUND_STATUS_NO_ROUND if turn.answer.door is Door.TYPED else None
        )
        return
    live = [p for p in row.proposals if not p.removed]
    if payload.numbers:
        if max(payload.numbers) > len(live):
            await turn.answer.text(texts.ROUND_SEND_NO_SUCH.format(count=len(live)))
            return
        chosen = {live[n - 1].id: live[n - 1].text for n in payload.numbers}
    else:
        chosen = payload.chosen()
    temaer = payload.temaer()
    if row.status is RoundStatus.CLOSED:
        errors = _forward_errors(chosen)
        if row.kind is EntryKind.EKSEMPEL and row.tema is None:
            by_id = {p.id: p for p in live}
            errors |= {
                f"tema_{pid}": texts.ROUND_SELECT_TEMA_REQUIRED
                for pid in chosen
                if pid in by_id and by_id[pid].tema is None and pid not in temaer
            }
        if not chosen or errors:
            message = texts.ROUND_FORWARD_NONE if not chosen else next(iter(errors.values()))
            await _answer_forward(turn, row.id, notice=message, values=payload.typed(), errors=errors)
            return
    if row.topic is RoundTopic.PLAN_A:
        await _use_in_plan_a(turn, row, chosen)
        return
    date = danish.date(row.closed_at or clock.now())

    def comment(original: str, corrected: str | None) -> str:
        if not row.show_names:  # an anonymous round: neither the author nor their words are named
            return texts.ROUND_FORWARDED_COMMENT_ANONYMOUS.format(date=date)
        if corrected is None:
            return texts.ROUND_FORWARDED_COMMENT.format(date=date)
        return texts.ROUND_FORWARDED_COMMENT_EDITED.format(date=date, original=original)

    async with turn.unit() as session:
        forwarded = await rounds.forward(
            session, actor=turn.actor, round_id=row.id, chosen=chosen, comment=comment, temaer=temaer
        )
        turn.after_commit(lambda: notifier.schedule(forwarded.notification_ids))
    if turn.answer.door is Door.TYPED:
        await turn.answer.text(texts.ROUND_SENT_TYPED.format(count=len(forwarded.entries)))
        return
    await _answer_forward(turn, row.id)


async def _answer_forward(turn: Turn, round_id: int, **shown: Any) -> None:
    if turn.answer.door is Door.TYPED:
        notice = shown.get("notice")
        await turn.answer.text(notice or texts.ROUND_FORWARD_NONE, literal=True)
        return
    await _personal(turn, round_id, **shown)


# --- A round on the Plan A (issue 21): to the leder, never to the chef -------------------------------------------


async def _plan_a_card(turn: Turn, unit_id: int, number: int, notice: str) -> AdaptiveCard | None:
    """The indikator's card in the Plan A, with the proposals just worked in: where the leder writes them together."""
    async with turn.sessionmaker() as session:
        view = await plan_a.view(session, unit_id)
        tegn = await plan_a.approved_tegn(session, unit_id)
    item = next((i for i in view.indikatorer if i.number == number), None) if view else None
    if view is None or item is None:
        return None
    return edit_card(view=view, item=item, tegn=tegn, notice=notice)


async def _use_in_plan_a(turn: Turn, row: Round, chosen: dict[int, str]) -> None:
    """»Brug i Plan A«: the chosen proposals go into the indikator's difference (domain.rounds.use_in_plan_a), and
    the leder gets the indikator's card to write them together: here in the personal chat, or (clicked or typed in
    the group chat) in their personal chat, never in the group chat."""
    try:
        async with turn.unit() as session:
            used = await rounds.use_in_plan_a(session, actor=turn.actor, round_id=row.id, chosen=chosen)
    except EditRefused as refused:
        log.info("round %s: plan a refused for person %s: %s", row.id, turn.actor.person_id, refused.problem.value)
        await _answer_forward(turn, row.id, notice=texts.PLAN_A_PROBLEMS[refused.problem.value])
        return
    card = await _plan_a_card(turn, used.unit_id, used.number, texts.ROUND_PLAN_A_USED.format(number=used.number))
    if _in_personal_chat(turn) and card is not None:
        await turn.answer.card(card)
        return
    if card is not None and used.used:
        async with turn.sessionmaker() as session:
            personal = await repo.personal_conversation_ref(session, turn.actor.person_id)
        if personal is not None:
            updater = services(turn).rounds
            updater.spawn(services(turn).sender.send_card(dict(personal.reference), card))
    if turn.answer.door is Door.TYPED:
        await turn.answer.text(danish.fill(texts.ROUND_PLAN_A_USED_ELSEWHERE, count=used.used, number=used.number))
        return
    await _personal(turn, row.id)


def _status_fields(rest: str) -> dict[str, Any] | None:
    return {"status_text": rest} if rest.strip() else None


def _status_forms() -> tuple[Typed, ...]:
    return tuple(
        Typed(f"møde {word}", _status_fields, texts.TYPED_MOEDE_FARVE, Where.ANY, _LEADERS, {"colour": colour.value})
        for colour in Colour
        for word in (texts.COLOUR_LABELS[colour.value].lower(),)  # »grøn«; fold() reads »groen« as the same
    )


@ACTIONS.action(payloads.RoundStatusRecord, typed=_status_forms(), execute=True, invalid=_invalid)
async def record_status(turn: Turn, payload: payloads.RoundStatusRecord) -> None:
    """»Gem status« after a status round, or `møde gul Vi taler mere sammen …`: the unit's status on the round's
    indikator, kept in the Plan A's status history. Only the round's starter, the unit's leder, records it."""
    try:
        async with turn.sessionmaker() as session:
            if payload.round_id is not None:
                row = await _load_here(session, turn, payload.round_id, personal_for_starter=True)
            else:
                conversation = None if _in_personal_chat(turn) else _conversation_id(turn)
                found = await repo.last_closed_round(
                    session, starter_id=turn.actor.person_id, conversation_id=conversation, topic=RoundTopic.STATUS
                )
                if found is None:
                    await turn.answer.text(texts.ROUND_STATUS_NO_ROUND)
                    return
                row = found
    except NotAllowed as refusal:
        await _refused(turn, refusal, payload.round_id)
        return
    on = payload.recorded_on or clock.today()
    try:
        async with turn.unit() as session:
            done = await rounds.record_round_status(
                session, actor=turn.actor, round_id=row.id, colour=payload.colour, text=payload.status_text, on=on
            )
    except NotAllowed as refusal:
        log.info("round %s: status by person %s refused: %s", row.id, turn.actor.person_id, refusal.reason.value)
        if refusal.reason is Refusal.NOT_STARTER:
            notice = texts.ROUND_STATUS_ONLY_STARTER.format(name=row.starter.display_name)
        else:
            notice = REFUSALS.get(refusal.reason, texts.ROUND_STATUS_NO_ROUND)
        if refusal.reason is Refusal.NOT_STARTER and turn.answer.door is not Door.TYPED:
            await _personal(turn, row.id, notice=notice)
        else:
            await turn.answer.text(notice, literal=True)
        return
    except EditRefused as refused:
        log.info("round %s: status refused for person %s: %s", row.id, turn.actor.person_id, refused.problem.value)
        await turn.answer.text(texts.PLAN_A_PROBLEMS[refused.problem.value])
        return
    status = done.recorded.status
    notice = texts.ROUND_STATUS_RECORDED.format(
        number=status.number, colour=texts.COLOUR_LABELS[status.colour.value].lower(), date=danish.date(status.on)
    )
    if not done.recorded.created:
        notice = f"{texts.ROUND_STATUS_ALREADY} {notice}"
    if turn.answer.door is Door.INVOKE:
        await _personal(turn, row.id, notice=notice)
        return
    await turn.answer.text(notice)
