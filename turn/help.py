"""`hjælp`: what this person can do here, from the command list and the action table's typed forms."""

from __future__ import annotations

from microsoft_teams.cards.core import AdaptiveCard

from cards import texts
from cards.help import help_card
from domain.actor import Actor
from turn.commands import COMMANDS, Command, shown_to
from turn.table import ACTIONS, Where

# The buttons on the help card: the common starts.
HELP_STARTS = (
    (texts.HELP_BUTTON_TEGN, Command.TEGN),
    (texts.HELP_BUTTON_LAERING, Command.LAERING),
    (texts.HELP_BUTTON_PROEVEHANDLING, Command.PROEVEHANDLING),
    (texts.HELP_BUTTON_EKSEMPEL, Command.EKSEMPEL),
    (texts.HELP_BUTTON_BEGREBER, Command.BEGREBER),
)


def typed_forms(actor: Actor, *, in_group: bool) -> list[str]:
    """The typed forms this person's role can use where they are (each once, as the table lists them)."""
    wanted = (Where.GROUP, Where.ANY) if in_group else (Where.PERSONAL, Where.ANY)
    roles = frozenset(actor.roles_held())
    usages: list[str] = []
    for _spec, form in ACTIONS.forms():
        if form.where in wanted and shown_to(roles, form.roles) and form.usage not in usages:
            usages.append(form.usage)
    return usages


def help_for(actor: Actor, *, in_group: bool, unknown_text: bool = False) -> AdaptiveCard:
    """The help card for a personal chat or a group chat/channel: the commands and typed forms that work there for
    this person (a medarbejder is not shown `godkend`; a group chat is shown the round, not the 1:1 flows)."""
    scope = "groupChat" if in_group else "personal"
    roles = frozenset(actor.roles_held())
    commands = [
        (info.command.value, info.description)
        for info in COMMANDS
        if scope in info.scopes and info.command is not Command.ANNULLER and shown_to(roles, info.roles)
    ]
    starts = [] if in_group else [(title, command.value) for title, command in HELP_STARTS]
    return help_card(
        commands=commands,
        starts=starts,
        typed=typed_forms(actor, in_group=in_group),
        in_group=in_group,
        unknown_text=unknown_text,
    )
