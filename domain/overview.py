"""`oversigt`: what the indsamler, a chef and a leder see, as plain read models built from aggregate counts.

The indsamler sees the eksempel deadline, the tema × niveau matrix (received, udvalgt, godkendt), the empty cells,
and per afdeling how many arbejdspladser have sent eksempler (»sent«, »received« and »missing« as
domain.eksempel_status defines them); she can open an afdeling ("mangler", the leder's
name) and a cell (the eksempler, ten a page). A chef sees the units of their afdeling, a leder their own unit:
tegn and læring by status, what waits at whom and since when, and eksempler sent or missing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace

from sqlalchemy.ext.asyncio import AsyncSession

from core.vocabulary import EntryKind, EntryStatus, Role
from domain import eksempel_status
from domain.coverage import UnitCoverage, unit_coverage
from domain.eksempel_status import CellCount
from domain.policy import OverviewRole, OverviewScope
from domain.workflow import route_of
from storage import outbox, repo
from storage.models import Person

# A chef's card shows this many units a page (an afdeling may have many; the card must stay within Teams' limit,
# cards.base.MAX_CARD_BYTES, with long Danish names: tests/test_overview_scale.py measures it at 150 units).
UNITS_PER_PAGE = 15


@dataclass(frozen=True)
class Deadline:
    key: str
    title: str
    date: dt.date
    days_left: int


@dataclass(frozen=True)
class Coverage:
    """One afdeling: how many of its arbejdspladser have sent eksempler."""

    afdeling_id: int
    name: str
    units: int
    units_sent: int


@dataclass(frozen=True)
class IndsamlerOverview:
    deadline: Deadline | None
    cells: tuple[CellCount, ...]
    afdelinger: tuple[Coverage, ...]
    # Ledere of units that have sent nothing whom the bot cannot reach (no chat with it, or Teams refused).
    unreachable: int

    @property
    def empty_cells(self) -> tuple[CellCount, ...]:
        return tuple(c for c in self.cells if c.missing)

    @property
    def units(self) -> int:
        return sum(a.units for a in self.afdelinger)

    @property
    def units_sent(self) -> int:
        return sum(a.units_sent for a in self.afdelinger)

    @property
    def received(self) -> int:
        return sum(c.received for c in self.cells)


@dataclass(frozen=True)
class UnitDelivery:
    """One arbejdsplads in the afdeling drill-down."""

    unit_id: int
    name: str
    sent: int
    ledere: tuple[str, ...]
    # When a reminder was last sent to the leder (accepted by Teams), and whether one is on its way now.
    reminded_at: dt.datetime | None
    unreachable: bool
    reminding: bool = False

    @property
    def missing(self) -> bool:
        return self.sent == 0


@dataclass(frozen=True)
class AfdelingDetail:
    afdeling_id: int
    name: str
    deadline: Deadline | None
    units: tuple[UnitDelivery, ...]

    @property
    def missing(self) -> tuple[UnitDelivery, ...]:
        return tuple(u for u in self.units if u.missing)


@dataclass(frozen=True)
class Waiting:
    """Entries of one kind waiting at one stage: for whom, how many, the oldest since when."""

    kind: EntryKind
    role: Role
    names: tuple[str, ...]
    count: int
    since: dt.datetime


@dataclass(frozen=True)
class UnitSummary:
    unit_id: int
    name: str
    # Per kind (tegn, prøvehandling, læring): how many entries in each status.
    counts: dict[EntryKind, dict[EntryStatus, int]]
    waiting: tuple[Waiting, ...]
    eksempler_sent: int
    # The unit's mål and how they are covered (None: not read for this view).
    coverage: UnitCoverage | None = None


@dataclass(frozen=True)
class ManagerOverview:
    """A chef's afdeling or a leder's unit(s)."""

    role: OverviewRole
    title: str
    deadline: Deadline | None
    units: tuple[UnitSummary, ...]
    # The page: the first unit shown (0-based) and how many units there are in all.
    offset: int = 0
    total_units: int = 0

    @property
    def next_offset(self) -> int | None:
        following = self.offset + len(self.units)
        return following if following < self.total_units else None

    @property
    def previous_offset(self) -> int | None:
        return max(0, self.offset - UNITS_PER_PAGE) if self.offset > 0 else None


# --- Deadlines ----------------------------------------------------------------------------------------------------


async def eksempel_deadlines(session: AsyncSession, keys: Sequence[str], today: dt.date) -> list[Deadline]:
    """The eksempel deadlines from the organisation file's calendar (a period's deadline is its last day)."""
    rows = await repo.calendar_dates(session, keys)
    deadlines = [
        Deadline(row.key, row.title, row.ends_on or row.starts_on, ((row.ends_on or row.starts_on) - today).days)
        for row in rows
    ]
    return sorted(deadlines, key=lambda d: d.date)


async def current_deadline(session: AsyncSession, keys: Sequence[str], today: dt.date) -> Deadline | None:
    """The next deadline, or the last one when all have passed."""
    deadlines = await eksempel_deadlines(session, keys, today)
    upcoming = [d for d in deadlines if d.days_left >= 0]
    if upcoming:
        return upcoming[0]
    return deadlines[-1] if deadlines else None


# --- The organisation ---------------------------------------------------------------------------------------------


async def afdeling_units(session: AsyncSession, afdeling_id: int) -> list[int]:
    """The units of an afdeling that send eksempler (arbejdspladser, ledergrupper and teams)."""
    return [u.id for u in eksempel_status.senders_by_afdeling(await repo.all_units(session)).get(afdeling_id, [])]


# --- The indsamler ------------------------------------------------------------------------------------------------


async def indsamler_overview(
    session: AsyncSession, *, deadline_keys: Sequence[str], today: dt.date
) -> IndsamlerOverview:
    return (await indsamler_overblik(session, deadline_keys=deadline_keys, today=today, afdeling_ids=())).overview


@dataclass(frozen=True)
class IndsamlerOverblik:
    """The indsamler's overview with the units that have sent nothing, by afdeling (the tab's Overblik)."""

    overview: IndsamlerOverview
    # (afdeling name, unit) for every unit of the afdelinger asked for that has sent nothing, by afdeling and name.
    missing: tuple[tuple[str, UnitDelivery], ...]


async def indsamler_overblik(
    session: AsyncSession, *, deadline_keys: Sequence[str], today: dt.date, afdeling_ids: Collection[int] | None = None
) -> IndsamlerOverblik:
    """`indsamler_overview`, and the missing units of `afdeling_ids` (None: every afdeling) as `afdeling_detail`
    lists them, from the same reads (the overview reads the missing units' ledere already) and two more: when each
    was last reminded, and which reminders are on their way. Speed only: the same figures as afdeling_detail."""
    units = await repo.all_units(session)
    sent = await eksempel_status.sent_by_unit(session)
    grouped = eksempel_status.senders_by_afdeling(units)
    afdelinger = tuple(
        sorted(
            (
                Coverage(afdeling_id, units[afdeling_id].name, len(places), sum(1 for p in places if p.id in sent))
                for afdeling_id, places in grouped.items()
            ),
            key=lambda c: c.name,
        )
    )
    missing = [p.id for places in grouped.values() for p in places if p.id not in sent]
    ledere = await repo.holders_by_unit(session, Role.LEDER, missing)
    unreachable = await repo.unreachable(session, sorted({p.id for people in ledere.values() for p in people}))
    deadline = await current_deadline(session, deadline_keys, today)
    overview = IndsamlerOverview(
        deadline=deadline,
        cells=await eksempel_status.cells(session),
        afdelinger=afdelinger,
        unreachable=len(unreachable),
    )
    asked = [
        c for c in afdelinger if c.units_sent < c.units and (afdeling_ids is None or c.afdeling_id in afdeling_ids)
    ]
    if not asked:
        return IndsamlerOverblik(overview, ())
    reminded, reminding = {}, set()
    if deadline:
        reminded = await outbox.last_reminded(session, deadline_key=deadline.key, deadline=deadline.date)
        reminding = await outbox.reminding_units(session, deadline_key=deadline.key, deadline=deadline.date)
    return IndsamlerOverblik(
        overview,
        tuple(
            (
                coverage.name,
                UnitDelivery(
                    unit_id=p.id,
                    name=p.name,
                    sent=0,
                    ledere=tuple(person.display_name for person in ledere.get(p.id, [])),
                    reminded_at=reminded.get(p.id),
                    reminding=p.id in reminding,
                    unreachable=bool(ledere.get(p.id)) and all(person.id in unreachable for person in ledere[p.id]),
                ),
            )
            for coverage in asked
            for p in sorted(grouped.get(coverage.afdeling_id, []), key=lambda u: u.name)
            if p.id not in sent
        ),
    )


async def afdeling_detail(
    session: AsyncSession, afdeling_id: int, *, deadline_keys: Sequence[str], today: dt.date
) -> AfdelingDetail | None:
    units = await repo.all_units(session)
    if afdeling_id not in units:
        return None
    places = sorted(eksempel_status.senders_by_afdeling(units).get(afdeling_id, []), key=lambda u: u.name)
    ids = [p.id for p in places]
    sent = await eksempel_status.sent_by_unit(session, ids)
    ledere = await repo.holders_by_unit(session, Role.LEDER, ids)
    unreachable = await repo.unreachable(session, sorted({p.id for people in ledere.values() for p in people}))
    deadline = await current_deadline(session, deadline_keys, today)
    reminded, reminding = {}, set()
    if deadline:
        reminded = await outbox.last_reminded(session, deadline_key=deadline.key, deadline=deadline.date)
        reminding = await outbox.reminding_units(session, deadline_key=deadline.key, deadline=deadline.date)
    return AfdelingDetail(
        afdeling_id=afdeling_id,
        name=units[afdeling_id].name,
        deadline=deadline,
        units=tuple(
            UnitDelivery(
                unit_id=p.id,
                name=p.name,
                sent=sent.get(p.id, 0),
                ledere=tuple(person.display_name for person in ledere.get(p.id, [])),
                reminded_at=reminded.get(p.id),
                reminding=p.id in reminding,
                unreachable=bool(ledere.get(p.id)) and all(person.id in unreachable for person in ledere[p.id]),
            )
            for p in places
        ),
    )


# --- Chefs and ledere ----------------------------------------------------------------------------------------------


async def scope_units(session: AsyncSession, scope: OverviewScope) -> set[int]:
    """The units a chef's or leder's overview covers (a chef: the arbejdspladser of their afdelinger)."""
    units = await repo.all_units(session)
    if scope.role is OverviewRole.CHEF:
        grouped = eksempel_status.senders_by_afdeling(units)
        return {p.id for afdeling_id in scope.unit_ids for p in grouped.get(afdeling_id, [])}
    if scope.role is OverviewRole.LEDER:
        return {u for u in scope.unit_ids if u in units}
    return set()


async def manager_overview(
    session: AsyncSession,
    scope: OverviewScope,
    *,
    deadline_keys: Sequence[str],
    today: dt.date,
    offset: int = 0,
) -> ManagerOverview:
    """A chef's afdelinger (their arbejdspladser, UNITS_PER_PAGE from `offset`) or a leder's own units, each with
    how its mål are covered."""
    units = await repo.all_units(session)
    if scope.role is OverviewRole.CHEF:
        grouped = eksempel_status.senders_by_afdeling(units)
        shown = [p for afdeling_id in sorted(scope.unit_ids) for p in grouped.get(afdeling_id, [])]
        title = ", ".join(sorted(units[a].name for a in scope.unit_ids if a in units))
    else:
        shown = [units[u] for u in sorted(scope.unit_ids) if u in units]
        title = ", ".join(u.name for u in shown)
    shown.sort(key=lambda u: u.name)
    total = len(shown)
    offset = min(max(0, offset), max(0, total - 1))
    page = shown[offset : offset + UNITS_PER_PAGE]
    ids = [u.id for u in page]
    summaries = await unit_summaries(session, units, ids)
    covered = await unit_coverage(session, ids)
    return ManagerOverview(
        role=scope.role,
        title=title,
        deadline=await current_deadline(session, deadline_keys, today),
        units=tuple(replace(s, coverage=covered.get(s.unit_id)) for s in summaries),
        offset=offset,
        total_units=total,
    )


async def unit_summaries(session: AsyncSession, units: repo.Units, unit_ids: Sequence[int]) -> list[UnitSummary]:
    counts: dict[int, dict[EntryKind, dict[EntryStatus, int]]] = {u: {} for u in unit_ids}
    kinds = (EntryKind.TEGN, EntryKind.PROEVEHANDLING, EntryKind.LAERING)
    for unit_id, kind, status, count in await repo.entry_counts_by_unit(session, unit_ids=unit_ids, kinds=kinds):
        counts[unit_id].setdefault(kind, {})[status] = count
    sent = await eksempel_status.sent_by_unit(session, unit_ids)
    routes = {kind: await route_of(session, kind) for kind in EntryKind}
    rows = await repo.waiting_by_unit(session, unit_ids=unit_ids)
    # Who holds each stage's role for the units: the unit's leder, the chef of an afdeling above it.
    paths = {u: repo.unit_path(units, u) for u in unit_ids}
    holders = {
        Role.LEDER: await repo.holders_by_unit(session, Role.LEDER, list(unit_ids)),
        Role.CHEF: await repo.holders_by_unit(session, Role.CHEF, sorted({a for p in paths.values() for a in p})),
    }
    waiting: dict[int, list[Waiting]] = {u: [] for u in unit_ids}
    for unit_id, kind, stage, count, since in rows:
        route = routes[kind]
        if stage >= len(route):
            continue
        role = route[stage]
        waiting[unit_id].append(Waiting(kind, role, _names(holders, role, paths[unit_id]), count, since))
    return [
        UnitSummary(
            unit_id=u,
            name=units[u].name,
            counts=counts[u],
            waiting=tuple(sorted(waiting[u], key=lambda w: w.since)),
            eksempler_sent=sent.get(u, 0),
        )
        for u in unit_ids
    ]


def _names(holders: dict[Role, dict[int, list[Person]]], role: Role, path: Iterable[int]) -> tuple[str, ...]:
    if role not in holders:
        return ()
    for unit_id in path:
        people = holders[role].get(unit_id)
        if people:
            return tuple(p.display_name for p in people)
    return ()
