"""The indsamler's daily digest (issue 19): one card a day saying how many eksempler reached her, not one per eksempel.

Each day from the digest time (Europe/Copenhagen), every indsamler for whom eksempler arrived since her last digest
is due one. The window is fixed by days, not by when a tick happens to run: a digest on day D covers the eksempler
that reached her stage after the digest time on the day of her previous digest (the day before D for a first one)
and up to the digest time on D. An eksempel sent on at 9:00 is in the next day's card, even when the bot was down
at the digest time and queues today's at 10:00.

Deciding what is due only reads. Queuing claims each digest once per person and day by the outbox's dedupe key, so
several bot instances on one database, a restart or `python -m cli due` beside a running bot queue it exactly once.
Delivery is the bot's (bot/scheduler.py), which renders the card from the same window when it sends it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from core.vocabulary import EntryKind, OutboxKind, Role, Tema
from domain import clock
from domain.workflow import route_of
from storage import repo

log = logging.getLogger(__name__)

DEDUPE_PREFIX = "eksempel-digest"


@dataclass(frozen=True)
class DueEksempelDigest:
    person_id: int
    person_name: str
    day: dt.date
    count: int

    @property
    def dedupe_key(self) -> str:
        return f"{DEDUPE_PREFIX}:{self.day.isoformat()}:{self.person_id}"


@dataclass(frozen=True)
class EksempelDigest:
    """What the card says: how many arrived since when, how many of each tema, and how many wait for her."""

    count: int
    since: dt.datetime
    # (tema, count) in the temaer's order, only those with any.
    by_tema: tuple[tuple[Tema, int], ...]
    # Eksempler at her stage now, not yet received (those of earlier days included).
    waiting: int


def digest_moment(day: dt.date, at: dt.time) -> dt.datetime:
    """The digest time on `day` in Copenhagen, as a UTC moment (daylight saving time is Copenhagen's)."""
    return dt.datetime.combine(day, at, tzinfo=clock.COPENHAGEN).astimezone(dt.UTC)


def window(day: dt.date, at: dt.time, previous: dt.datetime | None) -> tuple[dt.datetime, dt.datetime]:
    """The digest of `day` covers (after, until]: from the digest time on the day of the previous digest (queued at
    `previous`), or on the day before for a first one, to the digest time on `day`."""
    start = previous.astimezone(clock.COPENHAGEN).date() if previous is not None else day - dt.timedelta(days=1)
    return digest_moment(start, at), digest_moment(day, at)


async def indsamler_stage(session: AsyncSession) -> int | None:
    """The eksempel route's stage at which the indsamler receives; None when the route has none."""
    route = await route_of(session, EntryKind.EKSEMPEL)
    return route.index(Role.INDSAMLER) if Role.INDSAMLER in route else None


async def due(session: AsyncSession, at: dt.time, now: dt.datetime) -> list[DueEksempelDigest]:
    """Each indsamler's digest of today, from the digest time `at` on, when eksempler arrived since her last one and
    it is not queued yet (reads only: the `--dry-run` list)."""
    local = now.astimezone(clock.COPENHAGEN)
    if local.time() < at:
        return []
    stage = await indsamler_stage(session)
    if stage is None:
        return []
    day = local.date()
    people = await repo.persons_holding(session, Role.INDSAMLER, [None])
    keys = {p.id: DueEksempelDigest(p.id, p.display_name, day, 0).dedupe_key for p in people}
    queued = await repo.outbox_exists(session, list(keys.values()))
    result = []
    for person in people:
        if keys[person.id] in queued:
            continue
        previous = await repo.last_outbox_at(session, kind=OutboxKind.EKSEMPEL_DIGEST, person_id=person.id)
        after, until = window(day, at, previous)
        arrived = await repo.eksempler_arrived(session, at_stage=stage, after=after, until=until)
        if arrived:
            result.append(DueEksempelDigest(person.id, person.display_name, day, len(arrived)))
    return result


async def queue_due(session: AsyncSession, plan: Sequence[DueEksempelDigest]) -> list[int]:
    """Queue what `due` found; returns the outbox ids this call queued (none that another instance queued first)."""
    queued = []
    for digest in plan:
        message_id = await repo.queue_outbox(
            session, kind=OutboxKind.EKSEMPEL_DIGEST, dedupe_key=digest.dedupe_key, person_id=digest.person_id
        )
        if message_id is not None:
            log.info("eksempel digest %s for person %s: %s eksempler", message_id, digest.person_id, digest.count)
            queued.append(message_id)
    return queued


async def content(
    session: AsyncSession, *, message_id: int, person_id: int, queued_at: dt.datetime, at: dt.time
) -> EksempelDigest | None:
    """What a queued digest says, read when it is delivered (the same window as when it was queued); None when
    nothing is left to say."""
    stage = await indsamler_stage(session)
    if stage is None:
        return None
    day = queued_at.astimezone(clock.COPENHAGEN).date()
    previous = await repo.last_outbox_at(
        session, kind=OutboxKind.EKSEMPEL_DIGEST, person_id=person_id, before_id=message_id
    )
    after, until = window(day, at, previous)
    arrived = await repo.eksempler_arrived(session, at_stage=stage, after=after, until=until)
    if not arrived:
        return None
    counts: dict[Tema, int] = {}
    for _entry_id, data in arrived:
        try:
            tema = Tema(str(data.get("tema")))
        except ValueError:
            continue
        counts[tema] = counts.get(tema, 0) + 1
    by_tema = tuple((tema, counts[tema]) for tema in Tema if tema in counts)
    waiting = await repo.eksempler_waiting_at(session, stage=stage)
    return EksempelDigest(len(arrived), after, by_tema, waiting)
