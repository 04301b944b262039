"""The workbench tab in headless Chromium against the running app (a real process, LOCAL_DEVELOPMENT sign-in):
the indsamler searches, filters, ticks across two pages and records one outcome for three eksempler; a chef
approves three entries with one comment; a medarbejder gets a polite page. Screenshots at desktop and phone width
go to tests/artifacts/tab-*.png; axe-core must report no serious or critical violation on any page.

The Agents Playground shows no tabs (DESIGN.md), so the pages are opened directly, as Teams' iframe would.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import openpyxl
import pytest
from playwright.async_api import Browser, BrowserContext, FloatRect, Page, ViewportSize, async_playwright, expect

from cards import danish, texts
from core.vocabulary import Action
from storage.migrate import upgrade_async
from storage.orgfile import import_file
from testkit.process import BotProcess
from tests.tabkit import DEMO_ORG, seed_eksempler, seed_tegn_for_chef

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "tests" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
DESKTOP: ViewportSize = {"width": 1366, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}
# axe-core, pinned in package.json (npm install puts it here); AXE_CORE_JS points elsewhere.
AXE = Path(os.environ.get("AXE_CORE_JS", REPO / "node_modules" / "axe-core" / "axe.min.js"))

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
async def app_url(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    """The app as a process on a fresh database: the demo organisation, 60 eksempler at the indsamler and four
    tegn waiting for the chef, all made through the domain."""
    workdir = tmp_path_factory.mktemp("tab-e2e")
    url = f"sqlite+aiosqlite:///{workdir / 'tab.db'}"
    await upgrade_async(url)
    await import_file(url, DEMO_ORG)
    await seed_eksempler(url, 60)
    await seed_tegn_for_chef(url, 4)
    process = BotProcess(
        url,
        workdir / "app.log",
        env={"LOCAL_DEVELOPMENT": "true", "SCHEDULER_ENABLED": "false", "ROUND_SWEEP_SECONDS": "0"},
    )
    process.start()
    try:
        async with aiohttp.ClientSession() as http:
            await process.wait_up(http)
        yield process.url
    finally:
        await process.stop()


@pytest.fixture(scope="module")
def tools() -> None:
    """Chromium and axe-core must be installed; this fails (never skips) with what to run."""
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: apt-get install chromium", pytrace=False)
    if not AXE.exists():
        pytest.fail(f"axe-core is missing at {AXE}: run npm install (package.json pins it)", pytrace=False)


@pytest.fixture(scope="module")
async def browser(tools: None) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            await launched.close()


async def signed_in(browser: Browser, app_url: str, name: str, viewport: ViewportSize = DESKTOP) -> Page:
    """A page signed in as `name` through the local sign-in page (axe is injected later, so CSP is bypassed)."""
    context: BrowserContext = await browser.new_context(viewport=viewport, locale="da-DK", bypass_csp=True)
    context.set_default_timeout(10_000)
    page = await context.new_page()
    await page.goto(f"{app_url}/tab/dev-login")
    await page.get_by_role("button", name=texts.TAB_DEV_BUTTON.format(name=name)).click()
    await page.wait_for_load_state()
    return page


async def axe_violations(page: Page) -> list[dict[str, Any]]:
    await page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = await page.evaluate("async () => await axe.run(document)")
    return [v for v in result["violations"] if v.get("impact") in ("serious", "critical")]


async def assert_accessible(page: Page, what: str) -> None:
    violations = await axe_violations(page)
    assert not violations, f"{what}: " + "; ".join(
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:3]]}" for v in violations
    )


async def shoot(page: Page, name: str) -> Path:
    """The whole page at desktop width; the first two screens on a phone (a long table is one long strip)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"tab-{name}.png"
    viewport = page.viewport_size or DESKTOP
    if viewport["width"] >= DESKTOP["width"]:
        await page.screenshot(path=str(path), full_page=True)
    else:
        clip: FloatRect = {"x": 0, "y": 0, "width": viewport["width"], "height": viewport["height"] * 2}
        await page.screenshot(path=str(path), full_page=True, clip=clip)
    return path


def row_ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'id="nr-(\d+)"', html)]


async def test_the_indsamler_searches_filters_ticks_across_pages_and_records_three_at_once(
    browser: Browser, app_url: str
) -> None:
    page = await signed_in(browser, app_url, "Stinne Grønne")
    await expect(page.get_by_role("heading", name=texts.TAB_EKS_TITLE, exact=True)).to_be_visible()
    await expect(page.locator("tbody tr")).to_have_count(50)
    await assert_accessible(page, "eksempler")

    # Search, Danish-aware: "kollegaerne" finds kollega, kollegaer and kollegaerne (every 7th eksempel).
    await page.get_by_label(texts.TAB_EKS_SEARCH).fill("kollegaerne")
    await page.get_by_role("button", name=texts.TAB_EKS_APPLY, exact=True).click()
    await expect(page.locator("tbody tr")).to_have_count(8)
    # …and a filter on top: the medarbejder level (odd numbers) leaves four.
    await page.get_by_label(texts.EKSEMPEL_NIVEAU_LABEL, exact=True).select_option(label="Medarbejder")
    await page.get_by_role("button", name=texts.TAB_EKS_APPLY, exact=True).click()
    await expect(page.locator("tbody tr")).to_have_count(4)
    await shoot(page, "eksempler-search-desktop")

    # Ticks on page 1, then on page 2: kept on the server across pages and filters.
    await page.get_by_role("link", name=texts.TAB_EKS_RESET).click()
    first_page = row_ids(await page.content())
    for entry_id in first_page[:2]:
        await page.get_by_label(texts.TAB_EKS_PICK.format(id=entry_id), exact=True).check()
    await expect(page.locator("#ticks")).to_contain_text(texts.TAB_EKS_TICKED.format(count=2))
    await page.get_by_role("link", name=texts.TAB_EKS_NEXT).click()
    await expect(page.locator("tbody tr")).to_have_count(10)
    second_page = row_ids(await page.content())
    await page.get_by_label(texts.TAB_EKS_PICK.format(id=second_page[0]), exact=True).check()
    await expect(page.locator("#ticks")).to_contain_text(texts.TAB_EKS_TICKED.format(count=3))
    await expect(page.locator("#bulk-count")).to_have_text("(3)")

    # One outcome, with the forum's date and a comment, for all three.
    await page.get_by_label(texts.TAB_EKS_BULK_OUTCOME, exact=True).select_option(label="Udvalgt af arbejdsgruppen")
    await page.get_by_label(texts.TAB_EKS_BULK_DATE).fill("2026-11-10")
    await page.get_by_label(texts.TAB_EKS_BULK_COMMENT).fill("Valgt på mødet i arbejdsgruppen")
    await page.locator("#bulk-submit").click()
    await expect(page.get_by_role("status").first).to_contain_text(danish.fill(texts.TAB_EKS_BULK_DONE, count=3))
    await expect(page.locator("#ticks")).to_contain_text(texts.TAB_EKS_TICKED.format(count=0))
    await page.goto(f"{app_url}/tab/eksempler?trin=udvalgt")
    assert sorted(row_ids(await page.content())) == sorted([*first_page[:2], second_page[0]])
    await expect(page.locator("tbody")).to_contain_text("Udvalgt af arbejdsgruppen, 10. november 2026")
    await shoot(page, "eksempler-desktop")
    await assert_accessible(page, "eksempler after the outcome")

    await page.goto(f"{app_url}/tab/overblik")
    await expect(page.get_by_role("heading", name=texts.TAB_OVERBLIK_MATRIX)).to_be_visible()
    await shoot(page, "overblik-desktop")
    await assert_accessible(page, "overblik")
    await page.context.close()

    phone = await signed_in(browser, app_url, "Stinne Grønne", PHONE)
    await expect(phone.locator("tbody tr")).to_have_count(50)
    width = await phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the table is {width}px wide on a {PHONE['width']}px phone"
    await shoot(phone, "eksempler-phone")
    await assert_accessible(phone, "eksempler on a phone")
    await phone.goto(f"{app_url}/tab/overblik")
    await shoot(phone, "overblik-phone")
    await phone.context.close()


async def test_the_indsamler_round_trips_an_excel_selection_with_one_conflict_in_the_preview(
    browser: Browser, app_url: str, tmp_path: Path
) -> None:
    page = await signed_in(browser, app_url, "Stinne Grønne")
    await page.get_by_label(texts.EKSEMPEL_TEMA_LABEL, exact=True).select_option(label="Helhed")
    await page.get_by_role("button", name=texts.TAB_EKS_APPLY, exact=True).click()
    async with page.expect_download() as download_info:
        await page.get_by_role("link", name=texts.TAB_XL_DOWNLOAD).click()
    exported = tmp_path / "eksempler.xlsx"
    await (await download_info.value).save_as(exported)
    book = openpyxl.load_workbook(exported)
    sheet = book[texts.TAB_XL_SHEET]
    header = [cell.value for cell in sheet[1]]
    new = header.index(texts.TAB_XL_COL_NEW.format(fora="arbejdsgruppen")) + 1
    day = header.index(texts.TAB_XL_COL_DATE.format(fora="arbejdsgruppen")) + 1
    recorded = header.index(texts.TAB_XL_COL_RECORDED.format(fora="arbejdsgruppen")) + 1
    # Three not yet decided by the arbejdsgruppe: two to record, and one to be decided meanwhile in the table.
    open_rows = [r for r in range(2, sheet.max_row + 1) if not sheet.cell(r, recorded).value][:3]
    numbers = [sheet.cell(r, 1).value for r in open_rows]
    for r in open_rows:
        sheet.cell(r, new).value = "Ikke udvalgt af arbejdsgruppen"
        sheet.cell(r, day).value = dt.datetime(2026, 11, 24)
    book.save(exported)

    # Meanwhile the third gets another outcome in the table: the preview shows the conflict.
    await page.goto(f"{app_url}/tab/eksempler?q={numbers[2]}")
    await page.get_by_label(texts.TAB_EKS_PICK.format(id=numbers[2]), exact=True).check()
    await expect(page.locator("#ticks")).to_contain_text(texts.TAB_EKS_TICKED.format(count=1))
    await page.get_by_label(texts.TAB_EKS_BULK_OUTCOME, exact=True).select_option(label="Udvalgt af arbejdsgruppen")
    await page.get_by_label(texts.TAB_EKS_BULK_DATE).fill("2026-11-20")
    await page.locator("#bulk-submit").click()
    await expect(page.get_by_role("status").first).to_contain_text(danish.fill(texts.TAB_EKS_BULK_DONE, count=1))

    await page.get_by_label(texts.TAB_XL_FILE).set_input_files(str(exported))
    await page.get_by_role("button", name=texts.TAB_XL_UPLOAD).click()
    await expect(page.get_by_role("heading", name=texts.TAB_XL_PREVIEW_TITLE)).to_be_visible()
    await expect(page.get_by_role("heading", name=texts.TAB_XL_PREVIEW_CHANGES.format(count=2))).to_be_visible()
    await expect(page.get_by_role("heading", name=texts.TAB_XL_PREVIEW_CONFLICTS.format(count=1))).to_be_visible()
    await expect(page.locator(f"#conflict-{numbers[2]}")).to_contain_text("Udvalgt af arbejdsgruppen")
    await shoot(page, "excel-preview-desktop")
    await assert_accessible(page, "the Excel preview")
    await page.get_by_role("button", name=texts.TAB_XL_CONFIRM.format(count=2)).click()
    await expect(page.get_by_role("status").first).to_contain_text(danish.fill(texts.TAB_EKS_BULK_DONE, count=2))
    await page.goto(f"{app_url}/tab/eksempler?trin=ikke_udvalgt")
    assert sorted(row_ids(await page.content())) == sorted(numbers[:2])
    await page.context.close()


async def test_a_chef_approves_three_entries_at_once_with_a_comment(browser: Browser, app_url: str) -> None:
    page = await signed_in(browser, app_url, "Karin Holm")
    await expect(page.get_by_role("heading", name=texts.TAB_GODK_TITLE, exact=True)).to_be_visible()
    rows = page.locator("tbody tr")
    await expect(rows).to_have_count(4)
    await assert_accessible(page, "godkendelser")
    for index in range(3):
        await rows.nth(index).get_by_role("checkbox").check()
    await page.get_by_label(texts.TAB_GODK_COMMENT).fill("Fint – de tages med i målplanen")
    await page.get_by_role("button", name=texts.TAB_GODK_FORWARD).click()
    await expect(page.get_by_role("status").first).to_contain_text(texts.TAB_GODK_DONE.format(count=3))
    await expect(page.locator("tbody tr")).to_have_count(1)
    await shoot(page, "godkendelser-desktop")
    # The last one: its wording corrected before it is approved; the original stays in the history.
    await page.get_by_role("link", name=re.compile(texts.TAB_GODK_COL_HISTORY, re.IGNORECASE)).first.click()
    await expect(page.get_by_role("table")).to_contain_text(texts.ACTION_LABELS[Action.RECOMMEND])
    await assert_accessible(page, "historik")
    await page.get_by_label(texts.TAB_GODK_CORRECT_FIELD, exact=True).fill("Flere børn fortæller selv ved samlingen")
    await shoot(page, "historik-desktop")
    await page.get_by_role("button", name=texts.TAB_GODK_CORRECT_BUTTON).click()
    await expect(page.get_by_role("status").first).to_contain_text(texts.TAB_GODK_DONE.format(count=1))
    await expect(page.get_by_text(texts.TAB_GODK_EMPTY)).to_be_visible()
    await page.context.close()

    phone = await signed_in(browser, app_url, "Karin Holm", PHONE)
    await shoot(phone, "godkendelser-phone")
    width = await phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    # Her Overblik: her arbejdspladsers mål (each opens to its mål), Chefforum's mål across, and Plan A.
    await phone.goto(f"{app_url}/tab/overblik")
    await expect(phone.get_by_role("heading", name=texts.TAB_MAAL_TITLE)).to_be_visible()
    await phone.locator("#maal-title ~ div summary").first.click()
    await expect(phone.locator("#maal-title ~ div details[open] li").first).to_be_visible()
    await assert_accessible(phone, "the chef's overblik")
    assert await phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    await shoot(phone, "overblik-chef-phone")
    await phone.context.close()


async def test_a_medarbejder_gets_a_polite_page_and_no_data(browser: Browser, app_url: str) -> None:
    page = await signed_in(browser, app_url, "Mette Hansen", PHONE)
    await expect(page.get_by_role("heading", name=texts.TAB_NOTHING_FOR_YOU_TITLE)).to_be_visible()
    assert "eksempel nummer" not in await page.content()
    await shoot(page, "medarbejder-phone")
    await assert_accessible(page, "the polite page")
    response = await page.goto(f"{app_url}/tab/eksempler")
    assert response is not None and response.status == 403
    await page.context.close()


async def test_the_grundlag_page_and_the_sign_in_page_are_accessible(browser: Browser, app_url: str) -> None:
    context = await browser.new_context(viewport=PHONE, locale="da-DK", bypass_csp=True)
    page = await context.new_page()
    await page.goto(f"{app_url}/grundlag")
    await expect(page.get_by_role("heading", name=texts.WEB_GRUNDLAG_TITLE, level=1)).to_be_visible()
    await shoot(page, "grundlag-phone")
    await assert_accessible(page, "grundlag")
    # Outside Teams the sign-in page says so, and offers the local sign-in (local development only).
    await page.goto(f"{app_url}/tab")
    await expect(page.get_by_role("status")).to_have_text(texts.TAB_SIGNIN_FAILED, timeout=30_000)
    await assert_accessible(page, "sign-in")
    await context.close()
