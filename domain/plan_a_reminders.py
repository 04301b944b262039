"""Reminders before Plan A's two deadlines (issue 21): the ledere of arbejdspladser that have not decided their Plan
A's form (before `plan-a-form`, 1 November) or do not work actively with it yet (before `plan-a-i-brug`,
1 December), PLAN_A_REMINDER_OFFSETS_DAYS days before, exactly once.

As the eksempel and coverage reminders: each reminder is claimed in the reminders table (unique per unit, date key,
date and offset) and each message by its dedupe key (domain.reminders.claim_and_queue), so several instances, a
restart or the command line queue everything once. The card is rendered at delivery from the Plan A as it is then:
an arbejdsplads that has done it in between is not reminded.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from core.vocabulary import OutboxKind, Role, UnitKind
from domain import clock
from domain.overview import Deadline, eksempel_deadlines
from domain.plan_a import FORM_DEADLINE_KEY, IN_USE_DEADLINE_KEY
from domain.reminders import ScheduleConfig, claim_and_queue, due_offset, to_remind
from storage import plan_a as store
from storage import repo

log = logging.getLogger(__name__)

KEYS = (FORM_DEADLINE_KEY, IN_USE_DEADLINE_KEY)


def missing(key: str, decided: dt.date | None, in_use: dt.date | None) -> bool:
    """Whether an arbejdsplads has not yet done what the deadline with this key asks."""
    return decided is None if key == FORM_DEADLINE_KEY else in_use is None


async def units_missing(session: AsyncSession, key: str, unit_ids: Sequence[int] | None = None) -> list[int]:
    """The arbejdspladser (of `unit_ids`, or all) that have not done what the deadline asks, by name."""
    units = await repo.all_units(session)
    places = [u for u in units.values() if u.kind is UnitKind.ARBEJDSPLADS]
    if unit_ids is not None:
        places = [u for u in places if u.id in set(unit_ids)]
    dates = await store.plan_dates(session, [u.id for u in places])
    found = [u for u in places if missing(key, *dates.get(u.id, ("", None, None))[1:])]
    return [u.id for u in sorted(found, key=lambda u: (u.name, u.id))]


@dataclass(frozen=True)
class DuePlanAReminder:
    unit_id: int
    unit_name: str
    deadline: Deadline
    offset_days: int
    leder_ids: tuple[int, ...]
    leder_names: tuple[str, ...]


async def due(session: AsyncSession, config: ScheduleConfig, now: dt.datetime) -> list[DuePlanAReminder]:
    """The reminders due now and not yet claimed (reads only: also the `--dry-run` list)."""
    local = now.astimezone(clock.COPENHAGEN)
    if local.hour < config.reminder_hour or not config.plan_a_offsets:
        return []
    units = await repo.all_units(session)
    found: list[DuePlanAReminder] = []
    for deadline in await eksempel_deadlines(session, KEYS, local.date()):
        offset = due_offset(deadline.days_left, config.plan_a_offsets)
        if offset is None:
            continue
        lacking = await units_missing(session, deadline.key)
        for unit_id, people in await to_remind(session, deadline, offset, lacking, Role.LEDER):
            found.append(
                DuePlanAReminder(
                    unit_id,
                    units[unit_id].name,
                    deadline,
                    offset,
                    tuple(p.id for p in people),
                    tuple(p.display_name for p in people),
                )
            )
    return found


async def queue_due(session: AsyncSession, plan: Sequence[DuePlanAReminder]) -> list[int]:
    """Claim and queue what `due` found; returns the outbox ids this call queued (none that another did)."""
    queued: list[int] = []
    for reminder in plan:
        queued += await claim_and_queue(
            session, reminder, reminder.leder_ids, kind=OutboxKind.PLAN_A_REMINDER, dedupe_prefix="plan-a-reminder"
        )
    return queued


@dataclass(frozen=True)
class PlanAReminderContent:
    unit_id: int
    unit_name: str
    deadline: Deadline

    @property
    def about_form(self) -> bool:
        return self.deadline.key == FORM_DEADLINE_KEY


async def reminder_content(session: AsyncSession, reminder_id: int, today: dt.date) -> PlanAReminderContent | None:
    """The card's content at delivery; None when the arbejdsplads has done it since (or the reminder is gone)."""
    reminder = await repo.get_reminder(session, reminder_id)
    if reminder is None or reminder.deadline_key not in KEYS:
        return None
    if reminder.unit_id not in await units_missing(session, reminder.deadline_key, [reminder.unit_id]):
        return None
    units = await repo.all_units(session)
    deadlines = {d.key: d for d in await eksempel_deadlines(session, [reminder.deadline_key], today)}
    deadline = deadlines.get(reminder.deadline_key) or Deadline(
        reminder.deadline_key, "", reminder.deadline, (reminder.deadline - today).days
    )
    return PlanAReminderContent(reminder.unit_id, units[reminder.unit_id].name, deadline)
