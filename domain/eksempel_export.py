"""The indsamler's export: every eksempel received with where it stands in the selection, and the units that sent
nothing (»received« and »missing« as domain.eksempel_status defines them, the same as `oversigt` and the reminders).

`build_export` is a pure function of plain rows (benchmarked in bench/); `eksempel_export` reads them from the
database. cards.workbooks renders the result as the .xlsx people download.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.vocabulary import EntryStatus, Niveau, Tema, UnitKind
from domain import eksempel_status
from domain.clock import COPENHAGEN
from storage import repo


@dataclass(frozen=True)
class ExportedEksempel:
    number: int
    tema: Tema
    niveau: Niveau
    eksempel: str
    situation: str
    # The unit (and team, if given) it is from; `owner` is who wrote it.
    fra: str
    afdeling: str
    owner: str
    sent_on: dt.date
    status: EntryStatus
    # The forum of the last outcome recorded, and the day it decided ("" / None before any forum decided).
    forum: str
    decided_on: dt.date | None
    film_kandidat: bool


@dataclass(frozen=True)
class SilentUnit:
    name: str
    afdeling: str
    ledere: str


@dataclass(frozen=True)
class EksempelExport:
    eksempler: list[ExportedEksempel]
    silent_units: list[SilentUnit]


@dataclass(frozen=True)
class UnitRow:
    """A unit as the export needs it: plain values, so that the builder needs no database."""

    id: int
    name: str
    kind: UnitKind
    parent_id: int | None


Row = tuple[int, Mapping[str, Any], EntryStatus, dt.datetime, str, int]


def _afdeling(units: Mapping[int, UnitRow], unit_id: int) -> str:
    current: int | None = unit_id
    seen: set[int] = set()
    while current is not None and current in units and current not in seen:
        seen.add(current)
        if units[current].kind is UnitKind.AFDELING:
            return units[current].name
        current = units[current].parent_id
    return ""


def build_export(
    rows: Sequence[Row],
    outcomes: Mapping[int, tuple[str, dt.date]],
    units: Mapping[int, UnitRow],
    ledere: Mapping[int, Sequence[str]],
    missing: Sequence[int],
) -> EksempelExport:
    """The eksempler received (rows: id, data, status, created at, owner's name, unit id), and the `missing` units
    (their ids) with their afdeling and leder."""
    afdelinger = {unit_id: _afdeling(units, unit_id) for unit_id in units}
    eksempler: list[ExportedEksempel] = []
    for number, data, status, created_at, owner, unit_id in rows:
        unit_name = units[unit_id].name if unit_id in units else ""
        team = str(data.get("team") or "")
        fra = f"{unit_name} – {team}" if team else unit_name
        forum, decided_on = outcomes.get(number, ("", None))
        eksempler.append(
            ExportedEksempel(
                number=number,
                tema=Tema(data["tema"]),
                niveau=Niveau(data["niveau"]),
                eksempel=str(data.get("eksempel", "")),
                situation=str(data.get("situation") or ""),
                fra=fra,
                afdeling=afdelinger.get(unit_id, ""),
                owner=owner,
                sent_on=created_at.astimezone(COPENHAGEN).date(),
                status=status,
                forum=forum,
                decided_on=decided_on,
                film_kandidat=bool(data.get("film_kandidat")),
            )
        )
    silent = [
        SilentUnit(unit.name, afdelinger[unit.id], ", ".join(ledere.get(unit.id, ())))
        for unit in sorted((units[u] for u in missing if u in units), key=lambda u: (afdelinger[u.id], u.name))
    ]
    return EksempelExport(eksempler, silent)


async def eksempel_export(session: AsyncSession) -> EksempelExport:
    units = {u.id: UnitRow(u.id, u.name, u.kind, u.parent_id) for u in (await repo.all_units(session)).values()}
    return build_export(
        await repo.received_eksempel_rows(session, from_stage=await eksempel_status.from_stage(session)),
        await repo.eksempel_outcomes(session),
        units,
        await repo.leder_names_by_unit(session),
        await eksempel_status.missing_units(session),
    )
