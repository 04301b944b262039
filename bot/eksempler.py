"""The eksempel side of the bot: the indsamler's list with its batch outcomes, the grundlag, the good-news cards,
and the eksempel export's message (its signed link and download: bot/export_links.py).

Every action checks the person's right on the server (domain.policy), whatever the card showed them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from microsoft_teams.cards.core import AdaptiveCard
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from bot import export_links
from bot.services import services
from cards import danish, payloads, texts
from cards.base import ACTION_KEY
from cards.eksempel import grundlag_card
from cards.selection import PAGE_SIZE, numbers, selection_list_card, selection_news_card
from core.vocabulary import Niveau, Role, Tema
from domain import clock
from domain.eksempler import (
    NEWS_STATUS,
    BatchResult,
    ListFilter,
    grundlag,
    news_item,
    record_outcomes,
    selection_list,
    selection_of,
    set_film_candidate,
)
from domain.policy import works_the_selection
from storage.models import Entry, Notification
from turn.commands import Command
from turn.scope import Turn
from turn.table import ACTIONS, Typed, Where, danish_date, fold, tema_named
from turn.table import numbers as typed_numbers

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


def _tema_niveau(words: list[str]) -> tuple[dict[str, str], list[str]] | None:
    """A tema (its name or first word) and a level at the front of the words; the words left over."""
    found: dict[str, str] = {}
    niveauer = {fold(texts.NIVEAU_LABELS[n]): n for n in Niveau} | {fold(n.value): n for n in Niveau}
    while words:
        if fold(words[0]) in niveauer and "niveau" not in found:
            found["niveau"] = niveauer[fold(words.pop(0))].value
            continue
        tema = next((tema_named(" ".join(words[:n])) for n in (2, 1) if tema_named(" ".join(words[:n]))), None)
        if tema is None or "tema" in found:
            break
        found["tema"] = tema.value
        words = words[2:] if tema_named(" ".join(words[:2])) else words[1:]
    return found, words


def _list_fields(rest: str) -> dict[str, Any] | None:
    """`eksempler mod leder side 2`: the list filtered and paged, as its card's filters and »Vis flere« do."""
    parsed = _tema_niveau(rest.split())
    if parsed is None:
        return None
    found, words = parsed
    fields: dict[str, Any] = {"filter_tema": found.get("tema", ""), "filter_niveau": found.get("niveau", "")}
    if words and fold(words[0]) == fold(texts.TYPED_PAGE_WORD) and len(words) == 2 and words[1].isdecimal():
        fields["offset"] = (int(words[1]) - 1) * PAGE_SIZE if 0 < int(words[1]) < 10_000 else -1
        words = []
    return fields if not words else None


def _grundlag_fields(rest: str) -> dict[str, Any] | None:
    parsed = _tema_niveau(rest.split())
    if parsed is None or parsed[1] or "tema" not in parsed[0]:
        return None
    return {"tema": parsed[0]["tema"], "niveau": parsed[0].get("niveau", "")}


def _outcome_fields(rest: str) -> dict[str, Any] | None:
    """`udfald 12,14 udvalgt arbejdsgruppen 3.11.2026`: the eksempler, the outcome, the forum and its date."""
    match = re.fullmatch(r"\s*([\d,\s]+?)\s+(\D.*)", rest)
    ids = typed_numbers(match.group(1)) if match else None
    if not ids or match is None:
        return None
    words = match.group(2).split()
    decided_on = danish_date(words[-1]) if words else None
    if decided_on is not None:
        words = words[:-1]
    text = fold(" ".join(words))
    for status, spoken in texts.TYPED_OUTCOME_WORDS.items():
        for word in sorted(spoken, key=len, reverse=True):
            if text.startswith(fold(word) + " "):
                forum = " ".join(words)[len(word) :].strip()
                day = decided_on or clock.today()
                return {"outcome": f"{status.value}|{forum}", "decided_on": day.isoformat(), "entry_ids": ids}
    return None


def _film_fields(film: bool) -> Callable[[str], dict[str, Any] | None]:
    def fields(rest: str) -> dict[str, Any] | None:
        ids = typed_numbers(rest)
        if not ids:
            return None
        outcome = payloads.FILM_ON if film else payloads.FILM_OFF
        return {"outcome": outcome, "decided_on": clock.today().isoformat(), "entry_ids": ids}

    return fields


_INDSAMLER = frozenset({Role.INDSAMLER})


@ACTIONS.action(
    payloads.SelectionShow,
    typed=(Typed("eksempler", _list_fields, texts.TYPED_EKSEMPLER, roles=_INDSAMLER),),
    invalid=invalid_selection,
)
async def selection_show(turn: Turn, payload: payloads.SelectionShow) -> None:
    await show_selection(turn, shown=list_filter(payload), offset=payload.offset, replace=True)


@ACTIONS.action(
    payloads.SelectionApply,
    typed=(
        Typed("udfald", _outcome_fields, texts.TYPED_UDFALD, roles=_INDSAMLER),
        Typed("film", _film_fields(True), texts.TYPED_FILM, roles=_INDSAMLER),
        Typed("ikke film", _film_fields(False), texts.TYPED_FILM, roles=_INDSAMLER),
    ),
    invalid=invalid_selection,
)
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
            # As configured ("Arbejdsgruppen"), however it was typed ("arbejdsgruppen").
            fora = {fold(name): name for step in await selection_of(session) for name in step.fora}
            forum = fora.get(fold(forum), forum)
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


@ACTIONS.action(payloads.GrundlagShow, typed=(Typed("grundlag", _grundlag_fields, texts.TYPED_GRUNDLAG, Where.ANY),))
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
    await turn.answer.text(danish.fill(texts.EKSEMPEL_EXPORT_READY, url=url, minutes=minutes))
