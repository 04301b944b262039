"""Proposed prøvehandlinger (issue 20): the approved tegn a proposal may link to, and an approved proposal made one of
its mål's prøvehandlinger, once."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.vocabulary import EntryKind, EntryStatus
from storage.models import Entry, Proevehandling

# The key of the prøvehandling an approved proposal became: one per proposal (unique per mål with the key).
PROPOSAL_KEY = "forslag-{entry_id}"


async def approved_tegn(session: AsyncSession, maal_id: int) -> list[tuple[int, str]]:
    """(entry id, wording) of the mål's approved tegn, in the order they were proposed."""
    rows = await session.execute(
        select(Entry.id, Entry.data)
        .where(Entry.maal_id == maal_id, Entry.kind == EntryKind.TEGN, Entry.status == EntryStatus.APPROVED)
        .order_by(Entry.created_at, Entry.id)
    )
    return [(entry_id, str((data or {}).get("tegn") or "")) for entry_id, data in rows.all()]


async def _by_key(session: AsyncSession, maal_id: int, key: str) -> Proevehandling | None:
    query = select(Proevehandling).where(Proevehandling.maal_id == maal_id, Proevehandling.key == key)
    return await session.scalar(query)


async def adopt(
    session: AsyncSession, *, entry_id: int, maal_id: int, title: str, created_at: dt.datetime
) -> tuple[Proevehandling, bool]:
    """The prøvehandling the approved proposal `entry_id` became, made once: (row, created). The proposal points to it
    (Entry.proevehandling_id). Called again (a retry, a second instance), it returns the same row."""
    key = PROPOSAL_KEY.format(entry_id=entry_id)
    row = await _by_key(session, maal_id, key)
    created = False
    if row is None:
        position = await session.scalar(
            select(func.coalesce(func.max(Proevehandling.position), -1) + 1).where(Proevehandling.maal_id == maal_id)
        )
        try:
            async with session.begin_nested():
                row = Proevehandling(
                    maal_id=maal_id, key=key, position=position or 0, title=title, description="", created_at=created_at
                )
                session.add(row)
            created = True
        except IntegrityError:
            # Another unit of work made it between our read and our insert.
            row = await _by_key(session, maal_id, key)
            if row is None:
                raise
    await session.execute(
        update(Entry)
        .where(Entry.id == entry_id)
        .values(proevehandling_id=row.id)
        .execution_options(synchronize_session=False)
    )
    return row, created


async def attach_laering(session: AsyncSession, *, laering_key: str, proevehandling_id: int) -> None:
    """The læring stored under `laering_key` about a new prøvehandling now points to the prøvehandling it became
    (its own wording of the title stays in its data)."""
    await session.execute(
        update(Entry)
        .where(
            Entry.idempotency_key == laering_key,
            Entry.kind == EntryKind.LAERING,
            Entry.proevehandling_id.is_(None),
        )
        .values(proevehandling_id=proevehandling_id)
        .execution_options(synchronize_session=False)
    )
