"""Every mål covered (issue 20): for each mål of the newest målplaner, its approved and pending tegn and
prøvehandlinger and its læring, read in a handful of aggregate statements; per unit (a leder's, a chef's
drill-down) and per målsætning across the organisation (Chefforum, »på tværs«).

A prøvehandling is approved when it is one of the mål's prøvehandlinger (from the organisation file, or an
approved proposal); a proposed one is an entry of kind `proevehandling` waiting for a decision. Entries are counted
by whatever kind they have, so that kind is counted as soon as it exists.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from core.vocabulary import EntryKind, EntryStatus
from storage import coverage, repo

# The entry kind of a proposed prøvehandling (issue 20, part 1).
PROEVEHANDLING_KIND = EntryKind.PROEVEHANDLING


@dataclass(frozen=True)
class MaalCoverage:
    maal_id: int
    unit_id: int
    unit_name: str
    title: str
    maalsaetning: str
    # By kind: how many entries in each status (tegn, læring, proposed prøvehandlinger).
    counts: dict[str, dict[EntryStatus, int]] = field(default_factory=dict)
    # The mål's prøvehandlinger: from the organisation file, or proposals that were approved.
    proevehandlinger: int = 0

    def count(self, kind: str, status: EntryStatus) -> int:
        return self.counts.get(kind, {}).get(status, 0)

    @property
    def tegn_approved(self) -> int:
        return self.count(EntryKind.TEGN, EntryStatus.APPROVED)

    @property
    def tegn_pending(self) -> int:
        return self.count(EntryKind.TEGN, EntryStatus.PENDING)

    @property
    def proevehandlinger_pending(self) -> int:
        return self.count(PROEVEHANDLING_KIND, EntryStatus.PENDING)

    @property
    def laering_approved(self) -> int:
        return self.count(EntryKind.LAERING, EntryStatus.APPROVED)

    @property
    def laering_pending(self) -> int:
        return self.count(EntryKind.LAERING, EntryStatus.PENDING)

    @property
    def lacks_tegn(self) -> bool:
        """No approved tegn yet (pending ones are on their way, but not in the målplan)."""
        return self.tegn_approved == 0

    @property
    def lacks_proevehandlinger(self) -> bool:
        return self.proevehandlinger == 0


@dataclass(frozen=True)
class Totals:
    """What a set of mål adds up to (a unit, a målsætning, the whole organisation)."""

    maal: int
    lacking_tegn: int
    lacking_proevehandlinger: int
    tegn_approved: int
    tegn_pending: int
    proevehandlinger: int
    proevehandlinger_pending: int
    laering_approved: int
    laering_pending: int

    @classmethod
    def of(cls, maal: Sequence[MaalCoverage]) -> Totals:
        return cls(
            maal=len(maal),
            lacking_tegn=sum(m.lacks_tegn for m in maal),
            lacking_proevehandlinger=sum(m.lacks_proevehandlinger for m in maal),
            tegn_approved=sum(m.tegn_approved for m in maal),
            tegn_pending=sum(m.tegn_pending for m in maal),
            proevehandlinger=sum(m.proevehandlinger for m in maal),
            proevehandlinger_pending=sum(m.proevehandlinger_pending for m in maal),
            laering_approved=sum(m.laering_approved for m in maal),
            laering_pending=sum(m.laering_pending for m in maal),
        )


@dataclass(frozen=True)
class UnitCoverage:
    unit_id: int
    name: str
    maal: tuple[MaalCoverage, ...]

    @property
    def totals(self) -> Totals:
        return Totals.of(self.maal)


@dataclass(frozen=True)
class MaalsaetningCoverage:
    """One målsætning across the organisation: every unit's mål under it."""

    maalsaetning: str
    # The first of its mål: the id a card sends to open the målsætning.
    key_maal_id: int
    maal: tuple[MaalCoverage, ...]

    @property
    def totals(self) -> Totals:
        return Totals.of(self.maal)

    @property
    def units(self) -> int:
        return len({m.unit_id for m in self.maal})


async def maal_coverage(session: AsyncSession, unit_ids: Sequence[int] | None) -> list[MaalCoverage]:
    """Every mål of the units' newest målplaner (every unit's when None), counted: three statements (the units,
    the mål with their prøvehandlinger, the entries by mål, kind and status)."""
    units = await repo.all_units(session)
    rows = await coverage.maal_rows(session, unit_ids)
    counts: dict[int, dict[str, dict[EntryStatus, int]]] = {row.maal_id: {} for row in rows}
    for maal_id, kind, status, count in await coverage.entry_counts_by_maal(session, unit_ids):
        if maal_id in counts:
            counts[maal_id].setdefault(kind, {})[status] = count
    return [
        MaalCoverage(
            maal_id=row.maal_id,
            unit_id=row.unit_id,
            unit_name=units[row.unit_id].name if row.unit_id in units else "",
            title=row.title,
            maalsaetning=row.maalsaetning,
            counts=counts[row.maal_id],
            proevehandlinger=row.proevehandlinger,
        )
        for row in rows
    ]


async def unit_coverage(session: AsyncSession, unit_ids: Sequence[int]) -> dict[int, UnitCoverage]:
    """The units' mål, by unit (a unit without a målplan has no mål)."""
    units = await repo.all_units(session)
    by_unit: dict[int, list[MaalCoverage]] = {u: [] for u in unit_ids}
    for maal in await maal_coverage(session, unit_ids):
        by_unit.setdefault(maal.unit_id, []).append(maal)
    return {u: UnitCoverage(u, units[u].name if u in units else "", tuple(maal)) for u, maal in by_unit.items()}


async def across(session: AsyncSession) -> list[MaalsaetningCoverage]:
    """Chefforum's view: every mål of every unit's newest målplan, per målsætning (alphabetical; a mål without a
    målsætning last), each målsætning's mål by unit name."""
    grouped: dict[str, list[MaalCoverage]] = {}
    for maal in await maal_coverage(session, None):
        grouped.setdefault(maal.maalsaetning.strip(), []).append(maal)
    result = []
    for text, members in sorted(grouped.items(), key=lambda item: (not item[0], item[0].casefold())):
        members.sort(key=lambda m: (m.unit_name, m.maal_id))
        result.append(MaalsaetningCoverage(text, min(m.maal_id for m in members), tuple(members)))
    return result


async def maalsaetning_of(session: AsyncSession, maal_id: int) -> MaalsaetningCoverage | None:
    """The målsætning a mål belongs to, across the organisation (Chefforum's drill-down)."""
    for group in await across(session):
        if any(m.maal_id == maal_id for m in group.maal):
            return group
    return None
