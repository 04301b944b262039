"""The status rules as pure functions: routes, turns, skipping the leder stage, and who may do what."""

from __future__ import annotations

import pytest

from domain.workflow import Action, Actor, EntryState, NotAllowed, Outcome, decide, first_stage, is_turn_of
from storage.models import EntryStatus

ROUTE = ("leder", "chef")
# Units: 3 = Dagtilbud Kirkebjerg, under 2 = Center for Dagtilbud og Skole, under 1 = direktørområde.
PATH = (3, 2, 1)
MEDARBEJDER = Actor(10, frozenset())
LEDER = Actor(11, frozenset({("leder", 3)}))
OTHER_LEDER = Actor(12, frozenset({("leder", 4)}))
CHEF = Actor(13, frozenset({("chef", 2)}))
INDSAMLER = Actor(14, frozenset({("indsamler", None)}))


def pending(stage: int, owner: int = 10) -> EntryState:
    return EntryState(EntryStatus.PENDING, stage, owner, PATH)


def test_a_medarbejders_entry_starts_with_the_leder_and_a_leders_own_skips_to_the_chef() -> None:
    assert first_stage(ROUTE, MEDARBEJDER, PATH) == 0
    assert first_stage(ROUTE, LEDER, PATH) == 1
    assert first_stage(ROUTE, OTHER_LEDER, PATH) == 0
    # A chef proposing still needs the chef stage to be decided: nobody approves their own entry unseen.
    assert first_stage(("chef",), CHEF, PATH) == 0


def test_turns_follow_role_and_unit() -> None:
    assert is_turn_of(ROUTE, pending(0), LEDER)
    assert not is_turn_of(ROUTE, pending(0), OTHER_LEDER)
    assert not is_turn_of(ROUTE, pending(0), CHEF)
    assert is_turn_of(ROUTE, pending(1), CHEF)
    assert not is_turn_of(ROUTE, pending(1), LEDER)
    assert is_turn_of(("indsamler",), pending(0), INDSAMLER)


def test_the_default_route_from_medarbejder_through_leder_to_chef() -> None:
    after_leder = decide(ROUTE, pending(0), Action.RECOMMEND, LEDER)
    assert after_leder == Outcome(EntryStatus.PENDING, 1)
    assert decide(ROUTE, pending(1), Action.APPROVE, CHEF) == Outcome(EntryStatus.APPROVED, 1)


@pytest.mark.parametrize(
    ("state", "action", "actor", "comment", "reason"),
    [
        (pending(0), Action.RECOMMEND, OTHER_LEDER, "", "not_your_turn"),
        (pending(0), Action.APPROVE, LEDER, "", "wrong_action"),
        (pending(1), Action.RECOMMEND, CHEF, "", "wrong_action"),
        (pending(0), Action.SEND_BACK, LEDER, "  ", "comment_required"),
        (pending(1), Action.REJECT, CHEF, "", "comment_required"),
        (pending(0), Action.WITHDRAW, LEDER, "", "not_owner"),
        (pending(0), Action.RESUBMIT, MEDARBEJDER, "", "not_sent_back"),
        (EntryState(EntryStatus.APPROVED, 1, 10, PATH), Action.REJECT, CHEF, "nej", "not_pending"),
    ],
)
def test_refusals(state: EntryState, action: Action, actor: Actor, comment: str, reason: str) -> None:
    with pytest.raises(NotAllowed) as refused:
        decide(ROUTE, state, action, actor, comment)
    assert refused.value.reason == reason


def test_send_back_then_resubmit_reenters_the_route() -> None:
    sent_back = decide(ROUTE, pending(1), Action.SEND_BACK, CHEF, "Skriv hvem målgruppen er")
    assert sent_back == Outcome(EntryStatus.SENT_BACK, 1)
    state = EntryState(sent_back.status, sent_back.stage, 10, PATH)
    assert decide(ROUTE, state, Action.RESUBMIT, MEDARBEJDER) == Outcome(EntryStatus.PENDING, 0)
    assert decide(ROUTE, state, Action.WITHDRAW, MEDARBEJDER) == Outcome(EntryStatus.WITHDRAWN, 1)
