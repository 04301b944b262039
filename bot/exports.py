"""`eksport`: a målplan (or, for the indsamler, every eksempel) as an Excel workbook, by a signed link sent only
to the person who asked, in the personal chat."""

from __future__ import annotations

import logging

from bot import eksempler, export_links
from bot.overview import chefforum_export
from bot.services import services
from cards import danish, payloads, texts
from cards.export import export_picker_card
from core.vocabulary import Role
from domain.export import allowed_maalplaner
from domain.policy import in_chefforum, works_the_selection
from turn.commands import Command
from turn.scope import Turn
from turn.table import ACTIONS, Typed, number_and_text

log = logging.getLogger(__name__)
_EXPORTERS = frozenset({Role.LEDER, Role.CHEF})


@ACTIONS.command(Command.EKSPORT)
async def offer_export(turn: Turn, rest: str) -> None:
    """A link straight away when there is one målplan to export, else a choice."""
    async with turn.sessionmaker() as session:
        plans = [(p.id, p.title) for p in await allowed_maalplaner(session, turn.actor.roles)]
    if in_chefforum(turn.actor):
        # Chefforum's workbook across målplaner; the member's own målplaner (if any) follow.
        await chefforum_export(turn)
    if works_the_selection(turn.actor):
        # The indsamler's export is every eksempel; her målplaner (if any) follow.
        await eksempler.send_export_link(turn)
    if not plans and (works_the_selection(turn.actor) or in_chefforum(turn.actor)):
        return
    if not plans:
        await turn.answer.text(texts.EXPORT_NONE)
    elif len(plans) == 1:
        await send_export_link(turn, plans[0][0])
    else:
        await turn.answer.card(export_picker_card(maalplaner=plans), new_message=True)


def _maalplan_number(rest: str) -> dict[str, int] | None:
    found = number_and_text(rest)
    return {"maalplan_id": found[0]} if found is not None and not found[1] else None


@ACTIONS.action(payloads.ExportPick, typed=(Typed("eksport", _maalplan_number, texts.TYPED_EKSPORT, roles=_EXPORTERS),))
async def export_pick(turn: Turn, payload: payloads.ExportPick) -> None:
    await send_export_link(turn, payload.maalplan_id)


async def send_export_link(turn: Turn, maalplan_id: int) -> None:
    settings = services(turn).settings
    async with turn.sessionmaker() as session:
        plans = {p.id: p.title for p in await allowed_maalplaner(session, turn.actor.roles)}
    if maalplan_id not in plans:
        log.warning("export refused: person %s may not export målplan %s", turn.actor.person_id, maalplan_id)
        await turn.answer.text(texts.EXPORT_NONE)
        return
    url = export_links.link(settings, maalplan_id=maalplan_id, person_id=turn.actor.person_id)
    minutes = max(1, settings.EXPORT_LINK_TTL_SECONDS // 60)
    await turn.answer.text(danish.fill(texts.EXPORT_READY, title=plans[maalplan_id], url=url, minutes=minutes))
