"""`python -m bench --quick` with tiny counts: the benchmark harness runs every section end to end and finds no
problem (every request answered, every reply counted and checked). It measures nothing: no timing is asserted."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from bench.__main__ import main
from bench.burst import BURSTS
from bench.markdown import render
from bench.scale import SCALE_CASES
from bench.scenarios import SCENARIOS
from bench.tab import PAGES as TAB_PAGES

TINY = ["--quick", "--requests", "6", "--warmup", "2", "--concurrency", "3", "--soak-turns", "40"]


def test_every_section_runs_and_checks_its_replies(tmp_path: Path) -> None:
    output = tmp_path / "quick.json"
    assert main([*TINY, "--scale-entries", "300", "--output", str(output)]) == 0
    report = json.loads(output.read_text())
    measured = {(s["scenario"], s["target"]) for s in report["summaries"]}
    assert {("baseline", "echo"), ("baseline", "echo-cached")} <= measured
    assert {(name, "styringsbot") for name in SCENARIOS} <= measured
    for summary in report["summaries"]:
        assert summary["problems"] == 0, summary
        if summary["scenario"] != "baseline":
            assert set(summary["ratios"]) == {"echo", "echo-cached"}
    assert all(run["ok"] == 6 and not run["problems"] for run in report["runs"])
    assert report["soak"]["ok"] == 40 and report["soak"]["samples"] and not report["soak"]["problems"]
    bursts = {burst["name"]: burst for burst in report["bursts"]}
    assert set(bursts) == set(BURSTS)
    assert all(not burst["problems"] and burst["ok"] == burst["participants"] for burst in bursts.values())
    for name in ("meeting-add", "meeting-add-seen", "meeting-typed"):
        meeting = bursts[name]
        assert meeting["proposals_stored"] == meeting["participants"], "every proposal stored once, checked"
        assert 1 <= meeting["base_card_updates"] < meeting["participants"], "the shared card's updates are coalesced"
        assert meeting["final_count_shown_after_s"] is not None
    assert bursts["meeting-add"]["confirmations"] == bursts["meeting-add-seen"]["confirmations"] == 0, (
        "a click is answered with the card, not a message"
    )
    typed = bursts["meeting-typed"]
    assert 1 <= typed["confirmations"] < typed["participants"], "typed proposals in a burst are thanked together"
    scale = {case["name"]: case for case in report["scale"]}
    assert set(scale) == set(SCALE_CASES)
    tables = render(report)  # the note's tables (python -m bench.markdown)
    assert "| meeting-add | sqlite | 10/10 | 0 |" in tables and "| hjaelp | styringsbot |" in tables
    assert scale["godkend (leder)"]["answer"] > 0, "the leder has entries waiting in the generated organisation"
    tab = report["tab"]
    assert [page["page"] for page in tab["pages"]] == [label for label, _ in TAB_PAGES]
    assert all(not page["problems"] and page["p99_ms"] is not None for page in tab["pages"]), tab
    assert "| overblik | `/tab/overblik` |" in tables


@pytest.mark.postgres
def test_the_message_scenarios_and_the_meeting_burst_run_on_postgresql_beside_sqlite(tmp_path: Path) -> None:
    url = os.environ.get("TEST_POSTGRES_URL")
    if not url:
        pytest.skip("TEST_POSTGRES_URL is not set: run the suite with `make test`, which starts PostgreSQL")
    output = tmp_path / "quick.json"
    arguments = [*TINY, "--only", "turns", "--scenario", "hjaelp", "--scenario", "decision", "--postgres", url]
    arguments += ["--only", "burst", "--burst", "meeting-add"]
    assert main([*arguments, "--output", str(output)]) == 0
    report = json.loads(output.read_text())
    targets = {(s["scenario"], s["target"]) for s in report["summaries"]}
    assert {("hjaelp", "styringsbot-pg"), ("decision", "styringsbot-pg"), ("decision", "styringsbot")} <= targets
    [burst] = report["bursts"]
    [on_postgres] = burst["other_backends"]
    assert on_postgres["backend"] == "postgres" and not on_postgres["problems"]
    assert on_postgres["proposals_stored"] == on_postgres["participants"] == on_postgres["ok"]
