"""Approval cards in Teams: each viewer's own view of an entry, the decisions on it (clicked in the personal chat,
typed anywhere, or an Action.Execute from a card sent before the phone fix), and `godkend`, the inbox."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from botbuilder.core import TurnContext
from microsoft_teams.cards.core import AdaptiveCard
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from bot import eksempler
from bot.services import services
from cards import payloads, texts
from cards.approval import already_decided_notice, entry_card, owner_news_card
from cards.entry import TEXT_FIELD
from core.vocabulary import Action, NotificationKind, Role
from domain import approvals, corrections
from domain.actor import Actor
from domain.corrections import CORRECTABLE
from domain.policy import NotAllowed, Refusal
from domain.views import viewed
from domain.workflow import Result, decide_on, policy_of
from storage import repo
from storage.models import Entry, Notification
from turn.commands import Command
from turn.reply import Door
from turn.scope import Turn
from turn.table import ACTIONS, Typed, entry_number, number_and_text

log = logging.getLogger(__name__)

REFUSALS = {
    Refusal.NOT_YOUR_TURN: texts.REFUSED_NOT_YOUR_TURN,
    Refusal.NOT_PENDING: texts.REFUSED_NOT_PENDING,
    Refusal.NOT_OWNER: texts.REFUSED_NOT_OWNER,
    Refusal.NOT_SENT_BACK: texts.REFUSED_NOT_PENDING,
}


async def view_for(
    session: AsyncSession,
    entry: Entry,
    actor: Actor,
    *,
    notice: str | None = None,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
) -> AdaptiveCard:
    """The entry's card as this person should see it: what the entry policy lets them do, and nothing more."""
    seen = await viewed(session, entry, actor)
    return entry_card(view=seen.view, policy=seen.policy, notice=notice, values=values, errors=errors)


async def render_notification(
    session: AsyncSession,
    notification: Notification,
    recipient: repo.Recipient | None,
    *,
    entry: Entry | None = None,
) -> AdaptiveCard | None:
    """The card a notification delivers to its recipient; None when there is nothing left to say (the entry moved
    on, or the person is gone). `entry`: the notification's entry, when the caller has it loaded and current."""
    if entry is None or entry.id != notification.entry_id:
        entry = await repo.get_entry(session, notification.entry_id)
    if entry is None or recipient is None:
        return None
    if eksempler.is_news(notification):
        return await eksempler.render_news(session, entry, notification)
    actor = Actor(recipient.person_id, recipient.display_name, recipient.unit_id, recipient.roles)
    seen = await viewed(session, entry, actor)
    if notification.kind is NotificationKind.APPROVAL:
        if not seen.policy.is_my_turn:
            return None
        return entry_card(view=seen.view, policy=seen.policy)
    return owner_news_card(view=seen.view, policy=seen.policy)


# --- The actions: Refresh (automatic), Decide and Withdraw, typed or clicked ------------------------------------

_APPROVERS = frozenset({Role.LEDER, Role.CHEF, Role.INDSAMLER})


def _decision(words: str, action: Action, usage: str, *, comment: str, roles: frozenset[Role]) -> Typed:
    return Typed(words, entry_number(comment=comment), usage, roles=roles, fixed={"decision": action.value})


DECISIONS_TYPED = (
    _decision("anbefal", Action.RECOMMEND, texts.TYPED_ANBEFAL, comment="optional", roles=frozenset({Role.LEDER})),
    _decision("godkend", Action.APPROVE, texts.TYPED_GODKEND, comment="optional", roles=frozenset({Role.CHEF})),
    _decision("send tilbage", Action.SEND_BACK, texts.TYPED_SEND_TILBAGE, comment="required", roles=_APPROVERS),
    _decision("afvis", Action.REJECT, texts.TYPED_AFVIS, comment="required", roles=_APPROVERS),
    # Eksempler: the leder sends on in the unit's name, the indsamler receives (the same decisions, other words).
    _decision(
        "send videre", Action.RECOMMEND, texts.TYPED_SEND_VIDERE, comment="optional", roles=frozenset({Role.LEDER})
    ),
    _decision("modtag", Action.APPROVE, texts.TYPED_MODTAG, comment="optional", roles=frozenset({Role.INDSAMLER})),
)


async def _refused(turn: Turn, entry_id: int, refusal: str) -> None:
    log.warning("refused to show entry %s to person %s", entry_id, turn.actor.person_id)
    await turn.answer.error(HTTPStatus.FORBIDDEN, "Forbidden", refusal)


async def show_entry(
    turn: Turn,
    entry_id: int,
    *,
    notice: str | None = None,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
) -> None:
    """The entry's card for this person, in place of the one they clicked (or as a new message when typed)."""
    async with turn.sessionmaker() as session:
        entry = await repo.get_entry(session, entry_id)
        if entry is None:
            await turn.answer.error(HTTPStatus.NOT_FOUND, "NotFound", texts.ENTRY_NOT_FOUND)
            return
        if not (await policy_of(session, entry, turn.actor)).may_see:
            await _refused(turn, entry_id, texts.REFUSED_NOT_YOURS)
            return
        card = await view_for(session, entry, turn.actor, notice=notice, values=values, errors=errors)
    await turn.answer.card(card)


async def _invalid(turn: Turn, invalid: payloads.InvalidInput) -> None:
    """A comment that is too long: the card again with the comment kept."""
    entry_id = invalid.values.get("entry_id")
    if "comment" in invalid.errors and isinstance(entry_id, int) and 0 <= entry_id <= payloads.MAX_DB_INT:
        await show_entry(turn, entry_id, values=invalid.values, errors=invalid.errors)
        return
    await turn.answer.error(HTTPStatus.BAD_REQUEST, "BadRequest", next(iter(invalid.errors.values())))


@ACTIONS.action(payloads.Refresh, execute=True)
async def refresh(turn: Turn, payload: payloads.Refresh) -> None:
    await show_entry(turn, payload.entry_id)


@ACTIONS.action(payloads.Decide, typed=DECISIONS_TYPED, execute=True, invalid=_invalid)
async def decide(turn: Turn, payload: payloads.Decide) -> None:
    await _decide(turn, payload.entry_id, payload.decision, payload.version, payload.comment)


@ACTIONS.action(
    payloads.Withdraw, typed=(Typed("træk tilbage", entry_number(), texts.TYPED_TRAEK_TILBAGE),), execute=True
)
async def withdraw(turn: Turn, payload: payloads.Withdraw) -> None:
    await _decide(turn, payload.entry_id, Action.WITHDRAW, payload.version, "")


def _correction_fields(rest: str) -> dict[str, Any] | None:
    found = number_and_text(rest)
    return {"entry_id": found[0], "wording": found[1]} if found is not None and found[1] else None


@ACTIONS.action(
    payloads.CorrectApprove,
    typed=(Typed("ret og godkend", _correction_fields, texts.TYPED_RET_OG_GODKEND, roles=frozenset({Role.CHEF})),),
    invalid=_invalid,
)
async def correct_and_approve(turn: Turn, payload: payloads.CorrectApprove) -> None:
    """»Ret og godkend« (or `ret og godkend 12 <ny ordlyd>`): approved with the wording corrected."""
    await _decide(turn, payload.entry_id, Action.APPROVE, payload.version, payload.comment, wording=payload.wording)


def _typed_repeat(entry: Entry, actor: Actor, action: Action) -> bool:
    """A typed decision that is already the entry's last one by this person (Teams re-sends a slow message)."""
    last = entry.decisions[-1] if entry.decisions else None
    return last is not None and last.actor_id == actor.person_id and last.action is action


async def _decide(
    turn: Turn, entry_id: int, action: Action, version: int | None, comment: str, *, wording: str | None = None
) -> None:
    """One decision, one unit of work; the next approver's card and the owner's news after the commit. `wording`:
    the chef's correction of the entry's text, approved with it (domain.corrections)."""
    notifier = services(turn).notifier
    async with turn.unit() as session:
        entry = await repo.get_entry(session, entry_id)
        if entry is None:
            await turn.answer.error(HTTPStatus.NOT_FOUND, "NotFound", texts.ENTRY_NOT_FOUND)
            return
        if not (await policy_of(session, entry, turn.actor)).may_see:
            log.warning("refused %s on entry %s by person %s: no access", action.value, entry.id, turn.actor.person_id)
            await turn.answer.error(HTTPStatus.FORBIDDEN, "Forbidden", texts.REFUSED_NOT_YOURS)
            return
        if version is None and _typed_repeat(entry, turn.actor, action):
            await turn.answer.card(await view_for(session, entry, turn.actor))
            return
        seen = entry.version if version is None else version
        try:
            if wording is not None and entry.kind in CORRECTABLE:
                corrected = CORRECTABLE[entry.kind].model_validate({**entry.data, TEXT_FIELD[entry.kind]: wording})
                decided = await corrections.correct_and_approve(
                    session,
                    actor=turn.actor,
                    entry_id=entry_id,
                    seen_version=seen,
                    corrected=corrected,
                    comment=comment,
                )
            else:
                decided = await decide_on(
                    session,
                    actor=turn.actor,
                    entry_id=entry_id,
                    action=action,
                    seen_version=seen,
                    comment=comment,
                    loaded=entry,
                )
        except ValidationError:
            message = texts.ERROR_TOO_LONG_OR_EMPTY
            card = await view_for(session, entry, turn.actor, values={"wording": wording}, errors={"wording": message})
            await turn.answer.card(card)
            return
        except NotAllowed as refusal:
            if refusal.reason is Refusal.COMMENT_REQUIRED:
                message = texts.APPROVAL_COMMENT_REQUIRED.format(owner=entry.owner.display_name)
                card = await view_for(
                    session, entry, turn.actor, values={"comment": comment}, errors={"comment": message}
                )
            else:
                card = await view_for(
                    session, entry, turn.actor, notice=REFUSALS.get(refusal.reason, texts.REFUSED_GENERIC)
                )
            await turn.answer.card(card)
            return
        notice = None
        notification_ids: list[int] = []
        if decided.result is Result.ALREADY_DECIDED:
            last = (await viewed(session, decided.entry, turn.actor)).view.decisions[-1]
            notice = already_decided_notice(last)
        elif decided.result is Result.NEW:
            notification_ids = await approvals.notify_after(session, decided.entry, actor_id=turn.actor.person_id)
        prepared = await notifier.prepare(session, notification_ids, decided.entry)
        card = await view_for(session, decided.entry, turn.actor, notice=notice)
        # After the commit: the next approver's card and the owner's news, in the background.
        turn.after_commit(lambda: notifier.schedule(notification_ids, prepared))
    context = turn.context
    if decided.result is Result.NEW and turn.answer.door is Door.INVOKE and context.activity.reply_to_id:
        # An invoke's answer shows only to the one who clicked: the message itself is updated for later.
        reference = TurnContext.get_conversation_reference(context.activity).serialize()
        notifier.schedule_update(reference, str(context.activity.reply_to_id), card)
    await turn.answer.card(card)


# --- `godkend`: the inbox --------------------------------------------------------------------------------------

INBOX_PAGE = 10


@ACTIONS.command(Command.GODKEND)
async def inbox(turn: Turn, rest: str) -> None:
    """What waits for the person, oldest first, each as an approval card to act on directly (or by its number)."""
    async with turn.sessionmaker() as session:
        count, first = await approvals.inbox_page(session, turn.actor, INBOX_PAGE)
        cards = [await view_for(session, entry, turn.actor) for entry in first]
    if not count:
        await turn.answer.text(texts.INBOX_EMPTY)
        return
    await turn.answer.text(texts.INBOX_COUNT.format(count=count))
    for adaptive_card in cards:
        await turn.answer.card(adaptive_card, new_message=True)
    if count > INBOX_PAGE:
        await turn.answer.text(texts.INBOX_MORE.format(count=count - INBOX_PAGE))
    await turn.answer.text(texts.INBOX_TYPED_FORMS)
