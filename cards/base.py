"""Helpers every card uses: the attachment wrapper, literal user text, and the action payload convention."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from microsoft_teams.cards.core import (
    AdaptiveCard,
    CardElement,
    RichTextBlock,
    SubmitAction,
    TeamsCardProperties,
    TextBlock,
    TextRun,
)

from cards import texts

ActionStyle = Literal["default", "positive", "destructive"]
Spacing = Literal["None", "ExtraSmall", "Small", "Default", "Medium", "Large", "ExtraLarge", "Padding"]
Weight = Literal["Lighter", "Default", "Bolder"]

ADAPTIVE_CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
SCHEMA_VERSION: Literal["1.5"] = "1.5"
# Teams refuses messages over 40 KB; a card must leave room for the activity around it.
MAX_CARD_BYTES = 28_000

# Every action's data carries this key; its value names the pydantic model the submit parses into.
ACTION_KEY = "action"


def card(*, body: Sequence[CardElement], actions: Sequence[Any] | None = None, **extra: Any) -> AdaptiveCard:
    """An Adaptive Card on the schema version Teams renders, full width in chats."""
    return AdaptiveCard(
        version=SCHEMA_VERSION,
        body=list(body),
        actions=list(actions) if actions else None,
        msteams=TeamsCardProperties(width="full"),
        **extra,
    )


def card_json(adaptive_card: AdaptiveCard) -> dict[str, Any]:
    content: dict[str, Any] = adaptive_card.model_dump(mode="json", exclude_none=True, by_alias=True)
    content.setdefault("$schema", "http://adaptivecards.io/schemas/adaptive-card.json")
    return content


def submit(title: str, action: str, *, style: ActionStyle | None = None, **data: Any) -> SubmitAction:
    """An Action.Submit whose data names the action, so that the submit parses into exactly one model."""
    return SubmitAction(title=title, data={ACTION_KEY: action, **data}, style=style)


def cancel_submit(title: str, action: str, **data: Any) -> SubmitAction:
    """A submit that ignores the card's inputs and their validation (Tilbage, Annullér)."""
    return SubmitAction(title=title, data={ACTION_KEY: action, **data}, associated_inputs="none")


def heading(text: str) -> TextBlock:
    return TextBlock(text=text, size="Large", weight="Bolder", wrap=True, style="heading")


def subheading(text: str) -> TextBlock:
    return TextBlock(text=text, weight="Bolder", wrap=True, spacing="Medium")


def paragraph(text: str, *, subtle: bool = False, spacing: Spacing | None = None) -> TextBlock:
    """Our own (trusted) text; may use the small markdown subset Teams supports."""
    return TextBlock(text=text, wrap=True, is_subtle=subtle or None, spacing=spacing)


def literal(text: str, *, subtle: bool = False, weight: Weight | None = None) -> RichTextBlock:
    """Text a person typed, shown exactly as typed: a TextRun never renders markdown, links or HTML."""
    inlines: list[CardElement] = [TextRun(text=text, is_subtle=subtle or None, weight=weight)]
    return RichTextBlock(inlines=inlines)


def error_text(message: str) -> TextBlock:
    return TextBlock(text=message, color="Attention", wrap=True, weight="Bolder")


def step_label(step: int, total: int) -> TextBlock:
    """ "Trin 2 af 3" above a flow's card."""
    return TextBlock(text=texts.STEP_OF.format(step=step, total=total), size="Small", is_subtle=True, wrap=True)
