"""What the tab's pages share, and signing in. Each handler (web/eksempler.py, web/godkendelser.py,
web/overblik.py) reads the same way: who is signed in, may they see this page, parse the request, one unit of work
through a domain function, then a page (or a redirect back to it).

Every POST carries the session's CSRF token (checked before anything is read or written); a bad value in a query
string or form gets the page with a Danish message, never a 500.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import aiohttp_jinja2
from aiohttp import web
from multidict import MultiDictProxy
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.settings import Settings
from cards import texts
from domain import workbench
from domain.actor import Actor
from domain.people import identify
from domain.workbench import Page
from storage import repo
from storage import workbench as store
from web.auth import COOKIE, CSRF_FIELD, CSRF_HEADER, Session, Sessions, Unauthenticated, csrf_ok, validate_token
from web.keys import SigningKeys

log = logging.getLogger(__name__)

# A comment longer than this is cut (the chat's cards allow the same).
MAX_COMMENT = 2000
# Query parameters that carry the outcome of the last action back to the page (never free text).
NOTICE_PARAMS = ("done", "same", "refused", "fejl", "back_done", "already", "reminded", "none")


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
    pairs = [(k, v) for k, v in (query.items() if isinstance(query, Mapping) else query) if k not in NOTICE_PARAMS]
    pairs += [(k, str(v)) for k, v in notice.items() if v]
    return web.HTTPSeeOther(f"{path}?{urlencode(pairs)}" if pairs else path)


def ints(values: Sequence[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit() and len(v) < 10]


def number_param(query: Mapping[str, str], key: str) -> int:
    value = query.get(key, "")
    return int(value) if value.isdigit() and len(value) < 7 else 0


# --- Who is signed in ---------------------------------------------------------------------------------------------


# The read session of a GET request: the one the person was signed in with, shared with the page (`reading`).
_READING = web.RequestKey("tab_reading", AsyncSession)


@asynccontextmanager
async def reading(request: web.Request) -> AsyncIterator[AsyncSession]:
    """A session to read the page's data in: the request's own (one session a page, the person signed in with
    it), or a new one outside a guarded GET."""
    shared = request.get(_READING)
    if shared is not None:
        yield shared
        return
    async with request.app[TAB].sessionmaker() as db:
        yield db


async def signed_in(request: web.Request) -> SignedIn:
    """The person behind the session cookie, with their current roles; Unauthenticated otherwise."""
    tab = request.app[TAB]
    session = tab.sessions.read(request.cookies.get(COOKIE))
    async with reading(request) as db:
        person = await store.signed_in_person(db, session.person_id)
    if person is None:
        raise Unauthenticated("person no longer exists")
    actor = Actor(person.person_id, person.display_name, person.unit_id, person.roles)
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
            if post:
                return await checked(request)
            # A page reads in one session, from who is signed in to its data (reading).
            async with request.app[TAB].sessionmaker() as db:
                request[_READING] = db
                try:
                    return await checked(request)
                finally:
                    del request[_READING]

        async def checked(request: web.Request) -> web.StreamResponse:
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
