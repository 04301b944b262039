"""bot/platform/: the botbuilder workarounds, one module per concern, each module naming the workarounds it holds
(issue 18, "Split bot/adapter.py"). Every numbered workaround is described in exactly one module's docstring, and
nothing imports the old single module any more."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = {
    "bot.platform.auth": {5, 6, 8},
    "bot.platform.tenant": {7},
    "bot.platform.http": {1, 2, 4, 10, 12},
    "bot.platform.errors": {3, 9},
    "bot.platform.wire": {11},
}


def _described(docstring: str) -> set[int]:
    """The workaround numbers a docstring describes: lines that start with "N. "."""
    return {int(n) for n in re.findall(r"^(\d+)\. ", docstring, flags=re.MULTILINE)}


def test_each_module_describes_its_workarounds_and_every_number_is_described_once() -> None:
    seen: list[int] = []
    for name, numbers in MODULES.items():
        docstring = importlib.import_module(name).__doc__ or ""
        assert _described(docstring) == numbers, name
        summary = docstring.splitlines()[0] + docstring.split("\n\n")[0]
        assert all(str(n) in summary for n in numbers), f"{name}'s first paragraph names its workaround numbers"
        seen.extend(numbers)
    assert sorted(seen) == list(range(1, 13))


def test_the_single_adapter_module_is_gone_and_nothing_imports_it() -> None:
    assert not (ROOT / "bot" / "adapter.py").exists()
    importers = [
        path.relative_to(ROOT)
        for folder in ("app.py", "bot", "cli", "bench", "tests", "testkit", "turn", "dialogs")
        for path in ([ROOT / folder] if folder.endswith(".py") else (ROOT / folder).rglob("*.py"))
        if re.search(r"\bbot\.adapter\b|from bot import adapter", path.read_text(encoding="utf-8"))
        and path.name != Path(__file__).name
    ]
    assert importers == []
