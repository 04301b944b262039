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
from collections.abc import Awaitable
from http import HTTPStatus
from typing import Any

from botbuilder.core import InvokeResponse, MessageFactory, TurnContext
from botbuilder.core.teams import TeamsInfo
from botbuilder.schema import Activity, ActivityTypes
from microsoft_teams.cards.core import AdaptiveCard
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.adapter import invoke_error
from bot.approvals import card_response
from bot.notifier import Notifier
from bot.proactive import Background, ProactiveSender
from cards import danish, payloads, texts
from cards.round import closed_card, notice_card, round_card, setup_card, summary_card
from domain import clock, rounds
from domain.actor import Actor
from domain.rounds import RoundRefusal, RoundRefused
from domain.vocabulary import RoundStatus
from storage import repo
from storage.models import Round
from turn.messaging import is_group, plain, send_card, to_attachment
from turn.scope import TurnScope

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
            if starter_reference is not None:
                hours = round(self.max_open.total_seconds() / 3600)
                await self.post(
                    starter_reference, MessageFactory.text(danish.fill(texts.ROUND_AUTO_CLOSED, hours=hours))
                )
        return closed

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


# --- `møde` -------------------------------------------------------------------------------------------------------


def _reference(context: TurnContext) -> dict[str, Any]:
    reference = TurnContext.get_conversation_reference(context.activity)
    reference.activity_id = None
    serialized: dict[str, Any] = reference.serialize()
    return serialized


async def start(context: TurnContext, updater: RoundUpdater, *, rest: str) -> None:
    """`@Styringsbot møde` (and `møde slut`): the set-up card for a leder, the open round shown again, or a kind
    explanation."""
    if not is_group(context.activity):
        await context.send_activity(MessageFactory.text(texts.ROUND_PERSONAL_CHAT))
        return
    if rest.strip().lower() in ("slut", "afslut", "luk"):
        await close_typed(context, updater)
        return
    scope = TurnScope.of(context)
    conversation_id = context.activity.conversation.id
    try:
        async with scope.sessionmaker.begin() as session:
            setup = await rounds.begin(
                session, actor=scope.actor, conversation_id=conversation_id, reference=_reference(context)
            )
            row = setup.round
            options = [] if setup.already_open else await rounds.target_options(session, scope.actor)
    except RoundRefused:
        await context.send_activity(MessageFactory.text(texts.ROUND_NOT_A_LEADER))
        return
    if setup.already_open:
        # Shown again, with the count: the new message becomes the one the coalescer keeps up to date.
        activity_id = await send_card(context, base_card(row))
        async with scope.sessionmaker.begin() as session:
            await rounds.set_activity(session, row.id, activity_id, reference=_reference(context))
        return
    activity_id = await send_card(context, setup_card(round_id=row.id, options=options))
    async with scope.sessionmaker.begin() as session:
        await repo.set_round_fields(session, row.id, setup_activity_id=activity_id)


async def _roster(context: TurnContext) -> tuple[list[str], int]:
    """The chat's members as Teams user ids, for refresh.userIds (at most 60), and how many there are."""
    try:
        members = await TeamsInfo.get_members(context)
    except Exception as error:  # Teams may refuse (permissions); the card then works without userIds
        log.warning("could not read the chat's members: %s", type(error).__name__)
        return [], 0
    ids = [m.id for m in members if m.id]
    return ids[: rounds.REFRESH_MAX_USERS], len(ids)


async def close_typed(context: TurnContext, updater: RoundUpdater) -> None:
    scope = TurnScope.of(context)
    async with scope.sessionmaker() as session:
        live = await repo.live_round(session, context.activity.conversation.id)
    if live is None or live.status is not RoundStatus.OPEN:
        await context.send_activity(MessageFactory.text(texts.ROUND_NO_OPEN_ROUND))
        return
    try:
        row, closed = await _close(scope, live.id)
    except RoundRefused:
        await context.send_activity(plain(texts.ROUND_CLOSE_REFUSED.format(name=live.starter.display_name)))
        return
    if closed:
        await _announce_close_in_turn(context, row)


async def typed(context: TurnContext, updater: RoundUpdater, text: str) -> bool:
    """A message that is no command, in a chat with an open round: the sender's proposal. True if taken."""
    if not is_group(context.activity) or not text:
        return False
    scope = TurnScope.of(context)
    async with scope.sessionmaker() as session:
        live = await repo.live_round_status(session, context.activity.conversation.id)
    if live is None or live[1] is not RoundStatus.OPEN:
        return False
    round_id = live[0]
    if len(text) > rounds.PROPOSAL_MAX:
        await context.send_activity(MessageFactory.text(texts.ERROR_TOO_LONG.format(limit=rounds.PROPOSAL_MAX)))
        return True
    try:
        async with scope.sessionmaker.begin() as session:
            changed = await rounds.add_proposal(session, actor=scope.actor, round_id=round_id, text=text, tema=None)
            count, _people = await repo.round_counts(session, round_id)
    except RoundRefused:
        await context.send_activity(MessageFactory.text(texts.ROUND_CLOSED_REFUSED))
        return True
    if not changed:
        await context.send_activity(MessageFactory.text(texts.ROUND_ALREADY_ADDED))
        return True
    updater.poke(round_id)
    first_name = (scope.actor.display_name or "").split(" ")[0]
    if updater.confirm_now(round_id, scope.actor.person_id, first_name, _reference(context)):
        await context.send_activity(plain(texts.ROUND_TYPED_ADDED.format(name=first_name, count=count)))
    return True


# --- The card's verbs (Action.Execute) --------------------------------------------------------------------------

REFUSALS = {
    RoundRefusal.NOT_OPEN: texts.ROUND_CLOSED_REFUSED,
    RoundRefusal.NOT_FOUND: texts.ROUND_NOT_FOUND,
    RoundRefusal.BAD_TARGET: texts.ROUND_BAD_TARGET,
}


def is_round_verb(verb: object) -> bool:
    return isinstance(verb, str) and verb in payloads.ROUND_VERBS


async def handle_execute(
    context: TurnContext, updater: RoundUpdater, notifier: Notifier, verb: str, data: Any
) -> InvokeResponse:
    scope = TurnScope.of(context)
    try:
        payload = payloads.parse_execute(verb, data)
    except payloads.InvalidInput as invalid:
        round_id = data.get("round_id") if isinstance(data, dict) else None
        if isinstance(round_id, int):
            return await _invalid(scope, verb, round_id, invalid)
        return invoke_error(HTTPStatus.BAD_REQUEST, "BadRequest", texts.ERROR_GENERIC)
    try:
        if isinstance(payload, payloads.RoundStart):
            return await _start(context, scope, payload)
        if isinstance(payload, payloads.RoundAdd):
            return await _add(scope, updater, payload)
        if isinstance(payload, payloads.RoundRemove):
            return await _remove(scope, updater, payload)
        if isinstance(payload, payloads.RoundClose):
            return await _close_clicked(context, scope, payload)
        if isinstance(payload, payloads.RoundForward):
            return await _forward(scope, notifier, payload)
        if isinstance(payload, payloads.RoundShow):
            return await _personal(scope, payload.round_id, asked_to_select=payload.select)
    except RoundRefused as refused:
        if refused.reason is RoundRefusal.NOT_FOUND:
            return invoke_error(HTTPStatus.NOT_FOUND, "NotFound", texts.ROUND_NOT_FOUND)
        assert isinstance(payload, payloads.RoundPayload)
        return await _personal(scope, payload.round_id, notice=REFUSALS.get(refused.reason, texts.REFUSED_GENERIC))
    return invoke_error(HTTPStatus.BAD_REQUEST, "BadRequest", texts.ERROR_GENERIC)


async def _personal(
    scope: TurnScope,
    round_id: int,
    *,
    notice: str | None = None,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    asked_to_select: bool = False,
) -> InvokeResponse:
    """This person's view of the round, built from the database. `asked_to_select`: "Vælg forslag" was clicked;
    anyone but the one who selects is told who does."""
    async with scope.sessionmaker() as session:
        row = await rounds.load(session, round_id)
        if row.status is RoundStatus.SETUP:
            return card_response(await _setup_view(session, row, scope.actor, values=values, errors=errors))
        if row.status is RoundStatus.CANCELLED:
            return card_response(notice_card(texts.ROUND_SETUP_TITLE, texts.ROUND_SETUP_REPLACED))
        seen = await rounds.seen_by(session, row, scope.actor)
    if asked_to_select and not seen.policy.may_select and row.status is RoundStatus.CLOSED:
        notice = texts.ROUND_ONLY_STARTER.format(name=seen.view.starter_name)
    return card_response(round_card(view=seen.view, policy=seen.policy, notice=notice, values=values, errors=errors))


async def _setup_view(
    session: AsyncSession,
    row: Round,
    actor: Actor,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
) -> AdaptiveCard:
    if row.starter_id != actor.person_id:
        log.info("round %s: set-up click by person %s refused (not the starter)", row.id, actor.person_id)
        return notice_card(
            texts.ROUND_SETUP_TITLE, texts.ROUND_SETUP_ONLY_STARTER.format(name=row.starter.display_name)
        )
    options = await rounds.target_options(session, actor)
    return setup_card(round_id=row.id, options=options, values=values, errors=errors)


async def _invalid(scope: TurnScope, verb: str, round_id: int, invalid: payloads.InvalidInput) -> InvokeResponse:
    """Bad input: the same card again with what was typed kept and a Danish message."""
    errors = {
        ("proposal" if key in ("", "proposal") and verb == "round_add" else key): message
        for key, message in invalid.errors.items()
    }
    try:
        return await _personal(
            scope, round_id, values=invalid.values, errors=errors, notice=next(iter(errors.values()), None)
        )
    except RoundRefused:
        return invoke_error(HTTPStatus.NOT_FOUND, "NotFound", texts.ROUND_NOT_FOUND)


async def _start(context: TurnContext, scope: TurnScope, payload: payloads.RoundStart) -> InvokeResponse:
    async with scope.sessionmaker() as session:
        row = await rounds.load(session, payload.round_id)
        if row.starter_id != scope.actor.person_id:
            return card_response(await _setup_view(session, row, scope.actor))
    if row.status is not RoundStatus.SETUP:
        return card_response(notice_card(texts.ROUND_SETUP_TITLE, texts.ROUND_STARTED))
    roster, member_count = await _roster(context)
    try:
        async with scope.sessionmaker.begin() as session:
            row, opened = await rounds.open_round(
                session,
                actor=scope.actor,
                round_id=payload.round_id,
                target=payload.with_niveau(),
                show_names=payload.show_names,
                hide_until_close=payload.hide_until_close,
                roster=roster,
                member_count=member_count,
            )
    except RoundRefused as refused:
        if refused.reason is not RoundRefusal.BAD_TARGET:
            raise
        async with scope.sessionmaker() as session:
            row = await rounds.load(session, payload.round_id)
            values = {"target": "", "show_names": payload.show_names, "hide_until_close": payload.hide_until_close}
            card = await _setup_view(
                session, row, scope.actor, values=values, errors={"target": texts.ROUND_BAD_TARGET}
            )
        return card_response(card)
    started = notice_card(texts.ROUND_SETUP_TITLE, texts.ROUND_STARTED)
    if opened:
        activity_id = await send_card(context, base_card(row))
        async with scope.sessionmaker.begin() as session:
            await rounds.set_activity(session, row.id, activity_id)
        if context.activity.reply_to_id:
            # The set-up card, for everyone else in the chat.
            update = Activity(
                type=ActivityTypes.message, id=context.activity.reply_to_id, attachments=[to_attachment(started)]
            )
            await context.update_activity(update)
    return card_response(started)


async def _add(scope: TurnScope, updater: RoundUpdater, payload: payloads.RoundAdd) -> InvokeResponse:
    """One small unit of work; the person's own card comes back at once, the shared card later."""
    async with scope.sessionmaker.begin() as session:
        changed = await rounds.add_proposal(
            session, actor=scope.actor, round_id=payload.round_id, text=payload.proposal, tema=payload.tema
        )
    if changed:
        updater.poke(payload.round_id)
    return await _personal(scope, payload.round_id, notice=texts.ROUND_ADDED if changed else texts.ROUND_ALREADY_ADDED)


async def _remove(scope: TurnScope, updater: RoundUpdater, payload: payloads.RoundRemove) -> InvokeResponse:
    async with scope.sessionmaker.begin() as session:
        changed = await rounds.remove_proposal(
            session, actor=scope.actor, round_id=payload.round_id, proposal_id=payload.proposal_id
        )
    if changed:
        updater.poke(payload.round_id)
    return await _personal(scope, payload.round_id, notice=texts.ROUND_REMOVED if changed else None)


async def _close(scope: TurnScope, round_id: int) -> tuple[Round, bool]:
    async with scope.sessionmaker.begin() as session:
        return await rounds.close(session, actor=scope.actor, round_id=round_id)


async def _announce_close_in_turn(context: TurnContext, row: Round) -> None:
    """The summary as a new message, and the shared card turned into it: two operations, in this turn."""
    await send_card(context, summary_card(view=rounds.summary_of(row)))
    if row.activity_id:
        update = Activity(type=ActivityTypes.message, id=row.activity_id, attachments=[to_attachment(base_card(row))])
        await context.update_activity(update)


async def _close_clicked(context: TurnContext, scope: TurnScope, payload: payloads.RoundClose) -> InvokeResponse:
    try:
        row, closed = await _close(scope, payload.round_id)
    except RoundRefused as refused:
        if refused.reason is not RoundRefusal.NOT_ALLOWED:
            raise
        async with scope.sessionmaker() as session:
            row = await rounds.load(session, payload.round_id)
        notice = texts.ROUND_CLOSE_REFUSED.format(name=row.starter.display_name)
        log.info("round %s: close by person %s refused", payload.round_id, scope.actor.person_id)
        return await _personal(scope, payload.round_id, notice=notice)
    if closed:
        await _announce_close_in_turn(context, row)
    return await _personal(scope, payload.round_id)


def _forward_errors(chosen: dict[int, str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    for proposal_id, text in chosen.items():
        if not text:
            errors[f"text_{proposal_id}"] = texts.ERROR_REQUIRED
        elif len(text) > rounds.PROPOSAL_MAX:
            errors[f"text_{proposal_id}"] = texts.ERROR_TOO_LONG.format(limit=rounds.PROPOSAL_MAX)
    return errors


async def _forward(scope: TurnScope, notifier: Notifier, payload: payloads.RoundForward) -> InvokeResponse:
    chosen = payload.chosen()
    async with scope.sessionmaker() as session:
        row = await rounds.load(session, payload.round_id)
    if row.starter_id != scope.actor.person_id:
        log.info("round %s: forward by person %s refused (not the starter)", row.id, scope.actor.person_id)
        return await _personal(scope, row.id, notice=texts.ROUND_ONLY_STARTER.format(name=row.starter.display_name))
    if row.status is RoundStatus.CLOSED:
        errors = _forward_errors(chosen)
        if not chosen or errors:
            message = texts.ROUND_FORWARD_NONE if not chosen else next(iter(errors.values()))
            return await _personal(scope, row.id, notice=message, values=payload.typed(), errors=errors)
    date = danish.date(row.closed_at or clock.now())

    def comment(original: str, corrected: str | None) -> str:
        if corrected is None:
            return texts.ROUND_FORWARDED_COMMENT.format(date=date)
        return texts.ROUND_FORWARDED_COMMENT_EDITED.format(date=date, original=original)

    async with scope.sessionmaker.begin() as session:
        forwarded = await rounds.forward(
            session, actor=scope.actor, round_id=payload.round_id, chosen=chosen, comment=comment
        )
    notifier.schedule(forwarded.notification_ids)
    return await _personal(scope, payload.round_id)
