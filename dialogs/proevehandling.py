"""`prøvehandling`: propose a prøvehandling for a mål. Mål → what we will try, and for whom → how we will know → borger-
inddragelse and the tværfaglige niveau → when we evaluate → check (with coaching) → send → receipt."""

from __future__ import annotations

from typing import Any

from botbuilder.dialogs import DialogContext, DialogTurnResult
from microsoft_teams.cards.core import AdaptiveCard

from cards import payloads, texts
from cards import proevehandling as cards
from core.vocabulary import EntryKind
from dialogs.base import Rejected, on
from dialogs.entry_flow import CHECK, FORM, MAAL, EntryDraft, EntryFlow
from domain.clock import today
from domain.coaching import proevehandling_tips
from domain.entries import ProevehandlingData
from domain.views import MaalView
from storage import proevehandlinger
from turn.scope import Turn

VIDE = "vide"
INDDRAGELSE = "inddragelse"
EVALUERING = "evaluering"


class ProevehandlingDraft(EntryDraft[ProevehandlingData]):
    step: str = MAAL


class ProevehandlingFlow(EntryFlow[ProevehandlingDraft]):
    draft_type = ProevehandlingDraft
    kind = EntryKind.PROEVEHANDLING
    steps = (MAAL, FORM, VIDE, INDDRAGELSE, EVALUERING, CHECK)
    receipt_title = texts.PROEVEHANDLING_RECEIPT_TITLE
    maal_intro = texts.MAAL_INTRO_PROEVEHANDLING
    after_maal = FORM

    def __init__(self) -> None:
        super().__init__(EntryKind.PROEVEHANDLING)

    @staticmethod
    async def tegn_of(scope: Turn, maal: MaalView) -> list[tuple[int, str]]:
        """The mål's approved tegn, which a prøvehandling may name as the way we will see its effect."""
        async with scope.sessionmaker() as session:
            return await proevehandlinger.approved_tegn(session, maal.id)

    async def render_after_maal(
        self, scope: Turn, draft: ProevehandlingDraft, maal: MaalView, errors: dict[str, str]
    ) -> AdaptiveCard:
        step, values = self.step_number(draft.step), draft.values
        if draft.step == CHECK and draft.data is not None:
            tips = proevehandling_tips(draft.data.handling, has_way_to_see=draft.data.has_way_to_see)
            data = draft.data.model_dump(mode="json")
            return cards.check_card(flow=self.id, step=step, key=draft.key, maal=maal, data=data, tips=tips)
        if draft.step == VIDE:
            tegn = await self.tegn_of(scope, maal)
            return cards.vide_card(flow=self.id, step=step, maal=maal, tegn=tegn, values=values, errors=errors)
        if draft.step == INDDRAGELSE:
            return cards.inddragelse_card(flow=self.id, step=step, maal=maal, values=values, errors=errors)
        if draft.step == EVALUERING:
            first_day = today().isoformat()
            return cards.evaluering_card(
                flow=self.id, step=step, maal=maal, first_day=first_day, values=values, errors=errors
            )
        draft.step = FORM
        return cards.hvad_card(flow=self.id, step=self.step_number(FORM), maal=maal, values=values, errors=errors)

    @staticmethod
    def keep(draft: ProevehandlingDraft, payload: payloads.FlowPayload) -> None:
        """What the step's card sent, kept on the draft (shown again on Tilbage, Ret, or a refusal)."""
        draft.values.update(payload.model_dump(mode="json", exclude={"action", "flow"}, exclude_none=False))

    @on(payloads.ProeveHvad, steps=(FORM,))
    async def on_hvad(
        self, dc: DialogContext, scope: Turn, draft: ProevehandlingDraft, payload: payloads.ProeveHvad
    ) -> DialogTurnResult:
        self.keep(draft, payload)
        self.check_indikator(await self.maal_view(scope, draft), payload.indikator)
        draft.step = VIDE
        return await self.show(dc, draft)

    @on(payloads.ProeveVide, steps=(VIDE,))
    async def on_vide(
        self, dc: DialogContext, scope: Turn, draft: ProevehandlingDraft, payload: payloads.ProeveVide
    ) -> DialogTurnResult:
        self.keep(draft, payload)
        maal = await self.maal_view(scope, draft)
        tegn = dict(await self.tegn_of(scope, maal))
        if payload.tegn_id is not None and payload.tegn_id not in tegn:
            raise Rejected({"tegn_id": texts.ERROR_UNKNOWN_TEGN})
        draft.values["tegn_tekst"] = tegn.get(payload.tegn_id, "") if payload.tegn_id is not None else ""
        draft.step = INDDRAGELSE
        return await self.show(dc, draft)

    @on(payloads.ProeveInddragelse, steps=(INDDRAGELSE,))
    async def on_inddragelse(
        self, dc: DialogContext, scope: Turn, draft: ProevehandlingDraft, payload: payloads.ProeveInddragelse
    ) -> DialogTurnResult:
        self.keep(draft, payload)
        draft.step = EVALUERING
        return await self.show(dc, draft)

    @on(payloads.ProeveEvaluering, steps=(EVALUERING,))
    async def on_evaluering(
        self, dc: DialogContext, scope: Turn, draft: ProevehandlingDraft, payload: payloads.ProeveEvaluering
    ) -> DialogTurnResult:
        self.keep(draft, payload)
        if payload.evalueres is not None and payload.evalueres < today():
            raise Rejected({"evalueres": texts.ERROR_EVALUERES_PAST})
        draft.data = self.data_of(draft.values)
        draft.step = CHECK
        return await self.show(dc, draft)

    @staticmethod
    def data_of(values: dict[str, Any]) -> ProevehandlingData:
        """The proposal from what every step kept (each step's payload validated its own fields)."""
        fields = {name: values[name] for name in ProevehandlingData.model_fields if name in values}
        if fields.get("tegn_id") in ("", payloads.NO_CHOICE):
            fields["tegn_id"] = None
        return ProevehandlingData.model_validate(fields)

    @on(payloads.Back, steps=(FORM, VIDE, INDDRAGELSE, EVALUERING))
    async def on_back(
        self, dc: DialogContext, scope: Turn, draft: ProevehandlingDraft, payload: payloads.Back
    ) -> DialogTurnResult:
        draft.step = self.previous_step(draft.step)
        return await self.show(dc, draft)
