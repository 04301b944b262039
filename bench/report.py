"""Summaries and the printed report: medians over rounds, ratios to the baselines of the same round, the goals."""

from __future__ import annotations

import json
import statistics
from pathlib import Path
from typing import Any

from bench.scenarios import SCENARIOS
from bench.serve import ECHO, ECHO_CACHED
from bench.tab import lines as tab_lines

# Issue 14's goals, as multiples of the stock echo bot's turns/s measured in the same run.
GOALS = {"read": 3.0, "write": 2.0}
METRICS = ("turns_per_s", "p50_ms", "p95_ms", "p99_ms", "bot_cpu", "bot_cpu_ms_per_turn", "load_cpu")


def fmt_cpu(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.0f}%"


def fmt_num(value: float | None, width: int) -> str:
    return f"{'-':>{width}}" if value is None else f"{value:{width}.1f}"


def print_run(result: dict[str, Any]) -> None:
    note = "  !! " + "; ".join(result["problems"]) if result["problems"] else ""
    if result.get("profile"):
        top = list(result["profile"]["breakdown"].items())[:6]
        note += "\n      profile: " + ", ".join(f"{label} {share:.0f}%" for label, share in top)
    print(
        f"  round {result['round']}  {result['scenario']:<10} {result['target']:<16}"
        f" {result['turns_per_s']:8.1f} turns/s"
        f"  p50 {fmt_num(result['p50_ms'], 6)} ms  p99 {fmt_num(result['p99_ms'], 6)} ms"
        f"  cpu {fmt_num(result['bot_cpu_ms_per_turn'], 5)} ms/turn ({fmt_cpu(result['bot_cpu'])})"
        f"  load {fmt_cpu(result['load_cpu'])}{note}",
        flush=True,
    )


def _median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(statistics.median(present), 3) if present else None


def summarize(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One summary per (scenario, target): medians over the rounds and per-round ratios to both baselines."""
    baselines: dict[tuple[int, str], dict[str, Any]] = {
        (r["round"], r["target"]): r for r in runs if r["scenario"] == "baseline"
    }
    keys = list(dict.fromkeys((r["scenario"], r["target"]) for r in runs))
    summaries = []
    for scenario, target in keys:
        mine = [r for r in runs if r["scenario"] == scenario and r["target"] == target]
        summary: dict[str, Any] = {
            "scenario": scenario,
            "target": target,
            "path": SCENARIOS[scenario].path if scenario in SCENARIOS else "baseline",
            "rounds": len(mine),
            "problems": sum(len(r["problems"]) for r in mine),
            **{key: _median([r[key] for r in mine]) for key in METRICS},
            "ratios": {},
        }
        for baseline in (ECHO, ECHO_CACHED):
            per_round, cpu_per_round = [], []
            for r in mine:
                base = baselines.get((r["round"], baseline))
                if base is None or not base["turns_per_s"]:
                    continue
                per_round.append(r["turns_per_s"] / base["turns_per_s"])
                if r["bot_cpu_ms_per_turn"] and base["bot_cpu_ms_per_turn"]:
                    cpu_per_round.append(base["bot_cpu_ms_per_turn"] / r["bot_cpu_ms_per_turn"])
            if per_round:
                summary["ratios"][baseline] = {
                    "turns_per_s": round(statistics.median(per_round), 3),
                    "per_round": [round(x, 3) for x in per_round],
                    # The same ratio from CPU time per turn: less hit by other processes taking the core.
                    "cpu_per_turn": round(statistics.median(cpu_per_round), 3) if cpu_per_round else None,
                }
        goal = GOALS.get(summary["path"])
        echo_ratio = summary["ratios"].get(ECHO, {}).get("turns_per_s")
        summary["goal"] = goal
        summary["goal_met"] = None if goal is None or echo_ratio is None else echo_ratio >= goal
        summaries.append(summary)
    return summaries


def _ratio(summary: dict[str, Any], baseline: str) -> str:
    ratio = summary["ratios"].get(baseline)
    if not ratio:
        return "-"
    cpu = f" (cpu x{ratio['cpu_per_turn']:.2f})" if ratio.get("cpu_per_turn") else ""
    return f"x{ratio['turns_per_s']:.2f}{cpu}"


def print_all(summaries: list[dict[str, Any]], results: dict[str, Any], previous: dict[str, Any]) -> bool:
    """Print the report; False when any run had a problem (the numbers are then not to be trusted)."""
    ok = True
    if summaries:
        print("\nTurns (medians over rounds; ratios are turns/s over the baseline's in the same round, median):")
        print(
            f"  {'scenario':<10} {'target':<16} {'turns/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'cpu ms':>7}"
            f"  {'vs echo':<20} {'vs echo-cached':<20} goal"
        )
        for s in summaries:
            goal = "" if s["goal"] is None else f"x{s['goal']:.0f} echo: {'met' if s['goal_met'] else 'MISSED'}"
            was = previous.get(f"{s['scenario']}/{s['target']}")
            was_text = f"  (previous x{was:.2f})" if was else ""
            print(
                f"  {s['scenario']:<10} {s['target']:<16} {fmt_num(s['turns_per_s'], 8)} {fmt_num(s['p50_ms'], 7)}"
                f" {fmt_num(s['p99_ms'], 7)} {fmt_num(s['bot_cpu_ms_per_turn'], 7)}"
                f"  {_ratio(s, ECHO):<20} {_ratio(s, ECHO_CACHED):<20} {goal}{was_text}"
            )
            if s["problems"]:
                ok = False
                print(f"    !! {s['problems']} problem(s) in these runs: the numbers are not trustworthy")
        starved = [s for s in summaries if s["bot_cpu"] is not None and s["bot_cpu"] < 0.8]
        if starved:
            print(
                f"  note: {len(starved)} run(s) got less than 80% of a core (other processes were busy); "
                "trust the ratios and cpu ms/turn over the absolute turns/s"
            )
    soak = results.get("soak")
    if soak:
        print(
            f"\nSoak: {soak['turns']} turns ({soak['scenario']}),"
            f" RSS after warm-up {soak['rss_after_warmup_mb']:.1f} MB, "
            f"then {soak['rss_min_mb']:.1f}-{soak['rss_max_mb']:.1f} MB, last {soak['rss_last_mb']:.1f} MB: "
            f"{'flat within ±10%' if soak['flat'] else 'NOT flat within ±10%'}"
        )
        ok = ok and not soak["problems"]
        for problem in soak["problems"]:
            print(f"  !! {problem}")
    for burst in results.get("bursts", []):
        for run in [burst, *burst.get("other_backends", [])]:
            print(f"\nBurst {run['name']} ({run['backend']}): {burst_line(run)}")
            ok = ok and not run["problems"]
            for problem in run["problems"]:
                print(f"  !! {problem}")
            for warning in run.get("warnings", []):
                print(f"  warning: {warning}")
    scale = results.get("scale")
    if scale:
        print("\nScale (in-process, medians of repeated calls; database time = time inside the driver's execute):")
        for case in scale:
            if case.get("missing"):
                print(f"  {case['name']:<28} not measured: {case['missing']}")
                continue
            limit = case.get("limit_ms")
            measured = case["wall_ms"] if case.get("limit_on") == "wall" else case["db_ms"]
            verdict = "" if limit is None else (" met" if measured <= limit else " MISSED")
            print(
                f"  {case['name']:<28} {case['backend']:<8} {case['size']:<32} database {case['db_ms']:8.1f} ms"
                f"  wall {case['wall_ms']:8.1f} ms  cpu {case['cpu_ms']:8.1f} ms  ({case['queries']} queries)"
                + (f"  goal: {case['limit_on']} <= {limit:.0f} ms{verdict}" if limit is not None else "")
            )
    tab = results.get("tab")
    if tab:
        print("\n" + "\n".join(tab_lines(tab)))
        ok = ok and not any(page["problems"] for page in tab["pages"])
    return ok


def burst_line(run: dict[str, Any]) -> str:
    repeats = run.get("repeats", 1)
    line = (
        (f"{repeats} runs (medians), each: " if repeats > 1 else "")
        + f"{run['participants']} participants within {run['within_s']} s: {run['ok']} acknowledged, "
        f"{run['lost']} lost, p50 {fmt_num(run['p50_ms'], 1)} ms, p99 {fmt_num(run['p99_ms'], 1)} ms; connector calls "
        f"{run['connector_calls']}, at most {run['max_calls_per_second']} in one second to the chat; bot CPU "
        f"{fmt_num(run.get('bot_cpu_ms_per_participant'), 1)} ms each, {fmt_cpu(run.get('bot_cpu_share'))} of a core"
    )
    if repeats > 1:
        line += "; p99 of each run: " + ", ".join(fmt_num(each["p99_ms"], 1).strip() for each in run["each"])
    if "base_card_updates" in run:
        shown = run.get("final_count_shown_after_s")
        line += (
            f"; proposals stored {run['proposals_stored']}, shared card updated {run['base_card_updates']} time(s) "
            f"(at most {run['base_updates_max_per_second']} in one second"
            + (f", final count shown {shown} s after the burst began" if shown is not None else "")
            + f"), confirmations {run['confirmations']}"
        )
    return line


def load_previous(path: Path) -> dict[str, float]:
    """The previous run's ratios to the stock echo bot, by "scenario/target"."""
    try:
        data = json.loads(path.read_text())
        return {
            f"{s['scenario']}/{s['target']}": s["ratios"][ECHO]["turns_per_s"]
            for s in data["summaries"]
            if ECHO in s.get("ratios", {})
        }
    except (OSError, ValueError, KeyError, TypeError):
        return {}
