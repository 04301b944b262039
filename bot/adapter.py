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
5. Signing keys. botbuilder's JwtTokenExtractor fetches the OpenID metadata and JWKS with a blocking
   `requests.get` without a timeout, inside the event loop, before it checks the signature, and again on every
   request while the fetch fails: one forged token froze the whole process while login.botframework.com was
   unreachable. `OpenIdKeys` takes the place of its `_OpenIdMetadata` in JwtTokenExtractor.metadataCache (the
   one seam botbuilder has): an aiohttp fetch with a timeout, one fetch at a time, failures remembered for
   OPENID_RETRY_SECONDS, the last good keys kept while a refresh fails.
6. Authentication errors. botbuilder raises IndexError (no or unknown `kid`), KeyError, AttributeError, bare
   Exception (alg none, HS256, endorsements), PyJWT's and requests' errors besides PermissionError.
   `Authentication.authenticate_request` refuses what cannot be a Bot Framework channel token before botbuilder
   sees it (scheme, alg RS256, kid, issuer, audience, serviceurl, exp/nbf: no network needed), then turns
   every error of botbuilder's check into `Unauthenticated` (401), and an unreachable key source into 503.
   Emulator and skill tokens are refused: Teams only sends Bot Framework channel tokens.
7. Tenant id. botbuilder-schema maps `conversation.tenantId` to the JSON key `tenantID`, so Teams' spelling
   lands in `additional_properties`; `tenant_id_of` reads both it and channelData.tenant.id and refuses
   an activity whose two tenant ids disagree.
8. Metadata URLs. ConfigurationBotFrameworkAuthentication only honours a settable OpenID metadata URL when it
   gets all the "parameterized" settings; `_BotFrameworkConfiguration` gives it the public cloud's values
   with our metadata URL and issuer.
9. Turn errors: `_on_turn_error` logs the error's type, escaped ids and the stack frames (never the exception's
   message, which can quote what the user typed) and answers with the Danish generic error.
10. Replies as JSON through aiohttp. CloudAdapter sends every reply and card update with msrest: the activity is
   deserialized and serialized again (Serializer.body), then POSTed with `requests` in a thread pool. That was
   a fifth of a turn's CPU, and most of the echo bot's. `JsonRepliesAdapter` sends the same JSON (checked
   against msrest's in tests/test_adapter_json.py) through one aiohttp session of the app, with the client's
   credentials, user agent and msrest's retry rule (408 and 5xx but 501/505, three times, backoff 0.8 s).
   Failures raise `ConnectorError`, an msrest HttpOperationError with the response's status and headers, as
   botbuilder's own ErrorResponseException does, so callers (the notifier's retries) see no difference.
   Everything else (TeamsInfo, continue_conversation, create_conversation) still goes through msrest.
11. Incoming activities without msrest's walk. `Activity().deserialize(body)` costs as much as the echo bot's
   whole reply. `activity_from_json` builds the same Activity (checked against msrest in
   tests/test_adapter_json.py) for the attribute types the schema uses, and hands anything else to msrest.
   `conversation_reference_from_json` does the same for the stored references proactive messages start from.
12. Outgoing activities copied, not deep-copied. TurnContext.send_activities deep-copies every activity before
   addressing it, card content included: about a thousand `deepcopy` calls for a `mine` card, more than the
   card's JSON costs. `_ReplyContext` (the adapter's turn contexts, `_create_turn_context`) is botbuilder's
   send_activities line for line with a shallow copy: addressing and validating set attributes of the copy only
   (the same assignments as botbuilder's), so the caller's activity stays as it was; the card's JSON, built
   per message and never changed after, is shared instead of copied.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import traceback
from collections.abc import Awaitable, Callable
from copy import copy
from datetime import datetime
from enum import Enum
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import aiohttp
import botbuilder.schema
import jwt
from aiohttp import web
from aiohttp.helpers import get_env_proxy_for_url
from botbuilder.core import InvokeResponse, Middleware, TurnContext
from botbuilder.core.bot import Bot
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import (
    Activity,
    ActivityEventNames,
    ActivityTypes,
    CallerIdConstants,
    ConversationReference,
    DeliveryModes,
    ResourceResponse,
)
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
from botframework.connector.auth.jwt_token_extractor import JwtTokenExtractor, _OpenIdConfig
from jwt.algorithms import RSAAlgorithm
from msrest.exceptions import DeserializationError, HttpOperationError
from msrest.serialization import Deserializer, Model, Serializer
from yarl import URL

from bot.settings import Settings
from cards import texts
from domain import clock
from domain.logsafe import escaped
from turn.messaging import CardTooLarge

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


class Unauthenticated(Exception):
    """The request is refused: 401, or 503 when the signing keys could not be had. `reason` is ours, not input."""

    def __init__(self, reason: str, status: HTTPStatus = HTTPStatus.UNAUTHORIZED):
        super().__init__(reason)
        self.reason = reason
        self.status = status


class KeysUnavailable(Exception):
    """The OpenID metadata or its keys could not be fetched (and no earlier keys are at hand)."""


class OpenIdKeys:
    """The Bot Framework's token signing keys, in place of botbuilder's blocking `_OpenIdMetadata` (workaround 5).

    `get(kid)` is the interface JwtTokenExtractor calls. Keys are fetched with aiohttp within `timeout` seconds,
    by one fetch at a time (concurrent requests wait for the same one), refreshed daily or when a token names
    a key we do not have (at most hourly, as botbuilder does). After a failed fetch no new fetch starts for
    `retry_after` seconds: requests meanwhile are checked with the last good keys, or refused at once.
    """

    MAX_AGE = dt.timedelta(days=1)
    UNKNOWN_KEY_REFRESH = dt.timedelta(hours=1)

    def __init__(self, url: str, *, timeout: float, retry_after: float):
        self.url = url
        self._timeout = timeout
        self._retry_after = dt.timedelta(seconds=retry_after)
        self._keys: dict[str, dict[str, Any]] = {}
        self._fetched_at: dt.datetime | None = None
        self._failed_at: dt.datetime | None = None
        self._fetch: asyncio.Future[None] | None = None
        self.fetches = 0  # how many fetches started (the tests count them)

    async def get(self, key_id: str | None) -> _OpenIdConfig:
        now = clock.now()
        age = now - self._fetched_at if self._fetched_at is not None else None
        if age is None or age > self.MAX_AGE or (key_id not in self._keys and age > self.UNKNOWN_KEY_REFRESH):
            await self._refresh(now)
        key = self._keys.get(key_id) if isinstance(key_id, str) else None
        if key is None:
            raise Unauthenticated("unknown signing key")
        return _OpenIdConfig(RSAAlgorithm.from_jwk(json.dumps(key)), key.get("endorsements", []))

    async def _refresh(self, now: dt.datetime) -> None:
        if self._failed_at is not None and now - self._failed_at < self._retry_after:
            if self._keys:
                return
            raise KeysUnavailable
        if self._fetch is None:
            self._fetch = asyncio.ensure_future(self._download())
        fetch = self._fetch
        try:
            await asyncio.shield(fetch)
        except KeysUnavailable:
            if not self._keys:
                raise

    async def _download(self) -> None:
        self.fetches += 1
        try:
            async with asyncio.timeout(self._timeout), aiohttp.ClientSession() as http:
                async with http.get(self.url) as response:
                    response.raise_for_status()
                    jwks_uri = (await response.json(content_type=None))["jwks_uri"]
                async with http.get(jwks_uri) as response:
                    response.raise_for_status()
                    keys = (await response.json(content_type=None))["keys"]
            self._keys = {k["kid"]: k for k in keys if isinstance(k, dict) and isinstance(k.get("kid"), str)}
            self._fetched_at, self._failed_at = clock.now(), None
            log.info("signing keys fetched: %d keys", len(self._keys))
        except (TimeoutError, aiohttp.ClientError, ValueError, KeyError, TypeError) as error:
            self._failed_at = clock.now()
            log.warning("signing keys could not be fetched from %s: %s", escaped(self.url), type(error).__name__)
            raise KeysUnavailable from None
        finally:
            self._fetch = None


class _BotFrameworkConfiguration:
    """What ConfigurationBotFrameworkAuthentication reads: the public cloud's values and our URL (workaround 8)."""

    def __init__(self, settings: Settings):
        self.APP_ID = settings.APP_ID
        self.APP_PASSWORD = settings.APP_PASSWORD
        self.APP_TYPE = settings.APP_TYPE
        self.APP_TENANTID = settings.APP_TENANTID
        self.TO_CHANNEL_FROM_BOT_LOGIN_URL = AuthenticationConstants.TO_CHANNEL_FROM_BOT_LOGIN_URL_PREFIX
        self.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE = AuthenticationConstants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE
        self.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER = settings.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER
        self.OAUTH_URL = AuthenticationConstants.OAUTH_URL
        self.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL = settings.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL
        self.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL = AuthenticationConstants.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL
        self.CALLER_ID = CallerIdConstants.public_azure_channel
        self.VALIDATE_AUTHORITY = True


# Tokens older than their `exp` are accepted for this long, as botbuilder does (clock skew).
CLOCK_TOLERANCE = dt.timedelta(minutes=5)


def precheck(auth_header: str, activity: Activity, settings: Settings) -> None:
    """Refuse, without any network, what cannot be a valid Bot Framework channel token for this bot (workaround 6).

    botbuilder checks the same again, with the signature; this only keeps forged tokens away from the key fetch
    and from botbuilder's untidy errors.
    """
    scheme, _, token = auth_header.partition(" ")
    if scheme != "Bearer" or not token:
        raise Unauthenticated("no bearer token")
    try:
        header = jwt.get_unverified_header(token)
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        raise Unauthenticated("malformed token") from None
    if header.get("alg") not in AuthenticationConstants.ALLOWED_SIGNING_ALGORITHMS:
        raise Unauthenticated("signing algorithm not allowed")
    if not isinstance(header.get("kid"), str) or not header["kid"]:
        raise Unauthenticated("no key id")
    if claims.get("iss") != settings.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER:
        raise Unauthenticated("not issued by the Bot Framework channel")
    if claims.get("aud") != settings.APP_ID:
        raise Unauthenticated("audience is not this bot")
    if claims.get("serviceurl") != activity.service_url:
        raise Unauthenticated("serviceurl claim does not match")
    now = clock.now().timestamp()
    expires, not_before = claims.get("exp"), claims.get("nbf")
    if not isinstance(expires, int | float) or expires + CLOCK_TOLERANCE.total_seconds() < now:
        raise Unauthenticated("expired")
    if isinstance(not_before, int | float) and not_before - CLOCK_TOLERANCE.total_seconds() > now:
        raise Unauthenticated("not yet valid")


class Authentication(BotFrameworkAuthentication):
    """botbuilder's authentication, failing closed and fast (workarounds 5, 6), reusing clients (workaround 1)."""

    def __init__(self, inner: BotFrameworkAuthentication, settings: Settings, *, cache_clients: bool = True):
        self._inner = inner
        self._settings = settings
        self._cache_clients = cache_clients
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
        if factory is None or not self._cache_clients:
            return factory
        return _CachingConnectorFactory(factory, self._connectors, self._app_id(claims))

    async def authenticate_request(self, activity: Activity, auth_header: str) -> AuthenticateRequestResult:
        """The request's claims, or Unauthenticated. Without an APP_ID (local development) nothing is checked."""
        if self._settings.APP_ID:
            precheck(auth_header, activity, self._settings)
        try:
            # botbuilder tells "no header" by None, not "" (an empty header with auth disabled would fail).
            result = await self._inner.authenticate_request(activity, auth_header or None)  # type: ignore[arg-type]
        except Unauthenticated:
            raise
        except KeysUnavailable:
            raise Unauthenticated("signing keys unavailable", HTTPStatus.SERVICE_UNAVAILABLE) from None
        except Exception as error:  # botbuilder's errors for a bad token are of every kind (workaround 6)
            raise Unauthenticated(f"token refused ({type(error).__name__})") from None
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
        if not self._cache_clients:
            return await self._inner.create_user_token_client(claims_identity)
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
        await self.replies.close()


def invoke_error(status: HTTPStatus, code: str, message: str) -> InvokeResponse:
    """An Adaptive Card invoke error that Teams shows to the user (the message must be Danish)."""
    body = {
        "statusCode": int(status),
        "type": "application/vnd.microsoft.error",
        "value": {"code": code, "message": message},
    }
    return InvokeResponse(status=int(HTTPStatus.OK), body=body)


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


async def _on_turn_error(context: TurnContext, error: Exception) -> None:
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


def create_adapter(
    settings: Settings, *, cache_clients: bool = True, tenant_check: bool = True
) -> tuple[CloudAdapter, Authentication]:
    """The adapter for this app. JWTs are verified whenever APP_ID is set.

    cache_clients=False gives botbuilder's client handling as shipped (per-turn clients, msrest replies), and
    tenant_check=False an adapter without middleware; only the benchmark uses them, for its baselines.
    """
    # The one seam botbuilder offers for its key source: JwtTokenExtractor's class-wide cache by URL (workaround 5).
    url = settings.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL
    JwtTokenExtractor.metadataCache[url] = OpenIdKeys(
        url, timeout=settings.OPENID_TIMEOUT_SECONDS, retry_after=settings.OPENID_RETRY_SECONDS
    )
    auth = Authentication(
        ConfigurationBotFrameworkAuthentication(_BotFrameworkConfiguration(settings)),
        settings,
        cache_clients=cache_clients,
    )
    adapter = JsonRepliesAdapter(auth) if cache_clients else CloudAdapter(auth)
    adapter.on_turn_error = _on_turn_error
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


_MSREST = Serializer()


def _json_of(value: Any, data_type: str) -> Any:
    """One attribute as msrest's Serializer would write it, for the types activities use (else msrest itself).

    Values of type "object" (attachment content, channel data, value) stay as they are: `json_default` turns
    what json cannot write (models, enums, dates) into what msrest's serialize_object writes, when dumping.
    """
    if isinstance(value, Model):
        return model_json(value)
    if data_type == "object":
        return value
    if data_type == "str":
        return value.value if isinstance(value, Enum) else str(value)
    if data_type == "bool" and isinstance(value, bool):
        return value
    if data_type == "int" and isinstance(value, int) and not isinstance(value, bool):
        return value
    if data_type == "iso-8601" and isinstance(value, datetime):
        return Serializer.serialize_iso(value)
    if data_type.startswith("[") and isinstance(value, list):
        return [None if item is None else _json_of(item, data_type[1:-1]) for item in value]
    if data_type.startswith("{") and isinstance(value, dict):
        return {str(k): None if v is None else _json_of(v, data_type[1:-1]) for k, v in value.items()}
    return _MSREST.serialize_data(value, data_type)


def json_default(value: Any) -> Any:
    """For json.dumps: what msrest's serialize_object writes for a value plain JSON does not know."""
    if isinstance(value, Model):
        return model_json(value)
    if isinstance(value, Enum):
        return value.value
    return _MSREST.serialize_object(value)


def model_json(model: Model) -> dict[str, Any]:
    """The JSON msrest sends for a model (an Activity and what it holds), without msrest's model round trip.

    msrest's Serializer.body first rebuilds the model from itself and validates it, then serializes it; the
    result is the same as serializing the model once, which is what this does (Model.serialize does too, but
    slowly). Flattened keys and readonly attributes do not occur in the Bot Framework schema; should one
    appear, msrest does the whole model. Dump the result with `json_default`.
    """
    attribute_map: dict[str, dict[str, str]] = type(model)._attribute_map
    validation: dict[str, dict[str, Any]] = type(model)._validation
    document: dict[str, Any] = {}
    for attribute, description in attribute_map.items():
        key = description["key"]
        if "." in key or validation.get(attribute, {}).get("readonly"):
            serialized: dict[str, Any] = model.serialize()
            return serialized
        if attribute == "additional_properties" and key == "":
            document.update(getattr(model, attribute, None) or {})
            continue
        value = getattr(model, attribute, None)
        if value is not None:
            document[key] = _json_of(value, description["type"])
    return document


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

    def __init__(self, auth: Authentication):
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


# --- 11. Incoming activities without msrest's walk ----------------------------------------------------------

# The models msrest resolves type names against for Activity (Model._infer_class_models: the schema module).
_SCHEMA: dict[str, type[Model]] = {
    name: cls for name, cls in vars(botbuilder.schema).items() if isinstance(cls, type) and issubclass(cls, Model)
}


class _Unusual(Exception):
    """Something msrest's fast twin does not handle: msrest does the whole activity."""


def _value_from_json(raw: Any, data_type: str) -> Any:
    """msrest's Deserializer.deserialize_data for the types of the Bot Framework schema, on parsed JSON."""
    if data_type == "str":
        return raw if isinstance(raw, str) else str(raw)
    if data_type == "object":
        return raw  # msrest rebuilds parsed JSON as it is (deserialize_object)
    if data_type == "bool":
        if raw in (True, False, 1, 0):
            return bool(raw)
        raise _Unusual
    if data_type == "int" and isinstance(raw, int):
        return int(raw)
    if data_type == "iso-8601" and isinstance(raw, str):
        return Deserializer.deserialize_iso(raw)
    if data_type.startswith("[") and isinstance(raw, list):
        return [None if item is None else _value_from_json(item, data_type[1:-1]) for item in raw]
    if data_type.startswith("{") and isinstance(raw, dict):
        return {k: None if v is None else _value_from_json(v, data_type[1:-1]) for k, v in raw.items()}
    model = _SCHEMA.get(data_type)
    if model is not None:
        return _model_from_json(model, raw)
    raise _Unusual


def _model_from_json(model: type[Model], data: Any) -> Model:
    if not isinstance(data, dict) or getattr(model, "_subtype_map", None):
        raise _Unusual
    kwargs = {}
    for attribute, description in model._attribute_map.items():
        key = description["key"]
        if not key or "." in key or "\\" in key or model._validation.get(attribute):
            raise _Unusual  # additional properties, flattening, readonly or constant attributes
        raw = data.get(key)
        kwargs[attribute] = None if raw is None else _value_from_json(raw, description["type"])
    built = model(**kwargs)
    # As msrest does (Deserializer._build_additional_properties): keys the model does not know are kept aside.
    extra = data.keys() - _known_keys(model)
    if extra:
        built.additional_properties = {key: data[key] for key in extra}
    return built


_KNOWN_KEYS: dict[type[Model], frozenset[str]] = {}


def _known_keys(model: type[Model]) -> frozenset[str]:
    known = _KNOWN_KEYS.get(model)
    if known is None:
        known = _KNOWN_KEYS[model] = frozenset(d["key"] for d in model._attribute_map.values())
    return known


def conversation_reference_from_json(document: Any) -> ConversationReference:
    """The ConversationReference msrest's `ConversationReference().deserialize(document)` builds (a stored one)."""
    try:
        reference = _model_from_json(ConversationReference, document)
    except (_Unusual, ValueError, TypeError, AttributeError):
        reference = ConversationReference().deserialize(document)
    assert isinstance(reference, ConversationReference)
    return reference


def activity_from_json(body: Any) -> Activity:
    """The Activity msrest's `Activity().deserialize(body)` builds, built directly when the body is usual."""
    try:
        activity = _model_from_json(Activity, body)
    except (_Unusual, ValueError, TypeError, AttributeError):
        activity = Activity().deserialize(body)
    assert isinstance(activity, Activity)
    return activity
