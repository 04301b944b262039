"""Reminders before Chefforum's quality-assurance dates (issue 20): the ledere of units whose mål lack tegn (before
`chefforum-tegn`) or prøvehandlinger (before `chefforum-proevehandlinger`), and the chefer with such entries
waiting at them (tegn; læring and proposed prøvehandlinger), N days before, exactly once.

The days are the eksempel reminders' (REMINDER_OFFSETS_DAYS, from REMINDER_HOUR). Each reminder is claimed in the
same table as the eksempel reminders (unique per unit, date key, date and offset) and each message by its dedupe
key, so several instances, a restart or the command line queue everything once. The card is rendered when it is
delivered, from the mål as they are then: a unit whose mål got what they lacked in between is not reminded. A
leder's reminder is claimed for the arbejdsplads, a chef's for the afdeling (so the two never collide).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from core.vocabulary import EntryKind, OutboxKind, Role, UnitKind
from domain import aarshjul, clock
from domain.coverage import PROEVEHANDLING_KIND, MaalCoverage, maal_coverage
from domain.overview import Deadline, eksempel_deadlines
from domain.reminders import ScheduleConfig, claim_and_queue, due_offset, to_remind
from domain.units import afdeling_of, arbejdspladser_by_afdeling
from domain.workflow import route_of
from storage import repo

log = logging.getLogger(__name__)

# The quality-assurance dates, and what a mål must have by each.
QA_KEYS = (aarshjul.CHEFFORUM_TEGN, aarshjul.CHEFFORUM_PROEVEHANDLINGER)


def lacks(key: str, maal: MaalCoverage) -> bool:
    """Whether the mål lacks what Chefforum quality-assures on the date with this key."""
    return maal.lacks_tegn if key == aarshjul.CHEFFORUM_TEGN else maal.lacks_proevehandlinger


def kinds_for(key: str) -> frozenset[str]:
    """The entries a chef should have decided on before the date with this key (by value: see domain.coverage)."""
    if key == aarshjul.CHEFFORUM_TEGN:
        return frozenset({EntryKind.TEGN.value})
    return frozenset({EntryKind.LAERING.value, PROEVEHANDLING_KIND})


async def waiting_at_chef(session: AsyncSession, key: str, unit_ids: Sequence[int]) -> dict[int, int]:
    """Per afdeling: how many entries of the date's kinds from its arbejdspladser wait at the chef's stage."""
    units = await repo.all_units(session)
    routes: dict[str, tuple[Role, ...]] = {}
    counts: dict[int, int] = {}
    for unit_id, kind, stage, count, _since in await repo.waiting_by_unit(session, unit_ids=unit_ids):
        if kind.value not in kinds_for(key):
            continue
        if kind.value not in routes:
            routes[kind.value] = tuple(await route_of(session, kind))
        route = routes[kind.value]
        afdeling = afdeling_of(units, unit_id)
        if stage < len(route) and route[stage] is Role.CHEF and afdeling is not None:
            counts[afdeling] = counts.get(afdeling, 0) + count
    return counts


@dataclass(frozen=True)
class DueCoverageReminder:
    unit_id: int
    unit_name: str
    deadline: Deadline
    offset_days: int
    # Whom to remind: the unit's ledere, or (for an afdeling) its chefer.
    person_ids: tuple[int, ...]
    person_names: tuple[str, ...]
    # A leder's reminder: how many of the unit's mål lack what the date asks; 0 for a chef's.
    lacking: int
    # A chef's reminder (for an afdeling): how many entries wait at them; 0 for a leder's.
    waiting: int = 0


async def due(session: AsyncSession, config: ScheduleConfig, now: dt.datetime) -> list[DueCoverageReminder]:
    """The reminders due now and not yet claimed (reads only: also the `--dry-run` list)."""
    local = now.astimezone(clock.COPENHAGEN)
    if local.hour < config.reminder_hour:
        return []
    deadlines = [
        (deadline, offset)
        for deadline in await eksempel_deadlines(session, QA_KEYS, local.date())
        if (offset := due_offset(deadline.days_left, config.offsets)) is not None
    ]
    if not deadlines:
        return []
    units = await repo.all_units(session)
    maal = await maal_coverage(session, None)
    found: list[DueCoverageReminder] = []
    for deadline, offset in deadlines:
        lacking: dict[int, int] = {}
        for m in maal:
            if lacks(deadline.key, m):
                lacking[m.unit_id] = lacking.get(m.unit_id, 0) + 1
        if not lacking:
            continue
        by_name = sorted(lacking, key=lambda u: units[u].name if u in units else "")
        for unit_id, people in await to_remind(session, deadline, offset, by_name, Role.LEDER):
            found.append(
                DueCoverageReminder(
                    unit_id,
                    units[unit_id].name if unit_id in units else "",
                    deadline,
                    offset,
                    tuple(p.id for p in people),
                    tuple(p.display_name for p in people),
                    lacking[unit_id],
                )
            )
    found += await _due_chefs(session, deadlines)
    return found


async def _due_chefs(session: AsyncSession, deadlines: Sequence[tuple[Deadline, int]]) -> list[DueCoverageReminder]:
    """The chefer with entries of the date's kinds waiting at them, per afdeling."""
    units = await repo.all_units(session)
    places = [p.id for group in arbejdspladser_by_afdeling(units).values() for p in group]
    found: list[DueCoverageReminder] = []
    for deadline, offset in deadlines:
        waiting = await waiting_at_chef(session, deadline.key, places)
        if not waiting:
            continue
        by_name = sorted(waiting, key=lambda u: units[u].name)
        for afdeling, people in await to_remind(session, deadline, offset, by_name, Role.CHEF):
            found.append(
                DueCoverageReminder(
                    afdeling,
                    units[afdeling].name,
                    deadline,
                    offset,
                    tuple(p.id for p in people),
                    tuple(p.display_name for p in people),
                    0,
                    waiting[afdeling],
                )
            )
    return found


async def queue_due(session: AsyncSession, plan: Sequence[DueCoverageReminder]) -> list[int]:
    """Claim and queue what `due` found; returns the outbox ids this call queued (none that another did)."""
    queued: list[int] = []
    for reminder in plan:
        queued += await claim_and_queue(
            session, reminder, reminder.person_ids, kind=OutboxKind.COVERAGE_REMINDER, dedupe_prefix="coverage-reminder"
        )
    return queued


@dataclass(frozen=True)
class CoverageReminderContent:
    """What the card says: the unit, the quality-assurance date, and the mål that still lack what it asks."""

    unit_name: str
    deadline: Deadline
    maal: tuple[str, ...]
    # A chef's reminder: how many entries wait at them (the card then lists no mål).
    waiting: int = 0

    @property
    def about_tegn(self) -> bool:
        return self.deadline.key == aarshjul.CHEFFORUM_TEGN

    @property
    def for_chef(self) -> bool:
        return self.waiting > 0


async def reminder_content(session: AsyncSession, reminder_id: int, today: dt.date) -> CoverageReminderContent | None:
    """The card's content at delivery; None when the unit's mål no longer lack anything, or nothing waits at the
    chef any more (or the reminder is gone)."""
    reminder = await repo.get_reminder(session, reminder_id)
    if reminder is None or reminder.deadline_key not in QA_KEYS:
        return None
    units = await repo.all_units(session)
    deadlines = {d.key: d for d in await eksempel_deadlines(session, [reminder.deadline_key], today)}
    deadline = deadlines.get(reminder.deadline_key) or Deadline(
        reminder.deadline_key, "", reminder.deadline, (reminder.deadline - today).days
    )
    name = units[reminder.unit_id].name if reminder.unit_id in units else ""
    if reminder.unit_id in units and units[reminder.unit_id].kind is UnitKind.AFDELING:
        # A chef's reminder: what still waits at them.
        places = [p.id for p in arbejdspladser_by_afdeling(units).get(reminder.unit_id, [])]
        waiting = (await waiting_at_chef(session, reminder.deadline_key, places)).get(reminder.unit_id, 0)
        return CoverageReminderContent(name, deadline, (), waiting) if waiting else None
    lacking = tuple(
        m.title for m in await maal_coverage(session, [reminder.unit_id]) if lacks(reminder.deadline_key, m)
    )
    if not lacking:
        return None
    return CoverageReminderContent(name, deadline, lacking)
