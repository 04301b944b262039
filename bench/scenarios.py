"""Named benchmark scenarios: what request i is, what the database holds first, and what counts as a good answer.

Every Styringsbot scenario runs on the generated organisation (bench/seed.py: 150 arbejdspladser, 20
afdelinger, about 1,700 people who have all used the bot before), on SQLite and, with --postgres, on
PostgreSQL. Each is compared with the two baselines measured in the same round: the stock echo bot (`echo`)
and the echo bot on this project's adapter (`echo-cached`, the floor).

To add one, write `build(service_url, i, seed)` and, when it needs rows in place, an async
`prepare(seeder, setup)` that returns the `seed` handed to `build` (entry ids, say); then append a `Scenario`
to SCENARIOS. `prepare` runs once per backend on a copy of the organisation template; every measured run
starts from a fresh copy of its result. Replies the bot sends to the connector are counted and checked with
`reply_ok`, the HTTP answer with `response_ok`, so a bot that fails fast cannot look fast.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bench.seed import Org, Seeder, unit_index
from bench.serve import ECHO, ECHO_CACHED
from cards import texts
from cards.base import ADAPTIVE_CARD_CONTENT_TYPE
from cards.payloads import Command
from core.vocabulary import Action
from testkit import activities
from testkit.activities import User

# Distinct people (and so distinct personal conversations) for the read paths, as many people at once would be.
USERS = 50
# Pending entries in each leder's inbox (godkend shows the count, then one card each).
INBOX = 3
# Entries each user owns for `mine` (one page).
MINE_ENTRIES = 10

_ERROR_TEXTS = frozenset(
    {texts.ERROR_GENERIC, texts.ERROR_TENANT_NOT_ALLOWED, texts.STALE_CARD, texts.STALE_CARD_GONE, texts.USE_THE_CARD}
)
_REFUSALS = (
    texts.REFUSED_NOT_YOUR_TURN,
    texts.REFUSED_NOT_PENDING,
    texts.REFUSED_NOT_YOURS,
    texts.REFUSED_GENERIC,
    texts.ENTRY_NOT_FOUND,
)


@dataclass(frozen=True)
class Setup:
    """What `prepare` is told: where the connector is (stored conversation references point there), the
    organisation, and how many requests a run will build (scenarios that use up rows seed that many)."""

    service_url: str
    org: Org
    count: int


def no_error_reply(target: str, body: dict[str, Any]) -> bool:
    """Any reply counts, except the error messages (the echo bot's and ours)."""
    text = body.get("text")
    if target in (ECHO, ECHO_CACHED):
        return isinstance(text, str) and text.startswith("Echo: ")
    return text not in _ERROR_TEXTS


def card_reply(target: str, body: dict[str, Any]) -> bool:
    """A reply that is an Adaptive Card (and no text): the answer these scenarios must get, not a fallback."""
    attachments = body.get("attachments") or []
    return not body.get("text") and any(a.get("contentType") == ADAPTIVE_CARD_CONTENT_TYPE for a in attachments)


def is_card(answer: bytes) -> bool:
    """An invoke answered with a card, and not with a refusal notice on it."""
    try:
        body = json.loads(answer)
    except ValueError:
        return False
    if not (isinstance(body, dict) and body.get("type") == "application/vnd.microsoft.card.adaptive"):
        return False
    shown = json.dumps(body.get("value"), ensure_ascii=False)
    return not any(refusal in shown for refusal in _REFUSALS)


Build = Callable[[str, int, Any], dict[str, Any]]
Prepare = Callable[[Seeder, Setup], Awaitable[Any]]


async def _nothing(_seeder: Seeder, _setup: Setup) -> None:
    return None


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    build: Build
    prepare: Prepare = _nothing
    # Replies the bot must send to the connector per request; some come after /api/messages answered
    # (notifications in the background), so the run waits briefly for them.
    replies_per_request: int = 1
    reply_ok: Callable[[str, dict[str, Any]], bool] = no_error_reply
    # Checks the HTTP answer itself (for invokes, whose answer is the card).
    response_ok: Callable[[bytes], bool] | None = None
    # "read" or "write": the goal it is held against (3x or 2x the stock echo bot's turns/s).
    path: str = "read"


def _says(text: str) -> Build:
    def build(service_url: str, i: int, seed: Any) -> dict[str, Any]:
        org: Org = seed
        return activities.message(service_url, text, user=org.medarbejder(i % USERS))

    return build


# The baselines' request: the echo bots answer any text with one line.
ECHO_BUILD = _says("hjælp")


async def _org(_seeder: Seeder, setup: Setup) -> Org:
    return setup.org


async def _mine(seeder: Seeder, setup: Setup) -> Org:
    users = [setup.org.medarbejder(i) for i in range(USERS)]
    await seeder.submit_tegn([u for u in users for _ in range(MINE_ENTRIES)], "mine")
    return setup.org


def _inbox_owners(org: Org) -> list[User]:
    """INBOX medarbejdere of each of the first USERS arbejdspladser, in unit order."""
    return [org.medarbejdere[u + n * len(org.ledere)] for u in range(USERS) for n in range(INBOX)]


@dataclass(frozen=True)
class Decisions:
    org: Org
    # (entry id, version) for request i.
    entries: list[tuple[int, int]]


async def _inboxes(seeder: Seeder, setup: Setup) -> Decisions:
    """INBOX pending tegn in each of the first USERS arbejdspladser, waiting for its leder."""
    return Decisions(setup.org, await seeder.submit_tegn(_inbox_owners(setup.org), "inbox"))


def _godkend(service_url: str, i: int, seed: Any) -> dict[str, Any]:
    decisions: Decisions = seed
    return activities.message(service_url, Command.GODKEND.value, user=decisions.org.ledere[i % USERS])


def _refresh(service_url: str, i: int, seed: Any) -> dict[str, Any]:
    decisions: Decisions = seed
    entry_id, _version = decisions.entries[i % len(decisions.entries)]
    # Entries were seeded INBOX per unit in unit order: the leder of that unit looks at its card.
    leder = decisions.org.ledere[(i % len(decisions.entries)) // INBOX]
    return activities.execute(service_url, "refresh", {"entry_id": entry_id}, user=leder, trigger="automatic")


async def _sends(seeder: Seeder, setup: Setup) -> Org:
    """Fresh medarbejdere, each with a tegn flow waiting at its check step for the Send click."""
    org = setup.org
    users = [org.medarbejder(i) for i in range(setup.count)]
    if len(set(users)) < setup.count:
        raise ValueError(f"tegn-send needs one person per request; the organisation has {len(org.medarbejdere)}")
    await seeder.tegn_at_check(users, [send_key(i) for i in range(setup.count)])
    return org


def send_key(i: int) -> str:
    return f"benchsend{i:023d}"


def _send(service_url: str, i: int, seed: Any) -> dict[str, Any]:
    org: Org = seed
    value = {"action": "send", "flow": "tegn", "submission_key": send_key(i)}
    return activities.submit(service_url, value, user=org.medarbejder(i), reply_to_id=f"msg-check-{i}")


async def _fresh_entries(seeder: Seeder, setup: Setup) -> Decisions:
    owners = [setup.org.medarbejder(i) for i in range(setup.count)]
    return Decisions(setup.org, await seeder.submit_tegn(owners, "decide"))


def _decide(service_url: str, i: int, seed: Any) -> dict[str, Any]:
    decisions: Decisions = seed
    entry_id, version = decisions.entries[i]
    leder = decisions.org.leder_of(decisions.org.medarbejder(i))
    assert unit_index(leder) == unit_index(decisions.org.medarbejder(i))
    data = {"entry_id": entry_id, "decision": Action.RECOMMEND.value, "version": version}
    return activities.execute(service_url, "decide", data, user=leder, reply_to_id=f"msg-approval-{i}")


SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in [
        Scenario(
            name="hjaelp",
            description="a personal-chat message 'hjælp', answered with the help card",
            build=_says("hjælp"),
            reply_ok=card_reply,
            prepare=_org,
        ),
        Scenario(
            name="mine",
            description=f"'mine' by a medarbejder with {MINE_ENTRIES} entries: one card listing them",
            build=_says(Command.MINE.value),
            reply_ok=card_reply,
            prepare=_mine,
        ),
        Scenario(
            name="godkend",
            description=(
                f"'godkend' by a leder with {INBOX} entries waiting: the count, one card each, then the typed forms"
            ),
            build=_godkend,
            prepare=_inboxes,
            replies_per_request=1 + INBOX + 1,
        ),
        Scenario(
            name="approval",
            description="Action.Execute refresh of a pending tegn's approval card by its leder (answered with a card)",
            build=_refresh,
            prepare=_inboxes,
            replies_per_request=0,
            response_ok=is_card,
        ),
        Scenario(
            name="tegn-send",
            description="the Send click of a tegn flow at its check step (dialog state in place): the entry is "
            "stored, the receipt replaces the card, the leder's approval card goes out",
            build=_send,
            reply_ok=card_reply,
            prepare=_sends,
            replies_per_request=2,
            path="write",
        ),
        Scenario(
            name="decision",
            description="Anbefal (Action.Execute) by the leder on a fresh pending tegn: answered with the card; the "
            "chef's approval card, the owner's news and the clicked card's update go out in the background",
            build=_decide,
            reply_ok=card_reply,
            prepare=_fresh_entries,
            replies_per_request=3,
            response_ok=is_card,
            path="write",
        ),
    ]
}
