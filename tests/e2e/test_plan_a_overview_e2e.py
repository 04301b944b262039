"""Plan A across arbejdspladser in the Playground, at a phone's width (issue 21): Karin sees Kirkebjerg's Plan A
filled in and Herstedlund's missing in `oversigt plan a`, and every arbejdsplads as Chefforum; Sofie gets the
reminder before the form's deadline; Mette links a tegn to an indikator. Screenshots of every new card."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from cards import danish, texts
from cards.payloads import Command
from cli.demo import DEMO_PLAN_A_STATUS, seed_database
from domain import clock
from testkit.activities import KARIN, METTE, SOFIE
from tests.e2e.conftest import DEMO_ORG
from tests.e2e.playground import E2E, BotServer, Browser

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
async def e2e(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[E2E]:
    """The demo (Kirkebjerg's Plan A written, Herstedlund's missing) with the form's deadline moved to 14 days
    from today and the scheduler ticking every second, so that the reminder goes out while the test looks."""
    workdir: Path = tmp_path_factory.mktemp("e2e-plan-a-overview")
    bot = await BotServer.start(
        workdir / "bot",
        org_file=DEMO_ORG,
        extra_env={
            "SCHEDULER_INTERVAL_SECONDS": "1",
            "REMINDER_HOUR": "0",
            "REMINDER_OFFSETS_DAYS": "0",
            "PLAN_A_REMINDER_OFFSETS_DAYS": "14",
        },
    )
    await seed_database(bot.database_url)
    env = E2E(browser, workdir, bot)
    try:
        yield env
    finally:
        await env.close()


def move_form_deadline(e2e: E2E, day: dt.date) -> None:
    assert e2e.bot is not None
    path = e2e.bot.database_url.split("///", 1)[1]
    with sqlite3.connect(path) as db:
        db.execute("UPDATE calendar_dates SET starts_on = ? WHERE key = 'plan-a-form'", (day.isoformat(),))


async def test_karin_sees_each_arbejdsplads_and_every_one_as_chefforum(e2e: E2E) -> None:
    karin = await e2e.chat(KARIN.email)
    since = await karin.mark_cards()
    await karin.send("oversigt plan a")
    own = await karin.wait_for_card(
        [texts.PLAN_A_OVERVIEW_TITLE.format(title="Center for Dagtilbud og Skole"), "Herstedlund Skole"], since=since
    )
    assert await karin.at_width(own) == []
    _, colour, _, on = DEMO_PLAN_A_STATUS  # Kirkebjerg's status, as Lars recorded it
    status = texts.PLAN_A_OVERVIEW_STATUS.format(colour=texts.PLAN_A_STATUS_LABELS[colour.value], date=danish.date(on))
    assert await own.get_by_text(status, exact=False).count(), "Karin sees Kirkebjerg's latest status"
    await karin.screenshot("plan_a_overview_1_chef", card=own)
    since = await karin.mark_cards()
    await karin.click(texts.PLAN_A_OVERVIEW_EVERYONE, within=own)
    everyone = await karin.wait_for_card([texts.PLAN_A_OVERVIEW_TITLE_ALL, "HR og Arbejdsmiljø"])
    assert await karin.at_width(everyone) == []
    await karin.screenshot("plan_a_overview_2_chefforum", card=everyone)


async def test_sofie_is_reminded_before_the_forms_deadline(e2e: E2E) -> None:
    sofie = await e2e.chat(SOFIE.email)
    since = await sofie.mark_cards()
    await sofie.send(Command.HELP)  # a personal chat with the bot: it can reach her
    await sofie.wait_for_card(texts.HELP_TITLE, since=since)
    move_form_deadline(e2e, clock.local_now().date() + dt.timedelta(days=14))
    reminder = await sofie.wait_for_card(
        [texts.PLAN_A_REMINDER_TITLE_FORM, "Herstedlund Skole"], button=texts.PLAN_A_REMINDER_BUTTON, seconds=30
    )
    assert await sofie.at_width(reminder) == []
    await sofie.screenshot("plan_a_overview_3_reminder", card=reminder)


async def test_mette_links_a_tegn_to_an_indikator(e2e: E2E) -> None:
    mette = await e2e.chat(METTE.email)
    since = await mette.mark_cards()
    await mette.send(Command.TEGN)
    picker = await mette.wait_for_card(texts.MAAL_TITLE, button=texts.BUTTON_CHOOSE, since=since)
    # The second mål (natur), which the organisation file links to indikator 1.
    await picker.get_by_role("button", name=texts.BUTTON_CHOOSE, exact=True).nth(1).click()
    form = await mette.wait_for_card([texts.TEGN_LABEL, texts.INDIKATOR_LABEL], button=texts.BUTTON_NEXT, since=since)
    await mette.fill(texts.TEGN_LABEL, "Flere børn samler selv affald op på turen", within=form)
    assert await mette.at_width(form) == []
    await mette.screenshot("plan_a_overview_4_tegn_form", card=form)
    await mette.click(texts.BUTTON_NEXT, within=form)
    check = await mette.wait_for_card([texts.TEGN_CHECK_TITLE, texts.INDIKATOR_SHOWN.format(number=1)], since=since)
    assert await mette.at_width(check) == []
    await mette.screenshot("plan_a_overview_5_tegn_check", card=check)
