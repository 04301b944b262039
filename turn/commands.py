"""The bot's text commands: one list that the handler routes on and the manifest's command lists are built from."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from microsoft_teams.cards.core import AdaptiveCard

from cards import texts
from cards.help import help_card
from cards.payloads import Command


@dataclass(frozen=True)
class CommandInfo:
    command: Command
    description: str
    scopes: tuple[str, ...]


_PERSONAL = ("personal",)
_ALL = ("personal", "team", "groupChat")

COMMANDS: tuple[CommandInfo, ...] = (
    CommandInfo(Command.HELP, texts.COMMAND_DESCRIPTIONS["hjælp"], _ALL),
    CommandInfo(Command.TEGN, texts.COMMAND_DESCRIPTIONS["tegn"], _ALL),
    CommandInfo(Command.LAERING, texts.COMMAND_DESCRIPTIONS["læring"], _ALL),
    CommandInfo(Command.EKSEMPEL, texts.COMMAND_DESCRIPTIONS["eksempel"], _ALL),
    CommandInfo(Command.MINE, texts.COMMAND_DESCRIPTIONS["mine"], _PERSONAL),
    CommandInfo(Command.GODKEND, texts.COMMAND_DESCRIPTIONS["godkend"], _PERSONAL),
    CommandInfo(Command.MOEDE, texts.COMMAND_DESCRIPTIONS["møde"], ("team", "groupChat")),
    CommandInfo(Command.OVERSIGT, texts.COMMAND_DESCRIPTIONS["oversigt"], _PERSONAL),
    CommandInfo(Command.EKSPORT, texts.COMMAND_DESCRIPTIONS["eksport"], _PERSONAL),
    CommandInfo(Command.BEGREBER, texts.COMMAND_DESCRIPTIONS["begreber"], _ALL),
    CommandInfo(Command.GRUNDLAG, texts.COMMAND_DESCRIPTIONS["grundlag"], _ALL),
    CommandInfo(Command.EKSEMPLER, texts.COMMAND_DESCRIPTIONS["eksempler"], _PERSONAL),
    CommandInfo(Command.ANNULLER, texts.COMMAND_DESCRIPTIONS["annullér"], _ALL),
)

# People type without Danish letters or accents on some keyboards and phones.
_ALIASES: dict[str, Command] = {
    "hjaelp": Command.HELP,
    "hjalp": Command.HELP,
    "help": Command.HELP,
    "?": Command.HELP,
    "laering": Command.LAERING,
    "laring": Command.LAERING,
    "moede": Command.MOEDE,
    "mode": Command.MOEDE,
    "annuller": Command.ANNULLER,
    "annullere": Command.ANNULLER,
    "afbryd": Command.ANNULLER,
    "stop": Command.ANNULLER,
    "godkendelser": Command.GODKEND,
    "indbakke": Command.GODKEND,
}

_WORD = re.compile(r"[\wæøåÆØÅ?]+", re.UNICODE)


def parse_command(text: str | None) -> Command | None:
    """The command a typed message asks for: its first word, case and accents forgiven; None if unknown."""
    if not text:
        return None
    match = _WORD.search(text.strip().lower())
    if not match:
        return None
    word = unicodedata.normalize("NFC", match.group(0))
    try:
        return Command(word)
    except ValueError:
        return _ALIASES.get(word)


# The buttons on the help card: the common starts.
HELP_STARTS = (
    (texts.HELP_BUTTON_TEGN, Command.TEGN),
    (texts.HELP_BUTTON_LAERING, Command.LAERING),
    (texts.HELP_BUTTON_EKSEMPEL, Command.EKSEMPEL),
    (texts.HELP_BUTTON_BEGREBER, Command.BEGREBER),
)


def help_for(*, in_group: bool, unknown_text: bool = False) -> AdaptiveCard:
    """The help card for a personal chat or a group chat/channel, listing the commands that work there."""
    scope = "groupChat" if in_group else "personal"
    commands = [
        (info.command.value, info.description)
        for info in COMMANDS
        if scope in info.scopes and info.command is not Command.ANNULLER
    ]
    starts = [(title, command.value) for title, command in HELP_STARTS]
    return help_card(commands=commands, starts=starts, in_group=in_group, unknown_text=unknown_text)
