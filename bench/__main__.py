"""`python -m bench` (`make bench`): turns/s and latency of Styringsbot against a stock echo bot, in one run.

Each target runs in its own process, on a fresh copy of a migrated SQLite database. All targets get the same
closed-loop load over loopback, in alternating rounds (A B C A B C ...) to cancel out a noisy, shared machine.
The result is the median per target, and the per-round ratios between targets. Absolute numbers depend on the
machine, so only the ratios are meant to be compared between runs. Results go to bench/results/latest.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp

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
from bench.scenarios import SCENARIOS, Scenario
from bench.serve import ECHO, STYRINGSBOT, STYRINGSBOT_NOCACHE, TARGETS
from storage.migrate import upgrade

RESULTS_DIR = Path(__file__).resolve().parent / "results"
# (numerator, denominator): throughput ratios reported when both targets ran.
RATIOS = [
    (STYRINGSBOT, ECHO),
    (STYRINGSBOT, STYRINGSBOT_NOCACHE),
    (STYRINGSBOT_NOCACHE, ECHO),
]


# Run sizes: a full run, and --quick (a smoke check under 30 s). Flags given explicitly win over both.
FULL = {"requests": 2000, "warmup": 200, "concurrency": 16, "rounds": 3, "max_seconds": 300.0}
QUICK = {"requests": 100, "warmup": 20, "concurrency": 16, "rounds": 1, "max_seconds": 15.0}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, help=f"measured requests per run (default {FULL['requests']})")
    parser.add_argument("--warmup", type=int, help=f"unmeasured requests first (default {FULL['warmup']})")
    parser.add_argument("--concurrency", type=int, help=f"requests in flight (default {FULL['concurrency']})")
    parser.add_argument("--rounds", type=int, help=f"alternating rounds over the targets (default {FULL['rounds']})")
    parser.add_argument(
        "--scenario",
        action="append",
        choices=sorted(SCENARIOS),
        help="scenario to run (repeatable; default: message)",
    )
    parser.add_argument(
        "--target",
        action="append",
        choices=TARGETS,
        help="limit to these targets (repeatable; default: all the scenario supports)",
    )
    parser.add_argument(
        "--max-seconds", type=float, help=f"time limit per measured run (default {FULL['max_seconds']:.0f})"
    )
    parser.add_argument("--quick", action="store_true", help=f"a tiny run for a smoke check: {QUICK}")
    parser.add_argument("--output", type=Path, help="JSON results (default bench/results/latest.json, or quick.json)")
    parser.add_argument("--list", action="store_true", help="list the scenarios and exit")
    args = parser.parse_args(argv)
    for name, value in (QUICK if args.quick else FULL).items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    if args.output is None:
        args.output = RESULTS_DIR / ("quick.json" if args.quick else "latest.json")
    args.scenario = args.scenario or ["message"]
    for name in ("requests", "concurrency", "rounds", "max_seconds"):
        if getattr(args, name) <= 0:
            parser.error(f"--{name.replace('_', '-')} must be positive")
    if args.warmup < 0:
        parser.error("--warmup must not be negative")
    return args


def prepare_template(scenario: Scenario, directory: Path) -> Path:
    """Migrate (and seed) the database every run of this scenario starts from a copy of."""
    path = directory / f"template-{scenario.name}.db"
    url = f"sqlite+aiosqlite:///{path}"
    upgrade(url)
    if scenario.prepare is not None:
        scenario.prepare(url)
    return path


def copy_database(template: Path, destination: Path) -> None:
    # SQLite's backup API copies a WAL-mode database consistently, WAL contents included.
    with closing(sqlite3.connect(template)) as source, closing(sqlite3.connect(destination)) as target:
        source.backup(target)


async def run_once(
    scenario: Scenario,
    target_name: str,
    round_no: int,
    connector: CountingConnector,
    template: Path,
    workdir: Path,
    args: argparse.Namespace,
) -> dict[str, Any]:
    db_path = workdir / f"{scenario.name}-{target_name}-r{round_no}.db"
    copy_database(template, db_path)
    log_path = workdir / f"{scenario.name}-{target_name}-r{round_no}.log"
    warmup = [encode(scenario.build(connector.url, i)) for i in range(args.warmup)]
    measured = [encode(scenario.build(connector.url, args.warmup + i)) for i in range(args.requests)]

    with log_path.open("wb") as log:
        target = Target(target_name, db_path, log)
        await target.start()
        try:
            timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
            async with aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=args.concurrency), timeout=timeout
            ) as session:
                options = {"concurrency": args.concurrency, "bot_pid": target.pid, "accept": scenario.response_ok}
                if warmup:
                    await drive(session, target.url, warmup, max_seconds=args.max_seconds, **options)
                connector.reset(target_name, scenario.reply_ok)
                phase = await drive(session, target.url, measured, max_seconds=args.max_seconds, **options)
                expected_replies = phase.ok * scenario.replies_per_request
                # A turn sends its reply before /api/messages answers; allow a moment for background replies.
                await connector.settle(expected_replies, within=2.0)
        finally:
            await target.stop()

    result = {"scenario": scenario.name, "target": target_name, "round": round_no, **summarize(phase)}
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


def fmt_cpu(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.0f}%"


def fmt_num(value: float | None, width: int) -> str:
    return f"{'-':>{width}}" if value is None else f"{value:{width}.1f}"


def print_run(result: dict[str, Any]) -> None:
    note = "  !! " + "; ".join(result["problems"]) if result["problems"] else ""
    print(
        f"  round {result['round']}  {result['target']:<20} {result['turns_per_s']:8.1f} turns/s"
        f"  p50 {fmt_num(result['p50_ms'], 7)} ms  p99 {fmt_num(result['p99_ms'], 7)} ms"
        f"  bot cpu {fmt_cpu(result['bot_cpu']):>4}  load cpu {fmt_cpu(result['load_cpu']):>4}{note}",
        flush=True,
    )


def summarize_scenario(scenario: Scenario, targets: list[str], runs: list[dict[str, Any]]) -> dict[str, Any]:
    per_target: dict[str, dict[str, Any]] = {}
    for name in targets:
        mine = [r for r in runs if r["target"] == name]
        per_target[name] = {
            key: _median([r[key] for r in mine])
            for key in ("turns_per_s", "p50_ms", "p95_ms", "p99_ms", "bot_cpu", "bot_cpu_ms_per_turn", "load_cpu")
        }
        per_target[name]["runs"] = len(mine)
    ratios = {}
    for numerator, denominator in RATIOS:
        if numerator not in targets or denominator not in targets:
            continue
        # Ratios are taken within a round (runs minutes apart), then the median over rounds.
        by_round, cpu_by_round = [], []
        for round_runs in _by_round(runs).values():
            top, bottom = round_runs.get(numerator), round_runs.get(denominator)
            if not top or not bottom:
                continue
            if bottom["turns_per_s"]:
                by_round.append(top["turns_per_s"] / bottom["turns_per_s"])
            if top["bot_cpu_ms_per_turn"] and bottom["bot_cpu_ms_per_turn"]:
                cpu_by_round.append(bottom["bot_cpu_ms_per_turn"] / top["bot_cpu_ms_per_turn"])
        if by_round:
            ratios[f"{numerator}/{denominator}"] = {
                "turns_per_s": round(statistics.median(by_round), 3),
                "per_round": [round(r, 3) for r in by_round],
                # How many times less bot CPU per turn the numerator needs (a cross-check less hit by noise).
                "cpu_per_turn": round(statistics.median(cpu_by_round), 3) if cpu_by_round else None,
            }
    return {
        "scenario": scenario.name,
        "description": scenario.description,
        "targets": per_target,
        "ratios": ratios,
        "problems": sum(len(r["problems"]) for r in runs),
    }


def _median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(statistics.median(present), 3) if present else None


def _by_round(runs: list[dict[str, Any]]) -> dict[int, dict[str, dict[str, Any]]]:
    grouped: dict[int, dict[str, dict[str, Any]]] = {}
    for r in runs:
        grouped.setdefault(r["round"], {})[r["target"]] = r
    return grouped


def print_summary(summary: dict[str, Any], previous: dict[str, Any] | None) -> None:
    print()
    print(f"Scenario {summary['scenario']}: {summary['description']}")
    print(f"  median of {max(t['runs'] for t in summary['targets'].values())} round(s)")
    print(
        f"  {'target':<20} {'turns/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'bot cpu':>8} {'cpu ms/turn':>12}"
    )
    for name, t in summary["targets"].items():
        cpu_ms = "-" if t["bot_cpu_ms_per_turn"] is None else f"{t['bot_cpu_ms_per_turn']:.2f}"
        print(
            f"  {name:<20} {fmt_num(t['turns_per_s'], 9)}"
            + "".join(f" {fmt_num(t[key], 8)}" for key in ("p50_ms", "p95_ms", "p99_ms"))
            + f" {fmt_cpu(t['bot_cpu']):>8} {cpu_ms:>12}"
        )
    if summary["ratios"]:
        print("  throughput ratios (median of per-round ratios):")
    old_ratios = (previous or {}).get("ratios", {})
    for name, ratio in summary["ratios"].items():
        rounds = ", ".join(f"{r:.2f}" for r in ratio["per_round"])
        was = f"   previous run: {old_ratios[name]['turns_per_s']:.2f}" if name in old_ratios else ""
        cpu = f"   cpu/turn x{ratio['cpu_per_turn']:.2f}" if ratio.get("cpu_per_turn") else ""
        print(f"    {name:<34} x{ratio['turns_per_s']:.2f}   rounds: {rounds}{cpu}{was}")
    starved = [name for name, t in summary["targets"].items() if t["bot_cpu"] is not None and t["bot_cpu"] < 0.8]
    if starved:
        print(
            f"  note: {', '.join(starved)} got less than 80% of a core (other processes are busy); "
            "trust the ratios and cpu ms/turn over the absolute turns/s"
        )
    busy_load = [name for name, t in summary["targets"].items() if t["load_cpu"] is not None and t["load_cpu"] > 0.6]
    if busy_load:
        print(f"  !! the load generator used over 60% of a core for {', '.join(busy_load)}: it may be the bottleneck")
    if summary["problems"]:
        print(f"  !! {summary['problems']} problem(s) in the runs above: the numbers are not trustworthy")


def git_state() -> dict[str, Any]:
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
        return done.stdout.strip()

    return {"commit": git("rev-parse", "HEAD") or None, "dirty": bool(git("status", "--porcelain"))}


def load_previous(path: Path) -> dict[str, dict[str, Any]]:
    try:
        data = json.loads(path.read_text())
        return {s["scenario"]: s for s in data["summaries"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


async def run(args: argparse.Namespace, workdir: Path, templates: dict[str, Path]) -> list[dict[str, Any]]:
    connector, runner = await start_counting_connector()
    runs: list[dict[str, Any]] = []
    try:
        for scenario_name in args.scenario:
            scenario = SCENARIOS[scenario_name]
            targets = [t for t in scenario.targets if not args.target or t in args.target]
            print(
                f"Scenario {scenario.name}: {len(targets)} targets x {args.rounds} round(s), "
                f"{args.warmup} warm-up + {args.requests} requests each, concurrency {args.concurrency}",
                flush=True,
            )
            for round_no in range(1, args.rounds + 1):
                for target_name in targets:
                    result = await run_once(
                        scenario, target_name, round_no, connector, templates[scenario.name], workdir, args
                    )
                    print_run(result)
                    runs.append(result)
    finally:
        await runner.cleanup()
    return runs


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # Turn SIGTERM into SystemExit, so the bot processes are stopped and the temporary files removed.
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(128 + signal.SIGTERM))
    if args.list:
        for scenario in SCENARIOS.values():
            print(f"{scenario.name:<16} {scenario.description}  [targets: {', '.join(scenario.targets)}]")
        return 0
    started = datetime.now(UTC)
    previous = load_previous(args.output)
    with tempfile.TemporaryDirectory(prefix="styringsbot-bench-") as tmp:
        workdir = Path(tmp)
        templates = {name: prepare_template(SCENARIOS[name], workdir) for name in args.scenario}
        runs = asyncio.run(run(args, workdir, templates))

    summaries = []
    for scenario_name in args.scenario:
        scenario = SCENARIOS[scenario_name]
        mine = [r for r in runs if r["scenario"] == scenario_name]
        targets = list(dict.fromkeys(r["target"] for r in mine))
        summary = summarize_scenario(scenario, targets, mine)
        print_summary(summary, previous.get(scenario_name))
        summaries.append(summary)

    args.output.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "started": started.isoformat(timespec="seconds"),
        "settings": {
            k: getattr(args, k) for k in ("requests", "warmup", "concurrency", "rounds", "max_seconds", "quick")
        },
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()},
        "git": git_state(),
        "summaries": summaries,
        "runs": runs,
    }
    args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False, allow_nan=False) + "\n")
    print(f"\nResults written to {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}")
    return 1 if any(s["problems"] for s in summaries) else 0


if __name__ == "__main__":
    sys.exit(main())
