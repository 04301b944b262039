"""Which tenant an activity comes from, and the allow-list checked before any bot logic runs (workaround 7).

7. Tenant id. botbuilder-schema maps `conversation.tenantId` to the JSON key `tenantID`, so Teams' spelling
   lands in `additional_properties`; `tenant_id_of` reads both it and channelData.tenant.id and refuses
   an activity whose two tenant ids disagree.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

from botbuilder.core import Middleware, TurnContext
from botbuilder.schema import Activity, ActivityEventNames, ActivityTypes

from bot.platform.errors import invoke_error
from bot.settings import Settings
from cards import texts
from domain.logsafe import escaped

log = logging.getLogger(__name__)


def tenant_id_of(activity: Activity) -> str | None:
    """The activity's tenant: conversation.tenantId and channelData.tenant.id, None when both lack or they differ.

    botbuilder-schema reads `conversation.tenantId` only under the key `tenantID`; Teams' own spelling lands in
    `additional_properties` (workaround 7).
    """
    conversation = activity.conversation
    from_conversation = None
    if conversation is not None:
        extra = getattr(conversation, "additional_properties", None) or {}
        from_conversation = conversation.tenant_id or extra.get("tenantId")
    channel_data = activity.channel_data or {}
    tenant = channel_data.get("tenant") if isinstance(channel_data, dict) else None
    from_channel_data = tenant.get("id") if isinstance(tenant, dict) else None
    found = {t for t in (from_conversation, from_channel_data) if t is not None}
    if len(found) != 1:
        return None
    [tenant_id] = found
    return tenant_id if isinstance(tenant_id, str) else None


class TenantAllowListMiddleware(Middleware):
    """Refuses activities from tenants outside ALLOWED_TENANT_IDS before any bot logic runs."""

    def __init__(self, settings: Settings):
        self._settings = settings

    async def on_turn(self, context: TurnContext, logic: Callable[[], Awaitable[Any]]) -> None:
        activity = context.activity
        if activity.type == ActivityTypes.event and activity.name == ActivityEventNames.continue_conversation:
            # A proactive turn the bot started itself (continue_conversation): nothing came in from outside.
            await logic()
            return
        tenant_id = tenant_id_of(activity)
        if self._settings.tenant_allowed(tenant_id):
            await logic()
            return
        log.warning(
            "refused activity type=%s from tenant=%s conversation=%s",
            escaped(activity.type),
            escaped(tenant_id),
            escaped(activity.conversation.id if activity.conversation else None),
        )
        if context.activity.type == ActivityTypes.invoke:
            response = invoke_error(HTTPStatus.FORBIDDEN, "Forbidden", texts.ERROR_TENANT_NOT_ALLOWED)
            await context.send_activity(Activity(type=ActivityTypes.invoke_response, value=response))
        elif context.activity.type == ActivityTypes.message:
            await context.send_activity(texts.ERROR_TENANT_NOT_ALLOWED)
