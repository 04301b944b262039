"""The chef's export: a målplan in the shape of the målplanskabelon, and Chefforum's workbook across målplaner.

Each sheet (FØR, UNDER udviklingsdage del 1, UNDER udviklingsdage del 2, EFTER) is the målplan as it stood at the
end of its phase (domain.aarshjul, from the organisation file's dates): the mål with their approved tegn and
prøvehandlinger and the læring approved so far. The sheets are cumulative; what was added in a phase is marked on
that phase's sheet. An entry is placed by the day it was approved, not the day it was proposed; a prøvehandling by
the day it became part of the målplan (one from the organisation file was there from the start).
The result is a plain read model; cards.workbooks renders it as the .xlsx people download.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from core.vocabulary import EntryKind, EntryStatus, Role
from domain import aarshjul, clock
from domain.aarshjul import PHASES, Phases
from domain.actor import Roles
from domain.entries import ProevehandlingData
from domain.units import afdeling_of
from storage import coverage, repo
from storage.models import Entry, Maalplan, Proevehandling

__all__ = ["PHASES", "Phases"]


async def phases(session: AsyncSession) -> Phases:
    return Phases.of(await repo.calendar_periods(session, list(aarshjul.KEYS)))


def _day(moment: dt.datetime) -> dt.date:
    return repo.as_utc(moment).astimezone(clock.COPENHAGEN).date()


@dataclass(frozen=True)
class ExportedEntry:
    """One approved tegn or læring with every field it has; coded values stay codes (the renderer labels them)."""

    number: int
    kind: EntryKind
    text: str
    # Tegn
    maalgruppe: str
    datatype: str
    opfoelgning: str
    # The prøvehandling it belongs to (a tegn may name one; a læring always has one, or a new one by name).
    proevehandling: str
    # Læring
    evaluering: str
    hvad_gjorde_vi: str
    tegn_set: str
    effekt: str
    beslutning: str
    tvaerfaglighed: str
    borgerinddragelse: bool | None
    owner: str
    proposed_at: dt.datetime
    approved_at: dt.datetime
    approved_by: str
    # The wording before the approver corrected it (»Ret og godkend»); "" when it was not corrected.
    original_text: str
    phase: int

    @classmethod
    def of(cls, entry: Entry, titles: dict[int, str], phase_dates: Phases) -> ExportedEntry:
        data = entry.data

        def field(key: str, source: dict[str, object] = data) -> str:
            value = source.get(key)
            return str(value) if value not in (None, "") else ""

        approval = next((d for d in reversed(entry.decisions) if d.to_status is EntryStatus.APPROVED), None)
        approved_at = approval.created_at if approval is not None else entry.updated_at
        text_key = "tegn" if entry.kind is EntryKind.TEGN else "laering"
        original = field(text_key, approval.original_data) if approval and approval.original_data else ""
        if entry.proevehandling is not None:
            proevehandling = entry.proevehandling.title
        else:
            ph_id = data.get("proevehandling_id")
            proevehandling = titles.get(ph_id, "") if isinstance(ph_id, int) else field("ny_proevehandling")
        is_laering = entry.kind is EntryKind.LAERING
        return cls(
            number=entry.id,
            kind=entry.kind,
            text=field(text_key),
            maalgruppe=field("maalgruppe"),
            datatype=field("datatype"),
            opfoelgning=field("opfoelgning"),
            proevehandling=proevehandling,
            evaluering=field("evaluering"),
            hvad_gjorde_vi=field("hvad_gjorde_vi"),
            tegn_set=field("tegn_set"),
            effekt=field("effekt"),
            beslutning=field("beslutning"),
            tvaerfaglighed=field("tvaerfaglighed"),
            borgerinddragelse=bool(data.get("borgerinddragelse")) if is_laering else None,
            owner=entry.owner.display_name,
            proposed_at=entry.created_at,
            approved_at=approved_at,
            approved_by=approval.actor.display_name if approval is not None else "",
            original_text=original if original != field(text_key) else "",
            phase=phase_dates.index(_day(approved_at)),
        )


@dataclass(frozen=True)
class ExportedProevehandling:
    title: str
    description: str
    # The phase it became part of the målplan in; None: from the organisation file, there from the start.
    phase: int | None
    # An approved proposal's fields (issue 20): who proposed it, for whom, how we will see its effect, when we
    # evaluate; empty for one from the organisation file.
    number: int | None = None
    maalgruppe: str = ""
    tegn_tekst: str = ""
    hvordan_ser_vi: str = ""
    tvaerfaglighed: str = ""
    borgerinddragelse: bool | None = None
    evalueres: dt.date | None = None
    owner: str = ""
    proposed_at: dt.datetime | None = None
    approved_at: dt.datetime | None = None
    approved_by: str = ""
    # The wording before the chef corrected it (»Ret og godkend«); "" when it was not corrected.
    original_text: str = ""

    @classmethod
    def of(cls, row: Proevehandling, phase_dates: Phases, proposal: Entry | None = None) -> ExportedProevehandling:
        phase = phase_dates.index(_day(row.created_at)) if row.created_at is not None else None
        if proposal is None:
            return cls(row.title, row.description, phase)
        data = ProevehandlingData.model_validate(proposal.data)
        approval = next((d for d in reversed(proposal.decisions) if d.to_status is EntryStatus.APPROVED), None)
        original = str((approval.original_data or {}).get("handling") or "") if approval is not None else ""
        return cls(
            title=row.title,
            description=row.description,
            phase=phase,
            number=proposal.id,
            maalgruppe=data.maalgruppe,
            tegn_tekst=data.tegn_tekst,
            hvordan_ser_vi=data.hvordan_ser_vi,
            tvaerfaglighed=data.tvaerfaglighed.value,
            borgerinddragelse=data.borgerinddragelse,
            evalueres=data.evalueres,
            owner=proposal.owner.display_name,
            proposed_at=proposal.created_at,
            approved_at=approval.created_at if approval is not None else row.created_at,
            approved_by=approval.actor.display_name if approval is not None else "",
            original_text=original if original != data.handling else "",
        )


@dataclass(frozen=True)
class ExportedMaal:
    title: str
    maalsaetning: str
    politik: str
    description: str
    proevehandlinger: tuple[ExportedProevehandling, ...]
    # Every approved tegn and læring, in the order they were approved; each knows its phase.
    entries: tuple[ExportedEntry, ...]

    def proevehandlinger_until(self, phase: int) -> tuple[ExportedProevehandling, ...]:
        """The prøvehandlinger of the målplan at the end of `phase`."""
        return tuple(p for p in self.proevehandlinger if p.phase is None or p.phase <= phase)

    def entries_until(self, phase: int) -> tuple[ExportedEntry, ...]:
        """The approved tegn and læring at the end of `phase` (cumulative)."""
        return tuple(e for e in self.entries if e.phase <= phase)


@dataclass(frozen=True)
class MaalplanExport:
    title: str
    unit_name: str
    year: int
    maal: tuple[ExportedMaal, ...]
    # The last day of FØR, UNDER del 1 and UNDER del 2 (None where the calendar does not say); EFTER is open.
    ends: tuple[dt.date | None, dt.date | None, dt.date | None] = (None, None, None)


async def maalplan_export(session: AsyncSession, maalplan_id: int) -> MaalplanExport:
    """A målplan with its approved tegn, prøvehandlinger and læring, each in the phase it was approved in."""
    plan = await repo.maalplan_with_maal(session, maalplan_id)
    if plan is None:
        raise LookupError(maalplan_id)
    entries = await repo.approved_entries_for_maal(session, [m.id for m in plan.maal])
    return build(plan, entries, await phases(session))


def build(plan: Maalplan, entries: Sequence[Entry], phase_dates: Phases) -> MaalplanExport:
    titles = {ph.id: ph.title for m in plan.maal for ph in m.proevehandlinger}
    # An approved prøvehandling proposal is exported as the prøvehandling it became, with its fields.
    proposals = {
        e.proevehandling_id: e
        for e in entries
        if e.kind is EntryKind.PROEVEHANDLING and e.proevehandling_id is not None
    }
    by_maal: dict[int, list[ExportedEntry]] = {m.id: [] for m in plan.maal}
    for entry in entries:
        if entry.maal_id in by_maal and entry.kind in (EntryKind.TEGN, EntryKind.LAERING):
            by_maal[entry.maal_id].append(ExportedEntry.of(entry, titles, phase_dates))
    return MaalplanExport(
        title=plan.title,
        unit_name=plan.unit.name,
        year=plan.year,
        maal=tuple(
            ExportedMaal(
                title=m.title,
                maalsaetning=m.maalsaetning,
                politik=m.politik,
                description=m.description,
                proevehandlinger=tuple(
                    ExportedProevehandling.of(ph, phase_dates, proposals.get(ph.id)) for ph in m.proevehandlinger
                ),
                entries=tuple(sorted(by_maal[m.id], key=lambda e: (e.approved_at, e.number))),
            )
            for m in plan.maal
        ),
        ends=phase_dates.ends,
    )


async def allowed_maalplaner(session: AsyncSession, roles: Roles) -> list[Maalplan]:
    """The målplaner a person may export: every unit in a chef's afdeling, a leder's own units, a tovholder's
    målplan (the role is held for its unit)."""
    units = await repo.all_units(session)
    allowed: set[int] = set()
    for role, unit_id in roles:
        if unit_id is None:
            continue
        if role is Role.CHEF:
            allowed |= repo.units_below(units, unit_id)
        elif role in (Role.LEDER, Role.TOVHOLDER):
            allowed.add(unit_id)
    return await repo.exportable_maalplaner(session, sorted(allowed)) if allowed else []


# --- Chefforum: across målplaner ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AfdelingExport:
    name: str
    plans: tuple[MaalplanExport, ...]


@dataclass(frozen=True)
class ChefforumExport:
    """Every unit's newest målplan as it stands, by afdeling (alphabetical; units outside an afdeling last)."""

    afdelinger: tuple[AfdelingExport, ...]


async def chefforum_export(session: AsyncSession) -> ChefforumExport:
    """Chefforum's workbook: the newest målplan of every unit, grouped by afdeling. Four statements, plus the
    entries' histories: the units, the mål, the målplaner with their mål and prøvehandlinger, the approved entries."""
    units = await repo.all_units(session)
    plan_ids = sorted({row.maalplan_id for row in await coverage.maal_rows(session, None)})
    plans = await coverage.maalplaner_with_maal(session, plan_ids)
    entries = await repo.approved_entries_for_maal(session, [m.id for p in plans for m in p.maal])
    phase_dates = await phases(session)
    by_plan: dict[int, list[Entry]] = {}
    maal_plan = {m.id: p.id for p in plans for m in p.maal}
    for entry in entries:
        if entry.maal_id in maal_plan:
            by_plan.setdefault(maal_plan[entry.maal_id], []).append(entry)
    grouped: dict[int | None, list[MaalplanExport]] = {}
    for plan in sorted(plans, key=lambda p: (p.unit.name, p.id)):
        afdeling = afdeling_of(units, plan.unit_id) if plan.unit_id in units else None
        grouped.setdefault(afdeling, []).append(build(plan, by_plan.get(plan.id, []), phase_dates))
    ordered = sorted(grouped.items(), key=lambda item: (item[0] is None, units[item[0]].name if item[0] else ""))
    return ChefforumExport(
        tuple(AfdelingExport(units[a].name if a is not None else "", tuple(exports)) for a, exports in ordered)
    )
