"""Proactive messages, sent after the user has been answered: approval cards, owners' news, cards updated in place.

Teams limits a bot to 7 messages per second per conversation and answers 429 (and at times 412, 502, 504) when
it is busy: those are retried with exponential backoff and full jitter, honouring Retry-After. A 403 or 404
(bot removed, user blocked it) is final: the notification is marked undelivered and the entry stays in the inbox.
https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit

Nothing is lost on a crash: a notification is committed as pending in the unit of work that caused it, and the
instance that delivers it first claims it (a conditional update, or FOR UPDATE SKIP LOCKED for a batch) until
`claimed_until`; a turn that renders its notifications' cards before its commit (`prepare`) claims them in that
same unit of work. Right after the answer the instance that served the turn delivers it; at start-up and every
`sweep_seconds` each instance also delivers what is pending and unclaimed, including what a killed instance had
claimed once its claim ran out. The one window left is a crash after Teams accepted the message and before it
was marked sent: that message is sent again (Teams has no idempotency key for proactive messages).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Awaitable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from microsoft_teams.cards.core import AdaptiveCard
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.proactive import Background, ProactiveSender
from core.vocabulary import NotificationStatus
from domain import clock
from storage import repo
from storage.models import Entry, Notification

log = logging.getLogger(__name__)

# Deliveries (each with its own retries) before a notification is given up as undelivered.
MAX_DELIVERIES = 10


def _reference_of(recipient: repo.Recipient | None) -> dict[str, Any] | None:
    return dict(recipient.reference) if recipient is not None and recipient.reference is not None else None


class Renderer(Protocol):
    """The card a notification delivers (None: nothing left to say), for its recipient (None: the person is gone).
    `entry` is the notification's entry when the caller has it loaded and current (see `Notifier.prepare`)."""

    def __call__(
        self,
        session: AsyncSession,
        notification: Notification,
        recipient: repo.Recipient | None,
        *,
        entry: Entry | None = None,
    ) -> Awaitable[AdaptiveCard | None]: ...


@dataclass(frozen=True)
class Prepared:
    """A notification's card and its recipient's conversation reference, rendered by the unit of work that queued
    it (`Notifier.prepare`), so that its delivery need not read them again."""

    card: AdaptiveCard | None
    reference: dict[str, Any] | None


class Notifier:
    """Delivers queued notifications in the background and keeps track of the tasks for a clean shutdown."""

    def __init__(
        self,
        sender: ProactiveSender,
        *,
        sessionmaker: async_sessionmaker[AsyncSession],
        render: Renderer,
        claim_seconds: float = 300.0,
        sweep_seconds: float = 60.0,
    ):
        self.render = render
        self.sender = sender
        self._sessionmaker = sessionmaker
        self._claim = dt.timedelta(seconds=claim_seconds)
        self._sweep_seconds = sweep_seconds
        self._background = Background()
        self._sweeper: asyncio.Task[None] | None = None
        # Set between sweep passes; drain() waits for it, so a pass under way (the start-up one included) is awaited
        # like the deliveries in the background.
        self._between_passes = asyncio.Event()
        self._between_passes.set()

    # --- Recovery: what is due, at start-up and periodically ----------------------------------------------------

    def start(self) -> None:
        """Deliver what is pending now (what a crashed instance left behind), then every sweep_seconds."""
        if self._sweeper is None:
            self._between_passes.clear()  # the first pass is due now: a drain() from here on waits for it
            self._sweeper = asyncio.ensure_future(self._sweep_forever())

    async def stop(self) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sweeper
            self._sweeper = None
            self._between_passes.set()

    async def _sweep_forever(self) -> None:
        while True:
            self._between_passes.clear()
            try:
                delivered = await self.deliver_due()
                if delivered:
                    log.info("sweep: %d pending notifications delivered", delivered)
            except Exception as error:  # the database may be away for a moment: try again next time
                log.warning("sweep failed: %s", type(error).__name__)
            finally:
                self._between_passes.set()
            # A cadence, not domain time: asyncio.sleep, so a test's clock.set_sleep cannot make this spin.
            await asyncio.sleep(self._sweep_seconds)

    async def deliver_due(self, batch: int = 50) -> int:
        """Claim and deliver every pending notification nobody holds, in batches; returns how many were tried."""
        tried = 0
        while True:
            now = clock.now()
            async with self._sessionmaker.begin() as session:
                ids = await repo.claim_due_notifications(session, now=now, until=now + self._claim, limit=batch)
            for notification_id in ids:
                await self._deliver_logged(notification_id, claimed=True)
            tried += len(ids)
            if len(ids) < batch:
                return tried

    async def prepare(
        self, session: AsyncSession, notification_ids: Sequence[int], entry: Entry
    ) -> dict[int, Prepared]:
        """Render the cards of notifications just queued about `entry`, in the unit of work that queued them
        (before its commit): the entry is loaded and current there, and the recipients are read in one statement.
        The notifications are claimed there too (claimed_until, as `claim_notification` sets it): they are this
        instance's to deliver from the moment they exist, so their delivery needs no unit of work of its own to
        claim them. Another instance's sweep leaves them alone until the claim runs out, as after any claim; a crash
        before delivery leaves them to the sweep once it has.

        A notification without a prepared card (a sweep's, or one queued elsewhere) is claimed and rendered when
        delivered.
        """
        notifications = [n for i in notification_ids if (n := await session.get(Notification, i)) is not None]
        found = await repo.recipients(session, [n.person_id for n in notifications])
        claimed_until = clock.now() + self._claim
        prepared: dict[int, Prepared] = {}
        for notification in notifications:
            notification.claimed_until = claimed_until
            recipient = found.get(notification.person_id)
            card = await self.render(session, notification, recipient, entry=entry)
            prepared[notification.id] = Prepared(card, _reference_of(recipient))
        return prepared

    def schedule(self, notification_ids: list[int], prepared: Mapping[int, Prepared] | None = None) -> None:
        if notification_ids:
            self._background.spawn(self._deliver_all(notification_ids, prepared or {}))

    def schedule_update(self, reference: dict[str, Any], activity_id: str, card: AdaptiveCard) -> None:
        """Update a card already in a chat (e.g. the approval card the user just acted on, for other viewers)."""
        self._background.spawn(self.sender.update_card(reference, activity_id, card))

    async def drain(self) -> None:
        """Wait for the work in flight (tests, and shutdown): the deliveries in the background and a sweep pass."""
        await self._background.drain()
        await self._between_passes.wait()

    async def _deliver_all(self, notification_ids: list[int], prepared: Mapping[int, Prepared]) -> None:
        for notification_id in notification_ids:
            await self._deliver_logged(notification_id, claimed=False, prepared=prepared.get(notification_id))

    async def _deliver_logged(self, notification_id: int, *, claimed: bool, prepared: Prepared | None = None) -> None:
        try:
            await self.deliver(notification_id, claimed=claimed, prepared=prepared)
        except Exception as error:  # one failure must not stop the others, nor crash the loop
            log.error("notification %s failed: %s", notification_id, type(error).__name__)
            await self._failed(notification_id)

    async def deliver(self, notification_id: int, *, claimed: bool = False, prepared: Prepared | None = None) -> None:
        """Deliver one notification: claim it (unless the caller did), send it, mark it. Sent at most once at a time.

        `prepared`: its card and reference as the unit of work that queued (and claimed) it rendered them (`prepare`).
        """
        if not claimed and prepared is None:
            now = clock.now()
            async with self._sessionmaker.begin() as session:
                if not await repo.claim_notification(session, notification_id, now=now, until=now + self._claim):
                    return  # done already, or another instance (or task) is delivering it
        if prepared is not None:
            card, reference = prepared.card, prepared.reference
        else:
            async with self._sessionmaker() as session:
                notification = await session.get(Notification, notification_id)
                if notification is None or notification.status != NotificationStatus.PENDING:
                    return
                recipient = (await repo.recipients(session, [notification.person_id])).get(notification.person_id)
                card = await self.render(session, notification, recipient)
                reference = _reference_of(recipient)
        outcome = await self.sender.deliver(f"notification {notification_id}", reference, card)
        await self._mark(notification_id, outcome.status, outcome.code, outcome.activity_id)

    async def _mark(
        self, notification_id: int, status: NotificationStatus, code: int | None, activity_id: str | None = None
    ) -> None:
        async with self._sessionmaker.begin() as session:
            await repo.mark_notification(session, notification_id, status, code, activity_id)

    async def _failed(self, notification_id: int) -> None:
        """Retries ran out: try again at a later sweep, or give up after MAX_DELIVERIES (it stays in the inbox)."""
        try:
            async with self._sessionmaker.begin() as session:
                notification = await session.get(Notification, notification_id)
                if notification is None or notification.status is not NotificationStatus.PENDING:
                    return
                notification.attempts += 1
                if notification.attempts >= MAX_DELIVERIES:
                    notification.status = NotificationStatus.UNDELIVERED
                    notification.claimed_until = None
        except Exception as error:
            log.error("notification %s: could not record the failure: %s", notification_id, type(error).__name__)
