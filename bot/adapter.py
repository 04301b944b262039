"""The Bot Framework adapter, set up once per app, with our workarounds for botbuilder 4.17.1 in one place.

Workarounds (all in this module):
1. Client caching. CloudAdapter asks the BotFrameworkAuthentication for a new ConnectorFactory on every turn,
   and the factory builds a new ConnectorClient (and UserTokenClient), each with its own aiohttp session,
   which is never closed. That is the largest per-turn cost: a stock echo bot manages ~100 turns/s here.
   CachingBotFrameworkAuthentication keeps one client per (app id, service URL, audience) for the life of
   the app and closes them on shutdown. Credentials refresh their token on their own, so caching is safe.
2. Invoke responses. CloudAdapter.process re-serializes an InvokeResponse body that the activity handler
   has already serialized, which fails (HTTP 500) for every invoke. `process_request` calls
   process_activity itself and writes the body as JSON.
3. Error responses. The SDK's own invoke error responses carry an Exception in the body; we build
   `application/vnd.microsoft.error` bodies ourselves (`invoke_error`).
4. expectReplies. CloudAdapter crashes on deliveryMode "expectReplies" (it serializes a dict with msrest);
   we answer such requests with 400 instead of relying on them.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

import jwt
from aiohttp import web
from botbuilder.core import InvokeResponse, Middleware, TurnContext
from botbuilder.core.bot import Bot
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity, ActivityEventNames, ActivityTypes, DeliveryModes
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import (
    AuthenticateRequestResult,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ConnectorFactory,
    JwtTokenValidation,
    UserTokenClient,
)
from msrest.serialization import Model

from bot.settings import Settings
from cards import texts

log = logging.getLogger(__name__)

INVOKE_RESPONSE_KEY = TurnContext._INVOKE_RESPONSE_KEY


class _CachingConnectorFactory(ConnectorFactory):
    def __init__(self, inner: ConnectorFactory, cache: dict[tuple[str, str, str], ConnectorClient], app_id: str):
        self._inner = inner
        self._cache = cache
        self._app_id = app_id

    async def create(self, service_url: str, audience: str | None = None) -> ConnectorClient:
        key = (self._app_id, service_url, audience or "")
        client = self._cache.get(key)
        if client is None:
            client = await self._inner.create(service_url, audience)
            self._cache[key] = client
        return client


class CachingBotFrameworkAuthentication(BotFrameworkAuthentication):
    """Delegates to botbuilder's authentication, but reuses connector and user-token clients."""

    def __init__(self, inner: BotFrameworkAuthentication):
        self._inner = inner
        self._connectors: dict[tuple[str, str, str], ConnectorClient] = {}
        self._token_clients: dict[str, UserTokenClient] = {}

    @staticmethod
    def _app_id(claims_identity: ClaimsIdentity | None) -> str:
        if claims_identity is None or not claims_identity.claims:
            return ""
        return JwtTokenValidation.get_app_id_from_claims(claims_identity.claims) or ""

    def _wrap(self, factory: ConnectorFactory | None, claims: ClaimsIdentity | None) -> ConnectorFactory | None:
        if factory is None:
            return None
        return _CachingConnectorFactory(factory, self._connectors, self._app_id(claims))

    async def authenticate_request(self, activity: Activity, auth_header: str) -> AuthenticateRequestResult:
        result = await self._inner.authenticate_request(activity, auth_header)
        result.connector_factory = self._wrap(result.connector_factory, result.claims_identity)
        return result

    async def authenticate_streaming_request(
        self, auth_header: str, channel_id_header: str
    ) -> AuthenticateRequestResult:
        return await self._inner.authenticate_streaming_request(auth_header, channel_id_header)

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        factory = self._wrap(self._inner.create_connector_factory(claims_identity), claims_identity)
        assert factory is not None
        return factory

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        key = self._app_id(claims_identity)
        client = self._token_clients.get(key)
        if client is None:
            client = await self._inner.create_user_token_client(claims_identity)
            self._token_clients[key] = client
        return client

    def get_originating_audience(self) -> str:
        return self._inner.get_originating_audience()

    async def authenticate_channel_request(self, auth_header: str) -> ClaimsIdentity:
        return await self._inner.authenticate_channel_request(auth_header)

    async def close(self) -> None:
        # msrest's async clients close their aiohttp session on __aexit__; they have no close().
        for client in self._connectors.values():
            await client.__aexit__(None, None, None)
        self._connectors.clear()
        self._token_clients.clear()


def invoke_error(status: HTTPStatus, code: str, message: str) -> InvokeResponse:
    """An Adaptive Card invoke error that Teams shows to the user (the message must be Danish)."""
    body = {
        "statusCode": int(status),
        "type": "application/vnd.microsoft.error",
        "value": {"code": code, "message": message},
    }
    return InvokeResponse(status=int(HTTPStatus.OK), body=body)


def tenant_id_of(activity: Activity) -> str | None:
    if activity.conversation is not None and activity.conversation.tenant_id:
        return activity.conversation.tenant_id
    channel_data = activity.channel_data or {}
    tenant = channel_data.get("tenant") if isinstance(channel_data, dict) else None
    return tenant.get("id") if isinstance(tenant, dict) else None


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
            context.activity.type,
            tenant_id,
            context.activity.conversation.id if context.activity.conversation else None,
        )
        if context.activity.type == ActivityTypes.invoke:
            response = invoke_error(HTTPStatus.FORBIDDEN, "Forbidden", texts.ERROR_TENANT_NOT_ALLOWED)
            await context.send_activity(Activity(type=ActivityTypes.invoke_response, value=response))
        elif context.activity.type == ActivityTypes.message:
            await context.send_activity(texts.ERROR_TENANT_NOT_ALLOWED)


async def _on_turn_error(context: TurnContext, error: Exception) -> None:
    # Never log str(error): exception messages (pydantic's among them) can quote what the user typed.
    activity = context.activity
    log.error(
        "unhandled %s in turn: activity=%s type=%s conversation=%s\n%s",
        type(error).__name__,
        activity.id,
        activity.type,
        activity.conversation.id if activity.conversation else None,
        "".join(traceback.format_tb(error.__traceback__)),
    )
    try:
        if activity.type == ActivityTypes.invoke:
            response = invoke_error(HTTPStatus.INTERNAL_SERVER_ERROR, "InternalError", texts.ERROR_GENERIC)
            context.turn_state[INVOKE_RESPONSE_KEY] = Activity(type=ActivityTypes.invoke_response, value=response)
        elif activity.type == ActivityTypes.message:
            await context.send_activity(texts.ERROR_GENERIC)
    except Exception as send_error:  # the connector itself may be what failed
        log.error("could not tell the user about the error: %s", type(send_error).__name__)


def create_adapter(
    settings: Settings, *, cache_clients: bool = True, tenant_check: bool = True
) -> tuple[CloudAdapter, CachingBotFrameworkAuthentication | None]:
    """The adapter for this app. JWTs are verified by botbuilder whenever APP_ID is set.

    cache_clients=False gives botbuilder's behaviour as shipped, and tenant_check=False an adapter without
    middleware; only the benchmark uses them, for its baselines.
    """
    stock = ConfigurationBotFrameworkAuthentication(settings)
    auth = CachingBotFrameworkAuthentication(stock) if cache_clients else None
    adapter = CloudAdapter(auth or stock)
    adapter.on_turn_error = _on_turn_error
    if tenant_check:
        adapter.use(TenantAllowListMiddleware(settings))
    return adapter, auth


def _json_body(body: Any) -> Any:
    if isinstance(body, Model):
        return body.serialize()
    return body


async def process_request(request: web.Request, adapter: CloudAdapter, bot: Bot) -> web.Response:
    """POST /api/messages: authenticate, run the turn, and answer invokes with their body as JSON."""
    if "application/json" not in request.headers.get("Content-Type", ""):
        return web.Response(status=HTTPStatus.UNSUPPORTED_MEDIA_TYPE)
    try:
        body = await request.json()
        activity = Activity().deserialize(body)
    except ValueError:
        return web.Response(status=HTTPStatus.BAD_REQUEST)
    if not activity.type:
        return web.Response(status=HTTPStatus.BAD_REQUEST)
    if activity.delivery_mode == DeliveryModes.expect_replies:
        return web.json_response({"error": "deliveryMode expectReplies is not supported"}, status=400)

    auth_header = request.headers.get("Authorization", "")
    try:
        invoke_response = await adapter.process_activity(auth_header, activity, bot.on_turn)
    except (PermissionError, jwt.PyJWTError):
        # botbuilder raises PermissionError for a missing or rejected token, and lets PyJWT's errors for a
        # malformed one escape: both are a 401, never a 500.
        conversation_id = activity.conversation.id if activity.conversation else None
        log.warning("refused unauthenticated request for conversation=%s", conversation_id)
        return web.Response(status=HTTPStatus.UNAUTHORIZED)
    if invoke_response is not None:
        return web.json_response(_json_body(invoke_response.body), status=invoke_response.status)
    return web.Response(status=HTTPStatus.CREATED)
