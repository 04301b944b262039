"""Who is using the tab: the Teams SSO token checked against Entra ID, then a signed session cookie with a CSRF
token. Everything that is not a valid token or session is a 401 (a POST without the CSRF token a 403), never a 500.

Teams SSO for tabs: https://learn.microsoft.com/microsoftteams/platform/tabs/how-to/authentication/tab-sso-overview
(the page asks `microsoftTeams.authentication.getAuthToken()`; the server validates the token itself).
"""

from __future__ import annotations

import hmac
import logging
import secrets
from dataclasses import dataclass
from typing import Any

import jwt
from itsdangerous import BadSignature, URLSafeTimedSerializer

from bot.settings import Settings
from domain.logsafe import escaped
from web.keys import KeysUnavailable, SigningKeys, UnknownKey

log = logging.getLogger(__name__)

COOKIE = "styringsbot_tab"
CSRF_FIELD = "csrf"
CSRF_HEADER = "X-CSRF-Token"
_SALT = "styringsbot-tab-session-v1"
# Entra ID signs access tokens with RS256; anything else (none, HS256 with a public key as secret) is refused.
ALGORITHMS = ["RS256"]


class Unauthenticated(Exception):
    """No usable token or session; `reason` is for the log (never shown, never the token itself)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Identity:
    """What a valid SSO token says about the user."""

    tenant_id: str
    object_id: str
    name: str
    upn: str | None


def issuers(tenant_id: str) -> tuple[str, str]:
    """The v1 and v2 issuer of a tenant's tokens (which one a token carries depends on the app registration)."""
    return f"https://sts.windows.net/{tenant_id}/", f"https://login.microsoftonline.com/{tenant_id}/v2.0"


async def validate_token(token: str, settings: Settings, keys: SigningKeys) -> Identity:
    """Check signature, issuer, audience, exp/nbf and tenant; the user's identity, or Unauthenticated."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise Unauthenticated("not a JWT") from None
    if header.get("alg") not in ALGORITHMS:
        raise Unauthenticated("algorithm not allowed")
    try:
        key = await keys.key(header.get("kid"))
    except UnknownKey:
        raise Unauthenticated("unknown signing key") from None
    except KeysUnavailable:
        raise Unauthenticated("signing keys unavailable") from None
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=ALGORITHMS,
            audience=settings.tab_audience,
            options={"require": ["exp", "nbf", "iss", "aud", "tid", "oid"]},
            leeway=60,
        )
    except jwt.PyJWTError as error:
        raise Unauthenticated(type(error).__name__) from None
    tenant_id = str(claims["tid"])
    if not settings.ALLOWED_TENANT_IDS or tenant_id not in settings.ALLOWED_TENANT_IDS:
        raise Unauthenticated(f"tenant {escaped(tenant_id)} not allowed")
    if claims["iss"] not in issuers(tenant_id):
        raise Unauthenticated("issuer does not match the tenant")
    upn = claims.get("preferred_username") or claims.get("upn")
    return Identity(
        tenant_id=tenant_id,
        object_id=str(claims["oid"]),
        name=str(claims.get("name") or "Ukendt")[:200],
        upn=str(upn).lower() if upn else None,
    )


@dataclass(frozen=True)
class Session:
    person_id: int
    csrf: str


class Sessions:
    """Signed, expiring session cookies: the person and the session's CSRF token (the database is not asked)."""

    def __init__(self, settings: Settings):
        self._serializer = URLSafeTimedSerializer(settings.EXPORT_SIGNING_KEY, salt=_SALT)
        self.max_age = int(settings.TAB_SESSION_HOURS * 3600)

    def new(self, person_id: int) -> tuple[Session, str]:
        session = Session(person_id, secrets.token_urlsafe(24))
        return session, self._serializer.dumps({"p": person_id, "c": session.csrf})

    def read(self, cookie: str | None) -> Session:
        if not cookie:
            raise Unauthenticated("no session")
        try:
            value = self._serializer.loads(cookie, max_age=self.max_age)
        except BadSignature:
            raise Unauthenticated("bad or expired session") from None
        if not isinstance(value, dict) or not isinstance(value.get("p"), int) or not isinstance(value.get("c"), str):
            raise Unauthenticated("malformed session")
        return Session(value["p"], value["c"])


def csrf_ok(session: Session, submitted: str | None) -> bool:
    return bool(submitted) and hmac.compare_digest(session.csrf.encode(), str(submitted).encode())
