"""How a value that came from outside is written to the log: escaped (no forged lines) and short (no flooding)."""

from __future__ import annotations

LIMIT = 100


def escaped(value: object) -> str:
    """`repr` of the value, at most LIMIT characters: a newline or ANSI escape shows as `\\n`, never acts as one."""
    return repr(value)[:LIMIT]
