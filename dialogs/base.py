"""The base of every card flow: typed draft state, one card per step, and the interruptions all flows share.

A flow is a botbuilder Dialog on the per-user, per-conversation dialog stack. Its state is a pydantic draft
(JSON in the dialog state). Each turn, the submitted card is parsed into exactly one payload model; invalid input
shows the same card again with everything kept and a Danish message by the field. `annullér` and `hjælp` work
at every step.
"""

from __future__ import annotations

import dataclasses
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, ClassVar, Generic, TypeVar, cast

from botbuilder.core import MessageFactory
from botbuilder.dialogs import Dialog, DialogContext, DialogTurnResult, DialogTurnStatus
from microsoft_teams.cards.core import AdaptiveCard
from pydantic import BaseModel, Field

from cards import payloads, texts
from cards.base import card, paragraph
from core.vocabulary import UnitKind
from domain.logsafe import escaped
from domain.people import set_unit
from storage import repo
from turn.commands import Command, parse_command
from turn.help import send_help
from turn.messaging import CardTooLarge, send_card, show_card
from turn.scope import Turn, submitted

log = logging.getLogger(__name__)

_STATE = "draft"
_BEFORE = "styringsbot.draft_before"


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


Step = Callable[[Any, DialogContext, Turn, Any, Any], Awaitable[DialogTurnResult]]
_HANDLES = "_handles"


async def choose_workplace(scope: Turn, unit_id: int) -> None:
    """A person the organisation file does not know picks their arbejdsplads (once, in any flow).

    Rejected when the id is no arbejdsplads; one unit of work; the turn's actor knows the unit afterwards.
    """
    async with scope.sessionmaker.begin() as session:
        unit = (await repo.all_units(session)).get(unit_id)
        if unit is None or unit.kind is not UnitKind.ARBEJDSPLADS:
            raise Rejected({"unit_id": texts.ERROR_UNKNOWN_UNIT})
        await set_unit(session, person_id=scope.actor.person_id, unit_id=unit.id)
    scope.actor = dataclasses.replace(scope.actor, unit_id=unit_id)


def on(*payload_types: type[payloads.Payload], steps: tuple[str, ...] = ()) -> Callable[[Step], Step]:
    """Marks a flow method as the handler of these payload types, optionally only at these steps.

    A click whose payload no handler takes at the draft's current step came from an old card: the flow says so
    and shows the step the person is really at.
    """

    def mark(method: Step) -> Step:
        setattr(method, _HANDLES, (payload_types, frozenset(steps)))
        return method

    return mark


class CardFlow(Dialog, Generic[DraftT]):
    """Subclasses set `draft_type` and `steps`, implement `first_step` and `render`, and mark their handlers @on."""

    draft_type: ClassVar[type[Draft]]
    # The steps a person goes through, in order: "Trin 2 af 3" is computed from this, once.
    steps: ClassVar[tuple[str, ...]] = ()
    # Payload type → (handler, the steps it is valid at; empty = any step). Built from the @on marks.
    _table: ClassVar[dict[type[payloads.Payload], tuple[Step, frozenset[str]]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        table: dict[type[payloads.Payload], tuple[Step, frozenset[str]]] = {}
        for klass in reversed(cls.__mro__):
            for member in vars(klass).values():
                marked = getattr(member, _HANDLES, None)
                if marked is not None:
                    payload_types, steps = marked
                    table.update({payload_type: (member, steps) for payload_type in payload_types})
        cls._table = table

    def __init__(self, dialog_id: str):
        super().__init__(dialog_id)

    def step_number(self, step: str) -> tuple[int, int]:
        """(n, total) for the step label."""
        return self.steps.index(step) + 1, len(self.steps)

    # --- For subclasses --------------------------------------------------------------------------------------

    async def first_step(self, scope: Turn) -> str:
        raise NotImplementedError

    async def initial_draft(self, scope: Turn, options: object) -> DraftT:
        """The draft a flow starts from; flows that can reopen an entry override this."""
        return cast(DraftT, self.draft_type(step=await self.first_step(scope)))

    async def render(self, scope: Turn, draft: DraftT, errors: dict[str, str]) -> AdaptiveCard:
        """The card for the draft's current step."""
        raise NotImplementedError

    # --- The machinery ---------------------------------------------------------------------------------------

    async def begin_dialog(self, dialog_context: DialogContext, options: object = None) -> DialogTurnResult:
        scope = Turn.of(dialog_context.context)
        draft = await self.initial_draft(scope, options)
        log.info("flow %s started for person %s", self.id, scope.actor.person_id)
        return await self.show(dialog_context, draft, new_message=True)

    async def continue_dialog(self, dialog_context: DialogContext) -> DialogTurnResult:
        context = dialog_context.context
        draft = self._load(dialog_context)
        # The step the person is at, to go back to when Teams refuses the next card as too large.
        context.turn_state[_BEFORE] = draft.model_dump(mode="json")
        payload = submitted(context)
        if payload is None:
            return await self.interrupt(dialog_context, draft, context.activity.text)
        scope = Turn.of(context)
        if isinstance(payload, payloads.InvalidInput):
            log.info("flow %s step %s: invalid input in %s", self.id, draft.step, escaped(sorted(payload.errors)))
            if payload.flow not in (None, self.id):
                return await self.stale(dialog_context, draft)
            draft.values.update({k: v for k, v in payload.values.items() if k not in ("action", "flow")})
            return await self.show(dialog_context, draft, errors=payload.errors)
        if getattr(payload, "flow", self.id) != self.id:
            return await self.stale(dialog_context, draft)
        handler, steps = self._table.get(type(payload), (None, frozenset()))
        if handler is None or (steps and draft.step not in steps):
            return await self.stale(dialog_context, draft)
        try:
            return await handler(self, dialog_context, scope, draft, payload)
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
        adaptive_card = await self.render(Turn.of(dialog_context.context), draft, errors or {})
        try:
            if new_message:
                await send_card(dialog_context.context, adaptive_card)
            else:
                await show_card(dialog_context.context, adaptive_card)
        except CardTooLarge:
            # The card the person filled in is still on the screen with everything they typed: the flow stays at
            # that step, so that they can shorten a text and click again.
            before = dialog_context.context.turn_state.get(_BEFORE)
            if before is not None:
                dialog_context.active_dialog.state[_STATE] = before
            await dialog_context.context.send_activity(MessageFactory.text(texts.ERROR_CARD_TOO_LARGE))
        return Dialog.end_of_turn

    async def finish(self, dialog_context: DialogContext, final_card: AdaptiveCard) -> DialogTurnResult:
        await show_card(dialog_context.context, final_card)
        return await dialog_context.end_dialog()

    @on(payloads.Cancel)
    async def on_cancel(
        self, dialog_context: DialogContext, scope: Turn, draft: DraftT, payload: payloads.Cancel
    ) -> DialogTurnResult:
        return await self.cancel(dialog_context)

    async def cancel(self, dialog_context: DialogContext) -> DialogTurnResult:
        log.info("flow %s cancelled", self.id)
        await show_card(dialog_context.context, card(body=[paragraph(texts.CANCELLED)]))
        await dialog_context.cancel_all_dialogs()
        return DialogTurnResult(DialogTurnStatus.Cancelled)

    async def interrupt(self, dialog_context: DialogContext, draft: DraftT, text: str | None) -> DialogTurnResult:
        """Typed text during a flow: hjælp and annullér go to `interruption`; anything else points to the card."""
        command = parse_command(text)
        if command in (Command.HELP, Command.ANNULLER):
            assert command is not None
            await interruption(dialog_context, command)
            if dialog_context.active_dialog is None:
                return DialogTurnResult(DialogTurnStatus.Cancelled)
            return Dialog.end_of_turn
        await dialog_context.context.send_activity(MessageFactory.text(texts.USE_THE_CARD))
        return Dialog.end_of_turn

    async def stale(self, dialog_context: DialogContext, draft: DraftT) -> DialogTurnResult:
        """A click on an old card: say so, and show the step the user is really at as a new message."""
        await dialog_context.context.send_activity(MessageFactory.text(texts.STALE_CARD))
        return await self.show(dialog_context, draft, new_message=True)

    def _load(self, dialog_context: DialogContext) -> DraftT:
        assert dialog_context.active_dialog is not None
        return cast(DraftT, self.draft_type.model_validate(dialog_context.active_dialog.state[_STATE]))


async def interruption(dialog_context: DialogContext, command: Command) -> None:
    """`hjælp` and `annullér`, typed at any time: the one place they are handled, in a flow or outside one.

    hjælp shows the help card and, in a flow, says the flow goes on; annullér stops the flow (or says there is
    nothing to stop).
    """
    context = dialog_context.context
    in_flow = dialog_context.active_dialog is not None
    if command is Command.HELP:
        await send_help(Turn.of(context))
        if in_flow:
            await context.send_activity(MessageFactory.text(texts.HELP_DURING_FLOW))
        return
    if not in_flow:
        await context.send_activity(MessageFactory.text(texts.NOTHING_TO_CANCEL))
        return
    log.info("flow %s cancelled by typing", dialog_context.active_dialog.id if dialog_context.active_dialog else None)
    await dialog_context.cancel_all_dialogs()
    await context.send_activity(MessageFactory.text(texts.CANCELLED))
