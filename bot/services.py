"""What the action table's handlers use besides the database: built once in create_app, reached through the Turn."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from bot.notifier import Notifier
from bot.proactive import ProactiveSender
from bot.settings import Settings
from turn.scope import Turn

if TYPE_CHECKING:
    from bot.rounds import RoundUpdater
    from bot.scheduler import Outbox


@dataclass(frozen=True)
class Services:
    settings: Settings
    notifier: Notifier
    sender: ProactiveSender
    outbox: Outbox
    rounds: RoundUpdater


def services(turn: Turn) -> Services:
    return cast(Services, turn.services)
