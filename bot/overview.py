"""`oversigt` in Teams: the overview each role gets (the indsamler's eksempler, a leder's or chef's units and their
mål's coverage, Chefforum's mål across the organisation), its drill-downs and the indsamler's "Send påmindelse".

Every click is checked against the overview scope (domain.policy) on the server, whatever the card offered.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from microsoft_teams.cards.core import AdaptiveCard

from bot import export_links
from bot.services import services
from cards import danish, payloads, texts
from cards.overview import (
    across_card,
    afdeling_card,
    indsamler_card,
    maalsaetning_card,
    manager_card,
    unit_coverage_card,
)
from core.vocabulary import Role
from domain import clock, coverage, overview, reminders
from domain.policy import OverviewRole, OverviewScope, in_chefforum, overview_scope
from turn.commands import Command
from turn.scope import Turn
from turn.table import ACTIONS, Typed, number_and_text

log = logging.getLogger(__name__)


def _deadline_keys(turn: Turn) -> tuple[str, ...]:
    return services(turn).outbox.config.deadline_keys


async def _scope(turn: Turn) -> OverviewScope | None:
    scope = overview_scope(turn.actor)
    if scope.role is OverviewRole.NONE and not in_chefforum(turn.actor):
        await turn.answer.text(texts.OVERSIGT_FOR_NOBODY)
        return None
    return scope


@ACTIONS.command(Command.OVERSIGT)
async def oversigt(turn: Turn, rest: str) -> None:
    """Typed `oversigt`: a new card in the personal chat."""
    scope = await _scope(turn)
    if scope is not None:
        await turn.answer.card(await home(turn, scope), new_message=True)


@ACTIONS.action(payloads.OverviewHome)
async def overview_home(turn: Turn, payload: payloads.OverviewHome) -> None:
    scope = await _scope(turn)
    if scope is not None:
        await turn.answer.card(await home(turn, scope, offset=payload.offset))


async def home(turn: Turn, scope: OverviewScope, notice: str | None = None, *, offset: int = 0) -> AdaptiveCard:
    keys = _deadline_keys(turn)
    chefforum = in_chefforum(turn.actor)
    async with turn.sessionmaker() as session:
        if scope.role is OverviewRole.NONE:
            # Chefforum and nothing else: the mål across the organisation.
            return across_card(groups=await coverage.across(session))
        if scope.role is OverviewRole.INDSAMLER:
            found = await overview.indsamler_overview(session, deadline_keys=keys, today=clock.today())
            return indsamler_card(overview=found, notice=notice, chefforum=chefforum)
        mine = await overview.manager_overview(session, scope, deadline_keys=keys, today=clock.today(), offset=offset)
    return manager_card(overview=mine, is_chef=scope.role is OverviewRole.CHEF, chefforum=chefforum)


def _number(field: str) -> Callable[[str], dict[str, int] | None]:
    def fields(rest: str) -> dict[str, int] | None:
        found = number_and_text(rest)
        return {field: found[0]} if found is not None and not found[1] else None

    return fields


def _remind_fields(rest: str) -> dict[str, int] | None:
    return {} if not rest.strip() else _number("unit_id")(rest)


_OVERSEERS = frozenset({Role.INDSAMLER, Role.CHEF, Role.LEDER})


@ACTIONS.action(
    payloads.OverviewAfdeling,
    typed=(Typed("oversigt", _number("afdeling_id"), texts.TYPED_OVERSIGT_AFDELING, roles=_OVERSEERS),),
)
async def overview_afdeling(turn: Turn, payload: payloads.OverviewAfdeling) -> None:
    scope = await _scope(turn)
    if scope is not None:
        await show_afdeling(turn, scope, payload.afdeling_id)


async def show_afdeling(turn: Turn, scope: OverviewScope, afdeling_id: int, notice: str | None = None) -> None:
    if not scope.may_open_afdeling(afdeling_id):
        await refuse(turn, "afdeling")
        return
    async with turn.sessionmaker() as session:
        detail = await overview.afdeling_detail(
            session, afdeling_id, deadline_keys=_deadline_keys(turn), today=clock.today()
        )
    if detail is None:
        await turn.answer.card(await home(turn, scope))
        return
    await turn.answer.card(afdeling_card(detail=detail, may_remind=scope.may_remind, notice=notice))


@ACTIONS.action(
    payloads.OverviewUnit,
    typed=(Typed("mål", _number("unit_id"), texts.TYPED_MAAL_UNIT, roles=frozenset({Role.CHEF, Role.LEDER})),),
)
async def show_unit(turn: Turn, payload: payloads.OverviewUnit) -> None:
    """A chef's drill-down into one unit's mål: only a unit of the overview's own scope."""
    scope = await _scope(turn)
    if scope is None:
        return
    async with turn.sessionmaker() as session:
        allowed = await overview.scope_units(session, scope)
        if payload.unit_id not in allowed:
            await refuse(turn, "unit", texts.OVERSIGT_NOT_IN_SCOPE)
            return
        found = await coverage.unit_coverage(session, [payload.unit_id])
    await turn.answer.card(unit_coverage_card(coverage=found[payload.unit_id], offset=payload.offset))


@ACTIONS.action(
    payloads.OverviewAcross,
    typed=(Typed("tværs", _number("maal_id"), texts.TYPED_TVAERS, roles=frozenset({Role.CHEFFORUM})),),
)
async def show_across(turn: Turn, payload: payloads.OverviewAcross) -> None:
    """Chefforum's view across the organisation, or one målsætning's mål: Chefforum members only."""
    if not in_chefforum(turn.actor):
        await refuse(turn, "across", texts.OVERSIGT_NOT_IN_SCOPE)
        return
    async with turn.sessionmaker() as session:
        groups = await coverage.across(session)
    group = next((g for g in groups if any(m.maal_id == payload.maal_id for m in g.maal)), None)
    if group is None:
        await turn.answer.card(across_card(groups=groups))
    else:
        await turn.answer.card(maalsaetning_card(group=group, offset=payload.offset))


@ACTIONS.action(payloads.OverviewChefforumExport)
async def send_chefforum_export(turn: Turn, payload: payloads.OverviewChefforumExport) -> None:
    """A signed link to Chefforum's workbook (the download checks the role again); typed: `eksport` (bot.exports)."""
    await chefforum_export(turn)


async def chefforum_export(turn: Turn) -> None:
    if not in_chefforum(turn.actor):
        await refuse(turn, "chefforum export", texts.OVERSIGT_NOT_IN_SCOPE)
        return
    settings = services(turn).settings
    url = export_links.chefforum_link(settings, person_id=turn.actor.person_id)
    minutes = max(1, settings.EXPORT_LINK_TTL_SECONDS // 60)
    await turn.answer.text(danish.fill(texts.CHEFFORUM_EXPORT_READY, url=url, minutes=minutes))


@ACTIONS.action(
    payloads.SendReminder,
    typed=(Typed("påmind", _remind_fields, texts.TYPED_PAAMIND, roles=frozenset({Role.INDSAMLER})),),
)
async def remind(turn: Turn, payload: payloads.SendReminder) -> None:
    scope = await _scope(turn)
    if scope is None:
        return
    if not scope.may_remind:
        await refuse(turn, "remind")
        return
    outbox = services(turn).outbox
    async with turn.unit() as session:
        deadline = await overview.current_deadline(session, _deadline_keys(turn), clock.today())
        if deadline is None:
            done = reminders.Reminded(0, (), 0)
        else:
            units = [payload.unit_id] if payload.unit_id is not None else None
            if units is None and payload.afdeling_id is not None:
                units = await overview.afdeling_units(session, payload.afdeling_id)
            done = await reminders.remind_now(
                session, scope=scope, actor_id=turn.actor.person_id, deadline=deadline, unit_ids=units
            )
        # She is told which Teams refused (the answer only says they are on their way).
        turn.after_commit(lambda: outbox.schedule(list(done.message_ids), report_to=turn.actor.person_id))
    if done.units == 1:
        notice = texts.OVERSIGT_REMINDED_ONE
    elif done.units:
        notice = danish.fill(texts.OVERSIGT_REMINDED, count=done.units)
    else:
        notice = texts.OVERSIGT_REMINDED_NONE
    if done.without_leder:
        notice += " " + danish.fill(texts.OVERSIGT_REMINDED_NO_LEDER, count=done.without_leder)
    if payload.afdeling_id is not None:
        await show_afdeling(turn, scope, payload.afdeling_id, notice=notice)
    else:
        await turn.answer.card(await home(turn, scope, notice=notice))


async def refuse(turn: Turn, what: str, text: str = texts.OVERSIGT_NOT_ALLOWED) -> None:
    log.warning("oversigt %s refused for person %s", what, turn.actor.person_id)
    await turn.answer.text(text)
