"""The organisation file (YAML): units, people, roles, routes, årshjul dates, målplaner. See docs/organisation-file.md.

Import is one transaction and idempotent: re-importing the same file changes nothing, an edited file updates in
place by key (units, mål, prøvehandlinger) or e-mail (people). Nothing is deleted: entries keep what they point to.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.vocabulary import EntryKind, Role, SelectionStage, UnitKind
from storage.db import create_engine, create_sessionmaker
from storage.models import (
    CalendarDate,
    Indikator,
    Maal,
    Maalplan,
    MandatoryIndikator,
    Person,
    Perspektiv,
    Proevehandling,
    RoleAssignment,
    Route,
    SelectionStageRow,
    Unit,
)

log = logging.getLogger(__name__)

Key = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,99}$", description="lowercase letters, digits, - and _")


class OrgFileError(Exception):
    """The file cannot be imported. The message names the line and the problem; nothing was imported."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class UnitSpec(_Strict):
    key: str = Key
    name: str = Field(min_length=1, max_length=200)
    kind: UnitKind
    children: list[UnitSpec] = Field(default_factory=list)


class PersonSpec(_Strict):
    name: str = Field(min_length=1, max_length=200)
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=320)
    aad_object_id: str | None = Field(default=None, max_length=64)
    # Shown after the name where the bot names the person an entry waits for: »Stinne Grønne (HR)«.
    title: str | None = Field(default=None, min_length=1, max_length=200)
    unit: str | None = None
    leder_for: list[str] = Field(default_factory=list)
    chef_for: list[str] = Field(default_factory=list)
    indsamler: bool = False
    administrator: bool = False
    # A member of Chefforum: sees the coverage of every mål across the organisation, per målsætning.
    chefforum: bool = False
    # A member of the arbejdsgruppe: reads every eksempel received in the tab and marks »forslag til udvælgelse«.
    arbejdsgruppe: bool = False

    @field_validator("email")
    @classmethod
    def _lower(cls, value: str) -> str:
        return value.lower()


StageRole = Literal[Role.LEDER, Role.CHEF, Role.INDSAMLER]


class DateSpec(_Strict):
    key: str = Key
    title: str = Field(min_length=1, max_length=300)
    date: dt.date | None = None
    start: dt.date | None = Field(default=None, alias="from")
    end: dt.date | None = Field(default=None, alias="to")

    @model_validator(mode="after")
    def _one_form(self) -> DateSpec:
        if (self.date is None) == (self.start is None):
            raise ValueError("give either `date` (a deadline) or `from` and `to` (a period)")
        if self.start is not None and (self.end is None or self.end < self.start):
            raise ValueError("a period needs `to` on or after `from`")
        return self


class ProevehandlingSpec(_Strict):
    key: str = Key
    title: str = Field(min_length=1, max_length=500)
    description: str = ""


class MaalSpec(_Strict):
    key: str = Key
    title: str = Field(min_length=1, max_length=500)
    maalsaetning: str = ""
    politik: str = Field(default="", max_length=300)
    description: str = ""
    # The Plan A indikator (its number) the mål's tegn, prøvehandlinger and læring are linked to by default.
    indikator: int | None = Field(default=None, ge=1, le=999)
    proevehandlinger: list[ProevehandlingSpec] = Field(default_factory=list)


class MaalplanSpec(_Strict):
    unit: str
    year: int = Field(ge=2000, le=2100)
    title: str = Field(min_length=1, max_length=300)
    # The e-mail addresses of the målplan's tovholdere: they may act as the chef on its entries and export it.
    tovholdere: list[str] = Field(default_factory=list)
    maal: list[MaalSpec] = Field(default_factory=list)

    @field_validator("tovholdere")
    @classmethod
    def _lower_all(cls, values: list[str]) -> list[str]:
        return [value.strip().lower() for value in values]


class SelectionSpec(_Strict):
    """A stage of the eksempel selection and the fora that decide at it."""

    stage: SelectionStage
    fora: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(min_length=1)


class PerspektivSpec(_Strict):
    """One of the styringskoncept's perspektiver (Opgaver, Adfærd, Struktur)."""

    key: str = Key
    name: str = Field(min_length=1, max_length=100)
    description: str = ""


class IndikatorSpec(_Strict):
    """An indikator: its number (as the organisation numbers them, 1-8), its perspektiv's key and its text."""

    number: int = Field(ge=1, le=999)
    perspektiv: str
    text: str = Field(min_length=1, max_length=500)


class OrgFile(_Strict):
    units: list[UnitSpec]
    people: list[PersonSpec] = Field(default_factory=list)
    routes: dict[EntryKind, list[StageRole]] = Field(default_factory=dict)
    calendar: list[DateSpec] = Field(default_factory=list)
    maalplaner: list[MaalplanSpec] = Field(default_factory=list)
    selection: list[SelectionSpec] = Field(default_factory=list)
    # Plan A: the perspektiver, the indikatorer, and the indikatorer Chefforum made mandatory, per year.
    perspektiver: list[PerspektivSpec] = Field(default_factory=list)
    indikatorer: list[IndikatorSpec] = Field(default_factory=list)
    obligatoriske_indikatorer: dict[Annotated[int, Field(ge=2000, le=2100)], list[int]] = Field(default_factory=dict)

    def all_units(self) -> Iterator[tuple[UnitSpec, str | None]]:
        def walk(specs: list[UnitSpec], parent: str | None) -> Iterator[tuple[UnitSpec, str | None]]:
            for spec in specs:
                yield spec, parent
                yield from walk(spec.children, spec.key)

        yield from walk(self.units, None)

    @model_validator(mode="after")
    def _references(self) -> OrgFile:
        keys = [spec.key for spec, _ in self.all_units()]
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        if duplicates:
            raise ValueError(f"unit key used twice: {', '.join(duplicates)}")
        known = set(keys)
        emails = [p.email for p in self.people]
        if len(set(emails)) != len(emails):
            raise ValueError("an e-mail address is used for two people")
        for person in self.people:
            for ref in [person.unit, *person.leder_for, *person.chef_for]:
                if ref is not None and ref not in known:
                    raise ValueError(f"{person.name}: unknown unit key '{ref}'")
        for plan in self.maalplaner:
            if plan.unit not in known:
                raise ValueError(f"målplan '{plan.title}': unknown unit key '{plan.unit}'")
            for email in plan.tovholdere:
                if email not in emails:
                    raise ValueError(f"målplan '{plan.title}': tovholder '{email}' is not in `people`")
        self._plan_a_references()
        order = list(SelectionStage)
        stages = [order.index(spec.stage) for spec in self.selection]
        if stages != sorted(set(stages)):
            raise ValueError(f"selection: each stage once, in the order {', '.join(order)}")
        return self

    def _plan_a_references(self) -> None:
        perspektiver = [p.key for p in self.perspektiver]
        if len(set(perspektiver)) != len(perspektiver):
            raise ValueError("perspektiver: a key is used twice")
        numbers = [i.number for i in self.indikatorer]
        if len(set(numbers)) != len(numbers):
            raise ValueError("indikatorer: a number is used twice")
        for indikator in self.indikatorer:
            if indikator.perspektiv not in perspektiver:
                raise ValueError(f"indikator {indikator.number}: unknown perspektiv '{indikator.perspektiv}'")
        for year, mandatory in self.obligatoriske_indikatorer.items():
            unknown = sorted(set(mandatory) - set(numbers))
            if unknown:
                raise ValueError(f"obligatoriske_indikatorer {year}: unknown indikator {unknown[0]}")
        if numbers:  # a file without indikatorer leaves those imported before: nothing to check against
            for plan in self.maalplaner:
                for maal in plan.maal:
                    if maal.indikator is not None and maal.indikator not in numbers:
                        raise ValueError(f"mål '{maal.key}': unknown indikator {maal.indikator}")


# --- Parsing with line numbers -------------------------------------------------------------------------------


def _line_of(node: yaml.Node, loc: tuple[int | str, ...]) -> int:
    """The 1-based line of the YAML node at a pydantic error location (or of its nearest parent)."""
    for part in loc:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            match = next((v for k, v in node.value if getattr(k, "value", None) == part), None)
            if match is None:
                break
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            break
    return node.start_mark.line + 1


def parse(text: str) -> OrgFile:
    """Parse and validate the file's text; raises OrgFileError naming the line and the problem."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data: Any = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise OrgFileError(f"{where}not valid YAML ({getattr(error, 'problem', error)})") from None
    if root is None or not isinstance(data, dict):
        raise OrgFileError("line 1: the file must be a mapping with at least `units:`")
    try:
        return OrgFile.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        loc = tuple(part for part in first["loc"] if not (isinstance(part, str) and part.startswith("function-")))
        path = ".".join(str(p) for p in loc) or "(top level)"
        raise OrgFileError(f"line {_line_of(root, loc)}: {path}: {first['msg']}") from None


# --- Import ------------------------------------------------------------------------------------------------------


@dataclass
class ImportSummary:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, what: str, *, created: bool) -> None:
        bucket = self.created if created else self.updated
        bucket[what] = bucket.get(what, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def __str__(self) -> str:
        if not self.changed:
            return "Imported: nothing changed."
        parts = [f"{n} {what} created" for what, n in sorted(self.created.items())]
        parts += [f"{n} {what} updated" for what, n in sorted(self.updated.items())]
        return "Imported: " + ", ".join(parts) + "."


def _apply(obj: Any, values: dict[str, Any]) -> bool:
    """Set attributes that differ; True if anything changed."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


async def _upsert(
    session: AsyncSession, summary: ImportSummary, what: str, existing: Any, model: type, values: dict[str, Any]
) -> Any:
    if existing is None:
        obj = model(**values)
        session.add(obj)
        await session.flush()
        summary.count(what, created=True)
        return obj
    if _apply(existing, values):
        summary.count(what, created=False)
    return existing


async def import_org(session: AsyncSession, org: OrgFile) -> ImportSummary:
    """Bring the database in line with the file, inside the caller's transaction."""
    summary = ImportSummary()
    units: dict[str, Unit] = {u.key: u for u in (await session.scalars(select(Unit))).all()}
    for unit_spec, parent_key in org.all_units():
        parent_id = units[parent_key].id if parent_key else None
        unit_values: dict[str, Any] = {
            "key": unit_spec.key,
            "name": unit_spec.name,
            "kind": unit_spec.kind,
            "parent_id": parent_id,
        }
        units[unit_spec.key] = await _upsert(session, summary, "units", units.get(unit_spec.key), Unit, unit_values)

    # A tovholder's role is held for the målplan's unit (domain.policy.acts_as_chef).
    tovholder_units: dict[str, set[int]] = {}
    for plan_spec in org.maalplaner:
        for email in plan_spec.tovholdere:
            tovholder_units.setdefault(email, set()).add(units[plan_spec.unit].id)
    people = {p.email: p for p in (await session.scalars(select(Person).where(Person.email.is_not(None)))).all()}
    for person_spec in org.people:
        values: dict[str, Any] = {
            "email": person_spec.email,
            "display_name": person_spec.name,
            "title": person_spec.title,
            "unit_id": units[person_spec.unit].id if person_spec.unit else None,
        }
        if person_spec.aad_object_id:
            values["aad_object_id"] = person_spec.aad_object_id
        person = await _upsert(session, summary, "people", people.get(person_spec.email), Person, values)
        wanted: set[tuple[Role, int | None]] = {(Role.LEDER, units[k].id) for k in person_spec.leder_for}
        wanted |= {(Role.CHEF, units[k].id) for k in person_spec.chef_for}
        if person_spec.indsamler:
            wanted.add((Role.INDSAMLER, None))
        if person_spec.administrator:
            wanted.add((Role.ADMINISTRATOR, None))
        if person_spec.chefforum:
            wanted.add((Role.CHEFFORUM, None))
        wanted |= {(Role.TOVHOLDER, unit_id) for unit_id in tovholder_units.get(person_spec.email, ())}
        if person_spec.arbejdsgruppe:
            wanted.add((Role.ARBEJDSGRUPPE, None))
        current = {
            (r.role, r.unit_id): r
            for r in (await session.scalars(select(RoleAssignment).where(RoleAssignment.person_id == person.id))).all()
        }
        if set(current) != wanted:
            summary.count("role sets", created=False)
            for key in set(current) - wanted:
                await session.delete(current[key])
            for role, unit_id in wanted - set(current):
                session.add(RoleAssignment(person_id=person.id, role=role, unit_id=unit_id))

    routes = {r.kind: r for r in (await session.scalars(select(Route))).all()}
    for kind, stages in org.routes.items():
        await _upsert(session, summary, "routes", routes.get(kind), Route, {"kind": kind, "stages": stages})

    if org.selection:
        await _import_selection(session, summary, org.selection)

    if org.perspektiver or org.indikatorer or org.obligatoriske_indikatorer:
        await _import_plan_a(session, summary, org)

    dates = {d.key: d for d in (await session.scalars(select(CalendarDate))).all()}
    for date_spec in org.calendar:
        values = {
            "key": date_spec.key,
            "title": date_spec.title,
            "starts_on": date_spec.date or date_spec.start,
            "ends_on": None if date_spec.date else date_spec.end,
        }
        await _upsert(session, summary, "dates", dates.get(date_spec.key), CalendarDate, values)

    for plan_spec in org.maalplaner:
        unit = units[plan_spec.unit]
        existing_plan = await session.scalar(
            select(Maalplan).where(Maalplan.unit_id == unit.id, Maalplan.year == plan_spec.year)
        )
        plan = await _upsert(
            session,
            summary,
            "målplaner",
            existing_plan,
            Maalplan,
            {"unit_id": unit.id, "year": plan_spec.year, "title": plan_spec.title},
        )
        maal_by_key = {m.key: m for m in (await session.scalars(select(Maal).where(Maal.maalplan_id == plan.id))).all()}
        for position, maal_spec in enumerate(plan_spec.maal):
            maal = await _upsert(
                session,
                summary,
                "mål",
                maal_by_key.get(maal_spec.key),
                Maal,
                {
                    "maalplan_id": plan.id,
                    "key": maal_spec.key,
                    "position": position,
                    "title": maal_spec.title,
                    "maalsaetning": maal_spec.maalsaetning,
                    "politik": maal_spec.politik,
                    "description": maal_spec.description,
                    "indikator": maal_spec.indikator,
                },
            )
            ph_by_key = {
                p.key: p
                for p in (await session.scalars(select(Proevehandling).where(Proevehandling.maal_id == maal.id))).all()
            }
            for ph_position, ph_spec in enumerate(maal_spec.proevehandlinger):
                await _upsert(
                    session,
                    summary,
                    "prøvehandlinger",
                    ph_by_key.get(ph_spec.key),
                    Proevehandling,
                    {
                        "maal_id": maal.id,
                        "key": ph_spec.key,
                        "position": ph_position,
                        "title": ph_spec.title,
                        "description": ph_spec.description,
                    },
                )
    await session.flush()
    return summary


async def _import_selection(session: AsyncSession, summary: ImportSummary, specs: list[SelectionSpec]) -> None:
    """The selection stages exactly as the file gives them (a small list of settings: replaced when it differs)."""
    rows = list((await session.scalars(select(SelectionStageRow).order_by(SelectionStageRow.position))).all())
    wanted = [(position, spec.stage, list(spec.fora)) for position, spec in enumerate(specs)]
    if [(r.position, r.stage, list(r.fora)) for r in rows] == wanted:
        return
    for row in rows:
        await session.delete(row)
    await session.flush()
    session.add_all(SelectionStageRow(position=p, stage=stage, fora=fora) for p, stage, fora in wanted)
    summary.count("selection stages", created=not rows)


async def _import_plan_a(session: AsyncSession, summary: ImportSummary, org: OrgFile) -> None:
    """Perspektiver by key, indikatorer by number; each year's mandatory set exactly as the file gives it."""
    perspektiver = {p.key: p for p in (await session.scalars(select(Perspektiv))).all()}
    for position, spec in enumerate(org.perspektiver):
        values = {"key": spec.key, "position": position, "name": spec.name, "description": spec.description}
        perspektiver[spec.key] = await _upsert(
            session, summary, "perspektiver", perspektiver.get(spec.key), Perspektiv, values
        )
    indikatorer = {i.number: i for i in (await session.scalars(select(Indikator))).all()}
    for indikator_spec in org.indikatorer:
        values = {
            "number": indikator_spec.number,
            "perspektiv_id": perspektiver[indikator_spec.perspektiv].id,
            "text": indikator_spec.text,
        }
        indikatorer[indikator_spec.number] = await _upsert(
            session, summary, "indikatorer", indikatorer.get(indikator_spec.number), Indikator, values
        )
    for year, numbers in org.obligatoriske_indikatorer.items():
        rows = list((await session.scalars(select(MandatoryIndikator).where(MandatoryIndikator.year == year))).all())
        wanted = {indikatorer[number].id for number in numbers}
        if {row.indikator_id for row in rows} == wanted:
            continue
        for row in rows:
            if row.indikator_id not in wanted:
                await session.delete(row)
        have = {row.indikator_id for row in rows}
        session.add_all(MandatoryIndikator(year=year, indikator_id=i) for i in sorted(wanted - have))
        summary.count("mandatory sets", created=not rows)
    await session.flush()


async def import_file(database_url: str, path: str | Path) -> ImportSummary:
    """Parse the file and import it in one transaction: all or nothing."""
    try:
        text = await asyncio.to_thread(Path(path).read_text, encoding="utf-8")
    except OSError as error:
        raise OrgFileError(f"cannot read the file ({error.strerror})") from None
    org = parse(text)
    engine = create_engine(database_url)
    try:
        async with create_sessionmaker(engine).begin() as session:
            summary = await import_org(session, org)
    finally:
        await engine.dispose()
    log.debug("organisation file imported: %s", summary)
    return summary


__all__ = ["ImportSummary", "OrgFile", "OrgFileError", "import_file", "import_org", "parse"]
