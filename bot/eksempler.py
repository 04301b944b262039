"""The eksempel side of the bot: the indsamler's list with its batch outcomes, the grundlag, the good-news cards,
and the eksempel export (a signed link, and its download).

Every action checks the person's right on the server (domain.policy), whatever the card showed them.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any
from urllib.parse import quote

from aiohttp import web
from botbuilder.core import MessageFactory, TurnContext
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer
from microsoft_teams.cards.core import AdaptiveCard
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.settings import Settings
from cards import danish, payloads, texts
from cards.eksempel import grundlag_card
from cards.selection import PAGE_SIZE, numbers, selection_list_card, selection_news_card
from cards.workbooks import eksempel_workbook
from domain import clock
from domain.actor import Actor
from domain.eksempel_export import eksempel_export
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
from storage import repo
from storage.models import Entry, Notification
from turn.messaging import send_card, show_card
from turn.scope import TurnScope

log = logging.getLogger(__name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_SALT = "styringsbot-eksempel-export-v1"
SELECTION_ACTIONS = frozenset({"selection_show", "selection_apply"})


# --- The indsamler's list ----------------------------------------------------------------------------------------


def list_filter(payload: payloads.SelectionShow) -> ListFilter:
    return ListFilter(
        tema=payload.filter_tema,
        niveau=payload.filter_niveau,
        status=payload.filter_status,
        grouped=payload.grouped,
    )


async def show_selection(
    context: TurnContext,
    *,
    shown: ListFilter,
    offset: int = 0,
    notice: str | None = None,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    replace: bool = False,
) -> None:
    """A page of the indsamler's eksempler with the selection actions (`eksempler`, and every click on the list)."""
    scope = TurnScope.of(context)
    if not works_the_selection(scope.actor):
        log.warning("selection list refused to person %s: not an indsamler", scope.actor.person_id)
        await context.send_activity(MessageFactory.text(texts.SELECTION_NOT_INDSAMLER))
        return
    async with scope.sessionmaker() as session:
        page = await selection_list(session, shown=shown, offset=offset, limit=PAGE_SIZE)
    if offset and not page.items and page.total:  # the list got shorter since the card was shown
        offset = 0
        async with scope.sessionmaker() as session:
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
    await (show_card if replace else send_card)(context, adaptive_card)


def _summary(result: BatchResult, outcome: str) -> str:
    parts = []
    if result.changed:
        parts.append(texts.SELECTION_DONE.format(numbers=numbers(result.changed), outcome=outcome))
    if result.unchanged:
        parts.append(texts.SELECTION_UNCHANGED.format(numbers=numbers(result.unchanged)))
    if result.refused:
        parts.append(texts.SELECTION_REFUSED.format(numbers=numbers(result.refused)))
    return " ".join(parts)


async def apply_selection(context: TurnContext, payload: payloads.SelectionApply) -> None:
    """One forum's outcome (or film candidacy) for every ticked eksempel: one unit of work; news after the answer."""
    scope = TurnScope.of(context)
    shown = list_filter(payload)
    if not works_the_selection(scope.actor):
        log.warning("selection outcome refused to person %s: not an indsamler", scope.actor.person_id)
        await context.send_activity(MessageFactory.text(texts.SELECTION_NOT_INDSAMLER))
        return
    values = payload.model_dump(mode="json", include={"outcome", "decided_on", "comment"})
    if not payload.entry_ids:
        errors = {"": texts.SELECTION_NONE_PICKED}
        await show_selection(context, shown=shown, offset=payload.offset, values=values, errors=errors, replace=True)
        return
    film = payload.film
    forum_outcome = payload.forum_outcome()
    async with scope.sessionmaker.begin() as session:
        if film is not None:
            result = await set_film_candidate(session, actor=scope.actor, entry_ids=payload.entry_ids, film=film)
            label = texts.FILM_CANDIDATE_ON if film else texts.FILM_CANDIDATE_OFF
        elif forum_outcome is not None and forum_outcome[0] in texts.OUTCOME_LABELS:
            status, forum = forum_outcome
            result = await record_outcomes(
                session,
                actor=scope.actor,
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
        await show_selection(context, shown=shown, offset=payload.offset, values=values, errors=errors, replace=True)
        return
    scope.notifier.schedule(list(result.notification_ids))
    log.info(
        "selection by person %s: %s changed, %s unchanged, %s refused",
        scope.actor.person_id,
        len(result.changed),
        len(result.unchanged),
        len(result.refused),
    )
    await show_selection(context, shown=shown, offset=payload.offset, notice=_summary(result, label), replace=True)


async def invalid_selection(context: TurnContext, invalid: payloads.InvalidInput) -> None:
    """A list submit that did not validate (no date, say): the list again with every value kept."""
    try:
        shown = list_filter(payloads.SelectionShow.model_validate({**invalid.values, "action": "selection_show"}))
    except ValidationError:
        shown = ListFilter()
    errors = dict(invalid.errors)
    if "decided_on" in errors:
        errors["decided_on"] = texts.ERROR_DATE
    offset = invalid.values.get("offset")
    await show_selection(
        context,
        shown=shown,
        offset=offset if isinstance(offset, int) and offset >= 0 else 0,
        values=invalid.values,
        errors=errors,
        replace=True,
    )


# --- The grundlag and the good news ------------------------------------------------------------------------------


async def show_grundlag(
    context: TurnContext,
    *,
    tema: Tema | None,
    niveau: Niveau | None = None,
    offset: int = 0,
    replace: bool = False,
) -> None:
    """`grundlag`: the approved eksempler, for everyone; a tema button shows that tema's eksempler by level."""
    scope = TurnScope.of(context)
    async with scope.sessionmaker() as session:
        found = await grundlag(session)
    shown = tema or next((t for t in Tema if any(found[t].values())), None)
    adaptive_card = grundlag_card(grundlag=found, tema=shown, niveau=niveau, offset=offset)
    await (show_card if replace else send_card)(context, adaptive_card)


async def render_news(session: AsyncSession, entry: Entry, notification: Notification) -> AdaptiveCard | None:
    """The good-news card an eksempel notification delivers; None when its outcome no longer stands."""
    item = await news_item(session, entry, notification.kind)
    if item is None:
        return None
    return selection_news_card(item=item, for_owner=notification.person_id == entry.owner_id)


def is_news(notification: Notification) -> bool:
    return notification.kind in NEWS_STATUS


# --- The export ----------------------------------------------------------------------------------------------------


class _ClockSigner(TimestampSigner):
    """Signs and checks ages with the domain clock, so tests can let a link expire without waiting."""

    def get_timestamp(self) -> int:
        return int(clock.now().timestamp())


def _serializer(settings: Settings) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings.EXPORT_SIGNING_KEY, salt=_SALT, signer=_ClockSigner)


def export_link(settings: Settings, *, person_id: int) -> str:
    token = _serializer(settings).dumps({"p": person_id})
    return f"{settings.PUBLIC_BASE_URL}/exports/eksempler/{token}"


def read_link(settings: Settings, token: str) -> int:
    """The person id from a valid, unexpired token; ValueError otherwise."""
    try:
        data: Any = _serializer(settings).loads(token, max_age=settings.EXPORT_LINK_TTL_SECONDS)
    except SignatureExpired:
        raise ValueError("expired") from None
    except BadSignature:
        raise ValueError("bad signature") from None
    if not isinstance(data, dict) or not isinstance(data.get("p"), int):
        raise ValueError("bad payload")
    return int(data["p"])


async def send_export_link(context: TurnContext, settings: Settings) -> None:
    actor = TurnScope.of(context).actor
    url = export_link(settings, person_id=actor.person_id)
    minutes = max(1, settings.EXPORT_LINK_TTL_SECONDS // 60)
    await context.send_activity(MessageFactory.text(danish.fill(texts.EKSEMPEL_EXPORT_READY, url=url, minutes=minutes)))


def download_handler(settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]) -> Any:
    async def download(request: web.Request) -> web.Response:
        try:
            person_id = read_link(settings, request.match_info["token"])
        except ValueError as problem:
            log.warning("eksempel export link refused: %s", problem)
            return _refused()
        async with sessionmaker() as session:
            person = await repo.person_by_id(session, person_id)
            if person is None or not works_the_selection(Actor.of(person)):
                log.warning("eksempel export link refused: person %s is not an indsamler", person_id)
                return _refused()
            export = await eksempel_export(session)
        filename, content = await asyncio.to_thread(eksempel_workbook, export)
        log.info("eksempel export (%s rows) downloaded by person %s", len(export.eksempler), person_id)
        disposition = f"attachment; filename=\"eksempler.xlsx\"; filename*=UTF-8''{quote(filename)}"
        return web.Response(body=content, content_type=XLSX, headers={"Content-Disposition": disposition})

    return download


def _refused() -> web.Response:
    return web.Response(status=403, text=texts.EXPORT_LINK_INVALID, content_type="text/plain", charset="utf-8")
