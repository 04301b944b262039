"""The base of every card flow: typed draft state, one card per step, and the interruptions all flows share.

A flow is a botbuilder Dialog on the per-user, per-conversation dialog stack. Its state is a pydantic draft
(JSON in the dialog state). Each turn, the submitted card is parsed into exactly one payload model; invalid input
shows the same card again with everything kept and a Danish message by the field. `annullér` and `hjælp` work
at every step.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any, ClassVar, Generic, TypeVar, cast

from botbuilder.core import MessageFactory
from botbuilder.dialogs import Dialog, DialogContext, DialogTurnResult, DialogTurnStatus
from microsoft_teams.cards.core import AdaptiveCard
from pydantic import BaseModel, Field

from cards import payloads, texts
from cards.base import card, paragraph
from turn.commands import Command, help_for, parse_command
from turn.messaging import is_group, send_card, show_card
from turn.scope import TurnScope, submitted

log = logging.getLogger(__name__)

_STATE = "draft"


class Draft(BaseModel):
    """A flow's state between turns. `key` makes the final submission idempotent."""

    step: str
    key: str = Field(default_factory=lambda: uuid.uuid4().hex)
    values: dict[str, Any] = Field(default_factory=dict)


DraftT = TypeVar("DraftT", bound=Draft)


class Rejected(Exception):
    """A step refuses a valid-looking payload (an unknown mål, say): show the card again with these messages."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(f"rejected fields {sorted(errors)}")
        self.errors = errors


class CardFlow(Dialog, Generic[DraftT]):
    """Subclasses set `draft_type`, and implement `first_step`, `render` and `handle`."""

    draft_type: ClassVar[type[Draft]]

    def __init__(self, dialog_id: str):
        super().__init__(dialog_id)

    # --- For subclasses --------------------------------------------------------------------------------------

    async def first_step(self, scope: TurnScope) -> str:
        raise NotImplementedError

    async def initial_draft(self, scope: TurnScope, options: object) -> DraftT:
        """The draft a flow starts from; flows that can reopen an entry override this."""
        return cast(DraftT, self.draft_type(step=await self.first_step(scope)))

    async def render(self, scope: TurnScope, draft: DraftT, errors: dict[str, str]) -> AdaptiveCard:
        """The card for the draft's current step."""
        raise NotImplementedError

    async def handle(self, dc: DialogContext, scope: TurnScope, draft: DraftT, payload: Any) -> DialogTurnResult:
        """Apply a valid payload: move the draft and `return await self.show(...)`, or end the flow."""
        raise NotImplementedError

    # --- The machinery ---------------------------------------------------------------------------------------

    async def begin_dialog(self, dialog_context: DialogContext, options: object = None) -> DialogTurnResult:
        scope = TurnScope.of(dialog_context.context)
        draft = await self.initial_draft(scope, options)
        log.info("flow %s started for person %s", self.id, scope.actor.person_id)
        return await self.show(dialog_context, draft, new_message=True)

    async def continue_dialog(self, dialog_context: DialogContext) -> DialogTurnResult:
        context = dialog_context.context
        draft = self._load(dialog_context)
        payload = submitted(context)
        if payload is None:
            return await self.interrupt(dialog_context, draft, context.activity.text)
        scope = TurnScope.of(context)
        if isinstance(payload, payloads.InvalidInput):
            log.info("flow %s step %s: invalid input in %s", self.id, draft.step, sorted(payload.errors))
            if payload.flow not in (None, self.id):
                return await self.stale(dialog_context, draft)
            draft.values.update({k: v for k, v in payload.values.items() if k not in ("action", "flow")})
            return await self.show(dialog_context, draft, errors=payload.errors)
        if getattr(payload, "flow", self.id) != self.id:
            return await self.stale(dialog_context, draft)
        if isinstance(payload, payloads.Cancel):
            return await self.cancel(dialog_context)
        try:
            return await self.handle(dialog_context, scope, draft, payload)
        except Rejected as rejected:
            return await self.show(dialog_context, draft, errors=rejected.errors)

    async def show(
        self,
        dialog_context: DialogContext,
        draft: DraftT,
        *,
        errors: dict[str, str] | None = None,
        new_message: bool = False,
    ) -> DialogTurnResult:
        """Save the draft and show its step's card; the flow then waits for the next click."""
        assert dialog_context.active_dialog is not None
        dialog_context.active_dialog.state[_STATE] = draft.model_dump(mode="json")
        adaptive_card = await self.render(TurnScope.of(dialog_context.context), draft, errors or {})
        if new_message:
            await send_card(dialog_context.context, adaptive_card)
        else:
            await show_card(dialog_context.context, adaptive_card)
        return Dialog.end_of_turn

    async def finish(self, dialog_context: DialogContext, final_card: AdaptiveCard) -> DialogTurnResult:
        await show_card(dialog_context.context, final_card)
        return await dialog_context.end_dialog()

    async def cancel(self, dialog_context: DialogContext) -> DialogTurnResult:
        log.info("flow %s cancelled", self.id)
        await show_card(dialog_context.context, card(body=[paragraph(texts.CANCELLED)]))
        await dialog_context.cancel_all_dialogs()
        return DialogTurnResult(DialogTurnStatus.Cancelled)

    async def interrupt(self, dialog_context: DialogContext, draft: DraftT, text: str | None) -> DialogTurnResult:
        """Typed text during a flow: `annullér` stops it, `hjælp` helps and keeps it, anything else reminds."""
        command = parse_command(text)
        context = dialog_context.context
        if command is Command.ANNULLER:
            await context.send_activity(MessageFactory.text(texts.CANCELLED))
            await dialog_context.cancel_all_dialogs()
            return DialogTurnResult(DialogTurnStatus.Cancelled)
        if command is Command.HELP:
            await send_card(context, help_for(in_group=is_group(context.activity)))
            await context.send_activity(MessageFactory.text(texts.HELP_DURING_FLOW))
            return Dialog.end_of_turn
        await context.send_activity(MessageFactory.text(texts.USE_THE_CARD))
        return Dialog.end_of_turn

    async def stale(self, dialog_context: DialogContext, draft: DraftT) -> DialogTurnResult:
        """A click on an old card: say so, and show the step the user is really at as a new message."""
        await dialog_context.context.send_activity(MessageFactory.text(texts.STALE_CARD))
        return await self.show(dialog_context, draft, new_message=True)

    def _load(self, dialog_context: DialogContext) -> DraftT:
        assert dialog_context.active_dialog is not None
        return cast(DraftT, self.draft_type.model_validate(dialog_context.active_dialog.state[_STATE]))
