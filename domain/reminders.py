"""Reminders before eksempel deadlines and weekly digests for approvers: what is due now, and queuing it once.

Deciding what is due only reads. Queuing claims each reminder in the database (unique per unit, deadline and
offset) and each message by its dedupe key, so several bot instances, a restart or a second run of the command
line queue everything exactly once. Delivery is the bot's (bot/scheduler.py).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from core.vocabulary import EntryKind, EntryStatus, OutboxKind, Role
from domain import clock
from domain.actor import Actor
from domain.eksempel_status import missing_units
from domain.overview import Deadline, eksempel_deadlines
from domain.policy import EntryFacts, OverviewScope, policy_for
from domain.views import PersonView
from domain.workflow import route_of
from storage import contacts, repo
from storage.models import Person

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScheduleConfig:
    """The settings the scheduler reads (bot.settings fills it)."""

    deadline_keys: tuple[str, ...] = ("eksempler-frist",)
    # Days before a deadline on which units that have not delivered are reminded, e.g. (14, 7, 2).
    offsets: tuple[int, ...] = (14, 7, 2)
    # Days before Plan A's two deadlines (domain.plan_a_reminders).
    plan_a_offsets: tuple[int, ...] = (14, 3)
    # Reminders go out from this hour of the day (Copenhagen), not at midnight.
    reminder_hour: int = 8
    # The weekly digest: ISO weekday (1 = Monday) and hour; off when either is None.
    digest_weekday: int | None = None
    digest_hour: int | None = None
    digest_min_age_days: int = 7
    # The indsamler's daily digest of new eksempler (domain.eksempel_digest): from this local time.
    eksempel_digest_time: dt.time = dt.time(8, 0)

    @property
    def digest_enabled(self) -> bool:
        return self.digest_weekday is not None and self.digest_hour is not None


@dataclass(frozen=True)
class DueReminder:
    unit_id: int
    unit_name: str
    deadline: Deadline
    offset_days: int
    leder_ids: tuple[int, ...]
    leder_names: tuple[str, ...]


@dataclass(frozen=True)
class DueDigest:
    person_id: int
    person_name: str
    week: str
    entry_ids: tuple[int, ...]

    @property
    def dedupe_key(self) -> str:
        return f"digest:{self.week}:{self.person_id}"


@dataclass(frozen=True)
class Due:
    reminders: tuple[DueReminder, ...]
    digests: tuple[DueDigest, ...]


def due_offset(days_left: int, offsets: Sequence[int]) -> int | None:
    """The offset due when `days_left` days remain: the nearest one already reached (a bot that was down on the
    14th day sends the 14-day reminder late, but one that missed both 14 and 7 sends only the 7-day one)."""
    if days_left < 0:
        return None
    reached = [o for o in offsets if days_left <= o]
    return min(reached) if reached else None


async def due_reminders(session: AsyncSession, config: ScheduleConfig, now: dt.datetime) -> list[DueReminder]:
    local = now.astimezone(clock.COPENHAGEN)
    if local.hour < config.reminder_hour:
        return []
    due: list[DueReminder] = []
    units = await repo.all_units(session)
    for deadline in await eksempel_deadlines(session, config.deadline_keys, local.date()):
        offset = due_offset(deadline.days_left, config.offsets)
        if offset is None:
            continue
        for unit_id, people in await to_remind(session, deadline, offset, await missing_units(session), Role.LEDER):
            due.append(
                DueReminder(
                    unit_id,
                    units[unit_id].name,
                    deadline,
                    offset,
                    tuple(p.id for p in people),
                    tuple(p.display_name for p in people),
                )
            )
    return due


async def to_remind(
    session: AsyncSession, deadline: Deadline, offset: int, unit_ids: Sequence[int], role: Role
) -> list[tuple[int, list[Person]]]:
    """Of `unit_ids`, in their order, those not yet reminded `offset` days before `deadline`, each with the people
    holding `role` there (a unit with nobody to remind is left out). Every kind of reminder asks this."""
    reminded = await repo.reminded_units(session, deadline_key=deadline.key, deadline=deadline.date, offset_days=offset)
    holders = await repo.holders_by_unit(session, role, list(unit_ids))
    return [(unit_id, holders[unit_id]) for unit_id in unit_ids if unit_id not in reminded and holders.get(unit_id)]


def iso_week(moment: dt.datetime) -> str:
    year, week, _ = moment.astimezone(clock.COPENHAGEN).isocalendar()
    return f"{year}-W{week:02d}"


async def due_digests(session: AsyncSession, config: ScheduleConfig, now: dt.datetime) -> list[DueDigest]:
    """On the digest day from the digest hour: each leder and chef with entries waiting at them for longer than
    the set number of days, with those entries oldest first."""
    local = now.astimezone(clock.COPENHAGEN)
    if (
        not config.digest_enabled
        or local.isoweekday() != config.digest_weekday
        or local.hour < (config.digest_hour or 0)
    ):
        return []
    waiting = await waiting_for_people(session, config, now)
    week = iso_week(now)
    people = await repo.people_by_id(session, list(waiting))
    digests = [DueDigest(pid, people[pid].display_name, week, tuple(ids)) for pid, ids in waiting.items()]
    queued = await repo.outbox_exists(session, [d.dedupe_key for d in digests])
    return [d for d in digests if d.dedupe_key not in queued]


async def waiting_for_people(
    session: AsyncSession, config: ScheduleConfig, now: dt.datetime, *, person_ids: Sequence[int] | None = None
) -> dict[int, list[int]]:
    """Per leder or chef: the entries waiting at them longer than the digest age, oldest first."""
    before = now - dt.timedelta(days=config.digest_min_age_days)
    rows = await repo.waiting_since(session, before=before)
    if not rows:
        return {}
    units = await repo.all_units(session)
    routes = {kind: await route_of(session, kind) for kind in EntryKind}
    ledere = await repo.holders_by_unit(session, Role.LEDER, sorted(units))
    chefs = await repo.holders_by_unit(session, Role.CHEF, sorted(units))
    candidates = {p.id: p for group in (*ledere.values(), *chefs.values()) for p in group}
    if person_ids is not None:
        candidates = {pid: p for pid, p in candidates.items() if pid in set(person_ids)}
    roles = await repo.roles_by_person(session, list(candidates))
    actors = {pid: Actor(pid, p.display_name, p.unit_id, roles.get(pid, frozenset())) for pid, p in candidates.items()}
    result: dict[int, list[int]] = {}
    for entry_id, kind, stage, owner_id, unit_id, _since, _owner in rows:
        route = routes[kind]
        if stage >= len(route) or route[stage] not in (Role.LEDER, Role.CHEF):
            continue
        path = repo.unit_path(units, unit_id)
        facts = EntryFacts(EntryStatus.PENDING, stage, owner_id, path)
        holders = ledere.get(unit_id, []) if route[stage] is Role.LEDER else [p for u in path for p in chefs.get(u, [])]
        for person in holders:
            actor = actors.get(person.id)
            if actor is not None and policy_for(route, facts, actor).is_my_turn:
                result.setdefault(person.id, []).append(entry_id)
    return result


async def due(session: AsyncSession, config: ScheduleConfig, now: dt.datetime) -> Due:
    """Everything due now that has not been queued yet (reads only: the `--dry-run` list)."""
    return Due(tuple(await due_reminders(session, config, now)), tuple(await due_digests(session, config, now)))


async def queue_due(session: AsyncSession, plan: Due) -> list[int]:
    """Claim and queue what `due` found; returns the outbox ids this call queued (none that another did)."""
    queued: list[int] = []
    for reminder in plan.reminders:
        queued += await claim_and_queue(session, reminder, reminder.leder_ids)
    for digest in plan.digests:
        message_id = await repo.queue_outbox(
            session, kind=OutboxKind.DIGEST, dedupe_key=digest.dedupe_key, person_id=digest.person_id
        )
        if message_id is not None:
            queued.append(message_id)
    return queued


class Claimable(Protocol):
    """A reminder found due: a unit, a deadline, and how many days before it (what claims it, once)."""

    @property
    def unit_id(self) -> int: ...
    @property
    def deadline(self) -> Deadline: ...
    @property
    def offset_days(self) -> int: ...


async def claim_and_queue(
    session: AsyncSession,
    reminder: Claimable,
    person_ids: Sequence[int],
    *,
    kind: OutboxKind = OutboxKind.REMINDER,
    dedupe_prefix: str = "reminder",
) -> list[int]:
    """Claim the reminder for this call (the reminders table's unique key: another instance's claim wins) and
    queue it for each person; nothing when it was claimed already. Every kind of reminder goes through here."""
    claim = await repo.claim_reminder(
        session,
        unit_id=reminder.unit_id,
        deadline_key=reminder.deadline.key,
        deadline=reminder.deadline.date,
        offset_days=reminder.offset_days,
        now=clock.now(),
    )
    if claim is None:
        return []
    log.info(
        "%s %s: unit %s, %s days before %s",
        dedupe_prefix,
        claim.id,
        reminder.unit_id,
        reminder.offset_days,
        reminder.deadline.key,
    )
    return await queue_reminder(session, claim.id, person_ids, kind=kind, dedupe_prefix=dedupe_prefix)


async def queue_reminder(
    session: AsyncSession,
    reminder_id: int,
    person_ids: Sequence[int],
    *,
    kind: OutboxKind = OutboxKind.REMINDER,
    dedupe_prefix: str = "reminder",
) -> list[int]:
    """Queue one claimed reminder for each person, once each however often it is called (the outbox's dedupe key)."""
    ids = []
    for person_id in person_ids:
        message_id = await repo.queue_outbox(
            session,
            kind=kind,
            dedupe_key=f"{dedupe_prefix}:{reminder_id}:{person_id}",
            person_id=person_id,
            reminder_id=reminder_id,
        )
        if message_id is not None:
            ids.append(message_id)
    return ids


@dataclass(frozen=True)
class Reminded:
    units: int
    message_ids: tuple[int, ...]
    # Missing units with no leder in the organisation file: nobody to remind.
    without_leder: int


async def remind_now(
    session: AsyncSession,
    *,
    scope: OverviewScope,
    actor_id: int,
    deadline: Deadline,
    unit_ids: Sequence[int] | None,
) -> Reminded:
    """The indsamler's "Send påmindelse": the missing units (all, or the ones given) are reminded now, once a day
    per unit however often she clicks (Teams re-sends slow clicks, and double clicks happen)."""
    if not scope.may_remind:
        raise PermissionError("only the indsamler sends reminders")
    missing = await missing_units(session, unit_ids)
    ledere = await repo.holders_by_unit(session, Role.LEDER, missing)
    reminded, ids, without = 0, [], 0
    for unit_id in missing:
        if not ledere.get(unit_id):
            without += 1
            continue
        claim = await repo.claim_reminder(
            session,
            unit_id=unit_id,
            deadline_key=deadline.key,
            deadline=deadline.date,
            offset_days=deadline.days_left,
            manual=True,
            sent_by_id=actor_id,
            now=clock.now(),
        )
        if claim is None:
            continue
        reminded += 1
        ids += await queue_reminder(session, claim.id, [p.id for p in ledere[unit_id]])
    log.info("person %s reminded %s units of %s", actor_id, reminded, deadline.key)
    return Reminded(reminded, tuple(ids), without)


@dataclass(frozen=True)
class DigestItem:
    """One line of an approver's digest."""

    entry_id: int
    kind: EntryKind
    owner_name: str
    unit_name: str
    since: dt.datetime


async def digest_items(
    session: AsyncSession, config: ScheduleConfig, now: dt.datetime, person_id: int
) -> list[DigestItem]:
    """What waits at this person longer than the digest age, oldest first (read when the digest is delivered,
    so that what was decided in the meantime is left out)."""
    waiting = set((await waiting_for_people(session, config, now, person_ids=[person_id])).get(person_id, []))
    if not waiting:
        return []
    units = await repo.all_units(session)
    rows = await repo.waiting_since(session, before=now - dt.timedelta(days=config.digest_min_age_days))
    return [
        DigestItem(entry_id, kind, owner, units[unit_id].name if unit_id in units else "", since)
        for entry_id, kind, _stage, _owner_id, unit_id, since, owner in rows
        if entry_id in waiting
    ]


@dataclass(frozen=True)
class ReminderContent:
    """What a reminder card says: the unit, the deadline, and the empty cells across the organisation."""

    unit_name: str
    deadline: Deadline
    delivered: bool
    # Who collects the eksempler, named for questions (from the organisation file).
    indsamlere: tuple[PersonView, ...] = ()


async def reminder_content(session: AsyncSession, reminder_id: int, today: dt.date) -> ReminderContent | None:
    reminder = await repo.get_reminder(session, reminder_id)
    if reminder is None:
        return None
    units = await repo.all_units(session)
    deadlines = {d.key: d for d in await eksempel_deadlines(session, [reminder.deadline_key], today)}
    deadline = deadlines.get(reminder.deadline_key) or Deadline(
        reminder.deadline_key, "", reminder.deadline, (reminder.deadline - today).days
    )
    delivered = reminder.unit_id not in await missing_units(session, [reminder.unit_id])
    name = units[reminder.unit_id].name if reminder.unit_id in units else ""
    indsamlere = tuple(PersonView.of(p) for p in await contacts.indsamlere(session))
    return ReminderContent(name, deadline, delivered, indsamlere)
