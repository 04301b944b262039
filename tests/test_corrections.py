"""»Ret og godkend« at the domain level (issue 20, part 4): the chef corrects the wording and approves in one
decision; the entry holds the correction, the history the original with who changed it; the export shows both.
Only the approver whose turn it is may do it; a repeat writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.vocabulary import Action, EntryKind, EntryStatus
from domain.corrections import correct_and_approve
from domain.entries import Evaluering, LaeringData, TegnData, stored
from domain.export import maalplan_export
from domain.policy import NotAllowed, Refusal
from domain.views import EntryView
from domain.workflow import Result
from storage import repo
from storage.models import Decision
from storage.orgfile import import_file
from tests.routekit import at_the_chef, demo_actors

DEMO = Path(__file__).resolve().parents[1] / "demo" / "organisation.yaml"
ORIGINAL = TegnData(tegn="Vi vil se at flere børn bruger nye ord", maalgruppe="Børn", opfoelgning="Iagttagelser")
CORRECTED = TegnData(
    tegn="Flere børn bruger nye ord, når de leger", maalgruppe="Børn 3-5 år", opfoelgning="Iagttagelser"
)


async def test_the_chef_corrects_and_approves_and_the_history_keeps_the_original(
    database_url: str, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await import_file(database_url, DEMO)
    async with sessionmaker.begin() as session:
        people = await demo_actors(session)
        at = await at_the_chef(session, people, EntryKind.TEGN, ORIGINAL, key="ret-1")
        entry_id, plan_id = at.entry_id, at.maalplan_id
        # Lars recommended it: it is not his to approve, corrected or not.
        with pytest.raises(NotAllowed) as refused:
            await correct_and_approve(
                session, actor=people["lars"], entry_id=entry_id, seen_version=2, corrected=CORRECTED
            )
        assert refused.value.reason is Refusal.NOT_YOUR_TURN
        decided = await correct_and_approve(
            session, actor=people["karin"], entry_id=entry_id, seen_version=2, corrected=CORRECTED
        )
        assert decided.result is Result.NEW
    async with sessionmaker() as session:
        entry = await repo.get_entry(session, entry_id)
        assert entry is not None
        assert entry.status is EntryStatus.APPROVED and entry.version == 3
        assert entry.data == stored(CORRECTED)
        approval = entry.decisions[-1]
        assert approval.action is Action.APPROVE and approval.actor.display_name == "Karin Holm"
        assert approval.original_data == stored(ORIGINAL)
        assert [d.original_data for d in entry.decisions[:-1]] == [None, None], "submit and recommend keep nothing"
        # The history as the cards read it: the approval carries the original wording.
        view = EntryView.of(entry, waiting_for=None)
        assert view.decisions[-1].original_data == stored(ORIGINAL)
        assert view.decisions[-1].actor_name == "Karin Holm"
        exported = await maalplan_export(session, plan_id)
        [row] = [e for m in exported.maal for e in m.entries]
        assert row.text == CORRECTED.tegn and row.original_text == ORIGINAL.tegn and row.approved_by == "Karin Holm"

    async with sessionmaker.begin() as session:
        # A Teams retry of the same click: nothing written, the original still kept once.
        again = await correct_and_approve(
            session, actor=people["karin"], entry_id=entry_id, seen_version=2, corrected=CORRECTED
        )
        assert again.result is Result.REPEAT
        count = await session.scalar(select(func.count()).select_from(Decision).where(Decision.entry_id == entry_id))
        assert count == 3


async def test_a_correction_of_another_kind_or_of_what_it_is_about_is_refused(
    database_url: str, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await import_file(database_url, DEMO)
    async with sessionmaker.begin() as session:
        people = await demo_actors(session)
        entry_id = (await at_the_chef(session, people, EntryKind.TEGN, ORIGINAL, key="ret-1")).entry_id
        wrong_kind = LaeringData(proevehandling_id=1, evaluering=Evaluering.UNDERVEJS, laering="Noget andet")
        other_proevehandling = CORRECTED.model_copy(update={"proevehandling_id": 1})
        for corrected in (wrong_kind, other_proevehandling):
            with pytest.raises(NotAllowed) as refused:
                await correct_and_approve(
                    session, actor=people["karin"], entry_id=entry_id, seen_version=2, corrected=corrected
                )
            assert refused.value.reason is Refusal.WRONG_ACTION
        entry = await repo.get_entry(session, entry_id)
        assert entry is not None and entry.status is EntryStatus.PENDING and entry.data == stored(ORIGINAL)
        # Approving unchanged wording is a plain approval: no original to keep.
        decided = await correct_and_approve(
            session, actor=people["karin"], entry_id=entry_id, seen_version=2, corrected=ORIGINAL
        )
        assert decided.new and decided.entry.decisions[-1].original_data is None
