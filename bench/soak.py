"""The soak: many turns through one Styringsbot process, its resident memory sampled as they go.

The turns cycle through what people do in a personal chat: `hjælp`, `mine`, `tegn` (a flow starts: dialog
state is written and the mål picker sent) and `annullér` (the flow is cancelled), by 50 people. RSS is read
from /proc after every chunk of turns. The goal: after the warm-up (the first tenth), RSS stays within ±10 %.
"""

from __future__ import annotations

import argparse
from typing import Any

import aiohttp

from bench.databases import SQLITE, Databases
from bench.load import REQUEST_TIMEOUT, CountingConnector, Phase, Target, drive, encode, log_tail, rss_bytes, summarize
from bench.scenarios import USERS, no_error_reply
from bench.seed import Org
from bench.serve import STYRINGSBOT
from cards.payloads import Command
from testkit import activities

CYCLE = ("hjælp", Command.MINE.value, Command.TEGN.value, Command.ANNULLER.value)
CHUNKS = 20
TOLERANCE = 0.10


def soak_activity(service_url: str, i: int, org: Org) -> dict[str, Any]:
    # Each person goes through the cycle in order: person i % USERS, step (i // USERS) % len(CYCLE).
    text = CYCLE[(i // USERS) % len(CYCLE)]
    return activities.message(service_url, text, user=org.medarbejder(i % USERS))


async def run_soak(
    args: argparse.Namespace,
    databases: Databases,
    connector: CountingConnector,
    templates: dict[tuple[str, str], tuple[str, Any]],
    workdir: Any,
) -> dict[str, Any]:
    template_url, org = templates[("org", SQLITE)]
    url = await databases.copy(SQLITE, template_url, "soak")
    turns = args.soak_turns
    chunk = max(1, turns // CHUNKS)
    samples: list[tuple[int, int]] = []
    total = Phase()
    problems: list[str] = []
    print(f"Soak: {turns} turns in chunks of {chunk}, {args.concurrency} in flight", flush=True)
    log_path = workdir / "soak.log"
    try:
        with log_path.open("wb") as log:
            target = Target(STYRINGSBOT, url, log)
            await target.start()
            try:
                timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
                async with aiohttp.ClientSession(
                    connector=aiohttp.TCPConnector(limit=args.concurrency), timeout=timeout
                ) as session:
                    connector.reset(STYRINGSBOT, no_error_reply)
                    for start in range(0, turns, chunk):
                        stop = min(turns, start + chunk)
                        bodies = [encode(soak_activity(connector.url, i, org)) for i in range(start, stop)]
                        phase = await drive(
                            session,
                            target.url,
                            bodies,
                            concurrency=args.concurrency,
                            max_seconds=max(args.max_seconds, 600.0),
                            bot_pid=target.pid,
                        )
                        total.sent += phase.sent
                        total.ok += phase.ok
                        total.errors += phase.errors
                        total.error_sample = total.error_sample or phase.error_sample
                        total.elapsed += phase.elapsed
                        total.latencies += phase.latencies
                        rss = rss_bytes(target.pid)
                        if rss is not None:
                            samples.append((start + len(bodies), rss))
                    await connector.settle(total.ok, within=5.0)
            finally:
                await target.stop()
    finally:
        await databases.drop(url)

    summary = summarize(total)
    if summary["errors"]:
        problems.append(f"{summary['errors']} failed requests (first: {summary['error_sample']})")
    if connector.replies != total.ok:
        problems.append(f"{connector.replies} replies at the connector, expected {total.ok}")
    if connector.bad_replies:
        problems.append(f"{connector.bad_replies} replies were error messages")
    if problems:
        summary["log_tail"] = log_tail(log_path)
    warm = max(1, len(samples) // 10)
    after = [rss for _, rss in samples[warm - 1 :]]
    reference = after[0] if after else 0
    mb = 1024 * 1024
    return {
        "scenario": "soak: " + ", ".join(CYCLE),
        "turns": turns,
        "samples": [{"turns": n, "rss_mb": round(rss / mb, 2)} for n, rss in samples],
        "rss_after_warmup_mb": reference / mb,
        "rss_min_mb": min(after, default=0) / mb,
        "rss_max_mb": max(after, default=0) / mb,
        "rss_last_mb": (after[-1] if after else 0) / mb,
        "flat": bool(after) and all(abs(rss - reference) <= TOLERANCE * reference for rss in after),
        "problems": problems,
        **summary,
    }
