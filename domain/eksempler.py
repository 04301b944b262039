"""Eksempler for the medarbejder- og ledelsesgrundlag: submitting one, the indsamler's selection through the fora
(outcomes recorded in batches, with the forum's date), film candidates, the indsamler's list with similar
eksempler, the news that keeps people writing, and the finished grundlag.

Who may do what is domain.policy's answer (`policy_for` for the route, `selection_policy_for` for the selection);
this module applies it and writes through storage.repo. Every change is a Decision row: the entry's history.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from sqlalchemy.ext.asyncio import AsyncSession

from core.vocabulary import (
    EKSEMPEL_ADOPTED,
    Action,
    Afsender,
    EntryKind,
    EntryStatus,
    Niveau,
    NotificationKind,
    Role,
    Tema,
    UnitKind,
)
from domain.actor import Actor
from domain.approvals import notify_after
from domain.eksempel_status import is_received
from domain.entries import EksempelData
from domain.policy import (
    DEFAULT_SELECTION,
    NotAllowed,
    Selection,
    SelectionPolicy,
    SelectionStep,
    mark_film,
    record_outcome,
    selection_policy_for,
)
from domain.similarity import Similarity, grouped_order, similarity
from domain.workflow import facts_of, route_of, submit
from storage import repo
from storage.models import Entry, Notification

log = logging.getLogger(__name__)

# The outcomes that are good news for the owner and the unit's leder, and the notification that tells them.
GOOD_NEWS: dict[EntryStatus, NotificationKind] = {
    EntryStatus.SELECTED: NotificationKind.EKSEMPEL_SELECTED,
    EntryStatus.ADOPTED: NotificationKind.EKSEMPEL_ADOPTED,
}
NEWS_STATUS = {kind: status for status, kind in GOOD_NEWS.items()}


async def selection_of(session: AsyncSession) -> Selection:
    """The selection's stages and fora from the organisation file, or the default."""
    rows = await repo.selection_stage_rows(session)
    if not rows:
        return DEFAULT_SELECTION
    return tuple(SelectionStep(row.stage, tuple(str(forum) for forum in row.fora)) for row in rows)


def default_niveau(actor: Actor) -> Niveau:
    """The level a writer most likely means: a leder's or chef's own behaviour, or a medarbejder's."""
    return Niveau.LEDER if actor.has_role(Role.LEDER) or actor.has_role(Role.CHEF) else Niveau.MEDARBEJDER


# --- Submitting --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Submitted:
    entry: Entry
    created: bool
    # For the caller to deliver after it has answered the user (Turn.notifier.schedule).
    notification_ids: list[int]


async def submit_eksempel(
    session: AsyncSession,
    *,
    actor: Actor,
    unit_id: int,
    data: EksempelData,
    idempotency_key: str,
    comment: str = "",
) -> Submitted:
    """Store an eksempel from `actor` for their unit at the first stage of its route (a leder's own goes straight
    to the indsamler) and queue the next approvers' cards. The same idempotency key stores it once.

    The one way an eksempel is created: the `eksempel` flow and a meeting round both call this.
    """
    units = await repo.all_units(session)
    if unit_id not in units:
        raise LookupError(unit_id)
    entry, created = await submit(
        session,
        actor=actor,
        kind=EntryKind.EKSEMPEL,
        unit_id=unit_id,
        data=data,
        idempotency_key=idempotency_key,
        comment=comment,
    )
    notification_ids = await notify_after(session, entry, actor_id=actor.person_id) if created else []
    return Submitted(entry, created, notification_ids)


# --- What lists and cards show -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """One selection stage's outcome for an eksempel: the forum that decided, how, and on which day."""

    status: EntryStatus
    forum: str
    on: dt.date


@dataclass(frozen=True)
class EksempelItem:
    """One eksempel as the indsamler's list, the grundlag and the news show it."""

    id: int
    version: int
    tema: Tema
    niveau: Niveau
    eksempel: str
    situation: str
    # Whom it is from, as shown: the writer's name, or the unit (and team) by name.
    fra: str
    owner_name: str
    unit_name: str
    afdeling_name: str
    status: EntryStatus
    waiting_for: Role | None
    film_kandidat: bool
    created_at: dt.datetime
    outcome: Outcome | None = None
    # Other eksempler that say nearly the same, most similar first.
    similar: tuple[int, ...] = ()


def afdeling_of(units: repo.Units, unit_id: int) -> str:
    """The name of the afdeling the unit belongs to (the unit itself if it is one); "" above afdelinger."""
    for path_id in repo.unit_path(units, unit_id):
        if units[path_id].kind is UnitKind.AFDELING:
            return units[path_id].name
    return ""


def sender_name(data: EksempelData, owner_name: str, unit_name: str) -> str:
    if data.fra is Afsender.ENHED:
        return f"{unit_name} – {data.team}" if data.team else unit_name
    return owner_name


def last_outcome(entry: Entry) -> Outcome | None:
    recorded = [d for d in entry.decisions if d.action is Action.RECORD_OUTCOME and d.occurred_on is not None]
    if not recorded:
        return None
    last = recorded[-1]
    assert last.occurred_on is not None
    return Outcome(last.to_status, last.forum or "", last.occurred_on)


def item_of(
    entry: Entry, units: repo.Units, *, waiting_for: Role | None, similar: tuple[int, ...] = ()
) -> EksempelItem:
    data = EksempelData.model_validate(entry.data)
    return EksempelItem(
        id=entry.id,
        version=entry.version,
        tema=data.tema,
        niveau=data.niveau,
        eksempel=data.eksempel,
        situation=data.situation,
        fra=sender_name(data, entry.owner.display_name, entry.unit.name),
        owner_name=entry.owner.display_name,
        unit_name=entry.unit.name,
        afdeling_name=afdeling_of(units, entry.unit_id),
        status=entry.status,
        waiting_for=waiting_for,
        film_kandidat=data.film_kandidat,
        created_at=entry.created_at,
        outcome=last_outcome(entry),
        similar=similar,
    )


async def items_of(
    session: AsyncSession, entries: Sequence[Entry], found: Similarity | None = None
) -> list[EksempelItem]:
    """The list items for these eksempler; `found` names the similar ones (from `received_similarity`)."""
    units = await repo.all_units(session)
    route = await route_of(session, EntryKind.EKSEMPEL)
    items = []
    for entry in entries:
        pending = entry.status is EntryStatus.PENDING and entry.stage < len(route)
        similar = found.neighbours.get(entry.id, ()) if found else ()
        items.append(item_of(entry, units, waiting_for=route[entry.stage] if pending else None, similar=similar))
    return items


@dataclass(frozen=True)
class ListFilter:
    """Which of the indsamler's eksempler a list shows, and how."""

    tema: Tema | None = None
    niveau: Niveau | None = None
    # One status; None for every eksempel the indsamler has. PENDING means "not yet decided by any forum".
    status: EntryStatus | None = None
    grouped: bool = False

    def keeps(self, item: EksempelItem) -> bool:
        return self.keeps_values(item.tema, item.niveau, item.status)

    def keeps_values(self, tema: str, niveau: str, status: EntryStatus) -> bool:
        if self.tema is not None and tema != self.tema:
            return False
        if self.niveau is not None and niveau != self.niveau:
            return False
        if self.status is EntryStatus.PENDING:
            return status in (EntryStatus.PENDING, EntryStatus.APPROVED)
        return self.status is None or status is self.status


@dataclass(frozen=True)
class SelectionList:
    items: list[EksempelItem]
    total: int
    selection: Selection
    groups: tuple[tuple[int, ...], ...] = field(default_factory=tuple)


async def selection_list(session: AsyncSession, *, shown: ListFilter, offset: int, limit: int) -> SelectionList:
    """A page of the indsamler's eksempler, with their similar ones among everything she has received.

    The filter and the similarity read plain columns of every eksempel; only the page is loaded whole."""
    route = await route_of(session, EntryKind.EKSEMPEL)
    rows = [
        (entry_id, status, data)
        for entry_id, status, stage, data in await repo.eksempel_summaries(session)
        if is_received(route, status, stage)
    ]
    found = similarity((entry_id, str(data.get("eksempel", ""))) for entry_id, _, data in rows)
    ids = [
        entry_id
        for entry_id, status, data in rows
        if shown.keeps_values(str(data.get("tema")), str(data.get("niveau")), status)
    ]
    if shown.grouped:
        ids = grouped_order(ids, found)
    page = ids[offset : offset + limit]
    by_id = {entry.id: entry for entry in await repo.eksempel_entries(session, ids=page)}
    items = await items_of(session, [by_id[entry_id] for entry_id in page if entry_id in by_id], found)
    return SelectionList(items, len(ids), await selection_of(session), found.groups)


async def selection_policy(session: AsyncSession, entry: Entry, actor: Actor) -> SelectionPolicy:
    return selection_policy_for(
        await route_of(session, EntryKind.EKSEMPEL), await selection_of(session), await facts_of(session, entry), actor
    )


# --- The indsamler's selection ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchResult:
    changed: tuple[int, ...] = ()
    # Already so (a repeat click, a Teams retry, or someone else did it first): nothing written.
    unchanged: tuple[int, ...] = ()
    # Not open to this outcome now (e.g. not selected earlier, or not received), or not this person's to decide.
    refused: tuple[int, ...] = ()
    notification_ids: tuple[int, ...] = ()


async def _leder_and_owner_news(
    session: AsyncSession, entry: Entry, kind: NotificationKind, actor_id: int
) -> list[int]:
    """The owner's and the unit's leder's good news (each told once, never the one who recorded it)."""
    people = {entry.owner_id} | {p.id for p in await repo.persons_holding(session, Role.LEDER, [entry.unit_id])}
    people.discard(actor_id)
    return await repo.add_notifications(
        session, [Notification(person_id=person_id, entry_id=entry.id, kind=kind) for person_id in sorted(people)]
    )


async def record_outcomes(
    session: AsyncSession,
    *,
    actor: Actor,
    entry_ids: Sequence[int],
    outcome: EntryStatus,
    forum: str,
    occurred_on: dt.date,
    comment: str = "",
    tell: bool = True,
) -> BatchResult:
    """Record one forum's outcome for several eksempler at once (fora decide on batches), in the caller's unit of
    work. Each eksempel gets its own Decision with the forum, the day it decided and the comment; the owner and
    the unit's leder are told when it is udvalgt and when it is godkendt (unless `tell` is False: demo data)."""
    route = await route_of(session, EntryKind.EKSEMPEL)
    selection = await selection_of(session)
    changed: list[int] = []
    unchanged: list[int] = []
    refused: list[int] = []
    notification_ids: list[int] = []
    for entry in await repo.eksempel_entries(session, ids=sorted(set(entry_ids))):
        previous = last_outcome(entry)
        if entry.status is outcome and previous is not None and previous.forum == forum:
            unchanged.append(entry.id)
            continue
        try:
            record_outcome(route, selection, await facts_of(session, entry), actor, outcome=outcome, forum=forum)
        except NotAllowed as refusal:
            log.warning(
                "outcome %s refused on eksempel %s by person %s: %s", outcome, entry.id, actor.person_id, refusal.reason
            )
            refused.append(entry.id)
            continue
        try:
            updated = await repo.record_decision(
                session,
                entry=entry,
                expected_version=entry.version,
                actor_id=actor.person_id,
                action=Action.RECORD_OUTCOME,
                to_status=outcome,
                to_stage=entry.stage,
                comment=comment.strip(),
                forum=forum,
                occurred_on=occurred_on,
            )
        except repo.StaleEntry as stale:
            (unchanged if stale.entry.status is outcome else refused).append(entry.id)
            continue
        changed.append(entry.id)
        log.info("eksempel %s: %s (%s) recorded by person %s", entry.id, outcome, forum[:100], actor.person_id)
        if tell and outcome in GOOD_NEWS:
            notification_ids += await _leder_and_owner_news(session, updated, GOOD_NEWS[outcome], actor.person_id)
    known = set(changed) | set(unchanged) | set(refused)
    refused += [entry_id for entry_id in entry_ids if entry_id not in known]  # no such eksempel
    return BatchResult(tuple(changed), tuple(unchanged), tuple(sorted(set(refused))), tuple(notification_ids))


async def set_film_candidate(
    session: AsyncSession, *, actor: Actor, entry_ids: Sequence[int], film: bool
) -> BatchResult:
    """Mark (or unmark) eksempler as candidates for a short film; each change goes into the history."""
    route = await route_of(session, EntryKind.EKSEMPEL)
    selection = await selection_of(session)
    changed: list[int] = []
    unchanged: list[int] = []
    refused: list[int] = []
    for entry in await repo.eksempel_entries(session, ids=sorted(set(entry_ids))):
        if bool(entry.data.get("film_kandidat")) is film:
            unchanged.append(entry.id)
            continue
        try:
            mark_film(route, selection, await facts_of(session, entry), actor)
        except NotAllowed:
            refused.append(entry.id)
            continue
        data = EksempelData.model_validate({**entry.data, "film_kandidat": film})
        try:
            await repo.record_decision(
                session,
                entry=entry,
                expected_version=entry.version,
                actor_id=actor.person_id,
                action=Action.MARK_FILM if film else Action.UNMARK_FILM,
                to_status=entry.status,
                to_stage=entry.stage,
                data=data.model_dump(mode="json"),
            )
        except repo.StaleEntry:
            unchanged.append(entry.id)
            continue
        changed.append(entry.id)
    known = set(changed) | set(unchanged) | set(refused)
    refused += [entry_id for entry_id in entry_ids if entry_id not in known]
    return BatchResult(tuple(changed), tuple(unchanged), tuple(sorted(set(refused))))


# --- News and the finished grundlag ----------------------------------------------------------------------------


async def news_item(session: AsyncSession, entry: Entry, kind: NotificationKind) -> EksempelItem | None:
    """The eksempel for a good-news notification, with the outcome it tells of; None when that outcome no longer
    stands (the indsamler corrected it before the news went out)."""
    status = NEWS_STATUS.get(kind)
    if status is None:
        return None
    told = [d for d in entry.decisions if d.action is Action.RECORD_OUTCOME and d.to_status is status]
    still = entry.status is status or (status is EntryStatus.SELECTED and entry.status in _AFTER_SELECTED)
    if not told or not still or told[-1].occurred_on is None:
        return None
    [item] = await items_of(session, [entry])
    return _with_outcome(item, Outcome(status, told[-1].forum or "", told[-1].occurred_on))


_AFTER_SELECTED = frozenset(
    {EntryStatus.QUALIFIED, EntryStatus.NOT_QUALIFIED, EntryStatus.ADOPTED, EntryStatus.NOT_ADOPTED}
)


def _with_outcome(item: EksempelItem, outcome: Outcome) -> EksempelItem:
    return replace(item, outcome=outcome)


Grundlag = dict[Tema, dict[Niveau, list[EksempelItem]]]


async def grundlag(session: AsyncSession) -> Grundlag:
    """The finished grundlag: the eksempler KommuneMED approved, by tema and level (every cell present)."""
    entries = await repo.eksempel_entries(session, statuses=sorted(EKSEMPEL_ADOPTED))
    result: Grundlag = {tema: {niveau: [] for niveau in Niveau} for tema in Tema}
    for item in await items_of(session, entries):
        result[item.tema][item.niveau].append(item)
    return result


__all__ = [
    "BatchResult",
    "EksempelItem",
    "Grundlag",
    "ListFilter",
    "SelectionList",
    "Submitted",
    "default_niveau",
    "grundlag",
    "items_of",
    "news_item",
    "record_outcomes",
    "selection_list",
    "selection_of",
    "set_film_candidate",
    "submit_eksempel",
]
