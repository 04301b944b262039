"""bot/platform/: the botbuilder workarounds, one module per concern, each module naming the workarounds it holds
(issue 18, "Split bot/adapter.py"). Every numbered workaround is described in exactly one module's docstring, and
nothing imports the old single module any more."""

from __future__ import annotations

import asyncio
import importlib
import logging
import re
from pathlib import Path

import pytest
from aiohttp import ClientSession, web
from aiohttp.test_utils import TestClient, TestServer
from yarl import URL

from app import AccessLogger, create_app
from testkit import activities
from testkit.connector import RecordingConnector
from testkit.login import start_login_endpoint
from tests.conftest import test_settings as settings_for

ROOT = Path(__file__).resolve().parent.parent
MODULES = {
    "bot.platform.auth": {5, 6, 8},
    "bot.platform.tenant": {7},
    "bot.platform.http": {1, 2, 4, 10, 12},
    "bot.platform.errors": {3, 9},
    "bot.platform.wire": {11},
}


def _described(docstring: str) -> set[int]:
    """The workaround numbers a docstring describes: lines that start with "N. "."""
    return {int(n) for n in re.findall(r"^(\d+)\. ", docstring, flags=re.MULTILINE)}


def test_each_module_describes_its_workarounds_and_every_number_is_described_once() -> None:
    seen: list[int] = []
    for name, numbers in MODULES.items():
        docstring = importlib.import_module(name).__doc__ or ""
        assert _described(docstring) == numbers, name
        summary = docstring.splitlines()[0] + docstring.split("\n\n")[0]
        assert all(str(n) in summary for n in numbers), f"{name}'s first paragraph names its workaround numbers"
        seen.extend(numbers)
    assert sorted(seen) == list(range(1, 13))


def test_the_single_adapter_module_is_gone_and_nothing_imports_it() -> None:
    assert not (ROOT / "bot" / "adapter.py").exists()
    importers = [
        path.relative_to(ROOT)
        for folder in ("app.py", "bot", "cli", "bench", "tests", "testkit", "turn", "dialogs")
        for path in ([ROOT / folder] if folder.endswith(".py") else (ROOT / folder).rglob("*.py"))
        if re.search(r"\bbot\.adapter\b|from bot import adapter", path.read_text(encoding="utf-8"))
        and path.name != Path(__file__).name
    ]
    assert importers == []


# --- Row 7: the signing keys through the egress proxy ---------------------------------------------------------

APP_ID = "00000000-0000-4000-8000-00000000b07a"
UNREACHABLE = "http://login.invalid/"  # .invalid never resolves (RFC 6761): only the proxy knows this host


async def _start(app: web.Application) -> tuple[str, web.AppRunner]:
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return f"http://127.0.0.1:{port}/", runner


async def test_a_valid_token_is_accepted_when_the_keys_are_reachable_only_through_the_proxy(
    sqlite_url: str, connector: RecordingConnector, monkeypatch: pytest.MonkeyPatch
) -> None:
    login, login_runner = await start_login_endpoint()
    behind = login.url
    login.url = UNREACHABLE  # the metadata names the key set's URL on the same unreachable host
    proxied: list[str] = []

    async def forward(request: web.Request) -> web.Response:
        # An HTTP proxy gets the absolute URL as the request target; this one knows only the login host.
        proxied.append(str(request.url))
        if request.host != "login.invalid":
            return web.Response(status=502)
        async with ClientSession() as http, http.get(behind + request.rel_url.path_qs.lstrip("/")) as answer:
            return web.Response(body=await answer.read(), status=answer.status, content_type=answer.content_type)

    proxy = web.Application()
    proxy.router.add_route("GET", "/{tail:.*}", forward)
    proxy_url, proxy_runner = await _start(proxy)
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy"):
        monkeypatch.setenv(name, proxy_url)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    settings = settings_for(
        sqlite_url,
        APP_ID=APP_ID,
        APP_PASSWORD="not-used",
        TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL=f"{UNREACHABLE}v1/.well-known/openidconfiguration",
    )
    try:
        async with TestClient(TestServer(create_app(settings))) as client:
            activity = activities.message(connector.url, "")
            activity.update({"type": "messageReaction", "reactionsAdded": [{"type": "like"}]})
            token = login.token(app_id=APP_ID, service_url=connector.url)
            response = await client.post("/api/messages", json=activity, headers={"Authorization": f"Bearer {token}"})
            assert response.status == 201, "a valid token is accepted, not 503"
        assert proxied == [f"{UNREACHABLE}v1/.well-known/openidconfiguration", f"{UNREACHABLE}keys"]
        assert login.requests == 2
    finally:
        login.release()
        await proxy_runner.cleanup()
        await login_runner.cleanup()


# --- Row 8: the access log ------------------------------------------------------------------------------------


async def _access_lines(sqlite_url: str, path: str, caplog: pytest.LogCaptureFixture) -> list[str]:
    """GET the path from the real app with the access logger `python -m app` uses; the access log's messages."""
    server = TestServer(create_app(settings_for(sqlite_url)))
    await server.start_server(access_log_class=AccessLogger)  # what `web.run_app` gets in `app.main`
    async with TestClient(server) as client:
        with caplog.at_level(logging.INFO, logger="aiohttp.access"):
            caplog.clear()
            response = await client.get(URL(path, encoded=True))
            assert response.status == 404
            await asyncio.sleep(0)
    return [r.getMessage() for r in caplog.records if r.name == "aiohttp.access"]


async def test_a_percent_encoded_newline_in_the_path_cannot_forge_an_access_log_line(
    sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    lines = await _access_lines(sqlite_url, "/x%0A2026-01-01%2000:00:00,000%20CRITICAL%20forged%1B[31m", caplog)
    assert len(lines) == 1
    [line] = lines
    assert "\n" not in line and "\r" not in line and "\x1b" not in line
    assert line.startswith("GET '/x\\n2026-01-01 00:00:00,000 CRITICAL")


async def test_a_long_path_is_truncated_in_the_access_log(sqlite_url: str, caplog: pytest.LogCaptureFixture) -> None:
    [line] = await _access_lines(sqlite_url, "/" + "a" * 8000, caplog)
    assert len(line) < 200


def test_the_sdk_move_note_covers_every_workaround_and_platform_module() -> None:
    note = (ROOT / "docs" / "sdk-move.md").read_text(encoding="utf-8")
    rows = {int(n) for n in re.findall(r"^\| (\d+) \|", note, flags=re.MULTILINE)}
    assert rows == set(range(1, 13)), "docs/sdk-move.md says what becomes of each numbered workaround"
    for name in MODULES:
        assert f"bot/platform/{name.rsplit('.', 1)[-1]}.py" in note, name
