"""`hjælp`: what this person can do here, from the command list and the action table's typed forms."""

from __future__ import annotations

from collections.abc import Sequence

from microsoft_teams.cards.core import AdaptiveCard
from sqlalchemy.ext.asyncio import AsyncSession

from cards import texts
from cards.entry import person_label
from cards.help import help_card
from core.vocabulary import Role
from domain.actor import Actor
from domain.views import PersonView
from storage.contacts import indsamlere
from turn.commands import COMMANDS, Command, shown_to
from turn.messaging import is_group
from turn.scope import Turn
from turn.table import ACTIONS, Where

# The buttons on the help card: the common starts.
HELP_STARTS = (
    (texts.HELP_BUTTON_TEGN, Command.TEGN),
    (texts.HELP_BUTTON_LAERING, Command.LAERING),
    (texts.HELP_BUTTON_PROEVEHANDLING, Command.PROEVEHANDLING),
    (texts.HELP_BUTTON_EKSEMPEL, Command.EKSEMPEL),
    (texts.HELP_BUTTON_GRUNDLAG, Command.GRUNDLAG),
    (texts.HELP_BUTTON_BEGREBER, Command.BEGREBER),
)
_ROUND_LEADERS = frozenset({Role.LEDER, Role.CHEF})


def typed_forms(actor: Actor, *, in_group: bool) -> list[str]:
    """The typed forms this person's role can use where they are (each once, as the table lists them)."""
    wanted = (Where.GROUP, Where.ANY) if in_group else (Where.PERSONAL, Where.ANY)
    roles = frozenset(actor.roles_held())
    usages: list[str] = []
    for _spec, form in ACTIONS.forms_as_registered():
        if form.where in wanted and shown_to(roles, form.roles) and form.usage not in usages:
            usages.append(form.usage)
    return usages


async def contacts(session: AsyncSession) -> list[str]:
    """Whom to ask about the eksempler, by name: »Stinne Grønne (HR) på stinne.gronne@albertslund.dk«."""
    return [
        texts.PERSON_AT_EMAIL.format(person=person_label(PersonView.of(p), Role.INDSAMLER), email=p.email)
        if p.email
        else p.display_name
        for p in await indsamlere(session)
    ]


def help_for(actor: Actor, *, in_group: bool, unknown_text: bool = False, named: Sequence[str] = ()) -> AdaptiveCard:
    """The help card for a personal chat or a group chat/channel: the commands and typed forms that work there for
    this person (a medarbejder is not shown `godkend`; a group chat is shown the round, not the 1:1 flows).
    `named`: whom to ask about the eksempler (`contacts`)."""
    scope = "groupChat" if in_group else "personal"
    roles = frozenset(actor.roles_held())
    commands = [
        (info.command.value, info.description)
        for info in COMMANDS
        if scope in info.scopes and shown_to(roles, info.roles)
    ]
    starts = [] if in_group else [(title, command.value) for title, command in HELP_STARTS]
    return help_card(
        commands=commands,
        starts=starts,
        typed=typed_forms(actor, in_group=in_group),
        in_group=in_group,
        unknown_text=unknown_text,
        leads_rounds=bool(roles & _ROUND_LEADERS),
        contacts=named,
    )


async def send_help(turn: Turn, *, unknown: bool = False) -> None:
    """`hjælp` (and the answer to what the bot does not understand), as a new message."""
    async with turn.sessionmaker() as session:
        named = await contacts(session)
    help_card = help_for(turn.actor, in_group=is_group(turn.context.activity), unknown_text=unknown, named=named)
    await turn.answer.card(help_card, new_message=True)
