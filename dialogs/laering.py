"""`læring`: what a prøvehandling taught us. Mål → prøvehandling (or a new one) → the evaluation → check → send."""

from __future__ import annotations

from typing import Any

from botbuilder.dialogs import DialogContext, DialogTurnResult
from microsoft_teams.cards.core import AdaptiveCard

from cards import payloads, texts
from cards.laering import laering_check_card, laering_form_card
from cards.pickers import proevehandling_picker_card
from dialogs.base import Rejected
from dialogs.proposal import CHECK, FORM, MAAL, ProposalDraft, ProposalFlow
from domain.entries import LaeringData
from domain.views import MaalView
from domain.vocabulary import EntryKind
from turn.scope import TurnScope

PROEVEHANDLING = "proevehandling"


class LaeringDraft(ProposalDraft):
    step: str = MAAL
    proevehandling_id: int | None = None
    ny_proevehandling: str = ""


class LaeringFlow(ProposalFlow[LaeringDraft]):
    draft_type = LaeringDraft
    kind = EntryKind.LAERING
    receipt_title = texts.LAERING_RECEIPT_TITLE
    maal_intro = texts.MAAL_INTRO_LAERING
    total_steps = 4
    after_maal = PROEVEHANDLING

    def __init__(self) -> None:
        super().__init__("laering")

    async def initial_draft(self, scope: TurnScope, options: object) -> LaeringDraft:
        draft = await self.reopen(scope, options, FORM)
        if draft is None:
            return await super().initial_draft(scope, options)
        # The prøvehandling lives on the draft, not among the form's values.
        ph_id = draft.values.pop("proevehandling_id", "")
        draft.proevehandling_id = ph_id if isinstance(ph_id, int) else None
        draft.ny_proevehandling = str(draft.values.pop("ny_proevehandling", "") or "")
        return draft

    @staticmethod
    def proevehandling_title(maal: MaalView, draft: LaeringDraft) -> str:
        if draft.proevehandling_id is not None:
            return next((p.title for p in maal.proevehandlinger if p.id == draft.proevehandling_id), "")
        return draft.ny_proevehandling

    async def render_after_maal(
        self, scope: TurnScope, draft: LaeringDraft, maal: MaalView, errors: dict[str, str]
    ) -> AdaptiveCard:
        if draft.step == PROEVEHANDLING:
            return proevehandling_picker_card(
                flow=self.id,
                maal=maal,
                proevehandlinger=maal.proevehandlinger,
                step=(2, self.total_steps),
                values=draft.values,
                errors=errors,
            )
        title = self.proevehandling_title(maal, draft)
        if draft.step == FORM:
            return laering_form_card(
                flow=self.id,
                maal=maal,
                proevehandling_title=title,
                proevehandling=self.proevehandling_data(draft),
                values=draft.values,
                errors=errors,
            )
        return laering_check_card(
            flow=self.id, key=draft.key, maal=maal, proevehandling_title=title, data=self.data(draft).model_dump()
        )

    @staticmethod
    def proevehandling_data(draft: LaeringDraft) -> dict[str, Any]:
        """The prøvehandling, carried in the form's submit data so that the form's payload validates whole."""
        return {
            "proevehandling_id": "" if draft.proevehandling_id is None else draft.proevehandling_id,
            "ny_proevehandling": draft.ny_proevehandling,
        }

    def data(self, draft: LaeringDraft) -> LaeringData:
        form = payloads.parse({**draft.values, **self.proevehandling_data(draft), "action": "laering_form"})
        assert isinstance(form, payloads.LaeringForm)
        return form.data()

    async def handle(self, dc: DialogContext, scope: TurnScope, draft: LaeringDraft, payload: Any) -> DialogTurnResult:
        result = await self.handle_proposal_step(dc, scope, draft, payload)
        if result is not None:
            return result
        if isinstance(payload, payloads.PickProevehandling):
            maal = await self.maal_view(scope, draft)
            if payload.proevehandling_id not in {p.id for p in maal.proevehandlinger}:
                raise Rejected({"ny_proevehandling": texts.ERROR_UNKNOWN_PROEVEHANDLING})
            draft.proevehandling_id, draft.ny_proevehandling = payload.proevehandling_id, ""
            draft.step = FORM
            return await self.show(dc, draft)
        if isinstance(payload, payloads.NewProevehandling):
            draft.proevehandling_id, draft.ny_proevehandling = None, payload.ny_proevehandling
            draft.step = FORM
            return await self.show(dc, draft)
        if isinstance(payload, payloads.LaeringForm):
            draft.values = payload.model_dump(
                mode="json", exclude={"action", "flow", "proevehandling_id", "ny_proevehandling"}
            )
            draft.step = CHECK
            return await self.show(dc, draft)
        if isinstance(payload, payloads.Back):
            draft.step = MAAL if draft.step == PROEVEHANDLING else PROEVEHANDLING
            return await self.show(dc, draft)
        return await self.handle_check_step(dc, scope, draft, payload) or await self.stale(dc, draft)
