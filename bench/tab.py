"""The workbench tab's server time at scale (issue 19): `python -m bench --only tab`, or `python -m bench.tab`.

Seeds a fresh SQLite file with the demo organisation, N eksempler at the indsamler (made through the domain,
synthetic Danish-shaped texts from testkit) and M more entries bulk-inserted (bench.seed, as the scale cases: the
Overblik and the table read next to a year of tegn), starts the app as its own process with LOCAL_DEVELOPMENT
sign-in, signs in as the indsamler and sends rounds of C concurrent GETs per page. The times are the server's own
(the access log's per-request time, from the request's arrival to its answer), so they include the wait for the
event loop; "CPU ms/request" is the app process's CPU time (from /proc) over the page's requests, the steadier
figure on a shared machine.

    python -m bench.tab [--eksempler 2000] [--entries 100000] [--concurrency 16] [--rounds 20] [--repeats 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import update

from bench.seed import Seeder
from core.vocabulary import NotificationStatus
from storage.migrate import upgrade_async
from storage.models import Notification
from storage.orgfile import import_file
from testkit.eksempler import synthetic_eksempler
from testkit.process import BotProcess
from tests.tabkit import DEMO_ORG, seed_eksempler

# (label, path): the table's first page, a filtered later page, a search, and the Overblik.
PAGES = (
    ("eksempler, page 1", "/tab/eksempler"),
    ("eksempler, tema, page 7", "/tab/eksempler?side=7&tema=mod"),
    ("eksempler, search", "/tab/eksempler?q=kollega"),
    ("overblik", "/tab/overblik"),
)
# The goal of issue 19: server time p99 at 16 concurrent requests.
GOAL_P99_MS = 100.0
# The access log line (app.AccessLogger): the path is written escaped, in quotes.
_TIME = re.compile(r"GET '?/tab/[^ ']*'? 200 ([0-9.]+) ms")
_TICKS = os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (/proc/PID/stat, fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS


async def seed(url: str, eksempler: int, entries: int) -> None:
    await upgrade_async(url)
    await import_file(url, DEMO_ORG)
    texts = dict(synthetic_eksempler(eksempler))
    await seed_eksempler(url, eksempler, text=lambda n: texts[n][:1900])
    async with Seeder(url) as seeder:
        if entries:
            await seeder.bulk_entries(entries)
        # The seed's notifications (Mette's news of each eksempel) went out long ago: the app's start-up sweep
        # must not deliver them while the pages are measured.
        async with seeder.sessionmaker.begin() as session:
            await session.execute(
                update(Notification)
                .where(Notification.status == NotificationStatus.PENDING)
                .values(status=NotificationStatus.SENT)
            )


async def _sign_in(http: aiohttp.ClientSession, base: str) -> dict[str, str]:
    body = await (await http.get(f"{base}/tab/dev-login")).text()
    found = re.search(r'value="(\d+)">\s*<button type="submit">Log ind som Stinne', body)
    assert found, "the demo indsamler is missing"
    response = await http.post(f"{base}/tab/dev-login", data={"person_id": found.group(1)}, allow_redirects=False)
    return {"Cookie": f"styringsbot_tab={response.cookies['styringsbot_tab'].value}"}


async def _measure_page(
    http: aiohttp.ClientSession, process: BotProcess, headers: dict[str, str], path: str, concurrency: int, rounds: int
) -> dict[str, Any]:
    assert process.process is not None
    problems: list[str] = []

    async def one() -> None:
        async with http.get(process.url + path, headers=headers) as answer:
            await answer.read()
            if answer.status != 200:
                problems.append(f"{path}: HTTP {answer.status}")

    mark = process.log.stat().st_size
    cpu = cpu_seconds(process.process.pid)
    started = time.perf_counter()
    for _ in range(rounds):
        await asyncio.gather(*(one() for _ in range(concurrency)))
    wall = time.perf_counter() - started
    cpu = cpu_seconds(process.process.pid) - cpu
    await asyncio.sleep(0.2)  # the access log's last lines
    with process.log.open(encoding="utf-8") as file:
        file.seek(mark)
        times = [float(t) for t in _TIME.findall(file.read())]
    requests = concurrency * rounds
    if len(times) != requests:
        problems.append(f"{path}: {len(times)} of {requests} requests in the access log")
    return {
        "requests": requests,
        "p50_ms": round(percentile(times, 0.5), 1) if times else None,
        "p99_ms": round(percentile(times, 0.99), 1) if times else None,
        "requests_per_s": round(requests / wall, 1),
        "cpu_ms_per_request": round(cpu * 1000 / requests, 2),
        "problems": problems,
    }


async def run_tab(*, eksempler: int, entries: int, concurrency: int, rounds: int, repeats: int) -> dict[str, Any]:
    """Every page `repeats` times in alternation (page 1, 2, 3, 4, then again), medians per page."""
    with tempfile.TemporaryDirectory(prefix="bench-tab-") as tmp:
        workdir = Path(tmp)
        url = f"sqlite+aiosqlite:///{workdir / 'tab.db'}"
        started = time.perf_counter()
        await seed(url, eksempler, entries)
        print(f"Tab: {eksempler} eksempler and {entries} entries seeded in {time.perf_counter() - started:.0f} s")
        env = {
            "LOCAL_DEVELOPMENT": "true",
            "SCHEDULER_ENABLED": "false",
            "ROUND_SWEEP_SECONDS": "0",
            "LOG_LEVEL": "INFO",
        }
        process = BotProcess(url, workdir / "app.log", env=env)
        process.start()
        runs: dict[str, list[dict[str, Any]]] = {label: [] for label, _ in PAGES}
        try:
            async with aiohttp.ClientSession() as http:
                await process.wait_up(http)
                headers = await _sign_in(http, process.url)
                for _, path in PAGES:  # warm: the table's read model and the similarity are built once per change
                    async with http.get(process.url + path, headers=headers) as answer:
                        await answer.read()
                await asyncio.sleep(0.3)  # the warm-up's access log lines, before the first run's mark
                for repeat in range(1, repeats + 1):
                    for label, path in PAGES:
                        run = await _measure_page(http, process, headers, path, concurrency, rounds)
                        runs[label].append(run)
                        print(
                            f"  run {repeat}  {label:<24} p50 {run['p50_ms']} ms  p99 {run['p99_ms']} ms"
                            f"  cpu {run['cpu_ms_per_request']} ms/request  {run['requests_per_s']} requests/s"
                            + (f"  !! {'; '.join(run['problems'])}" if run["problems"] else ""),
                            flush=True,
                        )
        finally:
            await process.stop()
    pages = []
    for label, path in PAGES:
        mine = runs[label]

        def median(key: str, mine: list[dict[str, Any]] = mine) -> float | None:
            values = [r[key] for r in mine if r[key] is not None]
            return round(statistics.median(values), 2) if values else None

        p99 = median("p99_ms")
        pages.append(
            {
                "page": label,
                "path": path,
                "runs": mine,
                "p50_ms": median("p50_ms"),
                "p99_ms": p99,
                "cpu_ms_per_request": median("cpu_ms_per_request"),
                "requests_per_s": median("requests_per_s"),
                "goal_p99_ms": GOAL_P99_MS,
                "goal_met": p99 is not None and p99 <= GOAL_P99_MS,
                "problems": [p for r in mine for p in r["problems"]],
            }
        )
    return {
        "eksempler": eksempler,
        "entries": entries,
        "concurrency": concurrency,
        "rounds": rounds,
        "repeats": repeats,
        "backend": "sqlite",
        "pages": pages,
    }


def lines(result: dict[str, Any]) -> list[str]:
    """The printed report of `run_tab`'s result."""
    out = [
        f"Tab (SQLite; {result['eksempler']} eksempler, {result['entries']} more entries; {result['concurrency']} "
        f"concurrent requests, {result['rounds']} rounds per run, median of {result['repeats']} runs):"
    ]
    for page in result["pages"]:
        verdict = "met" if page["goal_met"] else "MISSED"
        out.append(
            f"  {page['page']:<24} p50 {page['p50_ms']} ms  p99 {page['p99_ms']} ms  cpu {page['cpu_ms_per_request']}"
            f" ms/request  {page['requests_per_s']} requests/s  goal: p99 <= {page['goal_p99_ms']:.0f} ms {verdict}"
        )
        out += [f"  !! {problem}" for problem in page["problems"]]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.tab", description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--eksempler", type=int, default=2000)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    result = asyncio.run(
        run_tab(
            eksempler=args.eksempler,
            entries=args.entries,
            concurrency=args.concurrency,
            rounds=args.rounds,
            repeats=args.repeats,
        )
    )
    print("\n".join(lines(result)))


if __name__ == "__main__":
    main()
