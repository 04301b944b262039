"""Every mål covered (issue 20): in `oversigt`, a leder sees the unit's mål and which lack tegn or
prøvehandlinger, a chef the afdeling with a drill-down per unit, Chefforum every mål per målsætning across the
organisation; each count checked against the database."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import openpyxl
from sqlalchemy import func, insert, select

from bot import export_links
from cards import danish, texts
from core.vocabulary import EntryKind, EntryStatus, Role
from storage.models import Entry, Maal, Maalplan, Person, Proevehandling, RoleAssignment, Unit
from testkit import activities
from testkit.connector import only
from tests.cardtext import card_texts
from tests.conftest import BotUnderTest


async def person_id(bot: BotUnderTest, email: str) -> int:
    [(found,)] = await bot.query(select(Person.id).where(Person.email == email))
    return int(found)


async def maal_ids(bot: BotUnderTest) -> dict[str, int]:
    return {key: maal_id for key, maal_id in await bot.query(select(Maal.key, Maal.id))}


async def add_entries(bot: BotUnderTest, maal_key: str, kind: EntryKind, *statuses: EntryStatus) -> None:
    known = await maal_ids(bot)
    [(unit_id,)] = await bot.query(
        select(Maalplan.unit_id).join(Maal, Maal.maalplan_id == Maalplan.id).where(Maal.id == known[maal_key])
    )
    owner = await person_id(bot, activities.METTE.email)
    for n, status in enumerate(statuses):
        data: dict[str, Any] = (
            {"tegn": f"Tegn {n}"} if kind is EntryKind.TEGN else {"laering": f"Læring {n}", "evaluering": "undervejs"}
        )
        when = dt.datetime(2026, 11, 3, 8, tzinfo=dt.UTC) + dt.timedelta(hours=n)
        await bot.query(
            insert(Entry).values(
                kind=kind,
                owner_id=owner,
                unit_id=unit_id,
                maal_id=known[maal_key],
                data=data,
                status=status,
                stage=0,
                version=1,
                idempotency_key=f"{maal_key}-{kind}-{n}-{status}",
                created_at=when,
                updated_at=when,
            )
        )


async def add_maal_without_proevehandlinger(bot: BotUnderTest) -> None:
    [(plan_id,)] = await bot.query(select(Maalplan.id).join(Unit).where(Unit.key == "kirkebjerg"))
    await bot.query(
        insert(Maal).values(
            maalplan_id=plan_id,
            key="bevaegelse",
            position=9,
            title="Børnene bevæger sig mere i løbet af dagen",
            maalsaetning="Alle børn skal have et godt sprog og lyst til at lære",
            politik="",
            description="",
        )
    )


async def expected_counts(bot: BotUnderTest, maal_key: str) -> str:
    """The mål's counts line, counted in the database."""
    maal_id = (await maal_ids(bot))[maal_key]

    async def count(kind: EntryKind, status: EntryStatus) -> int:
        [(n,)] = await bot.query(
            select(func.count()).where(Entry.maal_id == maal_id, Entry.kind == kind, Entry.status == status)
        )
        return int(n)

    [(proevehandlinger,)] = await bot.query(select(func.count()).where(Proevehandling.maal_id == maal_id))
    return texts.OVERSIGT_MAAL_COUNTS.format(
        tegn=await count(EntryKind.TEGN, EntryStatus.APPROVED),
        tegn_pending=await count(EntryKind.TEGN, EntryStatus.PENDING),
        ph=proevehandlinger,
        ph_pending=0,
        laering=await count(EntryKind.LAERING, EntryStatus.APPROVED),
        laering_pending=await count(EntryKind.LAERING, EntryStatus.PENDING),
    )


async def seed(bot: BotUnderTest) -> None:
    await add_entries(bot, "sprog", EntryKind.TEGN, EntryStatus.APPROVED, EntryStatus.APPROVED, EntryStatus.PENDING)
    await add_entries(bot, "sprog", EntryKind.LAERING, EntryStatus.APPROVED, EntryStatus.REJECTED)
    await add_entries(bot, "natur", EntryKind.TEGN, EntryStatus.PENDING, EntryStatus.SENT_BACK)
    await add_entries(bot, "fravaer", EntryKind.TEGN, EntryStatus.APPROVED)
    await add_entries(bot, "modtagelse", EntryKind.TEGN, EntryStatus.APPROVED)
    await add_maal_without_proevehandlinger(bot)


async def test_a_leder_sees_the_units_maal_and_what_they_lack(demo_bot: BotUnderTest) -> None:
    await seed(demo_bot)
    card = only(await demo_bot.say("oversigt", user=activities.LARS)).cards[0]
    shown = card_texts(card)
    for key in ("sprog", "natur", "bevaegelse"):
        assert await expected_counts(demo_bot, key) in shown, key
    assert "Børnene bevæger sig mere i løbet af dagen" in shown
    assert texts.OVERSIGT_COVERAGE_UNIT.format(maal=3, no_tegn=2, no_ph=1) in shown
    # natur has a pending tegn only: it still lacks one; the new mål lacks both; sprog lacks nothing.
    assert shown.count(texts.OVERSIGT_MAAL_LACKS_TEGN) == 1
    assert shown.count(texts.OVERSIGT_MAAL_LACKS_BOTH) == 1
    assert texts.OVERSIGT_MAAL_LACKS_PH not in shown
    assert "Færre elever har bekymrende fravær" not in shown, "another unit's mål"
    assert texts.OVERSIGT_ACROSS_BUTTON not in shown, "Lars is not in Chefforum"


async def test_a_chef_sees_the_afdeling_and_opens_a_unit(demo_bot: BotUnderTest) -> None:
    await seed(demo_bot)
    home = only(await demo_bot.say("oversigt", user=activities.KARIN))
    shown = card_texts(home.cards[0])
    assert texts.OVERSIGT_COVERAGE_UNIT.format(maal=3, no_tegn=2, no_ph=1) in shown  # Kirkebjerg
    assert texts.OVERSIGT_COVERAGE_UNIT.format(maal=1, no_tegn=0, no_ph=0) in shown  # Herstedlund
    assert "Børnene bevæger sig mere i løbet af dagen" not in shown, "the chef's page lists units, not mål"
    unit = only(
        await demo_bot.click(home, texts.OVERSIGT_UNIT_OPEN.format(unit="Dagtilbud Kirkebjerg"), user=activities.KARIN)
    )
    opened = card_texts(unit.cards[0])
    assert texts.OVERSIGT_UNIT_COVERAGE_TITLE.format(unit="Dagtilbud Kirkebjerg") in opened
    for key in ("sprog", "natur", "bevaegelse"):
        assert await expected_counts(demo_bot, key) in opened, key
    back = only(await demo_bot.click(unit, texts.OVERSIGT_BACK, user=activities.KARIN))
    assert texts.OVERSIGT_MANAGER_TITLE.format(title="Center for Dagtilbud og Skole") in card_texts(back.cards[0])


async def test_a_unit_outside_the_chefs_afdeling_is_refused_on_the_server(demo_bot: BotUnderTest) -> None:
    [(hr,)] = await demo_bot.query(select(Unit.id).where(Unit.key == "hr-arbejdsmiljo"))
    await demo_bot.installed(activities.KARIN)
    await demo_bot.installed(activities.LARS)
    forged = activities.submit(demo_bot.service_url, {"action": "oversigt_enhed", "unit_id": hr}, user=activities.KARIN)
    [refused] = await demo_bot._turn(forged)
    assert refused.text == texts.OVERSIGT_NOT_IN_SCOPE
    # Chefforum's view is Chefforum's: Lars is refused, however the click was made.
    forged = activities.submit(demo_bot.service_url, {"action": "oversigt_tvaers"}, user=activities.LARS)
    [refused] = await demo_bot._turn(forged)
    assert refused.text == texts.OVERSIGT_NOT_IN_SCOPE


async def test_chefforum_sees_every_maal_per_maalsaetning(demo_bot: BotUnderTest) -> None:
    await seed(demo_bot)
    home = only(await demo_bot.say("oversigt", user=activities.KARIN))
    across = only(await demo_bot.click(home, texts.OVERSIGT_ACROSS_BUTTON, user=activities.KARIN))
    shown = card_texts(across.cards[0])
    assert texts.OVERSIGT_ACROSS_TITLE in shown
    # Every unit's mål, HR's too (outside Karin's afdeling): 5 mål, 2 without approved tegn, 1 without prøvehandlinger.
    assert texts.OVERSIGT_ACROSS_INTRO.format(maal=5, no_tegn=2, no_ph=1) in shown
    sprog = "Alle børn skal have et godt sprog og lyst til at lære"
    assert sprog in shown
    # Two mål under it (sprog and the new one), in one unit: tegn counted in the database.
    [(approved,)] = await demo_bot.query(
        select(func.count())
        .select_from(Entry)
        .join(Maal, Entry.maal_id == Maal.id)
        .where(Maal.maalsaetning == sprog, Entry.kind == EntryKind.TEGN, Entry.status == EntryStatus.APPROVED)
    )
    line = texts.OVERSIGT_ACROSS_LINE.format(
        maal=2,
        units=danish.fill(texts.OVERSIGT_UNITS, count=1),
        no_tegn=1,
        no_ph=1,
        tegn=approved,
        tegn_pending=1,
        laering=1,
    )
    assert line in shown
    assert "Albertslund Kommune er en attraktiv arbejdsplads" in shown
    # Alphabetical: Albertslund Kommune …, Alle børn og unge …, Alle børn skal have … (the third button).
    opened = only(await demo_bot.click(across, texts.OVERSIGT_MAALSAETNING_OPEN, user=activities.KARIN, nth=2))
    mål = card_texts(opened.cards[0])
    assert sprog in mål and "Børnene bevæger sig mere i løbet af dagen" in mål
    assert await expected_counts(demo_bot, "sprog") in mål


async def test_a_chefforum_member_without_other_roles_gets_the_view_across(demo_bot: BotUnderTest) -> None:
    mette = await person_id(demo_bot, activities.METTE.email)
    await demo_bot.query(insert(RoleAssignment).values(person_id=mette, role=Role.CHEFFORUM, unit_id=None))
    sent = only(await demo_bot.say("oversigt", user=activities.METTE))
    assert texts.OVERSIGT_ACROSS_TITLE in card_texts(sent.cards[0])


async def test_chefforum_downloads_the_workbook_across_maalplaner_by_a_signed_link(demo_bot: BotUnderTest) -> None:
    await seed(demo_bot)
    home = only(await demo_bot.say("oversigt", user=activities.KARIN))
    across = only(await demo_bot.click(home, texts.OVERSIGT_ACROSS_BUTTON, user=activities.KARIN))
    [message] = await demo_bot.click(across, texts.OVERSIGT_ACROSS_EXPORT, user=activities.KARIN)
    assert message.text
    match = re.search(r"\((http://[^)]+/exports/chefforum/[^)]+)\)", message.text)
    assert match, message.text
    url = match.group(1)
    assert message.text == danish.fill(texts.CHEFFORUM_EXPORT_READY, url=url, minutes=10)
    path = url.split("127.0.0.1:3978", 1)[-1]
    response = await demo_bot.client.get(path)
    assert response.status == 200
    workbook = openpyxl.load_workbook(io.BytesIO(await response.read()))
    assert workbook.sheetnames[0] == texts.CHEFFORUM_EXPORT_SUMMARY
    assert "Center for Ledelse og Personale" in workbook.sheetnames
    # Signed for Lars, who is not in Chefforum: refused; a målplan link's token does not open it either.
    [(lars,)] = await demo_bot.query(select(Person.id).where(Person.email == activities.LARS.email))
    foreign = export_links.chefforum_link(demo_bot.settings, person_id=lars).split("127.0.0.1:3978", 1)[-1]
    assert (await demo_bot.client.get(foreign)).status == 403
    [(plan,)] = await demo_bot.query(select(Maalplan.id).limit(1))
    [(karin,)] = await demo_bot.query(select(Person.id).where(Person.email == activities.KARIN.email))
    token = export_links.link(demo_bot.settings, maalplan_id=plan, person_id=karin).rsplit("/", 1)[-1]
    assert (await demo_bot.client.get(f"/exports/chefforum/{token}")).status == 403


async def test_an_indsamler_in_chefforum_opens_the_view_across_from_her_overview(demo_bot: BotUnderTest) -> None:
    stinne = await person_id(demo_bot, activities.STINNE.email)
    await demo_bot.query(insert(RoleAssignment).values(person_id=stinne, role=Role.CHEFFORUM, unit_id=None))
    home = only(await demo_bot.say("oversigt", user=activities.STINNE))
    assert texts.OVERSIGT_MATRIX_TITLE in card_texts(home.cards[0])
    across = only(await demo_bot.click(home, texts.OVERSIGT_ACROSS_BUTTON, user=activities.STINNE))
    assert texts.OVERSIGT_ACROSS_TITLE in card_texts(across.cards[0])
