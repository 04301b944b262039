"""`tegn`: propose a tegn for a mål. Pick the mål → fill in the tegn → check (with coaching) → send → receipt."""

from __future__ import annotations

from typing import Any

from botbuilder.dialogs import DialogContext, DialogTurnResult
from microsoft_teams.cards.core import AdaptiveCard

from cards import payloads, texts
from cards.tegn import tegn_check_card, tegn_form_card
from dialogs.base import Rejected
from dialogs.proposal import CHECK, FORM, MAAL, ProposalDraft, ProposalFlow
from domain.coaching import reads_like_an_action
from domain.entries import TegnData
from domain.views import MaalView
from domain.vocabulary import EntryKind
from turn.scope import TurnScope


class TegnDraft(ProposalDraft):
    step: str = MAAL


class TegnFlow(ProposalFlow[TegnDraft]):
    draft_type = TegnDraft
    kind = EntryKind.TEGN
    receipt_title = texts.TEGN_RECEIPT_TITLE
    maal_intro = texts.MAAL_INTRO_TEGN
    total_steps = 3
    after_maal = FORM

    def __init__(self) -> None:
        super().__init__("tegn")

    async def initial_draft(self, scope: TurnScope, options: object) -> TegnDraft:
        return await self.reopen(scope, options, FORM) or await super().initial_draft(scope, options)

    async def render_after_maal(
        self, scope: TurnScope, draft: TegnDraft, maal: MaalView, errors: dict[str, str]
    ) -> AdaptiveCard:
        if draft.step == FORM:
            return tegn_form_card(flow=self.id, maal=maal, values=draft.values, errors=errors)
        data = self.data(draft)
        return tegn_check_card(
            flow=self.id, key=draft.key, maal=maal, data=data.model_dump(), coach=reads_like_an_action(data.tegn)
        )

    def data(self, draft: TegnDraft) -> TegnData:
        form = payloads.parse({**draft.values, "action": "tegn_form"})
        assert isinstance(form, payloads.TegnForm)
        return form.data()

    async def handle(self, dc: DialogContext, scope: TurnScope, draft: TegnDraft, payload: Any) -> DialogTurnResult:
        result = await self.handle_proposal_step(dc, scope, draft, payload)
        if result is not None:
            return result
        if isinstance(payload, payloads.TegnForm):
            draft.values = payload.model_dump(mode="json", exclude={"action", "flow"})
            maal = await self.maal_view(scope, draft)
            if payload.proevehandling_id is not None and payload.proevehandling_id not in {
                p.id for p in maal.proevehandlinger
            }:
                raise Rejected({"proevehandling_id": texts.ERROR_UNKNOWN_PROEVEHANDLING})
            draft.step = CHECK
            return await self.show(dc, draft)
        if isinstance(payload, payloads.Back):
            draft.step = MAAL
            return await self.show(dc, draft)
        return await self.handle_check_step(dc, scope, draft, payload) or await self.stale(dc, draft)
