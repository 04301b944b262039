"""Client profiles: what a person's Teams client can do with a card's buttons.

- desktop: every button works (Action.Submit and Action.Execute);
- phone: Teams for iOS and Android send nothing for an Action.Execute tap since January 2026 (AdaptiveCards#9315,
  msteams-docs#13924), so tapping one fails the test: the flow must work by Action.Submit and typing;
- text only: no card buttons for decisions and round leadership at all (a screen reader's user who types, a client
  that shows the card as text); a guided flow's form still submits.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from cards import payloads


class Client(StrEnum):
    DESKTOP = "desktop"
    PHONE = "phone"
    TEXT_ONLY = "text_only"


class CannotTap(AssertionError):
    """The client cannot use this button: the flow under test must offer another way (typing)."""


def _subclasses(cls: type[payloads.FlowPayload]) -> list[type[payloads.FlowPayload]]:
    found: list[type[payloads.FlowPayload]] = []
    for direct in cls.__subclasses__():
        found += [direct, *_subclasses(direct)]
    return found


# A guided flow's own buttons (Videre, Send, Tilbage …), which every client can submit.
FLOW_TAGS = frozenset(sub.tag() for sub in _subclasses(payloads.FlowPayload))


def _flow_form(data: dict[str, Any]) -> bool:
    return data.get(payloads.ACTION_KEY) in FLOW_TAGS


def check_tap(client: Client, button: dict[str, Any]) -> None:
    """Raise CannotTap when `client` cannot tap this button (an action of a card as Teams sends it)."""
    kind = button.get("type")
    if client is Client.PHONE and kind == "Action.Execute":
        raise CannotTap(f"phone: an Action.Execute tap does nothing ({button.get('title')!r})")
    if client is Client.TEXT_ONLY and not (kind == "Action.Submit" and _flow_form(dict(button.get("data") or {}))):
        raise CannotTap(f"text only: no button {button.get('title')!r}; type it instead")
