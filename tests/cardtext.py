"""Reads what a person would read and click on a card, for assertions."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any


def _nodes(card: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every element and action of the card's body, then of its bottom actions, in reading order."""

    def walk(node: object) -> Iterator[dict[str, Any]]:
        if isinstance(node, dict):
            yield node
            for child in node.values():
                yield from walk(child)
        elif isinstance(node, list):
            for child in node:
                yield from walk(child)

    yield from walk(card.get("body", []))
    yield from walk(card.get("actions", []))


def _collect(card: dict[str, Any], pick: Callable[[dict[str, Any]], list[Any]]) -> list[Any]:
    return [found for node in _nodes(card) for found in pick(node)]


def card_texts(card: dict[str, Any]) -> list[str]:
    """All text on the card (TextBlocks, facts, rich text runs, labels, button titles)."""
    return _collect(card, lambda n: [n[k] for k in ("text", "title", "value", "label") if isinstance(n.get(k), str)])


def actions(card: dict[str, Any]) -> list[dict[str, Any]]:
    """Every action on the card, in the body's action sets and at the bottom."""
    return _collect(card, lambda n: [n] if str(n.get("type", "")).startswith("Action.") else [])


def action(card: dict[str, Any], title: str, nth: int = 0) -> dict[str, Any]:
    """The data of the nth action with this button title (what Teams would send back when clicked)."""
    matching = [a for a in actions(card) if a.get("title") == title]
    if len(matching) <= nth:
        raise AssertionError(f"no button {title!r} on the card; buttons: {[a.get('title') for a in actions(card)]}")
    return dict(matching[nth].get("data") or {})


def inputs(card: dict[str, Any]) -> dict[str, Any]:
    """The inputs on the card by id, with the values they show."""
    found = _collect(
        card, lambda n: [(n["id"], n.get("value", ""))] if str(n.get("type", "")).startswith("Input.") else []
    )
    return dict(found)


def template_start(template: str) -> str:
    """The fixed text of a `cards.texts` template before its first placeholder (for values a test cannot know)."""
    return template.split("{", 1)[0]


def plain(text: str) -> str:
    """A `cards.texts` text as a card renderer shows it: **bold** and [links](url) without their markup."""
    return re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text).replace("**", "")
