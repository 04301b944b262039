"""Entra ID's token signing keys for Teams SSO: fetched without blocking, within a timeout, last good keys kept.

The same behaviour as the bot's key cache (bot/adapter.py, OpenIdKeys), for Entra ID's OpenID metadata: one fetch
at a time (concurrent requests wait for the same one), refreshed daily or when a token names a key we do not have
(at most hourly); after a failed fetch no new one starts for `retry_after` seconds, and tokens are checked with the
last good keys meanwhile, or refused.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from typing import Any

import aiohttp
from jwt.algorithms import RSAAlgorithm

from domain import clock
from domain.logsafe import escaped

log = logging.getLogger(__name__)


class KeysUnavailable(Exception):
    """The signing keys could not be fetched and none are known."""


class UnknownKey(Exception):
    """The token names a key Entra ID does not publish."""


class SigningKeys:
    MAX_AGE = dt.timedelta(days=1)
    UNKNOWN_KEY_REFRESH = dt.timedelta(hours=1)

    def __init__(self, metadata_url: str, *, timeout: float, retry_after: float):
        self.metadata_url = metadata_url
        self._timeout = timeout
        self._retry_after = dt.timedelta(seconds=retry_after)
        self._keys: dict[str, dict[str, Any]] = {}
        self._fetched_at: dt.datetime | None = None
        self._failed_at: dt.datetime | None = None
        self._fetch: asyncio.Future[None] | None = None
        self.fetches = 0  # how many fetches started (the tests count them)

    async def key(self, key_id: object) -> Any:
        """The public key for a token's `kid`."""
        now = clock.now()
        age = now - self._fetched_at if self._fetched_at is not None else None
        if age is None or age > self.MAX_AGE or (key_id not in self._keys and age > self.UNKNOWN_KEY_REFRESH):
            await self._refresh(now)
        jwk = self._keys.get(key_id) if isinstance(key_id, str) else None
        if jwk is None:
            raise UnknownKey
        return RSAAlgorithm.from_jwk(json.dumps(jwk))

    async def _refresh(self, now: dt.datetime) -> None:
        if self._failed_at is not None and now - self._failed_at < self._retry_after:
            if self._keys:
                return
            raise KeysUnavailable
        if self._fetch is None:
            self._fetch = asyncio.ensure_future(self._download())
        try:
            await asyncio.shield(self._fetch)
        except KeysUnavailable:
            if not self._keys:
                raise

    async def _download(self) -> None:
        self.fetches += 1
        try:
            async with asyncio.timeout(self._timeout), aiohttp.ClientSession() as http:
                async with http.get(self.metadata_url) as response:
                    response.raise_for_status()
                    jwks_uri = (await response.json(content_type=None))["jwks_uri"]
                async with http.get(jwks_uri) as response:
                    response.raise_for_status()
                    keys = (await response.json(content_type=None))["keys"]
            self._keys = {k["kid"]: k for k in keys if isinstance(k, dict) and isinstance(k.get("kid"), str)}
            self._fetched_at, self._failed_at = clock.now(), None
            log.info("Entra ID signing keys fetched: %d keys", len(self._keys))
        except (TimeoutError, aiohttp.ClientError, ValueError, KeyError, TypeError) as error:
            self._failed_at = clock.now()
            log.warning(
                "Entra ID keys could not be fetched from %s: %s", escaped(self.metadata_url), type(error).__name__
            )
            raise KeysUnavailable from None
        finally:
            self._fetch = None
