"""The aiohttp application: /api/messages through botbuilder, health and readiness. No business logic here."""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import logging
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger
from pydantic import ValidationError
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.approvals import render_notification
from bot.export_links import Downloads, routes
from bot.handler import StyringsBot
from bot.notifier import Notifier
from bot.platform.http import create_adapter, process_request
from bot.proactive import ProactiveSender, RetryPolicy
from bot.rounds import RoundUpdater
from bot.scheduler import Outbox, Scheduler, schedule_config
from bot.services import Services
from bot.settings import Settings, explain
from domain.logsafe import escaped
from storage.bot_state import SqlStorage
from storage.db import create_engine, create_sessionmaker
from web import setup as setup_tab

log = logging.getLogger(__name__)

SETTINGS = web.AppKey("settings", Settings)
ENGINE = web.AppKey("engine", AsyncEngine)
NOTIFIER = web.AppKey("notifier", Notifier)
SCHEDULER = web.AppKey("scheduler", Scheduler)
ROUNDS = web.AppKey("rounds", RoundUpdater)
DOWNLOADS = web.AppKey("downloads", Downloads)


@dataclass(frozen=True)
class RunOnce:
    """The app's scheduler (its outbox, notifier and sender as `create_app` built them), and how to release what
    the app holds (its HTTP clients, its database pool) when it was used without being served."""

    scheduler: Scheduler
    close: Callable[[], Awaitable[None]]


RUN_ONCE = web.AppKey("run_once", RunOnce)


def create_app(settings: Settings, *, cache_clients: bool = True) -> web.Application:
    """Build the application from settings; every test builds its own."""
    app = web.Application(client_max_size=settings.MAX_REQUEST_BYTES)
    app[SETTINGS] = settings
    adapter, auth = create_adapter(settings, cache_clients=cache_clients)
    engine = create_engine(settings.DATABASE_URL)
    app[ENGINE] = engine
    sessionmaker = create_sessionmaker(engine)
    # The one sender of proactive messages, with Teams' retries: notifications, the outbox and the rounds.
    sender = ProactiveSender(
        adapter,
        app_id=settings.APP_ID,
        policy=RetryPolicy(attempts=settings.NOTIFY_MAX_ATTEMPTS, base_delay=settings.NOTIFY_RETRY_BASE_SECONDS),
    )
    notifier = Notifier(
        sender,
        sessionmaker=sessionmaker,
        render=render_notification,
        claim_seconds=settings.NOTIFY_CLAIM_SECONDS,
        sweep_seconds=settings.NOTIFY_SWEEP_SECONDS,
    )
    app[NOTIFIER] = notifier
    outbox = Outbox(
        sessionmaker,
        notifier,
        schedule_config(settings),
        claim_seconds=settings.NOTIFY_CLAIM_SECONDS,
        tab_link=settings.tab_deep_link,
    )
    scheduler = Scheduler(sessionmaker, outbox, interval_seconds=settings.SCHEDULER_INTERVAL_SECONDS)
    app[SCHEDULER] = scheduler
    rounds = RoundUpdater(
        sender,
        sessionmaker=sessionmaker,
        interval=settings.ROUND_UPDATE_SECONDS,
        max_open=dt.timedelta(hours=settings.ROUND_AUTO_CLOSE_HOURS),
    )
    app[ROUNDS] = rounds

    async def close() -> None:
        await auth.close()
        await engine.dispose()

    # `python -m cli due` runs this scheduler once, without serving, and then closes what the app holds.
    app[RUN_ONCE] = RunOnce(scheduler, close)
    services = Services(settings=settings, notifier=notifier, sender=sender, outbox=outbox, rounds=rounds)
    bot = StyringsBot(sessionmaker=sessionmaker, storage=SqlStorage(sessionmaker), services=services)

    async def lifecycle(app: web.Application) -> AsyncIterator[None]:
        notifier.start()
        # Reminders and digests: the scheduler runs in this process while the app runs.
        if settings.SCHEDULER_ENABLED:
            scheduler.start()
        # Rounds left open too long are closed (and their starters told) by a periodic sweep.
        sweeper = (
            asyncio.ensure_future(rounds.sweep_forever(settings.ROUND_SWEEP_SECONDS))
            if settings.ROUND_SWEEP_SECONDS > 0
            else None
        )
        yield
        if sweeper is not None:
            sweeper.cancel()
        await scheduler.stop()
        await notifier.stop()
        await rounds.drain()
        await notifier.drain()
        await close()

    app.cleanup_ctx.append(lifecycle)

    async def messages(request: web.Request) -> web.Response:
        return await process_request(request, adapter, auth, bot)

    async def healthz(_request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def readyz(request: web.Request) -> web.Response:
        try:
            async with request.app[ENGINE].connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception as error:
            log.warning("readiness check failed: %s", type(error).__name__)
            return web.json_response({"status": "database unavailable"}, status=503)
        return web.json_response({"status": "ready"})

    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app[DOWNLOADS] = downloads = Downloads(settings, sessionmaker)
    app.router.add_routes(routes(downloads))
    # The workbench tab »Arbejdsbord« and the grundlag on the web (web/).
    setup_tab(app, settings=settings, sessionmaker=sessionmaker, notify=notifier.schedule, send_outbox=outbox.schedule)
    return app


class AccessLogger(AbstractAccessLogger):
    """One line per request, without the export tokens (a download link is a credential while it lives).

    The path is percent-decoded and not yet authenticated: it is written escaped and truncated
    (domain.logsafe), so that `%0A` cannot forge a line, ESC cannot reach a terminal, and a long path cannot
    flood the log. The method needs no escaping: aiohttp's parser accepts only token characters there.
    """

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        path = request.path
        if path.startswith("/exports/"):
            path = "/exports/…"
        self.logger.info("%s %s %s %.1f ms", request.method, escaped(path), response.status, time * 1000)


def main() -> None:
    try:
        settings = Settings()
    except ValidationError as error:
        print(f"Styringsbot cannot start: {explain(error)}", file=sys.stderr)
        sys.exit(2)
    logging.basicConfig(level=settings.LOG_LEVEL, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = create_app(settings)
    # Everything imported and built so far lives as long as the process: move it out of the collector's sight, so
    # that a full collection scans what requests made (25,000 objects, 13 ms) and not every module of botbuilder,
    # SQLAlchemy and pydantic as well (240,000, 115 ms: the tab's slowest answers). Such objects are still freed by
    # reference counting. https://docs.python.org/3/library/gc.html#gc.freeze
    gc.freeze()
    web.run_app(app, host=settings.HOST, port=settings.PORT, print=None, access_log_class=AccessLogger)


if __name__ == "__main__":
    main()
