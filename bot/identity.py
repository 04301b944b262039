"""Who sent an activity, in the domain's terms, and how to reach their conversation later."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.platform.wire import json_default, model_json
from cards.payloads import storable
from core.vocabulary import ConversationType
from domain import approvals
from domain.actor import Actor
from domain.logsafe import escaped
from domain.people import identify
from storage import repo
from storage.bot_state import storage_key

log = logging.getLogger(__name__)


def _aad_object_id(context: TurnContext) -> str:
    sender = context.activity.from_property
    return (sender.aad_object_id if sender else None) or (sender.id if sender else None) or "unknown"


async def member_email(context: TurnContext, sessionmaker: async_sessionmaker[AsyncSession]) -> str | None:
    """The sender's e-mail/UPN from Teams, asked only when we do not know them yet.

    A network call: run it before the turn's unit of work, never inside one (on SQLite a unit of work holds the
    process's write lock, and everyone else's writes would wait for Teams).
    """
    sender = context.activity.from_property
    if sender is None or not sender.id:
        return None
    async with sessionmaker() as session:
        if await repo.person_by_aad(session, _aad_object_id(context)) is not None:
            return None
    try:
        member = await TeamsInfo.get_member(context, sender.id)
    except Exception as error:  # Teams may refuse (guest users, bot not in the chat): carry on without
        log.warning("could not look up member %s: %s", escaped(_aad_object_id(context)), type(error).__name__)
        return None
    email = member.email or member.user_principal_name
    return email if isinstance(email, str) else None


async def resolve(context: TurnContext, session: AsyncSession, *, email: str | None) -> Actor:
    """The sender as a person in the organisation; `email` is member_email's answer, asked before the unit of work."""
    sender = context.activity.from_property

    async def looked_up() -> str | None:
        return email

    person = await identify(
        session,
        aad_object_id=_aad_object_id(context),
        # As Teams sends it, but storable: no lone surrogates, and no longer than the column.
        display_name=storable((sender.name if sender else None) or "Ukendt")[:200],
        lookup_email=looked_up,
    )
    return Actor.of(person)


def _reference(context: TurnContext) -> dict[str, Any]:
    reference = TurnContext.get_conversation_reference(context.activity)
    # The activity id changes with every message; leaving it out means a write only when something real changes.
    reference.activity_id = None
    if _conversation_type(context) != ConversationType.PERSONAL:
        # A group chat's reference is the chat's, not the sender's: with the sender in it, every turn of someone
        # other than the last sender would rewrite it (a write per turn in a meeting round's burst).
        reference.user = None
    # The same dict as reference.serialize(), without msrest's slow walk (bot/platform/wire.py).
    return json.loads(json.dumps(model_json(reference), default=json_default))


def _conversation_type(context: TurnContext) -> str:
    conversation = context.activity.conversation
    return (conversation.conversation_type if conversation else None) or ConversationType.PERSONAL


@dataclass(frozen=True)
class Known:
    """A sender the bot knows in a conversation it has stored, as `known` found them."""

    actor: Actor
    # Approval cards wait that could not be delivered to them (they are to be told).
    must_tell: bool
    # The bot state item asked for: (document, eTag), or None when there is none.
    state: tuple[Any, str] | None


async def known(context: TurnContext, session: AsyncSession, state_key: str | None = None) -> Known | None:
    """The sender, read-only, when nothing about them or this conversation needs storing (the common case),
    with the bot state item under `state_key` read along. One statement (repo.sender)."""
    sender = context.activity.from_property
    conversation = context.activity.conversation
    if sender is None or conversation is None:
        return None
    db_key = storage_key(state_key) if state_key is not None else None
    found = await repo.sender(session, sender.aad_object_id or sender.id, conversation.id, db_key)
    if found is None:
        return None
    expected_person = found.person_id if _conversation_type(context) == ConversationType.PERSONAL else None
    if found.reference_person_id != expected_person or found.reference != _reference(context):
        return None
    actor = Actor(found.person_id, found.display_name, found.unit_id, found.roles)
    return Known(actor, found.has_undelivered_approvals, found.state)


async def remember_conversation(context: TurnContext, session: AsyncSession, actor: Actor) -> bool:
    """Store the conversation reference for proactive messages. True the first time the conversation is seen."""
    conversation = context.activity.conversation
    if conversation is None:
        return False
    conversation_type = _conversation_type(context)
    return await repo.save_conversation_ref(
        session,
        conversation_id=conversation.id,
        conversation_type=conversation_type,
        person_id=actor.person_id if conversation_type == ConversationType.PERSONAL else None,
        reference=_reference(context),
    )


@dataclass(frozen=True)
class Who:
    """Who is acting in this turn, and what their turn's set-up found."""

    actor: Actor
    # Their dialog state, read with who they are (None: none stored); only for messages.
    state: tuple[Any, str] | None
    first_contact: bool
    # Approval cards that could not be delivered before (no chat with the bot yet): told once, now.
    waiting: int


async def who(context: TurnContext, sessionmaker: async_sessionmaker[AsyncSession], state_key: str | None) -> Who:
    """Who sent the activity: one read for a known person (with their dialog state); the only turns that write
    here are a first contact, a changed conversation, or news to tell. Teams is asked who a newcomer is before
    the unit of work starts, never within it."""
    is_message = state_key is not None
    async with sessionmaker() as session:
        found = await known(context, session, state_key)
    state = found.state if found is not None else None
    if found is not None and not (found.must_tell and is_message):
        return Who(found.actor, state, first_contact=False, waiting=0)
    email = await member_email(context, sessionmaker) if found is None else None
    waiting = 0
    async with sessionmaker.begin() as session:
        actor = await resolve(context, session, email=email)
        first_contact = await remember_conversation(context, session, actor)
        if is_message and await repo.mark_undelivered_approvals_told(session, actor.person_id):
            waiting = len(await approvals.waiting(session, actor))
    return Who(actor, state, first_contact, waiting)
