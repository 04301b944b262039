"""`læring`: what a prøvehandling taught us. Mål → prøvehandling (or a new one) → the evaluation → check → send."""

from __future__ import annotations

from typing import Any

from botbuilder.dialogs import DialogContext, DialogTurnResult
from microsoft_teams.cards.core import AdaptiveCard
from sqlalchemy.ext.asyncio import AsyncSession

from cards import payloads, texts
from cards.laering import laering_check_card, laering_form_card
from cards.pickers import proevehandling_picker_card
from core.vocabulary import EntryKind
from dialogs.base import Rejected, on
from dialogs.entry_flow import CHECK, FORM, MAAL, EntryDraft, EntryFlow
from domain.entries import LaeringData
from domain.proevehandlinger import FROM_LAERING_KEY, from_laering
from domain.views import MaalView
from domain.workflow import submit
from storage.models import Entry, Maal
from turn.scope import Turn

PROEVEHANDLING = "proevehandling"


class LaeringDraft(EntryDraft[LaeringData]):
    step: str = MAAL
    proevehandling_id: int | None = None
    ny_proevehandling: str = ""


class LaeringFlow(EntryFlow[LaeringDraft]):
    draft_type = LaeringDraft
    kind = EntryKind.LAERING
    steps = (MAAL, PROEVEHANDLING, FORM, CHECK)
    receipt_title = texts.LAERING_RECEIPT_TITLE
    maal_intro = texts.MAAL_INTRO_LAERING
    after_maal = PROEVEHANDLING

    def __init__(self) -> None:
        super().__init__(EntryKind.LAERING)

    async def reopened(self, draft: LaeringDraft) -> LaeringDraft:
        # The prøvehandling lives on the draft, not among the form's values.
        ph_id = draft.values.pop("proevehandling_id", "")
        draft.proevehandling_id = ph_id if isinstance(ph_id, int) else None
        draft.ny_proevehandling = str(draft.values.pop("ny_proevehandling", "") or "")
        return draft

    async def alongside(
        self, session: AsyncSession, scope: Turn, draft: LaeringDraft, maal: Maal
    ) -> list[tuple[Entry, bool]]:
        """»Ny prøvehandling«: the new one is proposed too (to the leder, like any proposal), once per læring."""
        proposal = None if draft.data is None else from_laering(draft.data)
        if proposal is None:
            return []
        stored = await submit(
            session,
            actor=scope.actor,
            kind=EntryKind.PROEVEHANDLING,
            unit_id=maal.maalplan.unit_id,
            maal_id=maal.id,
            data=proposal,
            idempotency_key=FROM_LAERING_KEY.format(key=draft.key),
        )
        return [stored]

    def alongside_note(self, entry: Entry) -> str:
        return texts.LAERING_PH_NEW_PROPOSED.format(title=entry.data.get("handling", ""))

    @staticmethod
    def proevehandling_title(maal: MaalView, draft: LaeringDraft) -> str:
        if draft.proevehandling_id is not None:
            return next((p.title for p in maal.proevehandlinger if p.id == draft.proevehandling_id), "")
        return draft.ny_proevehandling

    @staticmethod
    def proevehandling_data(draft: LaeringDraft) -> dict[str, Any]:
        """The prøvehandling, carried in the form's submit data so that the form's payload validates whole."""
        return {
            "proevehandling_id": "" if draft.proevehandling_id is None else draft.proevehandling_id,
            "ny_proevehandling": draft.ny_proevehandling,
        }

    async def render_after_maal(
        self, scope: Turn, draft: LaeringDraft, maal: MaalView, errors: dict[str, str]
    ) -> AdaptiveCard:
        if draft.step == PROEVEHANDLING:
            return proevehandling_picker_card(
                flow=self.id,
                maal=maal,
                proevehandlinger=maal.proevehandlinger,
                step=self.step_number(PROEVEHANDLING),
                values=draft.values,
                errors=errors,
            )
        title = self.proevehandling_title(maal, draft)
        if draft.step == CHECK and draft.data is not None:
            return laering_check_card(
                flow=self.id,
                step=self.step_number(CHECK),
                key=draft.key,
                maal=maal,
                proevehandling_title=title,
                data=draft.data.model_dump(),
            )
        draft.step = FORM
        return laering_form_card(
            flow=self.id,
            step=self.step_number(FORM),
            maal=maal,
            proevehandling_title=title,
            proevehandling=self.proevehandling_data(draft),
            values=draft.values,
            errors=errors,
        )

    @on(payloads.PickProevehandling, steps=(PROEVEHANDLING,))
    async def on_pick_proevehandling(
        self, dc: DialogContext, scope: Turn, draft: LaeringDraft, payload: payloads.PickProevehandling
    ) -> DialogTurnResult:
        maal = await self.maal_view(scope, draft)
        if payload.proevehandling_id not in {p.id for p in maal.proevehandlinger}:
            raise Rejected({"ny_proevehandling": texts.ERROR_UNKNOWN_PROEVEHANDLING})
        draft.proevehandling_id, draft.ny_proevehandling = payload.proevehandling_id, ""
        draft.step = FORM
        return await self.show(dc, draft)

    @on(payloads.NewProevehandling, steps=(PROEVEHANDLING,))
    async def on_new_proevehandling(
        self, dc: DialogContext, scope: Turn, draft: LaeringDraft, payload: payloads.NewProevehandling
    ) -> DialogTurnResult:
        draft.proevehandling_id, draft.ny_proevehandling = None, payload.ny_proevehandling
        draft.step = FORM
        return await self.show(dc, draft)

    @on(payloads.LaeringForm, steps=(FORM,))
    async def on_form(
        self, dc: DialogContext, scope: Turn, draft: LaeringDraft, payload: payloads.LaeringForm
    ) -> DialogTurnResult:
        draft.values = payload.model_dump(
            mode="json", exclude={"action", "flow", "proevehandling_id", "ny_proevehandling"}
        )
        self.check_indikator(await self.maal_view(scope, draft), payload.indikator)
        draft.data = payload.data()
        draft.step = CHECK
        return await self.show(dc, draft)

    @on(payloads.Back, steps=(PROEVEHANDLING, FORM))
    async def on_back(
        self, dc: DialogContext, scope: Turn, draft: LaeringDraft, payload: payloads.Back
    ) -> DialogTurnResult:
        draft.step = self.previous_step(draft.step)
        return await self.show(dc, draft)
