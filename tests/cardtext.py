"""Reads what a person would read on a card, for assertions."""

from __future__ import annotations

from typing import Any


def card_texts(card: dict[str, Any]) -> list[str]:
    """All text in a card's body and actions (TextBlocks, facts, rich text runs, button titles)."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key in ("text", "title", "value"):
                if isinstance(node.get(key), str):
                    found.append(node[key])
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(card.get("body", []))
    walk(card.get("actions", []))
    return found
