"""Submitting and deciding on entries (the only way an entry is created or changes status), and the policy of one
entry for one person, read from the database."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from core import clock
from core.vocabulary import Action, EntryKind, EntryStatus
from domain import proevehandlinger
from domain.actor import Actor
from domain.entries import EntryData, stored
from domain.policy import EntryFacts, EntryPolicy, NotAllowed, decide, first_stage, policy_for
from domain.routes import route_of
from storage import repo
from storage.models import Decision, Entry

log = logging.getLogger(__name__)


class NotFound(LookupError):
    """No entry with that id."""


class Result(StrEnum):
    NEW = "new"
    # A repeat of a decision already recorded (a Teams retry, a double click): nothing written.
    REPEAT = "repeat"
    # Someone else decided first: nothing written; `entry` shows what they did.
    ALREADY_DECIDED = "already_decided"


@dataclass(frozen=True)
class Decided:
    entry: Entry
    result: Result

    @property
    def new(self) -> bool:
        return self.result is Result.NEW


async def facts_of(session: AsyncSession, entry: Entry) -> EntryFacts:
    units = await repo.all_units(session)
    return EntryFacts(entry.status, entry.stage, entry.owner_id, repo.unit_path(units, entry.unit_id), entry.kind)


async def policy_of(session: AsyncSession, entry: Entry, actor: Actor) -> EntryPolicy:
    """What `actor` may do with the entry now (see domain.policy)."""
    return policy_for(await route_of(session, entry.kind), await facts_of(session, entry), actor)


async def submit(
    session: AsyncSession,
    *,
    actor: Actor,
    kind: EntryKind,
    unit_id: int,
    data: EntryData,
    idempotency_key: str,
    maal_id: int | None = None,
    proevehandling_id: int | None = None,
    comment: str = "",
) -> tuple[Entry, bool]:
    """Store a new entry at the first stage of its route. The same idempotency key stores it once. `comment`: the
    submission's note in the history (a meeting's date, the original wording of a corrected proposal)."""
    route = await route_of(session, kind)
    units = await repo.all_units(session)
    stage = first_stage(route, actor, repo.unit_path(units, unit_id))
    entry, created = await repo.add_entry(
        session,
        idempotency_key=idempotency_key,
        kind=kind,
        owner_id=actor.person_id,
        unit_id=unit_id,
        maal_id=maal_id,
        proevehandling_id=proevehandling_id,
        data=stored(data),
        status=EntryStatus.PENDING,
        stage=stage,
    )
    if created:
        session.add(
            Decision(
                entry_id=entry.id,
                actor_id=actor.person_id,
                action=Action.SUBMIT,
                from_status=None,
                to_status=EntryStatus.PENDING,
                from_stage=None,
                to_stage=stage,
                from_version=0,
                comment=comment,
                created_at=clock.now(),
            )
        )
        await session.flush()
        loaded = await repo.get_entry(session, entry.id)
        assert loaded is not None
        entry = loaded
        log.info("entry %s (%s) submitted by person %s at stage %s", entry.id, kind, actor.person_id, stage)
    return entry, created


def _is_repeat(entry: Entry, *, actor_id: int, action: Action, seen_version: int) -> bool:
    return any(
        d.actor_id == actor_id and d.action is action and d.from_version == seen_version for d in entry.decisions
    )


def _after_the_fact(entry: Entry, *, actor: Actor, action: Action, seen_version: int) -> Decided:
    if _is_repeat(entry, actor_id=actor.person_id, action=action, seen_version=seen_version):
        return Decided(entry, Result.REPEAT)
    log.info("entry %s: %s by person %s came after version %s", entry.id, action.value, actor.person_id, seen_version)
    return Decided(entry, Result.ALREADY_DECIDED)


async def decide_on(
    session: AsyncSession,
    *,
    actor: Actor,
    entry_id: int,
    action: Action,
    seen_version: int,
    comment: str = "",
    new_data: EntryData | None = None,
    loaded: Entry | None = None,
) -> Decided:
    """Apply a decision to the entry as the actor saw it (at `seen_version`).

    Raises NotAllowed (with a reason code). Never raises for a repeat or for losing a race: the result says
    which, and the entry is loaded as it now is, so the caller can show the current card. `loaded`: the entry as
    the caller has just read it in this session (it is not read again; the conditional update still checks it).
    """
    entry = loaded if loaded is not None and loaded.id == entry_id else await repo.get_entry(session, entry_id)
    if entry is None:
        raise NotFound(entry_id)
    if entry.version != seen_version:
        return _after_the_fact(entry, actor=actor, action=action, seen_version=seen_version)
    route = await route_of(session, entry.kind)
    try:
        outcome = decide(route, await facts_of(session, entry), action, actor, comment)
    except NotAllowed as refusal:
        log.warning("refused %s on entry %s by person %s: %s", action.value, entry.id, actor.person_id, refusal.reason)
        raise
    try:
        updated = await repo.record_decision(
            session,
            entry=entry,
            expected_version=seen_version,
            actor_id=actor.person_id,
            action=action,
            to_status=outcome.status,
            to_stage=outcome.stage,
            comment=comment.strip(),
            data=stored(new_data) if new_data is not None else None,
        )
    except repo.StaleEntry as stale:
        return _after_the_fact(stale.entry, actor=actor, action=action, seen_version=seen_version)
    log.info(
        "entry %s: %s by person %s -> %s/%s", entry.id, action.value, actor.person_id, outcome.status, outcome.stage
    )
    if proevehandlinger.becomes_proevehandling(updated):
        # An approved prøvehandling proposal is one of its mål's prøvehandlinger from this unit of work on.
        await proevehandlinger.adopt(session, updated)
        updated = await repo.get_entry(session, entry.id) or updated
    return Decided(updated, Result.NEW)
