"""The time, in one place: Copenhagen days and hours, and a clock and sleep that tests can set.

Production code asks `clock.now()`; tests call `clock.set_now(...)` (or `frozen`) instead of waiting for real time,
and `clock.sleep` lets a test replace real sleeps with an event it controls. This is the only place that reads the
real time: the database's column defaults and every stored moment go through `now()`, so a frozen clock reaches
them. It lives in `core/`, the leaf that both `domain/` and `storage/` import (`domain.clock` re-exports it).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

COPENHAGEN = ZoneInfo("Europe/Copenhagen")

_now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)  # noqa: E731
_sleep: Callable[[float], Awaitable[None]] = asyncio.sleep


def now() -> dt.datetime:
    """The current moment, timezone-aware (UTC)."""
    return _now()


def local_now() -> dt.datetime:
    return now().astimezone(COPENHAGEN)


def today() -> dt.date:
    """Today in Copenhagen."""
    return local_now().date()


def this_year() -> int:
    return local_now().year


async def sleep(seconds: float) -> None:
    await _sleep(seconds)


def set_now(source: Callable[[], dt.datetime] | None) -> None:
    """Replace the clock (tests); None restores the real one."""
    global _now
    _now = source if source is not None else (lambda: dt.datetime.now(dt.UTC))


def set_sleep(sleeper: Callable[[float], Awaitable[None]] | None) -> None:
    """Replace sleeping (tests); None restores asyncio.sleep."""
    global _sleep
    _sleep = sleeper if sleeper is not None else asyncio.sleep


@contextmanager
def frozen(moment: dt.datetime) -> Iterator[None]:
    """Within the block, the clock stands at `moment`."""
    set_now(lambda: moment)
    try:
        yield
    finally:
        set_now(None)
