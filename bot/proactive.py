"""Talking to a chat outside a turn, with Teams' retries, and the work that runs after the user was answered.

Teams limits a bot to 7 messages per second per conversation and answers 429 (and at times 412, 502, 504) when
it is busy: those are retried with exponential backoff and full jitter, honouring Retry-After. A 403 or 404
(bot removed, user blocked it) is final (PermanentFailure).
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
from botbuilder.schema import Activity, ActivityTypes
from microsoft_teams.cards.core import AdaptiveCard
from msrest.exceptions import HttpOperationError

from bot.platform.wire import conversation_reference_from_json
from core.vocabulary import NotificationStatus
from domain import clock
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


class Background:
    """Work that runs after the user has been answered; kept so that shutdown (and tests) can wait for it."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    def spawn(self, work: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def __bool__(self) -> bool:
        return bool(self._tasks)

    async def drain(self) -> None:
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)


@dataclass(frozen=True)
class Outcome:
    """What became of a message to one person, as their notification or outbox row records it."""

    status: NotificationStatus
    code: int | None = None
    activity_id: str | None = None


class ProactiveSender:
    """Sends into, and updates cards in, a stored conversation (a ConversationReference as stored), with retries."""

    def __init__(self, adapter: CloudAdapter, *, app_id: str, policy: RetryPolicy):
        self._adapter = adapter
        self._app_id = app_id
        self.policy = policy

    async def run(self, reference: dict[str, Any], work: Callable[[TurnContext], Awaitable[T]]) -> T:
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

    async def send(self, reference: dict[str, Any], message: Activity) -> str | None:
        """Send a message now, with the retries; returns its id. PermanentFailure for 403/404."""

        async def send(context: TurnContext) -> str | None:
            response = await context.send_activity(message)
            return response.id if response else None

        return await with_retries(lambda: self.run(reference, send), self.policy)

    async def send_card(self, reference: dict[str, Any], card: AdaptiveCard) -> str | None:
        return await self.send(reference, MessageFactory.attachment(to_attachment(card)))

    async def update_card(self, reference: dict[str, Any], activity_id: str, card: AdaptiveCard) -> bool:
        """Replace a card already in the chat; a failure after the retries is logged (the card stays as it was)."""

        async def update(context: TurnContext) -> None:
            activity = Activity(type=ActivityTypes.message, id=activity_id, attachments=[to_attachment(card)])
            await context.update_activity(activity)

        try:
            await with_retries(lambda: self.run(reference, update), self.policy)
        except Exception as error:
            log.warning("could not update card %s: %s", activity_id, type(error).__name__)
            return False
        return True

    async def deliver(self, what: str, reference: dict[str, Any] | None, card: AdaptiveCard | None) -> Outcome:
        """Deliver one queued message (`what` names it in the log): nothing left to say counts as sent, no chat
        with the bot yet or Teams' refusal for good as undelivered; other failures reach the caller."""
        if card is None:
            log.info("%s: nothing left to say", what)
            return Outcome(NotificationStatus.SENT)
        if reference is None:
            log.info("%s: the person has no chat with the bot yet", what)
            return Outcome(NotificationStatus.UNDELIVERED)
        try:
            activity_id = await self.send_card(reference, card)
        except PermanentFailure as failure:
            log.warning("%s: Teams refused for good (%s)", what, failure.status)
            return Outcome(NotificationStatus.UNDELIVERED, failure.status)
        log.info("%s delivered", what)
        return Outcome(NotificationStatus.SENT, 200, activity_id)
