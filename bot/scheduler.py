"""The scheduler in the bot process: reminders before eksempel deadlines, weekly digests, the indsamler's daily
digest (domain.eksempel_digest), and their delivery.

APScheduler ticks every few minutes (started and stopped with the app); each tick asks the domain what is due at
`domain.clock.now()` (Europe/Copenhagen days and hours), queues it in the database and delivers the outbox. The
database makes it exactly-once: a reminder is claimed once per unit, deadline and offset (a unique constraint), a
message once per dedupe key, and a delivery takes its message with a conditional update that stamps its claim.
Several instances, a restart or `python -m cli due` beside running bots therefore never queue anything twice, nor
deliver it twice at the same time. A message taken by a delivery that then died is taken again by the first sweep
after its claim ran out (NOTIFY_CLAIM_SECONDS), as notifications are: at least once. The one window for a double
is a crash after Teams accepted the card and before it was marked sent (storage/outbox.py).

The indsamler's "Send påmindelse" is told when Teams refused a reminder for good (`schedule(..., report_to=)`):
her answer only says the reminders are on their way.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger
from botbuilder.core import MessageFactory
from microsoft_teams.cards.core import AdaptiveCard
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.notifier import MAX_DELIVERIES, Notifier
from bot.proactive import Background
from bot.settings import Settings
from cards import texts
from cards.eksempel_digest import eksempel_digest_card
from cards.overview import coverage_reminder_card, digest_card, reminder_card
from cards.plan_a_overview import reminder_card as plan_a_reminder_card
from core.vocabulary import NotificationStatus, OutboxKind
from domain import clock, coverage_reminders, eksempel_digest, plan_a_reminders, reminders
from domain.reminders import Due, ScheduleConfig
from storage import outbox, repo
from storage.models import OutboxMessage

log = logging.getLogger(__name__)


def schedule_config(settings: Settings) -> ScheduleConfig:
    return ScheduleConfig(
        deadline_keys=tuple(settings.EKSEMPEL_DEADLINE_KEYS),
        offsets=tuple(settings.REMINDER_OFFSETS_DAYS),
        plan_a_offsets=tuple(settings.PLAN_A_REMINDER_OFFSETS_DAYS),
        reminder_hour=settings.REMINDER_HOUR,
        digest_weekday=settings.DIGEST_WEEKDAY,
        digest_hour=settings.DIGEST_HOUR,
        digest_min_age_days=settings.DIGEST_MIN_AGE_DAYS,
        eksempel_digest_time=settings.EKSEMPEL_DIGEST_TIME,
    )


class Outbox:
    """Delivers reminders and digests to people's personal chats, with the notifier's retries."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        notifier: Notifier,
        config: ScheduleConfig,
        *,
        claim_seconds: float = 300.0,
        tab_link: str = "",
    ):
        self._sessionmaker = sessionmaker
        self._notifier = notifier
        self.config = config
        # The Teams deep link to the tab »Arbejdsbord« (Settings.tab_deep_link), for the indsamler's digest.
        self._tab_link = tab_link
        self._claim = dt.timedelta(seconds=claim_seconds)
        self._background = Background()

    def schedule(self, message_ids: Sequence[int], *, report_to: int | None = None) -> None:
        """Deliver in the background, after the user has been answered; then tell `report_to` (a person id) in
        their personal chat about the reminders Teams refused for good."""
        if message_ids:
            self._background.spawn(self._deliver_and_report(message_ids, report_to))

    async def drain(self) -> None:
        await self._background.drain()

    async def due(self) -> list[int]:
        """What to deliver now: never taken, or taken by a delivery whose claim has run out (it died)."""
        async with self._sessionmaker() as session:
            return await outbox.due_outbox(session, stale_before=clock.now() - self._claim, max_attempts=MAX_DELIVERIES)

    async def deliver_all(self, message_ids: Sequence[int]) -> list[int]:
        """Deliver each message; returns those Teams refused for good (or whose person has no chat with the bot)."""
        refused = []
        for message_id in message_ids:
            try:
                status = await self.deliver(message_id)
            except Exception as error:  # one failure must not stop the others, nor the scheduler
                log.error("outbox message %s failed: %s", message_id, type(error).__name__)
                await self._failed(message_id)
                continue
            if status is NotificationStatus.UNDELIVERED:
                refused.append(message_id)
        return refused

    async def deliver(self, message_id: int) -> NotificationStatus | None:
        """Take, render, send and mark one message; None when it was not ours to deliver."""
        now = clock.now()
        async with self._sessionmaker.begin() as session:
            message = await outbox.take_outbox(
                session, message_id, now=now, stale_before=now - self._claim, max_attempts=MAX_DELIVERIES
            )
        if message is None:
            return None  # delivered, or being delivered by another instance whose claim still runs
        async with self._sessionmaker() as session:
            card = await self.render(session, message)
            ref = await repo.personal_conversation_ref(session, message.person_id)
            reference = dict(ref.reference) if ref is not None else None
        outcome = await self._notifier.sender.deliver(f"outbox message {message_id}", reference, card)
        await self._mark(message_id, outcome.status, outcome.code, outcome.activity_id)
        return outcome.status

    async def _failed(self, message_id: int) -> None:
        """Retries ran out: the claim runs out and a later sweep tries again, until MAX_DELIVERIES."""
        try:
            async with self._sessionmaker.begin() as session:
                if await outbox.give_up_outbox(session, message_id, max_attempts=MAX_DELIVERIES):
                    log.warning("outbox message %s given up after %s deliveries", message_id, MAX_DELIVERIES)
        except Exception as error:
            log.error("outbox message %s: could not record the failure: %s", message_id, type(error).__name__)

    async def _deliver_and_report(self, message_ids: Sequence[int], report_to: int | None) -> None:
        refused = await self.deliver_all(message_ids)
        if report_to is None or not refused:
            return
        try:
            async with self._sessionmaker() as session:
                unit_ids = await outbox.refused_reminder_units(session, refused)
                units = await repo.all_units(session)
                ref = await repo.personal_conversation_ref(session, report_to)
                reference = dict(ref.reference) if ref is not None else None
            names = sorted(units[u].name for u in unit_ids if u in units)
            if not names or reference is None:
                return
            text = texts.OVERSIGT_REMINDER_REFUSED.format(units=", ".join(names))
            await self._notifier.sender.send(reference, MessageFactory.text(text))
            log.info("person %s told of %s refused reminders", report_to, len(names))
        except Exception as error:
            log.error("could not report refused reminders to person %s: %s", report_to, type(error).__name__)

    async def render(self, session: AsyncSession, message: OutboxMessage) -> AdaptiveCard | None:
        now = clock.now()
        if message.kind is OutboxKind.REMINDER and message.reminder_id is not None:
            content = await reminders.reminder_content(session, message.reminder_id, clock.today())
            if content is None or content.delivered:
                return None  # the unit delivered after the reminder was queued: no reminder
            return reminder_card(content=content)
        if message.kind is OutboxKind.COVERAGE_REMINDER and message.reminder_id is not None:
            found = await coverage_reminders.reminder_content(session, message.reminder_id, clock.today())
            # None: the unit's mål got what they lacked after the reminder was queued.
            return coverage_reminder_card(content=found) if found is not None else None
        if message.kind is OutboxKind.PLAN_A_REMINDER and message.reminder_id is not None:
            plan_a = await plan_a_reminders.reminder_content(session, message.reminder_id, clock.today())
            # None: the arbejdsplads decided its form (or took Plan A into use) after the reminder was queued.
            return plan_a_reminder_card(content=plan_a) if plan_a is not None else None
        if message.kind is OutboxKind.DIGEST:
            items = await reminders.digest_items(session, self.config, now, message.person_id)
            return digest_card(lines=items, min_age_days=self.config.digest_min_age_days) if items else None
        if message.kind is OutboxKind.EKSEMPEL_DIGEST:
            digest = await eksempel_digest.content(
                session,
                message_id=message.id,
                person_id=message.person_id,
                queued_at=repo.as_utc(message.created_at),
                at=self.config.eksempel_digest_time,
            )
            return eksempel_digest_card(digest=digest, tab_link=self._tab_link) if digest is not None else None
        return None

    async def _mark(
        self, message_id: int, status: NotificationStatus, code: int | None, activity_id: str | None = None
    ) -> None:
        async with self._sessionmaker.begin() as session:
            message = await session.get(OutboxMessage, message_id)
            if message is None:
                return
            message.status = status
            message.last_status_code = code
            if activity_id:
                message.activity_id = activity_id
            if status is NotificationStatus.SENT:
                message.sent_at = clock.now()


class Scheduler:
    """Runs what is due, every `interval` seconds while the app runs, and once from the command line."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        outbox: Outbox,
        *,
        interval_seconds: int = 300,
    ):
        self._sessionmaker = sessionmaker
        self.outbox = outbox
        self._interval = interval_seconds
        self._aps: AsyncIOScheduler | None = None

    @property
    def running(self) -> bool:
        return self._aps is not None and self._aps.running

    def start(self) -> None:
        """Start ticking (inside the running event loop); the first tick comes one interval after the start."""
        self._aps = AsyncIOScheduler(timezone=clock.COPENHAGEN)
        self._aps.add_job(
            self.tick,
            IntervalTrigger(seconds=self._interval, timezone=clock.COPENHAGEN),
            id="styringsbot-due",
            max_instances=1,
            coalesce=True,
            misfire_grace_time=self._interval,
        )
        self._aps.start()
        log.info("scheduler started: every %s s", self._interval)

    async def stop(self) -> None:
        if self._aps is not None and self._aps.running:
            self._aps.shutdown(wait=False)
        self._aps = None
        await self.outbox.drain()

    async def due(self) -> Due:
        """What is due now and not yet queued (reads only)."""
        async with self._sessionmaker() as session:
            return await reminders.due(session, self.outbox.config, clock.now())

    async def coverage_due(self) -> list[coverage_reminders.DueCoverageReminder]:
        """The reminders before Chefforum's quality-assurance dates due now and not yet queued (reads only)."""
        async with self._sessionmaker() as session:
            return await coverage_reminders.due(session, self.outbox.config, clock.now())

    async def eksempel_digests_due(self) -> list[eksempel_digest.DueEksempelDigest]:
        """The indsamler's daily digests due now and not yet queued (reads only)."""
        async with self._sessionmaker() as session:
            return await eksempel_digest.due(session, self.outbox.config.eksempel_digest_time, clock.now())

    async def plan_a_due(self) -> list[plan_a_reminders.DuePlanAReminder]:
        """The reminders before Plan A's deadlines due now and not yet queued (reads only)."""
        async with self._sessionmaker() as session:
            return await plan_a_reminders.due(session, self.outbox.config, clock.now())

    async def tick(self) -> list[int]:
        """Queue what is due now, then deliver everything queued and not yet taken (also what a restart left).
        Returns the outbox ids this tick queued."""
        try:
            async with self._sessionmaker.begin() as session:
                plan = await reminders.due(session, self.outbox.config, clock.now())
                queued = await reminders.queue_due(session, plan)
                # Before Chefforum's quality-assurance dates: mål without tegn or prøvehandlinger (issue 20).
                covering = await coverage_reminders.due(session, self.outbox.config, clock.now())
                queued += await coverage_reminders.queue_due(session, covering)
                # The indsamler's daily digest of new eksempler (issue 19).
                digests = await eksempel_digest.due(session, self.outbox.config.eksempel_digest_time, clock.now())
                queued += await eksempel_digest.queue_due(session, digests)
                # Before Plan A's deadlines: arbejdspladser without a decided form, or not in use (issue 21).
                plan_a = await plan_a_reminders.due(session, self.outbox.config, clock.now())
                queued += await plan_a_reminders.queue_due(session, plan_a)
            await self.outbox.deliver_all(await self.outbox.due())
        except Exception as error:  # the next tick tries again; never let the scheduler die
            log.error("scheduler tick failed: %s", type(error).__name__)
            return []
        if queued:
            log.info("scheduler queued %s messages", len(queued))
        return queued


def describe(
    plan: Due,
    covering: Sequence[coverage_reminders.DueCoverageReminder] = (),
    eksempel_digests: Sequence[eksempel_digest.DueEksempelDigest] = (),
    plan_a: Sequence[plan_a_reminders.DuePlanAReminder] = (),
) -> list[str]:
    """What is due, one line each, for an operator (`python -m cli due --dry-run`)."""
    lines = [
        f"reminder: {r.unit_name} (unit {r.unit_id}) -> {', '.join(r.leder_names)}; "
        f"{r.deadline.key} on {r.deadline.date.isoformat()}, {r.offset_days} days before"
        for r in plan.reminders
    ]
    lines += [
        f"digest: {d.person_name} (person {d.person_id}), week {d.week}: {len(d.entry_ids)} entries waiting"
        for d in plan.digests
    ]
    lines += [
        f"reminder: {r.unit_name} (unit {r.unit_id}) -> {', '.join(r.person_names)}; "
        + (f"{r.waiting} entries waiting" if r.waiting else f"{r.lacking} mål lacking")
        + f" for {r.deadline.key} on {r.deadline.date.isoformat()}, {r.offset_days} days before"
        for r in covering
    ]
    lines += [
        f"eksempel digest: {d.person_name} (person {d.person_id}), {d.day.isoformat()}: {d.count} new eksempler"
        for d in eksempel_digests
    ]
    lines += [
        f"reminder: {r.unit_name} (unit {r.unit_id}) -> {', '.join(r.leder_names)}; Plan A "
        f"{r.deadline.key} on {r.deadline.date.isoformat()}, {r.offset_days} days before"
        for r in plan_a
    ]
    return lines or ["nothing is due"]


async def run_once(scheduler: Scheduler, *, dry_run: bool) -> list[str]:
    """Run what is due now, once (or only list it): the command line's `due`, with the app's own scheduler,
    outbox and sender (`create_app` builds them). Safe beside running bots."""
    plan = await scheduler.due()
    lines = describe(
        plan, await scheduler.coverage_due(), await scheduler.eksempel_digests_due(), await scheduler.plan_a_due()
    )
    if dry_run:
        return lines
    queued = await scheduler.tick()
    await scheduler.stop()
    return [*lines, f"queued {len(queued)} messages and delivered what was waiting"]
