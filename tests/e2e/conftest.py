"""Fixtures for the end-to-end tests: one browser per session, one bot (and its Playgrounds) per module.

A module gets a bot on a fresh database with the demo organisation loaded (override `e2e_org_file` in the
module to load another file, or none). Tests in one module share that bot's state; every test gets new pages.
On failure each page the test opened is saved as tests/artifacts/FAILED-<test>-<n>.png.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Generator
from pathlib import Path

import pytest

from tests.e2e.playground import E2E, REPO, Browser, Chat, E2EError, require_tools

DEMO_ORG = REPO / "demo" / "organisation.yaml"
FAILED = pytest.StashKey[bool]()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.failed:
        item.stash[FAILED] = True
    return report


@pytest.fixture(scope="session")
def e2e_tools() -> None:
    """Chromium and the Playground must be installed; this fails (never skips) with what to run."""
    try:
        require_tools()
    except E2EError as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="session")
async def browser(e2e_tools: None) -> AsyncIterator[Browser]:
    browser = await Browser.launch()
    try:
        yield browser
    finally:
        await browser.close()


@pytest.fixture(scope="module")
def e2e_org_file() -> Path | None:
    """The organisation file the module's bot starts with; override in a test module to change it."""
    return DEMO_ORG if DEMO_ORG.exists() else None


@pytest.fixture(scope="module")
async def e2e(
    browser: Browser, e2e_org_file: Path | None, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[E2E]:
    """The bot on a fresh database and its Playgrounds; `await e2e.chat(user)` opens a page as `user`."""
    env = await E2E.start(browser, tmp_path_factory.mktemp("e2e"), org_file=e2e_org_file)
    try:
        yield env
    finally:
        await env.close()


@pytest.fixture(autouse=True)
async def _close_chats(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    """Closes the pages a test opened, saving screenshots of them first when the test failed."""
    yield
    if "e2e" not in request.fixturenames:
        return
    env: E2E = request.getfixturevalue("e2e")
    name = re.sub(r"[^\w.-]+", "-", request.node.name).strip("-")
    await env.close_chats(screenshot_prefix=f"FAILED-{name}" if request.node.stash.get(FAILED, False) else None)


@pytest.fixture
async def chat(e2e: E2E) -> Chat:
    """The default current user's (Mette Hansen's) personal chat, on a new page."""
    return await e2e.chat()
