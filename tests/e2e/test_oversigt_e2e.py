"""`oversigt` in the Playground: Stinne sees Herstedlund missing and reminds it; Sofie, its leder, gets the reminder
and starts `eksempel` from it. A chef and a leder see their own overview. Screenshots of every card."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from cards import texts
from core.vocabulary import Action
from domain import clock
from tests.e2e.conftest import DEMO_ORG
from tests.e2e.playground import E2E, BotServer, Browser, Chat

pytestmark = pytest.mark.e2e

STINNE = "stinne.gronne@albertslund.dk"
SOFIE = "sofie.berg@albertslund.dk"
KARIN = "karin.holm@albertslund.dk"
LARS = "lars.mikkelsen@albertslund.dk"
AFDELING = "Center for Dagtilbud og Skole"
HERSTEDLUND = "Herstedlund Skole"


@pytest.fixture(scope="module")
async def e2e(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[E2E]:
    """The demo bot with its scheduler ticking every second and the weekly digest due today: what has waited at
    an approver goes out at once. Scheduled reminders only on the deadline day (0 days before), so that the
    reminders here are the ones Stinne sends."""
    workdir: Path = tmp_path_factory.mktemp("e2e-oversigt")
    today = clock.local_now()
    bot = await BotServer.start(
        workdir / "bot",
        org_file=DEMO_ORG,
        extra_env={
            "SCHEDULER_INTERVAL_SECONDS": "1",
            "REMINDER_OFFSETS_DAYS": "0",
            "DIGEST_WEEKDAY": str(today.isoweekday()),
            "DIGEST_HOUR": "0",
            "DIGEST_MIN_AGE_DAYS": "0",
        },
    )
    env = E2E(browser, workdir, bot)
    try:
        yield env
    finally:
        await env.close()


async def test_stinne_reminds_herstedlund_and_sofie_starts_an_eksempel(e2e: E2E) -> None:
    # Sofie opens Teams first: the bot can then reach her in her personal chat.
    sofie = await e2e.chat(SOFIE)
    sofie_since = await sofie.mark_cards()
    stinne = await e2e.chat(STINNE)
    since = await stinne.mark_cards()
    await stinne.send("oversigt")
    home = await stinne.wait_for_card(texts.OVERSIGT_MATRIX_TITLE, since=since)
    await stinne.screenshot("oversigt_1_indsamler", card=home)
    await stinne.click(AFDELING, within=home)
    afdeling = await stinne.wait_for_card(texts.OVERSIGT_UNIT_LEDER.format(names="Sofie Berg"))
    assert await afdeling.get_by_text(texts.OVERSIGT_UNIT_MISSING, exact=True).first.is_visible()
    await stinne.screenshot("oversigt_2_afdeling", card=afdeling)
    await stinne.click(texts.OVERSIGT_REMIND_ONE.format(unit=HERSTEDLUND), within=afdeling)
    reminded = await stinne.wait_for_card(texts.OVERSIGT_REMINDED_ONE, button=texts.OVERSIGT_BACK)
    await stinne.page.wait_for_timeout(1500)  # the Playground restyles a card updated in place a moment later
    await stinne.screenshot("oversigt_3_reminded", card=reminded)

    reminder = await sofie.wait_for_card(texts.REMINDER_TITLE, button=texts.REMINDER_BUTTON, since=sofie_since)
    assert await reminder.get_by_text(HERSTEDLUND, exact=False).first.is_visible()
    await sofie.screenshot("oversigt_4_reminder", card=reminder)
    await sofie.click(texts.REMINDER_BUTTON, within=reminder)
    started = await sofie.wait_for_card(texts.EKSEMPEL_TEMA_INTRO, since=sofie_since)
    await sofie.screenshot("oversigt_5_eksempel_started", card=started)


async def test_a_cell_opens_the_eksempler_of_the_cell(e2e: E2E) -> None:
    stinne = await e2e.chat(STINNE)
    since = await stinne.mark_cards()
    await stinne.send("oversigt")
    home = await stinne.wait_for_card(texts.OVERSIGT_MATRIX_TITLE, since=since)
    await stinne.click(texts.OVERSIGT_CELL_NAME.format(tema="Mod", niveau="leder"), within=home)
    cell = await stinne.wait_for_card(texts.SELECTION_TITLE)
    await stinne.screenshot("oversigt_6_cell", card=cell)


async def test_a_chef_and_a_leder_see_their_units(e2e: E2E) -> None:
    await propose(await e2e.chat(), "Flere børn rydder selv op efter legen")
    karin = await e2e.chat(KARIN)
    since = await karin.mark_cards()
    await karin.send("oversigt")
    chef = await karin.wait_for_card(texts.OVERSIGT_MANAGER_TITLE.format(title=AFDELING), since=since)
    assert await chef.get_by_text(HERSTEDLUND, exact=True).is_visible()
    assert await chef.get_by_text("venter hos Lars Mikkelsen", exact=False).first.is_visible()
    await karin.screenshot("oversigt_7_chef", card=chef)
    lars = await e2e.chat(LARS)
    since = await lars.mark_cards()
    await lars.send("oversigt")
    leder = await lars.wait_for_card(texts.OVERSIGT_MANAGER_TITLE.format(title="Dagtilbud Kirkebjerg"), since=since)
    await lars.screenshot("oversigt_8_leder", card=leder)


async def propose(chat: Chat, tegn: str) -> None:
    since = await chat.mark_cards()
    await chat.send("tegn")
    picker = await chat.wait_for_card(texts.MAAL_TITLE, button=texts.BUTTON_CHOOSE, since=since)
    await chat.click(texts.BUTTON_CHOOSE, within=picker)
    form = await chat.wait_for_card(texts.TEGN_LABEL, button=texts.BUTTON_NEXT, since=since)
    await chat.fill(texts.TEGN_LABEL, tegn, within=form)
    await chat.click(texts.BUTTON_NEXT, within=form)
    check = await chat.wait_for_card(texts.TEGN_CHECK_TITLE, button=texts.BUTTON_SEND, since=since)
    await chat.click(texts.BUTTON_SEND, within=check)
    await chat.wait_for_card(texts.TEGN_RECEIPT_TITLE, since=since)


async def test_the_weekly_digest_reaches_the_chef(e2e: E2E) -> None:
    """Digests go out once a week per person: the chef gets one here, as soon as something waits at her (nothing
    else in this module sends anything on to her, so the test does not depend on the order the tests run in)."""
    tegn = "Flere børn hjælper hinanden med at tage tøj på"
    lars = await e2e.chat(LARS)
    karin = await e2e.chat(KARIN)
    lars_since, karin_since = await lars.mark_cards(), await karin.mark_cards()
    await propose(await e2e.chat(), tegn)
    recommend = texts.DECISION_BUTTONS[Action.RECOMMEND]
    card = await lars.wait_for_card(tegn, button=recommend, since=lars_since)
    await lars.click(recommend, within=card)
    digest = await karin.wait_for_card(texts.DIGEST_TITLE, button=texts.DIGEST_BUTTON, since=karin_since)
    assert await digest.get_by_text("Mette Hansen", exact=False).first.is_visible()
    await karin.page.wait_for_timeout(500)
    await karin.screenshot("oversigt_9_digest", card=digest)
    await karin.click(texts.DIGEST_BUTTON, within=digest)
    await karin.wait_for_text(texts.INBOX_COUNT.format(count=1))
