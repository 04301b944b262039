"""Notifications, reminders and the outbox, and the conversation references they are sent through."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy import and_, bindparam, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core import clock
from core.vocabulary import ConversationType, NotificationKind, NotificationStatus, OutboxKind, Role
from storage.models import ConversationRef, Notification, OutboxMessage, Person, Reminder, RoleAssignment
from storage.repo.common import as_utc

# --- Notifications ---------------------------------------------------------------------------------------------


def _undelivered_approvals(person_id: int) -> Any:
    return select(Notification).where(
        Notification.person_id == person_id,
        Notification.kind == NotificationKind.APPROVAL,
        Notification.status == NotificationStatus.UNDELIVERED,
    )


async def has_undelivered_approvals(session: AsyncSession, person_id: int) -> bool:
    return await session.scalar(_undelivered_approvals(person_id).limit(1)) is not None


async def mark_undelivered_approvals_told(session: AsyncSession, person_id: int) -> int:
    """Approval cards that could not reach this person, marked as told; returns how many there were."""
    rows = (await session.scalars(_undelivered_approvals(person_id))).all()
    for row in rows:
        row.status = NotificationStatus.TOLD
    return len(rows)


async def add_notifications(session: AsyncSession, notifications: Sequence[Notification]) -> list[int]:
    session.add_all(notifications)
    await session.flush()
    return [n.id for n in notifications]


# --- Notification delivery (hardening) -------------------------------------------------------------------------


def _claimable(now: Any) -> Any:
    return and_(
        Notification.status == NotificationStatus.PENDING,
        or_(Notification.claimed_until.is_(None), Notification.claimed_until < now),
    )


_CLAIM = (
    update(Notification)
    .where(
        Notification.id == bindparam("notification_id"),
        _claimable(bindparam("now", type_=Notification.claimed_until.type)),
    )
    .values(claimed_until=bindparam("until", type_=Notification.claimed_until.type))
    .execution_options(synchronize_session=False)
)


async def claim_notification(
    session: AsyncSession, notification_id: int, *, now: dt.datetime, until: dt.datetime
) -> bool:
    """Claim one pending notification for delivery until `until`; False when it is done or another holds it.

    One conditional UPDATE: of two instances (or two tasks) racing for it, exactly one matches the row.
    """
    result = await session.execute(_CLAIM, {"notification_id": notification_id, "now": now, "until": until})
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def claim_due_notifications(
    session: AsyncSession, *, now: dt.datetime, until: dt.datetime, limit: int
) -> list[int]:
    """Claim up to `limit` pending notifications nobody holds, oldest first; returns their ids.

    On PostgreSQL the rows are locked with FOR UPDATE SKIP LOCKED, so instances sweeping at the same moment take
    different rows; SQLite ignores the clause, and its write lock (the caller's unit of work) serialises sweeps.
    """
    ids = list(
        (
            await session.scalars(
                select(Notification.id)
                .where(_claimable(now))
                .order_by(Notification.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
        ).all()
    )
    if ids:
        await session.execute(
            update(Notification)
            .where(Notification.id.in_(ids))
            .values(claimed_until=until)
            .execution_options(synchronize_session=False)
        )
    return ids


async def mark_notification(
    session: AsyncSession,
    notification_id: int,
    status: NotificationStatus,
    code: int | None,
    activity_id: str | None = None,
) -> None:
    """Record how a delivery ended and release the claim: one UPDATE (nothing when the row is gone)."""
    values: dict[str, Any] = {
        "status": status,
        "attempts": Notification.attempts + 1,
        "last_status_code": code,
        "claimed_until": None,
    }
    if activity_id:
        values["activity_id"] = activity_id
    if status is NotificationStatus.SENT:
        values["sent_at"] = clock.now()
    await session.execute(
        update(Notification)
        .where(Notification.id == notification_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


class Recipient(NamedTuple):
    """Whom a notification goes to: the person as the rules read them, and their personal chat with the bot."""

    person_id: int
    display_name: str
    unit_id: int | None
    roles: frozenset[tuple[Role, int | None]]
    # The newest stored personal conversation reference (None: no chat with the bot yet).
    reference: dict[str, Any] | None


async def recipients(session: AsyncSession, person_ids: Sequence[int]) -> dict[int, Recipient]:
    """What `person_by_id` and `personal_conversation_ref` tell for each person, in one statement (issue 14)."""
    if not person_ids:
        return {}
    rows: dict[int, list[Any]] = {}
    for row in (await session.execute(_RECIPIENTS, {"ids": sorted(set(person_ids))})).all():
        rows.setdefault(row.id, []).append(row)
    return {
        person_id: Recipient(
            person_id=person_id,
            display_name=found[0].display_name,
            unit_id=found[0].unit_id,
            roles=frozenset((Role(r.role), r.role_unit_id) for r in found if r.role is not None),
            reference=found[0].reference,
        )
        for person_id, found in rows.items()
    }


def _recipients_statement() -> Any:
    people, roles, refs = Person.__table__.c, RoleAssignment.__table__.c, ConversationRef.__table__.c
    newest_reference = (
        select(refs.reference)
        .where(refs.person_id == people.id, refs.conversation_type == ConversationType.PERSONAL)
        .order_by(refs.updated_at.desc())
        .limit(1)
        .scalar_subquery()
    )
    statement = (
        select(
            people.id,
            people.display_name,
            people.unit_id,
            roles.role,
            roles.unit_id.label("role_unit_id"),
            newest_reference.label("reference"),
        )
        .select_from(Person.__table__)
        .outerjoin(RoleAssignment.__table__, roles.person_id == people.id)
        .where(people.id.in_(bindparam("ids", expanding=True)))
    )
    return statement


_RECIPIENTS = _recipients_statement()


async def unreachable(session: AsyncSession, person_ids: Sequence[int]) -> set[int]:
    """Of these people, those the bot cannot write to: no personal chat with it yet, or Teams refused the last
    reminder or digest for good."""
    if not person_ids:
        return set()
    reachable = select(ConversationRef.person_id).where(
        ConversationRef.person_id.in_(person_ids), ConversationRef.conversation_type == ConversationType.PERSONAL
    )
    refused = select(OutboxMessage.person_id).where(
        OutboxMessage.person_id.in_(person_ids), OutboxMessage.status == NotificationStatus.UNDELIVERED
    )
    have_chat = set((await session.scalars(reachable)).all())
    return (set(person_ids) - have_chat) | set((await session.scalars(refused)).all())


# --- Reminders and the outbox ----------------------------------------------------------------------------------


async def claim_reminder(
    session: AsyncSession,
    *,
    unit_id: int,
    deadline_key: str,
    deadline: dt.date,
    offset_days: int,
    manual: bool = False,
    sent_by_id: int | None = None,
    now: dt.datetime | None = None,
) -> Reminder | None:
    """Record that the unit is reminded of the deadline at this offset; None when it already was.

    The unique constraint decides: of two instances inserting the same reminder, the second waits for the first
    to commit and then fails to insert, inside a savepoint so that its transaction goes on.
    """
    try:
        async with session.begin_nested():
            reminder = Reminder(
                unit_id=unit_id,
                deadline_key=deadline_key,
                deadline=deadline,
                offset_days=offset_days,
                manual=manual,
                sent_by_id=sent_by_id,
                created_at=now or clock.now(),
            )
            session.add(reminder)
    except IntegrityError:
        return None
    return reminder


async def last_reminded(session: AsyncSession, *, deadline_key: str, deadline: dt.date) -> dict[int, dt.datetime]:
    """When each unit was last reminded of this deadline."""
    rows = await session.execute(
        select(Reminder.unit_id, func.max(Reminder.created_at))
        .where(Reminder.deadline_key == deadline_key, Reminder.deadline == deadline)
        .group_by(Reminder.unit_id)
    )
    return {unit_id: as_utc(when) for unit_id, when in rows.all()}


async def queue_outbox(
    session: AsyncSession, *, kind: OutboxKind, dedupe_key: str, person_id: int, reminder_id: int | None = None
) -> int | None:
    """Queue a message once per dedupe key; None when it was queued before."""
    try:
        async with session.begin_nested():
            message = OutboxMessage(
                kind=kind, dedupe_key=dedupe_key, person_id=person_id, reminder_id=reminder_id, created_at=clock.now()
            )
            session.add(message)
    except IntegrityError:
        return None
    return message.id


async def outbox_exists(session: AsyncSession, dedupe_keys: Sequence[str]) -> set[str]:
    rows = await session.scalars(select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(dedupe_keys)))
    return set(rows.all())


async def last_outbox_at(
    session: AsyncSession, *, kind: OutboxKind, person_id: int, before_id: int | None = None
) -> dt.datetime | None:
    """When the newest message of this kind for this person was queued (of those before `before_id`, when given)."""
    query = select(func.max(OutboxMessage.created_at)).where(
        OutboxMessage.kind == kind, OutboxMessage.person_id == person_id
    )
    if before_id is not None:
        query = query.where(OutboxMessage.id < before_id)
    when = await session.scalar(query)
    return as_utc(when) if when is not None else None


async def unsent_outbox(session: AsyncSession) -> list[int]:
    """Messages queued and not yet taken by a delivery (e.g. queued just before a restart)."""
    rows = await session.scalars(
        select(OutboxMessage.id)
        .where(OutboxMessage.status == NotificationStatus.PENDING, OutboxMessage.claimed_at.is_(None))
        .order_by(OutboxMessage.id)
    )
    return list(rows.all())


async def take_outbox(session: AsyncSession, message_id: int) -> OutboxMessage | None:
    """Take a queued message for delivery; None when another delivery (or instance) took it first."""
    result = await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.status == NotificationStatus.PENDING,
            OutboxMessage.claimed_at.is_(None),
        )
        .values(claimed_at=clock.now(), attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return await session.get(OutboxMessage, message_id, populate_existing=True)


async def get_reminder(session: AsyncSession, reminder_id: int) -> Reminder | None:
    return await session.get(Reminder, reminder_id)


async def reminded_units(session: AsyncSession, *, deadline_key: str, deadline: dt.date, offset_days: int) -> set[int]:
    """The units already reminded of this deadline at this offset by the scheduler."""
    rows = await session.scalars(
        select(Reminder.unit_id).where(
            Reminder.deadline_key == deadline_key,
            Reminder.deadline == deadline,
            Reminder.offset_days == offset_days,
            Reminder.manual.is_(False),
        )
    )
    return set(rows.all())


# --- Conversation references ---------------------------------------------------------------------------------


async def save_conversation_ref(
    session: AsyncSession,
    *,
    conversation_id: str,
    conversation_type: str,
    person_id: int | None,
    reference: dict[str, Any],
) -> bool:
    """Remember how to reach a conversation later. Returns True the first time it is seen."""
    existing = await session.scalar(select(ConversationRef).where(ConversationRef.conversation_id == conversation_id))
    if existing is None:
        try:
            async with session.begin_nested():
                session.add(
                    ConversationRef(
                        conversation_id=conversation_id,
                        conversation_type=conversation_type,
                        person_id=person_id,
                        reference=reference,
                        updated_at=clock.now(),
                    )
                )
        except IntegrityError:
            return False
        return True
    if existing.reference != reference or existing.person_id != person_id:
        existing.reference = reference
        existing.person_id = person_id
        existing.updated_at = clock.now()
    return False


async def conversation_ref(session: AsyncSession, conversation_id: str) -> ConversationRef | None:
    return await session.scalar(select(ConversationRef).where(ConversationRef.conversation_id == conversation_id))


async def personal_conversation_ref(session: AsyncSession, person_id: int) -> ConversationRef | None:
    return await session.scalar(
        select(ConversationRef)
        .where(
            ConversationRef.person_id == person_id,
            ConversationRef.conversation_type == ConversationType.PERSONAL,
        )
        .order_by(ConversationRef.updated_at.desc())
        .limit(1)
    )
