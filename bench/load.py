"""The load side of the benchmark: the counting connector, the target processes and the closed-loop load generator.

The recording connector runs in this (the load generator's) process, not in its own. The machine has two
cores: the bot under test saturates one, and the client plus the connector share the other. A third process
would only add a context switch per reply. Each run reports how much CPU this process used ("load cpu"). It
stays well under one core, so neither the client nor the connector is the bottleneck. The bot's own CPU share
("bot cpu") is reported too, and should be close to one core.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import sys
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import aiohttp
from aiohttp import web

from testkit.connector import RecordingConnector, Sent

ROOT = Path(__file__).resolve().parent.parent
STARTUP_TIMEOUT = 60.0
REQUEST_TIMEOUT = 30.0


@dataclass
class CountingConnector(RecordingConnector):
    """The tests' recording connector, keeping counts instead of a growing list of what was sent."""

    target: str = ""
    reply_ok: Callable[[str, dict[str, Any]], bool] | None = None
    replies: int = 0
    bad_replies: int = 0
    # When each call came, by conversation (for the bursts' calls per second).
    call_times: dict[str, list[float]] = field(default_factory=dict)
    # Message updates (PUT), by the updated message's id: when each came, and the latest body.
    update_times: dict[str, list[float]] = field(default_factory=dict)
    last_update: dict[str, dict[str, Any]] = field(default_factory=dict)
    # New messages (POST) the bot sent, by conversation.
    posts: dict[str, int] = field(default_factory=dict)

    def reset(self, target: str, reply_ok: Callable[[str, dict[str, Any]], bool]) -> None:
        self.target, self.reply_ok = target, reply_ok
        self.replies = self.bad_replies = 0
        self.call_times, self.update_times, self.last_update, self.posts = {}, {}, {}, {}

    def calls_per_second(self) -> int:
        """The most calls to one conversation within any one-second window since the last reset."""
        return max((most_within_a_second(times) for times in self.call_times.values()), default=0)

    async def until(self, done: Callable[[], bool], within: float) -> bool:
        """Wait (briefly) until `done()` holds for what was sent; whether it does."""
        with suppress(TimeoutError):
            async with asyncio.timeout(within):
                while not done():
                    self._changed.clear()
                    await self._changed.wait()
        return done()

    async def settle(self, replies: int, within: float) -> None:
        """Wait (briefly) for replies a bot sends after answering, e.g. from background work."""
        with suppress(TimeoutError):
            async with asyncio.timeout(within):
                while self.replies < replies:
                    self._changed.clear()
                    await self._changed.wait()

    def _note(self, sent: Sent) -> None:
        self.replies += 1
        now = time.monotonic()
        self.call_times.setdefault(sent.conversation_id, []).append(now)
        if sent.method == "PUT" and sent.activity_id:
            self.update_times.setdefault(sent.activity_id, []).append(now)
            self.last_update[sent.activity_id] = sent.body
        elif sent.method == "POST":
            self.posts[sent.conversation_id] = self.posts.get(sent.conversation_id, 0) + 1
        if self.reply_ok is not None and not self.reply_ok(self.target, sent.body):
            self.bad_replies += 1
        super()._note(sent)


def most_within_a_second(times: list[float]) -> int:
    """The most of these moments within any one-second window."""
    ordered = sorted(times)
    most = start = 0
    for end, moment in enumerate(ordered):
        while moment - ordered[start] >= 1.0:
            start += 1
        most = max(most, end - start + 1)
    return most


async def start_counting_connector() -> tuple[CountingConnector, web.AppRunner]:
    """Like testkit.connector.start_connector, on 127.0.0.1, with recording off."""
    connector = CountingConnector(record=False)
    runner = web.AppRunner(connector.application(), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, backlog=1024)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    connector.url = f"http://127.0.0.1:{port}/"
    return connector, runner


def process_cpu_seconds(pid: int) -> float | None:
    """User plus system CPU time of a process, from /proc (None where there is no /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_bytes(pid: int) -> int | None:
    """Resident set size of a process, from /proc (None where there is no /proc)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def log_tail(path: Path, chars: int = 3000) -> str:
    return path.read_text(errors="replace")[-chars:]


class Target:
    """One bot under test, running as `python -m bench.serve` in its own process."""

    def __init__(self, name: str, database_url: str, log: IO[bytes]):
        self.name = name
        self.database_url = database_url
        self.log = log
        self.url = ""
        self._process: asyncio.subprocess.Process | None = None

    @property
    def pid(self) -> int:
        assert self._process is not None
        return self._process.pid

    async def start(self) -> None:
        self._process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bench.serve",
            self.name,
            "--database-url",
            self.database_url,
            cwd=ROOT,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=self.log,
        )
        assert self._process.stdout is not None
        try:
            async with asyncio.timeout(STARTUP_TIMEOUT):
                line = (await self._process.stdout.readline()).decode().strip()
        except TimeoutError:
            line = ""
        if not line.startswith("listening "):
            await self.stop()
            self.log.flush()
            raise RuntimeError(f"{self.name} did not start; its output ends with:\n{log_tail(Path(self.log.name))}")
        self.url = f"http://127.0.0.1:{int(line.split()[1])}/api/messages"

    async def stop(self) -> None:
        process = self._process
        if process is None:
            return
        self._process = None
        if process.stdin is not None:
            process.stdin.close()  # bench.serve exits when its stdin closes
        try:
            async with asyncio.timeout(10):
                await process.wait()
        except TimeoutError:
            process.kill()
            await process.wait()


@dataclass
class Phase:
    """What one closed-loop pass of requests measured."""

    sent: int = 0
    ok: int = 0
    errors: int = 0
    error_sample: str | None = None
    timed_out: bool = False
    elapsed: float = 0.0
    latencies: list[float] = field(default_factory=list)
    load_cpu: float = 0.0
    bot_cpu: float | None = None


async def drive(
    session: aiohttp.ClientSession,
    url: str,
    bodies: list[bytes],
    *,
    concurrency: int,
    max_seconds: float,
    bot_pid: int,
    accept: Callable[[bytes], bool] | None = None,
) -> Phase:
    """Post every body, `concurrency` at a time; a turn is done when /api/messages answers."""
    phase = Phase()
    queue = iter(bodies)
    headers = {"Content-Type": "application/json"}

    async def worker() -> None:
        for body in queue:
            phase.sent += 1
            started = time.perf_counter()
            try:
                async with session.post(url, data=body, headers=headers) as response:
                    answer = await response.read()
                    status = response.status
            except (aiohttp.ClientError, TimeoutError) as error:
                phase.errors += 1
                phase.error_sample = phase.error_sample or type(error).__name__
                continue
            if 200 <= status < 300 and accept is not None and not accept(answer):
                phase.errors += 1
                phase.error_sample = phase.error_sample or "unexpected response body"
            elif 200 <= status < 300:
                phase.ok += 1
                phase.latencies.append(time.perf_counter() - started)
            else:
                phase.errors += 1
                phase.error_sample = phase.error_sample or f"HTTP {status}"

    bot_before = process_cpu_seconds(bot_pid)
    cpu_before = time.process_time()
    started = time.perf_counter()
    tasks = [asyncio.create_task(worker()) for _ in range(concurrency)]
    try:
        async with asyncio.timeout(max_seconds):
            await asyncio.gather(*tasks)
    except TimeoutError:
        phase.timed_out = True
        for task in tasks:
            task.cancel()
        with suppress(asyncio.CancelledError):
            await asyncio.gather(*tasks, return_exceptions=True)
    phase.elapsed = time.perf_counter() - started
    phase.load_cpu = (time.process_time() - cpu_before) / phase.elapsed
    bot_after = process_cpu_seconds(bot_pid)
    if bot_before is not None and bot_after is not None:
        phase.bot_cpu = (bot_after - bot_before) / phase.elapsed
    return phase


def percentile(sorted_values: list[float], p: float) -> float | None:
    """Nearest-rank percentile of already sorted values (None for none)."""
    if not sorted_values:
        return None
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 3)


def summarize(phase: Phase) -> dict[str, Any]:
    ordered = sorted(phase.latencies)
    return {
        "requests": phase.sent,
        "ok": phase.ok,
        "errors": phase.errors,
        "error_sample": phase.error_sample,
        "timed_out": phase.timed_out,
        "elapsed_s": round(phase.elapsed, 4),
        "turns_per_s": round(phase.ok / phase.elapsed, 2) if phase.elapsed else 0.0,
        "p50_ms": _ms(percentile(ordered, 50)),
        "p95_ms": _ms(percentile(ordered, 95)),
        "p99_ms": _ms(percentile(ordered, 99)),
        "max_ms": _ms(percentile(ordered, 100)),
        "load_cpu": round(phase.load_cpu, 3),
        "bot_cpu": round(phase.bot_cpu, 3) if phase.bot_cpu is not None else None,
        # CPU the bot spent per turn: less sensitive than turns/s to other processes taking the core away.
        "bot_cpu_ms_per_turn": round(phase.bot_cpu * phase.elapsed / phase.ok * 1000, 3)
        if phase.bot_cpu is not None and phase.ok
        else None,
    }


def encode(activity: dict[str, Any]) -> bytes:
    return json.dumps(activity).encode()
