"""Meeting rounds (personalemøde) and their proposals."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from sqlalchemy import bindparam, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from core.vocabulary import Colour, RoundStatus, RoundTopic, Tema
from storage.models import Maal, Maalplan, Person, Round, RoundProposal

# --- Meeting rounds (personalemøde) ----------------------------------------------------------------------------

_ROUND_LOADS = (
    joinedload(Round.starter).selectinload(Person.roles),
    joinedload(Round.unit),
    joinedload(Round.maal).joinedload(Maal.maalplan).joinedload(Maalplan.unit),
    joinedload(Round.proevehandling),
    selectinload(Round.proposals).joinedload(RoundProposal.author),
)


async def get_round(session: AsyncSession, round_id: int, *, for_share: bool = False) -> Round | None:
    """The round with its proposals. `for_share` keeps its status from changing until the transaction ends
    (an addition racing a close); concurrent additions share the lock. SQLite ignores it: its writers queue."""
    query = select(Round).where(Round.id == round_id).options(*_ROUND_LOADS)
    if for_share:
        # Only the round's row: PostgreSQL refuses a lock on the nullable side of the eager loads' outer joins.
        query = query.with_for_update(read=True, of=Round)
    return await session.scalar(query.execution_options(populate_existing=True))


async def round_status(session: AsyncSession, round_id: int, *, for_share: bool = False) -> RoundStatus | None:
    """Only the status: the one read an addition needs."""
    query = select(Round.status).where(Round.id == round_id)
    if for_share:
        query = query.with_for_update(read=True)
    return await session.scalar(query)


async def live_round_status(session: AsyncSession, conversation_id: str) -> tuple[int, RoundStatus] | None:
    """The id and status of the chat's round being set up or open, if any: what a typed message asks first."""
    found = (await session.execute(select(Round.id, Round.status).where(Round.live_in == conversation_id))).first()
    return None if found is None else (found[0], found[1])


async def round_topic(session: AsyncSession, round_id: int) -> RoundTopic | None:
    """Only the topic (a round on the Plan A), for reading a typed answer."""
    return await session.scalar(select(Round.topic).where(Round.id == round_id))


async def live_round(session: AsyncSession, conversation_id: str) -> Round | None:
    """The chat's round being set up or open, if any."""
    return await session.scalar(select(Round).where(Round.live_in == conversation_id).options(*_ROUND_LOADS))


# A round's id is on its cards: random, so that one round's id tells nothing of another's (issue 23). Within the
# 32-bit integer column both backends give the id (and far below 2**53, which the Teams client keeps exactly).
_ROUND_ID_SPACE = 2**31 - 1


async def add_round(session: AsyncSession, **values: Any) -> Round | None:
    """A new live round for the chat, or None if the chat already has one (the unique `live_in` decides)."""
    try:
        async with session.begin_nested():
            row = Round(id=1 + secrets.randbelow(_ROUND_ID_SPACE - 1), **values)
            session.add(row)
    except IntegrityError:
        return None
    return await get_round(session, row.id)


async def move_round(session: AsyncSession, round_id: int, *, expected: RoundStatus, **values: Any) -> bool:
    """Change a round only if it is still at `expected` status; True if this call made the change."""
    result = await session.execute(
        update(Round)
        .where(Round.id == round_id, Round.status == expected)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


async def set_round_fields(session: AsyncSession, round_id: int, **values: Any) -> None:
    await session.execute(
        update(Round).where(Round.id == round_id).values(**values).execution_options(synchronize_session=False)
    )


async def add_round_proposal(
    session: AsyncSession,
    *,
    round_id: int,
    author_id: int,
    text: str,
    text_key: str,
    tema: Tema | None,
    colour: Colour | None = None,
) -> tuple[int, bool]:
    """Store a proposal once per (round, author, text); a repeat brings back one the author removed.

    Returns (proposal id, whether this call added or restored it).
    """
    existing = await session.scalar(
        select(RoundProposal).where(
            RoundProposal.round_id == round_id,
            RoundProposal.author_id == author_id,
            RoundProposal.text_key == text_key,
        )
    )
    if existing is None:
        try:
            async with session.begin_nested():
                row = RoundProposal(
                    round_id=round_id,
                    author_id=author_id,
                    text=text,
                    text_key=text_key,
                    tema=tema,
                    colour=colour,
                    removed=False,
                )
                session.add(row)
            return row.id, True
        except IntegrityError:
            # The same click arrived twice at once (a Teams retry on another instance).
            existing = await session.scalar(
                select(RoundProposal).where(
                    RoundProposal.round_id == round_id,
                    RoundProposal.author_id == author_id,
                    RoundProposal.text_key == text_key,
                )
            )
            if existing is None:
                raise
    if existing.removed:
        existing.removed = False
        await session.flush()
        return existing.id, True
    return existing.id, False


async def live_proposal_keys(session: AsyncSession, *, round_id: int, author_id: int) -> set[str]:
    """The text keys of the author's proposals in the round that are not removed (for the per-person cap)."""
    found = await session.scalars(
        select(RoundProposal.text_key).where(
            RoundProposal.round_id == round_id,
            RoundProposal.author_id == author_id,
            RoundProposal.removed.is_(False),
        )
    )
    return set(found)


async def remove_round_proposal(session: AsyncSession, *, proposal_id: int, round_id: int, author_id: int) -> bool:
    """Mark the author's own proposal removed; False if it is not theirs or already gone."""
    result = await session.execute(
        update(RoundProposal)
        .where(
            RoundProposal.id == proposal_id,
            RoundProposal.round_id == round_id,
            RoundProposal.author_id == author_id,
            RoundProposal.removed.is_(False),
        )
        .values(removed=True)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


async def round_counts(session: AsyncSession, round_id: int) -> tuple[int, int]:
    """(proposals, people who made them) of the round, removed ones left out."""
    row = (
        await session.execute(
            select(func.count(RoundProposal.id), func.count(func.distinct(RoundProposal.author_id))).where(
                RoundProposal.round_id == round_id, RoundProposal.removed.is_(False)
            )
        )
    ).one()
    return int(row[0]), int(row[1])


async def claim_round_base_update(
    session: AsyncSession, *, round_id: int, shown: str, not_since: dt.datetime, now: dt.datetime
) -> bool:
    """Take the right to update the round's shared card now: only if it shows something else than `shown` and
    was not updated after `not_since`. One conditional UPDATE, so across instances exactly one caller wins."""
    result = await session.execute(
        update(Round)
        .where(
            Round.id == round_id,
            Round.base_shown != shown,
            (Round.base_updated_at.is_(None)) | (Round.base_updated_at <= not_since),
        )
        .values(base_shown=shown, base_updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


async def overdue_rounds(session: AsyncSession, *, opened_before: dt.datetime) -> list[int]:
    rows = await session.scalars(
        select(Round.id).where(Round.status == RoundStatus.OPEN, Round.opened_at <= opened_before).order_by(Round.id)
    )
    return list(rows.all())


async def set_proposal_forwarded(session: AsyncSession, *, proposal_id: int, text: str, entry_id: int | None) -> None:
    """The proposal went on: as an entry, or (a Plan A round, `entry_id` None) worked into the Plan A."""
    await session.execute(
        update(RoundProposal)
        .where(RoundProposal.id == proposal_id)
        .values(forwarded_text=text, entry_id=entry_id)
        .execution_options(synchronize_session=False)
    )


_UNFORWARDED_PROPOSALS = (
    select(RoundProposal)
    .join(Round, RoundProposal.round_id == Round.id)
    .where(
        RoundProposal.author_id == bindparam("author_id"),
        RoundProposal.removed.is_(False),
        # Not sent on; or sent on from an anonymous round, where the entry is the starter's, not the author's.
        or_(RoundProposal.forwarded_text.is_(None), Round.show_names.is_(False)),
        Round.status == RoundStatus.FORWARDED,
        # A status round's answers are not proposals to send on.
        or_(Round.topic.is_(None), Round.topic != RoundTopic.STATUS),
    )
    .options(selectinload(RoundProposal.round))
    .order_by(RoundProposal.id.desc())
)


async def unforwarded_proposals_of(session: AsyncSession, author_id: int) -> list[RoundProposal]:
    """The author's proposals from forwarded rounds that are not among the author's entries (for `mine`): not sent
    on, or sent on from an anonymous round."""
    return list((await session.scalars(_UNFORWARDED_PROPOSALS, {"author_id": author_id})).all())


# --- Rounds reached by typing (the action table) ----------------------------------------------------------------


async def open_rounds(session: AsyncSession) -> list[Round]:
    """Every open round (a handful at any time), for `forslag` typed in the personal chat."""
    found = await session.scalars(select(Round).where(Round.status == RoundStatus.OPEN).options(*_ROUND_LOADS))
    return list(found)


async def last_closed_round(
    session: AsyncSession, *, starter_id: int, conversation_id: str | None, topic: RoundTopic | None = None
) -> Round | None:
    """The starter's most recently closed round not yet sent on (in that chat, when given), for `møde send`; with
    `topic`, the latest of that topic (a status round, for `møde gul …`)."""
    query = select(Round).where(Round.starter_id == starter_id, Round.status == RoundStatus.CLOSED)
    if topic is not None:
        query = query.where(Round.topic == topic)
    if conversation_id is not None:
        query = query.where(Round.conversation_id == conversation_id)
    return await session.scalar(query.order_by(Round.closed_at.desc(), Round.id.desc()).limit(1).options(*_ROUND_LOADS))
