"""Who sent an activity, in the domain's terms, and how to reach their conversation later."""

from __future__ import annotations

import logging

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo
from sqlalchemy.ext.asyncio import AsyncSession

from domain.people import Me, identify
from storage import repo

log = logging.getLogger(__name__)


async def resolve(context: TurnContext, session: AsyncSession) -> Me:
    """The sender as a person in the organisation; asks Teams for their e-mail only on first contact."""
    sender = context.activity.from_property
    aad_object_id = (sender.aad_object_id if sender else None) or (sender.id if sender else "unknown")

    async def lookup_email() -> str | None:
        try:
            member = await TeamsInfo.get_member(context, sender.id)
        except Exception as error:  # Teams may refuse (guest users, bot not in the chat): carry on without
            log.warning("could not look up member %s: %s", aad_object_id, type(error).__name__)
            return None
        return member.email or member.user_principal_name

    person = await identify(
        session,
        aad_object_id=aad_object_id,
        display_name=(sender.name if sender else None) or "Ukendt",
        lookup_email=lookup_email,
    )
    return Me.of(person)


async def remember_conversation(context: TurnContext, session: AsyncSession, me: Me) -> bool:
    """Store the conversation reference for proactive messages. True the first time the conversation is seen."""
    activity = context.activity
    if activity.conversation is None:
        return False
    reference = TurnContext.get_conversation_reference(activity)
    # The activity id changes with every message; leaving it out means a write only when something real changes.
    reference.activity_id = None
    conversation_type = activity.conversation.conversation_type or "personal"
    return await repo.save_conversation_ref(
        session,
        conversation_id=activity.conversation.id,
        conversation_type=conversation_type,
        person_id=me.person_id if conversation_type == "personal" else None,
        reference=reference.serialize(),
    )
