"""The workbench tab »Arbejdsbord« (a Teams personal tab) and the grundlag on the web, served by the bot's app.

`setup` hangs the pages on the aiohttp app: server-rendered Jinja2 with htmx for partial updates (vendored in
web/static/vendor at pinned versions, with their licences; no JS build step), Teams SSO sign-in (web/auth.py),
and the headers Teams needs to frame the pages.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import aiohttp_jinja2
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.settings import Settings
from cards import texts
from web import eksempler, godkendelser, overblik, pages
from web.auth import Sessions
from web.grundlag import render_grundlag
from web.keys import SigningKeys
from web.render import STATIC, configure, loader

log = logging.getLogger(__name__)

# The hosts that may frame the tab, as Microsoft documents them for Teams and the other Microsoft 365 hosts:
# https://learn.microsoft.com/microsoftteams/platform/tabs/how-to/tab-requirements
FRAME_ANCESTORS = (
    "'self'",
    "https://teams.microsoft.com",
    "https://*.teams.microsoft.com",
    "https://*.cloud.microsoft",
    "https://*.microsoft365.com",
    "https://*.office.com",
    "https://outlook.office.com",
    "https://outlook.office365.com",
    "https://outlook-sdf.office.com",
    "https://outlook-sdf.office365.com",
)
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'self'",
        "object-src 'none'",
        f"frame-ancestors {' '.join(FRAME_ANCESTORS)}",
    ]
)
WEB_PATHS = ("/tab", "/grundlag")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def headers_and_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """The tab's security headers, and a Danish page instead of a stack trace for anything unexpected."""
    if not request.path.startswith(WEB_PATHS):
        return await handler(request)
    try:
        response = await handler(request)
    except web.HTTPException as http:
        response = http
        if http.status == 404 and not http.text:
            response = pages.message(request, texts.TAB_NAME, texts.TAB_NOT_FOUND, status=404)
    except Exception as error:
        log.exception("tab: %s %s failed: %s", request.method, request.path, type(error).__name__)
        response = pages.message(request, texts.TAB_NAME, texts.TAB_ERROR, status=500)
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    if not request.path.startswith("/tab/static/"):
        response.headers["Cache-Control"] = "no-store"
    if isinstance(response, web.HTTPException):
        raise response
    return response


def setup(
    app: web.Application,
    *,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    notify: Callable[[list[int]], None],
    send_outbox: Callable[[list[int]], None],
) -> None:
    """Serve the tab (/tab/…) and the grundlag (/grundlag) from `app`."""
    # Templates are compiled once and kept; only in local development does jinja2 look for changed files.
    environment = aiohttp_jinja2.setup(app, loader=loader(), autoescape=True, auto_reload=settings.LOCAL_DEVELOPMENT)
    configure(environment)
    keys = SigningKeys(
        settings.ENTRA_OPENID_METADATA_URL,
        timeout=settings.OPENID_TIMEOUT_SECONDS,
        retry_after=settings.OPENID_RETRY_SECONDS,
    )
    app[pages.TAB] = pages.Tab(settings, sessionmaker, keys, Sessions(settings), notify, send_outbox)
    app.middlewares.append(headers_and_errors)

    async def grundlag(request: web.Request) -> web.Response:
        async with sessionmaker() as session:
            html = await render_grundlag(session, environment, css_href="/tab/static/grundlag.css")
        return web.Response(text=html, content_type="text/html")

    router = app.router
    router.add_get("/grundlag", grundlag)
    router.add_static("/tab/static", STATIC)
    router.add_get("/tab", pages.home)
    router.add_post("/tab/auth", pages.token_sign_in)
    if settings.LOCAL_DEVELOPMENT:
        # Local development only: pick a demo person instead of Teams SSO. Not even routed otherwise.
        router.add_get("/tab/dev-login", pages.dev_login_page)
        router.add_post("/tab/dev-login", pages.dev_login)
    router.add_get("/tab/eksempler", eksempler.eksempler_page)
    router.add_post("/tab/eksempler/vaelg/{entry_id}", eksempler.tick_one)
    router.add_post("/tab/eksempler/vaelg-side", eksempler.tick_page)
    router.add_post("/tab/eksempler/ryd", eksempler.clear_ticks)
    router.add_post("/tab/eksempler/udfald", eksempler.record_outcome)
    router.add_post("/tab/eksempler/film", eksempler.toggle_film)
    router.add_post("/tab/eksempler/forslag", eksempler.toggle_proposal)
    router.add_get("/tab/eksempler/gruppe/{entry_id}", eksempler.group_page)
    router.add_get("/tab/eksempler/excel", eksempler.excel_download)
    router.add_post("/tab/eksempler/excel", eksempler.excel_upload)
    router.add_post("/tab/eksempler/excel/registrer", eksempler.excel_confirm)
    router.add_get("/tab/godkendelser", godkendelser.godkendelser_page)
    router.add_post("/tab/godkendelser", godkendelser.decide_many)
    router.add_get("/tab/godkendelser/{entry_id}", godkendelser.history_page)
    router.add_post("/tab/godkendelser/{entry_id}/ret", godkendelser.correct_and_approve)
    router.add_get("/tab/overblik", overblik.overblik_page)
    router.add_post("/tab/overblik/paamind", overblik.send_reminder)
