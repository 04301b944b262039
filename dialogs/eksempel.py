"""`eksempel`: an eksempel for the medarbejder- og ledelsesgrundlag. Tema → level → the eksempel → check (with
coaching) → send → receipt. The writer's unit is asked once, first, if it is not known yet.

A medarbejder's eksempel goes to the unit's leder, who sends it on to the indsamler in the unit's name; a leder's
own goes straight to the indsamler (the route is data: domain.policy / the organisation file).
"""

from __future__ import annotations

from typing import ClassVar

from botbuilder.dialogs import DialogContext, DialogTurnResult
from microsoft_teams.cards.core import AdaptiveCard

from cards import payloads, texts
from cards.eksempel import eksempel_check_card, eksempel_form_card, niveau_card, tema_picker_card
from cards.entry import receipt_card
from cards.pickers import unit_picker_card
from core.vocabulary import Action, EntryKind, Niveau, Role, Tema, UnitKind
from dialogs.base import CardFlow, Draft, Rejected, choose_workplace, on
from domain.approvals import notify_after
from domain.coaching import eksempel_tip
from domain.eksempler import default_niveau, sender_name, submit_eksempel
from domain.entries import EksempelData
from domain.views import UnitView, viewed
from domain.workflow import Result, decide_on, policy_of
from storage import repo
from turn.scope import Turn

UNIT = "unit"
TEMA = "tema"
NIVEAU = "niveau"
FORM = "form"
CHECK = "check"


class EksempelDraft(Draft):
    step: str = TEMA
    tema: Tema | None = None
    niveau: Niveau | None = None
    # The eksempel once the form validated; `values` keeps what the form shows.
    data: EksempelData | None = None
    # Set when the owner reopens a sent-back eksempel: sending resubmits it instead of storing a new one.
    resubmit_entry_id: int | None = None
    resubmit_version: int | None = None
    # Sent in the name of a ledergruppe or team the writer leads (else: their own arbejdsplads).
    unit_id: int | None = None


class EksempelFlow(CardFlow[EksempelDraft]):
    draft_type = EksempelDraft
    kind: ClassVar[EntryKind] = EntryKind.EKSEMPEL
    steps = (TEMA, NIVEAU, FORM, CHECK)
    receipt_title: ClassVar[str] = texts.EKSEMPEL_RECEIPT_TITLE

    def __init__(self) -> None:
        super().__init__(EntryKind.EKSEMPEL)

    async def first_step(self, scope: Turn) -> str:
        return UNIT if scope.actor.unit_id is None else TEMA

    # --- Rendering ---------------------------------------------------------------------------------------------

    async def render(self, scope: Turn, draft: EksempelDraft, errors: dict[str, str]) -> AdaptiveCard:
        if draft.step == UNIT:
            async with scope.sessionmaker() as session:
                units = await repo.all_units(session)
            options = UnitView.all_of(units, [UnitKind.ARBEJDSPLADS])
            return unit_picker_card(flow=self.id, units=options, values=draft.values, errors=errors)
        if draft.step == TEMA or draft.tema is None:
            draft.step = TEMA
            return tema_picker_card(flow=self.id, step=self.step_number(TEMA), errors=errors)
        if draft.step == NIVEAU or draft.niveau is None:
            draft.step = NIVEAU
            preselected = draft.niveau or default_niveau(scope.actor)
            return niveau_card(
                flow=self.id, step=self.step_number(NIVEAU), tema=draft.tema, preselected=preselected, errors=errors
            )
        unit_name = await self._unit_name(scope, draft.unit_id)
        if draft.step == CHECK and draft.data is not None:
            return eksempel_check_card(
                flow=self.id,
                step=self.step_number(CHECK),
                key=draft.key,
                data=draft.data,
                fra=sender_name(draft.data, scope.actor.display_name, unit_name),
                tip=eksempel_tip(draft.data.eksempel),
            )
        draft.step = FORM
        return eksempel_form_card(
            flow=self.id,
            step=self.step_number(FORM),
            tema=draft.tema,
            niveau=draft.niveau,
            writer=scope.actor.display_name,
            unit_name=await self._unit_name(scope, None),
            values=draft.values,
            errors=errors,
            groups=await self._groups(scope),
        )

    @staticmethod
    async def _unit_name(scope: Turn, unit_id: int | None) -> str:
        unit_id = unit_id if unit_id is not None else scope.actor.unit_id
        if unit_id is None:
            return ""
        async with scope.sessionmaker() as session:
            unit = (await repo.all_units(session)).get(unit_id)
        return unit.name if unit is not None else ""

    @staticmethod
    async def _groups(scope: Turn) -> list[tuple[int, str]]:
        """The ledergrupper and teams the writer leads: an eksempel may be sent in their name."""
        led = scope.actor.units_with_role(Role.LEDER)
        if not led:
            return []
        async with scope.sessionmaker() as session:
            units = await repo.all_units(session)
        return sorted(
            ((u, units[u].name) for u in led if u in units and units[u].kind is UnitKind.GRUPPE), key=lambda g: g[1]
        )

    # --- Steps -------------------------------------------------------------------------------------------------

    @on(payloads.PickUnit, steps=(UNIT,))
    async def on_pick_unit(
        self, dc: DialogContext, scope: Turn, draft: EksempelDraft, payload: payloads.PickUnit
    ) -> DialogTurnResult:
        await choose_workplace(scope, payload.unit_id)
        draft.step = TEMA
        return await self.show(dc, draft)

    @on(payloads.PickTema, steps=(TEMA,))
    async def on_pick_tema(
        self, dc: DialogContext, scope: Turn, draft: EksempelDraft, payload: payloads.PickTema
    ) -> DialogTurnResult:
        draft.tema = payload.tema
        draft.step = NIVEAU
        return await self.show(dc, draft)

    @on(payloads.PickNiveau, steps=(NIVEAU,))
    async def on_pick_niveau(
        self, dc: DialogContext, scope: Turn, draft: EksempelDraft, payload: payloads.PickNiveau
    ) -> DialogTurnResult:
        draft.niveau = payload.niveau
        draft.step = FORM
        return await self.show(dc, draft)

    @on(payloads.EksempelForm, steps=(FORM,))
    async def on_form(
        self, dc: DialogContext, scope: Turn, draft: EksempelDraft, payload: payloads.EksempelForm
    ) -> DialogTurnResult:
        draft.values = payload.model_dump(mode="json", exclude={"action", "flow"})
        if draft.tema is None or draft.niveau is None:
            draft.step = TEMA
            return await self.show(dc, draft)
        if payload.group_id is not None and payload.group_id not in {g for g, _ in await self._groups(scope)}:
            raise Rejected({"fra": texts.ERROR_CHOOSE_ONE})
        draft.unit_id = payload.group_id
        draft.data = payload.data(tema=draft.tema, niveau=draft.niveau)
        draft.step = CHECK
        return await self.show(dc, draft)

    @on(payloads.Back, steps=(NIVEAU, FORM))
    async def on_back(
        self, dc: DialogContext, scope: Turn, draft: EksempelDraft, payload: payloads.Back
    ) -> DialogTurnResult:
        draft.step = self.steps[max(0, self.steps.index(draft.step) - 1)]
        return await self.show(dc, draft)

    @on(payloads.Edit, steps=(CHECK,))
    async def on_edit(
        self, dc: DialogContext, scope: Turn, draft: EksempelDraft, payload: payloads.Edit
    ) -> DialogTurnResult:
        draft.step = FORM
        return await self.show(dc, draft)

    @on(payloads.Send, steps=(CHECK,))
    async def on_send(
        self, dc: DialogContext, scope: Turn, draft: EksempelDraft, payload: payloads.Send
    ) -> DialogTurnResult:
        if payload.submission_key != draft.key or draft.data is None or scope.actor.unit_id is None:
            return await self.stale(dc, draft)
        unit_id = draft.unit_id if draft.unit_id is not None else scope.actor.unit_id
        return await self.finish(dc, await self.send(scope, draft, draft.data, unit_id))

    async def send(self, scope: Turn, draft: EksempelDraft, data: EksempelData, unit_id: int) -> AdaptiveCard:
        """Store the eksempel (or resubmit the reopened one) and queue the next approvers' cards: one unit of work."""
        async with scope.sessionmaker.begin() as session:
            if draft.resubmit_entry_id is not None and draft.resubmit_version is not None:
                decided = await decide_on(
                    session,
                    actor=scope.actor,
                    entry_id=draft.resubmit_entry_id,
                    action=Action.RESUBMIT,
                    seen_version=draft.resubmit_version,
                    new_data=data,
                )
                entry = decided.entry
                fresh = decided.result is Result.NEW
                notification_ids = await notify_after(session, entry, actor_id=scope.actor.person_id) if fresh else []
            else:
                submitted = await submit_eksempel(
                    session, actor=scope.actor, unit_id=unit_id, data=data, idempotency_key=draft.key
                )
                entry, notification_ids = submitted.entry, submitted.notification_ids
            view = (await viewed(session, entry, scope.actor)).view
        scope.notifier.schedule(notification_ids)
        title = texts.RESUBMITTED_TITLE if draft.resubmit_entry_id else self.receipt_title
        return receipt_card(view=view, title=title)

    async def initial_draft(self, scope: Turn, options: object) -> EksempelDraft:
        """A fresh draft, or one filled in from the owner's sent-back eksempel when the flow was started to edit it."""
        entry_id = options.get("entry_id") if isinstance(options, dict) else None
        if isinstance(entry_id, int):
            async with scope.sessionmaker() as session:
                entry = await repo.get_entry(session, entry_id)
                may_edit = entry is not None and (await policy_of(session, entry, scope.actor)).may_edit
            if entry is not None and may_edit and entry.kind is EntryKind.EKSEMPEL:
                data = EksempelData.model_validate(entry.data)
                return EksempelDraft(
                    step=FORM,
                    tema=data.tema,
                    niveau=data.niveau,
                    values=data.model_dump(mode="json", include={"eksempel", "situation", "fra", "team"}),
                    data=data,
                    resubmit_entry_id=entry.id,
                    resubmit_version=entry.version,
                )
        return await super().initial_draft(scope, options)
