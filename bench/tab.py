"""`python -m bench.tab`: the workbench tab's server time at scale (issue 19), apart from `make bench`.

Seeds a fresh SQLite file with the demo organisation and N eksempler at the indsamler (made through the domain,
synthetic Danish-shaped texts from testkit), starts the app as its own process with LOCAL_DEVELOPMENT sign-in, signs
in as the indsamler and sends rounds of C concurrent GETs per page. The times are the server's own (the access
log's per-request time, from the request's arrival to its answer), so they include the wait for the event loop.

    python -m bench.tab [--eksempler 2000] [--concurrency 16] [--rounds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import tempfile
import time
from pathlib import Path

import aiohttp

from storage.migrate import upgrade_async
from storage.orgfile import import_file
from testkit.eksempler import synthetic_eksempler
from testkit.process import BotProcess
from tests.tabkit import DEMO_ORG, seed_eksempler

PAGES = ("/tab/eksempler", "/tab/eksempler?side=7&tema=mod", "/tab/eksempler?q=kollega", "/tab/overblik")
_TIME = re.compile(r"GET /tab/\S* 200 ([0-9.]+) ms")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


async def run(eksempler: int, concurrency: int, rounds: int) -> list[str]:
    workdir = Path(tempfile.mkdtemp(prefix="bench-tab-"))
    url = f"sqlite+aiosqlite:///{workdir / 'tab.db'}"
    await upgrade_async(url)
    await import_file(url, DEMO_ORG)
    texts = dict(synthetic_eksempler(eksempler))
    await seed_eksempler(url, eksempler, text=lambda n: texts[n][:1900])
    log = workdir / "app.log"
    env = {"LOCAL_DEVELOPMENT": "true", "SCHEDULER_ENABLED": "false", "ROUND_SWEEP_SECONDS": "0", "LOG_LEVEL": "INFO"}
    process = BotProcess(url, log, env=env)
    process.start()
    lines = [f"{eksempler} eksempler, {concurrency} concurrent requests, {rounds} rounds per page (SQLite)"]
    try:
        async with aiohttp.ClientSession() as http:
            await process.wait_up(http)
            body = await (await http.get(f"{process.url}/tab/dev-login")).text()
            found = re.search(r'value="(\d+)">\s*<button type="submit">Log ind som Stinne', body)
            assert found, "the demo indsamler is missing"
            response = await http.post(
                f"{process.url}/tab/dev-login", data={"person_id": found.group(1)}, allow_redirects=False
            )
            headers = {"Cookie": f"styringsbot_tab={response.cookies['styringsbot_tab'].value}"}
            for path in PAGES:  # warm: the table's read model and the similarity are built once per change
                await (await http.get(process.url + path, headers=headers)).read()
            for path in PAGES:
                mark = log.stat().st_size

                async def one(path: str = path) -> None:
                    async with http.get(process.url + path, headers=headers) as answer:
                        await answer.read()
                        assert answer.status == 200, answer.status

                started = time.perf_counter()
                for _ in range(rounds):
                    await asyncio.gather(*(one() for _ in range(concurrency)))
                wall = time.perf_counter() - started
                with log.open(encoding="utf-8") as file:
                    file.seek(mark)
                    times = [float(t) for t in _TIME.findall(file.read())]
                lines.append(
                    f"{path}: server p50 {percentile(times, 0.5):.0f} ms, p99 {percentile(times, 0.99):.0f} ms, "
                    f"{len(times) / wall:.0f} requests/s"
                )
    finally:
        await process.stop()
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.tab", description=__doc__)
    parser.add_argument("--eksempler", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    for line in asyncio.run(run(args.eksempler, args.concurrency, args.rounds)):
        print(line)


if __name__ == "__main__":
    main()
