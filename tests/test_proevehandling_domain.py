"""A prøvehandling proposal in the domain (issue 20, part 1), on a real database: the approval makes it one of its
mål's prøvehandlinger once however often it is adopted, »Ret og godkend« makes the corrected wording the
prøvehandling's title (the export keeps the original), and a correction may not change the tegn it names."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.vocabulary import Action, EntryKind, EntryStatus
from domain import clock, proevehandlinger
from domain.corrections import correct_and_approve
from domain.entries import ProevehandlingData
from domain.export import maalplan_export
from domain.policy import NotAllowed, Refusal
from domain.workflow import Result, decide_on
from storage import repo
from storage.models import Proevehandling
from storage.orgfile import import_file
from tests.routekit import at_the_chef, demo_actors

DEMO = Path(__file__).resolve().parents[1] / "demo" / "organisation.yaml"
NOW = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)
ORIGINAL = ProevehandlingData(
    handling="Vi vil prøve at læse mere", maalgruppe="Børn", hvordan_ser_vi="Vi tæller nye ord hver fredag"
)
CORRECTED = ORIGINAL.model_copy(update={"handling": "Vi læser dialogisk med fire børn ad gangen hver formiddag"})


async def count_rows(session: AsyncSession, maal_id: int) -> int:
    return int(await session.scalar(select(func.count()).where(Proevehandling.maal_id == maal_id)) or 0)


async def test_an_approval_adopts_the_proposal_once(
    database_url: str, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await import_file(database_url, DEMO)
    with clock.frozen(NOW):
        async with sessionmaker.begin() as session:
            actors = await demo_actors(session)
            at = await at_the_chef(session, actors, EntryKind.PROEVEHANDLING, ORIGINAL, key="ph-1")
            entry_id, maal_id, _ = at.entry_id, at.maal_id, at.maalplan_id
            before = await count_rows(session, maal_id)
            decided = await decide_on(
                session, actor=actors["karin"], entry_id=entry_id, action=Action.APPROVE, seen_version=2
            )
            assert decided.result is Result.NEW and decided.entry.proevehandling_id is not None
            # Adopted again (a retried approval, another instance): the same row, nothing new.
            again = await proevehandlinger.adopt(session, decided.entry)
            assert again is not None and again.id == decided.entry.proevehandling_id
            repeat = await decide_on(
                session, actor=actors["karin"], entry_id=entry_id, action=Action.APPROVE, seen_version=2
            )
            assert repeat.result is Result.REPEAT
            assert await count_rows(session, maal_id) == before + 1
    async with sessionmaker() as session:
        maal = await repo.get_maal(session, maal_id)
        assert maal is not None
        new = maal.proevehandlinger[-1]
        assert new.title == ORIGINAL.handling and new.created_at is not None
        assert new.created_at.replace(tzinfo=dt.UTC) == NOW


async def test_a_rejected_or_recommended_proposal_is_no_proevehandling(
    database_url: str, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await import_file(database_url, DEMO)
    async with sessionmaker.begin() as session:
        actors = await demo_actors(session)
        at = await at_the_chef(session, actors, EntryKind.PROEVEHANDLING, ORIGINAL, key="ph-1")
        entry_id, maal_id, _ = at.entry_id, at.maal_id, at.maalplan_id
        before = await count_rows(session, maal_id)
        entry = await repo.get_entry(session, entry_id)
        assert entry is not None and await proevehandlinger.adopt(session, entry) is None, "only recommended"
        decided = await decide_on(
            session, actor=actors["karin"], entry_id=entry_id, action=Action.REJECT, seen_version=2, comment="Nej"
        )
        assert decided.entry.status is EntryStatus.REJECTED and decided.entry.proevehandling_id is None
        assert await count_rows(session, maal_id) == before


async def test_ret_og_godkend_makes_the_corrected_wording_the_title(
    database_url: str, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await import_file(database_url, DEMO)
    async with sessionmaker.begin() as session:
        actors = await demo_actors(session)
        at = await at_the_chef(session, actors, EntryKind.PROEVEHANDLING, ORIGINAL, key="ph-1")
        entry_id, maal_id, plan_id = at.entry_id, at.maal_id, at.maalplan_id
        relinked = CORRECTED.model_copy(update={"tegn_id": 12345})
        with pytest.raises(NotAllowed) as refused:
            await correct_and_approve(
                session, actor=actors["karin"], entry_id=entry_id, seen_version=2, corrected=relinked
            )
        assert refused.value.reason is Refusal.WRONG_ACTION, "a correction may not change the tegn it names"
        decided = await correct_and_approve(
            session, actor=actors["karin"], entry_id=entry_id, seen_version=2, corrected=CORRECTED
        )
        assert decided.result is Result.NEW
    async with sessionmaker() as session:
        maal = await repo.get_maal(session, maal_id)
        assert maal is not None and maal.proevehandlinger[-1].title == CORRECTED.handling
        exported = await maalplan_export(session, plan_id)
        [row] = [p for m in exported.maal for p in m.proevehandlinger if p.number == entry_id]
        assert row.title == CORRECTED.handling and row.original_text == ORIGINAL.handling
        assert row.approved_by == "Karin Holm" and row.owner == "Mette Hansen"
        assert row.hvordan_ser_vi == ORIGINAL.hvordan_ser_vi and row.maalgruppe == ORIGINAL.maalgruppe
        assert not [e for m in exported.maal for e in m.entries if e.number == entry_id], "exported once"
