"""Approval cards in Teams: each viewer's own view of an entry, and the Action.Execute verbs acting on it."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from botbuilder.core import CardFactory, InvokeResponse, TurnContext
from microsoft_teams.cards.core import AdaptiveCard
from sqlalchemy.ext.asyncio import AsyncSession

from bot import eksempler
from bot.notifier import Notifier
from bot.platform.errors import invoke_error
from cards import payloads, texts
from cards.approval import already_decided_notice, entry_card, owner_news_card
from cards.base import card_json
from domain import approvals
from domain.actor import Actor
from domain.logsafe import escaped
from domain.policy import NotAllowed, Refusal
from domain.views import viewed
from domain.vocabulary import Action, NotificationKind
from domain.workflow import Result, decide_on, policy_of
from storage import repo
from storage.models import Entry, Notification
from turn.scope import TurnScope

log = logging.getLogger(__name__)

REFUSALS = {
    Refusal.NOT_YOUR_TURN: texts.REFUSED_NOT_YOUR_TURN,
    Refusal.NOT_PENDING: texts.REFUSED_NOT_PENDING,
    Refusal.NOT_OWNER: texts.REFUSED_NOT_OWNER,
    Refusal.NOT_SENT_BACK: texts.REFUSED_NOT_PENDING,
}


def card_response(adaptive_card: AdaptiveCard) -> InvokeResponse:
    """The body Teams expects for an Action.Execute answered with a card, built as a plain dict.

    botbuilder's AdaptiveCardInvokeResponse model fails to serialize in 4.17.1 when value is a string,
    so all invoke bodies are plain dicts (see bot/platform/errors.py).
    """
    body = {
        "statusCode": int(HTTPStatus.OK),
        "type": CardFactory.content_types.adaptive_card,
        "value": card_json(adaptive_card),
    }
    return InvokeResponse(status=int(HTTPStatus.OK), body=body)


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


async def handle_execute(context: TurnContext, notifier: Notifier) -> InvokeResponse:
    """Answer an adaptiveCard/action invoke within Teams' 5 seconds; notifications go to the background."""
    scope = TurnScope.of(context)
    value = context.activity.value if isinstance(context.activity.value, dict) else {}
    action = value.get("action") if isinstance(value.get("action"), dict) else {}
    verb = action.get("verb") if isinstance(action, dict) else None
    data = action.get("data") if isinstance(action, dict) else None
    log.info("card invoke verb=%s trigger=%s", escaped(verb), escaped(value.get("trigger")))
    try:
        payload = payloads.parse_execute(verb, data)
    except payloads.InvalidInput as invalid:
        entry_id = data.get("entry_id") if isinstance(data, dict) else None
        if "comment" in invalid.errors and isinstance(entry_id, int) and 0 <= entry_id <= payloads.MAX_DB_INT:
            return await _respond(scope, entry_id, values=invalid.values, errors=invalid.errors)
        return invoke_error(HTTPStatus.BAD_REQUEST, "BadRequest", texts.ERROR_GENERIC)
    if isinstance(payload, payloads.Refresh):
        return await _respond(scope, payload.entry_id)
    if isinstance(payload, payloads.Decide | payloads.Withdraw):
        return await _decide(context, scope, notifier, payload)
    return invoke_error(HTTPStatus.BAD_REQUEST, "BadRequest", texts.ERROR_GENERIC)


async def _respond(
    scope: TurnScope,
    entry_id: int,
    *,
    notice: str | None = None,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
) -> InvokeResponse:
    async with scope.sessionmaker() as session:
        entry = await repo.get_entry(session, entry_id)
        if entry is None:
            return invoke_error(HTTPStatus.NOT_FOUND, "NotFound", texts.ENTRY_NOT_FOUND)
        if not (await policy_of(session, entry, scope.actor)).may_see:
            log.warning("refused to show entry %s to person %s", entry_id, scope.actor.person_id)
            return invoke_error(HTTPStatus.FORBIDDEN, "Forbidden", texts.REFUSED_NOT_YOURS)
        return card_response(await view_for(session, entry, scope.actor, notice=notice, values=values, errors=errors))


async def _decide(
    context: TurnContext, scope: TurnScope, notifier: Notifier, payload: payloads.Decide | payloads.Withdraw
) -> InvokeResponse:
    action = payload.decision if isinstance(payload, payloads.Decide) else Action.WITHDRAW
    comment = payload.comment if isinstance(payload, payloads.Decide) else ""
    async with scope.sessionmaker.begin() as session:
        entry = await repo.get_entry(session, payload.entry_id)
        if entry is None:
            return invoke_error(HTTPStatus.NOT_FOUND, "NotFound", texts.ENTRY_NOT_FOUND)
        if not (await policy_of(session, entry, scope.actor)).may_see:
            log.warning("refused %s on entry %s by person %s: no access", action.value, entry.id, scope.actor.person_id)
            return invoke_error(HTTPStatus.FORBIDDEN, "Forbidden", texts.REFUSED_NOT_YOURS)
        try:
            decided = await decide_on(
                session,
                actor=scope.actor,
                entry_id=payload.entry_id,
                action=action,
                seen_version=payload.version,
                comment=comment,
                loaded=entry,
            )
        except NotAllowed as refusal:
            if refusal.reason is Refusal.COMMENT_REQUIRED:
                message = texts.APPROVAL_COMMENT_REQUIRED.format(owner=entry.owner.display_name)
                card = await view_for(
                    session, entry, scope.actor, values={"comment": comment}, errors={"comment": message}
                )
            else:
                card = await view_for(
                    session, entry, scope.actor, notice=REFUSALS.get(refusal.reason, texts.REFUSED_GENERIC)
                )
            return card_response(card)
        notice = None
        notification_ids: list[int] = []
        if decided.result is Result.ALREADY_DECIDED:
            last = (await viewed(session, decided.entry, scope.actor)).view.decisions[-1]
            notice = already_decided_notice(last)
        elif decided.result is Result.NEW:
            notification_ids = await approvals.notify_after(session, decided.entry, actor_id=scope.actor.person_id)
        prepared = await notifier.prepare(session, notification_ids, decided.entry)
        card = await view_for(session, decided.entry, scope.actor, notice=notice)
    # After the commit: the next approver's card and the owner's news, in the background.
    notifier.schedule(notification_ids, prepared)
    if decided.result is Result.NEW and context.activity.reply_to_id:
        reference = TurnContext.get_conversation_reference(context.activity).serialize()
        notifier.schedule_update(reference, str(context.activity.reply_to_id), card)
    return card_response(card)
