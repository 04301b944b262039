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
import random
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from aiohttp import ClientError
from botbuilder.core import MessageFactory, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity, ActivityTypes
from microsoft_teams.cards.core import AdaptiveCard
from msrest.exceptions import HttpOperationError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.adapter import conversation_reference_from_json
from domain import clock
from domain.vocabulary import NotificationStatus
from storage import repo
from storage.models import Entry, Notification
from turn.messaging import to_attachment

log = logging.getLogger(__name__)

# Deliveries (each with its own retries) before a notification is given up as undelivered.
MAX_DELIVERIES = 10
RETRYABLE = frozenset({412, 429, 502, 504})
PERMANENT = frozenset({403, 404})
T = TypeVar("T")


class PermanentFailure(Exception):
    def __init__(self, status: int):
        super().__init__(f"HTTP {status}")
        self.status = status


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 6
    base_delay: float = 0.5
    max_delay: float = 30.0

    def delay(self, attempt: int, retry_after: str | None) -> float:
        if retry_after:
            try:
                return min(float(retry_after), self.max_delay)
            except ValueError:
                pass
        return random.uniform(0, min(self.max_delay, self.base_delay * 2**attempt))


def _status_of(error: Exception) -> tuple[int | None, str | None]:
    response = getattr(error, "response", None)
    status = getattr(response, "status_code", None) or getattr(response, "status", None)
    headers = getattr(response, "headers", None) or {}
    return (int(status) if status else None), headers.get("Retry-After")


async def with_retries(
    operation: Callable[[], Awaitable[T]],
    policy: RetryPolicy,
    sleep: Callable[[float], Awaitable[Any]] = clock.sleep,
) -> T:
    """Run the operation, retrying throttling and gateway errors; PermanentFailure for 403/404."""
    for attempt in range(policy.attempts):
        try:
            return await operation()
        except (HttpOperationError, ClientError) as error:
            status, retry_after = _status_of(error)
            if status in PERMANENT:
                raise PermanentFailure(status) from None
            retryable = status in RETRYABLE or (status is None and isinstance(error, ClientError))
            if not retryable or attempt == policy.attempts - 1:
                raise
            delay = policy.delay(attempt, retry_after)
            log.info("connector answered %s; retry %s in %.2f s", status, attempt + 1, delay)
            await sleep(delay)
    raise AssertionError("unreachable")


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
        adapter: CloudAdapter,
        *,
        app_id: str,
        sessionmaker: async_sessionmaker[AsyncSession],
        policy: RetryPolicy,
        render: Renderer,
        claim_seconds: float = 300.0,
        sweep_seconds: float = 60.0,
    ):
        self._adapter = adapter
        self.render = render
        self._app_id = app_id
        self._sessionmaker = sessionmaker
        self._policy = policy
        self._claim = dt.timedelta(seconds=claim_seconds)
        self._sweep_seconds = sweep_seconds
        self._tasks: set[asyncio.Task[None]] = set()
        self._sweeper: asyncio.Task[None] | None = None

    # --- Recovery: what is due, at start-up and periodically ----------------------------------------------------

    def start(self) -> None:
        """Deliver what is pending now (what a crashed instance left behind), then every sweep_seconds."""
        if self._sweeper is None:
            self._sweeper = asyncio.ensure_future(self._sweep_forever())

    async def stop(self) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sweeper
            self._sweeper = None

    async def _sweep_forever(self) -> None:
        while True:
            try:
                delivered = await self.deliver_due()
                if delivered:
                    log.info("sweep: %d pending notifications delivered", delivered)
            except Exception as error:  # the database may be away for a moment: try again next time
                log.warning("sweep failed: %s", type(error).__name__)
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
            self._spawn(self._deliver_all(notification_ids, prepared or {}))

    def schedule_update(self, reference: dict[str, Any], activity_id: str, card: AdaptiveCard) -> None:
        """Update a card already in a chat (e.g. the approval card the user just acted on, for other viewers)."""
        self._spawn(self._update(reference, activity_id, card))

    def _spawn(self, work: Awaitable[None]) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        """Wait for the work in flight (tests, and shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

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
        if card is None:
            await self._mark(notification_id, NotificationStatus.SENT, None)
            return
        if reference is None:
            log.info("notification %s: person has no chat with the bot yet; left in the inbox", notification_id)
            await self._mark(notification_id, NotificationStatus.UNDELIVERED, None)
            return
        try:
            activity_id = await with_retries(lambda: self._send(reference, card), self._policy)
        except PermanentFailure as failure:
            log.warning("notification %s: Teams refused for good (%s)", notification_id, failure.status)
            await self._mark(notification_id, NotificationStatus.UNDELIVERED, failure.status)
            return
        await self._mark(notification_id, NotificationStatus.SENT, 200, activity_id)
        log.info("notification %s delivered", notification_id)

    async def send_card_to(self, reference: dict[str, Any], card: AdaptiveCard) -> str | None:
        """Send a card into a stored conversation now, with the retries; PermanentFailure for 403/404.
        (Used by the outbox for reminders and digests, which are about no single entry.)"""
        return await with_retries(lambda: self._send(reference, card), self._policy)

    async def _proactive(self, reference: dict[str, Any], work: Callable[[TurnContext], Awaitable[T]]) -> T:
        """Run `work` in a proactive turn, and let its exception reach the caller.

        The adapter hands an exception raised in a turn to its on_turn_error handler and swallows it; the retry
        loop needs to see the connector's status code, so the exception is carried out of the turn here.
        """
        results: list[T] = []
        errors: list[Exception] = []

        async def callback(context: TurnContext) -> None:
            try:
                results.append(await work(context))
            except Exception as error:
                errors.append(error)

        await self._adapter.continue_conversation(conversation_reference_from_json(reference), callback, self._app_id)
        if errors:
            raise errors[0]
        return results[0]

    async def _send(self, reference: dict[str, Any], card: AdaptiveCard) -> str | None:
        async def send(context: TurnContext) -> str | None:
            response = await context.send_activity(MessageFactory.attachment(to_attachment(card)))
            return response.id if response else None

        return await self._proactive(reference, send)

    async def _update(self, reference: dict[str, Any], activity_id: str, card: AdaptiveCard) -> None:
        async def update(context: TurnContext) -> None:
            activity = Activity(type=ActivityTypes.message, id=activity_id, attachments=[to_attachment(card)])
            await context.update_activity(activity)

        try:
            await with_retries(lambda: self._proactive(reference, update), self._policy)
        except Exception as error:
            log.warning("could not update card %s: %s", activity_id, type(error).__name__)

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
