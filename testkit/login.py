"""A loopback stand-in for the Bot Framework's OpenID metadata and JWKS endpoints, serving a key the test owns.

The bot is pointed at it through TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL. `mode` scripts how it behaves:
"ok" serves the keys, "hang" accepts and never answers, "drop" closes the connection without an answer,
"error" answers 500. `token(...)` signs a Bot Framework channel token with the served key (or with another).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

import jwt
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

ISSUER = "https://api.botframework.com"
KID = "test-signing-key"


def new_private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class LoginEndpoint:
    """The endpoint's state: its key, how it behaves, and how often it was asked."""

    url: str = ""
    mode: str = "ok"
    endorsements: list[str] = field(default_factory=lambda: ["msteams"])
    key: rsa.RSAPrivateKey = field(default_factory=new_private_key)
    requests: int = 0
    _released: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def metadata_url(self) -> str:
        return f"{self.url}v1/.well-known/openidconfiguration"

    def release(self) -> None:
        """Let hanging requests go (so the server can shut down)."""
        self._released.set()

    def token(
        self,
        *,
        app_id: str,
        service_url: str,
        key: rsa.RSAPrivateKey | None = None,
        headers: dict[str, Any] | None = None,
        algorithm: str = "RS256",
        **claims: Any,
    ) -> str:
        """A Bot Framework channel token; `claims` override (None removes one), `headers` override the kid."""
        now = int(time.time())
        payload: dict[str, Any] = {
            "iss": ISSUER,
            "aud": app_id,
            "serviceurl": service_url,
            "nbf": now - 60,
            "exp": now + 3600,
        }
        payload.update(claims)
        payload = {k: v for k, v in payload.items() if v is not None}
        header = {"kid": KID, **(headers or {})}
        header = {k: v for k, v in header.items() if v is not None}
        signing_key: Any = key or self.key
        if algorithm == "HS256":
            signing_key = "a-shared-secret-that-is-long-enough-for-hs256"
        elif algorithm == "none":
            signing_key = None
        return jwt.encode(payload, signing_key, algorithm=algorithm, headers=header)

    async def _behave(self, request: web.Request) -> None:
        self.requests += 1
        if self.mode == "hang":
            await self._released.wait()
        if self.mode == "drop" and request.transport is not None:
            request.transport.close()
        if self.mode in ("error", "drop", "hang"):
            raise web.HTTPInternalServerError()

    async def _metadata(self, request: web.Request) -> web.Response:
        await self._behave(request)
        return web.json_response({"issuer": ISSUER, "jwks_uri": f"{self.url}keys"})

    async def _keys(self, request: web.Request) -> web.Response:
        await self._behave(request)
        jwk = RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        jwk.update({"kid": KID, "use": "sig", "endorsements": self.endorsements})
        return web.json_response({"keys": [jwk]})

    def application(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/v1/.well-known/openidconfiguration", self._metadata)
        app.router.add_get("/keys", self._keys)
        return app


async def start_login_endpoint(mode: str = "ok") -> tuple[LoginEndpoint, web.AppRunner]:
    endpoint = LoginEndpoint(mode=mode)
    runner = web.AppRunner(endpoint.application(), access_log=None, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    endpoint.url = f"http://127.0.0.1:{port}/"
    return endpoint, runner
