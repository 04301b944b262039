"""The målplan export: sheets by årshjul phase, Danish headers, signed expiring links, the CLI."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import func, insert, select, update

from bot import export_links
from cards import danish, texts
from cards.approval import DECIDE_VERB
from cards.payloads import Command
from core.vocabulary import Action, EntryKind, EntryStatus
from domain import clock
from storage.models import Decision, Entry, Maal, Maalplan, Person, Proevehandling, Unit
from testkit.activities import KARIN, LARS, METTE
from tests.cardtext import card_texts, template_start
from tests.conftest import BotUnderTest
from tests.test_approvals import decision, propose

ROOT = Path(__file__).resolve().parents[1]
# Målplaner of demo/organisation.yaml: Karin is chef for the first two, Lars leder of the first.
KIRKEBJERG_PLAN = "Målplan 2026 – Dagtilbud Kirkebjerg"
HERSTEDLUND_PLAN = "Målplan 2026 – Herstedlund Skole"
HR_PLAN = "Målplan 2026 – HR og Arbejdsmiljø"
# A prøvehandling of Kirkebjerg's målplan, listed on every sheet.
PROEVEHANDLING = "Dialogisk læsning i små grupper hver formiddag"


async def approve(bot: BotUnderTest, entry_id: int) -> None:
    await bot.execute(DECIDE_VERB, decision(entry_id, Action.RECOMMEND, 1), user=LARS)
    await bot.execute(DECIDE_VERB, decision(entry_id, Action.APPROVE, 2), user=KARIN)
    await bot.settle()


async def set_created(bot: BotUnderTest, entry_id: int, day: dt.date) -> None:
    moment = dt.datetime.combine(day, dt.time(10, 0), tzinfo=dt.UTC)
    await bot.query(update(Entry).where(Entry.id == entry_id).values(created_at=moment))


async def set_approved(bot: BotUnderTest, entry_id: int, day: dt.date) -> None:
    """The day the chef approved the entry (its approval decision)."""
    moment = dt.datetime.combine(day, dt.time(10, 0), tzinfo=dt.UTC)
    await bot.query(
        update(Decision)
        .where(Decision.entry_id == entry_id, Decision.to_status == EntryStatus.APPROVED)
        .values(created_at=moment)
    )


async def ids(bot: BotUnderTest, unit_key: str) -> tuple[int, int]:
    [(plan_id,)] = await bot.query(select(Maalplan.id).join(Unit).where(Unit.key == unit_key))
    [(lars_id,)] = await bot.query(select(Person.id).where(Person.email == LARS.email))
    return plan_id, lars_id


def link_in(text: str) -> str:
    match = re.search(r"\((http://[^)]+/exports/[^)]+)\)", text)
    assert match, text
    return match.group(1)


async def download(bot: BotUnderTest) -> openpyxl.Workbook:
    sent = await bot.say(Command.EKSPORT, user=LARS)
    message = next(s.text for s in sent if s.text and "/exports/" in s.text)
    url = link_in(message)
    assert message == danish.fill(texts.EXPORT_READY, title=KIRKEBJERG_PLAN, url=url, minutes=10)
    response = await bot.client.get(url.split("127.0.0.1:3978", 1)[-1])
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    return openpyxl.load_workbook(io.BytesIO(await response.read()))


def rows_by_text(sheet: Any) -> dict[str, dict[str, Any]]:
    """The sheet's rows below the headers, by their text (column E), as {header: value}."""
    headers = [c.value for c in sheet[2]]
    return {row[4]: dict(zip(headers, row, strict=True)) for row in sheet.iter_rows(min_row=3, values_only=True)}


MARK = texts.EXPORT_HEADERS[-1]
# Demo årshjul: FØR until 3 December 2025 (ark-foer), UNDER del 1 until 14 January 2026, UNDER del 2 until
# 31 March 2026, then EFTER.
APPROVED_IN = {
    "Før: flere børn bruger nye ord": dt.date(2025, 11, 1),
    "Del 1: flere børn fortæller om weekenden": dt.date(2025, 12, 20),
    "Del 2: forældre læser med hjemme": dt.date(2026, 2, 1),
    "Efter: børnene rækker hånden op": dt.date(2026, 6, 1),
}


async def test_each_sheet_is_the_maalplan_at_the_end_of_its_phase(demo_bot: BotUnderTest) -> None:
    for text, day in APPROVED_IN.items():
        entry_id = await propose(demo_bot, text)
        await approve(demo_bot, entry_id)
        # Proposed long before (placed by proposal, all would be on FØR): the approval decides the sheet.
        await set_created(demo_bot, entry_id, dt.date(2025, 10, 1))
        await set_approved(demo_bot, entry_id, day)
    not_approved = await propose(demo_bot, "Ikke godkendt: ses ikke i eksporten")
    await set_created(demo_bot, not_approved, dt.date(2025, 11, 1))

    workbook = await download(demo_bot)
    assert workbook.sheetnames == list(texts.EXPORT_SHEETS)
    texts_in_order = list(APPROVED_IN)
    for phase, sheet_name in enumerate(workbook.sheetnames):
        sheet = workbook[sheet_name]
        assert [c.value for c in sheet[2]] == list(texts.EXPORT_HEADERS)
        rows = rows_by_text(sheet)
        for index, text in enumerate(texts_in_order):
            if index > phase:
                assert text not in rows, f"{text} is not yet on {sheet_name}"
                continue
            assert rows[text][texts.EXPORT_HEADERS[2]] == "Tegn", sheet_name
            # Cumulative: on every sheet from its phase on, marked new only on its phase's sheet.
            expected = texts.EXPORT_NEW if index == phase else None
            assert rows[text][MARK] == expected, (sheet_name, text)
        assert "Ikke godkendt: ses ikke i eksporten" not in rows
        assert rows[PROEVEHANDLING][MARK] is None, "a prøvehandling from the file is there from the start"
        assert rows[PROEVEHANDLING][texts.EXPORT_HEADERS[2]] == texts.EXPORT_TYPE_PROEVEHANDLING
        assert sheet.column_dimensions["E"].width == 60
        assert sheet.cell(3, 1).alignment.wrap_text
    # The example: a tegn approved in phase 1 is in UNDER del 1, UNDER del 2 and EFTER, new only in the first.
    del_1 = texts_in_order[1]
    marks = {name: rows_by_text(workbook[name]).get(del_1, {}).get(MARK, "absent") for name in workbook.sheetnames}
    assert marks == dict(zip(texts.EXPORT_SHEETS, ["absent", texts.EXPORT_NEW, None, None], strict=True))


async def test_every_field_of_tegn_laering_and_proevehandling_is_exported(demo_bot: BotUnderTest) -> None:
    """A læring with every field, a tegn with every field, and a prøvehandling that became part of the målplan
    during del 2: each field in its column, on the sheets from its phase on."""
    [(maal_id, plan_id)] = await demo_bot.query(select(Maal.id, Maal.maalplan_id).where(Maal.key == "sprog"))
    [(ph_id,)] = await demo_bot.query(select(Proevehandling.id).where(Proevehandling.key == "dialogisk-laesning"))
    [(unit_id,)] = await demo_bot.query(select(Maalplan.unit_id).where(Maalplan.id == plan_id))
    [(mette,)] = await demo_bot.query(select(Person.id).where(Person.email == METTE.email))
    [(karin,)] = await demo_bot.query(select(Person.id).where(Person.email == KARIN.email))
    laering = {
        "proevehandling_id": ph_id,
        "ny_proevehandling": "",
        "evaluering": "afsluttende",
        "hvad_gjorde_vi": "Vi læste i grupper på fire hver formiddag",
        "tegn_set": "Børnene fortalte selv historien videre",
        "effekt": "Forældrene spørger efter bøgerne",
        "laering": "Små grupper giver de stille børn ordet",
        "beslutning": "juster",
        "tvaerfaglighed": "koordinations",
        "borgerinddragelse": True,
    }
    tegn = {
        "tegn": "Flere børn bruger nye ord i leg",
        "maalgruppe": "Børn på 3-5 år",
        "datatype": "kvalitativ",
        "opfoelgning": "Pædagogernes iagttagelser hver måned",
        "proevehandling_id": ph_id,
    }
    approved_on = dt.datetime(2026, 2, 2, 10, tzinfo=dt.UTC)  # UNDER del 2
    for n, (kind, data) in enumerate(((EntryKind.LAERING, laering), (EntryKind.TEGN, tegn))):
        await demo_bot.query(
            insert(Entry).values(
                id=900 + n,
                kind=kind,
                owner_id=mette,
                unit_id=unit_id,
                maal_id=maal_id,
                proevehandling_id=ph_id if kind is EntryKind.LAERING else None,
                data=data,
                status=EntryStatus.APPROVED,
                stage=1,
                version=2,
                idempotency_key=f"every-field-{n}",
                created_at=approved_on - dt.timedelta(days=30),
                updated_at=approved_on,
            )
        )
        await demo_bot.query(
            insert(Decision).values(
                entry_id=900 + n,
                actor_id=karin,
                action=Action.APPROVE,
                from_status=EntryStatus.PENDING,
                to_status=EntryStatus.APPROVED,
                from_stage=1,
                to_stage=1,
                from_version=1,
                comment="",
                created_at=approved_on,
            )
        )
    await demo_bot.query(
        insert(Proevehandling).values(
            maal_id=maal_id,
            key="ny-ph",
            position=5,
            title="Læsevenner fra 3. klasse",
            description="Skolens elever læser højt for børnehavebørn",
            created_at=approved_on,
        )
    )
    workbook = await download(demo_bot)
    h = texts.EXPORT_HEADERS
    for phase, name in enumerate(workbook.sheetnames):
        rows = rows_by_text(workbook[name])
        if phase < 2:
            assert laering["laering"] not in rows and "Læsevenner fra 3. klasse" not in rows, name
            continue
        row = rows[laering["laering"]]
        assert row[h[2]] == "Læring" and row[h[3]] == 900
        assert row[h[8]] == PROEVEHANDLING
        assert row[h[10]] == texts.EVALUERING_LABELS["afsluttende"]
        assert row[h[11]] == laering["hvad_gjorde_vi"]
        assert row[h[12]] == laering["tegn_set"]
        assert row[h[13]] == laering["effekt"]
        assert row[h[14]] == texts.BESLUTNING_LABELS["juster"]
        assert row[h[15]] == texts.TVAERFAGLIG_LABELS["koordinations"]
        assert row[h[16]] == texts.YES
        assert row[h[17]] == "Mette Hansen"
        assert row[h[18]] == "3. januar 2026" and row[h[19]] == "2. februar 2026"
        assert row[h[20]] == "Karin Holm"
        row = rows[tegn["tegn"]]
        assert row[h[5]] == tegn["maalgruppe"]
        assert row[h[6]] == texts.DATATYPE_LABELS["kvalitativ"]
        assert row[h[7]] == tegn["opfoelgning"]
        assert row[h[8]] == PROEVEHANDLING, "the prøvehandling a tegn names"
        assert row[h[16]] is None, "borgerinddragelse is a læring's field"
        ph = rows["Læsevenner fra 3. klasse"]
        assert ph[h[9]] == "Skolens elever læser højt for børnehavebørn"
        expected = texts.EXPORT_NEW if phase == 2 else None
        assert ph[MARK] == expected and rows[laering["laering"]][MARK] == expected, name


async def test_a_chef_picks_among_the_afdelings_maalplaner(demo_bot: BotUnderTest) -> None:
    [picker] = [s for s in await demo_bot.say(Command.EKSPORT, user=KARIN) if s.cards]
    shown = card_texts(picker.cards[0])
    assert texts.EXPORT_PICK_TITLE in shown
    labels = [label for label in shown if label.startswith(template_start(texts.EXPORT_BUTTON_NUMBERED))]
    assert [KIRKEBJERG_PLAN in label for label in labels].count(True) == 1
    assert [HERSTEDLUND_PLAN in label for label in labels].count(True) == 1
    assert not [label for label in labels if HR_PLAN in label]
    herstedlund = next(label for label in labels if HERSTEDLUND_PLAN in label)
    [message] = await demo_bot.click(picker, herstedlund, user=KARIN)
    assert message.text
    assert message.text == danish.fill(
        texts.EXPORT_READY, title=HERSTEDLUND_PLAN, url=link_in(message.text), minutes=10
    )


async def test_a_medarbejder_has_nothing_to_export(demo_bot: BotUnderTest) -> None:
    [message] = await demo_bot.say(Command.EKSPORT, user=METTE)
    assert message.text == texts.EXPORT_NONE


async def test_tampered_foreign_and_expired_links_are_refused(demo_bot: BotUnderTest) -> None:
    herstedlund, lars_id = await ids(demo_bot, "herstedlund")
    kirkebjerg, _ = await ids(demo_bot, "kirkebjerg")
    good = export_links.link(demo_bot.settings, maalplan_id=kirkebjerg, person_id=lars_id)
    path = good.split("127.0.0.1:3978", 1)[-1]
    assert (await demo_bot.client.get(path)).status == 200
    tampered = path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB")
    refused = await demo_bot.client.get(tampered)
    assert refused.status == 403
    assert await refused.text() == texts.EXPORT_LINK_INVALID
    # Signed correctly, but for a målplan Lars may not export (Herstedlund is Sofie's).
    foreign = export_links.link(demo_bot.settings, maalplan_id=herstedlund, person_id=lars_id)
    assert (await demo_bot.client.get(foreign.split("127.0.0.1:3978", 1)[-1])).status == 403

    # A link lives EXPORT_LINK_TTL_SECONDS, by domain.clock.
    made = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)
    ttl = dt.timedelta(seconds=demo_bot.settings.EXPORT_LINK_TTL_SECONDS)
    with clock.frozen(made):
        expiring = export_links.link(demo_bot.settings, maalplan_id=kirkebjerg, person_id=lars_id)
    expiring_path = expiring.split("127.0.0.1:3978", 1)[-1]
    with clock.frozen(made + ttl):
        assert export_links.read(demo_bot.settings, expiring.rsplit("/", 1)[-1]) == (kirkebjerg, lars_id)
        assert (await demo_bot.client.get(expiring_path)).status == 200
    with clock.frozen(made + ttl + dt.timedelta(seconds=1)):
        with pytest.raises(ValueError, match=r"^expired$"):
            export_links.read(demo_bot.settings, expiring.rsplit("/", 1)[-1])
        expired = await demo_bot.client.get(expiring_path)
        assert expired.status == 403 and await expired.text() == texts.EXPORT_LINK_INVALID


async def export_cli(database_url: str, unit: str, out: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "cli", "export", "--unit", unit, "--year", "2026", "--out", str(out)]
    env = {"DATABASE_URL": database_url, "PATH": "/usr/bin:/bin"}
    return await asyncio.to_thread(
        subprocess.run, command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )


async def test_the_cli_writes_the_same_export(demo_bot: BotUnderTest, tmp_path: Path) -> None:
    out = tmp_path / "maalplan.xlsx"
    result = await export_cli(demo_bot.settings.DATABASE_URL, "kirkebjerg", out)
    assert result.returncode == 0, result.stderr
    assert openpyxl.load_workbook(out).sheetnames == list(texts.EXPORT_SHEETS)
    missing = await export_cli(demo_bot.settings.DATABASE_URL, "nowhere", out)
    assert missing.returncode == 1 and "No målplan for unit 'nowhere' in 2026." in missing.stderr


async def test_the_chefforum_workbook_has_a_summary_and_a_sheet_per_afdeling(
    demo_bot: BotUnderTest, tmp_path: Path
) -> None:
    approved = "Flere børn fortæller om weekenden"
    entry_id = await propose(demo_bot, approved)
    await approve(demo_bot, entry_id)
    await set_approved(demo_bot, entry_id, dt.date(2025, 12, 20))
    await propose(demo_bot, "Venter stadig hos lederen")
    out = tmp_path / "chefforum.xlsx"
    command = [sys.executable, "-m", "cli", "export-chefforum", "--out", str(out)]
    env = {"DATABASE_URL": demo_bot.settings.DATABASE_URL, "PATH": "/usr/bin:/bin"}
    result = await asyncio.to_thread(
        subprocess.run, command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    workbook = openpyxl.load_workbook(out)
    assert workbook.sheetnames == [
        texts.CHEFFORUM_EXPORT_SUMMARY,
        "Center for Dagtilbud og Skole",
        "Center for Ledelse og Personale",
    ]
    summary = workbook[texts.CHEFFORUM_EXPORT_SUMMARY]
    assert [c.value for c in summary[1]] == list(texts.CHEFFORUM_EXPORT_SUMMARY_HEADERS)
    rows = {(r[0], r[1]): r[2:] for r in summary.iter_rows(min_row=2, values_only=True)}
    # (arbejdspladser, mål, mål uden tegn, mål uden prøvehandlinger, godkendte tegn, prøvehandlinger, læring)
    [(in_db,)] = await demo_bot.query(
        select(func.count()).where(Entry.kind == EntryKind.TEGN, Entry.status == EntryStatus.APPROVED)
    )
    assert in_db == 1
    assert rows[("Center for Dagtilbud og Skole", "Alle børn skal have et godt sprog og lyst til at lære")] == (
        1,
        1,
        0,
        0,
        1,
        2,
        0,
    )
    assert rows[("Center for Dagtilbud og Skole", texts.CHEFFORUM_EXPORT_ALL)] == (2, 3, 2, 0, 1, 5, 0)
    assert rows[("Center for Ledelse og Personale", texts.CHEFFORUM_EXPORT_ALL)] == (1, 1, 1, 0, 0, 1, 0)
    assert rows[(texts.CHEFFORUM_EXPORT_ALL, texts.CHEFFORUM_EXPORT_ALL)] == (3, 4, 3, 0, 1, 6, 0)
    sheet = workbook["Center for Dagtilbud og Skole"]
    assert [c.value for c in sheet[1]] == list(texts.CHEFFORUM_EXPORT_PLAN_HEADERS)
    by_text = {r[6]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert by_text[approved][0] == "Dagtilbud Kirkebjerg" and by_text[approved][1] == KIRKEBJERG_PLAN
    assert by_text[approved][-1] == texts.EXPORT_SHEETS[1], "the phase it was approved in"
    assert by_text[PROEVEHANDLING][-1] == texts.CHEFFORUM_EXPORT_FROM_START
    assert "Færre elever har bekymrende fravær" in {r[2] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert "Venter stadig hos lederen" not in by_text
