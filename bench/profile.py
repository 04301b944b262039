"""Profiles of the bot process under load, with py-spy (`--profile DIR`; py-spy is optional, `pip install py-spy`).

py-spy samples the bot's process from outside (no code change, little overhead) and keeps only samples of
the thread holding the GIL, i.e. where the CPU goes. `breakdown` groups the samples by the library of the
innermost frame that belongs to a known one (the leaf-most match), which is how the issue's profile was read:
"SQLAlchemy ORM 27 %, msrest 15 %, ...". The raw collapsed stacks stay in DIR for a flame graph.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import sys
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

# (label, substrings of a frame's file): the first label whose pattern the innermost matching frame has.
CATEGORIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("SQLAlchemy ORM", ("sqlalchemy/orm/",)),
    ("SQLAlchemy core + pool", ("sqlalchemy/",)),
    ("database driver", ("aiosqlite/", "asyncpg/", "sqlite3/")),
    ("msrest (de)serialization", ("msrest/serialization",)),
    ("msrest pipeline + requests", ("msrest/", "requests/", "urllib3/", "http/client")),
    ("jsonpickle (dialog state)", ("jsonpickle/",)),
    ("pydantic", ("pydantic/", "pydantic_core/")),
    ("Adaptive Card builders", ("microsoft_teams/",)),
    ("botbuilder dialogs", ("botbuilder/dialogs/",)),
    ("botbuilder core + connector", ("botbuilder/", "botframework/")),
    ("aiohttp", ("aiohttp/", "multidict/", "yarl/")),
    ("json", ("json/",)),
    ("asyncio + threads", ("asyncio/", "concurrent/", "threading")),
    ("logging", ("logging/",)),
    ("Styringsbot", ("bot/", "dialogs/", "domain/", "cards/", "storage/", "turn/", "app.py")),
)


def py_spy() -> str | None:
    """py-spy beside this Python (a virtualenv's bin) or on PATH."""
    here = Path(sys.executable).parent
    return shutil.which("py-spy", path=f"{here}{os.pathsep}{os.environ.get('PATH', '')}")


def available() -> bool:
    return py_spy() is not None


@asynccontextmanager
async def profiling(pid: int, output: Path) -> AsyncIterator[None]:
    """Sample `pid` while the block runs; the collapsed stacks go to `output`."""
    command = py_spy()
    assert command is not None
    process = await asyncio.create_subprocess_exec(
        command,
        "record",
        "--pid",
        str(pid),
        "--gil",
        "--format",
        "raw",
        "--rate",
        "200",
        "--output",
        str(output),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    await asyncio.sleep(0.5)  # py-spy attaches
    try:
        yield
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGINT)
        try:
            async with asyncio.timeout(20):
                await process.wait()
        except TimeoutError:
            process.kill()
            await process.wait()


def _file_of(frame: str) -> str:
    """The file of a collapsed frame "function (path/file.py:line)", as py-spy shortens it."""
    inner = frame.rpartition(" (")[2]
    return "/" + inner.rpartition(":")[0].lstrip("/")


def _category(stack: str) -> str:
    for frame in reversed(stack.split(";")):
        path = _file_of(frame)
        for label, patterns in CATEGORIES:
            if any("/" + p in path for p in patterns):
                return label
    return "other"


def breakdown(path: Path) -> dict[str, float]:
    """Share of samples per category, largest first."""
    counts: Counter[str] = Counter()
    try:
        lines = path.read_text(errors="replace").splitlines()
    except OSError:
        return {}
    for line in lines:
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit():
            counts[_category(stack)] += int(count)
    total = sum(counts.values())
    return {label: round(100 * n / total, 1) for label, n in counts.most_common()} if total else {}


def hot_frames(
    path: Path, prefix: tuple[str, ...] = ("bot/", "dialogs/", "domain/", "storage/", "turn/", "cards/"), top: int = 15
) -> list[tuple[str, float]]:
    """Our own functions by the share of samples they appear in (inclusive), largest first."""
    counts: Counter[str] = Counter()
    total = 0
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not (stack and count.isdigit()):
            continue
        total += int(count)
        seen = set()
        for frame in stack.split(";"):
            name = frame.split(" (")[0] + " (" + frame.split(" (")[-1].split(":")[0] + ")" if " (" in frame else frame
            if any(p in frame for p in prefix) and name not in seen:
                seen.add(name)
                counts[name] += int(count)
    return [(name, round(100 * n / total, 1)) for name, n in counts.most_common(top)] if total else []


def _output_in(directory: Path, name: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    return directory / f"{name}.txt"


@asynccontextmanager
async def profiled(directory: Path | None, name: str, pid: int) -> AsyncIterator[Path | None]:
    """`profiling` into DIRECTORY/NAME.txt (yields that path), or nothing when no directory was asked for."""
    if directory is None:
        yield None
        return
    output = _output_in(directory, name)
    async with profiling(pid, output):
        yield output
