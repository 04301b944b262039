"""Drives the Microsoft 365 Agents Playground end to end: bot and Playground processes, headless Chromium, a Chat.

Layers, each usable on its own:

- `BotServer.start(workdir)`: `python app.py` on a free port with a fresh, migrated SQLite file (and an optional
  organisation import), run the way `make run` runs it.
- `Playground.start(bot.endpoint, workdir, user=...)`: the Playground on a free port, with `.m365agentsplayground.yml`
  rewritten so that `user` (e-mail, name, Teams id or aadObjectId) is the current user.
- `Browser.launch()`: Debian's Chromium through Playwright.
- `Chat`: one browser page on one Playground, in the personal chat, the group chat or a channel.
- `E2E`: all of it for a test module: one bot, one Playground per current user (started on first use).

The Playground configuration (who is the current user) is written by `testkit.playground_config`, which
`make run` uses too.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import socket
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import aiohttp
from playwright.async_api import Browser as PlaywrightBrowser
from playwright.async_api import BrowserContext, Locator, Page, Playwright, ViewportSize, async_playwright

from testkit.playground_config import find_person, personal_chat_id, playground_config, write_playground_config

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "tests" / "artifacts"
PLAYGROUND_BIN = REPO / "node_modules" / ".bin" / "agentsplayground"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Wide enough for the chat list, the conversation and the log panel without cutting a card.
VIEWPORT: ViewportSize = {"width": 1600, "height": 1200}
# A phone (an iPhone 12-15 in CSS pixels): the Playground at the width Teams mobile gives a card.
PHONE: ViewportSize = {"width": 390, "height": 844}

BOT_ANSWER_TIMEOUT = 15.0  # seconds; Teams itself gives up on a message after about 15 s
UI_TIMEOUT = 5.0  # seconds for the page itself (a button, a popup)
START_TIMEOUT = 60.0  # seconds for a process to come up

# The card laid out at a phone's width (the Playground's own page has a chat list and a log panel beside the
# conversation, which a phone has not): the card's box is narrowed to `width`, and every part of it that still
# reaches beyond the box (text or an input cut off) is reported.
_JS_AT_WIDTH = """(card, width) => {
  const holder = card.parentElement;
  holder.style.width = width + 'px';
  holder.style.maxWidth = width + 'px';
  card.style.maxWidth = width + 'px';
  const box = card.getBoundingClientRect();
  const problems = [];
  if (box.width > width + 1) problems.push(`card is ${Math.round(box.width)} px wide, not ${width}`);
  for (const el of card.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (r.right > box.right + 1) problems.push(`${el.tagName} ends ${Math.round(r.right - box.right)} px outside`);
    if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === 'hidden' && el.children.length === 0)
      problems.push(`${el.tagName} text cut: ${el.textContent.slice(0, 40)}`);
  }
  return problems.slice(0, 5);
}"""

# Selectors for the Playground 0.2.28 page (read from its DOM).
MESSAGE_BOX = '[data-lexical-editor="true"][role="textbox"]'  # in a channel: first = new post, then one per thread
TOP_CARD = ".ac-adaptiveCard:not(.ac-adaptiveCard .ac-adaptiveCard)"  # a ShowCard's card sits inside its parent
MENTION_MENU = "#typeahead-menu"

T = TypeVar("T")


class E2EError(AssertionError):
    """An end-to-end step failed; the message says what was expected and what the page showed."""


def free_port() -> int:
    """A TCP port that was free a moment ago on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def require_tools() -> None:
    """Fail with what to run when Chromium or the Playground is not installed."""
    if not PLAYGROUND_BIN.exists():
        raise E2EError(f"{PLAYGROUND_BIN} is missing: run `make setup` (npm ci) or `make test`")
    if not CHROMIUM.exists():
        raise E2EError(f"{CHROMIUM} is missing: run `make test` (its `chromium` step installs Debian's chromium)")


# --- Child processes -------------------------------------------------------------------------------------------


@dataclass
class ChildProcess:
    """A child in its own process group, with stdout and stderr in a log file."""

    name: str
    process: asyncio.subprocess.Process
    log_path: Path

    @classmethod
    async def spawn(cls, name: str, argv: list[str], *, cwd: Path, env: dict[str, str], log_path: Path) -> ChildProcess:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with log_path.open("wb") as log:
            process = await asyncio.create_subprocess_exec(
                *argv,
                cwd=cwd,
                env=env,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=asyncio.subprocess.STDOUT,
                start_new_session=True,
            )
        return cls(name, process, log_path)

    @property
    def running(self) -> bool:
        return self.process.returncode is None

    def log_tail(self, lines: int = 25) -> str:
        return _tail(self.log_path, lines)

    async def stop(self, grace: float = 10.0) -> None:
        """SIGTERM the whole process group, then SIGKILL it if it has not gone within `grace` seconds."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            await asyncio.wait_for(self.process.wait(), grace)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            await self.process.wait()


def _tail(path: Path, lines: int) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:]) or "(empty log)"


async def _run(argv: list[str], *, cwd: Path, env: dict[str, str], what: str) -> str:
    process = await asyncio.create_subprocess_exec(
        *argv, cwd=cwd, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    output, _ = await process.communicate()
    text = output.decode("utf-8", errors="replace")
    if process.returncode != 0:
        raise E2EError(f"{what} failed (exit code {process.returncode}):\n{text}")
    return text


async def _poll(check: Callable[[], Awaitable[T | None]], *, seconds: float, interval: float = 0.1) -> T | None:
    """Call `check` until it returns something other than None, or `seconds` have passed (then None)."""
    deadline = time.monotonic() + seconds
    while True:
        result = await check()
        if result is not None or time.monotonic() >= deadline:
            return result
        await asyncio.sleep(interval)


async def _http_text(url: str) -> str | None:
    try:
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=2)) as session,
            session.get(url) as response,
        ):
            return await response.text() if response.status == 200 else None
    except (aiohttp.ClientError, TimeoutError):
        return None


# --- The bot ----------------------------------------------------------------------------------------------------


@dataclass
class BotServer:
    """`python app.py` on loopback, on its own fresh SQLite file."""

    port: int
    database_url: str
    process: ChildProcess

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def endpoint(self) -> str:
        return f"{self.url}/api/messages"

    @classmethod
    async def start(
        cls,
        workdir: Path,
        *,
        org_file: Path | None = None,
        port: int | None = None,
        tenant_id: str | None = None,
        extra_env: dict[str, str] | None = None,
    ) -> BotServer:
        """Migrate a new database in `workdir`, import `org_file` if given, start the bot and wait for /healthz.

        The bot runs with `workdir` as its working directory so that a developer's `.env` does not leak in.
        """
        await asyncio.to_thread(workdir.mkdir, parents=True, exist_ok=True)
        port = port or free_port()
        database_url = f"sqlite+aiosqlite:///{workdir / 'styringsbot.db'}"
        if tenant_id is None:
            tenant_id = str(playground_config()["tenantId"])
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("APP_", "ALLOWED_TENANT", "DATABASE_URL", "PUBLIC_BASE_URL"))
        }
        env.update(
            PYTHONPATH=str(REPO),
            PYTHONUNBUFFERED="1",
            DATABASE_URL=database_url,
            HOST="127.0.0.1",
            PORT=str(port),
            PUBLIC_BASE_URL=f"http://127.0.0.1:{port}",
            LOCAL_DEVELOPMENT="true",
            ALLOWED_TENANT_IDS=tenant_id,
            LOG_LEVEL="INFO",
        )
        env.update(extra_env or {})
        python = sys.executable
        await _run([python, "-m", "cli", "upgrade"], cwd=workdir, env=env, what="python -m cli upgrade")
        if org_file is not None:
            await _run(
                [python, "-m", "cli", "import", str(org_file)],
                cwd=workdir,
                env=env,
                what=f"python -m cli import {org_file}",
            )
        process = await ChildProcess.spawn(
            "bot", [python, str(REPO / "app.py")], cwd=workdir, env=env, log_path=workdir / "bot.log"
        )
        bot = cls(port, database_url, process)

        async def healthy() -> bool | None:
            if not process.running:
                return False
            return True if await _http_text(f"{bot.url}/healthz") is not None else None

        if not await _poll(healthy, seconds=START_TIMEOUT):
            await process.stop()
            raise E2EError(f"The bot did not come up on {bot.url}:\n{process.log_tail()}")
        return bot

    async def stop(self) -> None:
        await self.process.stop()


# --- The Playground ---------------------------------------------------------------------------------------------


@dataclass
class Playground:
    """One Microsoft 365 Agents Playground process: one current user, a personal chat, a group chat, a team."""

    port: int
    config: dict[str, Any]
    process: ChildProcess
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://localhost:{self.port}/"

    @property
    def service_url(self) -> str:
        """The mocked Bot Connector; activities carry it as `serviceUrl`."""
        return f"http://localhost:{self.port}/_connector"

    @property
    def current_user(self) -> dict[str, Any]:
        user: dict[str, Any] = self.config["currentUser"]
        return user

    @property
    def bot_name(self) -> str:
        return str(self.config["bot"]["name"])

    @property
    def personal_chat_id(self) -> str:
        return str(self.config["personalChat"]["id"])

    @property
    def group_chat_id(self) -> str:
        return str(self.config["groupChat"]["id"])

    @property
    def group_chat_name(self) -> str:
        return str(self.config["groupChat"]["name"])

    @property
    def team_name(self) -> str:
        return str(self.config["team"]["name"])

    @classmethod
    async def start(cls, bot_endpoint: str, workdir: Path, *, user: str | None = None, port: int = 0) -> Playground:
        """Start the Playground for `bot_endpoint` with `user` current; port 0 lets it pick a free one.

        The config path, the log file and "no browser" are set through the environment variables the
        Playground reads (M365_AGENTS_PLAYGROUND_CONFIG_PATH, M365_AGENTS_PLAYGROUND_LOGFILE,
        TEAMSAPPTESTER_BROWSER=none). When stdout is not a terminal it prints only "Listening on PORT"
        there; everything else, including why it rejected a config file, goes to the log file.
        """
        require_tools()
        config_path = write_playground_config(workdir, user)
        config = playground_config(user)
        log_path = workdir / "playground.log"
        env = dict(os.environ)
        env.update(
            M365_AGENTS_PLAYGROUND_CONFIG_PATH=str(config_path),
            M365_AGENTS_PLAYGROUND_LOGFILE=str(log_path),
            TEAMSAPPTESTER_BROWSER="none",
        )
        argv = [str(PLAYGROUND_BIN), "start", "-e", bot_endpoint, "-c", "msteams", "--dt", "-p", str(port)]
        process = await ChildProcess.spawn(
            "playground", argv, cwd=workdir, env=env, log_path=workdir / "playground.stdout"
        )

        async def listening() -> int | None:
            match = re.search(r"Listening on (\d+)", process.log_tail())
            if match:
                return int(match.group(1))
            return 0 if not process.running else None

        actual_port = await _poll(listening, seconds=START_TIMEOUT)
        playground = cls(actual_port or 0, config, process, log_path)

        async def ready() -> bool | None:
            if not process.running:
                return False
            return True if await _http_text(f"{playground.url}_debug/ping") == "pong" else None

        if not actual_port or not await _poll(ready, seconds=START_TIMEOUT):
            await process.stop()
            raise E2EError(
                f"The Playground did not start (exit code {process.process.returncode}); a config file it rejects "
                f"makes it exit right after 'Listening on'.\nstdout:\n{process.log_tail()}\n"
                f"log {log_path}:\n{playground.log_tail()}"
            )
        return playground

    def log_tail(self, lines: int = 25) -> str:
        """The end of the Playground's own log (where it says why it refused a config file)."""
        return _tail(self.log_path, lines)

    async def stop(self) -> None:
        await self.process.stop()

    async def get_member(self, conversation_id: str, member_id: str) -> tuple[int, dict[str, Any]]:
        """What `TeamsInfo.get_member` gets from the mocked connector: (status, body)."""
        url = f"{self.service_url}/v3/conversations/{conversation_id}/members/{member_id}"
        async with aiohttp.ClientSession() as session, session.get(url) as response:
            return response.status, await response.json()

    def person(self, user: str) -> dict[str, Any]:
        """A person from this Playground's config (e-mail, name, Teams id or aadObjectId)."""
        return find_person(self.config, user)

    def activity_from(self, user: str, *, conversation: str = "group", **fields: Any) -> dict[str, Any]:
        """A complete activity from another person, shaped like the ones the Playground itself sends.

        `conversation` is "personal", "group" or "channel" (the team's General channel). Add `type`, `text`,
        `value`, `name`, `replyToId`, `entities` … as keyword arguments. Send it with `send_custom_activity`.
        """
        person = self.person(user)
        tenant = str(self.config["tenantId"])
        conversations: dict[str, dict[str, Any]] = {
            "personal": {"conversationType": "personal", "id": personal_chat_id(person)},
            "group": {"isGroup": True, "conversationType": "groupChat", "id": self.group_chat_id},
            "channel": {"isGroup": True, "conversationType": "channel", "id": str(self.config["team"]["id"])},
        }
        activity: dict[str, Any] = {
            "type": "message",
            "id": f"custom-{time.time_ns()}",
            "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()),
            "channelId": "msteams",
            "serviceUrl": self.service_url,
            "from": {"id": person["id"], "name": person["name"], "aadObjectId": person["aadObjectId"]},
            "recipient": {"id": self.config["bot"]["id"], "name": self.bot_name},
            "conversation": {**conversations[conversation], "tenantId": tenant},
            "channelData": {"tenant": {"id": tenant}},
            "locale": "da-DK",
        }
        activity.update(fields)
        return activity

    async def send_custom_activity(self, activity: dict[str, Any]) -> None:
        """Hand an activity to the bot through the Playground ("Mock an Activity"); replies show in its page.

        The Playground answers at once and sends in the background; an invoke's response is not shown.
        """
        url = f"{self.url}_internal/v1/customActivities"
        async with aiohttp.ClientSession() as session, session.post(url, json=activity) as response:
            if response.status != 200:
                raise E2EError(f"The Playground refused the custom activity: {response.status} {await response.text()}")


# --- The browser and the chat ----------------------------------------------------------------------------------


@dataclass
class Browser:
    """Headless Chromium (Debian's /usr/bin/chromium) through Playwright."""

    playwright: Playwright
    browser: PlaywrightBrowser

    @classmethod
    async def launch(cls) -> Browser:
        require_tools()
        playwright = await async_playwright().start()
        try:
            browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        except BaseException:
            await playwright.stop()
            raise
        return cls(playwright, browser)

    async def new_chat(
        self, playground: Playground, *, bot: BotServer | None = None, viewport: ViewportSize = VIEWPORT
    ) -> Chat:
        """A fresh browser context on `playground`, opened on the personal chat."""
        context = await self.browser.new_context(viewport=viewport, locale="da-DK")
        context.set_default_timeout(UI_TIMEOUT * 1000)
        page = await context.new_page()
        chat = Chat(page, context, playground, bot=bot)
        try:
            await chat.open()
        except BaseException:
            await context.close()
            raise
        return chat

    async def close(self) -> None:
        try:
            await self.browser.close()
        finally:
            await self.playwright.stop()


# In-page helpers. Texts are compared with whitespace collapsed. In a channel the Playground lists threads newest
# first (replies inside a thread oldest first); the helpers put them oldest first, as in a chat.
_JS_COMMON = (
    "const norm = s => (s || '').replace(/\\s+/g, ' ').trim();"
    "const isNewPost = c => [...c.querySelectorAll('button')].some(b => norm(b.innerText) === 'Post');"
    "const threads = () => [...document.querySelectorAll('.fui-Card[role=\"group\"]')]"
    "  .filter(c => !isNewPost(c)).reverse();"
    "const messageItems = () => {"
    "  const items = [...document.querySelectorAll('[aria-label=\"Message header\"]')].map(h => h.parentElement);"
    "  return items.length ? items : threads(); };"
    "const cardsInOrder = top => { const all = [...document.querySelectorAll(top)]; const ts = threads();"
    "  return ts.length ? ts.flatMap(t => all.filter(c => t.contains(c))) : all; };"
    "const holder = c => (c.closest('.ac-preview-panel') || c).parentElement;"
)
_JS_NORM = "const norm = s => (s || '').replace(/\\s+/g, ' ').trim();"
_JS_MESSAGES = "(n) => {" + _JS_COMMON + "return messageItems().slice(-n).map(e => norm(e.innerText));}"
# A found card's holder (the element around the rendered card, kept when the bot updates the card) gets a
# data-e2e-card token to locate it by; mark_cards() stamps every holder on the page with data-e2e-seen.
_JS_FIND_CARD = (
    "([top, containing, since, button, token]) => {" + _JS_COMMON + "const cards = cardsInOrder(top);"
    "for (let i = cards.length - 1; i >= 0; i--) {"
    "  const h = holder(cards[i]);"
    "  if (since > 0 && h.dataset.e2eSeen && Number(h.dataset.e2eSeen) <= since) continue;"
    "  const text = norm(cards[i].innerText);"
    "  if (!containing.every(wanted => text.includes(wanted))) continue;"
    "  if (button && ![...cards[i].querySelectorAll('button')].some(b => norm(b.getAttribute('title')"
    "      || b.innerText) === button)) continue;"
    "  if (!h.dataset.e2eCard) h.dataset.e2eCard = token;"
    "  return h.dataset.e2eCard; }"
    "return null;}"
)
_JS_MARK_CARDS = (
    "([top, mark]) => {" + _JS_COMMON + "for (const c of document.querySelectorAll(top)) {"
    "  const h = holder(c); if (!h.dataset.e2eSeen) h.dataset.e2eSeen = String(mark); }}"
)
_JS_FIND_INPUT = (
    "(card, wanted) => {" + _JS_NORM + "const label = s => norm(s).replace(/\\s*\\*$/, '');"
    "const labels = [...card.querySelectorAll('label.ac-richTextBlock')];"
    "for (const l of labels) if (label(l.innerText) === wanted && l.htmlFor) return {id: l.htmlFor};"
    "for (const e of card.querySelectorAll('input, textarea, [role=radiogroup]')) {"
    "  if (e.id && (norm(e.getAttribute('placeholder')) === wanted || norm(e.getAttribute('aria-label')) === wanted))"
    "    return {id: e.id}; }"
    "return {labels: labels.map(l => label(l.innerText))};}"
)
_JS_OPTION_NAMES = (
    "(els) => {" + _JS_NORM + "return els.map(e => norm((e.labels && e.labels.length ? e.labels[0].innerText : '')"
    " || e.getAttribute('aria-label') || e.innerText));}"
)
_JS_BUTTONS = (
    "(card) => {" + _JS_NORM + "return [...card.querySelectorAll('button')]"
    ".map(b => norm(b.getAttribute('title') || b.innerText)).filter(Boolean);}"
)


@dataclass
class Chat:
    """One browser page on a Playground: the conversation on screen, its message box and its cards.

    Cards are found by their text (`wait_for_card`), then driven by what a person sees: button titles and
    input labels. Every wait fails with the last messages on the page, page errors and the bot's log.
    """

    page: Page
    context: BrowserContext
    playground: Playground
    bot: BotServer | None = None
    kind: str = "personal"  # "personal", "groupChat" or "channel"
    page_errors: list[str] = field(default_factory=list)
    _marks: int = field(default=0, init=False, repr=False)
    _tokens: int = field(default=0, init=False, repr=False)

    def __post_init__(self) -> None:
        self.page.on("pageerror", lambda error: self.page_errors.append(str(error)))

    async def open(self) -> None:
        """Load the Playground (its history starts empty on every load) and show the personal chat."""
        await self.page.goto(self.playground.url, timeout=START_TIMEOUT * 1000)
        await self.page.locator(MESSAGE_BOX).first.wait_for(timeout=START_TIMEOUT * 1000)
        self.kind = "personal"

    async def reload(self) -> None:
        """A clean page: earlier messages disappear (the bot's state does not)."""
        await self.open()

    async def close(self) -> None:
        await self.context.close()

    # --- Conversations ---

    async def open_personal(self) -> None:
        await self._open_conversation("Personal Chat", "personal")

    async def open_group(self) -> None:
        await self._open_conversation(self.playground.group_chat_name, "groupChat")

    async def open_channel(self, channel: str = "General") -> None:
        await self._open_conversation(f"{self.playground.team_name} - {channel}", "channel")

    async def _open_conversation(self, tree_item: str, kind: str) -> None:
        await self.page.get_by_role("treeitem", name=tree_item, exact=True).click()
        await self.page.locator(MESSAGE_BOX).first.wait_for()
        self.kind = kind

    # --- Writing ---

    async def send(self, text: str, *, reply: bool | str = False) -> None:
        """Type `text` and send it.

        In a channel this starts a new post; `reply=True` answers in the newest thread instead, and
        `reply="some text"` in the newest thread containing that text.
        """
        box = self._compose_box(reply)
        await box.click()
        await self.page.keyboard.type(text)
        await self._submit(box, reply)

    async def mention_and_send(self, text: str, *, mention: str | None = None, reply: bool | str = False) -> None:
        """@mention the bot (or `mention`) by picking it from the @ menu, then type `text` and send.

        In the group chat and in channels the bot only gets messages that mention it, as in Teams.
        """
        name = mention or self.playground.bot_name
        box = self._compose_box(reply)
        await box.click()
        await self.page.keyboard.type("@")
        item = (
            self.page.locator(MENTION_MENU)
            .get_by_role("menuitem")
            .filter(has_text=re.compile(rf"^\s*{re.escape(name)}\s*$"))
        )
        try:
            await item.first.click()
        except Exception as error:
            choices = await self.page.locator(MENTION_MENU).get_by_role("menuitem").all_inner_texts()
            raise E2EError(f"Could not pick {name!r} from the @ menu (it offered {choices}): {error}") from None
        await self.page.keyboard.type(" " + text)
        await self._submit(box, reply)

    def _compose_box(self, reply: bool | str) -> Locator:
        if self.kind != "channel" or reply is False:
            return self.page.locator(MESSAGE_BOX).first
        new_post = self.page.get_by_role("button", name="Post", exact=True)
        threads = self.page.locator(".fui-Card[role='group']").filter(has_not=new_post)  # newest first
        if isinstance(reply, str):
            threads = threads.filter(has_text=reply)
        return threads.first.locator(MESSAGE_BOX)

    async def _submit(self, box: Locator, reply: bool | str) -> None:
        if self.kind == "channel" and reply is False:
            await self.page.get_by_role("button", name="Post", exact=True).click()
        else:
            await self.page.keyboard.press("Enter")

        async def cleared() -> bool | None:
            return True if not (await box.inner_text()).strip() else None

        if not await _poll(cleared, seconds=UI_TIMEOUT):
            raise E2EError(f"The message was not sent; the box still holds {await box.inner_text()!r}")

    # --- Reading ---

    async def messages(self, last: int = 6) -> list[str]:
        """The text of the last messages in the open conversation (in a channel: the last posts), oldest first."""
        texts: list[str] = await self.page.evaluate(_JS_MESSAGES, last)
        return texts

    async def mark_cards(self) -> int:
        """Mark the cards on the page now; `wait_for_card(..., since=mark)` then ignores them.

        A card the bot later updates in place stays marked. Marks live in the page: switching conversation
        or reloading drops them.
        """
        self._marks += 1
        await self.page.evaluate(_JS_MARK_CARDS, [TOP_CARD, self._marks])
        return self._marks

    async def wait_for_text(self, text: str, *, seconds: float = BOT_ANSWER_TIMEOUT) -> str:
        """Wait for a message containing `text`; returns that message's text."""
        wanted = " ".join(text.split())

        async def found() -> str | None:
            return next((m for m in reversed(await self.messages(50)) if wanted in m), None)

        message = await _poll(found, seconds=seconds, interval=0.2)
        if message is None:
            raise E2EError(f"No message containing {text!r} within {seconds:g} s.\n{await self.diagnostics()}")
        return message

    async def wait_for_card(
        self,
        containing: str | Sequence[str] = "",
        *,
        since: int = 0,
        button: str | None = None,
        seconds: float = BOT_ANSWER_TIMEOUT,
    ) -> Locator:
        """The newest card whose text contains `containing` (every one of them, when several are given), and
        that has a button titled `button`, if given.

        `since` (from `mark_cards()` before the action) ignores the cards that were there already, so an
        older card with the same text does not count. The locator keeps pointing at the card when the bot
        updates it in place.
        """
        wanted = [" ".join(c.split()) for c in ([containing] if isinstance(containing, str) else containing) if c]
        self._tokens += 1
        token = f"c{self._tokens}"

        async def find() -> str | None:
            found: str | None = await self.page.evaluate(_JS_FIND_CARD, [TOP_CARD, wanted, since, button, token])
            return found

        found = await _poll(find, seconds=seconds, interval=0.2)
        if found is None:
            what = f"card containing {wanted!r}" + (f" with a button {button!r}" if button else "")
            if since:
                what += " among the cards that came after the mark"
            raise E2EError(f"No {what} within {seconds:g} s.\n{await self.diagnostics()}")
        card = self.page.locator(f'[data-e2e-card="{found}"]').locator(TOP_CARD).first
        await card.scroll_into_view_if_needed()
        return card

    async def diagnostics(self) -> str:
        """What the page and the bot show now, for failure messages."""
        lines = [f"Last messages in the {self.kind} conversation (oldest first):"]
        try:
            lines += [f"  - {m[:400]}" for m in await self.messages()] or ["  (none)"]
        except Exception as error:  # the page itself may be gone
            lines.append(f"  (could not read the page: {error})")
        if self.page_errors:
            lines.append("Errors in the Playground page: " + " | ".join(self.page_errors[-5:]))
        if self.bot is not None:
            log = [line for line in self.bot.process.log_tail(200).splitlines() if "aiohttp.access" not in line]
            lines.append("Bot log (last lines):\n" + "\n".join(log[-15:]))
        return "\n".join(lines)

    # --- Cards ---

    async def click(self, button_title: str, *, within: Locator | None = None) -> None:
        """Click the button titled `button_title` in `within` (default: the newest card that has it)."""
        card = within or await self.wait_for_card(button=button_title, seconds=UI_TIMEOUT)
        button = card.get_by_role("button", name=button_title, exact=True)
        if await button.count() == 0:
            titles = await card.evaluate(_JS_BUTTONS)
            raise E2EError(f"No button {button_title!r} in the card; it has {titles}.\n{await self.diagnostics()}")
        errors_before = len(self.page_errors)
        await button.first.click()
        await asyncio.sleep(0.2)
        if len(self.page_errors) > errors_before:
            # E.g. the Playground drops an action whose data has a property named `key` with this error.
            raise E2EError(
                f"The Playground page failed on {button_title!r}: {self.page_errors[-1]}\n{await self.diagnostics()}"
            )

    async def fill(self, label: str, value: str, *, within: Locator | None = None) -> None:
        """Type `value` into the text, number or date input labelled `label` (or with that placeholder)."""
        target = await self._input(label, within)
        role = await target.get_attribute("role")
        if role == "combobox" and await target.get_attribute("aria-haspopup") == "dialog":  # Input.Date: yyyy-mm-dd
            await target.fill(value)
            await self.page.keyboard.press("Escape")
        elif role in (None, "spinbutton", "textbox"):
            await target.fill(value)
        else:
            raise E2EError(f"{label!r} is a {role}; use choose() or toggle() for it")

    async def choose(self, label: str, *titles: str, within: Locator | None = None) -> None:
        """Select exactly `titles` in the Input.ChoiceSet labelled `label` (compact, expanded or multi-select)."""
        target = await self._input(label, within)
        role = await target.get_attribute("role")
        if role == "radiogroup":
            await self._set_options(label, target.get_by_role("radio"), titles, multi=False)
        elif role == "combobox":
            await target.locator("xpath=..").locator(".fui-Combobox__expandIcon").click()
            popup = self.page.locator(f'[id="{await target.get_attribute("aria-controls")}"]')
            await popup.wait_for()
            if await popup.get_attribute("role") == "menu":  # compact multi-select
                await self._set_options(label, popup.get_by_role("menuitemcheckbox"), titles, multi=True)
                await self.page.keyboard.press("Escape")
            else:
                await self._set_options(label, popup.get_by_role("option"), titles, multi=False)
        elif await target.get_by_role("checkbox").count():  # expanded multi-select
            await self._set_options(label, target.get_by_role("checkbox"), titles, multi=True)
        else:
            raise E2EError(f"{label!r} is not a choice set")

    async def _set_options(self, label: str, options: Locator, titles: tuple[str, ...], *, multi: bool) -> None:
        names: list[str] = await options.evaluate_all(_JS_OPTION_NAMES)
        unknown = [t for t in titles if t not in names]
        if unknown or (not multi and len(titles) != 1):
            raise E2EError(f"Cannot choose {list(titles)} in {label!r}; its choices are {names}")
        for name, option in zip(names, await options.all(), strict=True):
            wanted = name in titles
            if not multi:
                if wanted:
                    await (option.check() if await option.get_attribute("type") == "radio" else option.click())
                continue
            checked = await option.get_attribute("aria-checked")
            is_checked = checked == "true" if checked is not None else await option.is_checked()
            if is_checked != wanted:
                await option.click()

    async def toggle(self, label: str, on: bool = True, *, within: Locator | None = None) -> None:
        """Set the Input.Toggle labelled `label` (its label, or its title when it has no label)."""
        target = await self._input(label, within)
        await target.set_checked(on)

    async def value(self, label: str, *, within: Locator | None = None) -> str:
        """What the input labelled `label` shows now (choices as their titles, comma-separated)."""
        target = await self._input(label, within)
        if await target.get_attribute("type") == "checkbox":  # Input.Toggle
            return "true" if await target.is_checked() else "false"
        if await target.evaluate("e => e.tagName") == "DIV":  # expanded choice set: radios or checkboxes
            checked = target.locator("input:checked")
            return ", ".join(await checked.evaluate_all(_JS_OPTION_NAMES))
        return await target.input_value()

    async def _input(self, label: str, within: Locator | None) -> Locator:
        card = within or await self.wait_for_card(seconds=UI_TIMEOUT)
        found: dict[str, Any] = await card.evaluate(_JS_FIND_INPUT, " ".join(label.split()))
        if "id" not in found:
            raise E2EError(f"No input labelled {label!r} in the card; its labels are {found['labels']}")
        return card.locator(f'[id="{found["id"]}"]')

    # --- Pictures ---

    async def at_width(self, card: Locator, width: int = PHONE["width"]) -> list[str]:
        """Lay the card out `width` px wide, as on a phone; returns what of it is cut off (nothing, when all of it
        can be read). Take the screenshot after this."""
        found: list[str] = await card.evaluate(_JS_AT_WIDTH, width)
        return found

    async def screenshot(self, name: str, *, card: Locator | None = None) -> Path:
        """Save the page (or just `card`) as tests/artifacts/<name>.png; returns the path."""
        path = ARTIFACTS / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        if card is not None:
            await card.screenshot(path=path)
        else:
            await self.page.screenshot(path=path)
        return path


# --- Everything for one test module ----------------------------------------------------------------------------


@dataclass
class E2E:
    """One bot on a fresh database, a Playground per current user (started on first use), chats in one browser."""

    browser: Browser
    workdir: Path
    bot: BotServer
    playgrounds: dict[str, Playground] = field(default_factory=dict)
    chats: list[Chat] = field(default_factory=list)

    @classmethod
    async def start(cls, browser: Browser, workdir: Path, *, org_file: Path | None = None) -> E2E:
        bot = await BotServer.start(workdir / "bot", org_file=org_file)
        return cls(browser, workdir, bot)

    async def playground(self, user: str | None = None) -> Playground:
        """The Playground whose current user is `user` (default: the config's current user)."""
        config = playground_config()
        person = find_person(config, user) if user else config["currentUser"]
        key = str(person["id"])
        if key not in self.playgrounds:
            directory = self.workdir / ("playground-" + re.sub(r"\W+", "-", key).strip("-"))
            self.playgrounds[key] = await Playground.start(self.bot.endpoint, directory, user=str(person["email"]))
        return self.playgrounds[key]

    async def chat(self, user: str | None = None, *, viewport: ViewportSize = VIEWPORT) -> Chat:
        """A new page on `user`'s Playground, on the personal chat. Closed by `close_chats`."""
        chat = await self.browser.new_chat(await self.playground(user), bot=self.bot, viewport=viewport)
        self.chats.append(chat)
        return chat

    async def close_chats(self, *, screenshot_prefix: str | None = None) -> None:
        """Close the pages opened since the last call; with a prefix, save a screenshot of each first."""
        chats, self.chats = self.chats, []
        for number, chat in enumerate(chats, start=1):
            if screenshot_prefix:
                with contextlib.suppress(Exception):
                    await chat.screenshot(f"{screenshot_prefix}-{number}")
            with contextlib.suppress(Exception):
                await chat.close()

    async def close(self) -> None:
        await self.close_chats()
        for playground in self.playgrounds.values():
            await playground.stop()
        await self.bot.stop()
