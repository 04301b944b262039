"""The outbox's delivery side (reminders and digests): what may be taken now, taking it, giving up on it, and
when each unit's leder was last *sent* a reminder (not only queued for it).

A message is taken with a conditional update that stamps `claimed_at`. A claim older than the claim time has run
out: the delivery that took it died (kill -9, a crash), so the next sweep takes it again. That makes delivery at
least once: a reminder is never silently lost, and one accepted by Teams just before a crash, and not yet marked
sent, goes out twice (Teams has no idempotency key for proactive messages). Queueing stays in storage/repo.py.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.vocabulary import NotificationStatus
from storage.models import OutboxMessage, Reminder


def _utc(moment: dt.datetime) -> dt.datetime:
    """SQLite returns naive datetimes for timezone-aware columns; they are stored in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _free(stale_before: dt.datetime, max_attempts: int) -> tuple[ColumnElement[bool], ...]:
    """Pending, not given up, and never taken or taken by a delivery whose claim has run out."""
    return (
        OutboxMessage.status == NotificationStatus.PENDING,
        OutboxMessage.attempts < max_attempts,
        or_(OutboxMessage.claimed_at.is_(None), OutboxMessage.claimed_at < stale_before),
    )


async def due_outbox(session: AsyncSession, *, stale_before: dt.datetime, max_attempts: int) -> list[int]:
    """Messages to deliver now: queued and never taken, or taken before `stale_before` and never marked."""
    rows = await session.scalars(
        select(OutboxMessage.id).where(*_free(stale_before, max_attempts)).order_by(OutboxMessage.id)
    )
    return list(rows.all())


async def take_outbox(
    session: AsyncSession, message_id: int, *, now: dt.datetime, stale_before: dt.datetime, max_attempts: int
) -> OutboxMessage | None:
    """Take a message for delivery; None when it is done, given up, or held by a delivery whose claim still runs."""
    result = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, *_free(stale_before, max_attempts))
        .values(claimed_at=now, attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return await session.get(OutboxMessage, message_id, populate_existing=True)


async def give_up_outbox(session: AsyncSession, message_id: int, *, max_attempts: int) -> bool:
    """After a failed delivery: a message taken `max_attempts` times is undelivered for good (True); otherwise it
    stays pending, and is taken again once its claim has run out."""
    result = await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.status == NotificationStatus.PENDING,
            OutboxMessage.attempts >= max_attempts,
        )
        .values(status=NotificationStatus.UNDELIVERED)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined,no-any-return]


async def last_reminded(session: AsyncSession, *, deadline_key: str, deadline: dt.date) -> dict[int, dt.datetime]:
    """When a reminder of this deadline was last sent to each unit's leder: accepted by Teams, not only queued or
    claimed (a message with nothing left to say, because the unit delivered meanwhile, was never sent)."""
    rows = await session.execute(
        select(Reminder.unit_id, func.max(OutboxMessage.sent_at))
        .join(OutboxMessage, OutboxMessage.reminder_id == Reminder.id)
        .where(
            Reminder.deadline_key == deadline_key,
            Reminder.deadline == deadline,
            OutboxMessage.status == NotificationStatus.SENT,
            OutboxMessage.last_status_code.is_not(None),
            OutboxMessage.sent_at.is_not(None),
        )
        .group_by(Reminder.unit_id)
    )
    return {unit_id: _utc(when) for unit_id, when in rows.all() if when is not None}


async def reminding_units(session: AsyncSession, *, deadline_key: str, deadline: dt.date) -> set[int]:
    """The units with a reminder of this deadline on its way: queued or being delivered, not yet sent or refused."""
    rows = await session.scalars(
        select(Reminder.unit_id)
        .join(OutboxMessage, OutboxMessage.reminder_id == Reminder.id)
        .where(
            Reminder.deadline_key == deadline_key,
            Reminder.deadline == deadline,
            OutboxMessage.status == NotificationStatus.PENDING,
        )
    )
    return set(rows.all())


async def refused_reminder_units(session: AsyncSession, message_ids: list[int]) -> list[int]:
    """Of these outbox messages, the units of the reminders that could not be delivered (for good)."""
    if not message_ids:
        return []
    rows = await session.scalars(
        select(Reminder.unit_id)
        .join(OutboxMessage, OutboxMessage.reminder_id == Reminder.id)
        .where(OutboxMessage.id.in_(message_ids), OutboxMessage.status == NotificationStatus.UNDELIVERED)
        .distinct()
    )
    return list(rows.all())
