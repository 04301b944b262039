"""The workbench tab's rules and read models: which pages a person may open, and the eksempel table (search,
filters, sorting, pages of 50, ticks and the arbejdsgruppe's proposals), built from plain columns.

Writes go through the same domain functions as the chat: `domain.eksempler.record_outcomes` and
`set_film_candidate` for the selection, `domain.workflow.decide_on` for approvals.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import lru_cache

from sqlalchemy.ext.asyncio import AsyncSession

from core.vocabulary import EKSEMPEL_RECEIVED, EntryKind, EntryStatus, Niveau, Role, Tema, UnitKind
from domain import plan_a_overview
from domain.actor import Actor
from domain.eksempel_status import is_received
from domain.eksempler import Outcome, selection_of
from domain.policy import OverviewRole, Selection, overview_scope
from domain.similarity import Similarity, similarity, stems
from domain.workflow import route_of
from storage import repo, workbench

PAGE_SIZE = 50


class Page(StrEnum):
    """The tab's pages; each is open to some roles only."""

    EKSEMPLER = "eksempler"
    GODKENDELSER = "godkendelser"
    OVERBLIK = "overblik"


def pages_for(actor: Actor) -> tuple[Page, ...]:
    """The pages this person may open, in the order the tab's menu shows them (empty: a polite page)."""
    pages: list[Page] = []
    if actor.has_role(Role.INDSAMLER) or actor.has_role(Role.ARBEJDSGRUPPE):
        pages.append(Page.EKSEMPLER)
    if actor.has_role(Role.LEDER) or actor.has_role(Role.CHEF):
        pages.append(Page.GODKENDELSER)
    if (
        overview_scope(actor).role in (OverviewRole.INDSAMLER, OverviewRole.CHEF)
        or plan_a_overview.scope(actor) is not None
    ):
        pages.append(Page.OVERBLIK)
    return tuple(pages)


def may_record_outcomes(actor: Actor) -> bool:
    """The indsamler records the fora's outcomes and film candidates (domain.policy checks each eksempel too)."""
    return actor.has_role(Role.INDSAMLER)


def may_propose(actor: Actor) -> bool:
    """Members of the arbejdsgruppe mark »forslag til udvælgelse«."""
    return actor.has_role(Role.ARBEJDSGRUPPE)


# --- The eksempel table --------------------------------------------------------------------------------------------


class Sort(StrEnum):
    NR = "nr"
    NR_DESC = "-nr"
    SENT = "sendt"
    SENT_DESC = "-sendt"
    TEMA = "tema"
    AFDELING = "afdeling"


# The "stage" filter: not yet decided by any forum, or one outcome.
NOT_DECIDED = "ny"
STAGE_FILTERS: tuple[str, ...] = (
    NOT_DECIDED,
    EntryStatus.SELECTED,
    EntryStatus.NOT_SELECTED,
    EntryStatus.QUALIFIED,
    EntryStatus.NOT_QUALIFIED,
    EntryStatus.ADOPTED,
    EntryStatus.NOT_ADOPTED,
)


@dataclass(frozen=True)
class TableQuery:
    """What the table shows: the search, the filters, the sorting and the page (1-based)."""

    q: str = ""
    tema: Tema | None = None
    niveau: Niveau | None = None
    afdeling_id: int | None = None
    unit_id: int | None = None
    stage: str | None = None
    film: bool | None = None
    has_similar: bool = False
    sort: Sort = Sort.NR
    page: int = 1


@dataclass(frozen=True)
class TableRow:
    id: int
    version: int
    tema: Tema
    niveau: Niveau
    eksempel: str
    situation: str
    afdeling_id: int | None
    afdeling_name: str
    unit_name: str
    status: EntryStatus
    sent_at: dt.datetime
    # Per selection stage, in order: the last outcome recorded at it, or None.
    outcomes: tuple[Outcome | None, ...]
    film: bool
    # The group of similar eksempler it belongs to (with itself), or () when none is similar.
    group: tuple[int, ...]
    proposals: int
    proposed_by_me: bool
    ticked: bool


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Table:
    rows: list[TableRow]
    total: int
    page: int
    pages: int
    selection: Selection
    ticked: frozenset[int]
    afdelinger: tuple[Choice, ...] = ()
    units: tuple[Choice, ...] = ()
    groups: tuple[tuple[int, ...], ...] = field(default_factory=tuple)


def afdeling_id_of(units: repo.Units, unit_id: int) -> int | None:
    """The afdeling a unit belongs to (itself when it is one), or None above the afdelinger."""
    return next((u for u in repo.unit_path(units, unit_id) if units[u].kind is UnitKind.AFDELING), None)


@lru_cache(maxsize=4)
def _similarity_of(fingerprint: str, items: tuple[tuple[int, str], ...]) -> Similarity:
    del fingerprint  # part of the key only
    return similarity(items)


def cached_similarity(items: Sequence[tuple[int, str]]) -> Similarity:
    """The similarity of these eksempler, computed once per set of texts (it takes ~0.5 s at 2,000)."""
    listed = tuple(items)
    digest = hashlib.sha256()
    for entry_id, text in listed:
        digest.update(f"{entry_id}\x00{text}\x01".encode())
    return _similarity_of(digest.hexdigest(), listed)


async def received_rows(session: AsyncSession) -> list[workbench.EksempelRow]:
    """Every eksempel the indsamler has received, waiting for her or further along (domain.eksempel_status)."""
    route = await route_of(session, EntryKind.EKSEMPEL)
    rows = await workbench.eksempel_rows(session, [*sorted(EKSEMPEL_RECEIVED), EntryStatus.PENDING])
    return [row for row in rows if is_received(route, row.status, row.stage)]


@dataclass(frozen=True)
class _Known:
    """One eksempel as every viewer's table sees it (before their ticks and proposals), with its search stems."""

    row: TableRow
    afdeling_id: int | None
    unit_id: int
    stems: frozenset[str]


@dataclass
class _Built:
    fingerprint: tuple[object, ...]
    known: list[_Known]
    afdelinger: tuple[Choice, ...]
    units: tuple[Choice, ...]
    groups: tuple[tuple[int, ...], ...]
    selection: Selection = ()
    # Every stem of every eksempel, sorted: a searched word's completions are a range of it.
    vocabulary: tuple[str, ...] = ()
    # The eksempler in each sort order, made when first asked for (a page filters one of these, keeping its order),
    # and their rows (an unfiltered page is a slice of them).
    orders: dict[Sort, tuple[list[_Known], list[TableRow]]] = field(default_factory=dict)
    # Each stem's eksempler (made when first searched): a search is set operations, not a pass over every text.
    holders: dict[str, set[int]] = field(default_factory=dict)

    def ordered(self, sort: Sort) -> tuple[list[_Known], list[TableRow]]:
        found = self.orders.get(sort)
        if found is None:
            by_row = {id(item.row): item for item in self.known}
            rows = _sorted([item.row for item in self.known], sort)
            found = self.orders[sort] = ([by_row[id(row)] for row in rows], rows)
        return found

    def found(self, words: Sequence[str]) -> set[int]:
        """The eksempler with every searched word, each as any stem it begins (the stems of domain.similarity)."""
        if not self.holders:
            for item in self.known:
                for stem in item.stems:
                    self.holders.setdefault(stem, set()).add(item.row.id)
        found: set[int] | None = None
        for word in words:
            having = set().union(*(self.holders[stem] for stem in self.completions(word)))
            found = having if found is None else found & having
        return found or set()

    def completions(self, prefix: str) -> frozenset[str]:
        """The stems that begin with `prefix` ("kolleg" → kollega, kollegaer …)."""
        start = bisect_left(self.vocabulary, prefix)
        end = start
        while end < len(self.vocabulary) and self.vocabulary[end].startswith(prefix):
            end += 1
        return frozenset(self.vocabulary[start:end])


class _TableCache:
    """The last table read model built, kept until the eksempler, the route, the selection or the units change
    (the fingerprint is one aggregate query). Per process; every instance checks the same database."""

    built: _Built | None = None


async def _known(session: AsyncSession) -> _Built:
    database = str(session.get_bind().engine.url)
    fingerprint = (database, *await workbench.table_version(session))
    cached = _TableCache.built
    if cached is not None and cached.fingerprint == fingerprint:
        return cached
    route = await route_of(session, EntryKind.EKSEMPEL)
    selection = await selection_of(session)
    units = await repo.all_units(session)
    rows = await received_rows(session)
    found = cached_similarity([(row.id, str(row.data.get("eksempel", ""))) for row in rows])
    group_of = {entry_id: group for group in found.groups for entry_id in group}
    stage_of_status = {status: index for index, step in enumerate(selection) for status in (step.passed, step.failed)}
    outcomes: dict[int, list[Outcome | None]] = {}
    for outcome in await workbench.outcome_rows(session):
        per_stage = outcomes.setdefault(outcome.entry_id, [None] * len(selection))
        index = stage_of_status.get(outcome.to_status)
        if index is not None:
            per_stage[index] = Outcome(outcome.to_status, outcome.forum, outcome.occurred_on)
    indsamler_stage = route.index(Role.INDSAMLER) if Role.INDSAMLER in route else len(route) - 1
    arrived = await workbench.arrival_times(session, indsamler_stage)
    known: list[_Known] = []
    afdelinger: dict[int, str] = {}
    unit_choices: dict[int, str] = {}
    for row in rows:
        data = row.data
        afdeling_id = afdeling_id_of(units, row.unit_id)
        if afdeling_id is not None:
            afdelinger[afdeling_id] = units[afdeling_id].name
        unit_choices[row.unit_id] = units[row.unit_id].name
        text = str(data.get("eksempel", ""))
        situation = str(data.get("situation") or "")
        table_row = TableRow(
            id=row.id,
            version=row.version,
            tema=Tema(data["tema"]),
            niveau=Niveau(data["niveau"]),
            eksempel=text,
            situation=situation,
            afdeling_id=afdeling_id,
            afdeling_name=units[afdeling_id].name if afdeling_id is not None else "",
            unit_name=units[row.unit_id].name,
            status=row.status,
            sent_at=arrived.get(row.id, row.created_at),
            outcomes=tuple(outcomes.get(row.id, [None] * len(selection))),
            film=bool(data.get("film_kandidat")),
            group=group_of.get(row.id, ()),
            proposals=0,
            proposed_by_me=False,
            ticked=False,
        )
        known.append(_Known(table_row, afdeling_id, row.unit_id, frozenset(stems(f"{text} {situation}"))))
    built = _Built(
        fingerprint=fingerprint,
        known=known,
        afdelinger=tuple(Choice(str(k), v) for k, v in sorted(afdelinger.items(), key=lambda kv: kv[1])),
        units=tuple(Choice(str(k), v) for k, v in sorted(unit_choices.items(), key=lambda kv: kv[1])),
        groups=found.groups,
        selection=selection,
        vocabulary=tuple(sorted({stem for item in known for stem in item.stems})),
    )
    _TableCache.built = built
    return built


def _filters(query: TableQuery) -> bool:
    """Whether the query leaves out any eksempel (the page and the sorting do not)."""
    return replace(query, sort=Sort.NR, page=1) != TableQuery()


def _tests(query: TableQuery, found: set[int] | None, number: int | None) -> list[Callable[[_Known], bool]]:
    """One test per filter the query sets (an eksempel is kept when it passes every one); none for the others."""
    tema, niveau, afdeling_id, unit_id, stage, film = (
        query.tema,
        query.niveau,
        query.afdeling_id,
        query.unit_id,
        query.stage,
        query.film,
    )
    tests: list[Callable[[_Known], bool]] = []
    if tema is not None:
        tests.append(lambda item: item.row.tema is tema)
    if niveau is not None:
        tests.append(lambda item: item.row.niveau is niveau)
    if afdeling_id is not None:
        tests.append(lambda item: item.afdeling_id == afdeling_id)
    if unit_id is not None:
        tests.append(lambda item: item.unit_id == unit_id)
    if stage == NOT_DECIDED:
        tests.append(lambda item: item.row.status in (EntryStatus.PENDING, EntryStatus.APPROVED))
    elif stage is not None:
        tests.append(lambda item: item.row.status == stage)
    if film is not None:
        tests.append(lambda item: item.row.film is film)
    if query.has_similar:
        tests.append(lambda item: bool(item.row.group))
    if query.q.strip():
        if number is not None:
            tests.append(lambda item: item.row.id == number)
        else:
            matched = found or set()
            tests.append(lambda item: item.row.id in matched)
    return tests


async def table(
    session: AsyncSession,
    actor: Actor,
    query: TableQuery,
    *,
    only: frozenset[int] | None = None,
    unpaged: bool = False,
) -> Table:
    """One page of the eksempel table for `actor`, with their ticks and proposals (`only`: these ids; `unpaged`:
    every row the query keeps, on one page)."""
    built = await _known(session)
    marks = await workbench.viewer_marks(session, actor.person_id)
    typed_number = query.q.strip().lower().removeprefix("nr.").strip()
    number = int(typed_number) if typed_number.isdigit() and len(typed_number) < 10 else None
    ordered, rows = built.ordered(query.sort)
    if only is None and not _filters(query):
        kept = rows
    else:
        words = stems(query.q)
        # Each searched word as any stem it begins (Danish-aware: the stems of domain.similarity); none: nothing.
        found = built.found(words) if words and number is None else None
        tests = _tests(query, found, number)
        if only is not None:
            tests.insert(0, lambda item: item.row.id in only)
        test = tests[0] if len(tests) == 1 else lambda item: all(test(item) for test in tests)
        kept = [item.row for item in ordered if test(item)]
    size = max(1, len(kept)) if only is not None or unpaged else PAGE_SIZE
    pages = max(1, -(-len(kept) // size))
    page = min(max(1, query.page), pages)
    shown = kept[(page - 1) * size : page * size]
    return Table(
        rows=[_marked(row, marks) for row in shown],
        total=len(kept),
        page=page,
        pages=pages,
        selection=built.selection,
        ticked=frozenset(marks.ticked),
        afdelinger=built.afdelinger,
        units=built.units,
        groups=built.groups,
    )


def _marked(row: TableRow, marks: workbench.ViewerMarks) -> TableRow:
    """The row with the viewer's tick and proposal and everyone's proposal count (the read model's row has none)."""
    proposals = marks.proposal_counts.get(row.id, 0)
    proposed, ticked = row.id in marks.proposed_by_me, row.id in marks.ticked
    if not (proposals or proposed or ticked):
        return row
    return replace(row, proposals=proposals, proposed_by_me=proposed, ticked=ticked)


def _sorted(rows: list[TableRow], sort: Sort) -> list[TableRow]:
    if sort is Sort.NR_DESC:
        return sorted(rows, key=lambda r: r.id, reverse=True)
    if sort is Sort.SENT:
        return sorted(rows, key=lambda r: (r.sent_at, r.id))
    if sort is Sort.SENT_DESC:
        return sorted(rows, key=lambda r: (r.sent_at, r.id), reverse=True)
    if sort is Sort.TEMA:
        order = {tema: index for index, tema in enumerate(Tema)}
        return sorted(rows, key=lambda r: (order[r.tema], r.niveau != Niveau.MEDARBEJDER, r.id))
    if sort is Sort.AFDELING:
        return sorted(rows, key=lambda r: (r.afdeling_name, r.unit_name, r.id))
    return sorted(rows, key=lambda r: r.id)


async def group_rows(session: AsyncSession, actor: Actor, entry_id: int) -> list[TableRow]:
    """The similar group of one eksempel, side by side (the eksempel alone when none is similar; [] if unknown)."""
    built = await _known(session)
    row = next((item.row for item in built.known if item.row.id == entry_id), None)
    if row is None:
        return []
    return (await table(session, actor, TableQuery(), only=frozenset(row.group or (entry_id,)))).rows


# --- The Excel round trip: what an uploaded sheet would record -----------------------------------------------


@dataclass(frozen=True)
class SheetLine:
    """One filled-in outcome read from the uploaded sheet: the eksempel, the stage's column, and what it says."""

    entry_id: int
    stage: int
    # The outcome as the sheet said it when it was exported ("" when none), and the new one typed in.
    exported: str
    new: str
    on: dt.date | None


@dataclass(frozen=True)
class Planned:
    entry_id: int
    status: EntryStatus
    forum: str
    on: dt.date


@dataclass(frozen=True)
class Conflict:
    entry_id: int
    exported: str
    current: str


@dataclass(frozen=True)
class Problem:
    entry_id: int
    reason: str  # "label", "date" or "unknown"
    value: str = ""


@dataclass(frozen=True)
class Plan:
    changes: tuple[Planned, ...]
    conflicts: tuple[Conflict, ...]
    problems: tuple[Problem, ...]
    unchanged: int


def outcome_labels(
    selection: Selection, label: Callable[[EntryStatus, str], str]
) -> dict[str, tuple[int, EntryStatus, str]]:
    """Every outcome the selection allows, by its label: (stage index, status, forum)."""
    labels: dict[str, tuple[int, EntryStatus, str]] = {}
    for index, step in enumerate(selection):
        for forum in step.fora:
            for status in (step.passed, step.failed):
                labels[label(status, forum)] = (index, status, forum)
    return labels


def plan(
    lines: Sequence[SheetLine],
    rows: Sequence[TableRow],
    selection: Selection,
    label: Callable[[EntryStatus, str], str],
) -> Plan:
    """What recording the sheet's outcomes would do, nothing written: the changes; the conflicts (the outcome
    at that stage changed since the sheet was exported, and not to what the sheet says); the lines that cannot be
    read; and how many already stand."""
    labels = {key.casefold(): value for key, value in outcome_labels(selection, label).items()}
    by_id = {row.id: row for row in rows}
    changes: list[Planned] = []
    conflicts: list[Conflict] = []
    problems: list[Problem] = []
    unchanged = 0
    for line in lines:
        row = by_id.get(line.entry_id)
        if row is None:
            problems.append(Problem(line.entry_id, "unknown"))
            continue
        found = labels.get(line.new.strip().casefold())
        if found is None or found[0] != line.stage:
            problems.append(Problem(line.entry_id, "label", line.new))
            continue
        if line.on is None:
            problems.append(Problem(line.entry_id, "date"))
            continue
        stage, status, forum = found
        current = row.outcomes[stage] if stage < len(row.outcomes) else None
        current_label = label(current.status, current.forum) if current else ""
        if current is not None and current.status is status and current.forum == forum:
            unchanged += 1
        elif current_label.casefold() != line.exported.strip().casefold():
            conflicts.append(Conflict(line.entry_id, line.exported.strip(), current_label))
        else:
            changes.append(Planned(line.entry_id, status, forum, line.on))
    return Plan(tuple(changes), tuple(conflicts), tuple(problems), unchanged)
