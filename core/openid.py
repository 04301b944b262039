"""A token issuer's signing keys (its OpenID metadata, then its JWKS), fetched without blocking: for the bot's Bot
Framework tokens (bot.platform.auth) and the tab's Entra ID tokens (web.keys), the one implementation of both.

One fetch at a time (concurrent requests wait for the same one), within a timeout, through the environment's egress
proxy (`trust_env`: HTTPS_PROXY, NO_PROXY …, as the bot's replies go); refreshed daily, or when a token names a key
we do not have (at most hourly). After a failed fetch no new one starts for `retry_after` seconds: tokens are then
checked with the last good keys, or refused at once (KeysUnavailable).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Any

import aiohttp

from core import clock

log = logging.getLogger(__name__)


class KeysUnavailable(Exception):
    """The signing keys could not be fetched, and no earlier keys are at hand."""


class SigningKeyCache:
    MAX_AGE = dt.timedelta(days=1)
    UNKNOWN_KEY_REFRESH = dt.timedelta(hours=1)

    def __init__(self, url: str, *, timeout: float, retry_after: float):
        self.url = url  # the OpenID metadata (configured, not from outside)
        self._timeout = timeout
        self._retry_after = dt.timedelta(seconds=retry_after)
        self._keys: dict[str, dict[str, Any]] = {}
        self._fetched_at: dt.datetime | None = None
        self._failed_at: dt.datetime | None = None
        self._fetch: asyncio.Future[None] | None = None
        self.fetches = 0  # how many fetches started (the tests count them)

    async def jwk(self, key_id: object) -> dict[str, Any] | None:
        """The published key (a JWK) a token's `kid` names; None when the issuer publishes no such key."""
        now = clock.now()
        age = now - self._fetched_at if self._fetched_at is not None else None
        if age is None or age > self.MAX_AGE or (key_id not in self._keys and age > self.UNKNOWN_KEY_REFRESH):
            await self._refresh(now)
        return self._keys.get(key_id) if isinstance(key_id, str) else None

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
            async with asyncio.timeout(self._timeout), aiohttp.ClientSession(trust_env=True) as http:
                async with http.get(self.url) as response:
                    response.raise_for_status()
                    jwks_uri = (await response.json(content_type=None))["jwks_uri"]
                async with http.get(jwks_uri) as response:
                    response.raise_for_status()
                    keys = (await response.json(content_type=None))["keys"]
            self._keys = {k["kid"]: k for k in keys if isinstance(k, dict) and isinstance(k.get("kid"), str)}
            self._fetched_at, self._failed_at = clock.now(), None
            log.info("signing keys fetched from %s: %d keys", self.url, len(self._keys))
        except (TimeoutError, aiohttp.ClientError, ValueError, KeyError, TypeError) as error:
            self._failed_at = clock.now()
            log.warning("signing keys could not be fetched from %s: %s", self.url, type(error).__name__)
            raise KeysUnavailable from None
        finally:
            self._fetch = None
