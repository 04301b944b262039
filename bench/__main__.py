"""`python -m bench` (`make bench`): Styringsbot's turn cost on every real path, as ratios to baselines in one run.

Each target runs in its own process on a fresh copy of a seeded database (SQLite, and PostgreSQL with
--postgres). All targets get the same closed-loop load over loopback, in alternating rounds (baselines, then
every scenario on every backend, then again), to cancel out a noisy, shared machine. Each scenario is reported
as the median over the rounds and as ratios to the two baselines measured in the same round: the stock echo
bot and the echo bot on this project's adapter (the floor). Then a soak (RSS over many turns), a burst and the
scale cases, and the workbench tab's pages (bench/tab.py). Absolute numbers depend on the machine; compare the ratios.
Results go to bench/results/.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp

from bench import report
from bench.burst import BURSTS, run_burst
from bench.databases import POSTGRES, SQLITE, Databases
from bench.load import (
    REQUEST_TIMEOUT,
    ROOT,
    CountingConnector,
    Target,
    drive,
    encode,
    log_tail,
    start_counting_connector,
    summarize,
)
from bench.profile import available, breakdown, profiled
from bench.scale import SCALE_CASES, run_scale
from bench.scenarios import ECHO_BUILD, INBOX, SCENARIOS, Scenario, Setup
from bench.seed import MEDARBEJDERE_PER_UNIT, Org, Seeder
from bench.serve import BASELINES, ECHO_CACHED, STYRINGSBOT, STYRINGSBOT_NOCACHE
from bench.soak import run_soak
from bench.tab import run_tab
from storage.migrate import upgrade_async

RESULTS_DIR = Path(__file__).resolve().parent / "results"

# Run sizes: a full run (under 15 minutes on the shared 2-core machine), and --quick (a smoke check).
FULL = {
    "requests": 250,
    "warmup": 50,
    "concurrency": 16,
    "rounds": 3,
    "max_seconds": 120.0,
    "soak_turns": 20000,
    "scale_entries": 100_000,
    "burst_repeats": 2,
    "tab_eksempler": 2000,
    "tab_rounds": 20,
}
QUICK = {
    "requests": 40,
    "warmup": 10,
    "concurrency": 8,
    "rounds": 1,
    "max_seconds": 30.0,
    "soak_turns": 400,
    "scale_entries": 2000,
    "burst_repeats": 1,
    "tab_eksempler": 60,
    "tab_rounds": 2,
}
SECTIONS = ("turns", "soak", "burst", "scale", "tab")


# The options that count something (the report records them with the warm-up; each must be above 0).
POSITIVE_OPTIONS = (
    "requests",
    "concurrency",
    "rounds",
    "max_seconds",
    "soak_turns",
    "scale_entries",
    "burst_repeats",
    "tab_eksempler",
    "tab_rounds",
)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--requests", type=int, help=f"measured requests per run (default {FULL['requests']})")
    parser.add_argument("--warmup", type=int, help=f"unmeasured requests first (default {FULL['warmup']})")
    parser.add_argument("--concurrency", type=int, help=f"requests in flight (default {FULL['concurrency']})")
    parser.add_argument("--rounds", type=int, help=f"alternating rounds (default {FULL['rounds']})")
    parser.add_argument("--soak-turns", type=int, help=f"turns of the soak (default {FULL['soak_turns']})")
    parser.add_argument(
        "--scale-entries", type=int, help=f"entries of the scale cases (default {FULL['scale_entries']})"
    )
    parser.add_argument(
        "--tab-eksempler", type=int, help=f"eksempler of the tab section (default {FULL['tab_eksempler']})"
    )
    parser.add_argument(
        "--tab-rounds",
        type=int,
        help=f"rounds of --concurrency requests per tab page and run (default {FULL['tab_rounds']})",
    )
    parser.add_argument(
        "--scenario", action="append", choices=sorted(SCENARIOS), help="scenario to run (repeatable; default: all)"
    )
    parser.add_argument(
        "--burst-repeats", type=int, help=f"runs of each burst per backend (default {FULL['burst_repeats']})"
    )
    parser.add_argument(
        "--burst", action="append", choices=sorted(BURSTS), help="burst to run (repeatable; default: all)"
    )
    parser.add_argument(
        "--only", action="append", choices=SECTIONS, help=f"run only these sections (repeatable; default: {SECTIONS})"
    )
    parser.add_argument(
        "--nocache", action="store_true", help=f"also run {STYRINGSBOT_NOCACHE} (botbuilder's per-turn clients)"
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_POSTGRES_URL"),
        help="a PostgreSQL URL whose role may create databases (default $BENCH_POSTGRES_URL); without it, only SQLite",
    )
    parser.add_argument(
        "--profile", type=Path, help="record a py-spy profile of every Styringsbot run into this directory"
    )
    parser.add_argument("--max-seconds", type=float, help="time limit per measured run")
    parser.add_argument("--quick", action="store_true", help=f"a tiny run for a smoke check: {QUICK}")
    parser.add_argument("--output", type=Path, help="JSON results (default bench/results/latest.json, or quick.json)")
    parser.add_argument("--list", action="store_true", help="list the scenarios and exit")
    args = parser.parse_args(argv)
    for name, value in (QUICK if args.quick else FULL).items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    if args.output is None:
        args.output = RESULTS_DIR / ("quick.json" if args.quick else "latest.json")
    args.scenario = args.scenario or list(SCENARIOS)
    args.burst = args.burst or list(BURSTS)
    args.only = args.only or list(SECTIONS)
    for name in POSITIVE_OPTIONS:
        if getattr(args, name) <= 0:
            parser.error(f"--{name.replace('_', '-')} must be positive")
    if args.profile is not None and not available():
        parser.error("--profile needs py-spy on PATH (pip install py-spy)")
    if args.warmup < 0:
        parser.error("--warmup must not be negative")
    return args


@dataclass(frozen=True)
class Variant:
    """One measured thing in a round: a scenario on a target and backend."""

    scenario: Scenario
    target: str
    backend: str

    @property
    def label(self) -> str:
        return self.target + ("-pg" if self.backend == POSTGRES else "")


BASELINE_SCENARIO = Scenario(name="baseline", description="'hjælp' to an echo bot (one line back)", build=ECHO_BUILD)


async def run_once(
    variant: Variant,
    round_no: int,
    connector: CountingConnector,
    database_url: str,
    seed: Any,
    workdir: Path,
    args: argparse.Namespace,
) -> dict[str, Any]:
    scenario = variant.scenario
    log_path = workdir / f"{scenario.name}-{variant.label}-r{round_no}.log"
    warmup = [encode(scenario.build(connector.url, i, seed)) for i in range(args.warmup)]
    measured = [encode(scenario.build(connector.url, args.warmup + i, seed)) for i in range(args.requests)]

    with log_path.open("wb") as log:
        target = Target(variant.target, database_url, log)
        await target.start()
        try:
            timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
            async with aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=args.concurrency), timeout=timeout
            ) as session:
                options = {"concurrency": args.concurrency, "bot_pid": target.pid, "accept": scenario.response_ok}
                if warmup:
                    connector.reset(variant.target, scenario.reply_ok)
                    await drive(session, target.url, warmup, max_seconds=args.max_seconds, **options)
                    # Background work of the warm-up (notifications) must not count in the measured run.
                    await connector.settle(len(warmup) * scenario.replies_per_request, within=5.0)
                connector.reset(variant.target, scenario.reply_ok)
                profile_dir = args.profile
                if variant.scenario is BASELINE_SCENARIO and variant.target != ECHO_CACHED:
                    profile_dir = None  # the stock echo bot is not ours to profile
                async with profiled(
                    profile_dir, f"{variant.scenario.name}-{variant.label}-r{round_no}", target.pid
                ) as profile:
                    phase = await drive(session, target.url, measured, max_seconds=args.max_seconds, **options)
                expected_replies = phase.ok * scenario.replies_per_request
                # Notifications go out after the turn answered; allow them a moment.
                await connector.settle(expected_replies, within=5.0)
        finally:
            await target.stop()

    result = {
        "scenario": scenario.name,
        "target": variant.label,
        "backend": variant.backend,
        "round": round_no,
        **summarize(phase),
    }
    if profile is not None:
        result["profile"] = {"file": str(profile), "breakdown": breakdown(profile)}
    result["replies"] = connector.replies
    result["bad_replies"] = connector.bad_replies
    result["problems"] = problems(result, expected_replies)
    if result["problems"]:
        result["log_tail"] = log_tail(log_path)
    return result


def problems(result: dict[str, Any], expected_replies: int) -> list[str]:
    found = []
    if result["errors"]:
        found.append(f"{result['errors']} failed requests (first: {result['error_sample']})")
    if result["timed_out"]:
        found.append("hit --max-seconds; the numbers cover only the requests that finished")
    if result["replies"] != expected_replies:
        found.append(f"{result['replies']} replies at the connector, expected {expected_replies}")
    if result["bad_replies"]:
        found.append(f"{result['bad_replies']} replies were error messages")
    return found


def git_state() -> dict[str, Any]:
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
        return done.stdout.strip()

    return {"commit": git("rev-parse", "HEAD") or None, "dirty": bool(git("status", "--porcelain"))}


def other_processes() -> int:
    """Processes using CPU right now besides this benchmark (a hint of how noisy the machine is)."""
    busy = 0
    mine = {os.getpid(), os.getppid()}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) in mine:
            continue
        try:
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        busy += state == "R"
    return busy


async def prepare(
    args: argparse.Namespace, databases: Databases, service_url: str
) -> tuple[Org, dict[tuple[str, str], tuple[str, Any]]]:
    """The organisation template per backend, then each scenario's template made from it.

    Returns {(scenario, backend): (template url, seed)}, with the organisation itself under ("org", backend).
    """
    templates: dict[tuple[str, str], tuple[str, Any]] = {}
    org: Org | None = None
    for backend in databases.backends():
        org_url = await databases.empty(backend, f"org-{backend}")
        await upgrade_async(org_url)
        async with Seeder(org_url) as seeder:
            # --quick: fewer medarbejdere (the inboxes need INBOX per unit), the same 150 units.
            org = await seeder.organisation(service_url, INBOX if args.quick else MEDARBEJDERE_PER_UNIT)
        # The scenarios' templates only when scenarios run (the soak, bursts and scale cases start from the org).
        for name in args.scenario if "turns" in args.only else []:
            scenario = SCENARIOS[name]
            url = await databases.copy(backend, org_url, f"tpl-{name}-{backend}")
            async with Seeder(url) as seeder:
                seed = await scenario.prepare(seeder, Setup(service_url, org, args.warmup + args.requests))
            templates[(name, backend)] = (url, seed)
        templates[("org", backend)] = (org_url, org)
        print(f"  templates ready on {backend}", flush=True)
    assert org is not None
    return org, templates


async def run_turns(
    args: argparse.Namespace,
    databases: Databases,
    connector: CountingConnector,
    templates: dict[tuple[str, str], tuple[str, Any]],
    org: Org,
    workdir: Path,
) -> list[dict[str, Any]]:
    variants = [Variant(BASELINE_SCENARIO, target, SQLITE) for target in BASELINES]
    targets = [STYRINGSBOT, *([STYRINGSBOT_NOCACHE] if args.nocache else [])]
    for name in args.scenario:
        variants += [Variant(SCENARIOS[name], t, b) for t in targets for b in databases.backends()]
    print(
        f"Turns: {len(variants)} runs x {args.rounds} round(s), {args.warmup} warm-up + {args.requests} requests "
        f"each, {args.concurrency} in flight",
        flush=True,
    )
    runs: list[dict[str, Any]] = []
    for round_no in range(1, args.rounds + 1):
        for variant in variants:
            if variant.scenario is BASELINE_SCENARIO:
                result = await run_once(variant, round_no, connector, "sqlite+aiosqlite://", org, workdir, args)
            else:
                template_url, seed = templates[(variant.scenario.name, variant.backend)]
                url = await databases.copy(variant.backend, template_url, f"run-{variant.scenario.name}-{round_no}")
                try:
                    result = await run_once(variant, round_no, connector, url, seed, workdir, args)
                finally:
                    await databases.drop(url)
            report.print_run(result)
            runs.append(result)
    return runs


async def run(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    connector, runner = await start_counting_connector()
    databases = Databases(workdir, args.postgres)
    results: dict[str, Any] = {}
    try:
        print(f"Preparing databases ({', '.join(databases.backends())})", flush=True)
        org, templates = await prepare(args, databases, connector.url)
        if "turns" in args.only:
            results["runs"] = await run_turns(args, databases, connector, templates, org, workdir)
        if "soak" in args.only:
            results["soak"] = await run_soak(args, databases, connector, templates, workdir)
        if "burst" in args.only:
            results["bursts"] = [
                await run_burst(BURSTS[name], args, databases, connector, templates, org, workdir)
                for name in args.burst
            ]
        if "scale" in args.only:
            results["scale"] = await run_scale(args, databases, templates, org)
        if "tab" in args.only:
            # SQLite only: the tab's cost is the app's CPU per request (its read model, the page), not the database.
            results["tab"] = await run_tab(
                eksempler=args.tab_eksempler,
                entries=args.scale_entries,
                concurrency=args.concurrency,
                rounds=args.tab_rounds,
                repeats=args.rounds,
            )
    finally:
        await runner.cleanup()
        if databases.postgres_url:
            await databases.drop_all()
    return results


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # Turn SIGTERM into SystemExit, so the bot processes are stopped and the temporary files removed.
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(128 + signal.SIGTERM))
    if args.list:
        for scenario in SCENARIOS.values():
            print(f"{scenario.name:<12} [{scenario.path}] {scenario.description}")
        for name in SCALE_CASES:
            print(f"scale: {name}")
        for name in BURSTS:
            print(f"burst: {name}")
        return 0
    started = datetime.now(UTC)
    busy_before = other_processes()
    previous = report.load_previous(args.output)
    with tempfile.TemporaryDirectory(prefix="styringsbot-bench-") as tmp:
        results = asyncio.run(run(args, Path(tmp)))
    busy_after = other_processes()

    summaries = report.summarize(results.get("runs", []))
    ok = report.print_all(summaries, results, previous)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "started": started.isoformat(timespec="seconds"),
        "minutes": round((datetime.now(UTC) - started).total_seconds() / 60, 1),
        "settings": {k: getattr(args, k) for k in ("warmup", *POSITIVE_OPTIONS)}
        | {"quick": args.quick, "postgres": bool(args.postgres)},
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "other_running_processes": [busy_before, busy_after],
            "load_average": list(os.getloadavg()),
        },
        "git": git_state(),
        "summaries": summaries,
        **results,
    }
    args.output.write_text(json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False, default=str) + "\n")
    shown = args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output
    print(f"\nResults written to {shown} ({document['minutes']} min)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
