"""`tegn`: propose a tegn for a mål. Pick the mål → fill in the tegn → check (with coaching) → send → receipt."""

from __future__ import annotations

from botbuilder.dialogs import DialogContext, DialogTurnResult
from microsoft_teams.cards.core import AdaptiveCard

from cards import payloads, texts
from cards.tegn import tegn_check_card, tegn_form_card
from core.vocabulary import EntryKind
from dialogs.base import Rejected, on
from dialogs.entry_flow import CHECK, FORM, MAAL, EntryDraft, EntryFlow
from domain.coaching import reads_like_an_action
from domain.entries import TegnData
from domain.views import MaalView
from turn.scope import Turn


class TegnDraft(EntryDraft[TegnData]):
    step: str = MAAL


class TegnFlow(EntryFlow[TegnDraft]):
    draft_type = TegnDraft
    kind = EntryKind.TEGN
    steps = (MAAL, FORM, CHECK)
    receipt_title = texts.TEGN_RECEIPT_TITLE
    maal_intro = texts.MAAL_INTRO_TEGN
    after_maal = FORM

    def __init__(self) -> None:
        super().__init__(EntryKind.TEGN)

    async def render_after_maal(
        self, scope: Turn, draft: TegnDraft, maal: MaalView, errors: dict[str, str]
    ) -> AdaptiveCard:
        if draft.step == CHECK and draft.data is not None:
            return tegn_check_card(
                flow=self.id,
                step=self.step_number(CHECK),
                key=draft.key,
                maal=maal,
                data=draft.data.model_dump(),
                coach=reads_like_an_action(draft.data.tegn),
            )
        draft.step = FORM
        return tegn_form_card(flow=self.id, step=self.step_number(FORM), maal=maal, values=draft.values, errors=errors)

    @on(payloads.TegnForm, steps=(FORM,))
    async def on_form(
        self, dc: DialogContext, scope: Turn, draft: TegnDraft, payload: payloads.TegnForm
    ) -> DialogTurnResult:
        draft.values = payload.model_dump(mode="json", exclude={"action", "flow"})
        maal = await self.maal_view(scope, draft)
        if payload.proevehandling_id is not None and payload.proevehandling_id not in {
            p.id for p in maal.proevehandlinger
        }:
            raise Rejected({"proevehandling_id": texts.ERROR_UNKNOWN_PROEVEHANDLING})
        self.check_indikator(maal, payload.indikator)
        draft.data = payload.data()
        draft.step = CHECK
        return await self.show(dc, draft)

    @on(payloads.Back, steps=(FORM,))
    async def on_back(
        self, dc: DialogContext, scope: Turn, draft: TegnDraft, payload: payloads.Back
    ) -> DialogTurnResult:
        draft.step = self.previous_step(draft.step)
        return await self.show(dc, draft)
