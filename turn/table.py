"""The action table: every user action, registered once by the feature module that serves it, with its doors.

An action is
- its payload model (cards.payloads): what a button carries. The model's tag is an Action.Submit's `action` and,
  where a per-user view needs one (a round's card in a group chat), the Action.Execute verb;
- its handler, `async def serve(turn, payload)`, which answers through `turn.reply` whatever the door;
- its typed forms: what a person writes instead of clicking ("anbefal 12 Fin idé"), so that everything works from
  a phone (Action.Execute taps fail in Teams for iOS and Android: AdaptiveCards#9315) and without any buttons.

Commands (`mine`, `godkend` …) are actions too: `RunCommand` by word, each served by the handler its feature
module registers with `command`. The bot's handler does one lookup here for every click, invoke and typed text.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from http import HTTPStatus
from typing import Any, Generic, TypeVar

from cards import payloads, texts
from cards.payloads import ACTION_KEY, Command
from core.vocabulary import Role, Tema
from domain.logsafe import escaped
from turn.commands import parse_command
from turn.scope import Turn

log = logging.getLogger(__name__)
P = TypeVar("P", bound=payloads.Payload)
Serve = Callable[[Turn, Any], Awaitable[None]]
ServeCommand = Callable[[Turn, str], Awaitable[None]]
ServeInvalid = Callable[[Turn, payloads.InvalidInput], Awaitable[None]]
# A group chat's text before the table's forms: (turn, text, its typed form, its command) → taken.
GroupText = Callable[[Turn, str, "TypedAction | None", Command | None], Awaitable[bool]]


class Where(StrEnum):
    """Where a typed form is understood."""

    PERSONAL = "personal"  # the personal chat (typed in a group chat, it is answered in the personal chat)
    GROUP = "group"  # a group chat, meeting chat or channel thread (a round's own chat)
    ANY = "any"


# --- Reading what people type ---------------------------------------------------------------------------------

_FOLDS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e", "ä": "ae", "ö": "oe"})


def fold(word: str) -> str:
    """A word as it is compared: lower case, and Danish letters as people write them without a Danish keyboard."""
    return unicodedata.normalize("NFC", word).lower().translate(_FOLDS)


_NUMBER = re.compile(r"\s*(?:nr\.?\s*|#)?(\d{1,19})(?![\w,])\s*(.*)", re.DOTALL | re.IGNORECASE)
_NUMBERS = re.compile(r"\s*(?:nr\.?\s*)?(\d{1,4}(?:\s*(?:,|og|\s)\s*\d{1,4})*)\s*$", re.IGNORECASE)


def number_and_text(rest: str) -> tuple[int, str] | None:
    """ "12 Fin idé", "nr. 12", "#12" → (12, "Fin idé"); None when it does not start with a number."""
    match = _NUMBER.fullmatch(rest)
    if match is None or int(match.group(1)) > payloads.MAX_DB_INT:
        return None
    return int(match.group(1)), match.group(2).strip()


def numbers(rest: str) -> list[int] | None:
    """ "1,3,4", "1, 3 og 4", "1 3 4" → [1, 3, 4]; None when it is not a list of numbers."""
    match = _NUMBERS.fullmatch(rest)
    if match is None:
        return None
    return [int(n) for n in re.findall(r"\d+", match.group(1))]


_DATE = re.compile(r"(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})|(\d{4})-(\d{2})-(\d{2})")


def danish_date(text: str) -> dt.date | None:
    """ "3.11.2026" or "2026-11-03" → the date; None when it is no date."""
    match = _DATE.fullmatch(text.strip())
    if match is None:
        return None
    day, month, year = (match.group(1), match.group(2), match.group(3))
    if day is None:
        year, month, day = match.group(4), match.group(5), match.group(6)
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def tema_named(words: str) -> Tema | None:
    """A tema by its name or its first word ("mod", "vores", "Vores opgave"), case and Danish letters forgiven."""
    wanted = fold(words.strip())
    for tema in Tema:
        label = fold(texts.TEMA_LABELS[tema])
        if wanted and (wanted == label or wanted == label.split()[0]):
            return tema
    return None


def entry_number(*, comment: str = "none") -> Callable[[str], dict[str, Any] | None]:
    """The rest of a typed decision: an entry's number, then a comment that is `none` (ignored), `optional` or
    `required`."""

    def fields(rest: str) -> dict[str, Any] | None:
        found = number_and_text(rest)
        if found is None:
            return None
        number, text = found
        if comment == "required" and not text:
            return None
        return {"entry_id": number, "comment": text} if comment != "none" else {"entry_id": number}

    return fields


# --- The table ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Typed:
    """One typed form of an action."""

    words: str  # the first words, as shown in hjælp ("send tilbage")
    fields: Callable[[str], dict[str, Any] | None]  # the rest of the message → the payload's data; None: wrong form
    usage: str  # texts: the form with an example, shown in hjælp and when the form is wrong
    where: Where = Where.PERSONAL
    # Who is shown the form in hjælp (empty: everyone). The server checks the right anyway, on every action.
    roles: frozenset[Role] = frozenset()
    fixed: dict[str, Any] = field(default_factory=dict)  # data every use of this form carries (the decision)

    @property
    def folded(self) -> tuple[str, ...]:
        return tuple(fold(word) for word in self.words.split())


@dataclass(frozen=True)
class ActionSpec(Generic[P]):
    payload: type[P]
    serve: Serve
    typed: tuple[Typed, ...] = ()
    # Arrives as an Action.Execute too: a per-user view in a group chat, or a card sent before the phone fix.
    execute: bool = False
    # Input that does not validate: the same card again with what was typed and a Danish message.
    invalid: ServeInvalid | None = None
    # A flow's own button (Send): the running flow serves it; this handler only when no flow runs any more.
    after_flow: bool = False


@dataclass(frozen=True)
class TypedAction:
    """A typed message that is one of the table's forms, parsed."""

    spec: ActionSpec[Any]
    form: Typed
    payload: payloads.AnyPayload | None  # None: the form's words, but not its shape (`form.usage` says how)


class ActionTable:
    def __init__(self) -> None:
        self._by_tag: dict[str, ActionSpec[Any]] = {}
        self._commands: dict[Command, ServeCommand] = {}
        self._group_text: GroupText | None = None

    def action(
        self,
        payload: type[P],
        *,
        typed: Iterable[Typed] = (),
        execute: bool = False,
        invalid: ServeInvalid | None = None,
        after_flow: bool = False,
    ) -> Callable[[Callable[[Turn, P], Awaitable[None]]], Callable[[Turn, P], Awaitable[None]]]:
        """Register the decorated handler as the one that serves `payload`, with its typed forms."""

        def register(serve: Callable[[Turn, P], Awaitable[None]]) -> Callable[[Turn, P], Awaitable[None]]:
            tag = payload.tag()
            if tag in self._by_tag:
                raise ValueError(f"action {tag!r} registered twice")
            self._by_tag[tag] = ActionSpec(payload, serve, tuple(typed), execute, invalid, after_flow)
            return serve

        return register

    def group_text(self, hook: GroupText) -> GroupText:
        """Register the one hook that sees a group chat's text first (a chat's open round: a message to the bot is
        a proposal unless it is one of the round's own forms)."""
        self._group_text = hook
        return hook

    async def in_group(self, turn: Turn, text: str, typed: TypedAction | None, command: Command | None) -> bool:
        return self._group_text is not None and await self._group_text(turn, text, typed, command)

    async def serve(
        self, turn: Turn, spec: ActionSpec[Any], payload: payloads.AnyPayload | payloads.InvalidInput
    ) -> None:
        """Run the action's handler; input that does not validate goes to its `invalid` handler, or is refused."""
        if isinstance(payload, payloads.InvalidInput):
            log.info("action %s: invalid input in %s", spec.payload.tag(), escaped(sorted(payload.errors)))
            if spec.invalid is not None:
                await spec.invalid(turn, payload)
            else:
                await turn.answer.error(HTTPStatus.BAD_REQUEST, "BadRequest", next(iter(payload.errors.values())))
            return
        await spec.serve(turn, payload)

    async def run_command(self, turn: Turn, command: Command, rest: str) -> None:
        serve = self._commands.get(command)
        if serve is None:
            await turn.answer.text(texts.STALE_CARD_GONE)
            return
        await serve(turn, rest)

    def command(self, command: Command) -> Callable[[ServeCommand], ServeCommand]:
        """Register the decorated handler for a command word (typed, or a button's RunCommand); it gets the rest
        of the typed message."""

        def register(serve: ServeCommand) -> ServeCommand:
            if command in self._commands:
                raise ValueError(f"command {command.value!r} registered twice")
            self._commands[command] = serve
            return serve

        return register

    def spec(self, tag: object) -> ActionSpec[Any] | None:
        return self._by_tag.get(tag) if isinstance(tag, str) else None

    @property
    def commands(self) -> frozenset[Command]:
        return frozenset(self._commands)

    @property
    def specs(self) -> tuple[ActionSpec[Any], ...]:
        return tuple(self._by_tag.values())

    def forms_as_registered(self) -> list[tuple[ActionSpec[Any], Typed]]:
        """Every typed form in the order the feature modules registered them (hjælp lists them so: by feature)."""
        return [(spec, form) for spec in self._by_tag.values() for form in spec.typed]

    def forms(self) -> list[tuple[ActionSpec[Any], Typed]]:
        """Every typed form, longest words first (so that »send tilbage« wins over a shorter form)."""
        return sorted(self.forms_as_registered(), key=lambda pair: -len(pair[1].folded))

    def typed(self, text: str, *, in_group: bool) -> TypedAction | None:
        """The action a typed message asks for, or None when it is no typed form (then: a command, or text)."""
        tokens = list(re.finditer(r"\S+", text))
        folded = [fold(token.group(0)) for token in tokens]
        for spec, form in self.forms():
            words = form.folded
            if tuple(folded[: len(words)]) != words:
                continue
            if form.where is Where.GROUP and not in_group:
                continue
            rest = text[tokens[len(words) - 1].end() :].strip()
            if not rest and _is_command(form.words):
                continue  # `godkend` alone is the inbox, `godkend 12` a decision
            data = form.fields(rest)
            if data is None:
                return TypedAction(spec, form, None)
            try:
                parsed = payloads.parse({ACTION_KEY: spec.payload.tag(), **form.fixed, **data})
            except payloads.InvalidInput:
                return TypedAction(spec, form, None)
            return TypedAction(spec, form, parsed)
        return None


def _is_command(words: str) -> bool:
    return " " not in words and parse_command(words) is not None


# The one table. Feature modules (bot.approvals, bot.rounds, bot.eksempler, bot.overview, bot.entries) register
# their actions on import; bot.handler imports them all.
ACTIONS = ActionTable()
