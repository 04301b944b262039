"""The tab's pages and actions. Each handler reads the same way: who is signed in, may they see this page, parse
the request, one unit of work through a domain function, then a page (or a redirect back to it).

Every POST carries the session's CSRF token (checked before anything is read or written); a bad value in a query
string or form gets the page with a Danish message, never a 500.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

import aiohttp_jinja2
from aiohttp import BodyPartReader, web
from itsdangerous import BadSignature, URLSafeTimedSerializer
from multidict import MultiDictProxy
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.settings import Settings
from cards import danish, texts
from domain import clock, overview, reminders, workbench
from domain.actor import Actor
from domain.approvals import inbox, notify_after
from domain.eksempler import record_outcomes, selection_of, set_film_candidate
from domain.entries import TegnData
from domain.people import identify
from domain.policy import NotAllowed, OverviewRole, overview_scope
from domain.views import DecisionView, viewed
from domain.vocabulary import Action, EntryKind, EntryStatus, Niveau, Tema
from domain.workbench import Page, Sort, TableQuery
from domain.workflow import NotFound, Result, decide_on, policy_of
from storage import repo
from storage import workbench as store
from web import excel
from web.auth import COOKIE, CSRF_FIELD, CSRF_HEADER, Session, Sessions, Unauthenticated, csrf_ok, validate_token
from web.keys import SigningKeys

log = logging.getLogger(__name__)

# A comment longer than this is cut (the chat's cards allow the same).
MAX_COMMENT = 2000
# Query parameters that carry the outcome of the last action back to the page (never free text).
_NOTICE_PARAMS = ("done", "same", "refused", "fejl", "back_done", "already", "reminded", "none")


@dataclass
class Tab:
    """What the tab's handlers share, hung on the app (no globals)."""

    settings: Settings
    sessionmaker: async_sessionmaker[AsyncSession]
    keys: SigningKeys
    sessions: Sessions
    # Deliver notifications queued in a unit of work (the bot's notifier), after the commit.
    notify: Callable[[list[int]], None]
    # Send reminders queued in the outbox (the bot's outbox), after the commit.
    send_outbox: Callable[[list[int]], None]


TAB = web.AppKey("tab", Tab)


@dataclass(frozen=True)
class SignedIn:
    actor: Actor
    session: Session
    pages: tuple[Page, ...]


# --- Rendering ------------------------------------------------------------------------------------------------


def page(
    request: web.Request,
    template: str,
    context: Mapping[str, Any],
    *,
    who: SignedIn | None = None,
    current: Page | None = None,
    status: int = 200,
) -> web.Response:
    values: dict[str, Any] = {
        "actor": who.actor if who else None,
        "pages": who.pages if who else (),
        "csrf": who.session.csrf if who else "",
        "current": current,
        "notice": None,
        "problem": None,
        **context,
    }
    return aiohttp_jinja2.render_template(template, request, values, status=status)


def message(
    request: web.Request, heading: str, text: str, *, who: SignedIn | None = None, status: int = 200
) -> web.Response:
    return page(
        request, "message.html", {"title": heading, "heading": heading, "message": text}, who=who, status=status
    )


def refuse(request: web.Request, who: SignedIn, what: str) -> web.Response:
    """A polite 403 page: this person may not see or do that."""
    log.warning("tab: %s refused to person %s", what, who.actor.person_id)
    return message(request, texts.TAB_NOT_ALLOWED_TITLE, texts.TAB_NOT_ALLOWED, who=who, status=403)


def back_to(path: str, query: Mapping[str, str] | Sequence[tuple[str, str]], **notice: int) -> web.HTTPSeeOther:
    """A redirect to a page of the tab with its query kept, and the numbers of what just happened."""
    pairs = [(k, v) for k, v in (query.items() if isinstance(query, Mapping) else query) if k not in _NOTICE_PARAMS]
    pairs += [(k, str(v)) for k, v in notice.items() if v]
    return web.HTTPSeeOther(f"{path}?{urlencode(pairs)}" if pairs else path)


def _ints(values: Sequence[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit() and len(v) < 10]


def _count(query: Mapping[str, str], key: str) -> int:
    value = query.get(key, "")
    return int(value) if value.isdigit() and len(value) < 7 else 0


# --- Who is signed in ---------------------------------------------------------------------------------------------


async def signed_in(request: web.Request) -> SignedIn:
    """The person behind the session cookie, with their current roles; Unauthenticated otherwise."""
    tab = request.app[TAB]
    session = tab.sessions.read(request.cookies.get(COOKIE))
    async with tab.sessionmaker() as db:
        person = await repo.person_by_id(db, session.person_id)
    if person is None:
        raise Unauthenticated("person no longer exists")
    actor = Actor.of(person)
    return SignedIn(actor, session, workbench.pages_for(actor))


def sign_in_page(request: web.Request, *, status: int) -> web.Response:
    """The page that signs in through Teams SSO (and then returns to where the user was going)."""
    dev = request.app[TAB].settings.LOCAL_DEVELOPMENT
    return page(request, "signin.html", {"title": texts.TAB_NAME, "dev_login": dev}, status=status)


def guarded(required: Page | None, *, post: bool = False) -> Callable[..., Any]:
    """A handler for signed-in people who may open `required` (None: any signed-in person); a POST must carry
    the session's CSRF token (403 otherwise, before anything is read or written)."""

    def wrap(handler: Callable[..., Any]) -> Callable[[web.Request], Any]:
        async def run(request: web.Request) -> web.StreamResponse:
            try:
                who = await signed_in(request)
            except Unauthenticated as error:
                log.info("tab: %s %s without a session (%s)", request.method, request.path, error.reason)
                if post or request.headers.get("HX-Request"):
                    return web.Response(status=401, text=texts.TAB_NOT_SIGNED_IN)
                return sign_in_page(request, status=401)
            form: MultiDictProxy[Any] | None = None
            if post:
                form = await request.post()
                submitted = request.headers.get(CSRF_HEADER) or form.get(CSRF_FIELD)
                if not csrf_ok(who.session, submitted if isinstance(submitted, str) else None):
                    log.warning("tab: %s %s without a valid CSRF token", request.method, request.path)
                    return message(request, texts.TAB_NAME, texts.TAB_CSRF_FAILED, who=who, status=403)
            if required is not None and required not in who.pages:
                return refuse(request, who, f"page {required}")
            result: web.StreamResponse = await (handler(request, who, form) if post else handler(request, who))
            return result

        return run

    return wrap


async def home(request: web.Request) -> web.StreamResponse:
    try:
        who = await signed_in(request)
    except Unauthenticated:
        return sign_in_page(request, status=401)
    if who.pages:
        raise web.HTTPSeeOther(f"/tab/{who.pages[0]}")
    return message(request, texts.TAB_NOTHING_FOR_YOU_TITLE, texts.TAB_NOTHING_FOR_YOU, who=who)


def _set_session(response: web.StreamResponse, tab: Tab, person_id: int) -> None:
    _session, cookie = tab.sessions.new(person_id)
    # Teams shows the tab in an iframe on another site: the cookie must be SameSite=None, hence Secure.
    response.set_cookie(
        COOKIE, cookie, max_age=tab.sessions.max_age, path="/", httponly=True, secure=True, samesite="None"
    )


async def token_sign_in(request: web.Request) -> web.StreamResponse:
    """POST /tab/auth with `Authorization: Bearer <Teams SSO token>`: a session cookie, or 401."""
    tab = request.app[TAB]
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        log.info("tab sign-in without a bearer token")
        return web.Response(status=401, text=texts.TAB_NOT_SIGNED_IN)
    try:
        identity = await validate_token(token.strip(), tab.settings, tab.keys)
    except Unauthenticated as error:
        log.warning("tab sign-in refused: %s", error.reason)
        return web.Response(status=401, text=texts.TAB_NOT_SIGNED_IN)

    async def upn() -> str | None:
        return identity.upn

    async with tab.sessionmaker.begin() as db:
        person = await identify(db, aad_object_id=identity.object_id, display_name=identity.name, lookup_email=upn)
        person_id = person.id
    log.info("tab sign-in: person %s", person_id)
    response = web.Response(status=204)
    _set_session(response, tab, person_id)
    return response


# --- Local development: pick a demo person ------------------------------------------------------------------------


async def dev_login_page(request: web.Request) -> web.StreamResponse:
    async with request.app[TAB].sessionmaker() as db:
        people = await store.people_with_roles(db)
    listed = [
        {
            "id": p.id,
            "display_name": p.display_name,
            "roles_text": ", ".join(sorted({r.role.value for r in p.roles})) or texts.TAB_DEV_ROLES_NONE,
        }
        for p in people
    ]
    return page(request, "dev_login.html", {"title": texts.TAB_DEV_TITLE, "people": listed})


async def dev_login(request: web.Request) -> web.StreamResponse:
    tab = request.app[TAB]
    form = await request.post()
    value = form.get("person_id")
    if not isinstance(value, str) or not value.isdigit() or len(value) > 9:
        return message(request, texts.TAB_DEV_TITLE, texts.TAB_BAD_INPUT, status=400)
    async with tab.sessionmaker() as db:
        person = await repo.person_by_id(db, int(value))
    if person is None:
        return message(request, texts.TAB_DEV_TITLE, texts.TAB_BAD_INPUT, status=400)
    response = web.Response(status=303, headers={"Location": "/tab"})
    _set_session(response, tab, person.id)
    log.info("tab local sign-in: person %s", person.id)
    return response


# --- Eksempler ------------------------------------------------------------------------------------------------


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
    if done := _count(query, "done"):
        parts.append(texts.TAB_EKS_BULK_DONE.format(count=done))
    if same := _count(query, "same"):
        parts.append(texts.TAB_EKS_BULK_SAME.format(count=same))
    if refused := _count(query, "refused"):
        parts.append(texts.TAB_EKS_BULK_REFUSED.format(count=refused))
    return (" ".join(parts) or None), None


@guarded(Page.EKSEMPLER)
async def eksempler_page(request: web.Request, who: SignedIn) -> web.StreamResponse:
    query = table_query(request.query)
    async with request.app[TAB].sessionmaker() as db:
        table = await workbench.table(db, who.actor, query)
    kept = [(k, v) for k, v in request.query.items() if k not in _NOTICE_PARAMS]
    notice, problem = _eksempler_notice(request.query)
    first = (table.page - 1) * workbench.PAGE_SIZE + 1
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
            "may_record": workbench.may_record_outcomes(who.actor),
            "may_propose": workbench.may_propose(who.actor),
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
    entry_ids = _ints([raw])
    async with request.app[TAB].sessionmaker.begin() as db:
        known = await store.existing_eksempler(db, entry_ids)
        if form.get("on") == "1":
            await store.add_ticks(db, who.actor.person_id, sorted(known))
        else:
            await store.remove_ticks(db, who.actor.person_id, entry_ids)
    return await _ticks_fragment(request, who)


@guarded(Page.EKSEMPLER, post=True)
async def tick_page(request: web.Request, who: SignedIn, form: MultiDictProxy[Any]) -> web.StreamResponse:
    entry_ids = _ints([v for v in form.getall("entry", []) if isinstance(v, str)][: workbench.PAGE_SIZE])
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
    pairs = [(k, v) for k, v in back if k not in _NOTICE_PARAMS] + [("fejl", code)]
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
    return on == "ja", _ints([raw_id]) if on in ("ja", "nej") else []


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
    [entry_id] = _ints([request.match_info["entry_id"]]) or [0]
    async with request.app[TAB].sessionmaker() as db:
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


# --- Godkendelser -------------------------------------------------------------------------------------------------


def _entry_text(data: Mapping[str, Any]) -> str:
    for key in ("tegn", "eksempel", "hvad_laerte_vi", "hvad_gjorde_vi"):
        if data.get(key):
            return str(data[key])
    return ""


async def _godkendelser(request: web.Request, who: SignedIn, **extra: Any) -> web.Response:
    async with request.app[TAB].sessionmaker() as db:
        entries = await inbox(db, who.actor)
    rows = [
        {
            "id": e.id,
            "version": e.version,
            "kind": e.kind,
            "owner": e.owner.display_name,
            "unit": e.unit.name,
            "text": _entry_text(e.data),
            "since": e.updated_at,
        }
        for e in entries
    ]
    parts = []
    if done := _count(request.query, "done"):
        parts.append(texts.TAB_GODK_DONE.format(count=done))
    if back := _count(request.query, "back_done"):
        parts.append(texts.TAB_GODK_DONE_BACK.format(count=back))
    if already := _count(request.query, "already"):
        parts.append(texts.TAB_GODK_ALREADY.format(count=already))
    if refused := _count(request.query, "refused"):
        parts.append(texts.TAB_GODK_REFUSED.format(count=refused))
    context = {"title": texts.TAB_GODK_TITLE, "rows": rows, "comment": "", "notice": " ".join(parts) or None}
    context.update(extra)
    return page(request, "godkendelser.html", context, who=who, current=Page.GODKENDELSER, status=400 if extra else 200)


@guarded(Page.GODKENDELSER)
async def godkendelser_page(request: web.Request, who: SignedIn) -> web.StreamResponse:
    return await _godkendelser(request, who)


@guarded(Page.GODKENDELSER, post=True)
async def decide_many(request: web.Request, who: SignedIn, form: MultiDictProxy[Any]) -> web.StreamResponse:
    """Recommend/approve (or send back) every ticked entry with one comment: one unit of work, each entry through
    domain.workflow.decide_on as the person saw it (its version), exactly as a click on its card would."""
    tab = request.app[TAB]
    comment = form.get("kommentar")
    comment = comment[:MAX_COMMENT] if isinstance(comment, str) else ""
    send_back = form.get("handling") == "tilbage"
    picked: list[tuple[int, int]] = []
    for value in form.getall("entry", []):
        raw_id, _, raw_version = str(value).partition(":")
        if raw_id.isdigit() and raw_version.isdigit() and len(raw_id) < 10 and len(raw_version) < 10:
            picked.append((int(raw_id), int(raw_version)))
    if not picked:
        return await _godkendelser(request, who, problem=texts.TAB_GODK_NONE, comment=comment)
    if send_back and not comment.strip():
        return await _godkendelser(request, who, problem=texts.TAB_GODK_COMMENT_REQUIRED, comment=comment)
    done, already, refused = 0, 0, 0
    notification_ids: list[int] = []
    async with tab.sessionmaker.begin() as db:
        for entry_id, version in picked:
            entry = await repo.get_entry(db, entry_id)
            if entry is None:
                refused += 1
                continue
            policy = await policy_of(db, entry, who.actor)
            forward = next((a for a in policy.decisions if a in (Action.RECOMMEND, Action.APPROVE)), None)
            action = Action.SEND_BACK if send_back else forward
            if not policy.may_see or action is None or action not in policy.decisions:
                if entry.version != version and policy.may_see:
                    already += 1
                else:
                    refused += 1
                continue
            try:
                decided = await decide_on(
                    db,
                    actor=who.actor,
                    entry_id=entry_id,
                    action=action,
                    seen_version=version,
                    comment=comment,
                    loaded=entry,
                )
            except (NotAllowed, NotFound):
                refused += 1
                continue
            if decided.result is Result.NEW:
                done += 1
                notification_ids += await notify_after(db, decided.entry, actor_id=who.actor.person_id)
            elif decided.result is Result.ALREADY_DECIDED:
                already += 1
            else:
                done += 1  # a repeat of this person's own decision: it stands
    tab.notify(notification_ids)
    log.info("tab decisions by person %s: %s done, %s already, %s refused", who.actor.person_id, done, already, refused)
    counts = {"back_done" if send_back else "done": done, "already": already, "refused": refused}
    raise back_to("/tab/godkendelser", {}, **counts)


def _action_label(decision: DecisionView) -> str:
    if decision.action is Action.RECORD_OUTCOME and decision.to_status in texts.OUTCOME_LABELS:
        label = texts.OUTCOME_LABELS[decision.to_status].format(forum=decision.forum)
        return f"{label}, {danish.date(decision.occurred_on)}" if decision.occurred_on else label
    return texts.ACTION_LABELS.get(decision.action, decision.action.value)


def _history(
    request: web.Request,
    who: SignedIn,
    seen: Any,
    *,
    status: int = 200,
    problem: str | None = None,
    values: Mapping[str, Any] | None = None,
) -> web.Response:
    view = seen.view
    typed = values or {}
    return page(
        request,
        "historik.html",
        {
            "title": texts.TAB_GODK_HISTORY_TITLE.format(kind=texts.KIND_LABELS[view.kind], id=view.id),
            "view": view,
            "action_label": _action_label,
            "correctable": _correctable(view, seen.policy),
            "wording": typed.get("tegn", view.data.get("tegn", "")),
            "comment": typed.get("kommentar", ""),
            "problem": problem,
        },
        who=who,
        current=Page.GODKENDELSER,
        status=status,
    )


@guarded(Page.GODKENDELSER)
async def history_page(request: web.Request, who: SignedIn) -> web.StreamResponse:
    [entry_id] = _ints([request.match_info["entry_id"]]) or [0]
    async with request.app[TAB].sessionmaker() as db:
        entry = await repo.get_entry(db, entry_id)
        seen = await viewed(db, entry, who.actor) if entry is not None else None
    if seen is None:
        return message(request, texts.TAB_GODK_TITLE, texts.TAB_NOT_FOUND, who=who, status=404)
    if not seen.policy.may_see:
        return refuse(request, who, f"history of entry {entry_id}")
    return _history(request, who, seen)


# --- Overblik ---------------------------------------------------------------------------------------------------


def heat(count: int, most: int) -> int:
    """The heat map's shade, 0 (none: missing) to 4 (the fullest cell)."""
    if count <= 0:
        return 0
    return max(1, min(4, -(-4 * count // max(most, 1))))


@guarded(Page.OVERBLIK)
async def overblik_page(request: web.Request, who: SignedIn) -> web.StreamResponse:
    tab = request.app[TAB]
    scope = overview_scope(who.actor)
    keys = tab.settings.EKSEMPEL_DEADLINE_KEYS
    today = clock.today()
    async with tab.sessionmaker() as db:
        found = await overview.indsamler_overview(db, deadline_keys=keys, today=today)
        afdelinger = [
            a for a in found.afdelinger if scope.role is OverviewRole.INDSAMLER or a.afdeling_id in scope.unit_ids
        ]
        missing = []
        for coverage in afdelinger:
            if coverage.units_sent < coverage.units:
                detail = await overview.afdeling_detail(db, coverage.afdeling_id, deadline_keys=keys, today=today)
                if detail is not None:
                    missing += [(detail.name, unit) for unit in detail.missing]
    most = max((c.received for c in found.cells), default=0)
    deadline = found.deadline
    deadline_text = ""
    if deadline is not None:
        template = texts.TAB_OVERBLIK_DEADLINE if deadline.days_left >= 0 else texts.TAB_OVERBLIK_DEADLINE_PASSED
        deadline_text = template.format(title=deadline.title, date=danish.date(deadline.date), days=deadline.days_left)
    reminded = _count(request.query, "reminded")
    notice = None
    if "reminded" in request.query:
        notice = (
            texts.OVERSIGT_REMINDED_ONE
            if reminded == 1
            else texts.OVERSIGT_REMINDED.format(count=reminded)
            if reminded
            else texts.OVERSIGT_REMINDED_NONE
        )
    return page(
        request,
        "overblik.html",
        {
            "title": texts.TAB_OVERBLIK_TITLE,
            "cells": {(c.tema, c.niveau): c for c in found.cells},
            "heat": lambda count: heat(count, most),
            "afdelinger": afdelinger,
            "missing": missing,
            "deadline": deadline,
            "deadline_text": deadline_text,
            "may_remind": scope.may_remind,
            "notice": notice,
        },
        who=who,
        current=Page.OVERBLIK,
    )


@guarded(Page.OVERBLIK, post=True)
async def send_reminder(request: web.Request, who: SignedIn, form: MultiDictProxy[Any]) -> web.StreamResponse:
    """»Send påmindelse« for one missing unit, or all: through domain.reminders.remind_now, once a day per unit."""
    tab = request.app[TAB]
    scope = overview_scope(who.actor)
    if not scope.may_remind:
        return refuse(request, who, "reminders")
    units = _ints([str(form.get("enhed", ""))]) or None
    async with tab.sessionmaker.begin() as db:
        deadline = await overview.current_deadline(db, tab.settings.EKSEMPEL_DEADLINE_KEYS, clock.today())
        if deadline is None:
            done = reminders.Reminded(0, (), 0)
        else:
            done = await reminders.remind_now(
                db, scope=scope, actor_id=who.actor.person_id, deadline=deadline, unit_ids=units
            )
    tab.send_outbox(list(done.message_ids))
    raise web.HTTPSeeOther(f"/tab/overblik?reminded={done.units}")


__all__ = ["TAB", "Tab"]


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
    async with request.app[TAB].sessionmaker() as db:
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


# --- A chef corrects a tegn's wording before »indarbejdet« ----------------------------------------------------


def _correctable(view: Any, policy: Any) -> bool:
    """A tegn at its last stage, with this person to approve it (the chef): its wording may be corrected."""
    return view.kind is EntryKind.TEGN and Action.APPROVE in policy.decisions


@guarded(Page.GODKENDELSER, post=True)
async def correct_and_approve(request: web.Request, who: SignedIn, form: MultiDictProxy[Any]) -> web.StreamResponse:
    """Approve a tegn with corrected wording: through decide_on with the new data, one unit of work; the original
    wording goes into the decision's comment, so it stays in the history."""
    tab = request.app[TAB]
    [entry_id] = _ints([request.match_info["entry_id"]]) or [0]
    raw_version, wording, comment = form.get("version"), form.get("tegn"), form.get("kommentar")
    version = (
        int(raw_version) if isinstance(raw_version, str) and raw_version.isdigit() and len(raw_version) < 10 else -1
    )
    wording = wording if isinstance(wording, str) else ""
    comment = comment[:MAX_COMMENT] if isinstance(comment, str) else ""
    notification_ids: list[int] = []
    async with tab.sessionmaker.begin() as db:
        entry = await repo.get_entry(db, entry_id)
        if entry is None:
            return message(request, texts.TAB_GODK_TITLE, texts.TAB_NOT_FOUND, who=who, status=404)
        seen = await viewed(db, entry, who.actor)
        if not seen.policy.may_see or not _correctable(seen.view, seen.policy):
            return refuse(request, who, f"correcting entry {entry_id}")
        original = str(entry.data.get("tegn", ""))
        try:
            corrected = TegnData.model_validate({**entry.data, "tegn": wording})
        except ValidationError:
            return _history(request, who, seen, status=400, problem=texts.TAB_GODK_CORRECT_INVALID, values=form)
        changed = corrected.tegn != original
        note = texts.TAB_GODK_CORRECTED.format(original=original) if changed else ""
        decided = await decide_on(
            db,
            actor=who.actor,
            entry_id=entry_id,
            action=Action.APPROVE,
            seen_version=version,
            comment=" ".join(part for part in (comment.strip(), note) if part),
            new_data=corrected if changed else None,
            loaded=entry,
        )
        if decided.result is Result.NEW:
            notification_ids = await notify_after(db, decided.entry, actor_id=who.actor.person_id)
    tab.notify(notification_ids)
    log.info("tab: entry %s approved by person %s (wording corrected: %s)", entry_id, who.actor.person_id, changed)
    counts = {"done": 1} if decided.result is not Result.ALREADY_DECIDED else {"already": 1}
    raise back_to("/tab/godkendelser", {}, **counts)
