"""The same count everywhere (issue 19): one organisation with eksempler in every state, and the four readers of
»sent«, »received« and »missing« (domain.eksempel_status) held to the same figures: the chat's `oversigt` card, the
tab's Overblik page over HTTP (local sign-in), the people the reminder reaches, and the Excel export read back."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import AsyncIterator
from html import unescape
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from openpyxl import load_workbook
from sqlalchemy import insert, select

from app import create_app
from cards import danish, texts
from core.vocabulary import EntryKind, EntryStatus, Niveau, Tema
from domain import clock, reminders
from storage.db import create_engine, create_sessionmaker
from storage.models import Entry, Person, Unit
from storage.orgfile import import_file
from testkit import activities
from testkit.connector import Member, RecordingConnector, only
from tests import conftest
from tests.cardtext import card_texts
from tests.conftest import BotUnderTest
from tests.test_overview import matrix
from web.auth import COOKIE

TODAY = dt.datetime(2026, 11, 10, 9, 0, tzinfo=clock.COPENHAGEN)
# 11 days before the demo's deadline (1 December 2026): the 14-day reminder is due.
REMINDER_DAY = dt.datetime(2026, 11, 20, 9, 0, tzinfo=clock.COPENHAGEN)

MED, LEDER = Niveau.MEDARBEJDER, Niveau.LEDER
METTE, LARS, SOFIE = "mette.hansen@albertslund.dk", "lars.mikkelsen@albertslund.dk", "sofie.berg@albertslund.dk"
KIRKEBJERG, HERSTEDLUND, HR = "Dagtilbud Kirkebjerg", "Herstedlund Skole", "HR og Arbejdsmiljø"

# (key, unit, owner, tema, niveau, status, stage, received?) on the demo's route [leder, indsamler].
EKSEMPLER = (
    ("draft", "kirkebjerg", METTE, Tema.HELHED, MED, EntryStatus.PENDING, 0, False),  # at Lars: not sent on yet
    ("waiting", "kirkebjerg", METTE, Tema.HELHED, MED, EntryStatus.PENDING, 1, True),  # in Stinne's `godkend`
    ("mod-leder", "kirkebjerg", LARS, Tema.MOD, LEDER, EntryStatus.PENDING, 1, True),  # a leder's own: straight to her
    ("selected", "kirkebjerg", METTE, Tema.RELATIONER, MED, EntryStatus.SELECTED, 1, True),
    ("adopted", "kirkebjerg", METTE, Tema.RELATIONER, MED, EntryStatus.ADOPTED, 1, True),
    ("not-selected", "kirkebjerg", METTE, Tema.VORES_OPGAVE, MED, EntryStatus.NOT_SELECTED, 1, True),
    ("sent-back", "kirkebjerg", METTE, Tema.VORES_OPGAVE, LEDER, EntryStatus.SENT_BACK, 0, False),
    ("withdrawn", "kirkebjerg", METTE, Tema.MOD, MED, EntryStatus.WITHDRAWN, 0, False),
    # Herstedlund has eksempler, but none received: it is missing.
    ("h-draft", "herstedlund", SOFIE, Tema.HELHED, LEDER, EntryStatus.PENDING, 0, False),
    ("h-rejected", "herstedlund", SOFIE, Tema.MOD, MED, EntryStatus.REJECTED, 1, False),  # Stinne said no
    ("h-sent-back", "herstedlund", SOFIE, Tema.RELATIONER, LEDER, EntryStatus.SENT_BACK, 1, False),  # back from her
    ("h-withdrawn", "herstedlund", SOFIE, Tema.MOD, LEDER, EntryStatus.WITHDRAWN, 0, False),
    # HR og Arbejdsmiljø has none at all (and no leder: nobody to remind).
)

# The figures every reader must show, worked out by hand from the list above.
RECEIVED = 5
CELLS = {  # (tema, niveau): (received, selected, adopted)
    (Tema.VORES_OPGAVE, MED): (1, 0, 0),
    (Tema.VORES_OPGAVE, LEDER): (0, 0, 0),
    (Tema.HELHED, MED): (1, 0, 0),
    (Tema.HELHED, LEDER): (0, 0, 0),
    (Tema.RELATIONER, MED): (2, 2, 1),
    (Tema.RELATIONER, LEDER): (0, 0, 0),
    (Tema.MOD, MED): (0, 0, 0),
    (Tema.MOD, LEDER): (1, 0, 0),
}
SENT_BY_UNIT = {KIRKEBJERG: 5, HERSTEDLUND: 0, HR: 0}
MISSING = {HERSTEDLUND, HR}
REMINDED = {"Sofie Berg"}
UNITS, UNITS_SENT = 3, 1


@pytest.fixture(autouse=True)
def frozen_clock() -> Any:
    with clock.frozen(TODAY.astimezone(dt.UTC)):
        yield


@pytest.fixture
async def org(sqlite_url: str, connector: RecordingConnector) -> AsyncIterator[BotUnderTest]:
    """The demo organisation with the eksempler above, served by one app: the bot and the tab (local sign-in)."""
    await import_file(sqlite_url, conftest.DEMO_ORGANISATION)
    for user in (activities.LARS, activities.SOFIE, activities.KARIN, activities.STINNE):
        connector.add_member(Member(user.id, user.name, user.aad_object_id, user.email))
    settings = conftest.test_settings(sqlite_url, LOCAL_DEVELOPMENT=True)
    async with TestClient(TestServer(create_app(settings))) as client:
        bot = BotUnderTest(client, connector, settings)
        units = dict(await bot.query(select(Unit.key, Unit.id)))
        people = dict(await bot.query(select(Person.email, Person.id)))
        when = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
        for n, (key, unit, owner, tema, niveau, status, stage, _) in enumerate(EKSEMPLER):
            await bot.query(
                insert(Entry).values(
                    kind=EntryKind.EKSEMPEL,
                    owner_id=people[owner],
                    unit_id=units[unit],
                    data={"tema": tema.value, "niveau": niveau.value, "eksempel": f"Eksempel {key}", "situation": ""},
                    status=status,
                    stage=stage,
                    version=1,
                    idempotency_key=f"counts-{key}",
                    created_at=when + dt.timedelta(hours=n),
                    updated_at=when + dt.timedelta(hours=n),
                )
            )
        yield bot


def test_the_figures_are_the_fixture_s() -> None:
    """The hand-worked figures agree with the list's own »received?« column (so a typo cannot hide a difference)."""
    received = [(tema, niveau, status) for *_, tema, niveau, status, _stage, got in EKSEMPLER if got]
    assert len(received) == RECEIVED == sum(r for r, _, _ in CELLS.values())
    for (tema, niveau), (count, _, _) in CELLS.items():
        assert count == sum(1 for t, n, _ in received if (t, n) == (tema, niveau))


def _cell_name(tema: Tema, niveau: Niveau) -> str:
    return texts.OVERSIGT_CELL_NAME.format(tema=texts.TEMA_LABELS[tema], niveau=texts.NIVEAU_LABELS[niveau].lower())


async def test_oversigt_the_tab_the_reminders_and_the_export_show_the_same_figures(org: BotUnderTest) -> None:
    stinne = activities.STINNE

    # 1. The chat's `oversigt`: the totals, the matrix, the empty cells, and per unit sent or »Mangler«.
    home = only(await org.say("oversigt", user=stinne))
    shown = card_texts(home.cards[0])
    assert danish.fill(texts.OVERSIGT_TOTALS, received=RECEIVED, units_sent=UNITS_SENT, units=UNITS) in shown
    assert matrix(home.cards[0]) == {
        (t.value, n.value): texts.OVERSIGT_CELL.format(received=r, selected=s, adopted=a)
        for (t, n), (r, s, a) in CELLS.items()
    }
    empty = ", ".join(_cell_name(t, n) for (t, n), (r, _, _) in CELLS.items() if r == 0)
    assert texts.OVERSIGT_EMPTY_CELLS.format(cells=empty) in shown
    assert _cell_name(Tema.MOD, LEDER) not in empty, "the leder's Mod eksempel in her `godkend` is received"
    afdeling = card_texts(only(await org.click(home, "Center for Dagtilbud og Skole", user=stinne)).cards[0])
    assert danish.fill(texts.OVERSIGT_UNIT_SENT, count=SENT_BY_UNIT[KIRKEBJERG]) in afdeling
    assert afdeling.count(texts.OVERSIGT_UNIT_MISSING) == 1  # Herstedlund
    other = card_texts(only(await org.click(home, "Center for Ledelse og Personale", user=stinne)).cards[0])
    assert other.count(texts.OVERSIGT_UNIT_MISSING) == 1  # HR og Arbejdsmiljø
    # Lars's own overview counts his unit's eksempler the same way.
    lars = card_texts(only(await org.say("oversigt", user=activities.LARS)).cards[0])
    assert texts.OVERSIGT_EKSEMPLER_SENT.format(count=SENT_BY_UNIT[KIRKEBJERG]) in lars

    # 2. The tab's Overblik, signed in through the local sign-in page.
    page = await _overblik(org.client)
    strong = [int(n) for n in re.findall(r'<td class="heat-\d">\s*<strong>(\d+)</strong>', page)]
    assert strong == [CELLS[(t, n)][0] for t in texts.TEMA_LABELS for n in texts.NIVEAU_LABELS]
    for (_t, _n), (r, s, a) in CELLS.items():
        if r:
            assert texts.TAB_OVERBLIK_CELL.format(received=r, selected=s, adopted=a) in page
    assert danish.fill(texts.TAB_OVERBLIK_PROGRESS, sent=1, units=2) in page  # Center for Dagtilbud og Skole
    assert danish.fill(texts.TAB_OVERBLIK_PROGRESS, sent=0, units=1) in page  # Center for Ledelse og Personale
    listed = re.findall(rf'data-label="{texts.TAB_OVERBLIK_COL_UNIT}">([^<]*)</td>', page)
    assert set(listed) == MISSING and len(listed) == len(MISSING)

    # 3. The reminders: who the scheduled reminder reaches, and what the indsamler's »Send påmindelse« would.
    engine = create_engine(org.settings.DATABASE_URL)
    try:
        async with create_sessionmaker(engine)() as session:
            due = await reminders.due(session, reminders.ScheduleConfig(), REMINDER_DAY.astimezone(dt.UTC))
            missing = await reminders.missing_units(session)
            names = {row.id: row.name for row in await session.execute(select(Unit.id, Unit.name))}
    finally:
        await engine.dispose()
    assert {name for r in due.reminders for name in r.leder_names} == REMINDED
    assert {names[u] for u in missing} == MISSING

    # 4. The Excel export, read back: the eksempler received and nothing else; »Ikke indsendt« is the missing units.
    [reply] = await org.say("eksport", user=stinne)
    url = (reply.text or "").split("](")[1].split(")")[0]
    response = await org.client.get(url.replace(org.settings.PUBLIC_BASE_URL, ""))
    assert response.status == 200
    book = load_workbook(io.BytesIO(await response.read()), read_only=True)
    exported = [
        row
        for tema in Tema
        for row in book[texts.TEMA_LABELS[tema]].iter_rows(min_row=2, values_only=True)
        if row and row[0] is not None
    ]
    assert sorted(str(row[3]) for row in exported) == sorted(f"Eksempel {e[0]}" for e in EKSEMPLER if e[-1])
    per_cell = {
        (t, n): sum(1 for row in exported if (row[1], row[2]) == (texts.TEMA_LABELS[t], texts.NIVEAU_LABELS[n]))
        for (t, n) in CELLS
    }
    assert per_cell == {cell: r for cell, (r, _, _) in CELLS.items()}
    silent = [row for row in book[texts.EKSEMPEL_EXPORT_SHEET_SILENT].iter_rows(min_row=2, values_only=True) if row[0]]
    assert {row[0] for row in silent} == MISSING and len(silent) == len(MISSING)
    assert ["Herstedlund Skole", "Center for Dagtilbud og Skole", "Sofie Berg"] in [list(r) for r in silent]


async def _overblik(client: TestClient) -> str:
    """The Overblik page as Stinne, signed in through the local sign-in page (LOCAL_DEVELOPMENT)."""
    login = await (await client.get("/tab/dev-login")).text()
    person = re.search(r'value="(\d+)">\s*<button type="submit">Log ind som Stinne', login)
    assert person, "the local sign-in page lists Stinne"
    signed = await client.post("/tab/dev-login", data={"person_id": person.group(1)}, allow_redirects=False)
    assert signed.status == 303
    # aiohttp's jar keeps Secure cookies for https only: the cookie is sent by hand, as a browser on https would.
    response = await client.get("/tab/overblik", headers={"Cookie": f"{COOKIE}={signed.cookies[COOKIE].value}"})
    assert response.status == 200
    return unescape(await response.text())
