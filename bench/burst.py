"""Bursts: many people act in one group chat within a second (open loop), as in a meeting.

Unlike the closed-loop scenarios, a burst sends each participant's activity at a fixed moment (spread evenly
over `within_s`), whether or not earlier ones were answered, and reports each acknowledgement's latency, how
many were lost, and how the bot's calls to that conversation spread over time (Teams allows 7 a second).

To add one (the meeting's "add a proposal" burst, once that flow exists), write `build(service_url, k, seed)`
for participant k and, when it needs rows, `prepare(seeder, setup)`, and append a `Burst` to BURSTS. It runs on
every backend. `limits` holds the goals the report checks.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from bench.databases import Databases
from bench.load import REQUEST_TIMEOUT, CountingConnector, Target, encode, log_tail, percentile
from bench.scenarios import Setup, no_error_reply
from bench.seed import Org, Seeder
from bench.serve import STYRINGSBOT
from testkit import activities

MEETING_CHAT = activities.group_conversation("Personalemøde Bench")


@dataclass(frozen=True)
class Burst:
    name: str
    description: str
    build: Callable[[str, int, Any], dict[str, Any]]
    prepare: Callable[[Seeder, Setup], Awaitable[Any]] | None = None
    participants: int = 60
    within_s: float = 1.0
    # Connector calls per participant (None: not checked).
    replies_per_participant: int | None = 1
    # Goals: "p99_ms", "max_calls_per_second".
    limits: dict[str, float] = field(default_factory=dict)


def _group_hjaelp(service_url: str, k: int, seed: Any) -> dict[str, Any]:
    org: Org = seed
    return activities.group_message(service_url, "hjælp", user=org.medarbejder(k), conversation=MEETING_CHAT)


BURSTS: dict[str, Burst] = {
    b.name: b
    for b in [
        Burst(
            name="group-hjaelp",
            description="60 people in one group chat @mention the bot with 'hjælp' within one second (each gets the "
            "help card in the chat); the plumbing the meeting burst will use",
            build=_group_hjaelp,
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
    participants = burst.participants if not args.quick else min(burst.participants, 10)
    results = []
    for backend in databases.backends():
        template_url, _ = templates[("org", backend)]
        url = await databases.copy(backend, template_url, f"burst-{burst.name}")
        try:
            seed: Any = org
            if burst.prepare is not None:
                async with Seeder(url) as seeder:
                    seed = await burst.prepare(seeder, Setup(connector.url, org, participants))
            bodies = [encode(burst.build(connector.url, k, seed)) for k in range(participants)]
            log_path = workdir / f"burst-{burst.name}-{backend}.log"
            with log_path.open("wb") as log:
                target = Target(STYRINGSBOT, url, log)
                await target.start()
                try:
                    result = await _fire(burst, target.url, bodies, connector)
                finally:
                    await target.stop()
            if result["problems"]:
                result["log_tail"] = log_tail(log_path)
        finally:
            await databases.drop(url)
        results.append({"name": burst.name, "backend": backend, "participants": participants, **result})
    # One entry per burst in the report: the first backend's, with the others attached.
    first, *others = results
    first["other_backends"] = others
    return first


async def _fire(burst: Burst, url: str, bodies: list[bytes], connector: CountingConnector) -> dict[str, Any]:
    connector.reset(STYRINGSBOT, no_error_reply)
    latencies: list[float] = []
    failures: list[str] = []
    headers = {"Content-Type": "application/json"}
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)) as session:
        started = time.perf_counter()

        async def one(k: int, body: bytes) -> None:
            await asyncio.sleep(started + k * burst.within_s / len(bodies) - time.perf_counter())
            sent = time.perf_counter()
            try:
                async with session.post(url, data=body, headers=headers) as response:
                    await response.read()
                    if 200 <= response.status < 300:
                        latencies.append(time.perf_counter() - sent)
                    else:
                        failures.append(f"HTTP {response.status}")
            except (aiohttp.ClientError, TimeoutError) as error:
                failures.append(type(error).__name__)

        await asyncio.gather(*(one(k, body) for k, body in enumerate(bodies)))
        expected = None if burst.replies_per_participant is None else burst.replies_per_participant * len(bodies)
        await connector.settle(expected or 0, within=5.0)
        # Let coalesced updates that come later arrive too.
        await asyncio.sleep(1.0)
    ordered = sorted(latencies)
    per_second = connector.calls_per_second()
    problems = [f"{len(failures)} lost ({failures[0]})"] if failures else []
    if expected is not None and connector.replies != expected:
        problems.append(f"{connector.replies} connector calls, expected {expected}")
    if connector.bad_replies:
        problems.append(f"{connector.bad_replies} replies were error messages")
    p99 = percentile(ordered, 99)
    result: dict[str, Any] = {
        "within_s": burst.within_s,
        "ok": len(latencies),
        "lost": len(failures),
        "p50_ms": None if not ordered else round(percentile(ordered, 50) * 1000, 1),  # type: ignore[operator]
        "p99_ms": None if p99 is None else round(p99 * 1000, 1),
        "connector_calls": connector.replies,
        "max_calls_per_second": per_second,
        "limits": burst.limits,
    }
    for key, limit in burst.limits.items():
        value = result.get(key)
        if value is None or value > limit:
            problems.append(f"{key} {value} is over the goal {limit}")
    result["problems"] = problems
    return result
