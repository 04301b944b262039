"""Bursts: many people act in one group chat within a second (open loop), as in a meeting.

Unlike the closed-loop scenarios, a burst sends each participant's activity at a fixed moment (spread evenly
over `within_s`), whether or not earlier ones were answered, and reports each acknowledgement's latency, how
many were lost, and how the bot's calls to that conversation spread over time (Teams allows 7 a second).

The meeting bursts (issue 11: "60 participants add a proposal within one second") run against one open tegn round
in one group chat. The round is started over HTTP in the bot under test, as a leder would start it (`møde`, then
Start on the set-up card), before the burst; then every participant either clicks Tilføj on the round card
(`Action.Execute` with the button's verb and data, the typed proposal merged in as Teams does) or types
`@Styringsbot <proposal>`. Afterwards the run waits for the shared card to show the final count and checks the
database: every proposal stored exactly once.

To add a burst, write `build(service_url, k, seed)` for participant k and, when it needs rows, `prepare(seeder,
setup)`; `start` runs against the bot once it listens (a round opened through its own flow); `check` runs after
the burst, while the bot still runs. Append a `Burst` to BURSTS; it runs on every backend. `limits` holds the
goals the report checks.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import statistics
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import func, select

from bench.databases import Databases
from bench.load import (
    REQUEST_TIMEOUT,
    CountingConnector,
    Target,
    encode,
    log_tail,
    most_within_a_second,
    percentile,
    process_cpu_seconds,
)
from bench.profile import breakdown, profiled
from bench.scenarios import Setup, no_error_reply
from bench.seed import Org, Seeder, unit_index
from bench.serve import STYRINGSBOT
from cards import danish, texts
from cards.payloads import Command
from storage.models import RoundProposal
from testkit import activities
from testkit.activities import User
from testkit.connector import Member, Sent

MEETING_CHAT = activities.group_conversation("Personalemøde Bench")
# Teams' limit for a bot in one conversation: 7 operations a second.
# https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit
TEAMS_PER_SECOND = 7
# How long the shared card may take to show the final count after the burst: the coalescer's first wait (1 s)
# plus its interval (ROUND_UPDATE_SECONDS, 5 s by default), with room for a busy machine.
FINAL_UPDATE_WITHIN = 15.0

# Posts an activity to the bot under test; returns the HTTP status and the answer's body.
Post = Callable[[dict[str, Any]], Awaitable[tuple[int, bytes]]]


@dataclass
class Checked:
    """What a burst's own check found after the burst: figures for the report, problems, and warnings (figures
    over a platform limit that the bot does not control by itself; reported, not failed)."""

    figures: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Burst:
    name: str
    description: str
    build: Callable[[str, int, Any], dict[str, Any]]
    prepare: Callable[[Seeder, Setup], Awaitable[Any]] | None = None
    # Against the bot once it listens, before the burst: returns the seed `build` gets.
    start: Callable[[Post, CountingConnector, Any], Awaitable[Any]] | None = None
    # Participant k's HTTP answer (for invokes, whose answer is the card).
    response_ok: Callable[[int, Any, bytes], bool] | None = None
    # Every call the bot makes to the connector during the burst.
    reply_ok: Callable[[str, dict[str, Any]], bool] = no_error_reply
    # After the burst, with the bot still running: (connector, database url, seed, participants, burst start).
    check: Callable[[CountingConnector, str, Any, int, float], Awaitable[Checked]] | None = None
    participants: int = 60
    within_s: float = 1.0
    # Connector calls per participant (None: not checked here; `check` counts them).
    replies_per_participant: int | None = 1
    # Goals, by figure: the figure must not be over the value ("p99_ms", "max_calls_per_second", ...).
    limits: dict[str, float] = field(default_factory=dict)
    # Runs per backend at most (None: --burst-repeats); a burst without goals needs no more than one.
    repeats: int | None = None


def _group_hjaelp(service_url: str, k: int, seed: Any) -> dict[str, Any]:
    org: Org = seed
    return activities.group_message(service_url, "hjælp", user=org.medarbejder(k), conversation=MEETING_CHAT)


# --- The meeting: one open tegn round, 60 people adding a proposal ---------------------------------------------


@dataclass(frozen=True)
class Meeting:
    """A group chat with one open tegn round: the leder who started it, the participants (the leder's own
    medarbejdere and Teams-only members the organisation file does not know), and, once open, the round."""

    leder: User
    participants: list[User]
    # Whether each participant's client has shown the card before the burst: one refresh invoke each (Teams
    # refreshes the card for the chat's members when they look at it), so the burst is not their first contact.
    seen: bool = False
    round_id: int = 0
    # The shared card's message (what the coalescer updates) and the Tilføj button's verb and data.
    message_id: str = ""
    add_verb: str = ""
    add_data: dict[str, Any] = field(default_factory=dict)

    def proposal(self, k: int) -> str:
        return f"Forslag {k:03d}: flere børn siger selv goddag til de voksne om morgenen"


async def _meeting(_seeder: Seeder, setup: Setup) -> Meeting:
    """Leder Nummer000's meeting: the unit's own medarbejdere, medarbejdere of other units standing in for the rest
    of a large personalemøde (all in the organisation file, all have used the bot before, none in this chat), and
    one in twelve a Teams-only member the organisation file does not know (a vikar, a student: first contact)."""
    leder = setup.org.ledere[0]
    guests = [
        User(f"29:gaest-{n:03d}", f"Gæst Nummer{n:03d}", f"aad-gaest-{n:03d}", f"gaest-{n:03d}@example.org")
        for n in range(max(1, setup.count // 12))
    ]
    colleagues = iter(sorted(setup.org.medarbejdere, key=lambda m: unit_index(m) != unit_index(leder)))
    newcomers = iter(guests)
    # The Teams-only members spread over the second, as they would sit among the others.
    every = setup.count // len(guests)
    people = [next(newcomers) if k % every == every - 1 else next(colleagues) for k in range(setup.count)]
    return Meeting(leder, people)


async def _meeting_seen(seeder: Seeder, setup: Setup) -> Meeting:
    return replace(await _meeting(seeder, setup), seen=True)


def _walk(node: object) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _execute_action(card: dict[str, Any], title: str) -> dict[str, Any]:
    found = [n for n in _walk(card) if n.get("type") == "Action.Execute" and n.get("title") == title]
    if not found:
        raise RuntimeError(f"no {title!r} button on the card")
    return found[0]


def _cards_in(sent: list[Sent], method: str) -> list[Sent]:
    return [s for s in sent if s.method == method and s.conversation_id == MEETING_CHAT["id"] and s.cards]


async def _open_round(post: Post, connector: CountingConnector, seed: Any) -> Meeting:
    """The leder writes `@Styringsbot møde` in the chat and clicks Start on the set-up card (a tegn round on the
    first mål offered, the card's default settings); the round card is posted. Over HTTP, in the bot under test."""
    meeting: Meeting = seed
    for user in (meeting.leder, *meeting.participants):
        connector.add_member(Member(user.id, user.name, user.aad_object_id, user.email))
    connector.record, connector.sent = True, []
    try:
        status, _ = await post(
            activities.group_message(connector.url, Command.MOEDE.value, user=meeting.leder, conversation=MEETING_CHAT)
        )
        setup = next(iter(_cards_in(connector.sent, "POST")), None)
        if status >= 300 or setup is None:
            raise RuntimeError(f"`møde` was not answered with the set-up card (HTTP {status})")
        card = setup.cards[0]
        start = _execute_action(card, texts.ROUND_BUTTON_START)
        inputs = {n["id"]: n.get("value") for n in _walk(card) if str(n.get("type", "")).startswith("Input.")}
        targets = [c["value"] for n in _walk(card) if n.get("id") == "target" for c in n.get("choices", [])]
        tegn = next((t for t in targets if t.startswith("tegn:")), None)
        if tegn is None:
            raise RuntimeError(f"the set-up card offers no tegn round: {targets}")
        data = {**start.get("data", {}), **inputs, "target": tegn}
        before = len(connector.sent)
        status, answer = await post(
            activities.execute(
                connector.url,
                start["verb"],
                data,
                user=meeting.leder,
                conversation=MEETING_CHAT,
                reply_to_id=setup.message_id,
            )
        )
        if status != 200 or texts.ROUND_STARTED not in _shown(answer):
            raise RuntimeError(f"Start was not answered with 'started' (HTTP {status}): {answer[:300]!r}")
        base = next(iter(_cards_in(connector.sent[before:], "POST")), None)
        if base is None:
            raise RuntimeError("no round card was posted in the chat")
        add = _execute_action(base.cards[0], texts.ROUND_BUTTON_ADD)
        if meeting.seen:
            await _refresh_each(post, connector.url, meeting, base.cards[0]["refresh"]["action"])
    finally:
        connector.record, connector.sent = False, []
    return replace(
        meeting,
        round_id=int(start["data"]["round_id"]),
        message_id=base.message_id,
        add_verb=add["verb"],
        add_data=dict(add.get("data", {})),
    )


async def _refresh_each(post: Post, service_url: str, meeting: Meeting, refresh: dict[str, Any]) -> None:
    """Each participant's client shows the card: the card's refresh action, trigger automatic, one at a time."""
    for user in meeting.participants:
        status, answer = await post(
            activities.execute(
                service_url,
                refresh["verb"],
                refresh.get("data", {}),
                user=user,
                conversation=MEETING_CHAT,
                trigger="automatic",
            )
        )
        if status != 200 or texts.ROUND_BUTTON_ADD not in _shown(answer):
            raise RuntimeError(f"a refresh was not answered with the round card (HTTP {status}): {answer[:300]!r}")


def _shown(answer: bytes) -> str:
    """An invoke's answer as text, for looking for a line in it."""
    try:
        return json.dumps(json.loads(answer), ensure_ascii=False)
    except ValueError:
        return ""


def _click_add(service_url: str, k: int, seed: Any) -> dict[str, Any]:
    """Participant k types a proposal in the round card's input and clicks Tilføj (Teams merges the inputs into
    the button's data)."""
    meeting: Meeting = seed
    data = {**meeting.add_data, "proposal": meeting.proposal(k)}
    return activities.execute(
        service_url,
        meeting.add_verb,
        data,
        user=meeting.participants[k],
        conversation=MEETING_CHAT,
        reply_to_id=meeting.message_id,
    )


def _type_proposal(service_url: str, k: int, seed: Any) -> dict[str, Any]:
    """Participant k writes `@Styringsbot <proposal>` in the chat."""
    meeting: Meeting = seed
    return activities.group_message(
        service_url, meeting.proposal(k), user=meeting.participants[k], conversation=MEETING_CHAT
    )


def _own_card_with_proposal(k: int, seed: Any, answer: bytes) -> bool:
    """The invoke's answer is the person's own round card, with their proposal on it and the thanks (not a
    refusal or an error)."""
    meeting: Meeting = seed
    try:
        body = json.loads(answer)
    except ValueError:
        return False
    if not isinstance(body, dict) or body.get("statusCode") != 200:
        return False
    shown = json.dumps(body.get("value"), ensure_ascii=False)
    return texts.ROUND_ADDED in shown and meeting.proposal(k) in shown


def _pattern(text: str) -> re.Pattern[str]:
    """A texts constant with its {fields} as wildcards (names) or numbers ({count})."""
    escaped = re.escape(text).replace(r"\{count\}", "[0-9]+")
    return re.compile("^" + re.sub(r"\\\{[a-z_]+\\\}", ".+", escaped) + "$")


# The thanks for typed proposals: one person's, or several people's together (a burst's, bot/rounds.py).
_CONFIRMATIONS = (_pattern(texts.ROUND_TYPED_ADDED), _pattern(texts.ROUND_TYPED_ADDED_MANY))


def _confirmation_or_card_update(_target: str, body: dict[str, Any]) -> bool:
    """What the bot may send during a meeting burst: the short confirmation of a typed proposal, or the shared
    card's update (a card, no text)."""
    text = body.get("text")
    if text:
        return any(pattern.match(text) for pattern in _CONFIRMATIONS)
    return bool(body.get("attachments"))


def _card_says(body: dict[str, Any] | None, line: str) -> bool:
    return body is not None and line in json.dumps(body.get("attachments"), ensure_ascii=False)


async def _check_round(
    connector: CountingConnector, database_url: str, seed: Any, participants: int, started: float
) -> Checked:
    """After the burst: the shared card shows the final count (within FINAL_UPDATE_WITHIN), how often and how fast
    it was updated, the confirmations, and every proposal stored exactly once in the database."""
    meeting: Meeting = seed
    found = Checked()
    final = danish.fill(texts.ROUND_COUNT, count=participants, people=participants)
    shown = await connector.until(
        lambda: _card_says(connector.last_update.get(meeting.message_id), final), within=FINAL_UPDATE_WITHIN
    )
    # An update after the one that showed the final count would be one too many; give it a moment to show.
    await asyncio.sleep(1.0)
    updates = connector.update_times.get(meeting.message_id, [])
    conversation = MEETING_CHAT["id"]
    async with Seeder(database_url) as seeder, seeder.sessionmaker() as session:
        rows = (
            await session.execute(
                select(RoundProposal.text, func.count(), func.count(func.distinct(RoundProposal.author_id)))
                .where(RoundProposal.round_id == meeting.round_id, RoundProposal.removed.is_(False))
                .group_by(RoundProposal.text)
            )
        ).all()
    expected = {meeting.proposal(k) for k in range(participants)}
    stored = {text: (count, authors) for text, count, authors in rows}
    found.figures = {
        "proposals_stored": sum(count for count, _ in stored.values()),
        "base_card_updates": len(updates),
        "base_updates_max_per_second": most_within_a_second(updates),
        "final_count_shown_after_s": round(updates[-1] - started, 2) if shown and updates else None,
        "confirmations": connector.posts.get(conversation, 0),
    }
    if not shown:
        found.problems.append(f"the shared card never showed {final!r}")
    missing = expected - set(stored)
    twice = sorted(text for text, (count, _) in stored.items() if count != 1)
    if missing or twice or set(stored) != expected:
        found.problems.append(
            f"proposals stored: {found.figures['proposals_stored']} of {participants}; missing {len(missing)}, "
            f"stored more than once {len(twice)}, unexpected {len(set(stored) - expected)}"
        )
    return found


async def _check_typed(
    connector: CountingConnector, database_url: str, seed: Any, participants: int, started: float
) -> Checked:
    found = await _check_round(connector, database_url, seed, participants, started)
    # The first of a burst is thanked at once, the others together, a message a second (bot/rounds.py).
    confirmations = found.figures["confirmations"]
    if not 1 <= confirmations <= participants:
        found.problems.append(f"{confirmations} thank-you messages in the chat, expected 1 to {participants}")
    return found


# Goals on time, which a smoke run (--quick) does not hold.
TIMED_LIMITS = frozenset({"p99_ms"})
MEETING_LIMITS = {"p99_ms": 500.0, "base_updates_max_per_second": TEAMS_PER_SECOND}

BURSTS: dict[str, Burst] = {
    b.name: b
    for b in [
        Burst(
            name="group-hjaelp",
            description="60 people in one group chat @mention the bot with 'hjælp' within one second (each gets the "
            "help card in the chat): the plumbing the meeting bursts use",
            build=_group_hjaelp,
            repeats=1,
        ),
        Burst(
            name="meeting-add",
            description="60 participants click Tilføj on one open tegn round's card within one second "
            "(Action.Execute round_add; each is answered with their own card showing their proposal); the shared "
            "card's coalesced updates follow",
            build=_click_add,
            prepare=_meeting,
            start=_open_round,
            response_ok=_own_card_with_proposal,
            reply_ok=_confirmation_or_card_update,
            check=_check_round,
            replies_per_participant=None,
            limits={**MEETING_LIMITS, "max_calls_per_second": TEAMS_PER_SECOND, "confirmations": 0},
        ),
        Burst(
            name="meeting-add-seen",
            description="as meeting-add, but every participant's client has shown the card first (one refresh "
            "invoke each, before the burst): the burst is not anyone's first turn in the chat",
            build=_click_add,
            prepare=_meeting_seen,
            start=_open_round,
            response_ok=_own_card_with_proposal,
            reply_ok=_confirmation_or_card_update,
            check=_check_round,
            replies_per_participant=None,
            limits={**MEETING_LIMITS, "max_calls_per_second": TEAMS_PER_SECOND, "confirmations": 0},
        ),
        Burst(
            name="meeting-typed",
            description="the same 60 participants type '@Styringsbot <proposal>' within one second (the first is "
            "thanked at once, the others together, a message a second); the shared card's coalesced updates follow",
            build=_type_proposal,
            prepare=_meeting,
            start=_open_round,
            reply_ok=_confirmation_or_card_update,
            check=_check_typed,
            replies_per_participant=None,
            limits={**MEETING_LIMITS, "max_calls_per_second": TEAMS_PER_SECOND},
        ),
    ]
}


async def run_burst(
    burst: Burst,
    args: argparse.Namespace,
    databases: Databases,
    connector: CountingConnector,
    templates: dict[tuple[str, str], tuple[str, Any]],
    org: Org,
    workdir: Path,
) -> dict[str, Any]:
    """The burst on every backend, `--burst-repeats` times each (a fresh database and bot process each time): one
    second of load is at the mercy of whatever else the machine does in that second, so the report takes the
    median of the repeats' latencies and the worst of their counts."""
    participants = burst.participants if not args.quick else min(burst.participants, 10)
    results = []
    for backend in databases.backends():
        template_url, _ = templates[("org", backend)]
        repeats = []
        for repeat in range(1, min(args.burst_repeats, burst.repeats or args.burst_repeats) + 1):
            url = await databases.copy(backend, template_url, f"burst-{burst.name}")
            try:
                name = f"burst-{burst.name}-{backend}-{repeat}"
                repeats.append(await _run_once(burst, args, connector, url, org, participants, workdir / name))
            except Exception as error:  # one burst that cannot run must not cost the whole run's results
                repeats.append(_did_not_run(burst, participants, error))
            finally:
                connector.record, connector.sent = False, []
                await databases.drop(url)
        combined = _combine(burst, repeats, quick=args.quick)
        results.append({"name": burst.name, "backend": backend, "participants": participants, **combined})
    # One entry per burst in the report: the first backend's, with the others attached.
    first, *others = results
    first["other_backends"] = others
    return first


async def _run_once(
    burst: Burst,
    args: argparse.Namespace,
    connector: CountingConnector,
    url: str,
    org: Org,
    participants: int,
    base: Path,
) -> dict[str, Any]:
    seed: Any = org
    if burst.prepare is not None:
        async with Seeder(url) as seeder:
            seed = await burst.prepare(seeder, Setup(connector.url, org, participants))
    log_path = base.with_suffix(".log")
    with log_path.open("wb") as log:
        target = Target(STYRINGSBOT, url, log)
        await target.start()
        try:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)) as session:
                if burst.start is not None:
                    seed = await burst.start(_poster(session, target.url), connector, seed)
                bodies = [encode(burst.build(connector.url, k, seed)) for k in range(participants)]
                async with profiled(args.profile, base.name, target.pid) as profile:  # the burst and the waits after it
                    result = await _fire(burst, session, target.url, bodies, connector, seed, target.pid)
            if profile is not None:
                result["profile"] = {"file": str(profile), "breakdown": breakdown(profile)}
            started = result.pop("started")
            if burst.check is not None:
                checked = await burst.check(connector, url, seed, participants, started)
                result.update(checked.figures)
                result["problems"] += checked.problems
                result["warnings"] = checked.warnings
        finally:
            await target.stop()
    if result["problems"]:
        result["log_tail"] = log_tail(log_path)
    return result


def _did_not_run(burst: Burst, participants: int, error: Exception) -> dict[str, Any]:
    return {
        "within_s": burst.within_s,
        "ok": 0,
        "lost": participants,
        "p50_ms": None,
        "p99_ms": None,
        "connector_calls": 0,
        "max_calls_per_second": 0,
        "problems": [f"the burst did not run: {type(error).__name__}: {str(error)[:300]}"],
    }


# Figures of the repeats: the median of these, the worst (highest) of the others, the sum of "lost".
_MEDIAN = frozenset(
    {"p50_ms", "p99_ms", "bot_cpu_ms_per_participant", "bot_cpu_share", "last_answer_s", "final_count_shown_after_s"}
)


def _combine(burst: Burst, repeats: list[dict[str, Any]], *, quick: bool) -> dict[str, Any]:
    combined: dict[str, Any] = {"repeats": len(repeats), "within_s": burst.within_s, "limits": burst.limits}
    for key in dict.fromkeys(key for r in repeats for key in r):
        values = [r.get(key) for r in repeats]
        numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
        if key in _MEDIAN:
            combined[key] = round(statistics.median(numbers), 3) if numbers else None
        elif key == "lost":
            combined[key] = sum(numbers)
        elif key == "ok":
            combined[key] = min(numbers)
        elif numbers:
            combined[key] = max(numbers)
    combined["each"] = [
        {
            k: r.get(k)
            for k in (
                "p50_ms",
                "p99_ms",
                "bot_cpu_ms_per_participant",
                "bot_cpu_share",
                "base_card_updates",
                "latencies_ms",
            )
        }
        for r in repeats
    ]
    combined["problems"] = [
        f"repeat {n}: {problem}" if len(repeats) > 1 else problem
        for n, r in enumerate(repeats, start=1)
        for problem in r["problems"]
    ]
    combined["problems"] += _over_limits(burst, combined, quick=quick)
    combined["warnings"] = sorted({w for r in repeats for w in r.get("warnings", [])}) + _warnings(combined)
    combined["profiles"] = [r["profile"] for r in repeats if r.get("profile")]
    tails = [r["log_tail"] for r in repeats if r.get("log_tail")]
    if tails:
        combined["log_tail"] = tails[0]
    return combined


def _poster(session: aiohttp.ClientSession, url: str) -> Post:
    async def post(activity: dict[str, Any]) -> tuple[int, bytes]:
        async with session.post(url, data=encode(activity), headers={"Content-Type": "application/json"}) as answer:
            return answer.status, await answer.read()

    return post


def _over_limits(burst: Burst, result: dict[str, Any], *, quick: bool) -> list[str]:
    """The goals the run missed. --quick (the smoke check) holds only the counting goals, not the timed ones: a
    smoke run on a busy machine must not fail on latency."""
    problems = []
    for key, limit in burst.limits.items():
        if quick and key in TIMED_LIMITS:
            continue
        value = result.get(key)
        if value is None or value > limit:
            problems.append(f"{key} {value} is over the goal {limit}")
    return problems


def _warnings(result: dict[str, Any]) -> list[str]:
    """Over Teams' limit without a goal that says so: in Teams, the bot's calls beyond 7 a second to one
    conversation are answered with 429 and must be retried."""
    if "max_calls_per_second" in result["limits"] or result["max_calls_per_second"] <= TEAMS_PER_SECOND:
        return []
    return [
        f"{result['max_calls_per_second']} calls to the chat within one second ({result['connector_calls']} in "
        f"all); Teams allows {TEAMS_PER_SECOND} a second per conversation and throttles the rest (HTTP 429)"
    ]


async def _fire(
    burst: Burst,
    session: aiohttp.ClientSession,
    url: str,
    bodies: list[bytes],
    connector: CountingConnector,
    seed: Any,
    bot_pid: int,
) -> dict[str, Any]:
    connector.reset(STYRINGSBOT, burst.reply_ok)
    latencies: list[float] = []
    # By participant, in the order sent (None: lost or refused).
    by_participant: list[float | None] = [None] * len(bodies)
    failures: list[str] = []
    headers = {"Content-Type": "application/json"}
    started_at = time.monotonic()
    cpu_before = process_cpu_seconds(bot_pid)
    started = time.perf_counter()

    async def one(k: int, body: bytes) -> None:
        await asyncio.sleep(started + k * burst.within_s / len(bodies) - time.perf_counter())
        sent = time.perf_counter()
        try:
            async with session.post(url, data=body, headers=headers) as response:
                answer = await response.read()
                if not 200 <= response.status < 300:
                    failures.append(f"HTTP {response.status}")
                elif burst.response_ok is not None and not burst.response_ok(k, seed, answer):
                    failures.append(f"unexpected answer {answer[:200]!r}")
                else:
                    latencies.append(time.perf_counter() - sent)
                    by_participant[k] = latencies[-1]
        except (aiohttp.ClientError, TimeoutError) as error:
            failures.append(type(error).__name__)

    await asyncio.gather(*(one(k, body) for k, body in enumerate(bodies)))
    cpu_after = process_cpu_seconds(bot_pid)
    last_answer = time.perf_counter() - started
    # The bot's CPU per participant until the last answer: steadier than latency on a busy machine.
    cpu_s = None if cpu_before is None or cpu_after is None else cpu_after - cpu_before
    cpu_ms = None if cpu_s is None else cpu_s / len(bodies) * 1000
    expected = None if burst.replies_per_participant is None else burst.replies_per_participant * len(bodies)
    await connector.settle(expected or 0, within=5.0)
    # Let coalesced updates that come later arrive too.
    await asyncio.sleep(1.0)
    ordered = sorted(latencies)
    problems = [f"{len(failures)} lost or refused (first: {failures[0]})"] if failures else []
    if expected is not None and connector.replies != expected:
        problems.append(f"{connector.replies} connector calls, expected {expected}")
    if connector.bad_replies:
        problems.append(f"{connector.bad_replies} of the bot's calls to the connector were not what it should send")
    p50, p99 = percentile(ordered, 50), percentile(ordered, 99)
    return {
        "within_s": burst.within_s,
        "ok": len(latencies),
        "lost": len(failures),
        "p50_ms": None if p50 is None else round(p50 * 1000, 1),
        "p99_ms": None if p99 is None else round(p99 * 1000, 1),
        "last_answer_s": round(last_answer, 3),
        "bot_cpu_ms_per_participant": None if cpu_ms is None else round(cpu_ms, 1),
        # The share of a core the bot got until the last answer (1.0: a core of its own, all the time).
        "bot_cpu_share": None if cpu_s is None else round(cpu_s / last_answer, 2),
        "connector_calls": connector.replies,
        "max_calls_per_second": connector.calls_per_second(),
        "limits": burst.limits,
        "problems": problems,
        "started": started_at,
        "latencies_ms": [None if x is None else round(x * 1000, 1) for x in by_participant],
    }
