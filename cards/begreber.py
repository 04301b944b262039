"""`begreber`: the glossary, in the organisation's own words, shortened."""

from __future__ import annotations

from microsoft_teams.cards.core import AdaptiveCard, CardElement, Container, TextBlock

from cards import payloads, texts
from cards.base import card, heading, paragraph, submit
from cards.payloads import Command


def begreber_card() -> AdaptiveCard:
    body: list[CardElement] = [heading(texts.BEGREBER_TITLE), paragraph(texts.BEGREBER_INTRO, subtle=True)]
    for term, explanation in (*texts.BEGREBER, *texts.BEGREBER_PLAN_A):
        body.append(
            Container(
                items=[TextBlock(text=term, weight="Bolder", wrap=True), paragraph(explanation, spacing="None")],
                spacing="Medium",
            )
        )
    return card(body=body, actions=[submit(texts.HELP_BUTTON_TEGN, payloads.RunCommand, command=Command.TEGN)])
