"""`oversigt` in Teams: the overview each role gets, its drill-downs and the indsamler's "Send påmindelse".

Every click is checked against the overview scope (domain.policy) on the server, whatever the card offered.
"""

from __future__ import annotations

import logging

from botbuilder.core import MessageFactory, TurnContext
from microsoft_teams.cards.core import AdaptiveCard

from bot import export_links
from bot.scheduler import Outbox
from bot.settings import Settings
from cards import payloads, texts
from cards.overview import (
    across_card,
    afdeling_card,
    indsamler_card,
    maalsaetning_card,
    manager_card,
    unit_coverage_card,
)
from domain import clock, coverage, overview, reminders
from domain.actor import Actor
from domain.policy import OverviewRole, OverviewScope, overview_scope
from domain.vocabulary import Role
from turn.messaging import is_group, send_card, show_card
from turn.scope import TurnScope

log = logging.getLogger(__name__)

OverviewPayload = (
    payloads.OverviewHome
    | payloads.OverviewUnit
    | payloads.OverviewAcross
    | payloads.OverviewChefforumExport
    | payloads.OverviewAfdeling
    | payloads.SendReminder
)
OVERVIEW_PAYLOADS = (
    payloads.OverviewHome,
    payloads.OverviewUnit,
    payloads.OverviewAcross,
    payloads.OverviewChefforumExport,
    payloads.OverviewAfdeling,
    payloads.SendReminder,
)


def in_chefforum(actor: Actor) -> bool:
    """Chefforum sees every mål across the organisation (issue 20), whatever other overview they have."""
    return actor.has_role(Role.CHEFFORUM)


class Overview:
    def __init__(self, outbox: Outbox, settings: Settings):
        self.outbox = outbox
        self.settings = settings

    @property
    def deadline_keys(self) -> tuple[str, ...]:
        return self.outbox.config.deadline_keys

    async def command(self, context: TurnContext) -> None:
        """Typed `oversigt`: a new card in the personal chat."""
        if is_group(context.activity):
            await context.send_activity(MessageFactory.text(texts.OVERSIGT_ONLY_PERSONAL))
            return
        actor = TurnScope.of(context).actor
        scope = overview_scope(actor)
        if scope.role is OverviewRole.NONE and not in_chefforum(actor):
            await context.send_activity(MessageFactory.text(texts.OVERSIGT_FOR_NOBODY))
            return
        await send_card(context, await self.home(context, scope))

    async def home(
        self, context: TurnContext, scope: OverviewScope, notice: str | None = None, *, offset: int = 0
    ) -> AdaptiveCard:
        turn = TurnScope.of(context)
        async with turn.sessionmaker() as session:
            if scope.role is OverviewRole.NONE:
                # Chefforum and nothing else: the mål across the organisation.
                return across_card(groups=await coverage.across(session))
            if scope.role is OverviewRole.INDSAMLER:
                found = await overview.indsamler_overview(
                    session, deadline_keys=self.deadline_keys, today=clock.today()
                )
                return indsamler_card(overview=found, notice=notice, chefforum=in_chefforum(turn.actor))
            mine = await overview.manager_overview(
                session, scope, deadline_keys=self.deadline_keys, today=clock.today(), offset=offset
            )
        return manager_card(overview=mine, is_chef=scope.role is OverviewRole.CHEF, chefforum=in_chefforum(turn.actor))

    async def on_submit(self, context: TurnContext, payload: OverviewPayload) -> None:
        turn = TurnScope.of(context)
        scope = overview_scope(turn.actor)
        if scope.role is OverviewRole.NONE and not in_chefforum(turn.actor):
            await context.send_activity(MessageFactory.text(texts.OVERSIGT_FOR_NOBODY))
            return
        if isinstance(payload, payloads.OverviewHome):
            await show_card(context, await self.home(context, scope, offset=payload.offset))
        elif isinstance(payload, payloads.OverviewUnit):
            await self.show_unit(context, scope, payload)
        elif isinstance(payload, payloads.OverviewAcross):
            await self.show_across(context, payload)
        elif isinstance(payload, payloads.OverviewChefforumExport):
            await self.send_chefforum_export(context)
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

    async def show_unit(self, context: TurnContext, scope: OverviewScope, payload: payloads.OverviewUnit) -> None:
        """A chef's drill-down into one unit's mål: only a unit of the overview's own scope."""
        async with TurnScope.of(context).sessionmaker() as session:
            allowed = await overview.scope_units(session, scope)
            if payload.unit_id not in allowed:
                await self.refuse(context, "unit", texts.OVERSIGT_NOT_IN_SCOPE)
                return
            found = await coverage.unit_coverage(session, [payload.unit_id])
        await show_card(context, unit_coverage_card(coverage=found[payload.unit_id], offset=payload.offset))

    async def show_across(self, context: TurnContext, payload: payloads.OverviewAcross) -> None:
        """Chefforum's view across the organisation, or one målsætning's mål: Chefforum members only."""
        turn = TurnScope.of(context)
        if not in_chefforum(turn.actor):
            await self.refuse(context, "across", texts.OVERSIGT_NOT_IN_SCOPE)
            return
        async with turn.sessionmaker() as session:
            groups = await coverage.across(session)
        group = next((g for g in groups if any(m.maal_id == payload.maal_id for m in g.maal)), None)
        if group is None:
            await show_card(context, across_card(groups=groups))
        else:
            await show_card(context, maalsaetning_card(group=group, offset=payload.offset))

    async def send_chefforum_export(self, context: TurnContext) -> None:
        """A signed link to Chefforum's workbook (the download checks the role again)."""
        turn = TurnScope.of(context)
        if not in_chefforum(turn.actor):
            await self.refuse(context, "chefforum export", texts.OVERSIGT_NOT_IN_SCOPE)
            return
        settings = self.settings
        url = export_links.chefforum_link(settings, person_id=turn.actor.person_id)
        minutes = max(1, settings.EXPORT_LINK_TTL_SECONDS // 60)
        await context.send_activity(MessageFactory.text(texts.CHEFFORUM_EXPORT_READY.format(url=url, minutes=minutes)))

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
            notice = texts.OVERSIGT_REMINDED.format(count=done.units)
        else:
            notice = texts.OVERSIGT_REMINDED_NONE
        if done.without_leder:
            notice += " " + texts.OVERSIGT_REMINDED_NO_LEDER.format(count=done.without_leder)
        if payload.afdeling_id is not None:
            await self.show_afdeling(context, scope, payload.afdeling_id, notice=notice)
        else:
            await show_card(context, await self.home(context, scope, notice=notice))

    async def refuse(self, context: TurnContext, what: str, text: str = texts.OVERSIGT_NOT_ALLOWED) -> None:
        log.warning("oversigt %s refused for person %s", what, TurnScope.of(context).actor.person_id)
        await context.send_activity(MessageFactory.text(text))
