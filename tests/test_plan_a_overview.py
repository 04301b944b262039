"""Plan A across arbejdspladser over HTTP (issue 21, points 5 and 6): the chef's `oversigt plan a` with its counts
checked against the database, Chefforum's view of every arbejdsplads, a leder and a medarbejder refused, paging
with no cap; the reminders before the two Plan A deadlines on a moved clock, exactly once with two instances (on
SQLite and PostgreSQL); and the indikator field in the tegn, læring and prøvehandling flows."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import insert, select

from app import SCHEDULER
from bot.scheduler import Scheduler
from cards import danish, payloads, texts
from cards.base import MAX_CARD_BYTES, utf16_size
from cards.payloads import NO_CHOICE, Command
from cards.plan_a_overview import overview_card
from cli.demo import DEMO_PLAN_A_STATUS, seed_database
from core.vocabulary import EntryKind, EntryStatus, NotificationStatus, OutboxKind, Role, UnitKind
from domain import clock, plan_a_overview, plan_a_reminders
from domain.actor import Actor
from storage.db import create_engine, create_sessionmaker
from storage.models import Entry, Maal, OutboxMessage, Person, Reminder, RoleAssignment, Unit
from storage.orgfile import import_file
from testkit import activities
from testkit.activities import AHMED, KARIN, LARS, METTE, SOFIE, User
from testkit.connector import Member, RecordingConnector, Sent, only
from testkit.login import LoginEndpoint
from tests.cardtext import action, card_texts, inputs
from tests.conftest import DEMO_ORGANISATION, BotUnderTest
from tests.tabkit import sign_in
from tests.test_reminders import start_bot
from tests.test_tab import login, tab  # noqa: F401  (the tab's fixtures)

TODAY = dt.datetime(2026, 12, 4, 10, tzinfo=clock.COPENHAGEN)
FORM_DAY = dt.date(2026, 11, 1)
IN_USE_DAY = dt.date(2026, 12, 1)
NATUR_TEGN = "Flere børn samler selv affald op på turen"


@pytest.fixture
def frozen() -> Iterator[None]:
    with clock.frozen(TODAY.astimezone(dt.UTC)):
        yield


def card_of(sent: list[Sent]) -> dict[str, Any]:
    [card] = only(sent).cards
    return card


async def linked_counts(bot: BotUnderTest) -> dict[tuple[str, int], dict[EntryKind, int]]:
    """Per unit name and indikator: the linked tegn, prøvehandlinger and læring, read from the entries' data (not
    from the generated column the overview reads)."""
    rows = await bot.query(select(Unit.name, Entry.kind, Entry.status, Entry.data).join(Unit, Unit.id == Entry.unit_id))
    counted: dict[tuple[str, int], dict[EntryKind, int]] = {}
    for name, kind, status, data in rows:
        number = data.get("indikator")
        if number is None or status not in (EntryStatus.PENDING, EntryStatus.SENT_BACK, EntryStatus.APPROVED):
            continue
        per_kind = counted.setdefault((name, int(number)), {})
        per_kind[kind] = per_kind.get(kind, 0) + 1
    return counted


def counts_line(per_kind: dict[EntryKind, int]) -> str:
    return texts.PLAN_A_OVERVIEW_COUNTS.format(
        tegn=per_kind.get(EntryKind.TEGN, 0),
        ph=per_kind.get(EntryKind.PROEVEHANDLING, 0),
        laering=per_kind.get(EntryKind.LAERING, 0),
    )


def starts(number: int) -> str:
    """How an indikator's line on the overview begins."""
    return texts.PLAN_A_OVERVIEW_INDIKATOR.split("{text}")[0].format(number=number)


def unit_lines(card: dict[str, Any], unit: str) -> list[str]:
    """The texts of one unit's container on the overview card."""
    for element in card["body"]:
        texts_in = card_texts({"body": [element]}) if element.get("type") == "Container" else []
        if unit in texts_in:
            return [line for text in texts_in for line in text.split("\n")]
    raise AssertionError(f"{unit} is not on the card")


# --- The chef and Chefforum in `oversigt` -------------------------------------------------------------------------


async def test_the_chefs_overview_shows_each_arbejdsplads_with_counts_as_in_the_database(
    demo_bot: BotUnderTest, frozen: None
) -> None:
    await seed_database(demo_bot.settings.DATABASE_URL)
    # Mette links a tegn to indikator 6 through the flow (one more than the demo's).
    await propose_tegn(demo_bot, indikator="6")
    # From `oversigt`: the chef's card has the button.
    sent = await demo_bot.say(Command.OVERSIGT, user=KARIN)
    home = card_of(sent)
    sent = await demo_bot.click(only(sent), texts.PLAN_A_OVERVIEW_BUTTON, user=KARIN)
    card = card_of(sent)
    assert texts.PLAN_A_OVERVIEW_BUTTON in card_texts(home)
    shown = card_texts(card)
    assert texts.PLAN_A_OVERVIEW_TITLE.format(title="Center for Dagtilbud og Skole") in shown
    assert danish.fill(texts.PLAN_A_OVERVIEW_TOTALS, units=2, decided=1, in_use=1, written=1) in shown
    assert "HR og Arbejdsmiljø" not in shown, "another afdeling's arbejdsplads"

    kirkebjerg = unit_lines(card, "Dagtilbud Kirkebjerg")
    decided = texts.PLAN_A_OVERVIEW_FORM_DECIDED.format(date="28. oktober 2026")
    in_use = texts.PLAN_A_OVERVIEW_IN_USE.format(date="25. november 2026")
    assert f"{decided} · {in_use}" in kirkebjerg
    assert danish.fill(texts.PLAN_A_OVERVIEW_WRITTEN, written=3, count=3) in kirkebjerg
    herstedlund = unit_lines(card, "Herstedlund Skole")
    assert texts.PLAN_A_OVERVIEW_NOT_STARTED in herstedlund
    assert f"{texts.PLAN_A_OVERVIEW_FORM_MISSING} · {texts.PLAN_A_OVERVIEW_IN_USE_MISSING}" in herstedlund
    assert danish.fill(texts.PLAN_A_OVERVIEW_WRITTEN, written=0, count=3) in herstedlund

    # Every indikator's counts as the database has them, and the latest status where one is recorded.
    counted = await linked_counts(demo_bot)
    assert counted[("Dagtilbud Kirkebjerg", 6)] == {EntryKind.TEGN: 1, EntryKind.LAERING: 1}
    assert counted[("Dagtilbud Kirkebjerg", 1)] == {EntryKind.TEGN: 1}
    status_on = DEMO_PLAN_A_STATUS[0]
    for number in (1, 6, 8):
        [line] = [text for text in kirkebjerg if text.startswith(starts(number))]
        assert line.endswith(counts_line(counted.get(("Dagtilbud Kirkebjerg", number), {})))
        assert texts.PLAN_A_OVERVIEW_IS_WRITTEN in line
        if number == status_on:  # the demo's status, recorded by Lars
            shown = texts.PLAN_A_OVERVIEW_STATUS.format(
                colour=texts.PLAN_A_STATUS_LABELS[DEMO_PLAN_A_STATUS[1].value], date=danish.date(DEMO_PLAN_A_STATUS[3])
            )
            assert shown in line
        else:
            assert texts.PLAN_A_OVERVIEW_NO_STATUS in line
    for number in (1, 6, 8):
        [line] = [text for text in herstedlund if text.startswith(starts(number))]
        assert line.endswith(counts_line({})) and texts.PLAN_A_OVERVIEW_NOT_WRITTEN in line
    # The chef opens one arbejdsplads's Plan A from the card.
    opened = card_of(
        await demo_bot.click(only(sent), texts.PLAN_A_OVERVIEW_OPEN.format(unit="Herstedlund Skole"), user=KARIN)
    )
    assert texts.PLAN_A_TITLE.format(unit="Herstedlund Skole") in card_texts(opened)


async def test_chefforum_sees_every_arbejdsplads_by_afdeling(demo_bot: BotUnderTest, frozen: None) -> None:
    await seed_database(demo_bot.settings.DATABASE_URL)
    # Karin is chef and in Chefforum: her own afdeling first, with the way to every arbejdsplads.
    sent = await demo_bot.say("oversigt plan a", user=KARIN)
    assert texts.PLAN_A_OVERVIEW_EVERYONE in card_texts(card_of(sent))
    everyone = card_of(await demo_bot.click(only(sent), texts.PLAN_A_OVERVIEW_EVERYONE, user=KARIN))
    shown = card_texts(everyone)
    assert texts.PLAN_A_OVERVIEW_TITLE_ALL in shown
    for name in ("Center for Dagtilbud og Skole", "Center for Ledelse og Personale", "HR og Arbejdsmiljø"):
        assert name in shown
    assert danish.fill(texts.PLAN_A_OVERVIEW_TOTALS, units=3, decided=1, in_use=1, written=1) in shown
    assert texts.PLAN_A_OVERVIEW_OWN in shown
    assert card_texts(card_of(await demo_bot.say("oversigt plan a alle", user=KARIN))) == shown
    # Ahmed in Chefforum, and no chef: every arbejdsplads from the start, without the chef's »Se Plan A«.
    [(ahmed_id,)] = await demo_bot.query(select(Person.id).where(Person.email == AHMED.email))
    await demo_bot.query(insert(RoleAssignment).values(person_id=ahmed_id, role=Role.CHEFFORUM, unit_id=None))
    his = card_texts(card_of(await demo_bot.say("oversigt plan a", user=AHMED)))
    assert texts.PLAN_A_OVERVIEW_TITLE_ALL in his and "HR og Arbejdsmiljø" in his
    assert not [t for t in his if t.startswith(texts.PLAN_A_OVERVIEW_OPEN.format(unit=""))]
    assert texts.PLAN_A_OVERVIEW_OWN not in his


@pytest.mark.parametrize("user", [LARS, METTE, SOFIE], ids=["leder", "medarbejder", "leder-2"])
async def test_a_leder_and_a_medarbejder_are_refused(demo_bot: BotUnderTest, user: User) -> None:
    await seed_database(demo_bot.settings.DATABASE_URL)
    assert only(await demo_bot.say("oversigt plan a", user=user)).text == texts.PLAN_A_OVERVIEW_NOT_ALLOWED
    # A forged click (a card they were never shown) is refused on the server too.
    for everyone in (None, True, False):
        value = {payloads.ACTION_KEY: payloads.OverviewPlanA.tag()}
        if everyone is not None:
            value["everyone"] = everyone  # type: ignore[assignment]
        await demo_bot.installed(user)
        sent = await demo_bot._turn(activities.submit(demo_bot.service_url, value, user=user))
        assert only(sent).text == texts.PLAN_A_OVERVIEW_NOT_ALLOWED
    # A leder's `oversigt` has no Plan A button.
    assert texts.PLAN_A_OVERVIEW_BUTTON not in card_texts(card_of(await demo_bot.say(Command.OVERSIGT, user=LARS)))


async def test_every_arbejdsplads_is_reached_page_by_page_within_teams_size(demo_bot: BotUnderTest) -> None:
    [(afdeling_id,)] = await demo_bot.query(select(Unit.id).where(Unit.key == "dagtilbud-skole"))
    long = "Børnehuset Ærtebjerghøj og Vuggestuen Åkanden i Østerbyen – afdeling for de mindste børn"
    for n in range(27):
        await demo_bot.query(
            insert(Unit).values(
                key=f"ekstra-{n}", name=f"{long} {n:02d}", kind=UnitKind.ARBEJDSPLADS, parent_id=afdeling_id
            )
        )
    seen: list[str] = []
    sent = await demo_bot.say("oversigt plan a", user=KARIN)
    pages = 0
    while True:
        pages += 1
        card = card_of(sent)
        assert len(json.dumps(card, ensure_ascii=False).encode("utf-16-le")) < MAX_CARD_BYTES
        seen += [
            t for t in card_texts(card) if t.startswith(long) or t in ("Dagtilbud Kirkebjerg", "Herstedlund Skole")
        ]
        if texts.OVERSIGT_NEXT not in card_texts(card):
            break
        sent = await demo_bot.click(only(sent), texts.OVERSIGT_NEXT, user=KARIN)
    expected = sorted([f"{long} {n:02d}" for n in range(27)] + ["Dagtilbud Kirkebjerg", "Herstedlund Skole"])
    assert sorted(seen) == expected and len(seen) == len(set(seen))
    assert pages == 4
    # Typed: the third page.
    third = card_texts(card_of(await demo_bot.say("oversigt plan a 3", user=KARIN)))
    assert texts.OVERSIGT_PAGE_UNITS.format(first=17, last=24, total=29) in third


def test_a_full_page_with_long_texts_stays_within_teams_size() -> None:
    """A page of arbejdspladser, each with all eight indikatorer, names at the columns' length (200), indikator
    texts at theirs (500) and two ledere: the card's size, measured (the chef's view, with a button per unit)."""
    seen = plan_a_overview.Scope(False, frozenset({1}), may_see_everyone=True, may_see_own=True)
    long = "Æ" * 200
    units = tuple(
        plan_a_overview.UnitPlanA(
            unit_id=n,
            name=long,
            afdeling_id=n,
            afdeling_name=long,
            ledere=("Å" * 200, "Ø" * 200),
            started=True,
            form="",
            form_decided_on=dt.date(2026, 10, 28),
            in_use_since=None,
            indikatorer=tuple(
                plan_a_overview.IndikatorState(i, "Ø" * 500, i < 4, True, None, {EntryKind.TEGN: 999})
                for i in range(1, 9)
            ),
        )
        for n in range(plan_a_overview.UNITS_PER_PAGE)
    )
    found = plan_a_overview.PlanAOverview(
        seen, "", 2026, (1, 2, 3), None, None, plan_a_overview.Totals(500, 1, 1, 1), units, offset=10
    )
    size = utf16_size(overview_card(overview=found))
    assert size < MAX_CARD_BYTES, size
    print(f"Plan A overview, a full page at the longest: {size} bytes of {MAX_CARD_BYTES}")


# --- Reminders before the two deadlines ---------------------------------------------------------------------------


def days_before(day: dt.date, days: int, hour: int = 9) -> dt.datetime:
    moment = day - dt.timedelta(days=days)
    return dt.datetime(moment.year, moment.month, moment.day, hour, tzinfo=clock.COPENHAGEN).astimezone(dt.UTC)


@pytest.fixture
async def org_url(database_url: str, connector: RecordingConnector) -> str:
    await import_file(database_url, DEMO_ORGANISATION)
    for user in (LARS, SOFIE, KARIN, METTE):
        connector.add_member(Member(user.id, user.name, user.aad_object_id, user.email))
    return database_url


async def reminding_bot(url: str, connector: RecordingConnector) -> BotUnderTest:
    return await start_bot(url, connector, PLAN_A_REMINDER_OFFSETS_DAYS=[14, 3])


@pytest.fixture
async def bot(org_url: str, connector: RecordingConnector) -> AsyncIterator[BotUnderTest]:
    started = await reminding_bot(org_url, connector)
    try:
        with clock.frozen(days_before(FORM_DAY, 30)):
            for user in (LARS, SOFIE, KARIN):
                await started.say("hjælp", user=user)  # a personal chat with the bot, so they can be reached
        yield started
    finally:
        await started.client.close()


def reminders_to(bot: BotUnderTest, user: User, title: str) -> list[list[str]]:
    return [card_texts(c) for s in bot.sent_to(user) for c in s.cards if title in card_texts(c)]


async def test_ledere_are_reminded_before_each_deadline_once_and_not_after_doing_it(bot: BotUnderTest) -> None:
    form, in_use = texts.PLAN_A_REMINDER_TITLE_FORM, texts.PLAN_A_REMINDER_TITLE_IN_USE
    assert await bot.tick(days_before(FORM_DAY, 15)) == []
    assert await bot.tick(days_before(FORM_DAY, 14, hour=7)) == [], "not before REMINDER_HOUR"
    await bot.tick(days_before(FORM_DAY, 14))
    [lars] = reminders_to(bot, LARS, form)
    [sofie] = reminders_to(bot, SOFIE, form)
    assert (
        texts.PLAN_A_REMINDER_TEXT_FORM.format(
            unit="Herstedlund Skole", date="1. november 2026", days_left="om 14 dage"
        )
        in sofie
    )
    assert texts.PLAN_A_REMINDER_BUTTON in lars
    assert not reminders_to(bot, KARIN, form), "a chef leads no arbejdsplads"
    # The same day again, and the next: nothing new.
    assert await bot.tick(days_before(FORM_DAY, 14, hour=16)) == []
    assert await bot.tick(days_before(FORM_DAY, 13)) == []
    # Lars decides the form (typed); at 3 days only Sofie is reminded.
    with clock.frozen(days_before(FORM_DAY, 10)):
        assert texts.PLAN_A_SAVED in card_texts(card_of(await bot.say("plan a besluttet 20.10.2026", user=LARS)))
    await bot.tick(days_before(FORM_DAY, 3))
    assert len(reminders_to(bot, LARS, form)) == 1 and len(reminders_to(bot, SOFIE, form)) == 2
    # The reminder's button opens the Plan A.
    card = next(c for s in bot.sent_to(SOFIE) for c in s.cards if form in card_texts(c))
    assert action(card, texts.PLAN_A_REMINDER_BUTTON)[payloads.ACTION_KEY] == payloads.PlanAShow.tag()
    # After the deadline: nothing. Before »i brug« (1 December): both, neither has taken it into use.
    assert await bot.tick(days_before(FORM_DAY, -1)) == []
    await bot.tick(days_before(IN_USE_DAY, 14))
    assert len(reminders_to(bot, LARS, in_use)) == 1 and len(reminders_to(bot, SOFIE, in_use)) == 1
    rows = await bot.query(
        select(Unit.key, Reminder.deadline_key, Reminder.offset_days)
        .join(Unit, Unit.id == Reminder.unit_id)
        .where(Reminder.deadline_key.in_(plan_a_reminders.KEYS))
        .order_by(Reminder.id)
    )
    assert rows == [
        ("kirkebjerg", "plan-a-form", 14),
        ("herstedlund", "plan-a-form", 14),
        ("herstedlund", "plan-a-form", 3),
        ("kirkebjerg", "plan-a-i-brug", 14),
        ("herstedlund", "plan-a-i-brug", 14),
    ], "HR og Arbejdsmiljø has no leder: nobody to remind, nothing claimed"


async def test_a_unit_that_decides_after_the_reminder_was_queued_gets_no_card(bot: BotUnderTest, org_url: str) -> None:
    # Queued by the tick's first half, then Sofie decides before delivery: the card is rendered at delivery.
    scheduler: Scheduler = bot.client.app[SCHEDULER]
    engine = create_engine(org_url)
    try:
        with clock.frozen(days_before(FORM_DAY, 14)):
            async with create_sessionmaker(engine).begin() as session:
                due = await plan_a_reminders.due(session, scheduler.outbox.config, clock.now())
                await plan_a_reminders.queue_due(session, due)
    finally:
        await engine.dispose()
    with clock.frozen(days_before(FORM_DAY, 14, hour=10)):
        await bot.say("plan a besluttet 10.10.2026", user=SOFIE)
    await bot.tick(days_before(FORM_DAY, 14, hour=11))
    assert not reminders_to(bot, SOFIE, texts.PLAN_A_REMINDER_TITLE_FORM)
    assert len(reminders_to(bot, LARS, texts.PLAN_A_REMINDER_TITLE_FORM)) == 1


async def test_two_instances_ticking_at_once_send_each_reminder_once(
    bot: BotUnderTest, org_url: str, connector: RecordingConnector
) -> None:
    other = await reminding_bot(org_url, connector)
    try:
        for moment in (days_before(FORM_DAY, 14), days_before(FORM_DAY, 3), days_before(IN_USE_DAY, 14)):
            await asyncio.gather(bot.tick(moment), other.tick(moment))
        assert len(reminders_to(bot, LARS, texts.PLAN_A_REMINDER_TITLE_FORM)) == 2
        assert len(reminders_to(bot, SOFIE, texts.PLAN_A_REMINDER_TITLE_FORM)) == 2
        assert len(reminders_to(bot, SOFIE, texts.PLAN_A_REMINDER_TITLE_IN_USE)) == 1
        statuses = await bot.query(select(OutboxMessage.status).where(OutboxMessage.kind == OutboxKind.PLAN_A_REMINDER))
        assert [s for (s,) in statuses] == [NotificationStatus.SENT] * 6
    finally:
        await other.client.close()


# --- The indikator field in the flows -----------------------------------------------------------------------------


async def maal_id(bot: BotUnderTest, key: str) -> int:
    [(found,)] = await bot.query(select(Maal.id).where(Maal.key == key))
    return int(found)


async def tegn_form(bot: BotUnderTest, maal_key: str) -> Sent:
    picker = only(await bot.say(Command.TEGN))
    return only(await bot.click(picker, texts.BUTTON_CHOOSE, maal_id=str(await maal_id(bot, maal_key))))


async def propose_tegn(bot: BotUnderTest, *, indikator: str | None = None, maal_key: str = "natur") -> Sent:
    form = await tegn_form(bot, maal_key)
    typed = {"indikator": indikator} if indikator is not None else {}
    check = only(await bot.click(form, texts.BUTTON_NEXT, tegn=NATUR_TEGN, **typed))
    return only(await bot.click(check, texts.BUTTON_SEND))


async def last_entry(bot: BotUnderTest) -> Entry:
    [(entry,)] = await bot.query(select(Entry).order_by(Entry.id.desc()).limit(1))
    return entry  # type: ignore[no-any-return]


async def test_a_tegn_takes_the_maals_indikator_by_default_and_another_or_none(demo_bot: BotUnderTest) -> None:
    # The natur mål has `indikator: 1` in the organisation file: chosen beforehand, with the hint.
    form = await tegn_form(demo_bot, "natur")
    assert inputs(form.cards[0])["indikator"] == "1"
    assert texts.INDIKATOR_HINT in card_texts(form.cards[0])
    check = only(await demo_bot.click(form, texts.BUTTON_NEXT, tegn=NATUR_TEGN))
    assert texts.INDIKATOR_SHOWN.format(number=1) in card_texts(check.cards[0])
    receipt = only(await demo_bot.click(check, texts.BUTTON_SEND))
    assert texts.INDIKATOR_SHOWN.format(number=1) in card_texts(receipt.cards[0])
    entry = await last_entry(demo_bot)
    assert entry.indikator == 1 and entry.data["indikator"] == 1
    # Another indikator, and none at all (»Ingen indikator« stays chosen on Ret).
    await propose_tegn(demo_bot, indikator="6")
    assert (await last_entry(demo_bot)).indikator == 6
    form = await tegn_form(demo_bot, "natur")
    check = only(await demo_bot.click(form, texts.BUTTON_NEXT, tegn=NATUR_TEGN, indikator=NO_CHOICE))
    assert texts.INDIKATOR_FIELD not in card_texts(check.cards[0])
    edit = only(await demo_bot.click(check, texts.BUTTON_EDIT))
    assert inputs(edit.cards[0])["indikator"] == NO_CHOICE
    check = only(await demo_bot.click(edit, texts.BUTTON_NEXT))
    only(await demo_bot.click(check, texts.BUTTON_SEND))
    entry = await last_entry(demo_bot)
    assert entry.indikator is None and "indikator" not in entry.data
    # The sprog mål names no indikator: none chosen beforehand.
    assert inputs((await tegn_form(demo_bot, "sprog")).cards[0])["indikator"] == NO_CHOICE


async def test_an_unknown_indikator_is_refused_and_everything_typed_kept(demo_bot: BotUnderTest) -> None:
    form = await tegn_form(demo_bot, "natur")
    for wrong in ("42", "ti"):
        again = only(await demo_bot.click(form, texts.BUTTON_NEXT, tegn=NATUR_TEGN, maalgruppe="Børn", indikator=wrong))
        shown = card_texts(again.cards[0])
        assert texts.ERROR_UNKNOWN_INDIKATOR in shown or texts.ERROR_CHOOSE_ONE in shown
        assert inputs(again.cards[0])["tegn"] == NATUR_TEGN and inputs(again.cards[0])["maalgruppe"] == "Børn"
    assert await demo_bot.query(select(Entry.id)) == []


async def test_laering_and_proevehandling_carry_an_indikator(demo_bot: BotUnderTest) -> None:
    with clock.frozen(TODAY.astimezone(dt.UTC)):
        # Læring on the sprog mål's first prøvehandling, linked to indikator 6.
        picker = only(await demo_bot.say(Command.LAERING))
        ph_picker = only(await demo_bot.click(picker, texts.BUTTON_CHOOSE))
        form = only(await demo_bot.click(ph_picker, texts.BUTTON_CHOOSE))
        assert inputs(form.cards[0])["indikator"] == NO_CHOICE
        check = only(
            await demo_bot.click(
                form, texts.BUTTON_NEXT, evaluering="undervejs", laering="Små grupper virker", indikator="6"
            )
        )
        assert texts.INDIKATOR_SHOWN.format(number=6) in card_texts(check.cards[0])
        only(await demo_bot.click(check, texts.BUTTON_SEND))
        laering = await last_entry(demo_bot)
        assert laering.kind is EntryKind.LAERING and laering.indikator == 6
        # A prøvehandling on the natur mål: its indikator (1) beforehand on the first step, 8 chosen.
        picker = only(await demo_bot.say(Command.PROEVEHANDLING))
        hvad = only(await demo_bot.click(picker, texts.BUTTON_CHOOSE, maal_id=str(await maal_id(demo_bot, "natur"))))
        assert inputs(hvad.cards[0])["indikator"] == "1"
        refused = only(
            await demo_bot.click(hvad, texts.BUTTON_NEXT, handling="Skraldeture hver fredag", indikator="99")
        )
        assert texts.ERROR_UNKNOWN_INDIKATOR in card_texts(refused.cards[0])
        vide = only(await demo_bot.click(refused, texts.BUTTON_NEXT, handling="Skraldeture hver fredag", indikator="8"))
        inddragelse = only(await demo_bot.click(vide, texts.BUTTON_NEXT, hvordan_ser_vi="Vi tæller poserne"))
        evaluering = only(await demo_bot.click(inddragelse, texts.BUTTON_NEXT))
        later = (TODAY + dt.timedelta(days=60)).date().isoformat()
        check = only(await demo_bot.click(evaluering, texts.BUTTON_NEXT, evalueres=later))
        assert texts.INDIKATOR_SHOWN.format(number=8) in card_texts(check.cards[0])
        only(await demo_bot.click(check, texts.BUTTON_SEND))
        proposal = await last_entry(demo_bot)
        assert proposal.kind is EntryKind.PROEVEHANDLING and proposal.indikator == 8
        # The chef's overview counts them per indikator.
        card = card_of(await demo_bot.say("oversigt plan a", user=KARIN))
    kirkebjerg = unit_lines(card, "Dagtilbud Kirkebjerg")
    [six] = [t for t in kirkebjerg if t.startswith(starts(6))]
    assert six.endswith(counts_line({EntryKind.LAERING: 1}))
    [eight] = [t for t in kirkebjerg if t.startswith(starts(8))]
    assert eight.endswith(counts_line({EntryKind.PROEVEHANDLING: 1}))


def test_the_overview_scope_is_the_domains() -> None:
    chef = Actor(1, "Karin", 2, frozenset({(Role.CHEF, 2)}))
    forum = Actor(2, "Ahmed", 3, frozenset({(Role.CHEFFORUM, None)}))
    both = Actor(3, "K", 2, frozenset({(Role.CHEF, 2), (Role.CHEFFORUM, None)}))
    leder = Actor(4, "Lars", 3, frozenset({(Role.LEDER, 3)}))
    assert plan_a_overview.scope(chef) == plan_a_overview.Scope(False, frozenset({2}), False, True)
    assert plan_a_overview.scope(chef, everyone=True) is None
    assert plan_a_overview.scope(forum) == plan_a_overview.Scope(True, frozenset(), True, False)
    assert plan_a_overview.scope(forum, everyone=False) is None
    own = plan_a_overview.scope(both)
    assert own is not None and not own.everyone and own.may_see_everyone
    every = plan_a_overview.scope(both, everyone=True)
    assert every is not None and every.everyone and every.may_see_own
    assert plan_a_overview.scope(leder) is None


# --- The tab's Overblik page ----------------------------------------------------------------------------------------


async def test_the_tabs_overblik_shows_plan_a_to_the_chef_and_chefforum_only(
    tab: TestClient,  # noqa: F811  (tests.test_tab's fixture)
    login: LoginEndpoint,  # noqa: F811
    sqlite_url: str,
) -> None:
    await seed_database(sqlite_url)
    headers = await sign_in(tab, login, KARIN.email)
    page = await (await tab.get("/tab/overblik", headers=headers)).text()
    assert texts.PLAN_A_OVERVIEW_TITLE.format(title="Center for Dagtilbud og Skole") in page
    assert texts.TAB_OVERBLIK_MATRIX in page, "the chef's eksempel sections stay"
    assert 'data-unit="' in page and "HR og Arbejdsmiljø</td>" not in page
    assert "28. oktober 2026" in page and texts.PLAN_A_OVERVIEW_FORM_MISSING in page
    assert danish.fill(texts.PLAN_A_OVERVIEW_TOTALS, units=2, decided=1, in_use=1, written=1) in page
    # Chefforum's view of every arbejdsplads, the same read model.
    everyone = await (await tab.get("/tab/overblik?plan_a=alle", headers=headers)).text()
    assert texts.PLAN_A_OVERVIEW_TITLE_ALL in everyone and "HR og Arbejdsmiljø" in everyone
    # Ahmed in Chefforum and nothing else: the page opens with Plan A only.
    engine = create_engine(sqlite_url)
    try:
        async with create_sessionmaker(engine).begin() as session:
            ahmed = await session.scalar(select(Person.id).where(Person.email == AHMED.email))
            session.add(RoleAssignment(person_id=ahmed, role=Role.CHEFFORUM, unit_id=None))
    finally:
        await engine.dispose()
    headers = await sign_in(tab, login, AHMED.email)
    response = await tab.get("/tab/overblik", headers=headers)
    assert response.status == 200
    page = await response.text()
    assert texts.PLAN_A_OVERVIEW_TITLE_ALL in page and texts.TAB_OVERBLIK_MATRIX not in page
    # A leder and a medarbejder: refused.
    for user in (LARS, METTE):
        headers = await sign_in(tab, login, user.email)
        assert (await tab.get("/tab/overblik?plan_a=alle", headers=headers)).status == 403
