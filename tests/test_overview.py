"""`oversigt` over HTTP, by role: the indsamler's matrix, afdelinger, drill-downs and reminders; a chef's and a
leder's units; everyone else's explanation. Counts are checked against the database."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from typing import Any

import pytest
from sqlalchemy import insert, select

from app import SCHEDULER
from cards import danish, texts
from cards.base import MAX_CARD_BYTES
from cards.overview import days_left
from core.vocabulary import (
    EKSEMPEL_ADOPTED,
    EKSEMPEL_RECEIVED,
    EKSEMPEL_SELECTED,
    EntryKind,
    EntryStatus,
    Niveau,
    NotificationStatus,
    OutboxKind,
    Tema,
)
from domain import clock
from storage.models import Entry, OutboxMessage, Person, Reminder, Unit
from testkit import activities
from testkit.connector import Sent, only
from tests.cardtext import action, card_texts
from tests.conftest import BotUnderTest

# The demo's eksempel deadline is 1 December 2026; the overview is read on 10 November, 21 days before.
TODAY = dt.datetime(2026, 11, 10, 9, 0, tzinfo=clock.COPENHAGEN)
DEADLINE = dt.date(2026, 12, 1)


@pytest.fixture(autouse=True)
def frozen_clock() -> Any:
    with clock.frozen(TODAY.astimezone(dt.UTC)):
        yield


async def ids(bot: BotUnderTest) -> dict[str, int]:
    units = {key: uid for key, uid in await bot.query(select(Unit.key, Unit.id))}
    people = {email: pid for email, pid in await bot.query(select(Person.email, Person.id))}
    return {**units, **people}


async def add_eksempler(bot: BotUnderTest, *rows: tuple[str, str, Tema, Niveau, EntryStatus]) -> None:
    """Eksempler as (unit key, owner e-mail, tema, niveau, status), each with its own time."""
    known = await ids(bot)
    for n, (unit, owner, tema, niveau, status) in enumerate(rows):
        when = dt.datetime(2026, 10, 1, tzinfo=dt.UTC) + dt.timedelta(hours=n)
        await bot.query(
            insert(Entry).values(
                kind=EntryKind.EKSEMPEL,
                owner_id=known[owner],
                unit_id=known[unit],
                data={
                    "tema": tema.value,
                    "niveau": niveau.value,
                    "eksempel": f"Eksempel {n} fra {unit}",
                    "situation": "",
                },
                status=status,
                stage=1,  # the demo's route is [leder, indsamler]: a pending one waits for the indsamler
                version=1,
                idempotency_key=f"eks-{n}-{unit}",
                created_at=when,
                updated_at=when,
            )
        )


METTE = "mette.hansen@albertslund.dk"
LARS = "lars.mikkelsen@albertslund.dk"

EKSEMPLER = (
    ("kirkebjerg", METTE, Tema.HELHED, Niveau.MEDARBEJDER, EntryStatus.APPROVED),
    ("kirkebjerg", METTE, Tema.HELHED, Niveau.MEDARBEJDER, EntryStatus.SELECTED),
    ("kirkebjerg", METTE, Tema.HELHED, Niveau.MEDARBEJDER, EntryStatus.ADOPTED),
    ("kirkebjerg", METTE, Tema.MOD, Niveau.MEDARBEJDER, EntryStatus.NOT_SELECTED),
    ("kirkebjerg", LARS, Tema.RELATIONER, Niveau.LEDER, EntryStatus.QUALIFIED),
    ("kirkebjerg", LARS, Tema.VORES_OPGAVE, Niveau.LEDER, EntryStatus.PENDING),  # waiting for Stinne: sent
    ("kirkebjerg", METTE, Tema.VORES_OPGAVE, Niveau.MEDARBEJDER, EntryStatus.WITHDRAWN),  # not counted
)


async def expected_cells(bot: BotUnderTest) -> dict[tuple[str, str], tuple[int, int, int]]:
    """The matrix, counted in Python from every eksempel row: received is a received status, or waiting for the
    indsamler (pending at stage 1 of the demo's route [leder, indsamler])."""
    rows = await bot.query(select(Entry.data, Entry.status, Entry.stage).where(Entry.kind == EntryKind.EKSEMPEL))
    received: Counter[tuple[str, str]] = Counter()
    selected: Counter[tuple[str, str]] = Counter()
    adopted: Counter[tuple[str, str]] = Counter()
    for data, status, stage in rows:
        cell = (data["tema"], data["niveau"])
        received[cell] += status in EKSEMPEL_RECEIVED or (status is EntryStatus.PENDING and stage >= 1)
        selected[cell] += status in EKSEMPEL_SELECTED
        adopted[cell] += status in EKSEMPEL_ADOPTED
    return {(t.value, n.value): (received[(t, n)], selected[(t, n)], adopted[(t, n)]) for t in Tema for n in Niveau}


def matrix(card: dict[str, Any]) -> dict[tuple[str, str], str]:
    """The matrix as the card shows it: each clickable cell's text by (tema, niveau)."""
    found: dict[tuple[str, str], str] = {}

    def walk(node: object) -> None:
        if isinstance(node, dict):
            select_action = node.get("selectAction") or {}
            data = select_action.get("data") or {}
            if data.get("action") == "selection_show":
                found[(data["filter_tema"], data["filter_niveau"])] = node["items"][0]["text"]
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(card["body"])
    return found


def wire_size(sent: Sent) -> int:
    """The message as msrest puts it on the wire (every non-ASCII character escaped)."""
    return len(json.dumps(sent.body, ensure_ascii=True).encode("ascii"))


def card_size(sent: Sent) -> int:
    return len(json.dumps(sent.cards[0], ensure_ascii=False).encode("utf-8"))


async def test_the_indsamler_sees_the_matrix_the_empty_cells_and_the_afdelinger(demo_bot: BotUnderTest) -> None:
    await add_eksempler(demo_bot, *EKSEMPLER)
    sent = only(await demo_bot.say("oversigt", user=activities.STINNE))
    card = sent.cards[0]
    shown = card_texts(card)
    assert texts.OVERSIGT_TITLE in shown
    assert texts.OVERSIGT_DEADLINE.format(date="1. december 2026", days_left=days_left(21)) in shown

    expected = await expected_cells(demo_bot)
    assert matrix(card) == {
        cell: texts.OVERSIGT_CELL.format(received=r, selected=s, adopted=a) for cell, (r, s, a) in expected.items()
    }
    assert expected[(Tema.HELHED.value, Niveau.MEDARBEJDER.value)] == (3, 2, 1), "the fixture is what we think"
    empty = [
        texts.OVERSIGT_CELL_NAME.format(tema=texts.TEMA_LABELS[t], niveau=texts.NIVEAU_LABELS[n].lower())
        for t in Tema
        for n in Niveau
        if expected[(t.value, n.value)][0] == 0
    ]
    assert texts.OVERSIGT_EMPTY_CELLS.format(cells=", ".join(empty)) in shown
    # Kirkebjerg has sent (the pending one waits for the indsamler: received, in the matrix and in the unit's count
    # alike); Herstedlund and HR og Arbejdsmiljø have not.
    assert expected[(Tema.VORES_OPGAVE.value, Niveau.LEDER.value)] == (1, 0, 0), "waiting for her is received"
    assert danish.fill(texts.OVERSIGT_TOTALS, received=6, units_sent=1, units=3) in shown
    assert texts.OVERSIGT_AFDELING_LINE.format(sent=1, units=2) in shown
    assert texts.OVERSIGT_AFDELING_LINE.format(sent=0, units=1) in shown
    # Sofie (Herstedlund's leder) has never written to the bot: she cannot be reached.
    assert texts.OVERSIGT_UNREACHABLE_ONE in shown
    assert texts.OVERSIGT_REMIND_ALL in shown
    assert card_size(sent) < MAX_CARD_BYTES and wire_size(sent) < 40_000


async def test_the_afdeling_shows_mangler_and_the_leder(demo_bot: BotUnderTest) -> None:
    await add_eksempler(demo_bot, *EKSEMPLER)
    overview = only(await demo_bot.say("oversigt", user=activities.STINNE))
    afdeling = only(await demo_bot.click(overview, "Center for Dagtilbud og Skole", user=activities.STINNE))
    assert afdeling.method == "PUT", "drill-downs replace the card"
    shown = card_texts(afdeling.cards[0])
    assert "Herstedlund Skole" in shown and "Dagtilbud Kirkebjerg" in shown
    assert texts.OVERSIGT_UNIT_MISSING in shown
    assert texts.OVERSIGT_UNIT_LEDER.format(names="Sofie Berg") in shown
    assert danish.fill(texts.OVERSIGT_UNIT_SENT, count=6) in shown
    assert texts.OVERSIGT_UNIT_UNREACHABLE in shown
    back = only(await demo_bot.click(afdeling, texts.OVERSIGT_BACK, user=activities.STINNE))
    assert texts.OVERSIGT_TITLE in card_texts(back.cards[0])


async def test_send_paamindelse_to_one_unit_reaches_its_leder_once(demo_bot: BotUnderTest) -> None:
    await add_eksempler(demo_bot, *EKSEMPLER)
    await demo_bot.say("hjælp", user=activities.SOFIE)  # Sofie has a chat with the bot now
    overview = only(await demo_bot.say("oversigt", user=activities.STINNE))
    afdeling = only(await demo_bot.click(overview, "Center for Dagtilbud og Skole", user=activities.STINNE))
    assert texts.OVERSIGT_UNIT_UNREACHABLE not in card_texts(afdeling.cards[0])
    before = len(demo_bot.sent_to(activities.SOFIE))
    answer = only(
        await demo_bot.click(
            afdeling, texts.OVERSIGT_REMIND_ONE.format(unit="Herstedlund Skole"), user=activities.STINNE
        )
    )
    assert texts.OVERSIGT_REMINDED_ONE in card_texts(answer.cards[0])
    # Queued, not yet sent: on its way (the drill-down says "Påmindet" once Teams has it), and no second button.
    assert texts.OVERSIGT_UNIT_REMINDING in card_texts(answer.cards[0])
    assert texts.OVERSIGT_UNIT_REMINDED.format(date="10. november 2026") not in card_texts(answer.cards[0])
    assert texts.OVERSIGT_REMIND_ONE.format(unit="Herstedlund Skole") not in card_texts(answer.cards[0])
    # A second click the same day (or Teams re-sending it) reminds nobody again.
    again = only(
        await demo_bot.click(
            afdeling, texts.OVERSIGT_REMIND_ONE.format(unit="Herstedlund Skole"), user=activities.STINNE
        )
    )
    assert texts.OVERSIGT_REMINDED_NONE in card_texts(again.cards[0])
    await settle_outbox(demo_bot)
    [reminder] = demo_bot.sent_to(activities.SOFIE)[before:]
    shown = card_texts(reminder.cards[0])
    assert texts.REMINDER_TITLE in shown
    assert (
        texts.REMINDER_TEXT.format(unit="Herstedlund Skole", date="1. december 2026", days_left=days_left(21)) in shown
    )
    assert texts.REMINDER_MOEDE in shown
    assert action(reminder.cards[0], texts.REMINDER_BUTTON) == {"action": "command", "command": "eksempel"}
    sent = only(await demo_bot.click(overview, "Center for Dagtilbud og Skole", user=activities.STINNE))
    assert texts.OVERSIGT_UNIT_REMINDED.format(date="10. november 2026") in card_texts(sent.cards[0])
    assert texts.OVERSIGT_UNIT_REMINDING not in card_texts(sent.cards[0])
    [(status,)] = await demo_bot.query(select(OutboxMessage.status))
    assert status is NotificationStatus.SENT
    [(manual, days)] = await demo_bot.query(select(Reminder.manual, Reminder.offset_days))
    assert manual and days == 21


async def settle_outbox(bot: BotUnderTest) -> None:
    await bot.client.app[SCHEDULER].outbox.drain()


async def test_remind_all_reaches_every_missing_leder_and_records_who_cannot_be_reached(demo_bot: BotUnderTest) -> None:
    overview = only(await demo_bot.say("oversigt", user=activities.STINNE))
    answer = only(await demo_bot.click(overview, texts.OVERSIGT_REMIND_ALL, user=activities.STINNE))
    shown = card_texts(answer.cards[0])
    # No eksempler at all: Kirkebjerg (Lars) and Herstedlund (Sofie) are reminded; HR og Arbejdsmiljø has no leder.
    assert danish.fill(texts.OVERSIGT_REMINDED, count=2) in " ".join(shown)
    assert danish.fill(texts.OVERSIGT_REMINDED_NO_LEDER, count=1) in " ".join(shown)
    await settle_outbox(demo_bot)
    # Neither has a chat with the bot: recorded as undelivered, and the overview says so.
    rows = await demo_bot.query(select(OutboxMessage.kind, OutboxMessage.status))
    assert sorted(rows) == [(OutboxKind.REMINDER, NotificationStatus.UNDELIVERED)] * 2
    again = only(await demo_bot.say("oversigt", user=activities.STINNE))
    assert danish.fill(texts.OVERSIGT_UNREACHABLE, count=2) in card_texts(again.cards[0])


async def test_a_cell_opens_its_eksempler_ten_a_page_with_the_selection_actions(demo_bot: BotUnderTest) -> None:
    many = [("kirkebjerg", METTE, Tema.MOD, Niveau.MEDARBEJDER, EntryStatus.APPROVED)] * 13
    await add_eksempler(demo_bot, *many, ("kirkebjerg", METTE, Tema.HELHED, Niveau.MEDARBEJDER, EntryStatus.APPROVED))
    overview = only(await demo_bot.say("oversigt", user=activities.STINNE))
    cell_title = texts.OVERSIGT_CELL_NAME.format(tema="Mod", niveau="medarbejder")
    first = only(await demo_bot.click(overview, cell_title, user=activities.STINNE))
    assert first.method == "PUT"
    shown = card_texts(first.cards[0])
    assert texts.SELECTION_TITLE in shown
    assert texts.SELECTION_SHOWING.format(first=1, last=10, count=13) in shown
    assert "Eksempel 13 fra kirkebjerg" not in shown, "another cell's eksempel"
    assert texts.SELECTION_APPLY in shown, "the selection actions are on the list"
    second = only(await demo_bot.click(first, texts.BUTTON_SHOW_MORE, user=activities.STINNE))
    assert texts.SELECTION_SHOWING.format(first=11, last=13, count=13) in card_texts(second.cards[0])


async def tegn_rows(bot: BotUnderTest, unit: str, owner: str, *statuses: EntryStatus, stage: int = 0) -> None:
    known = await ids(bot)
    for n, status in enumerate(statuses):
        when = dt.datetime(2026, 11, 3, 8, tzinfo=dt.UTC) + dt.timedelta(hours=n)
        await bot.query(
            insert(Entry).values(
                kind=EntryKind.TEGN,
                owner_id=known[owner],
                unit_id=known[unit],
                data={"tegn": f"Tegn {n}"},
                status=status,
                stage=stage,
                version=1,
                idempotency_key=f"tegn-{unit}-{stage}-{n}-{status}",
                created_at=when,
                updated_at=when,
            )
        )


async def test_a_chef_sees_the_units_of_the_afdeling(demo_bot: BotUnderTest) -> None:
    await tegn_rows(demo_bot, "kirkebjerg", METTE, EntryStatus.PENDING, EntryStatus.PENDING, EntryStatus.APPROVED)
    await tegn_rows(demo_bot, "herstedlund", "sofie.berg@albertslund.dk", EntryStatus.PENDING, stage=1)
    await add_eksempler(demo_bot, EKSEMPLER[0])
    sent = only(await demo_bot.say("oversigt", user=activities.KARIN))
    shown = card_texts(sent.cards[0])
    assert texts.OVERSIGT_MANAGER_TITLE.format(title="Center for Dagtilbud og Skole") in shown
    assert "Dagtilbud Kirkebjerg" in shown and "Herstedlund Skole" in shown
    assert "HR og Arbejdsmiljø" not in shown, "another afdeling's unit"
    pending, approved = (
        texts.OVERSIGT_STATUS_SHORT[EntryStatus.PENDING],
        texts.OVERSIGT_STATUS_SHORT[EntryStatus.APPROVED],
    )
    counts = ", ".join([f"2 {pending}", f"1 {approved}"])
    assert texts.OVERSIGT_KIND_COUNTS.format(kind="Tegn", counts=counts) in shown
    waiting = texts.OVERSIGT_WAITING[EntryKind.TEGN]
    waiting_at_lars = danish.fill(waiting, count=2, who="Lars Mikkelsen", since="3. november 2026")
    waiting_at_karin = danish.fill(waiting, count=1, who="Karin Holm", since="3. november 2026")
    assert waiting_at_lars in shown and waiting_at_karin in shown
    assert texts.OVERSIGT_EKSEMPLER_SENT.format(count=1) in shown
    assert texts.OVERSIGT_EKSEMPLER_MISSING in shown  # Herstedlund
    assert texts.OVERSIGT_REMIND_ALL not in shown, "only the indsamler reminds"


async def test_a_leder_sees_their_own_unit(demo_bot: BotUnderTest) -> None:
    await tegn_rows(demo_bot, "kirkebjerg", METTE, EntryStatus.PENDING)
    sent = only(await demo_bot.say("oversigt", user=activities.LARS))
    shown = card_texts(sent.cards[0])
    assert texts.OVERSIGT_MANAGER_TITLE.format(title="Dagtilbud Kirkebjerg") in shown
    assert "Herstedlund Skole" not in shown
    assert texts.OVERSIGT_EKSEMPLER_MISSING in shown


async def test_anyone_else_is_told_what_oversigt_is_for(demo_bot: BotUnderTest) -> None:
    sent = only(await demo_bot.say("oversigt", user=activities.METTE))
    assert sent.text == texts.OVERSIGT_FOR_NOBODY


async def test_a_forged_click_is_refused_on_the_server(demo_bot: BotUnderTest) -> None:
    """Lars (a leder) sends the indsamler's payloads by hand: nothing is shown or sent."""
    known = await ids(demo_bot)
    await demo_bot.installed(activities.LARS)
    for value in (
        {"action": "oversigt_remind"},
        {"action": "oversigt_afdeling", "afdeling_id": known["ledelse-personale"]},
    ):
        sent = only(await demo_bot._turn(activities.submit(demo_bot.service_url, value, user=activities.LARS)))
        assert sent.text == texts.OVERSIGT_NOT_ALLOWED
    assert await demo_bot.query(select(Reminder.id)) == []


async def test_oversigt_in_a_group_chat_is_answered_in_the_personal_chat(demo_bot: BotUnderTest) -> None:
    group = activities.group_message(demo_bot.service_url, "oversigt", user=activities.STINNE)
    sent = only(await demo_bot._turn(group))
    assert sent.text == texts.PERSONAL_NO_CHAT_YET, "no personal chat yet: how to open one, and nothing else"
    await demo_bot.say("hjælp", user=activities.STINNE)
    demo_bot.connector.clear()
    sent = only(
        await demo_bot._turn(activities.group_message(demo_bot.service_url, "oversigt", user=activities.STINNE))
    )
    assert sent.text == texts.PERSONAL_SENT_THERE, "the group chat gets one line"
    [overview] = demo_bot.sent_to(activities.STINNE)
    assert texts.OVERSIGT_TITLE in card_texts(overview.cards[0]), "the overview, in her personal chat"


async def test_an_eksempel_still_at_the_leder_is_not_sent(demo_bot: BotUnderTest) -> None:
    """The demo's route is [leder, indsamler]: Herstedlund's eksempel waiting for Sofie has not reached Stinne."""
    known = await ids(demo_bot)
    await demo_bot.query(
        insert(Entry).values(
            kind=EntryKind.EKSEMPEL,
            owner_id=known[METTE],
            unit_id=known["herstedlund"],
            data={"tema": "mod", "niveau": "medarbejder", "eksempel": "Vi siger fra", "situation": ""},
            status=EntryStatus.PENDING,
            stage=0,
            version=1,
            idempotency_key="eks-at-leder",
        )
    )
    sent = only(await demo_bot.say("oversigt", user=activities.STINNE))
    assert danish.fill(texts.OVERSIGT_TOTALS, received=0, units_sent=0, units=3) in card_texts(sent.cards[0])
