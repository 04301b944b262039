"""The baseline: Microsoft's stock echo bot sample (samples/python/02.echo-bot), CloudAdapter as shipped.

It follows the sample line for line (config class, EchoBot, on_error, `adapter.process`, the error middleware);
the only change is that the module globals live in `create_echo_app`, so the benchmark can build it.
https://github.com/microsoft/BotBuilder-Samples/tree/main/samples/python/02.echo-bot
"""

from __future__ import annotations

import sys
import traceback
from datetime import UTC, datetime

from aiohttp import web
from aiohttp.web import Request, Response
from botbuilder.core import ActivityHandler, MessageFactory, TurnContext
from botbuilder.core.integration import aiohttp_error_middleware
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount


class DefaultConfig:
    """Bot configuration, as in the sample's config.py (no app id: the connector on loopback needs no token)."""

    PORT = 3978
    APP_ID = ""
    APP_PASSWORD = ""
    APP_TYPE = "MultiTenant"
    APP_TENANTID = ""


class EchoBot(ActivityHandler):
    async def on_members_added_activity(self, members_added: list[ChannelAccount], turn_context: TurnContext) -> None:
        for member in members_added:
            if member.id != turn_context.activity.recipient.id:
                await turn_context.send_activity("Hello and welcome!")

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        await turn_context.send_activity(MessageFactory.text(f"Echo: {turn_context.activity.text}"))


def create_echo_app(config: DefaultConfig | None = None) -> web.Application:
    """The sample's app.py, with its globals made local."""
    config = config or DefaultConfig()
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(config))

    async def on_error(context: TurnContext, error: Exception) -> None:
        print(f"\n [on_turn_error] unhandled error: {error}", file=sys.stderr)
        traceback.print_exc()
        await context.send_activity("The bot encountered an error or bug.")
        await context.send_activity("To continue to run this bot, please fix the bot source code.")
        if context.activity.channel_id == "emulator":
            trace_activity = Activity(
                label="TurnError",
                name="on_turn_error Trace",
                timestamp=datetime.now(UTC),
                type=ActivityTypes.trace,
                value=f"{error}",
                value_type="https://www.botframework.com/schemas/error",
            )
            await context.send_activity(trace_activity)

    adapter.on_turn_error = on_error
    bot = EchoBot()

    async def messages(req: Request) -> Response:
        response = await adapter.process(req, bot)
        assert response is not None  # process() returns None only for web socket upgrades
        return response

    app = web.Application(middlewares=[aiohttp_error_middleware])
    app.router.add_post("/api/messages", messages)
    return app


def create_cached_echo_app() -> web.Application:
    """The floor: the sample's EchoBot on this project's adapter (client cache, `process_request`), no middleware.

    What botbuilder itself costs per turn once its per-turn client creation is gone, and whatever else
    bot/platform/ changes for every turn: the same adapter as Styringsbot's, minus the database and cards.
    """
    from bot.platform.http import create_adapter, process_request
    from bot.settings import Settings

    settings = Settings(_env_file=None, APP_ID="", ALLOWED_TENANT_IDS=["tenant-albertslund"])  # type: ignore[call-arg]
    adapter, auth = create_adapter(settings, tenant_check=False)
    bot = EchoBot()

    async def messages(req: Request) -> Response:
        return await process_request(req, adapter, auth, bot)

    async def close_clients(_app: web.Application) -> None:
        await auth.close()

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    app.on_cleanup.append(close_clients)
    return app
