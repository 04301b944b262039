"""Named benchmark scenarios: each builds the activity for request i, and says which targets it applies to.

To add one, write a `build(service_url, i)` function and append a `Scenario` to SCENARIOS. If it needs data
in the database (an organisation, a målplan), give it a `prepare(database_url)`: it runs once on the migrated
template database that every Styringsbot run starts from a copy of. Replies the bot sends to the connector are
checked with `reply_ok`, so a bot that fails fast (an error message instead of the answer) cannot look fast.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench.serve import ECHO, TARGETS
from cards import texts
from tests import activities
from tests.activities import User

ALL_TARGETS = TARGETS

# Distinct users (and so distinct personal conversations), as many people using the bot at once would be.
USERS = 50

_ERROR_TEXTS = frozenset({texts.ERROR_GENERIC, texts.ERROR_TENANT_NOT_ALLOWED})


def bench_user(i: int) -> User:
    n = i % USERS
    return User(f"29:bench-{n}", f"Bench Bruger{n}", f"aad-bench-{n}", f"bench{n}@albertslund.dk")


def no_error_reply(target: str, body: dict[str, Any]) -> bool:
    """Any reply counts, except the error messages (the echo bot's and ours)."""
    text = body.get("text")
    if target == ECHO:
        return isinstance(text, str) and text.startswith("Echo: ")
    return text not in _ERROR_TEXTS


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    build: Callable[[str, int], dict[str, Any]]
    targets: tuple[str, ...] = ALL_TARGETS
    # Replies the bot must send to the connector per request (the turn counts as done when /api/messages returns).
    replies_per_request: int = 1
    reply_ok: Callable[[str, dict[str, Any]], bool] = no_error_reply
    prepare: Callable[[str], None] | None = None


def _help_message(service_url: str, i: int) -> dict[str, Any]:
    return activities.message(service_url, "hjælp", user=bench_user(i))


SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in [
        Scenario(
            name="message",
            description="a personal-chat message 'hjælp' (echo: one text reply; Styringsbot: the help card)",
            build=_help_message,
        ),
    ]
}
