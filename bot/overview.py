"""`oversigt` in Teams: the overview each role gets, its drill-downs and the indsamler's "Send påmindelse".

Every click is checked against the overview scope (domain.policy) on the server, whatever the card offered.
"""

from __future__ import annotations

import logging

from botbuilder.core import MessageFactory, TurnContext
from microsoft_teams.cards.core import AdaptiveCard

from bot.scheduler import Outbox
from cards import danish, payloads, texts
from cards.overview import afdeling_card, indsamler_card, manager_card
from domain import clock, overview, reminders
from domain.policy import OverviewRole, OverviewScope, overview_scope
from turn.messaging import is_group, send_card, show_card
from turn.scope import TurnScope

log = logging.getLogger(__name__)

OverviewPayload = payloads.OverviewHome | payloads.OverviewAfdeling | payloads.SendReminder
OVERVIEW_PAYLOADS = (payloads.OverviewHome, payloads.OverviewAfdeling, payloads.SendReminder)


class Overview:
    def __init__(self, outbox: Outbox):
        self.outbox = outbox

    @property
    def deadline_keys(self) -> tuple[str, ...]:
        return self.outbox.config.deadline_keys

    async def command(self, context: TurnContext) -> None:
        """Typed `oversigt`: a new card in the personal chat."""
        if is_group(context.activity):
            await context.send_activity(MessageFactory.text(texts.OVERSIGT_ONLY_PERSONAL))
            return
        scope = overview_scope(TurnScope.of(context).actor)
        if scope.role is OverviewRole.NONE:
            await context.send_activity(MessageFactory.text(texts.OVERSIGT_FOR_NOBODY))
            return
        await send_card(context, await self.home(context, scope))

    async def home(self, context: TurnContext, scope: OverviewScope, notice: str | None = None) -> AdaptiveCard:
        sessionmaker = TurnScope.of(context).sessionmaker
        async with sessionmaker() as session:
            if scope.role is OverviewRole.INDSAMLER:
                found = await overview.indsamler_overview(
                    session, deadline_keys=self.deadline_keys, today=clock.today()
                )
                return indsamler_card(overview=found, notice=notice)
            mine = await overview.manager_overview(
                session, scope, deadline_keys=self.deadline_keys, today=clock.today()
            )
        return manager_card(overview=mine, is_chef=scope.role is OverviewRole.CHEF)

    async def on_submit(self, context: TurnContext, payload: OverviewPayload) -> None:
        turn = TurnScope.of(context)
        scope = overview_scope(turn.actor)
        if scope.role is OverviewRole.NONE:
            await context.send_activity(MessageFactory.text(texts.OVERSIGT_FOR_NOBODY))
            return
        if isinstance(payload, payloads.OverviewHome):
            await show_card(context, await self.home(context, scope))
        elif isinstance(payload, payloads.OverviewAfdeling):
            await self.show_afdeling(context, scope, payload.afdeling_id)
        else:
            await self.remind(context, scope, payload)

    async def show_afdeling(
        self, context: TurnContext, scope: OverviewScope, afdeling_id: int, notice: str | None = None
    ) -> None:
        if not scope.may_open_afdeling(afdeling_id):
            await self.refuse(context, "afdeling")
            return
        async with TurnScope.of(context).sessionmaker() as session:
            detail = await overview.afdeling_detail(
                session, afdeling_id, deadline_keys=self.deadline_keys, today=clock.today()
            )
        if detail is None:
            await show_card(context, await self.home(context, scope))
            return
        await show_card(context, afdeling_card(detail=detail, may_remind=scope.may_remind, notice=notice))

    async def remind(self, context: TurnContext, scope: OverviewScope, payload: payloads.SendReminder) -> None:
        turn = TurnScope.of(context)
        if not scope.may_remind:
            await self.refuse(context, "remind")
            return
        async with turn.sessionmaker.begin() as session:
            deadline = await overview.current_deadline(session, self.deadline_keys, clock.today())
            if deadline is None:
                done = reminders.Reminded(0, (), 0)
            else:
                units = [payload.unit_id] if payload.unit_id is not None else None
                if units is None and payload.afdeling_id is not None:
                    units = await overview.afdeling_units(session, payload.afdeling_id)
                done = await reminders.remind_now(
                    session, scope=scope, actor_id=turn.actor.person_id, deadline=deadline, unit_ids=units
                )
        # After the commit: the reminders go out in the background.
        self.outbox.schedule(list(done.message_ids))
        if done.units == 1:
            notice = texts.OVERSIGT_REMINDED_ONE
        elif done.units:
            notice = danish.fill(texts.OVERSIGT_REMINDED, count=done.units)
        else:
            notice = texts.OVERSIGT_REMINDED_NONE
        if done.without_leder:
            notice += " " + danish.fill(texts.OVERSIGT_REMINDED_NO_LEDER, count=done.without_leder)
        if payload.afdeling_id is not None:
            await self.show_afdeling(context, scope, payload.afdeling_id, notice=notice)
        else:
            await show_card(context, await self.home(context, scope, notice=notice))

    async def refuse(self, context: TurnContext, what: str) -> None:
        log.warning("oversigt %s refused for person %s", what, TurnScope.of(context).actor.person_id)
        await context.send_activity(MessageFactory.text(texts.OVERSIGT_NOT_ALLOWED))
