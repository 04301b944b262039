"""Helpers every card uses: the attachment wrapper, literal user text, and the action payload convention."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Literal, Protocol

from microsoft_teams.cards.core import (
    AdaptiveCard,
    CardElement,
    Column,
    ColumnSet,
    Container,
    ExecuteAction,
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
# Teams refuses a message over its size limit with 413 MessageSizeTooBig. The limit is measured on the message
# encoded as UTF-16 (so "æ" and Arabic letters count 2 bytes, not the 6 of msrest's \uXXXX escapes on the wire);
# Microsoft documents 100 KB and recommends staying within 80 KB. A card stays within MAX_CARD_BYTES of UTF-16,
# leaving room for the activity around it.
# https://learn.microsoft.com/microsoftteams/platform/bots/how-to/format-your-bot-messages
MAX_CARD_BYTES = 60_000

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


def utf16_size(adaptive_card: AdaptiveCard) -> int:
    """The card's size as Teams counts it: its JSON, unescaped, in UTF-16."""
    return len(json.dumps(card_json(adaptive_card), ensure_ascii=False).encode("utf-16-le"))


def card_json(adaptive_card: AdaptiveCard) -> dict[str, Any]:
    content: dict[str, Any] = adaptive_card.model_dump(mode="json", exclude_none=True, by_alias=True)
    content.setdefault("$schema", "http://adaptivecards.io/schemas/adaptive-card.json")
    return content


class Tagged(Protocol):
    """A payload model (cards.payloads): what a button sends back, named by its tag."""

    @classmethod
    def tag(cls) -> str: ...


def _data(payload: type[Tagged], data: dict[str, Any]) -> dict[str, Any]:
    unknown = set(data) - set(getattr(payload, "model_fields", {}))
    if unknown:  # a typo here would be a button whose data the payload model silently drops
        raise TypeError(f"{payload.__name__} has no fields {sorted(unknown)}")
    return data


def submit(title: str, payload: type[Tagged], *, style: ActionStyle | None = None, **data: Any) -> SubmitAction:
    """An Action.Submit whose data names the action (the payload's tag), so that it parses into exactly that model.

    Every button in a personal chat is one: Action.Execute taps fail in Teams for iOS and Android (AdaptiveCards#9315).
    """
    return SubmitAction(title=title, data={ACTION_KEY: payload.tag(), **_data(payload, data)}, style=style)


def cancel_submit(title: str, payload: type[Tagged], **data: Any) -> SubmitAction:
    """A submit that ignores the card's inputs and their validation (Tilbage, Annullér)."""
    return SubmitAction(title=title, data={ACTION_KEY: payload.tag(), **_data(payload, data)}, associated_inputs="none")


def execute(
    title: str | None, payload: type[Tagged], *, style: ActionStyle | None = None, **data: Any
) -> ExecuteAction:
    """An Action.Execute: only where a per-user view needs one (a round's card in a group chat or channel), and
    always with a typed equivalent (turn.table). Its verb is the payload's tag; its data carries ids only."""
    return ExecuteAction(title=title, verb=payload.tag(), data=_data(payload, data), style=style)


def heading(text: str) -> TextBlock:
    return TextBlock(text=text, size="Large", weight="Bolder", wrap=True, style="heading")


def subheading(text: str) -> TextBlock:
    return TextBlock(text=text, weight="Bolder", wrap=True, spacing="Medium")


def paragraph(text: str, *, subtle: bool = False, spacing: Spacing | None = None) -> TextBlock:
    """Our own (trusted) text; may use the small markdown subset Teams supports."""
    return TextBlock(text=text, wrap=True, is_subtle=subtle or None, spacing=spacing)


def literal(
    text: str,
    *,
    subtle: bool = False,
    weight: Weight | None = None,
    size: Literal["Small", "Default"] | None = None,
    spacing: Spacing | None = None,
    color: Literal["Attention"] | None = None,
) -> RichTextBlock:
    """Text from outside (what a person typed, a name from Teams, a title someone entered), shown exactly as it
    is: a TextRun never renders markdown, links or HTML. Our own sentences around such a value go in the same run
    (they need no markdown)."""
    inlines: list[CardElement] = [TextRun(text=text, is_subtle=subtle or None, weight=weight, size=size, color=color)]
    return RichTextBlock(inlines=inlines, spacing=spacing)


FACT_LABEL_WIDTH = "110px"


def facts(rows: Sequence[tuple[str, str]], *, subtle: bool = False) -> Container:
    """Label and value pairs, laid out like a FactSet, with each value shown literally.

    Not a FactSet: Teams renders markdown in a Fact's value, so a name like `[godkend her](https://…)` became a link.
    """
    return Container(
        items=[
            ColumnSet(
                columns=[
                    Column(
                        # One width for every row, so that the values line up as in a FactSet.
                        width=FACT_LABEL_WIDTH,
                        items=[TextBlock(text=label, weight="Bolder", wrap=True, is_subtle=subtle or None)],
                    ),
                    Column(width="stretch", items=[literal(value, subtle=subtle)]),
                ],
                spacing="None",
            )
            for label, value in rows
        ],
        spacing="Small",
    )


def error_text(message: str) -> TextBlock:
    return TextBlock(text=message, color="Attention", wrap=True, weight="Bolder")


def step_label(step: int, total: int) -> TextBlock:
    """ "Trin 2 af 3" above a flow's card."""
    return TextBlock(text=texts.STEP_OF.format(step=step, total=total), size="Small", is_subtle=True, wrap=True)
