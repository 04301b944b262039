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
from cards.workbooks import eksempel_workbook
from core.vocabulary import EntryKind
from domain import approvals, clock, coverage, overview
from domain.actor import Actor
from domain.eksempel_export import eksempel_export
from domain.policy import overview_scope
from domain.similarity import grouped_order, similarity
from testkit.eksempler import synthetic_eksempler

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
    # What the limit applies to: "db" (time in the database driver) or "wall" (the whole call).
    limit_on: str = "db"
    # Eksempler the case needs in the database besides the entries (bulk-inserted once per backend).
    eksempler: int = 0
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


EKSEMPLER_EXPORTED = 10_000
EKSEMPLER_GROUPED = 2_000


async def _eksempel_export(context: ScaleContext) -> int:
    """What the indsamler's export link does (bot/eksempler.py): read every eksempel, render the workbook."""
    async with context.seeder.sessionmaker() as session:
        export = await eksempel_export(session)
    eksempel_workbook(export)
    return len(export.eksempler)


async def _similarity(context: ScaleContext) -> int:
    """Similarity grouping of 2,000 eksempler (domain.similarity, as the selection list groups them), with texts
    shaped like real ones (testkit.eksempler: Zipf-distributed words, every tenth a near-copy)."""
    items = synthetic_eksempler(EKSEMPLER_GROUPED)
    found = similarity(items)
    return len(grouped_order([n for n, _ in items], found))


async def _oversigt_indsamler(context: ScaleContext) -> int:
    """What `oversigt` reads for the indsamler (bot/overview.py): the tema x niveau matrix and the coverage."""
    async with context.seeder.sessionmaker() as session:
        found = await overview.indsamler_overview(session, deadline_keys=(), today=clock.today())
    return len(found.afdelinger)


async def _oversigt_chef(context: ScaleContext) -> int:
    """What `oversigt` reads for a chef: their afdeling's arbejdspladser, each with its entries by status."""
    scope = overview_scope(context.actors[context.org.chefer[0].id])
    async with context.seeder.sessionmaker() as session:
        found = await overview.manager_overview(session, scope, deadline_keys=(), today=clock.today())
    return len(found.units)


async def _oversigt_chefforum(context: ScaleContext) -> int:
    """What `oversigt` reads for Chefforum (bot/overview.py): every mål of every unit, counted, per målsætning."""
    async with context.seeder.sessionmaker() as session:
        found = await coverage.across(session)
    return sum(len(group.maal) for group in found)


SCALE_CASES: dict[str, ScaleCase] = {
    c.name: c
    for c in [
        ScaleCase("godkend (leder)", "inbox + first 10 cards", _godkend_leder, limit_ms=50.0),
        ScaleCase("godkend (chef)", "inbox + first 10 cards", _godkend_chef, limit_ms=50.0),
        ScaleCase("oversigt (indsamler)", "matrix and coverage", _oversigt_indsamler, limit_ms=50.0),
        ScaleCase("oversigt (chef)", "the afdeling's arbejdspladser", _oversigt_chef, limit_ms=50.0),
        ScaleCase("oversigt (Chefforum)", "every mål's coverage, per målsætning", _oversigt_chefforum, limit_ms=50.0),
        ScaleCase(
            "eksempel export",
            f"{EKSEMPLER_EXPORTED} eksempler read and rendered to xlsx",
            _eksempel_export,
            limit_ms=2000.0,
            limit_on="wall",
            eksempler=EKSEMPLER_EXPORTED,
        ),
        ScaleCase(
            "similarity grouping",
            f"{EKSEMPLER_GROUPED} eksempler (no database)",
            _similarity,
            limit_ms=1000.0,
            limit_on="wall",
        ),
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
                eksempler = max((c.eksempler for c in SCALE_CASES.values()), default=0)
                if eksempler:
                    await seeder.bulk_entries(min(eksempler, args.scale_entries), kind=EntryKind.EKSEMPEL)
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
    db_ms, wall_ms, cpu_ms, queries = [], [], [], 0
    for _ in range(REPEATS):
        with StatementTimer(context.seeder) as timer:
            started, cpu = time.perf_counter(), time.process_time()
            await case.measure(context)
            wall_ms.append((time.perf_counter() - started) * 1000)
            cpu_ms.append((time.process_time() - cpu) * 1000)
        db_ms.append(timer.seconds * 1000)
        queries = timer.statements
    return {
        "name": case.name,
        "backend": backend,
        "size": f"{entries} entries, {case.size}",
        "answer": answer,
        "db_ms": round(statistics.median(db_ms), 2),
        "wall_ms": round(statistics.median(wall_ms), 2),
        # CPU time of this process (the driver's threads included): steadier than wall time on a busy machine.
        "cpu_ms": round(statistics.median(cpu_ms), 2),
        "queries": queries,
        "limit_ms": case.limit_ms,
        "limit_on": case.limit_on,
    }
