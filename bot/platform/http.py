"""The aiohttp side of the Bot Framework: POST /api/messages, the adapter, its clients and its replies
(workarounds 1, 2, 4, 10, 12).

1. Client caching. CloudAdapter asks the BotFrameworkAuthentication for a new ConnectorFactory on every turn,
   and the factory builds a new ConnectorClient (and UserTokenClient), each with its own aiohttp session,
   which is never closed. That is the largest per-turn cost: a stock echo bot manages ~100 turns/s here.
   `CachingAuthentication` keeps one client per (app id, service URL, audience) for the life of
   the app and closes them on shutdown. Credentials refresh their token on their own, so caching is safe.
2. Invoke responses. CloudAdapter.process re-serializes an InvokeResponse body that the activity handler
   has already serialized, which fails (HTTP 500) for every invoke. `process_request` calls
   process_activity itself and writes the body as JSON.
4. expectReplies. CloudAdapter crashes on deliveryMode "expectReplies" (it serializes a dict with msrest);
   we answer such requests with 400 instead of relying on them.
10. Replies as JSON through aiohttp. CloudAdapter sends every reply and card update with msrest: the activity is
   deserialized and serialized again (Serializer.body), then POSTed with `requests` in a thread pool. That was
   a fifth of a turn's CPU, and most of the echo bot's. `JsonRepliesAdapter` sends the same JSON (checked
   against msrest's in tests/test_adapter_json.py) through one aiohttp session of the app, with the client's
   credentials, user agent and msrest's retry rule (408 and 5xx but 501/505, three times, backoff 0.8 s).
   Failures raise `ConnectorError`, an msrest HttpOperationError with the response's status and headers, as
   botbuilder's own ErrorResponseException does, so callers (the notifier's retries) see no difference.
   Everything else (TeamsInfo, continue_conversation, create_conversation) still goes through msrest.
12. Outgoing activities copied, not deep-copied. TurnContext.send_activities deep-copies every activity before
   addressing it, card content included: about a thousand `deepcopy` calls for a `mine` card, more than the
   card's JSON costs. `_ReplyContext` (the adapter's turn contexts, `_create_turn_context`) is botbuilder's
   send_activities line for line with a shallow copy: addressing and validating set attributes of the copy only
   (the same assignments as botbuilder's), so the caller's activity stays as it was; the card's JSON, built
   per message and never changed after, is shared instead of copied.

The other workarounds: authentication in bot/platform/auth.py (5, 6, 8), the tenant in bot/platform/tenant.py
(7), error answers in bot/platform/errors.py (3, 9), activity JSON in bot/platform/wire.py (11).
"""

from __future__ import annotations

import asyncio
import json
import logging
from copy import copy
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import aiohttp
from aiohttp import web
from aiohttp.helpers import get_env_proxy_for_url
from botbuilder.core import TurnContext
from botbuilder.core.bot import Bot
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity, ActivityTypes, DeliveryModes, ResourceResponse
from botframework.connector import Channels
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import (
    AuthenticateRequestResult,
    AuthenticationConstants,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ConnectorFactory,
    JwtTokenValidation,
    UserTokenClient,
)
from msrest.exceptions import DeserializationError, HttpOperationError
from msrest.serialization import Model
from yarl import URL

from bot.platform.auth import Authentication, Unauthenticated, botbuilder_authentication, install_keys
from bot.platform.errors import on_turn_error
from bot.platform.tenant import TenantAllowListMiddleware
from bot.platform.wire import activity_from_json, json_default, model_json
from bot.settings import Settings
from domain import clock
from domain.logsafe import escaped

log = logging.getLogger(__name__)


# --- 1. Client caching ---------------------------------------------------------------------------------------


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


class CachingAuthentication(Authentication):
    """`Authentication` (workarounds 5, 6) that reuses its clients (workaround 1) and holds the replies' session."""

    def __init__(self, inner: BotFrameworkAuthentication, settings: Settings):
        super().__init__(inner, settings)
        self._connectors: dict[tuple[str, str, str], ConnectorClient] = {}
        self._token_clients: dict[str, UserTokenClient] = {}
        # The app's HTTP session for replies (workaround 10); it lives as long as the cached clients.
        self.replies = JsonReplies()

    @staticmethod
    def _app_id(claims_identity: ClaimsIdentity | None) -> str:
        if claims_identity is None or not claims_identity.claims:
            return ""
        return JwtTokenValidation.get_app_id_from_claims(claims_identity.claims) or ""

    def _wrap(self, factory: ConnectorFactory | None, claims: ClaimsIdentity | None) -> ConnectorFactory | None:
        if factory is None:
            return factory
        return _CachingConnectorFactory(factory, self._connectors, self._app_id(claims))

    async def authenticate_request(self, activity: Activity, auth_header: str) -> AuthenticateRequestResult:
        result = await super().authenticate_request(activity, auth_header)
        result.connector_factory = self._wrap(result.connector_factory, result.claims_identity)
        return result

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        factory = self._wrap(super().create_connector_factory(claims_identity), claims_identity)
        assert factory is not None
        return factory

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        key = self._app_id(claims_identity)
        client = self._token_clients.get(key)
        if client is None:
            client = await super().create_user_token_client(claims_identity)
            self._token_clients[key] = client
        return client

    async def close(self) -> None:
        # msrest's async clients close their aiohttp session on __aexit__; they have no close().
        for client in self._connectors.values():
            await client.__aexit__(None, None, None)
        self._connectors.clear()
        self._token_clients.clear()
        await self.replies.close()


# --- The adapter and POST /api/messages (2, 4) ------------------------------------------------------------------


def create_adapter(
    settings: Settings, *, cache_clients: bool = True, tenant_check: bool = True
) -> tuple[CloudAdapter, Authentication]:
    """The adapter for this app. JWTs are verified whenever APP_ID is set.

    cache_clients=False gives botbuilder's client handling as shipped (per-turn clients, msrest replies), and
    tenant_check=False an adapter without middleware; only the benchmark uses them, for its baselines.
    """
    install_keys(settings)  # workaround 5
    inner = botbuilder_authentication(settings)
    adapter: CloudAdapter
    if cache_clients:
        auth: Authentication = CachingAuthentication(inner, settings)
        adapter = JsonRepliesAdapter(auth)
    else:
        auth = Authentication(inner, settings)
        adapter = CloudAdapter(auth)
    adapter.on_turn_error = on_turn_error
    if tenant_check:
        adapter.use(TenantAllowListMiddleware(settings))
    return adapter, auth


def _json_body(body: Any) -> Any:
    if isinstance(body, Model):
        return body.serialize()
    return body


def _media_type(request: web.Request) -> str:
    # aiohttp parses the header (parameters apart); media types compare case-insensitively (RFC 9110 8.3.1).
    return request.content_type.strip().lower()


async def _activity_of(request: web.Request) -> Activity | web.Response:
    """The posted activity, or the 4xx response for a body that is none (never a 500, whatever the bytes)."""
    if _media_type(request) != "application/json":
        return web.Response(status=HTTPStatus.UNSUPPORTED_MEDIA_TYPE)
    try:
        body = await request.json()  # aiohttp answers 413 itself beyond the app's client_max_size
        if not isinstance(body, dict):
            return web.Response(status=HTTPStatus.BAD_REQUEST)
        activity = activity_from_json(body)
    except (ValueError, TypeError, AttributeError, RecursionError, DeserializationError):
        # Not JSON, JSON nested beyond the parser's depth, or fields of the wrong shape for msrest.
        return web.Response(status=HTTPStatus.BAD_REQUEST)
    if not _well_formed(activity):
        return web.Response(status=HTTPStatus.BAD_REQUEST)
    return activity


def _well_formed(activity: Activity) -> bool:
    """What every activity from Teams has, and the adapter needs before the turn can even start."""
    conversation, sender = activity.conversation, activity.from_property
    return (
        isinstance(activity.type, str)
        and bool(activity.type)
        and isinstance(activity.service_url, str)
        and activity.service_url.startswith(("https://", "http://"))
        and conversation is not None
        and isinstance(conversation.id, str)
        and bool(conversation.id)
        and (sender is None or isinstance(sender.id, str | None))
    )


async def process_request(request: web.Request, adapter: CloudAdapter, auth: Authentication, bot: Bot) -> web.Response:
    """POST /api/messages: authenticate, run the turn, and answer invokes with their body as JSON."""
    activity = await _activity_of(request)
    if isinstance(activity, web.Response):
        return activity
    try:
        authenticated = await auth.authenticate_request(activity, request.headers.get("Authorization", ""))
    except Unauthenticated as refusal:
        # One line, and nothing of the request but an escaped, truncated conversation id.
        log.warning(
            "refused request (%s): %s conversation=%s",
            int(refusal.status),
            refusal.reason,
            escaped(activity.conversation.id if activity.conversation else None),
        )
        return web.Response(status=refusal.status)
    if activity.delivery_mode == DeliveryModes.expect_replies:
        return web.json_response({"error": "deliveryMode expectReplies is not supported"}, status=400)
    invoke_response = await adapter.process_activity(authenticated, activity, bot.on_turn)
    if invoke_response is not None:
        return web.json_response(_json_body(invoke_response.body), status=invoke_response.status)
    return web.Response(status=HTTPStatus.CREATED)


# --- 10. Replies as JSON through aiohttp ---------------------------------------------------------------------

# msrest's retry rule for a request (msrest.universal_http.requests.ClientRetryPolicy, applied by urllib3):
# 408 and 5xx except 501 and 505, three retries, a backoff of 0 s, then 0.8 * 2**(n-1) s; Retry-After on 503.
_RETRY_STATUSES = frozenset({408, *range(500, 600)}) - {501, 505}
_RETRIES = 3
_BACKOFF = 0.8
# msrest's connection timeout (seconds).
_TIMEOUT = 100


class ConnectorError(HttpOperationError):
    """The Bot Connector refused a reply: like botbuilder's ErrorResponseException, `response` carries
    `status_code` and `headers` (what bot.notifier reads to decide on a retry)."""

    class Response:
        def __init__(self, status: int, headers: dict[str, str], text: str):
            self.status_code = status
            self.headers = headers
            self.text = text
            self.reason = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else ""

    def __init__(self, status: int, headers: dict[str, str], text: str) -> None:
        self.message = f"Operation returned an invalid status code {status}"
        Exception.__init__(self, self.message)
        self.response = ConnectorError.Response(status, headers, text)
        self.error = None
        self.inner_exception = None


def _authorization(client: ConnectorClient) -> str | None:
    """The Authorization header msrest would add (AppCredentials.signed_session), None for an anonymous bot."""
    credentials = client.config.credentials
    app_id = getattr(credentials, "microsoft_app_id", None)
    if not app_id or app_id == AuthenticationConstants.ANONYMOUS_SKILL_APP_ID:
        return None
    return f"Bearer {credentials.get_access_token()}"


class JsonReplies:
    """Sends activities to a Bot Connector as JSON over one aiohttp session (created in the running loop)."""

    def __init__(self) -> None:
        self._session: aiohttp.ClientSession | None = None
        # The proxy from the environment (HTTPS_PROXY, NO_PROXY ...) per scheme and host, as requests honours it.
        # Looked up once per connector host: aiohttp's trust_env would look it up (and netrc) in a thread for
        # every request.
        self._proxies: dict[tuple[str, str], tuple[URL, aiohttp.BasicAuth | None] | None] = {}

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=_TIMEOUT))
        return self._session

    async def _proxy(self, url: str) -> tuple[URL, aiohttp.BasicAuth | None] | None:
        target = URL(url)
        key = (target.scheme, target.host or "")
        if key not in self._proxies:
            try:
                self._proxies[key] = await asyncio.to_thread(get_env_proxy_for_url, target)
            except LookupError:
                self._proxies[key] = None
        return self._proxies[key]

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def send(self, client: ConnectorClient, activity: Activity) -> ResourceResponse | None:
        """POST to the conversation (a reply when the activity has reply_to_id), as ConversationsOperations does."""
        conversation_id = activity.conversation.id
        path = f"v3/conversations/{quote(conversation_id, safe='')}/activities"
        if activity.reply_to_id:
            path += f"/{quote(activity.reply_to_id, safe='')}"
        return await self._call(client, "POST", path, conversation_id, activity)

    async def update(self, client: ConnectorClient, activity: Activity) -> ResourceResponse | None:
        conversation_id = activity.conversation.id
        path = f"v3/conversations/{quote(conversation_id, safe='')}/activities/{quote(activity.id, safe='')}"
        return await self._call(client, "PUT", path, conversation_id, activity)

    async def _call(
        self, client: ConnectorClient, method: str, path: str, conversation_id: str, activity: Activity
    ) -> ResourceResponse | None:
        url = f"{client.config.base_url.rstrip('/')}/{path}"
        body = json.dumps(model_json(activity), default=json_default).encode()
        headers = {
            "Accept": "application/json",
            "Content-Type": "application/json; charset=utf-8",
            "x-ms-conversation-id": conversation_id,
            "User-Agent": client.config.user_agent,
        }
        for attempt in range(_RETRIES + 1):
            authorization = _authorization(client)
            if authorization:
                headers["Authorization"] = authorization
            proxy, proxy_auth = await self._proxy(url) or (None, None)
            try:
                async with self._http().request(
                    method, url, data=body, headers=headers, proxy=proxy, proxy_auth=proxy_auth
                ) as response:
                    status, text = response.status, await response.text()
                    response_headers = dict(response.headers)
            except (aiohttp.ClientConnectionError, TimeoutError):
                if attempt == _RETRIES:
                    raise
                await clock.sleep(_backoff(attempt, None))
                continue
            if status in (200, 201, 202):
                if status == 202 or not text:
                    return None
                return ResourceResponse(id=json.loads(text).get("id"))
            if status not in _RETRY_STATUSES or attempt == _RETRIES:
                raise ConnectorError(status, response_headers, text)
            await clock.sleep(_backoff(attempt, response_headers.get("Retry-After") if status == 503 else None))
        raise AssertionError("unreachable")


def _backoff(attempt: int, retry_after: str | None) -> float:
    if retry_after:
        try:
            return float(retry_after)
        except ValueError:
            pass
    return 0.0 if attempt == 0 else _BACKOFF * 2 ** (attempt - 1)


class _ReplyContext(TurnContext):
    """A TurnContext whose outgoing activities are copied shallowly (workaround 12)."""

    async def send_activities(self, activities: list[Activity]) -> list[ResourceResponse]:
        # botbuilder 4.17.1's TurnContext.send_activities, line for line, with copy() for deepcopy().
        sent_non_trace_activity = False
        ref = TurnContext.get_conversation_reference(self.activity)

        def activity_validator(activity: Activity) -> Activity:
            if not getattr(activity, "type", None):
                activity.type = ActivityTypes.message
            if activity.type != ActivityTypes.trace:
                nonlocal sent_non_trace_activity
                sent_non_trace_activity = True
            if not activity.input_hint:
                activity.input_hint = "acceptingInput"
            activity.id = None
            return activity

        output = [activity_validator(TurnContext.apply_conversation_reference(copy(act), ref)) for act in activities]

        async def logic() -> list[ResourceResponse]:
            nonlocal sent_non_trace_activity

            if self.activity.delivery_mode == DeliveryModes.expect_replies:
                responses = []
                for activity in output:
                    self.buffered_reply_activities.append(activity)
                    if activity.type == ActivityTypes.invoke_response:
                        self.turn_state[TurnContext._INVOKE_RESPONSE_KEY] = activity
                    responses.append(ResourceResponse())
                if sent_non_trace_activity:
                    self.responded = True
                return responses

            responses = await self.adapter.send_activities(self, output)
            if sent_non_trace_activity:
                self.responded = True
            return responses  # type: ignore[no-any-return]

        return await self._emit(self._on_send_activities, output, logic())  # type: ignore[no-any-return]


class JsonRepliesAdapter(CloudAdapter):
    """CloudAdapter that sends and updates activities through `JsonReplies` (workaround 10).

    `send_activities` and `update_activity` are CloudAdapterBase's, line for line, with the two client calls
    replaced; invoke responses, traces and delays are handled as there.
    """

    def __init__(self, auth: CachingAuthentication):
        super().__init__(auth)
        self._replies = auth.replies

    def _create_turn_context(self, activity: Activity, *args: Any, **kwargs: Any) -> TurnContext:
        """CloudAdapterBase's turn context, as a `_ReplyContext` (workaround 12)."""
        context = super()._create_turn_context(activity, *args, **kwargs)
        reply_context = _ReplyContext(self, activity)
        reply_context._turn_state = context._turn_state
        return reply_context

    def _client(self, context: TurnContext) -> ConnectorClient:
        client = context.turn_state.get(self.BOT_CONNECTOR_CLIENT_KEY)
        if not client:
            raise RuntimeError("Unable to extract ConnectorClient from turn context.")
        return client  # type: ignore[no-any-return]

    async def send_activities(self, context: TurnContext, activities: list[Activity]) -> list[ResourceResponse]:
        if not activities:
            raise TypeError("Expecting one or more activities, but the list was empty.")
        responses = []
        for activity in activities:
            activity.id = None
            response: ResourceResponse | None = ResourceResponse()
            if activity.type == "delay":
                await clock.sleep(int((activity.value or 1000) / 1000))
            elif activity.type == ActivityTypes.invoke_response:
                context.turn_state[self._INVOKE_RESPONSE_KEY] = activity
            elif activity.type == ActivityTypes.trace and activity.channel_id != Channels.emulator:
                pass
            else:
                response = await self._replies.send(self._client(context), activity)
            responses.append(response or ResourceResponse(id=activity.id or ""))
        return responses

    async def update_activity(self, context: TurnContext, activity: Activity) -> ResourceResponse | None:
        response = await self._replies.update(self._client(context), activity)
        return ResourceResponse(id=response.id) if response and response.id else None
