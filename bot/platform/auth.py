"""Who may call /api/messages: the Bot Framework channel token, checked fast and failing closed (workarounds 5, 6, 8).

5. Signing keys. botbuilder's JwtTokenExtractor fetches the OpenID metadata and JWKS with a blocking
   `requests.get` without a timeout, inside the event loop, before it checks the signature, and again on every
   request while the fetch fails: one forged token froze the whole process while login.botframework.com was
   unreachable. `OpenIdKeys` takes the place of its `_OpenIdMetadata` in JwtTokenExtractor.metadataCache (the
   one seam botbuilder has; `install_keys`): an aiohttp fetch with a timeout, one fetch at a time, failures
   remembered for OPENID_RETRY_SECONDS, the last good keys kept while a refresh fails. The fetch honours the
   environment's proxy settings (HTTPS_PROXY, HTTP_PROXY, NO_PROXY: `trust_env`), as the replies do and as
   botbuilder's `requests.get` did; without that, every request behind an egress proxy got 503.
6. Authentication errors. botbuilder raises IndexError (no or unknown `kid`), KeyError, AttributeError, bare
   Exception (alg none, HS256, endorsements), PyJWT's and requests' errors besides PermissionError.
   `Authentication.authenticate_request` refuses what cannot be a Bot Framework channel token before botbuilder
   sees it (scheme, alg RS256, kid, issuer, audience, serviceurl, exp/nbf: no network needed), then turns
   every error of botbuilder's check into `Unauthenticated` (401), and an unreachable key source into 503.
   Emulator and skill tokens are refused: Teams only sends Bot Framework channel tokens.
8. Metadata URLs. ConfigurationBotFrameworkAuthentication only honours a settable OpenID metadata URL when it
   gets all the "parameterized" settings; `_BotFrameworkConfiguration` gives it the public cloud's values
   with our metadata URL and issuer.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from http import HTTPStatus

import jwt
from botbuilder.integration.aiohttp import ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity, CallerIdConstants
from botframework.connector.auth import (
    AuthenticateRequestResult,
    AuthenticationConstants,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ConnectorFactory,
    UserTokenClient,
)
from botframework.connector.auth.jwt_token_extractor import JwtTokenExtractor, _OpenIdConfig
from jwt.algorithms import RSAAlgorithm

from bot.settings import Settings
from core.openid import KeysUnavailable, SigningKeyCache
from domain import clock

log = logging.getLogger(__name__)


class Unauthenticated(Exception):
    """The request is refused: 401, or 503 when the signing keys could not be had. `reason` is ours, not input."""

    def __init__(self, reason: str, status: HTTPStatus = HTTPStatus.UNAUTHORIZED):
        super().__init__(reason)
        self.reason = reason
        self.status = status


class OpenIdKeys(SigningKeyCache):
    """The Bot Framework's token signing keys, in place of botbuilder's blocking `_OpenIdMetadata` (workaround 5):
    `get(kid)` is the interface JwtTokenExtractor calls; the fetch is core.openid's (aiohttp, a timeout, one fetch at
    a time, the last good keys kept, through the egress proxy)."""

    async def get(self, key_id: str | None) -> _OpenIdConfig:
        key = await self.jwk(key_id)
        if key is None:
            raise Unauthenticated("unknown signing key")
        return _OpenIdConfig(RSAAlgorithm.from_jwk(json.dumps(key)), key.get("endorsements", []))


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
    """botbuilder's authentication, failing closed and fast (workarounds 5, 6).

    bot/platform/http.py's `CachingAuthentication` adds the client cache (workaround 1) on top.
    """

    def __init__(self, inner: BotFrameworkAuthentication, settings: Settings):
        self._inner = inner
        self._settings = settings

    async def authenticate_request(self, activity: Activity, auth_header: str) -> AuthenticateRequestResult:
        """The request's claims, or Unauthenticated. Without an APP_ID (local development) nothing is checked."""
        if self._settings.APP_ID:
            precheck(auth_header, activity, self._settings)
        try:
            # botbuilder tells "no header" by None, not "" (an empty header with auth disabled would fail).
            return await self._inner.authenticate_request(activity, auth_header or None)  # type: ignore[arg-type]
        except Unauthenticated:
            raise
        except KeysUnavailable:
            raise Unauthenticated("signing keys unavailable", HTTPStatus.SERVICE_UNAVAILABLE) from None
        except Exception as error:  # botbuilder's errors for a bad token are of every kind (workaround 6)
            raise Unauthenticated(f"token refused ({type(error).__name__})") from None

    async def authenticate_streaming_request(
        self, auth_header: str, channel_id_header: str
    ) -> AuthenticateRequestResult:
        return await self._inner.authenticate_streaming_request(auth_header, channel_id_header)

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        return self._inner.create_connector_factory(claims_identity)

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        return await self._inner.create_user_token_client(claims_identity)

    def get_originating_audience(self) -> str:
        return self._inner.get_originating_audience()

    async def authenticate_channel_request(self, auth_header: str) -> ClaimsIdentity:
        return await self._inner.authenticate_channel_request(auth_header)

    async def close(self) -> None:
        """Nothing to release here; `CachingAuthentication` closes its clients."""


def install_keys(settings: Settings) -> OpenIdKeys:
    """Put our key source in the one seam botbuilder offers: JwtTokenExtractor's class-wide cache by URL."""
    url = settings.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL
    keys = OpenIdKeys(url, timeout=settings.OPENID_TIMEOUT_SECONDS, retry_after=settings.OPENID_RETRY_SECONDS)
    JwtTokenExtractor.metadataCache[url] = keys
    return keys


def botbuilder_authentication(settings: Settings) -> BotFrameworkAuthentication:
    """botbuilder's own authentication, on the public cloud with our metadata URL and issuer (workaround 8)."""
    return ConfigurationBotFrameworkAuthentication(_BotFrameworkConfiguration(settings))
