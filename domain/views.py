"""Plain, read-only views of what cards show, built from the storage models. Cards take these, never ORM rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.vocabulary import Action, EntryKind, EntryStatus, Role
from domain.actor import Actor
from domain.policy import EntryPolicy
from domain.workflow import policy_of
from storage import contacts, repo
from storage.models import Entry, Maal, Person


@dataclass(frozen=True)
class ProevehandlingView:
    id: int
    title: str


@dataclass(frozen=True)
class MaalView:
    id: int
    title: str
    maalsaetning: str
    politik: str
    maalplan_title: str
    unit_name: str
    proevehandlinger: tuple[ProevehandlingView, ...] = ()
    # The Plan A indikator the mål's entries are linked to by default (organisation file), and every indikator
    # an entry may be linked to (number, text): filled by the flows (dialogs.entry_flow).
    indikator: int | None = None
    indikatorer: tuple[tuple[int, str], ...] = ()

    @classmethod
    def of(cls, maal: Maal) -> MaalView:
        return cls(
            id=maal.id,
            title=maal.title,
            maalsaetning=maal.maalsaetning,
            politik=maal.politik,
            maalplan_title=maal.maalplan.title,
            unit_name=maal.maalplan.unit.name,
            proevehandlinger=tuple(ProevehandlingView(p.id, p.title) for p in maal.proevehandlinger),
            indikator=maal.indikator,
        )


@dataclass(frozen=True)
class UnitView:
    id: int
    name: str
    parent_name: str

    @classmethod
    def all_of(cls, units: repo.Units, kinds: Sequence[str]) -> list[UnitView]:
        return [
            cls(u.id, u.name, units[u.parent_id].name if u.parent_id is not None and u.parent_id in units else "")
            for u in units.values()
            if u.kind in kinds
        ]


@dataclass(frozen=True)
class PersonView:
    """A person as cards name them: name, title from the organisation file (may be empty), e-mail for questions."""

    name: str
    title: str = ""
    email: str = ""

    @classmethod
    def of(cls, person: Person) -> PersonView:
        return cls(person.display_name, person.title or "", person.email or "")


@dataclass(frozen=True)
class DecisionView:
    action: Action
    actor_name: str
    when: dt.datetime
    comment: str
    # What the decision led to; for an eksempel's selection outcome, the forum and the day it decided.
    to_status: EntryStatus | None = None
    forum: str = ""
    occurred_on: dt.date | None = None
    # »Ret og godkend«: the entry's fields before this decision corrected them (None: nothing was corrected).
    original_data: dict[str, object] | None = None


@dataclass(frozen=True)
class EntryView:
    id: int
    kind: EntryKind
    status: EntryStatus
    stage: int
    # The role whose turn it is while pending; None otherwise (the same for every viewer).
    waiting_for: Role | None
    version: int
    owner_name: str
    unit_name: str
    maal_title: str
    maalplan_title: str
    proevehandling_title: str
    created_at: dt.datetime
    data: dict[str, Any] = field(default_factory=dict)
    decisions: tuple[DecisionView, ...] = ()
    # Who holds the role it waits for, named from the organisation file (empty when nobody does, or not looked up).
    waiting_for_people: tuple[PersonView, ...] = ()

    @classmethod
    def of(
        cls, entry: Entry, *, waiting_for: Role | None, waiting_for_people: tuple[PersonView, ...] = ()
    ) -> EntryView:
        proevehandling_title = entry.proevehandling.title if entry.proevehandling else ""
        if entry.kind is EntryKind.PROEVEHANDLING:
            # A proposal's own prøvehandling (once approved) is the proposal itself: its fields say it all.
            proevehandling_title = ""
        elif not proevehandling_title:
            proevehandling_title = str(entry.data.get("ny_proevehandling") or "")
        return cls(
            id=entry.id,
            kind=entry.kind,
            status=entry.status,
            stage=entry.stage,
            waiting_for=waiting_for,
            version=entry.version,
            owner_name=entry.owner.display_name,
            unit_name=entry.unit.name,
            maal_title=entry.maal.title if entry.maal else "",
            maalplan_title=entry.maal.maalplan.title if entry.maal else "",
            proevehandling_title=proevehandling_title,
            created_at=entry.created_at,
            data=dict(entry.data),
            decisions=tuple(
                DecisionView(
                    d.action,
                    d.actor.display_name,
                    d.created_at,
                    d.comment,
                    d.to_status,
                    d.forum or "",
                    d.occurred_on,
                    dict(d.original_data) if d.original_data else None,
                )
                for d in entry.decisions
            ),
            waiting_for_people=waiting_for_people,
        )


@dataclass(frozen=True)
class Viewed:
    """An entry as one person sees it: the view, and what the policy lets them do."""

    view: EntryView
    policy: EntryPolicy


async def viewed(session: AsyncSession, entry: Entry, viewer: Actor) -> Viewed:
    policy = await policy_of(session, entry, viewer)
    people: tuple[PersonView, ...] = ()
    if policy.waiting_for is not None:
        path = repo.unit_path(await repo.all_units(session), entry.unit_id)
        people = tuple(PersonView.of(p) for p in await contacts.deciders(session, policy.waiting_for, path))
    return Viewed(EntryView.of(entry, waiting_for=policy.waiting_for, waiting_for_people=people), policy)
