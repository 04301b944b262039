"""Reads what a person would read on a card, for assertions."""

from __future__ import annotations

from typing import Any


def card_texts(card: dict[str, Any]) -> list[str]:
    """All text in a card's body and actions (TextBlocks, facts, rich text runs, button titles)."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key in ("text", "title", "value", "label"):
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


def actions(card: dict[str, Any]) -> list[dict[str, Any]]:
    """Every action on the card, in the body's action sets and at the bottom."""
    found: list[dict[str, Any]] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("type"), str) and node["type"].startswith("Action."):
                found.append(node)
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(card.get("body", []))
    walk(card.get("actions", []))
    return found


def action(card: dict[str, Any], title: str, nth: int = 0) -> dict[str, Any]:
    """The data of the nth action with this button title (what Teams would send back when clicked)."""
    matching = [a for a in actions(card) if a.get("title") == title]
    if len(matching) <= nth:
        raise AssertionError(f"no button {title!r} on the card; buttons: {[a.get('title') for a in actions(card)]}")
    return dict(matching[nth].get("data") or {})


def inputs(card: dict[str, Any]) -> dict[str, Any]:
    """The inputs on the card by id, with the values they show."""
    found: dict[str, Any] = {}

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("type"), str) and node["type"].startswith("Input."):
                found[node["id"]] = node.get("value", "")
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(card.get("body", []))
    return found
