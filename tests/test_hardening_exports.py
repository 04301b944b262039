"""Export links, bounded (issue 23, row 13; issue 18, one signed-link module): a valid link builds its workbook
once and serves it from a cache, HEAD never builds, a link answers a few requests a minute and then 429 with a
Danish body, and both exports' links come from one module."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from app import DOWNLOADS
from bot import export_links
from bot.export_links import XLSX, Downloads
from cards import texts
from domain import clock
from storage.models import Maalplan, Person, Unit
from testkit.activities import LARS, STINNE
from tests.conftest import BotUnderTest

ROOT = Path(__file__).resolve().parents[1]
MADE = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)


def _downloads(bot: BotUnderTest) -> Downloads:
    return bot.client.server.app[DOWNLOADS]


def _path(bot: BotUnderTest, url: str) -> str:
    return url.replace(bot.settings.PUBLIC_BASE_URL, "")


async def _person(bot: BotUnderTest, email: str) -> int:
    [(person_id,)] = await bot.query(select(Person.id).where(Person.email == email))
    return int(person_id)


async def _kirkebjerg_link(bot: BotUnderTest) -> str:
    [(plan_id,)] = await bot.query(select(Maalplan.id).join(Unit).where(Unit.key == "kirkebjerg"))
    url = export_links.link(bot.settings, maalplan_id=plan_id, person_id=await _person(bot, LARS.email))
    return _path(bot, url)


async def test_the_workbook_is_built_once_per_link_and_served_from_the_cache(demo_bot: BotUnderTest) -> None:
    downloads = _downloads(demo_bot)
    with clock.frozen(MADE):
        path = await _kirkebjerg_link(demo_bot)
        bodies = []
        for _ in range(3):
            response = await demo_bot.client.get(path)
            assert response.status == 200 and response.content_type == XLSX
            bodies.append(await response.read())
        assert downloads.cache.builds == 1
        assert len(set(bodies)) == 1 and bodies[0].startswith(b"PK")
        # Concurrent first requests of another link share one build.
        eksempler = _path(
            demo_bot, export_links.eksempel_link(demo_bot.settings, person_id=await _person(demo_bot, STINNE.email))
        )
        answers = await asyncio.gather(*(demo_bot.client.get(eksempler) for _ in range(4)))
        assert [a.status for a in answers] == [200] * 4
        assert downloads.cache.builds == 2
    # The cached workbook goes when its link expires.
    ttl = dt.timedelta(seconds=demo_bot.settings.EXPORT_LINK_TTL_SECONDS)
    with clock.frozen(MADE + ttl + dt.timedelta(seconds=1)):
        assert downloads.cache.peek(path.rsplit("/", 1)[-1]) is None
        assert (await demo_bot.client.get(path)).status == 403


async def test_head_is_answered_without_building(demo_bot: BotUnderTest) -> None:
    downloads = _downloads(demo_bot)
    path = await _kirkebjerg_link(demo_bot)
    response = await demo_bot.client.head(path)
    assert response.status == 200
    assert response.headers["Content-Type"] == XLSX
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert downloads.cache.builds == 0
    # A HEAD is refused as a GET is: tampered, or for someone without the right.
    assert (await demo_bot.client.head(path[:-3] + "AAA")).status == 403
    assert downloads.cache.builds == 0
    # Once built, HEAD says the size as a GET would send it.
    body = await (await demo_bot.client.get(path)).read()
    again = await demo_bot.client.head(path)
    assert again.headers["Content-Length"] == str(len(body))
    assert downloads.cache.builds == 1


async def test_a_link_answers_a_few_requests_a_minute_then_429_in_danish(
    demo_bot: BotUnderTest, caplog: pytest.LogCaptureFixture
) -> None:
    limit = demo_bot.settings.EXPORT_DOWNLOADS_PER_MINUTE
    with clock.frozen(MADE):
        path = await _kirkebjerg_link(demo_bot)
        for _ in range(limit - 1):
            assert (await demo_bot.client.get(path)).status == 200
        assert (await demo_bot.client.head(path)).status == 200, "HEAD counts as well"
        with caplog.at_level(logging.WARNING, logger="bot.export_links"):
            refused = await demo_bot.client.get(path)
            assert (await demo_bot.client.get(path)).status == 429
        assert refused.status == 429
        assert await refused.text() == texts.EXPORT_LINK_RATE_LIMITED
        assert refused.headers["Retry-After"] == "60"
        assert len([r for r in caplog.records if "too many requests" in r.getMessage()]) == 1, "a flood logs one line"
        # Another link (made a second later, so another token) is not held back by this one.
        with clock.frozen(MADE + dt.timedelta(seconds=1)):
            other = await _kirkebjerg_link(demo_bot)
            assert (await demo_bot.client.get(other)).status == 200
    with clock.frozen(MADE + dt.timedelta(seconds=61)):
        assert (await demo_bot.client.get(path)).status == 200
    assert _downloads(demo_bot).cache.builds == 2


async def test_both_exports_links_come_from_one_module_and_do_not_open_each_other(demo_bot: BotUnderTest) -> None:
    signers = [
        path.relative_to(ROOT).as_posix()
        for folder in ("bot", "cli", "turn", "dialogs")
        for path in (ROOT / folder).rglob("*.py")
        if re.search(r"URLSafeTimedSerializer|TimestampSigner", path.read_text(encoding="utf-8"))
    ]
    assert signers == ["bot/export_links.py"]
    stinne = await _person(demo_bot, STINNE.email)
    eksempler = export_links.eksempel_link(demo_bot.settings, person_id=stinne)
    token = eksempler.rsplit("/", 1)[-1]
    # The same token on the målplan path is refused (another salt), and so is a målplan token on the eksempel path.
    assert (await demo_bot.client.get(f"/exports/{token}")).status == 403
    plan_token = (await _kirkebjerg_link(demo_bot)).rsplit("/", 1)[-1]
    assert (await demo_bot.client.get(f"/exports/eksempler/{plan_token}")).status == 403
    assert (await demo_bot.client.get(_path(demo_bot, eksempler))).status == 200
