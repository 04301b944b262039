"""What the user sees when a turn fails: Danish error bodies and messages, never the SDK's (workarounds 3, 9).

3. Error responses. The SDK's own invoke error responses carry an Exception in the body; we build
   `application/vnd.microsoft.error` bodies ourselves (`invoke_error`).
9. Turn errors: `on_turn_error` logs the error's type, escaped ids and the stack frames (never the exception's
   message, which can quote what the user typed) and answers with the Danish generic error.
"""

from __future__ import annotations

import logging
import traceback
from http import HTTPStatus

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ActivityTypes

from cards import texts
from domain.logsafe import escaped
from turn.messaging import CardTooLarge
from turn.reply import invoke_error  # built here, as a plain dict: the body of every invoke error (workaround 3)

log = logging.getLogger(__name__)

INVOKE_RESPONSE_KEY = TurnContext._INVOKE_RESPONSE_KEY


async def on_turn_error(context: TurnContext, error: Exception) -> None:
    # Never log str(error): exception messages (pydantic's among them) can quote what the user typed.
    activity = context.activity
    log.error(
        "unhandled %s in turn: activity=%s type=%s conversation=%s\n%s",
        type(error).__name__,
        escaped(activity.id),
        escaped(activity.type),
        escaped(activity.conversation.id if activity.conversation else None),
        "".join(traceback.format_tb(error.__traceback__)),
    )
    try:
        if activity.type == ActivityTypes.invoke:
            response = invoke_error(HTTPStatus.INTERNAL_SERVER_ERROR, "InternalError", texts.ERROR_GENERIC)
            context.turn_state[INVOKE_RESPONSE_KEY] = Activity(type=ActivityTypes.invoke_response, value=response)
        elif activity.type == ActivityTypes.message:
            too_large = isinstance(error, CardTooLarge)
            await context.send_activity(texts.ERROR_CARD_TOO_LARGE if too_large else texts.ERROR_GENERIC)
    except Exception as send_error:  # the connector itself may be what failed
        log.error("could not tell the user about the error: %s", type(send_error).__name__)
