"""Plan A: who may read and edit an arbejdsplads's Plan A, what it holds (read model), every change kept with who
and when, and the coaching on a difference that is really a list of actions or an intention nobody could see."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import AsyncSession

from core.vocabulary import Colour, EntryKind, Role, UnitKind
from domain import clock
from domain.actor import Actor
from storage import plan_a as store
from storage import repo
from storage.models import PlanA, PlanAIndikator, PlanAStatus

# The calendar keys of Plan A's two deadlines (docs/organisation-file.md).
FORM_DEADLINE_KEY = "plan-a-form"
IN_USE_DEADLINE_KEY = "plan-a-i-brug"
TEXT_MAX = 2000
DOCUMENT_TITLE_MAX = 200
URL_MAX = 1000
MAX_DOCUMENTS = 5
HISTORY_PAGE = 10


class Field(StrEnum):
    """What a change touched: a field of one indikator's row, or of the plan itself."""

    FORSKEL = "forskel"
    KENDETEGN = "kendetegn"
    MAAL_TEGN = "maal_tegn"
    DOCUMENT_ADDED = "dokument_tilfoejet"
    DOCUMENT_REMOVED = "dokument_fjernet"
    INDIKATOR_ADDED = "indikator_tilfoejet"
    INDIKATOR_REMOVED = "indikator_fjernet"
    FORM = "form"
    FORM_DECIDED = "form_besluttet"
    IN_USE = "i_brug"
    # Proposals from a Plan A round at a personalemøde, worked into the difference by the leder.
    FORSKEL_FROM_ROUND = "forskel_fra_moede"


ROW_TEXT_FIELDS = (Field.FORSKEL, Field.KENDETEGN, Field.MAAL_TEGN)


class Tip(StrEnum):
    """Why a difference reads as something other than a difference."""

    ACTION_LIST = "handlinger"
    INTENTION = "hensigt"


# --- Coaching ----------------------------------------------------------------------------------------------------

# A list: two or more lines that start with a bullet, a dash or a number.
_LIST_LINE = re.compile(r"^\s*(?:[-*•·]|\d+[.)])\s+", re.MULTILINE)
# "Vi holder møder om …", "Vi vil afholde …", "Der afholdes …": what we do, anywhere in a sentence's start.
_ACTION_ANYWHERE = re.compile(
    r"(?:^|[.!?]\s+)\s*(?:vi|jeg|ledelsen|lederen|personalet|medarbejderne)\s+(?:vil\s+|skal\s+)?"
    r"(?:holde|holder|afholde|afholder|lave|laver|indføre|indfører|gennemføre|gennemfører|etablere|etablerer|"
    r"oprette|opretter|planlægge|planlægger|udarbejde|udarbejder|arrangere|arrangerer|invitere|inviterer|"
    r"igangsætte|igangsætter|starte|starter|tilbyde|tilbyder)\b"
    r"|\bder\s+(?:afholdes|holdes|laves|indføres|etableres|udarbejdes|nedsættes)\b",
    re.IGNORECASE,
)
# A plan written as infinitives: "Afholde temadage …", "At indføre …".
_PLAN_OPENING = re.compile(
    r"^\s*(?:at\s+)?(?:lave|afholde|holde|starte|igangsætte|indføre|etablere|tilbyde|gennemføre|planlægge|"
    r"udarbejde|oprette|invitere|arrangere)\b",
    re.IGNORECASE,
)
_INTENTION = re.compile(
    r"^\s*(?:vi|jeg|man|alle|arbejdspladsen)\s+(?:vil|skal|ønsker|bør|gerne\s+vil|vil\s+gerne|stræber|håber)\b"
    r"|\b(?:fokus\s+på|sætte\s+fokus|styrke|styrker|prioritere|understøtte|fremme|sikre|arbejde\s+med|"
    r"arbejde\s+videre\s+med|være\s+bedre\s+til|blive\s+bedre\s+til|have\s+en\s+god)\b",
    re.IGNORECASE,
)
# Something anyone could see or count: more or fewer of something, a number, what people say or do.
_VISIBLE = re.compile(
    r"\d|\b(?:flere|færre|oplever|siger|fortæller|melder|kommer|deltager|kan\s+se|ser\s+vi|falder|stiger|"
    r"faldet|steget|mindst|højst|halvdelen|alle\s+\w+\s+(?:kan|ved|har)|ved,\s+hvem|ved\s+hvem|kender)\b",
    re.IGNORECASE,
)


def forskel_tip(text: str) -> Tip | None:
    """A gentle flag when »Hvilken forskel vil vi skabe?« is answered with actions, or with an intention and no
    change anyone could see."""
    if not text.strip():
        return None
    if len(_LIST_LINE.findall(text)) >= 2 or _ACTION_ANYWHERE.search(text) or _PLAN_OPENING.match(text):
        return Tip.ACTION_LIST
    if _INTENTION.search(text) and not _VISIBLE.search(text):
        return Tip.INTENTION
    return None


# --- Documents ---------------------------------------------------------------------------------------------------


def valid_url(url: str) -> bool:
    """An http(s) address with a host, nothing else (no javascript:, no file:, no spaces)."""
    if not url or len(url) > URL_MAX or any(c.isspace() for c in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


# --- Rights ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rights:
    may_read: bool
    may_edit: bool


def rights(actor: Actor, unit_path: Sequence[int]) -> Rights:
    """The unit's leder edits; the unit's people, its leder and its chef read. Nobody else sees it."""
    if not unit_path:
        return Rights(False, False)
    unit_id = unit_path[0]
    may_edit = (Role.LEDER, unit_id) in actor.roles
    may_read = may_edit or actor.unit_id == unit_id or actor.holds(Role.CHEF, unit_path)
    return Rights(may_read, may_edit)


async def rights_for(session: AsyncSession, actor: Actor, unit_id: int) -> Rights:
    units = await repo.all_units(session)
    if unit_id not in units:
        return Rights(False, False)
    return rights(actor, repo.unit_path(units, unit_id))


async def own_unit(session: AsyncSession, actor: Actor) -> int | None:
    """The Plan A `plan a` opens: the unit the person leads, else the arbejdsplads they work at."""
    led = sorted(actor.units_with_role(Role.LEDER))
    if led:
        return led[0]
    units = await repo.all_units(session)
    if actor.unit_id is not None and actor.unit_id in units and units[actor.unit_id].kind is UnitKind.ARBEJDSPLADS:
        return actor.unit_id
    return None


async def chef_units(session: AsyncSession, actor: Actor) -> list[tuple[int, str]]:
    """The arbejdspladser under a chef's afdelinger (id, name), by name."""
    units = await repo.all_units(session)
    below: set[int] = set()
    for afdeling in actor.units_with_role(Role.CHEF):
        below |= repo.units_below(units, afdeling)
    found = [(u, units[u].name) for u in below if u in units and units[u].kind is UnitKind.ARBEJDSPLADS]
    return sorted(found, key=lambda pair: pair[1])


# --- The read model ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    title: str
    url: str


@dataclass(frozen=True)
class IndikatorView:
    number: int
    perspektiv: str
    text: str
    mandatory: bool
    chosen: bool
    forskel: str
    kendetegn: str
    maal_tegn: str
    documents: tuple[Document, ...]
    tip: Tip | None
    # The unit's latest recorded status on the indikator (a status round's outcome), if any.
    status: StatusView | None = None

    @property
    def written(self) -> bool:
        return bool(self.forskel.strip())


@dataclass(frozen=True)
class StatusView:
    """The unit's status on one indikator on a date, as its leder recorded it."""

    number: int
    colour: Colour
    text: str
    on: dt.date
    who: str
    recorded_at: dt.datetime


@dataclass(frozen=True)
class Deadline:
    title: str
    date: dt.date


@dataclass(frozen=True)
class PlanAView:
    unit_id: int
    unit_name: str
    year: int | None  # the year of the mandatory set
    form: str
    form_decided_on: dt.date | None
    in_use_since: dt.date | None
    indikatorer: tuple[IndikatorView, ...]
    perspektiver: tuple[tuple[str, str], ...]  # (name, description), in order
    form_deadline: Deadline | None
    in_use_deadline: Deadline | None
    updated_at: dt.datetime | None

    @property
    def mandatory(self) -> tuple[IndikatorView, ...]:
        return tuple(i for i in self.indikatorer if i.mandatory)

    @property
    def further(self) -> tuple[IndikatorView, ...]:
        return tuple(i for i in self.indikatorer if not i.mandatory)


@dataclass(frozen=True)
class Change:
    who: str
    when: dt.datetime
    indikator: int | None
    field: Field
    old: str
    new: str


def _documents(raw: Any) -> tuple[Document, ...]:
    if not isinstance(raw, list):
        return ()
    return tuple(
        Document(str(d.get("title", "")), str(d.get("url", ""))) for d in raw if isinstance(d, dict) and d.get("url")
    )


async def view(session: AsyncSession, unit_id: int) -> PlanAView | None:
    """The unit's Plan A as it stands: the year's mandatory indikatorer, then those the leder chose, then any
    other that holds text (an indikator mandatory in an earlier year)."""
    units = await repo.all_units(session)
    if unit_id not in units:
        return None
    year, mandatory = await store.mandatory_numbers(session, clock.today().year)
    every = await store.indikatorer(session)
    plan = await store.plan_of_unit(session, unit_id)
    rows: dict[int, PlanAIndikator] = {}
    latest = {number: status for (_, number), status in (await latest_statuses(session, [unit_id])).items()}
    if plan is not None:
        rows = {row.indikator_id: row for row in await store.plan_rows(session, plan.id)}
    shown: list[IndikatorView] = []
    perspektiver: dict[str, str] = {}
    for indikator in every:
        perspektiver.setdefault(indikator.perspektiv.name, indikator.perspektiv.description)
        row = rows.get(indikator.id)
        is_mandatory = indikator.number in mandatory
        has_text = row is not None and bool(row.forskel or row.kendetegn or row.maal_tegn or row.documents)
        if not (is_mandatory or (row is not None and row.chosen) or has_text):
            continue
        forskel = row.forskel if row else ""
        shown.append(
            IndikatorView(
                number=indikator.number,
                perspektiv=indikator.perspektiv.name,
                text=indikator.text,
                mandatory=is_mandatory,
                chosen=bool(row and row.chosen),
                forskel=forskel,
                kendetegn=row.kendetegn if row else "",
                maal_tegn=row.maal_tegn if row else "",
                documents=_documents(row.documents) if row else (),
                tip=forskel_tip(forskel),
                status=latest.get(indikator.number),
            )
        )
    shown.sort(key=lambda i: (not i.mandatory, i.number))
    dates = await store.calendar(session, (FORM_DEADLINE_KEY, IN_USE_DEADLINE_KEY))

    def deadline(key: str) -> Deadline | None:
        row = dates.get(key)
        return Deadline(row.title, row.starts_on) if row is not None else None

    return PlanAView(
        unit_id=unit_id,
        unit_name=units[unit_id].name,
        year=year,
        form=plan.form if plan else "",
        form_decided_on=plan.form_decided_on if plan else None,
        in_use_since=plan.in_use_since if plan else None,
        indikatorer=tuple(shown),
        perspektiver=tuple(perspektiver.items()),
        form_deadline=deadline(FORM_DEADLINE_KEY),
        in_use_deadline=deadline(IN_USE_DEADLINE_KEY),
        updated_at=plan.updated_at if plan and plan.version else None,
    )


async def indikator_choices(session: AsyncSession, unit_id: int) -> list[tuple[int, str]]:
    """The indikatorer a leder may add (those not in the Plan A yet): (number, text)."""
    current = await view(session, unit_id)
    taken = {i.number for i in current.indikatorer} if current else set()
    return [(i.number, i.text) for i in await store.indikatorer(session) if i.number not in taken]


MAAL_TEGN_HINTS = 8


async def approved_tegn(session: AsyncSession, unit_id: int) -> list[str]:
    """The approved tegn of the unit's newest målplan (a few): what the leder may name under an indikator."""
    years = await repo.maalplan_years(session, [unit_id])
    if not years:
        return []
    maal = await repo.maal_for_units(session, [unit_id], max(years))
    entries = await repo.approved_entries_for_maal(session, [m.id for m in maal])
    found = [str(e.data.get("tegn", "")) for e in entries if e.kind is EntryKind.TEGN and e.data.get("tegn")]
    return found[:MAAL_TEGN_HINTS]


async def changes(session: AsyncSession, unit_id: int, *, offset: int) -> tuple[int, list[Change]]:
    plan = await store.plan_of_unit(session, unit_id)
    if plan is None:
        return 0, []
    total, rows = await store.history(session, plan.id, offset=offset, limit=HISTORY_PAGE)
    return total, [
        Change(r.actor.display_name, r.created_at, r.indikator_number, Field(r.field), r.old_value, r.new_value)
        for r in rows
    ]


# --- Status per indikator -----------------------------------------------------------------------------------------


async def latest_statuses(session: AsyncSession, unit_ids: Sequence[int]) -> dict[tuple[int, int], StatusView]:
    """The units' latest status per indikator, by (unit, indikator number): what `plan a`, the plakat and the
    overviews (domain.plan_a_overview: `oversigt plan a` and the tab's Overblik) show. One read for any number of
    units."""
    return {
        (row.unit_id, row.indikator_number): _status_view(row) for row in await store.latest_statuses(session, unit_ids)
    }


async def indikator_options(session: AsyncSession) -> tuple[tuple[int, str], ...]:
    """Every indikator as (number, text), in the perspektiver's order: what an entry may be linked to."""
    return tuple((i.number, i.text) for i in await store.indikatorer(session))


# --- Editing -----------------------------------------------------------------------------------------------------


class Problem(StrEnum):
    """Why an edit was not made (the bot says it in Danish)."""

    NOT_ALLOWED = "not_allowed"
    NO_SUCH_INDIKATOR = "no_such_indikator"
    NOT_IN_PLAN = "not_in_plan"
    ALREADY_IN_PLAN = "already_in_plan"
    MANDATORY = "mandatory"
    BAD_URL = "bad_url"
    TOO_MANY_DOCUMENTS = "too_many_documents"
    NO_SUCH_DOCUMENT = "no_such_document"
    TOO_LONG = "too_long"
    NO_STATUS_TEXT = "no_status_text"


class EditRefused(Exception):
    def __init__(self, problem: Problem):
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True)
class Edited:
    changed: int  # how many fields changed (0: the same text again, e.g. a repeated click)
    tip: Tip | None = None


class Editor:
    """One edit of one unit's Plan A by its leder, in the caller's unit of work; every change is recorded."""

    def __init__(self, session: AsyncSession, actor: Actor, unit_id: int):
        self.session = session
        self.actor = actor
        self.unit_id = unit_id
        self._plan: PlanA | None = None
        self._changes: list[dict[str, Any]] = []

    async def _begin(self) -> PlanA:
        if not (await rights_for(self.session, self.actor, self.unit_id)).may_edit:
            raise EditRefused(Problem.NOT_ALLOWED)
        if self._plan is None:
            self._plan = await store.plan_for_update(self.session, self.unit_id)
        return self._plan

    async def _row(self, number: int, *, must_be_in_plan: bool = True) -> PlanAIndikator:
        plan = await self._begin()
        indikator = next((i for i in await store.indikatorer(self.session) if i.number == number), None)
        if indikator is None:
            raise EditRefused(Problem.NO_SUCH_INDIKATOR)
        if must_be_in_plan:
            current = await view(self.session, self.unit_id)
            if current is None or number not in {i.number for i in current.indikatorer}:
                raise EditRefused(Problem.NOT_IN_PLAN)
        row = await store.plan_row(self.session, plan.id, indikator.id, create=True)
        assert row is not None
        return row

    def _record(self, field: Field, old: str, new: str, number: int | None = None) -> None:
        self._changes.append(
            {
                "plan_a_id": self._plan.id if self._plan else None,
                "actor_id": self.actor.person_id,
                "indikator_number": number,
                "field": field.value,
                "old_value": old,
                "new_value": new,
                "created_at": clock.now(),
            }
        )

    async def set_texts(self, number: int, values: dict[Field, str | None]) -> Edited:
        """The indikator's texts; None leaves a field as it is."""
        row = await self._row(number)
        for field in ROW_TEXT_FIELDS:
            new = values.get(field)
            if new is None:
                continue
            old = getattr(row, field.value)
            if new != old:
                setattr(row, field.value, new)
                self._record(field, old, new, number)
        return Edited(await self._finish(), forskel_tip(row.forskel))

    async def add_document(self, number: int, url: str, title: str) -> Edited:
        if not valid_url(url):
            raise EditRefused(Problem.BAD_URL)
        row = await self._row(number)
        documents = list(row.documents or [])
        if any(d.get("url") == url for d in documents if isinstance(d, dict)):
            return Edited(0)
        if len(documents) >= MAX_DOCUMENTS:
            raise EditRefused(Problem.TOO_MANY_DOCUMENTS)
        row.documents = [*documents, {"title": title or url, "url": url}]
        self._record(Field.DOCUMENT_ADDED, "", f"{title} {url}".strip(), number)
        return Edited(await self._finish())

    async def remove_document(self, number: int, position: int) -> Edited:
        row = await self._row(number)
        documents = list(row.documents or [])
        if not 1 <= position <= len(documents):
            raise EditRefused(Problem.NO_SUCH_DOCUMENT)
        gone = documents.pop(position - 1)
        row.documents = documents
        self._record(Field.DOCUMENT_REMOVED, f"{gone.get('title', '')} {gone.get('url', '')}".strip(), "", number)
        return Edited(await self._finish())

    async def add_indikator(self, number: int) -> Edited:
        current = await view(self.session, self.unit_id)
        if current is not None and number in {i.number for i in current.indikatorer}:
            raise EditRefused(Problem.ALREADY_IN_PLAN)
        row = await self._row(number, must_be_in_plan=False)
        row.chosen = True
        self._record(Field.INDIKATOR_ADDED, "", str(number), number)
        return Edited(await self._finish())

    async def remove_indikator(self, number: int) -> Edited:
        current = await view(self.session, self.unit_id)
        found = next((i for i in current.indikatorer if i.number == number), None) if current else None
        if found is None:
            raise EditRefused(Problem.NOT_IN_PLAN)
        if found.mandatory:
            raise EditRefused(Problem.MANDATORY)
        row = await self._row(number)
        row.chosen = False
        for field in ROW_TEXT_FIELDS:
            setattr(row, field.value, "")
        row.documents = []
        self._record(Field.INDIKATOR_REMOVED, str(number), "", number)
        return Edited(await self._finish())

    async def work_in(self, number: int, proposals: Sequence[str]) -> Edited:
        """Proposals from a Plan A round, added to the end of the indikator's difference as lines (the leder
        rewrites them into one difference afterwards); one change in the history, marked as from a personalemøde."""
        row = await self._row(number)
        added = "\n".join(f"- {text.strip()}" for text in proposals if text.strip())
        if not added:
            return Edited(0)
        old = row.forskel
        if added in old:  # the same proposals worked in already (a repeated click)
            return Edited(0, forskel_tip(old))
        new = f"{old.rstrip()}\n{added}" if old.strip() else added
        if len(new) > TEXT_MAX:
            raise EditRefused(Problem.TOO_LONG)
        row.forskel = new
        self._record(Field.FORSKEL_FROM_ROUND, old, new, number)
        return Edited(await self._finish(), forskel_tip(new))

    async def set_form(
        self, *, form: str | None = None, decided_on: dt.date | None = None, in_use_since: dt.date | None = None
    ) -> Edited:
        plan = await self._begin()
        if form is not None and form != plan.form:
            self._record(Field.FORM, plan.form, form)
            plan.form = form
        if decided_on is not None and decided_on != plan.form_decided_on:
            self._record(Field.FORM_DECIDED, _iso(plan.form_decided_on), decided_on.isoformat())
            plan.form_decided_on = decided_on
        if in_use_since is not None and in_use_since != plan.in_use_since:
            self._record(Field.IN_USE, _iso(plan.in_use_since), in_use_since.isoformat())
            plan.in_use_since = in_use_since
        return Edited(await self._finish())

    async def _finish(self) -> int:
        changed = len(self._changes)
        if changed and self._plan is not None:
            for change in self._changes:
                change["plan_a_id"] = self._plan.id
            await store.add_changes(self.session, self._changes)
            self._plan.version += 1
            self._plan.updated_at = clock.now()
        self._changes = []
        return changed


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


# --- Status per indikator (issue 21: a status round's outcome, recorded by the leder) ----------------------------

STATUS_TEXT_MAX = 300
STATUS_HISTORY_MAX = 24


def _status_view(row: PlanAStatus) -> StatusView:
    return StatusView(
        row.indikator_number, row.colour, row.text, row.recorded_on, row.actor.display_name, row.created_at
    )


@dataclass(frozen=True)
class Recorded:
    status: StatusView
    created: bool  # False: the same status on the same day was recorded already (a repeated click)


async def record_status(
    session: AsyncSession,
    *,
    actor: Actor,
    unit_id: int,
    number: int,
    colour: Colour,
    text: str,
    on: dt.date,
    round_id: int | None = None,
) -> Recorded:
    """The unit's status on an indikator, by its leder: a colour, a short text and the date it is for. Every status
    is kept (the progress over the year); the same status on the same day again records nothing."""
    if not (await rights_for(session, actor, unit_id)).may_edit:
        raise EditRefused(Problem.NOT_ALLOWED)
    if not text.strip():
        raise EditRefused(Problem.NO_STATUS_TEXT)
    current = await view(session, unit_id)
    if current is None or number not in {i.number for i in current.indikatorer}:
        raise EditRefused(Problem.NOT_IN_PLAN)
    await store.plan_for_update(session, unit_id)  # one status at a time per unit (PostgreSQL)
    for row in await store.statuses(session, unit_id, number, limit=5):
        if row.recorded_on == on and row.colour is colour and row.text == text.strip():
            return Recorded(_status_view(row), created=False)
    row = await store.add_status(
        session,
        unit_id=unit_id,
        indikator_number=number,
        colour=colour,
        text=text.strip(),
        recorded_on=on,
        actor_id=actor.person_id,
        round_id=round_id,
        created_at=clock.now(),
    )
    return Recorded(_status_view(row), created=True)


async def status_history(session: AsyncSession, unit_id: int, number: int) -> list[StatusView]:
    """The unit's statuses on the indikator, newest first (the dates they are for; ties: the latest recorded)."""
    return [_status_view(row) for row in await store.statuses(session, unit_id, number, limit=STATUS_HISTORY_MAX)]
