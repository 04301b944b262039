"""The tab's Eksempler page: the table (search, filters, sorting, pages of 50), ticks kept per person, one
forum's outcome for every ticked eksempel, film candidates, the arbejdsgruppe's proposals, a similar group side by
side, and the Excel round trip (download, fill in, preview with conflicts, confirm)."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, urlencode

import aiohttp_jinja2
import jinja2
from aiohttp import BodyPartReader, web
from itsdangerous import BadSignature, URLSafeTimedSerializer
from markupsafe import Markup
from multidict import MultiDictProxy

from cards import danish, texts
from core.vocabulary import EntryStatus, Niveau, Tema
from domain import clock, workbench
from domain.eksempler import record_outcomes, selection_of, set_film_candidate
from domain.policy import Selection
from domain.workbench import Page, Sort, TableQuery
from storage import workbench as store
from web import excel
from web.auth import CSRF_FIELD, CSRF_HEADER, Unauthenticated, csrf_ok
from web.pages import (
    MAX_COMMENT,
    NOTICE_PARAMS,
    TAB,
    SignedIn,
    Tab,
    back_to,
    guarded,
    ints,
    message,
    number_param,
    page,
    reading,
    refuse,
    signed_in,
)

log = logging.getLogger(__name__)


# --- Eksempler ------------------------------------------------------------------------------------------------

ROW_TEMPLATE = "_eksempel_row.html"
# Rendered rows kept: every eksempel of a few thousand, for each combination of the viewer's permissions.
ROWS_KEPT = 8192


@lru_cache(maxsize=ROWS_KEPT)
def _row_html(
    template: jinja2.Template, row: workbench.TableRow, may_record: bool, may_propose: bool, selection: Selection
) -> Markup:
    return Markup(template.render(row=row, may_record=may_record, may_propose=may_propose, selection=selection))


def row_html(
    request: web.Request,
    rows: Sequence[workbench.TableRow],
    *,
    may_record: bool,
    may_propose: bool,
    selection: Selection,
) -> list[Markup]:
    """The table's rows as HTML. A row's HTML is a pure function of its values (the viewer's tick and proposal
    included), the two permissions and the selection's stages, so each is rendered once and kept until one of those
    changes (an eksempel that changes is a new key; the template itself is part of the key, so a template reloaded
    in local development is too). Rendering 50 rows was a third of a page's CPU time."""
    template = aiohttp_jinja2.get_env(request.app).get_template(ROW_TEMPLATE)
    return [_row_html(template, row, may_record, may_propose, selection) for row in rows]


def table_query(query: Mapping[str, str]) -> TableQuery:
    """The table's query from the URL; an unknown value is ignored (the filter is simply off)."""

    def choice(key: str, allowed: Sequence[str]) -> str | None:
        value = query.get(key, "")
        return value if value in allowed else None

    def number(key: str) -> int | None:
        value = query.get(key, "")
        return int(value) if value.isdigit() and len(value) < 10 else None

    film = query.get("film", "")
    return TableQuery(
        q=query.get("q", "")[:200],
        tema=Tema(t) if (t := choice("tema", list(Tema))) else None,
        niveau=Niveau(n) if (n := choice("niveau", list(Niveau))) else None,
        afdeling_id=number("afdeling"),
        unit_id=number("enhed"),
        stage=choice("trin", workbench.STAGE_FILTERS),
        film=True if film == "ja" else False if film == "nej" else None,
        has_similar=query.get("ligner") == "ja",
        sort=Sort(s) if (s := choice("sort", list(Sort))) else Sort.NR,
        page=number("side") or 1,
    )


def _outcome_choices(selection: Sequence[Any]) -> list[tuple[str, str]]:
    choices = []
    for stage_index, step in enumerate(selection):
        for forum_index, forum in enumerate(step.fora):
            for status in (step.passed, step.failed):
                value = f"{stage_index}:{forum_index}:{status.value}"
                choices.append((value, texts.OUTCOME_LABELS[status].format(forum=forum)))
    return choices


def _eksempler_notice(query: Mapping[str, str]) -> tuple[str | None, str | None]:
    if query.get("fejl") == "ingen":
        return None, texts.TAB_EKS_BULK_NONE
    if query.get("fejl") == "udfald":
        return None, texts.TAB_EKS_BULK_MISSING
    if query.get("fejl") == "excel":
        return None, texts.TAB_XL_BAD_FILE
    if query.get("fejl") == "gammel":
        return None, texts.TAB_XL_TOO_OLD
    parts = []
    if done := number_param(query, "done"):
        parts.append(danish.fill(texts.TAB_EKS_BULK_DONE, count=done))
    if same := number_param(query, "same"):
        parts.append(texts.TAB_EKS_BULK_SAME.format(count=same))
    if refused := number_param(query, "refused"):
        parts.append(texts.TAB_EKS_BULK_REFUSED.format(count=refused))
    return (" ".join(parts) or None), None


@guarded(Page.EKSEMPLER)
async def eksempler_page(request: web.Request, who: SignedIn) -> web.StreamResponse:
    query = table_query(request.query)
    async with reading(request) as db:
        table = await workbench.table(db, who.actor, query)
    kept = [(k, v) for k, v in request.query.items() if k not in NOTICE_PARAMS]
    notice, problem = _eksempler_notice(request.query)
    first = (table.page - 1) * workbench.PAGE_SIZE + 1
    may_record, may_propose = workbench.may_record_outcomes(who.actor), workbench.may_propose(who.actor)
    return page(
        request,
        "eksempler.html",
        {
            "title": texts.TAB_EKS_TITLE,
            "table": table,
            "query": query,
            "back": urlencode(kept),
            "page_qs": "".join(f"{urlencode([(k, v)])}&" for k, v in kept if k != "side"),
            "first": first,
            "last": first + len(table.rows) - 1,
            "ticked_count": len(table.ticked),
            "stage_choices": [(workbench.NOT_DECIDED, texts.TAB_EKS_STAGE_NEW)]
            + [(s, texts.STATUS_LABELS[EntryStatus(s)]) for s in workbench.STAGE_FILTERS[1:]],
            "outcome_choices": _outcome_choices(table.selection),
            "rows_html": row_html(
                request, table.rows, may_record=may_record, may_propose=may_propose, selection=table.selection
            ),
            "may_record": may_record,
            "may_propose": may_propose,
            "today": clock.today().isoformat(),
            "notice": notice,
            "problem": problem,
        },
        who=who,
        current=Page.EKSEMPLER,
    )


def _back(form: MultiDictProxy[Any]) -> list[tuple[str, str]]:
    value = form.get("back")
    return parse_qsl(value[:2000]) if isinstance(value, str) else []


async def _ticks_fragment(request: web.Request, who: SignedIn) -> web.Response:
    async with request.app[TAB].sessionmaker() as db:
        count = len(await store.ticked(db, who.actor.person_id))
    return aiohttp_jinja2.render_template("_ticks.html", request, {"ticked_count": count, "oob": True})


@guarded(Page.EKSEMPLER, post=True)
async def tick_one(request: web.Request, who: SignedIn, form: MultiDictProxy[Any]) -> web.StreamResponse:
    raw = request.match_info["entry_id"]
    entry_ids = ints([raw])
    async with request.app[TAB].sessionmaker.begin() as db:
        known = await store.existing_eksempler(db, entry_ids)
        if form.get("on") == "1":
            await store.add_ticks(db, who.actor.person_id, sorted(known))
        else:
            await store.remove_ticks(db, who.actor.person_id, entry_ids)
    return await _ticks_fragment(request, who)


@guarded(Page.EKSEMPLER, post=True)
async def tick_page(request: web.Request, who: SignedIn, form: MultiDictProxy[Any]) -> web.StreamResponse:
    entry_ids = ints([v for v in form.getall("entry", []) if isinstance(v, str)][: workbench.PAGE_SIZE])
    async with request.app[TAB].sessionmaker.begin() as db:
        await store.add_ticks(db, who.actor.person_id, sorted(await store.existing_eksempler(db, entry_ids)))
    raise back_to("/tab/eksempler", _back(form))


@guarded(Page.EKSEMPLER, post=True)
async def clear_ticks(request: web.Request, who: SignedIn, form: MultiDictProxy[Any]) -> web.StreamResponse:
    async with request.app[TAB].sessionmaker.begin() as db:
        await store.remove_ticks(db, who.actor.person_id)
    raise back_to("/tab/eksempler", _back(form))


@guarded(Page.EKSEMPLER, post=True)
async def record_outcome(request: web.Request, who: SignedIn, form: MultiDictProxy[Any]) -> web.StreamResponse:
    """One forum's outcome with its date and comment for every ticked eksempel: one unit of work."""
    tab = request.app[TAB]
    if not workbench.may_record_outcomes(who.actor):
        return refuse(request, who, "recording outcomes")
    back = _back(form)
    raw_outcome, raw_date = form.get("udfald"), form.get("dato")
    comment = form.get("kommentar")
    comment = comment[:MAX_COMMENT] if isinstance(comment, str) else ""
    async with tab.sessionmaker.begin() as db:
        selection = await selection_of(db)
        chosen = _parse_outcome(raw_outcome, selection)
        occurred_on = _parse_date(raw_date)
        if chosen is None or occurred_on is None:
            raise _problem(back, "udfald")
        ticked = sorted(await store.ticked(db, who.actor.person_id))
        if not ticked:
            raise _problem(back, "ingen")
        status, forum = chosen
        result = await record_outcomes(
            db, actor=who.actor, entry_ids=ticked, outcome=status, forum=forum, occurred_on=occurred_on, comment=comment
        )
        await store.remove_ticks(db, who.actor.person_id, [*result.changed, *result.unchanged])
    tab.notify(list(result.notification_ids))
    log.info(
        "tab outcome by person %s: %s changed, %s unchanged, %s refused",
        who.actor.person_id,
        len(result.changed),
        len(result.unchanged),
        len(result.refused),
    )
    raise back_to(
        "/tab/eksempler", back, done=len(result.changed), same=len(result.unchanged), refused=len(result.refused)
    )


def _problem(back: list[tuple[str, str]], code: str) -> web.HTTPSeeOther:
    pairs = [(k, v) for k, v in back if k not in NOTICE_PARAMS] + [("fejl", code)]
    return web.HTTPSeeOther(f"/tab/eksempler?{urlencode(pairs)}")


def _parse_outcome(value: object, selection: Sequence[Any]) -> tuple[EntryStatus, str] | None:
    if not isinstance(value, str):
        return None
    parts = value.split(":")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
        return None
    stage_index, forum_index = int(parts[0]), int(parts[1])
    if stage_index >= len(selection) or forum_index >= len(selection[stage_index].fora):
        return None
    step = selection[stage_index]
    status = next((s for s in (step.passed, step.failed) if s.value == parts[2]), None)
    return (status, step.fora[forum_index]) if status is not None else None


def _parse_date(value: object) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        return None


def _toggle(value: object) -> tuple[bool, list[int]]:
    """A toggle button's value, "ja:<id>" or "nej:<id>": on or off, and for which eksempel (none if unreadable)."""
    on, _, raw_id = str(value or "").partition(":")
    return on == "ja", ints([raw_id]) if on in ("ja", "nej") else []


@guarded(Page.EKSEMPLER, post=True)
async def toggle_film(request: web.Request, who: SignedIn, form: MultiDictProxy[Any]) -> web.StreamResponse:
    tab = request.app[TAB]
    if not workbench.may_record_outcomes(who.actor):
        return refuse(request, who, "film candidates")
    film, entry_ids = _toggle(form.get("film"))
    async with tab.sessionmaker.begin() as db:
        result = await set_film_candidate(db, actor=who.actor, entry_ids=entry_ids, film=film)
    raise back_to("/tab/eksempler", _back(form), refused=len(result.refused))


@guarded(Page.EKSEMPLER, post=True)
async def toggle_proposal(request: web.Request, who: SignedIn, form: MultiDictProxy[Any]) -> web.StreamResponse:
    tab = request.app[TAB]
    if not workbench.may_propose(who.actor):
        return refuse(request, who, "selection proposals")
    proposed, entry_ids = _toggle(form.get("forslag"))
    async with tab.sessionmaker.begin() as db:
        received = {row.id for row in await workbench.received_rows(db)}
        for entry_id in entry_ids:
            if entry_id in received:
                await store.set_proposal(db, who.actor.person_id, entry_id, proposed=proposed)
    raise back_to("/tab/eksempler", _back(form))


@guarded(Page.EKSEMPLER)
async def group_page(request: web.Request, who: SignedIn) -> web.StreamResponse:
    [entry_id] = ints([request.match_info["entry_id"]]) or [0]
    async with reading(request) as db:
        rows = await workbench.group_rows(db, who.actor, entry_id)
    if not rows:
        return message(request, texts.TAB_EKS_TITLE, texts.TAB_NOT_FOUND, who=who, status=404)
    return page(
        request,
        "gruppe.html",
        {"title": texts.TAB_EKS_GROUP_TITLE.format(id=entry_id), "rows": rows, "entry_id": entry_id},
        who=who,
        current=Page.EKSEMPLER,
    )


# --- The Excel round trip ---------------------------------------------------------------------------------------

_PLAN_SALT = "styringsbot-tab-excel-plan-v1"
# A preview must be confirmed within this many seconds (it reflects the database as it was then).
PLAN_MAX_AGE = 3600


def _plan_signer(tab: Tab) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(tab.settings.EXPORT_SIGNING_KEY, salt=_PLAN_SALT)


@guarded(Page.EKSEMPLER)
async def excel_download(request: web.Request, who: SignedIn) -> web.StreamResponse:
    """The filtered list (every page) as a workbook with columns to fill in per forum."""
    if not workbench.may_record_outcomes(who.actor):
        return refuse(request, who, "the Excel export")
    async with reading(request) as db:
        table = await workbench.table(db, who.actor, table_query(request.query), unpaged=True)
    content = await asyncio.to_thread(excel.export, table.rows, table.selection)
    return web.Response(
        body=content,
        content_type=excel.XLSX,
        headers={"Content-Disposition": 'attachment; filename="eksempler.xlsx"'},
    )


async def excel_upload(request: web.Request) -> web.StreamResponse:
    """A filled-in workbook: the preview of what it would record (nothing is written). Read as a stream, since
    a workbook may be larger than the app's request limit; the CSRF field must come before the file."""
    try:
        who = await signed_in(request)
    except Unauthenticated:
        return web.Response(status=401, text=texts.TAB_NOT_SIGNED_IN)
    if Page.EKSEMPLER not in who.pages or not workbench.may_record_outcomes(who.actor):
        return refuse(request, who, "the Excel import")
    csrf, content = None, b""
    try:
        reader = await request.multipart()
        async for part in reader:
            if not isinstance(part, BodyPartReader):
                continue
            if part.name == CSRF_FIELD:
                csrf = (await part.read(decode=True)).decode("utf-8", "replace")[:200]
            elif part.name == "fil" and csrf is not None:
                chunks = []
                size = 0
                while chunk := await part.read_chunk(64 * 1024):
                    size += len(chunk)
                    if size > excel.MAX_UPLOAD_BYTES:
                        raise _bad_file()
                    chunks.append(chunk)
                content = b"".join(chunks)
    except (ValueError, AssertionError, KeyError):
        raise _bad_file() from None
    if not csrf_ok(who.session, request.headers.get(CSRF_HEADER) or csrf):
        log.warning("tab: Excel upload without a valid CSRF token")
        return message(request, texts.TAB_NAME, texts.TAB_CSRF_FAILED, who=who, status=403)
    tab = request.app[TAB]
    async with tab.sessionmaker() as db:
        selection = await selection_of(db)
        try:
            lines = await asyncio.to_thread(excel.read, content, selection)
        except excel.BadSheet as error:
            log.info("tab: Excel upload not readable: %s", error)
            raise _bad_file() from None
        ids = frozenset(line.entry_id for line in lines)
        rows = (await workbench.table(db, who.actor, TableQuery(), only=ids)).rows if ids else []
    planned = workbench.plan(lines, rows, selection, excel.label)
    token = _plan_signer(tab).dumps(
        {
            "p": who.actor.person_id,
            "c": [[c.entry_id, c.status.value, c.forum, c.on.isoformat()] for c in planned.changes],
        }
    )
    return page(
        request,
        "excel_preview.html",
        {
            "title": texts.TAB_XL_PREVIEW_TITLE,
            "plan": planned,
            "token": token,
            "label": excel.label,
            "problem_text": _problem_text,
        },
        who=who,
        current=Page.EKSEMPLER,
    )


def _problem_text(problem: workbench.Problem) -> str:
    if problem.reason == "label":
        return texts.TAB_XL_PROBLEM_LABEL.format(value=problem.value)
    if problem.reason == "date":
        return texts.TAB_XL_PROBLEM_DATE
    return texts.TAB_XL_PROBLEM_UNKNOWN


def _bad_file() -> web.HTTPSeeOther:
    return web.HTTPSeeOther("/tab/eksempler?fejl=excel")


@guarded(Page.EKSEMPLER, post=True)
async def excel_confirm(request: web.Request, who: SignedIn, form: MultiDictProxy[Any]) -> web.StreamResponse:
    """Record what the preview showed: one unit of work, one Decision per eksempel (record_outcomes)."""
    tab = request.app[TAB]
    if not workbench.may_record_outcomes(who.actor):
        return refuse(request, who, "the Excel import")
    try:
        value = _plan_signer(tab).loads(str(form.get("plan", "")), max_age=PLAN_MAX_AGE)
    except BadSignature:
        raise web.HTTPSeeOther("/tab/eksempler?fejl=gammel") from None
    if not isinstance(value, dict) or value.get("p") != who.actor.person_id:
        raise web.HTTPSeeOther("/tab/eksempler?fejl=gammel")
    groups: dict[tuple[EntryStatus, str, dt.date], list[int]] = {}
    for entry_id, status, forum, on in value.get("c", []):
        groups.setdefault((EntryStatus(status), forum, dt.date.fromisoformat(on)), []).append(int(entry_id))
    changed, unchanged, refused = 0, 0, 0
    notification_ids: list[int] = []
    async with tab.sessionmaker.begin() as db:
        for (status, forum, on), entry_ids in groups.items():
            result = await record_outcomes(
                db, actor=who.actor, entry_ids=entry_ids, outcome=status, forum=forum, occurred_on=on
            )
            changed += len(result.changed)
            unchanged += len(result.unchanged)
            refused += len(result.refused)
            notification_ids += result.notification_ids
    tab.notify(notification_ids)
    log.info("tab Excel import by person %s: %s changed, %s refused", who.actor.person_id, changed, refused)
    raise back_to("/tab/eksempler", {}, done=changed, same=unchanged, refused=refused)
