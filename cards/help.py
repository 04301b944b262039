"""The help card: what the bot can do, with buttons for the common starts."""

from __future__ import annotations

from collections.abc import Sequence

from microsoft_teams.cards.core import AdaptiveCard, CardElement, Fact, FactSet

from cards import texts
from cards.base import card, heading, paragraph, subheading, submit

RUN_COMMAND = "command"


def help_card(
    *,
    commands: Sequence[tuple[str, str]],
    starts: Sequence[tuple[str, str]],
    in_group: bool,
    unknown_text: bool = False,
) -> AdaptiveCard:
    """`commands` are (word, description) pairs to list; `starts` are (button title, command word) pairs."""
    body: list[CardElement] = []
    if unknown_text:
        body.append(paragraph(texts.HELP_UNKNOWN_PREFIX, subtle=True))
    body += [heading(texts.HELP_TITLE), paragraph(texts.HELP_INTRO)]
    if in_group:
        body.append(paragraph(texts.HELP_GROUP_HINT, subtle=True))
    body += [subheading(texts.HELP_COMMANDS_HEADER), FactSet(facts=[Fact(title=w, value=d) for w, d in commands])]
    actions = [submit(title, RUN_COMMAND, command=word) for title, word in starts]
    return card(body=body, actions=actions)
