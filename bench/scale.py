"""The scale cases: the organisation at full size (150 arbejdspladser, 20 afdelinger) with --scale-entries entries
(100,000 by default), and what must stay fast on it, measured in-process against the real database.

Each case runs the same domain and storage calls the bot's handler makes for it, a few times on one fresh
session each, and reports the median "database time" (time spent inside the database driver's execute,
summed over the statements) and wall time. To add a case, write `measure(context)` (one call of what the
bot does) and append a `ScaleCase`; a case whose feature is not on main yet carries `missing` instead.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event

from bench.databases import Databases
from bench.seed import Org, Seeder
from bot.approvals import view_for
from domain import approvals
from domain.actor import Actor

REPEATS = 5
INBOX_PAGE = 10


@dataclass
class ScaleContext:
    seeder: Seeder
    org: Org
    actors: dict[str, Actor]


@dataclass(frozen=True)
class ScaleCase:
    name: str
    size: str
    measure: Callable[[ScaleContext], Awaitable[Any]] | None = None
    limit_ms: float | None = None
    # Why the case cannot be measured yet (the feature is another issue's, not on main).
    missing: str | None = None


async def _godkend(context: ScaleContext, actor: Actor) -> int:
    """What `godkend` does: the inbox, and the approval cards of its first page (bot.handler.show_inbox)."""
    async with context.seeder.sessionmaker() as session:
        waiting = await approvals.inbox(session, actor)
        for entry in waiting[:INBOX_PAGE]:
            await view_for(session, entry, actor)
    return len(waiting)


async def _godkend_leder(context: ScaleContext) -> int:
    return await _godkend(context, context.actors[context.org.ledere[0].id])


async def _godkend_chef(context: ScaleContext) -> int:
    return await _godkend(context, context.actors[context.org.chefer[0].id])


SCALE_CASES: dict[str, ScaleCase] = {
    c.name: c
    for c in [
        ScaleCase("godkend (leder)", "inbox + first 10 cards", _godkend_leder, limit_ms=50.0),
        ScaleCase("godkend (chef)", "inbox + first 10 cards", _godkend_chef, limit_ms=50.0),
        ScaleCase("oversigt", "indsamler / chef overview", missing="`oversigt` (issue 12) is not on main yet"),
        ScaleCase(
            "eksempel export", "10,000 eksempel rows to xlsx", limit_ms=2000.0, missing="issue 10 is not on main yet"
        ),
        ScaleCase("similarity grouping", "2,000 eksempler", limit_ms=1000.0, missing="issue 10 is not on main yet"),
    ]
}


class StatementTimer:
    """Sums the time statements spend in the driver (cursor execute), for one engine."""

    def __init__(self, seeder: Seeder):
        self.engine = seeder.engine.sync_engine
        self.seconds = 0.0
        self.statements = 0

    def __enter__(self) -> StatementTimer:
        event.listen(self.engine, "before_cursor_execute", self._before)
        event.listen(self.engine, "after_cursor_execute", self._after)
        return self

    def __exit__(self, *exc: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._before)
        event.remove(self.engine, "after_cursor_execute", self._after)

    def _before(self, conn: Any, *_args: Any) -> None:
        conn.info.setdefault("bench_started", []).append(time.perf_counter())

    def _after(self, conn: Any, *_args: Any) -> None:
        self.seconds += time.perf_counter() - conn.info["bench_started"].pop()
        self.statements += 1


async def run_scale(
    args: argparse.Namespace,
    databases: Databases,
    templates: dict[tuple[str, str], tuple[str, Any]],
    org: Org,
) -> list[dict[str, Any]]:
    measured: list[dict[str, Any]] = []
    for backend in databases.backends():
        template_url, _ = templates[("org", backend)]
        url = await databases.copy(backend, template_url, "scale")
        try:
            async with Seeder(url) as seeder:
                started = time.perf_counter()
                await seeder.bulk_entries(args.scale_entries)
                print(
                    f"Scale: {args.scale_entries} entries on {backend} in {time.perf_counter() - started:.1f} s",
                    flush=True,
                )
                context = ScaleContext(seeder, org, await seeder.actors([*org.ledere[:1], *org.chefer[:1]]))
                for case in SCALE_CASES.values():
                    if case.measure is None:
                        continue
                    measured.append(await _measure(case, context, backend, args.scale_entries))
        finally:
            await databases.drop(url)
    measured += [{"name": c.name, "missing": c.missing} for c in SCALE_CASES.values() if c.measure is None]
    return measured


async def _measure(case: ScaleCase, context: ScaleContext, backend: str, entries: int) -> dict[str, Any]:
    assert case.measure is not None
    answer = await case.measure(context)  # warm-up: caches, prepared statements
    db_ms, wall_ms, queries = [], [], 0
    for _ in range(REPEATS):
        with StatementTimer(context.seeder) as timer:
            started = time.perf_counter()
            await case.measure(context)
            wall_ms.append((time.perf_counter() - started) * 1000)
        db_ms.append(timer.seconds * 1000)
        queries = timer.statements
    return {
        "name": case.name,
        "backend": backend,
        "size": f"{entries} entries, {case.size}",
        "answer": answer,
        "db_ms": round(statistics.median(db_ms), 2),
        "wall_ms": round(statistics.median(wall_ms), 2),
        "queries": queries,
        "limit_ms": case.limit_ms,
    }
