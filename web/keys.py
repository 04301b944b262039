"""Entra ID's token signing keys for Teams SSO: the bot's key cache (core.openid), for Entra ID's metadata."""

from __future__ import annotations

import json
import logging
from typing import Any

from jwt.algorithms import RSAAlgorithm

from core.openid import KeysUnavailable, SigningKeyCache

log = logging.getLogger(__name__)


class UnknownKey(Exception):
    """The token names a key Entra ID does not publish."""


class SigningKeys(SigningKeyCache):
    """Entra ID's keys for the tab's SSO tokens (core.openid: the same fetch and cache as the bot's)."""

    @property
    def metadata_url(self) -> str:
        return self.url

    async def key(self, key_id: object) -> Any:
        """The public key for a token's `kid`."""
        jwk = await self.jwk(key_id)
        if jwk is None:
            raise UnknownKey
        return RSAAlgorithm.from_jwk(json.dumps(jwk))


__all__ = ["KeysUnavailable", "SigningKeys", "UnknownKey"]
