"""Runs one benchmark target as its own process: `python -m bench.serve TARGET --database-url URL [--port N]`.

It listens on 127.0.0.1 only, prints `listening <port>` on stdout once it accepts requests, and stops on
SIGTERM, SIGINT or when its stdin closes (so it never outlives the benchmark that started it).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys

from aiohttp import web

ECHO = "echo"
ECHO_CACHED = "echo-cached"
STYRINGSBOT_NOCACHE = "styringsbot-nocache"
STYRINGSBOT = "styringsbot"
TARGETS = (ECHO, ECHO_CACHED, STYRINGSBOT_NOCACHE, STYRINGSBOT)
# The baselines every scenario is compared with, measured in the same run.
BASELINES = (ECHO, ECHO_CACHED)


def build_app(target: str, database_url: str) -> web.Application:
    # Imported here, so that the echo bot's process loads only what the stock sample loads.
    if target == ECHO:
        from bench.echo_bot import create_echo_app

        return create_echo_app()
    if target == ECHO_CACHED:
        from bench.echo_bot import create_cached_echo_app

        return create_cached_echo_app()

    from app import create_app
    from bot.settings import Settings

    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        DATABASE_URL=database_url,
        APP_ID="",
        ALLOWED_TENANT_IDS=["tenant-albertslund"],
        LOG_LEVEL="WARNING",
    )
    # styringsbot-nocache keeps botbuilder's stock per-turn ConnectorClient creation: the caching's baseline.
    return create_app(settings, cache_clients=target == STYRINGSBOT)


async def _stdin_closed() -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while await reader.read(4096):
        pass


async def serve(target: str, database_url: str, port: int) -> None:
    # A short shutdown_timeout: if the benchmark dies mid-run, turns in flight must not keep this process alive.
    runner = web.AppRunner(build_app(target, database_url), access_log=None, shutdown_timeout=2.0)
    await runner.setup()
    try:
        site = web.TCPSite(runner, "127.0.0.1", port, backlog=1024)
        await site.start()
        bound = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        print(f"listening {bound}", flush=True)

        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        watcher = asyncio.create_task(_stdin_closed())
        watcher.add_done_callback(lambda _task: stop.set())
        await stop.wait()
        watcher.cancel()
    finally:
        await runner.cleanup()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.serve", description=__doc__)
    parser.add_argument("target", choices=TARGETS)
    parser.add_argument("--database-url", required=True, help="a migrated database (unused by the echo bots)")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port (printed on stdout)")
    args = parser.parse_args(argv)
    # Warnings only, as in a quiet production log: an INFO line per turn would measure log I/O, not the bot.
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    asyncio.run(serve(args.target, args.database_url, args.port))


if __name__ == "__main__":
    main()
