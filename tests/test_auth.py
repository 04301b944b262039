"""Inbound authentication against a real signature check: the bot is pointed at a loopback OpenID endpoint
(testkit/login.py) that serves a key the test owns, and every forged or broken token is refused with a 401 (or
503 while no keys can be had), fast, in one log line and without a traceback, while the rest of the bot stays
responsive."""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from botframework.connector.auth.jwt_token_extractor import JwtTokenExtractor

from app import create_app
from bot.platform.auth import OpenIdKeys
from testkit import activities
from testkit.connector import RecordingConnector
from testkit.login import LoginEndpoint, new_private_key, start_login_endpoint
from tests.conftest import test_settings as settings_for

APP_ID = "00000000-0000-4000-8000-00000000b07a"
EMULATOR_ISSUER = "https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/"


@pytest.fixture
async def login() -> AsyncIterator[LoginEndpoint]:
    endpoint, runner = await start_login_endpoint()
    try:
        yield endpoint
    finally:
        endpoint.release()
        await runner.cleanup()


def _closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1/.well-known/openidconfiguration"


async def _client(sqlite_url: str, metadata_url: str) -> TestClient:
    settings = settings_for(
        sqlite_url, APP_ID=APP_ID, APP_PASSWORD="not-used", TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL=metadata_url
    )
    client = TestClient(TestServer(create_app(settings)))
    await client.start_server()
    return client


def _keys(metadata_url: str) -> OpenIdKeys:
    keys = JwtTokenExtractor.metadataCache[metadata_url]
    assert isinstance(keys, OpenIdKeys)
    return keys


async def _post(client: TestClient, activity: dict[str, Any], token: str | None) -> int:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    response = await client.post("/api/messages", json=activity, headers=headers)
    return response.status


def _reaction(service_url: str, channel_id: str = "msteams") -> dict[str, Any]:
    """An activity the bot answers without calling out (a reaction): the turn runs, nothing is sent."""
    activity = activities.message(service_url, "")
    activity.update({"type": "messageReaction", "reactionsAdded": [{"type": "like"}], "channelId": channel_id})
    return activity


def _refusals(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "bot.platform.http" and r.getMessage().startswith("refused request")]


def _assert_no_traceback(caplog: pytest.LogCaptureFixture) -> None:
    assert not [r for r in caplog.records if r.exc_info], "an authentication failure must not log a traceback"
    assert "Traceback" not in caplog.text


async def test_a_valid_token_is_accepted(sqlite_url: str, connector: RecordingConnector, login: LoginEndpoint):
    client = await _client(sqlite_url, login.metadata_url)
    try:
        token = login.token(app_id=APP_ID, service_url=connector.url)
        assert await _post(client, _reaction(connector.url), token) == 201
        assert login.requests == 2, "metadata and keys fetched once"
        assert await _post(client, _reaction(connector.url), token) == 201
        assert login.requests == 2, "the keys are cached"
    finally:
        await client.close()


async def test_a_valid_token_runs_the_turn(
    sqlite_url: str, connector: RecordingConnector, login: LoginEndpoint
) -> None:
    # A person the bot knows already (first contact asks Teams, which needs an outbound token): seed it without
    # an APP_ID, then an Action.Execute with a valid token is answered in the HTTP response.
    async with TestClient(TestServer(create_app(settings_for(sqlite_url)))) as seed:
        assert (await seed.post("/api/messages", json=activities.message(connector.url, "hjælp"))).status == 201
    client = await _client(sqlite_url, login.metadata_url)
    try:
        token = login.token(app_id=APP_ID, service_url=connector.url)
        response = await client.post(
            "/api/messages",
            json=activities.execute(connector.url, "no-such-verb"),
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status == 200
        assert (await response.json())["type"] == "application/vnd.microsoft.error"
    finally:
        await client.close()


FORGERIES: dict[str, dict[str, Any]] = {
    "wrong key": {"key": "other"},
    "unknown kid": {"headers": {"kid": "no-such-key"}},
    "no kid": {"headers": {"kid": None}},
    "expired": {"exp": int(time.time()) - 3600, "nbf": int(time.time()) - 7200},
    "not yet valid": {"nbf": int(time.time()) + 3600},
    "no exp": {"exp": None},
    "wrong aud": {"aud": "00000000-0000-4000-8000-0000000e0e0e"},
    "wrong serviceurl": {"serviceurl": "https://evil.example/"},
    "alg none": {"algorithm": "none"},
    "alg none without iss": {"algorithm": "none", "iss": None},
    "HS256": {"algorithm": "HS256"},
    "emulator issuer": {"iss": EMULATOR_ISSUER},
    "no issuer": {"iss": None},
}


@pytest.mark.parametrize("case", list(FORGERIES))
async def test_forged_and_broken_tokens_are_refused_in_one_line(
    case: str,
    sqlite_url: str,
    connector: RecordingConnector,
    login: LoginEndpoint,
    caplog: pytest.LogCaptureFixture,
) -> None:
    options = dict(FORGERIES[case])
    if options.get("key") == "other":
        options["key"] = new_private_key()
    client = await _client(sqlite_url, login.metadata_url)
    try:
        caplog.clear()
        with caplog.at_level(logging.INFO):
            status = await _post(
                client, _reaction(connector.url), login.token(app_id=APP_ID, service_url=connector.url, **options)
            )
        assert status == 401, case
        assert len(_refusals(caplog)) == 1
        _assert_no_traceback(caplog)
    finally:
        await client.close()
    assert connector.sent == []


async def test_an_unendorsed_channel_is_refused(
    sqlite_url: str, connector: RecordingConnector, login: LoginEndpoint, caplog: pytest.LogCaptureFixture
) -> None:
    login.endorsements = ["webchat"]
    client = await _client(sqlite_url, login.metadata_url)
    try:
        with caplog.at_level(logging.INFO):
            token = login.token(app_id=APP_ID, service_url=connector.url)
            assert await _post(client, _reaction(connector.url, channel_id="msteams"), token) == 401
        assert login.requests == 2, "refused after the signature check, not before"
        assert len(_refusals(caplog)) == 1
        _assert_no_traceback(caplog)
    finally:
        await client.close()


@pytest.mark.parametrize(
    "header", ["", "Bearer", "Bearer ", "Basic abc", "Bearer not-a-jwt", "Bearer a.b.c", "Bearer ∂"]
)
async def test_missing_and_malformed_headers_are_refused(
    header: str, sqlite_url: str, connector: RecordingConnector, login: LoginEndpoint, caplog: pytest.LogCaptureFixture
) -> None:
    client = await _client(sqlite_url, login.metadata_url)
    try:
        with caplog.at_level(logging.INFO):
            response = await client.post(
                "/api/messages", json=_reaction(connector.url), headers={"Authorization": header} if header else {}
            )
        assert response.status == 401
        assert login.requests == 0, "a token that cannot be valid never makes the bot fetch keys"
        _assert_no_traceback(caplog)
    finally:
        await client.close()


async def test_keys_unreachable_fails_closed_fast_and_is_not_retried_per_request(
    sqlite_url: str, connector: RecordingConnector, caplog: pytest.LogCaptureFixture
) -> None:
    url = _closed_port_url()
    client = await _client(sqlite_url, url)
    try:
        endpoint = LoginEndpoint()  # only its key and token(): nothing listens at the URL
        token = endpoint.token(app_id=APP_ID, service_url=connector.url)
        started = time.monotonic()
        with caplog.at_level(logging.INFO):
            statuses = [await _post(client, _reaction(connector.url), token) for _ in range(5)]
        assert time.monotonic() - started < 2.0
        assert statuses == [503] * 5
        assert _keys(url).fetches == 1, "a failed fetch is remembered, not repeated for every request"
        # An expired token is refused without asking for keys at all.
        expired = endpoint.token(app_id=APP_ID, service_url=connector.url, exp=int(time.time()) - 3600)
        assert await _post(client, _reaction(connector.url), expired) == 401
        assert len(_refusals(caplog)) == 6
        _assert_no_traceback(caplog)
    finally:
        await client.close()


@pytest.mark.parametrize("mode", ["hang", "drop", "error"])
async def test_a_hanging_or_failing_key_endpoint_never_stalls_other_requests(
    mode: str, sqlite_url: str, connector: RecordingConnector, login: LoginEndpoint
) -> None:
    login.mode = mode
    client = await _client(sqlite_url, login.metadata_url)
    try:
        token = login.token(app_id=APP_ID, service_url=connector.url)
        started = time.monotonic()
        forged = [asyncio.ensure_future(_post(client, _reaction(connector.url), token)) for _ in range(3)]
        await asyncio.sleep(0)  # let them reach the key fetch
        health: list[float] = []
        while not all(f.done() for f in forged):
            before = time.monotonic()
            assert (await client.get("/healthz")).status == 200
            assert await _post(client, _reaction(connector.url), None) == 401
            health.append(time.monotonic() - before)
            await asyncio.sleep(0.02)
        statuses = await asyncio.gather(*forged)
        elapsed = time.monotonic() - started
        assert set(statuses) == {503}
        assert elapsed < 2.0, f"refused after {elapsed:.2f} s"
        if mode == "hang":
            # Other requests kept being answered while the key fetch hung: the event loop was never blocked.
            assert len(health) >= 5
        # Not a timing test of the machine: a stalled loop would show the fetch's whole timeout here.
        assert max(health, default=0) < 0.5, f"/healthz and a tokenless request took {max(health):.3f} s"
        assert _keys(login.metadata_url).fetches == 1, "concurrent requests share one fetch"
    finally:
        login.release()
        await client.close()


async def test_keys_come_back_after_the_retry_pause(
    sqlite_url: str, connector: RecordingConnector, login: LoginEndpoint
) -> None:
    import datetime as dt

    from domain import clock

    login.mode = "error"
    client = await _client(sqlite_url, login.metadata_url)
    moment = dt.datetime.now(dt.UTC)
    try:
        with clock.frozen(moment):
            token = login.token(app_id=APP_ID, service_url=connector.url)
            assert await _post(client, _reaction(connector.url), token) == 503
            login.mode = "ok"
            assert await _post(client, _reaction(connector.url), token) == 503, "still within the retry pause"
        with clock.frozen(moment + dt.timedelta(seconds=31)):
            assert await _post(client, _reaction(connector.url), token) == 201
    finally:
        await client.close()
