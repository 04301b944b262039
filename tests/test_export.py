"""The målplan export: sheets by årshjul phase, Danish headers, signed expiring links, the CLI."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select, update

from bot import export_links
from cards import danish, texts
from cards.approval import DECIDE_VERB
from cards.payloads import Command
from domain import clock
from domain.vocabulary import Action
from storage.models import Entry, Maalplan, Person, Unit
from testkit.activities import KARIN, LARS, METTE
from tests.cardtext import card_texts
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


async def ids(bot: BotUnderTest, unit_key: str) -> tuple[int, int]:
    [(plan_id,)] = await bot.query(select(Maalplan.id).join(Unit).where(Unit.key == unit_key))
    [(lars_id,)] = await bot.query(select(Person.id).where(Person.email == LARS.email))
    return plan_id, lars_id


def link_in(text: str) -> str:
    match = re.search(r"\((http://[^)]+/exports/[^)]+)\)", text)
    assert match, text
    return match.group(1)


async def test_approved_entries_land_in_the_sheet_of_their_phase(demo_bot: BotUnderTest) -> None:
    # Demo årshjul: del 1 from 4 December 2025 to 14 January 2026, del 2 from 15 January to 31 March 2026.
    placed = {
        "Før: flere børn bruger nye ord": dt.date(2025, 11, 1),
        "Del 1: flere børn fortæller om weekenden": dt.date(2025, 12, 20),
        "Del 2: forældre læser med hjemme": dt.date(2026, 2, 1),
        "Efter: børnene rækker hånden op": dt.date(2026, 6, 1),
    }
    for text, day in placed.items():
        entry_id = await propose(demo_bot, text)
        await approve(demo_bot, entry_id)
        await set_created(demo_bot, entry_id, day)
    not_approved = await propose(demo_bot, "Ikke godkendt: ses ikke i eksporten")
    await set_created(demo_bot, not_approved, dt.date(2025, 11, 1))

    sent = await demo_bot.say(Command.EKSPORT, user=LARS)
    message = next(s.text for s in sent if s.text and "/exports/" in s.text)
    url = link_in(message)
    assert message == danish.fill(texts.EXPORT_READY, title=KIRKEBJERG_PLAN, url=url, minutes=10)
    response = await demo_bot.client.get(url.split("127.0.0.1:3978", 1)[-1])
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = openpyxl.load_workbook(io.BytesIO(await response.read()))
    assert workbook.sheetnames == list(texts.EXPORT_SHEETS)
    for sheet_name, expected in zip(workbook.sheetnames, placed, strict=True):
        sheet = workbook[sheet_name]
        assert [c.value for c in sheet[2]] == list(texts.EXPORT_HEADERS)
        texts_in_sheet = {row[4] for row in sheet.iter_rows(min_row=3, values_only=True)}
        assert expected in texts_in_sheet, sheet_name
        assert not (set(placed) - {expected}) & texts_in_sheet, sheet_name
        assert "Ikke godkendt: ses ikke i eksporten" not in texts_in_sheet
        assert PROEVEHANDLING in texts_in_sheet, "prøvehandlinger on every sheet"
        assert sheet.column_dimensions["E"].width == 60
        assert sheet.cell(3, 1).alignment.wrap_text


async def test_a_chef_picks_among_the_afdelings_maalplaner(demo_bot: BotUnderTest) -> None:
    [picker] = await demo_bot.say(Command.EKSPORT, user=KARIN)
    shown = card_texts(picker.cards[0])
    assert texts.EXPORT_PICK_TITLE in shown
    assert texts.EXPORT_BUTTON.format(title=KIRKEBJERG_PLAN) in shown
    assert texts.EXPORT_BUTTON.format(title=HERSTEDLUND_PLAN) in shown
    assert texts.EXPORT_BUTTON.format(title=HR_PLAN) not in shown
    [message] = await demo_bot.click(picker, texts.EXPORT_BUTTON.format(title=HERSTEDLUND_PLAN), user=KARIN)
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
