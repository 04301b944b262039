"""`eksport`: pick a målplan to download."""

from __future__ import annotations

from collections.abc import Sequence

from microsoft_teams.cards.core import AdaptiveCard, CardElement

from cards import payloads, texts
from cards.base import card, heading, paragraph, submit


def export_picker_card(*, maalplaner: Sequence[tuple[int, str]]) -> AdaptiveCard:
    """`maalplaner` are (id, title) pairs."""
    body: list[CardElement] = [heading(texts.EXPORT_PICK_TITLE), paragraph(texts.EXPORT_PICK_INTRO)]
    body.append(paragraph(texts.EXPORT_PICK_TYPED.format(number=maalplaner[0][0]), subtle=True))
    actions = [
        submit(
            texts.EXPORT_BUTTON_NUMBERED.format(title=title, number=plan_id), payloads.ExportPick, maalplan_id=plan_id
        )
        for plan_id, title in maalplaner
    ]
    return card(body=body, actions=actions)
