"""`oversigt plan a` in Teams (issue 21): each arbejdsplads's Plan A state, for a chef (their afdelingers
arbejdspladser) and Chefforum (every arbejdsplads, by afdeling), a page at a time. Who sees what is
domain.plan_a_overview's scope, checked on the server on every click, whatever the card offered."""

from __future__ import annotations

import logging
import re
from typing import Any

from cards import payloads, texts
from cards.plan_a_overview import overview_card
from core.vocabulary import Role
from domain import plan_a_overview
from turn.scope import Turn
from turn.table import ACTIONS, Typed

log = logging.getLogger(__name__)

_PAGE = re.compile(r"\s*(?:(alle)\s*)?(?:(?:side\s*)?(\d{1,6}))?\s*", re.IGNORECASE)


def _fields(rest: str) -> dict[str, Any] | None:
    """ "" → the person's own view; "alle" → everyone (Chefforum); "2", "side 2", "alle 2" → that page."""
    found = _PAGE.fullmatch(rest)
    if found is None:
        return None
    fields: dict[str, Any] = {}
    if found.group(1):
        fields["everyone"] = True
    if found.group(2):
        page = int(found.group(2))
        if page < 1:
            return None
        fields["offset"] = (page - 1) * plan_a_overview.UNITS_PER_PAGE
    return fields


_OVERSEERS = frozenset({Role.CHEF, Role.CHEFFORUM})


@ACTIONS.action(
    payloads.OverviewPlanA,
    typed=(
        Typed("oversigt plan a", _fields, texts.TYPED_OVERSIGT_PLAN_A, roles=_OVERSEERS),
        Typed("oversigt plan-a", _fields, texts.TYPED_OVERSIGT_PLAN_A, roles=_OVERSEERS),
    ),
)
async def show(turn: Turn, payload: payloads.OverviewPlanA) -> None:
    seen = plan_a_overview.scope(turn.actor, everyone=payload.everyone)
    if seen is None:
        log.warning("plan a overview refused for person %s", turn.actor.person_id)
        await turn.answer.text(texts.PLAN_A_OVERVIEW_NOT_ALLOWED)
        return
    async with turn.sessionmaker() as session:
        found = await plan_a_overview.overview(session, seen, offset=payload.offset)
    await turn.answer.card(overview_card(overview=found))
