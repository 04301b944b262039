"""Plan A across arbejdspladser (issue 21, point 5): who may see it (a chef their afdelinger's arbejdspladser,
Chefforum every one) and, per arbejdsplads, whether its form is decided and in use (with the days), whether the
mandatory indikatorer's »Hvilken forskel« is written, the latest status per indikator (domain.plan_a.latest_statuses)
and how many tegn, prøvehandlinger and læring are linked to each indikator.

Read by `oversigt` (bot.plan_a_overview) and the tab's Overblik page (web.overblik) alike.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from core.vocabulary import EntryKind, Role, UnitKind
from domain import clock
from domain.actor import Actor
from domain.plan_a import FORM_DEADLINE_KEY, IN_USE_DEADLINE_KEY, Deadline, StatusView, latest_statuses
from domain.units import afdeling_of
from storage import plan_a as store
from storage import repo

# A page of arbejdspladser: each shows up to eight indikatorer, so that the card stays within Teams' limit
# (cards.base.MAX_CARD_BYTES) at the columns' longest names and texts (tests/test_plan_a_overview.py measures it).
UNITS_PER_PAGE = 8


# --- Who sees what ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Whose Plan A a person sees: every arbejdsplads (Chefforum), or those under their afdelinger (a chef)."""

    everyone: bool
    afdeling_ids: frozenset[int]
    # Chefforum member who is also a chef: may switch between their own afdelinger and everyone.
    may_see_everyone: bool = False
    may_see_own: bool = False


def scope(actor: Actor, *, everyone: bool | None = None) -> Scope | None:
    """The Plan A overview a person may see: a chef their afdelinger, Chefforum every arbejdsplads; `everyone`
    asks for Chefforum's view (None: the person's natural one, their own afdelinger first). None: not theirs."""
    chefforum = actor.has_role(Role.CHEFFORUM)
    own = frozenset(actor.units_with_role(Role.CHEF))
    if everyone is True and not chefforum:
        return None
    if everyone is False and not own:
        return None
    if chefforum and (everyone is True or not own):
        return Scope(True, own, may_see_everyone=True, may_see_own=bool(own))
    if own:
        return Scope(False, own, may_see_everyone=chefforum, may_see_own=True)
    return None


def in_scope(units: repo.Units, seen: Scope, unit_id: int) -> bool:
    if unit_id not in units or units[unit_id].kind is not UnitKind.ARBEJDSPLADS:
        return False
    return seen.everyone or bool(seen.afdeling_ids & set(repo.unit_path(units, unit_id)))


# --- The read model -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndikatorState:
    number: int
    text: str
    mandatory: bool
    written: bool
    status: StatusView | None
    # Linked tegn, prøvehandlinger and læring (proposed or approved), by kind.
    entries: dict[EntryKind, int] = field(default_factory=dict)

    @property
    def entry_total(self) -> int:
        return sum(self.entries.values())


@dataclass(frozen=True)
class UnitPlanA:
    unit_id: int
    name: str
    afdeling_id: int | None
    afdeling_name: str
    ledere: tuple[str, ...]
    started: bool  # a Plan A exists (someone has written in it)
    form: str
    form_decided_on: dt.date | None
    in_use_since: dt.date | None
    indikatorer: tuple[IndikatorState, ...]

    @property
    def mandatory(self) -> tuple[IndikatorState, ...]:
        return tuple(i for i in self.indikatorer if i.mandatory)

    @property
    def mandatory_written(self) -> int:
        return sum(1 for i in self.mandatory if i.written)


@dataclass(frozen=True)
class Totals:
    units: int
    form_decided: int
    in_use: int
    mandatory_written: int  # arbejdspladser with every mandatory indikator written


@dataclass(frozen=True)
class PlanAOverview:
    scope: Scope
    title: str
    year: int | None
    mandatory: tuple[int, ...]
    form_deadline: Deadline | None
    in_use_deadline: Deadline | None
    totals: Totals
    units: tuple[UnitPlanA, ...]
    offset: int = 0

    @property
    def next_offset(self) -> int | None:
        following = self.offset + len(self.units)
        return following if following < self.totals.units else None

    @property
    def previous_offset(self) -> int | None:
        return max(0, self.offset - UNITS_PER_PAGE) if self.offset > 0 else None


async def overview(session: AsyncSession, seen: Scope, *, offset: int = 0) -> PlanAOverview:
    """The arbejdspladser in scope, by afdeling and name, UNITS_PER_PAGE from `offset` (no cap: every page is
    reachable), and totals over all of them."""
    units = await repo.all_units(session)
    places = [u for u in units.values() if in_scope(units, seen, u.id)]

    def afdeling_name(unit_id: int) -> str:
        afdeling = afdeling_of(units, unit_id)
        return units[afdeling].name if afdeling is not None and afdeling in units else ""

    places.sort(key=lambda u: (afdeling_name(u.id), u.name, u.id))
    year, mandatory = await store.mandatory_numbers(session, clock.today().year)
    ids = [u.id for u in places]
    # Totals over every unit in scope: two grouped reads, whatever the number of units.
    every = None if seen.everyone else ids
    dates = await store.plan_dates(session, every)
    written = await store.written_numbers(session, every)
    totals = Totals(
        units=len(places),
        form_decided=sum(1 for u in ids if u in dates and dates[u][1] is not None),
        in_use=sum(1 for u in ids if u in dates and dates[u][2] is not None),
        mandatory_written=sum(1 for u in ids if set(mandatory) <= written.get(u, set())) if mandatory else 0,
    )
    offset = min(max(0, offset), max(0, len(places) - 1))
    page = places[offset : offset + UNITS_PER_PAGE]
    page_ids = [u.id for u in page]
    texts_by_number = {i.number: i.text for i in await store.indikatorer(session)}
    chosen = await store.chosen_numbers(session, page_ids)
    counts: dict[tuple[int, int], dict[EntryKind, int]] = {}
    for unit_id, number, kind, count in await store.entries_per_indikator(session, page_ids):
        counts.setdefault((unit_id, number), {})[kind] = count
    ledere = await repo.holders_by_unit(session, Role.LEDER, page_ids)
    statuses = await latest_statuses(session, page_ids)
    shown: list[UnitPlanA] = []
    for unit in page:
        numbers = set(mandatory) | chosen.get(unit.id, set()) | written.get(unit.id, set())
        numbers |= {n for (u, n) in counts if u == unit.id}
        states = []
        for number in sorted(numbers, key=lambda n: (n not in mandatory, n)):
            states.append(
                IndikatorState(
                    number=number,
                    text=texts_by_number.get(number, ""),
                    mandatory=number in mandatory,
                    written=number in written.get(unit.id, set()),
                    status=statuses.get((unit.id, number)),
                    entries=counts.get((unit.id, number), {}),
                )
            )
        form, decided, in_use = dates.get(unit.id, ("", None, None))
        afdeling = afdeling_of(units, unit.id)
        shown.append(
            UnitPlanA(
                unit_id=unit.id,
                name=unit.name,
                afdeling_id=afdeling,
                afdeling_name=afdeling_name(unit.id),
                ledere=tuple(p.display_name for p in ledere.get(unit.id, [])),
                started=unit.id in dates,
                form=form,
                form_decided_on=decided,
                in_use_since=in_use,
                indikatorer=tuple(states),
            )
        )
    deadlines = await store.calendar(session, (FORM_DEADLINE_KEY, IN_USE_DEADLINE_KEY))

    def deadline(key: str) -> Deadline | None:
        row = deadlines.get(key)
        return Deadline(row.title, row.starts_on) if row is not None else None

    title = "" if seen.everyone else ", ".join(sorted(units[a].name for a in seen.afdeling_ids if a in units))
    return PlanAOverview(
        scope=seen,
        title=title,
        year=year,
        mandatory=tuple(mandatory),
        form_deadline=deadline(FORM_DEADLINE_KEY),
        in_use_deadline=deadline(IN_USE_DEADLINE_KEY),
        totals=totals,
        units=tuple(shown),
        offset=offset,
    )
