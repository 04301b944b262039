"""`python -m bench.markdown [RESULTS.json]`: a results file as the Markdown tables of docs/benchmarks.md.

Prints the turn table (medians over the rounds, both ratios, the goal), the bursts, the soak and the scale cases,
and each profiled run's breakdown, so that the note is written from a run rather than copied by hand.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from bench.report import GOALS
from bench.serve import ECHO, ECHO_CACHED

DEFAULT = Path(__file__).resolve().parent / "results" / "latest.json"


def _num(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _row(cells: list[Any]) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _table(headers: list[str], rows: list[list[Any]]) -> list[str]:
    return [_row(headers), _row(["---"] * len(headers)), *(_row(r) for r in rows)]


def heading(document: dict[str, Any]) -> str:
    settings, machine = document["settings"], document["machine"]
    return (
        f"{settings['rounds']} round(s), {settings['warmup']}+{settings['requests']} requests, "
        f"{settings['concurrency']} in flight; commit {str(document['git']['commit'])[:7]}"
        f"{' (with changes)' if document['git']['dirty'] else ''}; {document['minutes']} min; other running "
        f"processes at start/end: {machine['other_running_processes']}, load average "
        f"{[round(x, 1) for x in machine['load_average']]}"
    )


def turns(summaries: list[dict[str, Any]]) -> list[str]:
    rows = []
    for s in summaries:
        ratios = s["ratios"]

        def ratio(baseline: str, key: str, ratios: dict[str, Any] = ratios) -> str:
            return _num(ratios.get(baseline, {}).get(key), 2)

        goal = GOALS.get(s["path"])
        verdict = "" if goal is None else f"×{goal:.0f}: {'met' if s['goal_met'] else 'missed'}"
        rows.append(
            [
                s["scenario"],
                s["target"],
                _num(s["turns_per_s"]),
                _num(s["p50_ms"]),
                _num(s["p99_ms"]),
                _num(s["bot_cpu_ms_per_turn"], 2),
                ratio(ECHO, "turns_per_s"),
                ratio(ECHO, "cpu_per_turn"),
                ratio(ECHO_CACHED, "turns_per_s"),
                ratio(ECHO_CACHED, "cpu_per_turn"),
                verdict + (f" ({s['problems']} problems)" if s["problems"] else ""),
            ]
        )
    headers = ["scenario", "target", "turns/s", "p50 ms", "p99 ms", "CPU ms/turn", "× echo (turns/s)", "× echo (CPU)"]
    return _table([*headers, "× echo-cached (turns/s)", "× echo-cached (CPU)", "goal"], rows)


def bursts(results: list[dict[str, Any]]) -> list[str]:
    rows = []
    for first in results:
        for run in [first, *first.get("other_backends", [])]:
            limits = run.get("limits", {})
            missed = [key for key, limit in limits.items() if run.get(key) is None or run[key] > limit]
            rows.append(
                [
                    run["name"] + (f" ({run['repeats']}×, median)" if run.get("repeats", 1) > 1 else ""),
                    run["backend"],
                    f"{run['ok']}/{run['participants']}",
                    run["lost"],
                    _num(run["p50_ms"]),
                    _num(run["p99_ms"]),
                    _num(run.get("bot_cpu_ms_per_participant")),
                    _num(run.get("bot_cpu_share"), 2),
                    run.get("proposals_stored", "-"),
                    run.get("base_card_updates", "-"),
                    run.get("base_updates_max_per_second", "-"),
                    run["max_calls_per_second"],
                    run.get("confirmations", "-"),
                    _num(run.get("final_count_shown_after_s")),
                    (("missed: " + ", ".join(missed)) if missed else ("met" if limits else ""))
                    + (f" ({len(others)} problems)" if (others := _other_problems(run)) else ""),
                ]
            )
    headers = ["burst", "backend", "answered", "lost", "p50 ms", "p99 ms", "bot CPU ms each", "bot's core", "stored"]
    more = ["base-card updates", "updates max/s", "calls to the chat max/s", "confirmations", "final count after s"]
    return _table([*headers, *more, "goals"], rows)


def _other_problems(run: dict[str, Any]) -> list[str]:
    """A burst's problems besides the goals it missed (those have a column of their own)."""
    return [p for p in run.get("problems", []) if "is over the goal" not in p]


def scale(cases: list[dict[str, Any]]) -> list[str]:
    rows = []
    for case in cases:
        if case.get("missing"):
            rows.append([case["name"], "-", "-", "-", "-", "-", "-", f"not measured: {case['missing']}"])
            continue
        limit = case.get("limit_ms")
        measured = case["wall_ms"] if case.get("limit_on") == "wall" else case["db_ms"]
        goal = (
            "" if limit is None else f"{case['limit_on']} ≤ {limit:.0f} ms: {'met' if measured <= limit else 'missed'}"
        )
        rows.append(
            [
                case["name"],
                case["backend"],
                case["size"],
                _num(case["db_ms"]),
                _num(case["wall_ms"]),
                _num(case["cpu_ms"]),
                case["queries"],
                goal,
            ]
        )
    return _table(["scale case", "backend", "size", "database ms", "wall ms", "CPU ms", "statements", "goal"], rows)


def tab(result: dict[str, Any]) -> list[str]:
    rows = [
        [
            page["page"],
            f"`{page['path']}`",
            _num(page["p50_ms"]),
            _num(page["p99_ms"]),
            _num(page["cpu_ms_per_request"], 2),
            _num(page["requests_per_s"]),
            f"p99 ≤ {page['goal_p99_ms']:.0f} ms: {'met' if page['goal_met'] else 'missed'}",
        ]
        for page in result["pages"]
    ]
    caption = (
        f"The tab ({result['backend']}; {result['eksempler']} eksempler and {result['entries']} more entries; "
        f"{result['concurrency']} concurrent requests, {result['rounds']} rounds a run, "
        f"median of {result['repeats']} runs):"
    )
    headers = ["page", "path", "server p50 ms", "server p99 ms", "CPU ms/request", "requests/s", "goal"]
    return [caption, "", *_table(headers, rows)]


def soak(result: dict[str, Any]) -> str:
    return (
        f"Soak ({result['scenario']}): {result['ok']} of {result['turns']} turns, {_num(result['turns_per_s'])} "
        f"turns/s; RSS {result['rss_after_warmup_mb']:.1f} MB after the warm-up, {result['rss_min_mb']:.1f}–"
        f"{result['rss_max_mb']:.1f} MB after it, {result['rss_last_mb']:.1f} MB at the end: "
        f"{'flat within ±10 %' if result['flat'] else 'not flat within ±10 %'}"
        + (f"; problems: {result['problems']}" if result["problems"] else "")
    )


def profiles(runs: list[dict[str, Any]]) -> list[str]:
    lines = []
    for run in runs:
        if run.get("profile"):
            shares = ", ".join(
                f"{label} {share:.0f} %" for label, share in list(run["profile"]["breakdown"].items())[:7]
            )
            lines.append(f"- `{run['scenario']}` {run['target']} (round {run['round']}): {shares}")
    return lines


def render(document: dict[str, Any]) -> str:
    out = [heading(document), ""]
    if document.get("summaries"):
        out += [*turns(document["summaries"]), ""]
    if document.get("bursts"):
        out += [*bursts(document["bursts"]), ""]
    if document.get("soak"):
        out += [soak(document["soak"]), ""]
    if document.get("scale"):
        out += [*scale(document["scale"]), ""]
    if document.get("tab"):
        out += [*tab(document["tab"]), ""]
    profiled = profiles(document.get("runs", []))
    profiled += profiles(
        [
            {"scenario": b["name"], "target": b["backend"], "round": n, "profile": profile}
            for first in document.get("bursts", [])
            for b in [first, *first.get("other_backends", [])]
            for n, profile in enumerate(b.get("profiles", []), start=1)
        ]
    )
    if profiled:
        out += ["Profiles (py-spy, GIL-holding samples, innermost known library):", "", *profiled, ""]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.markdown", description=(__doc__ or "").splitlines()[0])
    parser.add_argument("results", nargs="?", type=Path, default=DEFAULT)
    args = parser.parse_args(argv)
    print(render(json.loads(args.results.read_text())))


if __name__ == "__main__":
    main()
