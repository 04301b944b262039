"""Signed, short-lived download links for every export, and their download, served by the bot itself.

A link names what it exports (one målplan, every eksempel, or Chefforum's workbook across målplaner) and the person
it was made for, is signed with EXPORT_SIGNING_KEY (one salt per kind, so a link of one kind never opens another) and
expires after
EXPORT_LINK_TTL_SECONDS. Every request checks the person's right again. A link is a bearer credential while it
lives, so its download is bounded:

- the workbook is built once per link and kept (`WorkbookCache`: a few, least recently used out, each dropped
  when its link expires), so repeating a GET costs a rights check and no build;
- HEAD is answered from the rights check alone, never by building;
- a link answers at most EXPORT_DOWNLOADS_PER_MINUTE requests in any minute (`LinkRateLimit`), then 429 with a
  Danish body and Retry-After. The limit and the cache are per process: with several instances behind a load
  balancer a link gets the limit on each.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import logging
import math
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import Enum
from urllib.parse import quote

from aiohttp import hdrs, web
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.settings import Settings
from cards import texts
from cards.plakat import plakat_filename, plakat_html, plakat_pdf
from cards.workbooks import chefforum_workbook, eksempel_workbook, maalplan_workbook
from core.vocabulary import Role
from domain import clock, plan_a
from domain.actor import Actor
from domain.eksempel_export import eksempel_export
from domain.export import allowed_maalplaner, chefforum_export, maalplan_export
from domain.policy import works_the_selection
from storage import repo

log = logging.getLogger(__name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


class Kind(Enum):
    """What a link exports: its salt and its path under PUBLIC_BASE_URL."""

    MAALPLAN = ("styringsbot-export-v1", "/exports/{token}")
    EKSEMPLER = ("styringsbot-eksempel-export-v1", "/exports/eksempler/{token}")
    # Chefforum's workbook across målplaner (issue 20), for its members only.
    CHEFFORUM = ("styringsbot-chefforum-export-v1", "/exports/chefforum/{token}")
    # An arbejdsplads's Plan A as its plakat (issue 21): a PDF, A3 landscape, for the unit's people and its chef.
    PLAN_A = ("styringsbot-plan-a-plakat-v1", "/exports/plan-a/{token}")

    def __init__(self, salt: str, path: str):
        self.salt = salt
        self.path = path


@dataclass(frozen=True)
class Link:
    """A valid link's content: who it was made for, which målplan (MAALPLAN only), and when it stops working."""

    kind: Kind
    person_id: int
    maalplan_id: int | None
    expires: dt.datetime
    unit_id: int | None = None  # PLAN_A only


class _ClockSigner(TimestampSigner):
    """Signs and checks ages with the domain clock, so tests can let a link expire without waiting."""

    def get_timestamp(self) -> int:
        return int(clock.now().timestamp())


def _serializer(settings: Settings, kind: Kind) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings.EXPORT_SIGNING_KEY, salt=kind.salt, signer=_ClockSigner)


def _url(settings: Settings, kind: Kind, data: dict[str, int]) -> str:
    token = _serializer(settings, kind).dumps(data)
    return settings.PUBLIC_BASE_URL + kind.path.format(token=token)


def link(settings: Settings, *, maalplan_id: int, person_id: int) -> str:
    """A download link for one målplan's export, for this person."""
    return _url(settings, Kind.MAALPLAN, {"m": maalplan_id, "p": person_id})


def eksempel_link(settings: Settings, *, person_id: int) -> str:
    """A download link for the export of every eksempel, for this person (an indsamler)."""
    return _url(settings, Kind.EKSEMPLER, {"p": person_id})


def chefforum_link(settings: Settings, *, person_id: int) -> str:
    return _url(settings, Kind.CHEFFORUM, {"p": person_id})


def plan_a_link(settings: Settings, *, unit_id: int, person_id: int) -> str:
    """A link to the unit's plakat, for this person (the page checks again that they may read the Plan A)."""
    return _url(settings, Kind.PLAN_A, {"u": unit_id, "p": person_id})


def read_link(settings: Settings, kind: Kind, token: str) -> Link:
    """The link's content when the token is valid and unexpired; ValueError otherwise."""
    ttl = settings.EXPORT_LINK_TTL_SECONDS
    try:
        data, signed = _serializer(settings, kind).loads(token, max_age=ttl, return_timestamp=True)
    except SignatureExpired:
        raise ValueError("expired") from None
    except BadSignature:
        raise ValueError("bad signature") from None
    if not isinstance(data, dict) or type(data.get("p")) is not int:
        raise ValueError("bad payload")
    maalplan_id = data.get("m")
    if kind is Kind.MAALPLAN and type(maalplan_id) is not int:
        raise ValueError("bad payload")
    unit_id = data.get("u")
    if kind is Kind.PLAN_A and type(unit_id) is not int:
        raise ValueError("bad payload")
    expires = signed + dt.timedelta(seconds=ttl)
    return Link(
        kind,
        data["p"],
        maalplan_id if kind is Kind.MAALPLAN else None,
        expires,
        unit_id if kind is Kind.PLAN_A else None,
    )


def read(settings: Settings, token: str) -> tuple[int, int]:
    """(målplan id, person id) from a valid, unexpired målplan token; ValueError otherwise."""
    found = read_link(settings, Kind.MAALPLAN, token)
    assert found.maalplan_id is not None
    return found.maalplan_id, found.person_id


# --- The download's bounds -----------------------------------------------------------------------------------


Workbook = tuple[str, bytes]  # file name, .xlsx bytes


class WorkbookCache:
    """Built workbooks by link token: at most `max_entries` and `max_bytes`, least recently used out first,
    each dropped when its link expires. Concurrent requests for a link not yet built wait for one build."""

    def __init__(self, *, max_entries: int = 16, max_bytes: int = 64 * 2**20):
        self._max_entries = max_entries
        self._max_bytes = max_bytes
        self._entries: OrderedDict[str, tuple[dt.datetime, Workbook]] = OrderedDict()
        self._building: dict[str, asyncio.Future[Workbook]] = {}
        self.builds = 0  # how many workbooks were built (the tests count them)

    def _expire(self) -> None:
        now = clock.now()
        for token in [t for t, (expires, _) in self._entries.items() if expires <= now]:
            del self._entries[token]

    def peek(self, token: str) -> Workbook | None:
        self._expire()
        entry = self._entries.get(token)
        return entry[1] if entry is not None else None

    async def get(self, token: str, expires: dt.datetime, build: Callable[[], Awaitable[Workbook]]) -> Workbook:
        cached = self.peek(token)
        if cached is not None:
            self._entries.move_to_end(token)
            return cached
        building = self._building.get(token)
        if building is None:
            building = self._building[token] = asyncio.ensure_future(self._build(token, expires, build))
        return await asyncio.shield(building)

    async def _build(self, token: str, expires: dt.datetime, build: Callable[[], Awaitable[Workbook]]) -> Workbook:
        try:
            self.builds += 1
            workbook = await build()
            if len(workbook[1]) <= self._max_bytes:
                self._entries[token] = (expires, workbook)
                while len(self._entries) > self._max_entries or self._size() > self._max_bytes:
                    self._entries.popitem(last=False)
            return workbook
        finally:
            del self._building[token]

    def _size(self) -> int:
        return sum(len(content) for _, (_, content) in self._entries.values())


class LinkRateLimit:
    """At most `per_minute` requests for one link in any 60 seconds. A link is forgotten when it expires, and
    at most `max_links` are remembered (only valid links are counted, so only people the bot knows fill it)."""

    WINDOW = dt.timedelta(minutes=1)

    def __init__(self, per_minute: int, *, max_links: int = 4096):
        self._per_minute = per_minute
        self._max_links = max_links
        self._hits: OrderedDict[str, tuple[dt.datetime, deque[dt.datetime]]] = OrderedDict()
        self._limited: set[str] = set()  # links refused since their last allowed request (logged once)

    def retry_after(self, token: str, expires: dt.datetime) -> tuple[int, bool] | None:
        """None, and the request counted, when the link may be used now; else the seconds until it may, and
        whether this is the first refusal since the link was last allowed (so that a flood logs one line)."""
        now = clock.now()
        for known in [t for t, (until, _) in self._hits.items() if until <= now]:
            del self._hits[known]
            self._limited.discard(known)
        _, hits = self._hits.setdefault(token, (expires, deque()))
        self._hits.move_to_end(token)
        while hits and hits[0] <= now - self.WINDOW:
            hits.popleft()
        if len(hits) >= self._per_minute:
            first = token not in self._limited
            self._limited.add(token)
            return max(1, math.ceil((hits[0] + self.WINDOW - now).total_seconds())), first
        self._limited.discard(token)
        hits.append(now)
        while len(self._hits) > self._max_links:
            forgotten, _ = self._hits.popitem(last=False)
            self._limited.discard(forgotten)
        return None


# --- The download ------------------------------------------------------------------------------------------


def _refused(text: str = texts.EXPORT_LINK_INVALID) -> web.Response:
    return web.Response(status=403, text=text, content_type="text/plain", charset="utf-8")


def _too_many(retry_after: int) -> web.Response:
    return web.Response(
        status=429,
        text=texts.EXPORT_LINK_RATE_LIMITED,
        content_type="text/plain",
        charset="utf-8",
        headers={hdrs.RETRY_AFTER: str(retry_after)},
    )


def _disposition(fallback: str, filename: str | None) -> str:
    if filename is None:
        return f'attachment; filename="{fallback}"'
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


class Downloads:
    """GET and HEAD of both kinds of link, with one cache and one rate limit (built once in `create_app`)."""

    def __init__(self, settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]):
        self._settings = settings
        self._sessionmaker = sessionmaker
        self.cache = WorkbookCache()
        self.limit = LinkRateLimit(settings.EXPORT_DOWNLOADS_PER_MINUTE)

    async def maalplan(self, request: web.Request) -> web.Response:
        return await self._serve(request, Kind.MAALPLAN)

    async def eksempler(self, request: web.Request) -> web.Response:
        return await self._serve(request, Kind.EKSEMPLER)

    async def chefforum(self, request: web.Request) -> web.Response:
        return await self._serve(request, Kind.CHEFFORUM)

    async def plan_a(self, request: web.Request) -> web.Response:
        """The plakat as a PDF, after the same checks as a workbook. It is built once per link and content (the
        cache is keyed by the token and a digest of the page), so an edit shows in the next download while a
        repeated GET costs no layout."""
        token = request.match_info["token"]
        try:
            found = read_link(self._settings, Kind.PLAN_A, token)
        except ValueError as problem:
            log.warning("plan a link refused: %s", problem)
            return _refused(texts.PLAKAT_LINK_INVALID)
        limited = self.limit.retry_after(token, found.expires)
        if limited is not None:
            return _too_many(limited[0])
        assert found.unit_id is not None
        async with self._sessionmaker() as session:
            person = await repo.person_by_id(session, found.person_id)
            if person is None or not (await plan_a.rights_for(session, Actor.of(person), found.unit_id)).may_read:
                log.warning("plan a link refused: person %s may not read unit %s", found.person_id, found.unit_id)
                return _refused(texts.PLAKAT_LINK_INVALID)
            view = await plan_a.view(session, found.unit_id)
        if view is None:
            return _refused(texts.PLAKAT_LINK_INVALID)
        fallback = f"plan-a-{found.unit_id}.pdf"
        headers = {
            hdrs.CONTENT_DISPOSITION: _disposition(fallback, plakat_filename(view)),
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
        }
        if request.method == hdrs.METH_HEAD:
            return web.Response(content_type=PDF, headers=headers)
        printed = clock.today()
        page = plakat_html(view=view, printed=printed)
        key = f"{token}#{hashlib.sha256(page.encode()).hexdigest()}"

        async def build() -> Workbook:
            content, size = await asyncio.to_thread(plakat_pdf, view=view, printed=printed)
            log.info("plan a plakat of unit %s built at %s pt (%s bytes)", found.unit_id, size, len(content))
            return plakat_filename(view), content

        try:
            _, content = await self.cache.get(key, found.expires, build)
        except Exception as problem:  # the renderer or its libraries (Pango); the message may quote the Plan A
            log.error("plan a plakat of unit %s could not be made: %s", found.unit_id, type(problem).__name__)
            return web.Response(status=503, text=texts.PLAKAT_UNAVAILABLE, content_type="text/plain", charset="utf-8")
        log.info("plan a plakat of unit %s downloaded by person %s", found.unit_id, found.person_id)
        return web.Response(body=content, content_type=PDF, headers=headers)

    async def _allowed(self, session: AsyncSession, found: Link) -> bool:
        person = await repo.person_by_id(session, found.person_id)
        if person is None:
            return False
        actor = Actor.of(person)
        if found.kind is Kind.EKSEMPLER:
            return works_the_selection(actor)
        if found.kind is Kind.CHEFFORUM:
            return actor.has_role(Role.CHEFFORUM)
        return found.maalplan_id in {p.id for p in await allowed_maalplaner(session, actor.roles)}

    async def _build(self, found: Link) -> Workbook:
        async with self._sessionmaker() as session:
            if found.kind is Kind.EKSEMPLER:
                eksempler = await eksempel_export(session)
                log.info("eksempel export built: %s rows", len(eksempler.eksempler))
                return await asyncio.to_thread(eksempel_workbook, eksempler)
            if found.kind is Kind.CHEFFORUM:
                return await asyncio.to_thread(chefforum_workbook, await chefforum_export(session))
            assert found.maalplan_id is not None
            plan = await maalplan_export(session, found.maalplan_id)
        return await asyncio.to_thread(maalplan_workbook, plan)

    async def _serve(self, request: web.Request, kind: Kind) -> web.Response:
        token = request.match_info["token"]
        try:
            found = read_link(self._settings, kind, token)
        except ValueError as problem:
            log.warning("%s export link refused: %s", kind.name.lower(), problem)
            return _refused()
        limited = self.limit.retry_after(token, found.expires)
        if limited is not None:
            retry_after, first = limited
            if first:
                log.warning("%s export link of person %s: too many requests", kind.name.lower(), found.person_id)
            return _too_many(retry_after)
        async with self._sessionmaker() as session:
            if not await self._allowed(session, found):
                log.warning(
                    "%s export link refused: person %s may not export %s",
                    kind.name.lower(),
                    found.person_id,
                    found.maalplan_id if kind is Kind.MAALPLAN else "the eksempler",
                )
                return _refused()
        fallback = {Kind.MAALPLAN: f"maalplan-{found.maalplan_id}.xlsx", Kind.EKSEMPLER: "eksempler.xlsx"}.get(
            kind, "chefforum.xlsx"
        )
        if request.method == hdrs.METH_HEAD:
            # What a GET would answer, without building: the size and the file's own name only when cached.
            cached = self.cache.peek(token)
            headers = {hdrs.CONTENT_TYPE: XLSX, hdrs.CONTENT_DISPOSITION: _disposition(fallback, None)}
            if cached is not None:
                headers[hdrs.CONTENT_DISPOSITION] = _disposition(fallback, cached[0])
                headers[hdrs.CONTENT_LENGTH] = str(len(cached[1]))
            return web.Response(headers=headers)
        filename, content = await self.cache.get(token, found.expires, lambda: self._build(found))
        log.info("%s export downloaded by person %s", kind.name.lower(), found.person_id)
        headers = {hdrs.CONTENT_DISPOSITION: _disposition(fallback, filename)}
        return web.Response(body=content, content_type=XLSX, headers=headers)


def routes(downloads: Downloads) -> list[web.RouteDef]:
    """GET (and so HEAD) for both kinds of link."""
    return [
        web.get(Kind.EKSEMPLER.path.format(token="{token}"), downloads.eksempler),
        web.get(Kind.CHEFFORUM.path.format(token="{token}"), downloads.chefforum),
        web.get(Kind.PLAN_A.path.format(token="{token}"), downloads.plan_a),
        web.get(Kind.MAALPLAN.path.format(token="{token}"), downloads.maalplan),
    ]
