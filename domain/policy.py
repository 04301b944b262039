"""The entry policy: for one entry and one person, everything the UI may ask, answered in one place.

An entry is pending at a stage of its route (e.g. [leder, chef]). The person holding that stage's role for the
entry's unit decides: the leder of the unit, the chef of an afdeling above it, or any indsamler. The owner may
withdraw an entry while it is still in play (pending, or sent back to them) and edit and resubmit it when it was
sent back. Cards, dialogs, handlers, the inbox and the notifier only read `EntryPolicy`; `decide` applies the
same answer to a requested action.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from core.vocabulary import (
    APPROVER_ACTIONS,
    COMMENT_REQUIRED,
    Action,
    EntryKind,
    EntryStatus,
    Role,
    SelectionStage,
)
from domain.actor import Actor
from domain.eksempel_status import is_received

# The owner's entry is still in play (not decided for good): they may take it back.
WITHDRAWABLE = frozenset({EntryStatus.PENDING, EntryStatus.SENT_BACK})


class Refusal(StrEnum):
    """Why an action is not allowed; the bot layer turns it into Danish."""

    COMMENT_REQUIRED = "comment_required"
    NOT_PENDING = "not_pending"
    NOT_YOUR_TURN = "not_your_turn"
    WRONG_ACTION = "wrong_action"
    NOT_OWNER = "not_owner"
    NOT_SENT_BACK = "not_sent_back"
    # Rounds (personalemøder).
    NOT_A_LEADER = "not_a_leader"
    NOT_STARTER = "not_starter"
    NOT_OPEN = "not_open"
    NOT_CLOSED = "not_closed"
    NOT_ALLOWED = "not_allowed"
    NOT_FOUND = "not_found"
    BAD_TARGET = "bad_target"
    NOT_HERE = "not_here"  # a round's action from outside its own chat
    TOO_MANY = "too_many"  # one person's proposals in one round are capped
    COLOUR_REQUIRED = "colour_required"  # a status round's answer is a colour and a sentence


class NotAllowed(Exception):
    """The action is not allowed, for `reason`."""

    def __init__(self, reason: Refusal):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class EntryFacts:
    """What the rules need to know about an entry."""

    status: EntryStatus
    stage: int
    owner_id: int
    # The entry's unit first, then its parents up to the top of the organisation.
    unit_path: tuple[int, ...]
    kind: EntryKind | None = None


@dataclass(frozen=True)
class EntryPolicy:
    """What one person may do with one entry, now."""

    may_see: bool
    is_owner: bool
    # The decisions open to this person now, in the order the card shows them; empty when it is not their turn.
    decisions: tuple[Action, ...]
    # Whether the entry is at the last stage of its route (a decision there is final).
    last_stage: bool
    may_withdraw: bool
    may_edit: bool
    # The role whose turn it is while the entry is pending; None otherwise.
    waiting_for: Role | None

    @property
    def is_my_turn(self) -> bool:
        return bool(self.decisions)


@dataclass(frozen=True)
class Outcome:
    status: EntryStatus
    stage: int


NO_POLICY = EntryPolicy(
    may_see=False,
    is_owner=False,
    decisions=(),
    last_stage=False,
    may_withdraw=False,
    may_edit=False,
    waiting_for=None,
)


def first_stage(route: Sequence[Role], owner: Actor, unit_path: Sequence[int]) -> int:
    """Where a new or resubmitted entry starts: past the leading stages its owner holds (a leder's own tegn
    goes straight to the chef). An owner who holds every stage still needs someone else: the last stage."""
    stage = 0
    while stage < len(route) - 1 and owner.holds(route[stage], unit_path):
        stage += 1
    return stage


def acts_as_chef(actor: Actor, facts: EntryFacts) -> bool:
    """Whether `actor` holds the chef role for the entry's målplan: a chef of an afdeling above the entry's unit,
    or a tovholder of the målplan (the role is held for the målplan's unit) on a målplan entry (not an eksempel)."""
    if actor.holds(Role.CHEF, facts.unit_path):
        return True
    return (
        facts.kind is not None
        and facts.kind is not EntryKind.EKSEMPEL
        and bool(facts.unit_path)
        and (Role.TOVHOLDER, facts.unit_path[0]) in actor.roles
    )


def holds_stage(actor: Actor, role: Role, facts: EntryFacts) -> bool:
    """Whether `actor` decides at a stage held by `role` on the entry (a tovholder may act as the chef)."""
    return acts_as_chef(actor, facts) if role is Role.CHEF else actor.holds(role, facts.unit_path)


def may_see(facts: EntryFacts, entry_unit_id: int, viewer: Actor) -> bool:
    """The owner and colleagues in the entry's unit, the leder and chef above it, indsamlere and administrators
    (and the tovholder of the entry's målplan)."""
    if facts.owner_id == viewer.person_id or viewer.unit_id == entry_unit_id:
        return True
    if viewer.has_role(Role.INDSAMLER) or viewer.has_role(Role.ADMINISTRATOR):
        return True
    if acts_as_chef(viewer, facts):
        return True
    return any(role in (Role.LEDER, Role.CHEF) and unit_id in facts.unit_path for role, unit_id in viewer.roles)


def policy_for(route: Sequence[Role], facts: EntryFacts, viewer: Actor) -> EntryPolicy:
    """Everything `viewer` may do with the entry now."""
    pending = facts.status is EntryStatus.PENDING and facts.stage < len(route)
    waiting_for = route[facts.stage] if pending else None
    last_stage = facts.stage >= len(route) - 1
    decisions: tuple[Action, ...] = ()
    if waiting_for is not None and holds_stage(viewer, waiting_for, facts):
        if facts.kind is EntryKind.EKSEMPEL and not last_stage:
            # A leder sends an eksempel on in the unit's name, or back with a comment; only the indsamler rejects.
            decisions = (Action.RECOMMEND, Action.SEND_BACK)
        else:
            decisions = (Action.APPROVE if last_stage else Action.RECOMMEND, Action.SEND_BACK, Action.REJECT)
    is_owner = facts.owner_id == viewer.person_id
    return EntryPolicy(
        may_see=may_see(facts, facts.unit_path[0] if facts.unit_path else -1, viewer),
        is_owner=is_owner,
        decisions=decisions,
        last_stage=last_stage,
        may_withdraw=is_owner and facts.status in WITHDRAWABLE,
        may_edit=is_owner and facts.status is EntryStatus.SENT_BACK,
        waiting_for=waiting_for,
    )


def decide(route: Sequence[Role], facts: EntryFacts, action: Action, actor: Actor, comment: str = "") -> Outcome:
    """The entry's next status and stage when `actor` does `action`, or NotAllowed with the reason."""
    policy = policy_for(route, facts, actor)
    if action in COMMENT_REQUIRED and not comment.strip():
        raise NotAllowed(Refusal.COMMENT_REQUIRED)
    if action in APPROVER_ACTIONS:
        if facts.status is not EntryStatus.PENDING:
            raise NotAllowed(Refusal.NOT_PENDING)
        if not policy.is_my_turn:
            raise NotAllowed(Refusal.NOT_YOUR_TURN)
        if action not in policy.decisions:
            raise NotAllowed(Refusal.WRONG_ACTION)
        if action is Action.RECOMMEND:
            return Outcome(EntryStatus.PENDING, facts.stage + 1)
        if action is Action.APPROVE:
            return Outcome(EntryStatus.APPROVED, facts.stage)
        if action is Action.SEND_BACK:
            return Outcome(EntryStatus.SENT_BACK, facts.stage)
        return Outcome(EntryStatus.REJECTED, facts.stage)
    if not policy.is_owner:
        raise NotAllowed(Refusal.NOT_OWNER)
    if action is Action.WITHDRAW:
        if not policy.may_withdraw:
            raise NotAllowed(Refusal.NOT_PENDING)
        return Outcome(EntryStatus.WITHDRAWN, facts.stage)
    if action is Action.RESUBMIT:
        if not policy.may_edit:
            raise NotAllowed(Refusal.NOT_SENT_BACK)
        return Outcome(EntryStatus.PENDING, first_stage(route, actor, facts.unit_path))
    raise NotAllowed(Refusal.WRONG_ACTION)


# --- Oversigt: who sees which overview, and who may remind ------------------------------------------------------


class OverviewRole(StrEnum):
    INDSAMLER = "indsamler"  # every eksempel, every unit; sends reminders
    CHEF = "chef"  # the units of their afdelinger
    LEDER = "leder"  # their own units
    NONE = "none"  # told kindly what `oversigt` is for


@dataclass(frozen=True)
class OverviewScope:
    role: OverviewRole
    # The afdelinger (chef) or units (leder) the overview covers; empty for the indsamler (she sees all).
    unit_ids: frozenset[int]

    @property
    def may_remind(self) -> bool:
        return self.role is OverviewRole.INDSAMLER

    def may_open_afdeling(self, afdeling_id: int) -> bool:
        return self.role is OverviewRole.INDSAMLER or (self.role is OverviewRole.CHEF and afdeling_id in self.unit_ids)


def in_chefforum(actor: Actor) -> bool:
    """Chefforum sees every mål across the organisation (issue 20), whatever other overview they have."""
    return actor.has_role(Role.CHEFFORUM)


def overview_scope(actor: Actor) -> OverviewScope:
    """Which overview a person gets: the indsamler's, else a chef's, else a leder's, else none."""
    if actor.has_role(Role.INDSAMLER):
        return OverviewScope(OverviewRole.INDSAMLER, frozenset())
    if actor.units_with_role(Role.CHEF):
        return OverviewScope(OverviewRole.CHEF, frozenset(actor.units_with_role(Role.CHEF)))
    if actor.units_with_role(Role.LEDER):
        return OverviewScope(OverviewRole.LEDER, frozenset(actor.units_with_role(Role.LEDER)))
    return OverviewScope(OverviewRole.NONE, frozenset())


# --- Meeting rounds (personalemøde) ---------------------------------------------------------------------------

# The roles that may start a round in a chat, and close one for their unit.
ROUND_LEADERS = (Role.LEDER, Role.CHEF)


def may_start_round(actor: Actor) -> bool:
    """A leder or chef starts a round; everyone else is told who can."""
    return any(actor.has_role(role) for role in ROUND_LEADERS)


@dataclass(frozen=True)
class RoundFacts:
    """What the rules need to know about a round."""

    starter_id: int
    is_open: bool
    is_closed: bool  # closed, not yet forwarded
    is_forwarded: bool
    hide_until_close: bool
    # The round's unit first, then its parents (empty while it is being set up).
    unit_path: tuple[int, ...]


@dataclass(frozen=True)
class RoundPolicy:
    """What one person may see and do on a round's card, now."""

    is_starter: bool
    may_add: bool
    # Everyone's proposals on this person's card (the starter's, unless hidden until close; everyone's after).
    sees_all: bool
    may_close: bool
    may_select: bool


def round_policy(facts: RoundFacts, viewer: Actor) -> RoundPolicy:
    is_starter = facts.starter_id == viewer.person_id
    unit_leader = any(viewer.holds(role, facts.unit_path) for role in ROUND_LEADERS) if facts.unit_path else False
    ended = facts.is_closed or facts.is_forwarded
    return RoundPolicy(
        is_starter=is_starter,
        may_add=facts.is_open,
        sees_all=ended or (is_starter and not facts.hide_until_close),
        may_close=facts.is_open and (is_starter or unit_leader),
        may_select=facts.is_closed and is_starter,
    )


# --- The eksempel selection --------------------------------------------------------------------------------------
#
# After the indsamler received an eksempel (the last stage of its route), the fora decide in turn: the arbejdsgruppe
# selects, Chefforum and/or Direktørforum qualify, KommuneMED approves. Which stages there are, in which order,
# and the names of their fora come from the organisation file (`selection:`); each stage's outcome either moves
# the eksempel on or stops it. Only an indsamler records outcomes (with the forum's date) and marks film candidates.


@dataclass(frozen=True)
class SelectionStep:
    stage: SelectionStage
    # The fora that may decide at this stage, as the organisation names them (e.g. Chefforum, Direktørforum).
    fora: tuple[str, ...]

    @property
    def passed(self) -> EntryStatus:
        return STAGE_OUTCOMES[self.stage][0]

    @property
    def failed(self) -> EntryStatus:
        return STAGE_OUTCOMES[self.stage][1]


Selection = tuple[SelectionStep, ...]

# Each stage's outcomes: (moves on, stops).
STAGE_OUTCOMES: dict[SelectionStage, tuple[EntryStatus, EntryStatus]] = {
    SelectionStage.UDVAELGELSE: (EntryStatus.SELECTED, EntryStatus.NOT_SELECTED),
    SelectionStage.KVALIFICERING: (EntryStatus.QUALIFIED, EntryStatus.NOT_QUALIFIED),
    SelectionStage.GODKENDELSE: (EntryStatus.ADOPTED, EntryStatus.NOT_ADOPTED),
}

DEFAULT_SELECTION: Selection = (
    SelectionStep(SelectionStage.UDVAELGELSE, ("arbejdsgruppen",)),
    SelectionStep(SelectionStage.KVALIFICERING, ("Chefforum", "Direktørforum")),
    SelectionStep(SelectionStage.GODKENDELSE, ("KommuneMED",)),
)


@dataclass(frozen=True)
class SelectionPolicy:
    """What one person may do in an eksempel's selection, now."""

    # The stages whose outcome this person may record now: the next one, and the last one recorded (to correct
    # it while no later forum has decided). Empty for anyone but an indsamler.
    stages: tuple[SelectionStep, ...]
    may_mark_film: bool

    @property
    def may_record(self) -> bool:
        return bool(self.stages)


NO_SELECTION = SelectionPolicy(stages=(), may_mark_film=False)


def received(route: Sequence[Role], facts: EntryFacts) -> bool:
    """The indsamler has the eksempel (domain.eksempel_status says what »received« means)."""
    return facts.kind is EntryKind.EKSEMPEL and is_received(route, facts.status, facts.stage)


def selection_position(selection: Selection, status: EntryStatus) -> int:
    """How many stages have been decided, reading the status: 0 before the first forum decided."""
    for index, step in enumerate(selection):
        if status in (step.passed, step.failed):
            return index + 1
    return 0


def selection_policy_for(
    route: Sequence[Role], selection: Selection, facts: EntryFacts, viewer: Actor
) -> SelectionPolicy:
    if not viewer.has_role(Role.INDSAMLER) or not received(route, facts):
        return NO_SELECTION
    decided = selection_position(selection, facts.status)
    stages: list[SelectionStep] = []
    if decided:
        stages.append(selection[decided - 1])  # a correction of the last outcome
        last = selection[decided - 1]
        if facts.status is last.passed and decided < len(selection):
            stages.append(selection[decided])
    elif selection:
        stages.append(selection[0])
    return SelectionPolicy(stages=tuple(stages), may_mark_film=True)


def record_outcome(
    route: Sequence[Role],
    selection: Selection,
    facts: EntryFacts,
    actor: Actor,
    *,
    outcome: EntryStatus,
    forum: str,
) -> Outcome:
    """The eksempel's next status when the indsamler records a forum's outcome, or NotAllowed with the reason."""
    policy = selection_policy_for(route, selection, facts, actor)
    if not policy.may_record:
        raise NotAllowed(Refusal.NOT_YOUR_TURN if received(route, facts) else Refusal.NOT_PENDING)
    step = next((s for s in policy.stages if outcome in (s.passed, s.failed)), None)
    if step is None or forum not in step.fora:
        raise NotAllowed(Refusal.WRONG_ACTION)
    return Outcome(outcome, facts.stage)


def mark_film(route: Sequence[Role], selection: Selection, facts: EntryFacts, actor: Actor) -> None:
    """NotAllowed unless the actor may mark (or unmark) the eksempel as a film candidate."""
    if not selection_policy_for(route, selection, facts, actor).may_mark_film:
        raise NotAllowed(Refusal.NOT_YOUR_TURN)


def works_the_selection(actor: Actor) -> bool:
    """The indsamler's list of eksempler, its batch outcomes and the eksempel export are hers (any indsamler)."""
    return actor.has_role(Role.INDSAMLER)
