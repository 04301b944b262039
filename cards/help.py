"""The help card: what the bot can do, with buttons for the common starts."""

from __future__ import annotations

from microsoft_teams.cards.core import AdaptiveCard, CardElement, Fact, FactSet

from bot.commands import COMMANDS, Command
from cards import texts
from cards.base import card, heading, paragraph, subheading, submit


def help_card(*, in_group: bool, unknown_text: bool = False) -> AdaptiveCard:
    scope = "groupChat" if in_group else "personal"
    facts = [
        Fact(title=info.command.value, value=info.description)
        for info in COMMANDS
        if scope in info.scopes and info.command is not Command.ANNULLER
    ]
    body: list[CardElement] = []
    if unknown_text:
        body.append(paragraph(texts.HELP_UNKNOWN_PREFIX, subtle=True))
    body += [heading(texts.HELP_TITLE), paragraph(texts.HELP_INTRO)]
    if in_group:
        body.append(paragraph(texts.HELP_GROUP_HINT, subtle=True))
    body += [subheading(texts.HELP_COMMANDS_HEADER), FactSet(facts=facts)]
    actions = [
        submit(texts.HELP_BUTTON_TEGN, "command", command=Command.TEGN.value),
        submit(texts.HELP_BUTTON_LAERING, "command", command=Command.LAERING.value),
        submit(texts.HELP_BUTTON_BEGREBER, "command", command=Command.BEGREBER.value),
    ]
    return card(body=body, actions=actions)
