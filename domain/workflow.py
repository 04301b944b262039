"""Status transitions and who may make them: routes as data, every rule in one pure function.

An entry is pending at a stage of its route (e.g. [leder, chef]). The person holding that stage's role for the
entry's unit decides: the leder of the unit, the chef of an afdeling above it, or any indsamler.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from storage.models import EntryStatus, Role

DEFAULT_ROUTES: dict[str, tuple[str, ...]] = {
    "tegn": (Role.LEDER.value, Role.CHEF.value),
    "laering": (Role.LEDER.value, Role.CHEF.value),
    "eksempel": (Role.INDSAMLER.value,),
}


class Action(StrEnum):
    RECOMMEND = "anbefal"
    APPROVE = "godkend"
    SEND_BACK = "send_tilbage"
    REJECT = "afvis"
    WITHDRAW = "traek_tilbage"
    RESUBMIT = "genindsend"


COMMENT_REQUIRED = frozenset({Action.SEND_BACK, Action.REJECT})
APPROVER_ACTIONS = frozenset({Action.RECOMMEND, Action.APPROVE, Action.SEND_BACK, Action.REJECT})


class NotAllowed(Exception):
    """The action is not allowed: `reason` is a code the bot layer turns into Danish."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Actor:
    person_id: int
    # (role, unit id) pairs; unit id None for organisation-wide roles (indsamler, administrator).
    roles: frozenset[tuple[str, int | None]]

    def holds(self, role: str, unit_ids: Sequence[int]) -> bool:
        if role == Role.INDSAMLER.value:
            return (role, None) in self.roles
        if role == Role.LEDER.value:
            # The leder of the entry's own unit.
            return bool(unit_ids) and (role, unit_ids[0]) in self.roles
        # A chef decides for every unit in their afdeling, i.e. any unit below it.
        return any((role, unit_id) in self.roles for unit_id in unit_ids)


@dataclass(frozen=True)
class EntryState:
    status: EntryStatus
    stage: int
    owner_id: int
    # The entry's unit first, then its parents up to the top of the organisation.
    unit_path: tuple[int, ...]


@dataclass(frozen=True)
class Outcome:
    status: EntryStatus
    stage: int


def first_stage(route: Sequence[str], owner: Actor, unit_path: Sequence[int]) -> int:
    """Where a new or resubmitted entry starts: past the leading stages its owner holds (a leder's own tegn
    goes straight to the chef). An owner who holds every stage still needs someone else: the last stage."""
    stage = 0
    while stage < len(route) - 1 and owner.holds(route[stage], unit_path):
        stage += 1
    return stage


def is_turn_of(route: Sequence[str], state: EntryState, actor: Actor) -> bool:
    """Whether it is this person's turn to decide on the entry."""
    return (
        state.status is EntryStatus.PENDING
        and state.stage < len(route)
        and actor.holds(route[state.stage], state.unit_path)
    )


def decide(route: Sequence[str], state: EntryState, action: Action, actor: Actor, comment: str = "") -> Outcome:
    """The entry's next status and stage, or NotAllowed with the reason."""
    if action in COMMENT_REQUIRED and not comment.strip():
        raise NotAllowed("comment_required")
    if action in APPROVER_ACTIONS:
        if state.status is not EntryStatus.PENDING:
            raise NotAllowed("not_pending")
        if not is_turn_of(route, state, actor):
            raise NotAllowed("not_your_turn")
        last = state.stage >= len(route) - 1
        if action is Action.RECOMMEND:
            if last:
                raise NotAllowed("wrong_action")
            return Outcome(EntryStatus.PENDING, state.stage + 1)
        if action is Action.APPROVE:
            if not last:
                raise NotAllowed("wrong_action")
            return Outcome(EntryStatus.APPROVED, state.stage)
        if action is Action.SEND_BACK:
            return Outcome(EntryStatus.SENT_BACK, state.stage)
        return Outcome(EntryStatus.REJECTED, state.stage)
    if actor.person_id != state.owner_id:
        raise NotAllowed("not_owner")
    if action is Action.WITHDRAW:
        if state.status not in (EntryStatus.PENDING, EntryStatus.SENT_BACK):
            raise NotAllowed("not_pending")
        return Outcome(EntryStatus.WITHDRAWN, state.stage)
    if state.status is not EntryStatus.SENT_BACK:
        raise NotAllowed("not_sent_back")
    return Outcome(EntryStatus.PENDING, first_stage(route, actor, state.unit_path))
