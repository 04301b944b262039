"""Proactive messages, sent after the user has been answered: approval cards, owners' news, cards updated in place.

Teams limits a bot to 7 messages per second per conversation and answers 429 (and at times 412, 502, 504) when
it is busy: those are retried with exponential backoff and full jitter, honouring Retry-After. A 403 or 404
(bot removed, user blocked it) is final: the notification is marked undelivered and the entry stays in the inbox.
https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from aiohttp import ClientError
from botbuilder.core import MessageFactory, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity, ActivityTypes, ConversationReference
from microsoft_teams.cards.core import AdaptiveCard
from msrest.exceptions import HttpOperationError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain import clock
from domain.vocabulary import NotificationStatus
from storage import repo
from storage.models import Notification, utcnow
from turn.messaging import to_attachment

log = logging.getLogger(__name__)

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


Renderer = Callable[[AsyncSession, Notification], Awaitable[AdaptiveCard | None]]


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
    ):
        self._adapter = adapter
        self.render = render
        self._app_id = app_id
        self._sessionmaker = sessionmaker
        self._policy = policy
        self._tasks: set[asyncio.Task[None]] = set()

    def schedule(self, notification_ids: list[int]) -> None:
        if notification_ids:
            self._spawn(self._deliver_all(notification_ids))

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

    async def _deliver_all(self, notification_ids: list[int]) -> None:
        for notification_id in notification_ids:
            try:
                await self.deliver(notification_id)
            except Exception as error:  # one failure must not stop the others, nor crash the loop
                log.error("notification %s failed: %s", notification_id, type(error).__name__)

    async def deliver(self, notification_id: int) -> None:
        async with self._sessionmaker() as session:
            notification = await session.get(Notification, notification_id)
            if notification is None or notification.status != NotificationStatus.PENDING:
                return
            ref = await repo.personal_conversation_ref(session, notification.person_id)
            card = await self.render(session, notification)
            reference = dict(ref.reference) if ref is not None else None
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

        await self._adapter.continue_conversation(
            ConversationReference().deserialize(reference), callback, self._app_id
        )
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
            notification = await session.get(Notification, notification_id)
            if notification is None:
                return
            notification.status = status
            notification.attempts += 1
            notification.last_status_code = code
            if activity_id:
                notification.activity_id = activity_id
            if status is NotificationStatus.SENT:
                notification.sent_at = utcnow()
