"""The indsamler's daily digest (issue 19) in the Playground, on a phone's width: Stinne gets one card saying how many
eksempler arrived yesterday, by tema, with »Åbn Arbejdsbord« (the deep link) and the list in chat; screenshot."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from cards import texts
from core.vocabulary import Action, EntryKind, EntryStatus, Niveau, Tema
from domain import clock
from storage.db import create_engine, create_sessionmaker
from storage.models import Decision, Entry, Person, Unit
from tests.e2e.conftest import DEMO_ORG
from tests.e2e.playground import E2E, BotServer, Browser

pytestmark = pytest.mark.e2e

STINNE = "stinne.gronne@albertslund.dk"
METTE = "mette.hansen@albertslund.dk"
LARS = "lars.mikkelsen@albertslund.dk"
TEAMS_APP_ID = "3f2b8c1e-7d4a-4e6b-9a0c-5b1d2e3f4a5b"
ARRIVED = (
    (Tema.RELATIONER, "Vi spørger ind til hinandens dag, også når travlheden er stor."),
    (Tema.RELATIONER, "Når en kollega er ny, spiser vi frokost sammen den første uge."),
    (Tema.MOD, "Jeg siger til på mødet, når jeg er uenig, også når lederen er til stede."),
    (Tema.VORES_OPGAVE, "Vi ringer forældrene op samme dag, når et barn har haft en svær dag."),
)


@pytest.fixture(scope="module")
async def e2e(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[E2E]:
    """The demo bot with its scheduler ticking every second and the digest time at midnight: what reached the
    indsamler yesterday goes out at the next tick."""
    workdir: Path = tmp_path_factory.mktemp("e2e-digest")
    bot = await BotServer.start(
        workdir / "bot",
        org_file=DEMO_ORG,
        extra_env={
            "SCHEDULER_INTERVAL_SECONDS": "1",
            "EKSEMPEL_DIGEST_TIME": "00:00",
            "TEAMS_APP_ID": TEAMS_APP_ID,
        },
    )
    env = E2E(browser, workdir, bot)
    try:
        yield env
    finally:
        await env.close()


async def sent_on_yesterday(database_url: str) -> None:
    """Eksempler Lars sent on to the indsamler yesterday afternoon, as the flow stores them (entry and decisions)."""
    yesterday = dt.datetime.combine(clock.today() - dt.timedelta(days=1), dt.time(14), tzinfo=clock.COPENHAGEN)
    engine = create_engine(database_url)
    try:
        async with create_sessionmaker(engine).begin() as session:
            mette = await session.scalar(select(Person).where(Person.email == METTE))
            lars = await session.scalar(select(Person).where(Person.email == LARS))
            assert mette is not None and lars is not None
            unit = await session.get(Unit, mette.unit_id)
            assert unit is not None
            for number, (tema, text) in enumerate(ARRIVED):
                moment = yesterday + dt.timedelta(minutes=number)
                data = {"tema": tema.value, "niveau": Niveau.MEDARBEJDER.value, "eksempel": text, "situation": ""}
                entry = Entry(
                    kind=EntryKind.EKSEMPEL,
                    owner_id=mette.id,
                    unit_id=unit.id,
                    data=data,
                    status=EntryStatus.PENDING,
                    stage=1,
                    version=2,
                    idempotency_key=f"e2e-digest-{number}",
                    created_at=moment,
                    updated_at=moment,
                )
                session.add(entry)
                await session.flush()
                for actor, action, stage, version in ((mette, Action.SUBMIT, 0, 0), (lars, Action.RECOMMEND, 1, 1)):
                    session.add(
                        Decision(
                            entry_id=entry.id,
                            actor_id=actor.id,
                            action=action,
                            from_status=None if action is Action.SUBMIT else EntryStatus.PENDING,
                            to_status=EntryStatus.PENDING,
                            from_stage=None if action is Action.SUBMIT else 0,
                            to_stage=stage,
                            from_version=version,
                            created_at=moment,
                        )
                    )
    finally:
        await engine.dispose()


async def test_the_indsamler_gets_one_digest_and_opens_the_list(e2e: E2E) -> None:
    stinne = await e2e.chat(STINNE)  # she opens Teams: the bot can reach her in her personal chat
    since = await stinne.mark_cards()
    await sent_on_yesterday(e2e.bot.database_url)
    digest = await stinne.wait_for_card(
        texts.EKSEMPEL_DIGEST_TITLE, button=texts.EKSEMPEL_DIGEST_OPEN_LIST, since=since
    )
    assert await digest.get_by_text("4 nye eksempler", exact=False).first.is_visible()
    assert await digest.get_by_text(texts.EKSEMPEL_DIGEST_OPEN_TAB, exact=True).first.is_visible()
    assert await stinne.at_width(digest) == [], "nothing of the card is cut off on a phone"
    await stinne.page.wait_for_timeout(500)
    await stinne.screenshot("digest_1_indsamler_phone", card=digest)
    await stinne.click(texts.EKSEMPEL_DIGEST_OPEN_LIST, within=digest)
    listed = await stinne.wait_for_card(texts.SELECTION_TITLE, since=since)
    await stinne.screenshot("digest_2_list", card=listed)
    # One digest a day: the scheduler keeps ticking every second, and nothing more comes.
    await stinne.page.wait_for_timeout(3000)
    assert len(await stinne.page.get_by_text(texts.EKSEMPEL_DIGEST_TITLE, exact=True).all()) == 1
