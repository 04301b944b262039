"""Named benchmark scenarios: each builds the activity for request i, and says which targets it applies to.

To add one, write a `build(service_url, i)` function and append a `Scenario` to SCENARIOS. If it needs data
in the database (an organisation, a målplan), give it a `prepare(database_url)`: it runs once on the migrated
template database that every Styringsbot run starts from a copy of. Replies the bot sends to the connector are
checked with `reply_ok`, so a bot that fails fast (an error message instead of the answer) cannot look fast.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.serve import ECHO, TARGETS
from cards import texts
from domain.actor import Actor
from domain.entries import TegnData
from domain.vocabulary import EntryKind
from domain.workflow import submit
from storage import repo
from storage.db import create_engine, create_sessionmaker
from storage.orgfile import import_file
from testkit import activities
from testkit.activities import User

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
    # Checks the HTTP answer itself (for invokes, whose answer is the card).
    response_ok: Callable[[bytes], bool] | None = None


def _help_message(service_url: str, i: int) -> dict[str, Any]:
    return activities.message(service_url, "hjælp", user=bench_user(i))


# --- Approval cards: the refresh invoke Teams sends when a leder looks at an approval card. It reads the entry
# with its history and the route, decides whether it is the viewer's turn, and answers with the card: the path
# that must stay inside Teams' 5-second invoke budget.

APPROVAL_ENTRIES = 40
DEMO_ORGANISATION = Path(__file__).resolve().parents[1] / "demo" / "organisation.yaml"


def _seed_entries(database_url: str) -> None:
    async def seed() -> None:
        await import_file(database_url, DEMO_ORGANISATION)
        engine = create_engine(database_url)
        try:
            async with create_sessionmaker(engine).begin() as session:
                person = await repo.person_by_email(session, activities.METTE.email)
                assert person is not None and person.unit_id is not None
                me = Actor.of(person)
                [maal, *_] = await repo.maal_for_units(session, [person.unit_id], 2026)
                for n in range(APPROVAL_ENTRIES):
                    await submit(
                        session,
                        actor=me,
                        kind=EntryKind.TEGN,
                        unit_id=person.unit_id,
                        maal_id=maal.id,
                        data=TegnData(tegn=f"Flere børn fortæller selv om weekenden ({n})", maalgruppe="3-5 år"),
                        idempotency_key=f"bench-{n}",
                    )
        finally:
            await engine.dispose()

    asyncio.run(seed())


def _refresh_approval(service_url: str, i: int) -> dict[str, Any]:
    entry_id = i % APPROVAL_ENTRIES + 1
    return activities.execute(service_url, "refresh", {"entry_id": entry_id}, user=activities.LARS, trigger="automatic")


def _is_card(answer: bytes) -> bool:
    try:
        body = json.loads(answer)
    except ValueError:
        return False
    return isinstance(body, dict) and body.get("type") == "application/vnd.microsoft.card.adaptive"


SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in [
        Scenario(
            name="message",
            description="a personal-chat message 'hjælp' (echo: one text reply; Styringsbot: the help card)",
            build=_help_message,
        ),
        Scenario(
            name="approval",
            description="Action.Execute refresh of a pending tegn's approval card by its leder (answered with a card)",
            build=_refresh_approval,
            targets=tuple(t for t in ALL_TARGETS if t != ECHO),
            replies_per_request=0,
            prepare=_seed_entries,
            response_ok=_is_card,
        ),
    ]
}
