"""The bot's text commands: one list that the handler routes on and the manifest's command lists are built from."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from cards import texts
from cards.payloads import Command
from core.vocabulary import Role


@dataclass(frozen=True)
class CommandInfo:
    command: Command
    description: str
    # Where the command is answered. A personal command typed in a group chat is answered in the personal chat:
    # nothing personal (a list, a flow, a link) is posted where others read it.
    scopes: tuple[str, ...]
    # Who is shown it in hjælp (empty: everyone); the server checks the right on every action anyway.
    roles: frozenset[Role] = frozenset()


_PERSONAL = ("personal",)
_GROUP = ("team", "groupChat")
_ALL = ("personal", "team", "groupChat")
_APPROVERS = frozenset({Role.LEDER, Role.CHEF, Role.INDSAMLER})
_MANAGERS = frozenset({Role.LEDER, Role.CHEF})
_INDSAMLER = frozenset({Role.INDSAMLER})

COMMANDS: tuple[CommandInfo, ...] = (
    CommandInfo(Command.HELP, texts.COMMAND_DESCRIPTIONS[Command.HELP], _ALL),
    CommandInfo(Command.TEGN, texts.COMMAND_DESCRIPTIONS[Command.TEGN], _PERSONAL),
    CommandInfo(Command.LAERING, texts.COMMAND_DESCRIPTIONS[Command.LAERING], _PERSONAL),
    CommandInfo(Command.PROEVEHANDLING, texts.COMMAND_DESCRIPTIONS[Command.PROEVEHANDLING], _PERSONAL),
    CommandInfo(Command.EKSEMPEL, texts.COMMAND_DESCRIPTIONS[Command.EKSEMPEL], _PERSONAL),
    CommandInfo(Command.MINE, texts.COMMAND_DESCRIPTIONS[Command.MINE], _PERSONAL),
    CommandInfo(Command.GODKEND, texts.COMMAND_DESCRIPTIONS[Command.GODKEND], _PERSONAL, _APPROVERS),
    CommandInfo(Command.MOEDE, texts.COMMAND_DESCRIPTIONS[Command.MOEDE], _GROUP, _MANAGERS),
    CommandInfo(Command.OVERSIGT, texts.COMMAND_DESCRIPTIONS[Command.OVERSIGT], _PERSONAL, _APPROVERS),
    CommandInfo(Command.EKSPORT, texts.COMMAND_DESCRIPTIONS[Command.EKSPORT], _PERSONAL, _APPROVERS),
    CommandInfo(Command.BEGREBER, texts.COMMAND_DESCRIPTIONS[Command.BEGREBER], _ALL),
    CommandInfo(Command.GRUNDLAG, texts.COMMAND_DESCRIPTIONS[Command.GRUNDLAG], _ALL),
    CommandInfo(
        Command.EKSEMPLER, texts.COMMAND_DESCRIPTIONS[Command.EKSEMPLER], _PERSONAL, frozenset({Role.INDSAMLER})
    ),
    CommandInfo(Command.ANNULLER, texts.COMMAND_DESCRIPTIONS[Command.ANNULLER], _ALL),
)
_INFO = {info.command: info for info in COMMANDS}


def is_personal_only(command: Command) -> bool:
    """Answered only in the personal chat (typed in a group chat, it is answered there)."""
    return "groupChat" not in _INFO[command].scopes


def shown_to(roles: frozenset[Role], needed: frozenset[Role]) -> bool:
    return not needed or bool(roles & needed)


# People type without Danish letters or accents on some keyboards and phones.
_ALIASES: dict[str, Command] = {
    "hjaelp": Command.HELP,
    "hjalp": Command.HELP,
    "help": Command.HELP,
    "?": Command.HELP,
    "laering": Command.LAERING,
    "laring": Command.LAERING,
    "proevehandling": Command.PROEVEHANDLING,
    "provehandling": Command.PROEVEHANDLING,
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
