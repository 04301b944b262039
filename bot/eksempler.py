"""The eksempel side of the bot: the indsamler's list with its batch outcomes, the grundlag, the good-news cards,
and the eksempel export's message (its signed link and download: bot/export_links.py).

Every action checks the person's right on the server (domain.policy), whatever the card showed them.
"""

from __future__ import annotations

import logging
from typing import Any

from microsoft_teams.cards.core import AdaptiveCard
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from bot import export_links
from bot.services import services
from cards import payloads, texts
from cards.base import ACTION_KEY
from cards.eksempel import grundlag_card
from cards.selection import PAGE_SIZE, numbers, selection_list_card, selection_news_card
from domain import clock
from domain.eksempler import (
    NEWS_STATUS,
    BatchResult,
    ListFilter,
    grundlag,
    news_item,
    record_outcomes,
    selection_list,
    set_film_candidate,
)
from domain.policy import works_the_selection
from domain.vocabulary import Niveau, Tema
from storage.models import Entry, Notification
from turn.commands import Command
from turn.scope import Turn
from turn.table import ACTIONS

log = logging.getLogger(__name__)


# --- The indsamler's list ----------------------------------------------------------------------------------------


def list_filter(payload: payloads.SelectionShow) -> ListFilter:
    return ListFilter(
        tema=payload.filter_tema,
        niveau=payload.filter_niveau,
        status=payload.filter_status,
        grouped=payload.grouped,
    )


async def show_selection(
    turn: Turn,
    *,
    shown: ListFilter,
    offset: int = 0,
    notice: str | None = None,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    replace: bool = False,
) -> None:
    """A page of the indsamler's eksempler with the selection actions (`eksempler`, and every click on the list)."""
    if not works_the_selection(turn.actor):
        log.warning("selection list refused to person %s: not an indsamler", turn.actor.person_id)
        await turn.answer.text(texts.SELECTION_NOT_INDSAMLER)
        return
    async with turn.sessionmaker() as session:
        page = await selection_list(session, shown=shown, offset=offset, limit=PAGE_SIZE)
    if offset and not page.items and page.total:  # the list got shorter since the card was shown
        offset = 0
        async with turn.sessionmaker() as session:
            page = await selection_list(session, shown=shown, offset=0, limit=PAGE_SIZE)
    adaptive_card = selection_list_card(
        items=page.items,
        total=page.total,
        offset=offset,
        shown=shown,
        selection=page.selection,
        groups=page.groups,
        today=clock.today(),
        notice=notice,
        values=values,
        errors=errors,
    )
    await turn.answer.card(adaptive_card, new_message=not replace)


@ACTIONS.command(Command.EKSEMPLER)
async def eksempler_command(turn: Turn, rest: str) -> None:
    await show_selection(turn, shown=ListFilter())


def _summary(result: BatchResult, outcome: str) -> str:
    parts = []
    if result.changed:
        parts.append(texts.SELECTION_DONE.format(numbers=numbers(result.changed), outcome=outcome))
    if result.unchanged:
        parts.append(texts.SELECTION_UNCHANGED.format(numbers=numbers(result.unchanged)))
    if result.refused:
        parts.append(texts.SELECTION_REFUSED.format(numbers=numbers(result.refused)))
    return " ".join(parts)


async def invalid_selection(turn: Turn, invalid: payloads.InvalidInput) -> None:
    """A list submit that did not validate (no date, say): the list again with every value kept."""
    try:
        shown = list_filter(
            payloads.SelectionShow.model_validate({**invalid.values, ACTION_KEY: payloads.SelectionShow.tag()})
        )
    except ValidationError:
        shown = ListFilter()
    errors = dict(invalid.errors)
    if "decided_on" in errors:
        errors["decided_on"] = texts.ERROR_DATE
    offset = invalid.values.get("offset")
    await show_selection(
        turn,
        shown=shown,
        offset=offset if isinstance(offset, int) and offset >= 0 else 0,
        values=invalid.values,
        errors=errors,
        replace=True,
    )


@ACTIONS.action(payloads.SelectionShow, invalid=invalid_selection)
async def selection_show(turn: Turn, payload: payloads.SelectionShow) -> None:
    await show_selection(turn, shown=list_filter(payload), offset=payload.offset, replace=True)


@ACTIONS.action(payloads.SelectionApply, invalid=invalid_selection)
async def apply_selection(turn: Turn, payload: payloads.SelectionApply) -> None:
    """One forum's outcome (or film candidacy) for every ticked eksempel: one unit of work; news after the answer."""
    shown = list_filter(payload)
    if not works_the_selection(turn.actor):
        log.warning("selection outcome refused to person %s: not an indsamler", turn.actor.person_id)
        await turn.answer.text(texts.SELECTION_NOT_INDSAMLER)
        return
    values = payload.model_dump(mode="json", include={"outcome", "decided_on", "comment"})
    if not payload.entry_ids:
        errors = {"": texts.SELECTION_NONE_PICKED}
        await show_selection(turn, shown=shown, offset=payload.offset, values=values, errors=errors, replace=True)
        return
    film = payload.film
    forum_outcome = payload.forum_outcome()
    async with turn.unit() as session:
        if film is not None:
            result = await set_film_candidate(session, actor=turn.actor, entry_ids=payload.entry_ids, film=film)
            label = texts.FILM_CANDIDATE_ON if film else texts.FILM_CANDIDATE_OFF
        elif forum_outcome is not None and forum_outcome[0] in texts.OUTCOME_LABELS:
            status, forum = forum_outcome
            result = await record_outcomes(
                session,
                actor=turn.actor,
                entry_ids=payload.entry_ids,
                outcome=status,
                forum=forum,
                occurred_on=payload.decided_on,
                comment=payload.comment,
            )
            label = texts.OUTCOME_LABELS[status].format(forum=forum)
        else:
            result, label = None, ""
    if result is None:
        errors = {"outcome": texts.ERROR_CHOOSE_ONE}
        await show_selection(turn, shown=shown, offset=payload.offset, values=values, errors=errors, replace=True)
        return
    # After the commit: the good news, in the background.
    turn.notifier.schedule(list(result.notification_ids))
    log.info(
        "selection by person %s: %s changed, %s unchanged, %s refused",
        turn.actor.person_id,
        len(result.changed),
        len(result.unchanged),
        len(result.refused),
    )
    await show_selection(turn, shown=shown, offset=payload.offset, notice=_summary(result, label), replace=True)


# --- The grundlag and the good news ------------------------------------------------------------------------------


@ACTIONS.command(Command.GRUNDLAG)
async def grundlag_command(turn: Turn, rest: str) -> None:
    await show_grundlag(turn, tema=None)


@ACTIONS.action(payloads.GrundlagShow)
async def grundlag_show(turn: Turn, payload: payloads.GrundlagShow) -> None:
    await show_grundlag(turn, tema=payload.tema, niveau=payload.niveau, offset=payload.offset, replace=True)


async def show_grundlag(
    turn: Turn,
    *,
    tema: Tema | None,
    niveau: Niveau | None = None,
    offset: int = 0,
    replace: bool = False,
) -> None:
    """`grundlag`: the approved eksempler, for everyone; a tema button shows that tema's eksempler by level."""
    async with turn.sessionmaker() as session:
        found = await grundlag(session)
    shown = tema or next((t for t in Tema if any(found[t].values())), None)
    adaptive_card = grundlag_card(grundlag=found, tema=shown, niveau=niveau, offset=offset)
    await turn.answer.card(adaptive_card, new_message=not replace)


async def render_news(session: AsyncSession, entry: Entry, notification: Notification) -> AdaptiveCard | None:
    """The good-news card an eksempel notification delivers; None when its outcome no longer stands."""
    item = await news_item(session, entry, notification.kind)
    if item is None:
        return None
    return selection_news_card(item=item, for_owner=notification.person_id == entry.owner_id)


def is_news(notification: Notification) -> bool:
    return notification.kind in NEWS_STATUS


# --- The export ----------------------------------------------------------------------------------------------------


async def send_export_link(turn: Turn) -> None:
    settings = services(turn).settings
    url = export_links.eksempel_link(settings, person_id=turn.actor.person_id)
    minutes = max(1, settings.EXPORT_LINK_TTL_SECONDS // 60)
    await turn.answer.text(texts.EKSEMPEL_EXPORT_READY.format(url=url, minutes=minutes))
