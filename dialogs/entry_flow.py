"""The steps every målplan entry flow shares: the user's unit (asked once), the mål, the check step and Send.

A subclass adds its own steps between the mål and the check (the tegn form; the prøvehandling and the læring
form). The validated fields are kept typed on the draft (`draft.data`), beside the raw values the form shows again.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar, Generic, TypeVar, cast

from botbuilder.dialogs import DialogContext, DialogTurnResult
from microsoft_teams.cards.core import AdaptiveCard
from sqlalchemy.ext.asyncio import AsyncSession

from cards import payloads, texts
from cards.entry import receipt_card
from cards.pickers import maal_picker_card, unit_picker_card
from core.vocabulary import Action, EntryKind, UnitKind
from dialogs.base import CardFlow, Draft, Rejected, choose_workplace, on
from domain.approvals import notify_after
from domain.clock import this_year
from domain.entries import LaeringData, ProevehandlingData, TegnData
from domain.people import proposable_units
from domain.plan_a import indikator_options
from domain.views import MaalView, UnitView, viewed
from domain.workflow import Result, decide_on, policy_of, submit
from storage import repo
from storage.models import Entry, Maal
from turn.scope import Turn

UNIT = "unit"
MAAL = "maal"
FORM = "form"
CHECK = "check"

DataT = TypeVar("DataT", TegnData, LaeringData, ProevehandlingData)


class EntryDraft(Draft, Generic[DataT]):
    whole_afdeling: bool = False
    maal_id: int | None = None
    # The entry's fields once the form validated; `values` keeps what the form shows.
    data: DataT | None = None
    # Set when the owner reopens a sent-back entry: sending resubmits it instead of storing a new one.
    resubmit_entry_id: int | None = None
    resubmit_version: int | None = None


EntryDraftT = TypeVar("EntryDraftT", bound=EntryDraft[Any])


async def maalplan_year(session: AsyncSession, unit_ids: set[int]) -> int:
    """This year, or the nearest year before or next year that has målplaner for these units."""
    year = this_year()
    years = await repo.maalplan_years(session, sorted(unit_ids))
    candidates = [y for y in years if y <= year + 1]
    if year in years or not candidates:
        return year
    return max(candidates)


class EntryFlow(CardFlow[EntryDraftT]):
    """Unit and mål first, the subclass's steps, then the check (Ret / Send)."""

    kind: ClassVar[EntryKind]
    receipt_title: ClassVar[str] = ""
    maal_title: ClassVar[str] = texts.MAAL_TITLE
    maal_intro: ClassVar[str] = ""
    # The step after the mål.
    after_maal: ClassVar[str] = ""

    # --- For subclasses ----------------------------------------------------------------------------------------

    async def render_after_maal(
        self, scope: Turn, draft: EntryDraftT, maal: MaalView, errors: dict[str, str]
    ) -> AdaptiveCard:
        """The card for a step after the mål was picked."""
        raise NotImplementedError

    async def alongside(
        self, session: AsyncSession, scope: Turn, draft: EntryDraftT, maal: Maal
    ) -> list[tuple[Entry, bool]]:
        """Entries a new submission brings along, submitted in its unit of work: (entry, newly stored) each."""
        return []

    def alongside_note(self, entry: Entry) -> str:
        """What the receipt says about an entry submitted alongside ("" for nothing)."""
        return ""

    async def reopened(self, draft: EntryDraftT) -> EntryDraftT:
        """Adjust a draft filled in from a sent-back entry (subclasses move fields onto the draft)."""
        return draft

    # --- Rendering ---------------------------------------------------------------------------------------------

    async def first_step(self, scope: Turn) -> str:
        return UNIT if scope.actor.unit_id is None else MAAL

    async def render(self, scope: Turn, draft: EntryDraftT, errors: dict[str, str]) -> AdaptiveCard:
        if draft.step == UNIT:
            async with scope.sessionmaker() as session:
                units = await repo.all_units(session)
            options = UnitView.all_of(units, [UnitKind.ARBEJDSPLADS])
            return unit_picker_card(flow=self.id, units=options, values=draft.values, errors=errors)
        if draft.step == MAAL:
            async with scope.sessionmaker() as session:
                units = await repo.all_units(session)
                allowed = proposable_units(units, scope.actor, whole_afdeling=draft.whole_afdeling)
                year = await maalplan_year(session, allowed)
                maal = await repo.maal_for_units(session, sorted(allowed), year)
            return maal_picker_card(
                flow=self.id,
                title=self.maal_title,
                intro=self.maal_intro,
                maal=[MaalView.of(m) for m in maal],
                whole_afdeling=draft.whole_afdeling,
                year=year,
                step=self.step_number(MAAL),
                errors=errors,
            )
        try:
            maal_view = await self.maal_view(scope, draft)
        except Rejected as rejected:  # the mål went away (or out of reach) since it was picked
            draft.step = MAAL
            return await self.render(scope, draft, rejected.errors)
        return await self.render_after_maal(scope, draft, maal_view, errors)

    # --- Steps -------------------------------------------------------------------------------------------------

    @on(payloads.PickUnit, steps=(UNIT,))
    async def on_pick_unit(
        self, dc: DialogContext, scope: Turn, draft: EntryDraftT, payload: payloads.PickUnit
    ) -> DialogTurnResult:
        await choose_workplace(scope, payload.unit_id)
        draft.step = MAAL
        return await self.show(dc, draft)

    @on(payloads.ToggleAfdeling, steps=(MAAL,))
    async def on_toggle_afdeling(
        self, dc: DialogContext, scope: Turn, draft: EntryDraftT, payload: payloads.ToggleAfdeling
    ) -> DialogTurnResult:
        draft.whole_afdeling = payload.whole_afdeling
        return await self.show(dc, draft)

    @on(payloads.PickMaal, steps=(MAAL,))
    async def on_pick_maal(
        self, dc: DialogContext, scope: Turn, draft: EntryDraftT, payload: payloads.PickMaal
    ) -> DialogTurnResult:
        async with scope.sessionmaker() as session:
            await self.check_maal(session, scope, payload.maal_id)
        draft.maal_id = payload.maal_id
        draft.step = self.after_maal
        return await self.show(dc, draft)

    @on(payloads.Edit, steps=(CHECK,))
    async def on_edit(
        self, dc: DialogContext, scope: Turn, draft: EntryDraftT, payload: payloads.Edit
    ) -> DialogTurnResult:
        draft.step = FORM
        return await self.show(dc, draft)

    @on(payloads.Send, steps=(CHECK,))
    async def on_send(
        self, dc: DialogContext, scope: Turn, draft: EntryDraftT, payload: payloads.Send
    ) -> DialogTurnResult:
        if payload.submission_key != draft.key or draft.data is None:
            return await self.stale(dc, draft)
        return await self.finish(dc, await self.send(scope, draft, draft.data))

    # --- Helpers -----------------------------------------------------------------------------------------------

    def previous_step(self, step: str) -> str:
        """The step "Tilbage" goes to: the one before in `steps` (the mål, at the latest)."""
        index = self.steps.index(step) if step in self.steps else 0
        return self.steps[max(0, index - 1)]

    async def send(
        self, scope: Turn, draft: EntryDraftT, data: TegnData | LaeringData | ProevehandlingData
    ) -> AdaptiveCard:
        """Store the entry (or resubmit the reopened one) and queue the approvers' cards: one unit of work."""
        if draft.maal_id is None:
            raise Rejected({"maal_id": texts.ERROR_UNKNOWN_MAAL})
        async with scope.sessionmaker.begin() as session:
            maal = await self.check_maal(session, scope, draft.maal_id)
            if draft.resubmit_entry_id is not None and draft.resubmit_version is not None:
                decided = await decide_on(
                    session,
                    actor=scope.actor,
                    entry_id=draft.resubmit_entry_id,
                    action=Action.RESUBMIT,
                    seen_version=draft.resubmit_version,
                    new_data=data,
                )
                entry, fresh = decided.entry, decided.result is Result.NEW
            else:
                entry, fresh = await submit(
                    session,
                    actor=scope.actor,
                    kind=self.kind,
                    unit_id=maal.maalplan.unit_id,
                    maal_id=maal.id,
                    proevehandling_id=None if isinstance(data, ProevehandlingData) else data.proevehandling_id,
                    data=data,
                    idempotency_key=draft.key,
                )
            # What the entry brings along, stored in the same unit of work (a læring's new prøvehandling).
            alongside = [] if draft.resubmit_entry_id is not None else await self.alongside(session, scope, draft, maal)
            notification_ids: list[int] = []
            prepared: dict[int, Any] = {}
            for stored, is_new in [(entry, fresh), *alongside]:
                ids = await notify_after(session, stored, actor_id=scope.actor.person_id) if is_new else []
                prepared.update(await scope.notifier.prepare(session, ids, stored))
                notification_ids += ids
            view = (await viewed(session, entry, scope.actor)).view
            notes = [self.alongside_note(stored) for stored, _ in alongside]
        scope.notifier.schedule(notification_ids, prepared)
        title = texts.RESUBMITTED_TITLE if draft.resubmit_entry_id else self.receipt_title
        return receipt_card(view=view, title=title, notes=[note for note in notes if note])

    @staticmethod
    async def check_maal(session: AsyncSession, scope: Turn, maal_id: int) -> Maal:
        """The mål, if it exists and the user may propose for it; else Rejected with the reason."""
        maal = await repo.get_maal(session, maal_id)
        if maal is None:
            raise Rejected({"maal_id": texts.ERROR_UNKNOWN_MAAL})
        allowed = proposable_units(await repo.all_units(session), scope.actor, whole_afdeling=True)
        if maal.maalplan.unit_id not in allowed:
            raise Rejected({"maal_id": texts.ERROR_MAAL_NOT_YOURS})
        return maal

    async def maal_view(self, scope: Turn, draft: EntryDraftT) -> MaalView:
        """The draft's mål; Rejected (the card goes back to the mål step) when it is gone or out of reach."""
        if draft.maal_id is None:
            raise Rejected({"maal_id": texts.ERROR_UNKNOWN_MAAL})
        async with scope.sessionmaker() as session:
            view = MaalView.of(await self.check_maal(session, scope, draft.maal_id))
            return replace(view, indikatorer=await indikator_options(session))

    @staticmethod
    def check_indikator(maal: MaalView, number: int | None) -> None:
        """An indikator the entry is linked to must be one of the organisation file's (or none)."""
        if number is not None and number not in {n for n, _ in maal.indikatorer}:
            raise Rejected({"indikator": texts.ERROR_UNKNOWN_INDIKATOR})

    async def initial_draft(self, scope: Turn, options: object) -> EntryDraftT:
        """A fresh draft, or one filled in from the owner's sent-back entry when the flow was started to edit it."""
        entry_id = options.get("entry_id") if isinstance(options, dict) else None
        if isinstance(entry_id, int):
            async with scope.sessionmaker() as session:
                entry = await repo.get_entry(session, entry_id)
                may_edit = entry is not None and (await policy_of(session, entry, scope.actor)).may_edit
            if entry is not None and may_edit:
                draft = self.draft_type.model_validate(
                    {
                        "step": FORM,
                        "maal_id": entry.maal_id,
                        "values": {k: ("" if v is None else v) for k, v in entry.data.items()},
                        "data": entry.data,
                        "resubmit_entry_id": entry.id,
                        "resubmit_version": entry.version,
                    }
                )
                return await self.reopened(cast(EntryDraftT, draft))
        return await super().initial_draft(scope, options)
