"""The entry policy as pure functions: routes, turns, skipping the leder stage, who may do what, and what each
person's card shows for every status (the owner's and the approver's, approval card and news card alike)."""

from __future__ import annotations

import datetime as dt

import pytest

from cards import texts
from cards.approval import entry_card, owner_news_card
from cards.base import card_json
from core.vocabulary import Action, EntryKind, EntryStatus, Role
from domain.actor import Actor
from domain.policy import EntryFacts, NotAllowed, Outcome, Refusal, decide, first_stage, policy_for
from domain.views import DecisionView, EntryView
from tests.cardtext import actions

ROUTE = (Role.LEDER, Role.CHEF)
# Units: 3 = Dagtilbud Kirkebjerg, under 2 = Center for Dagtilbud og Skole, under 1 = direktørområde.
PATH = (3, 2, 1)
MEDARBEJDER = Actor(10, unit_id=3)
LEDER = Actor(11, roles=frozenset({(Role.LEDER, 3)}))
OTHER_LEDER = Actor(12, unit_id=4, roles=frozenset({(Role.LEDER, 4)}))
CHEF = Actor(13, roles=frozenset({(Role.CHEF, 2)}))
INDSAMLER = Actor(14, roles=frozenset({(Role.INDSAMLER, None)}))
STRANGER = Actor(15, unit_id=9)


def pending(stage: int, owner: int = 10) -> EntryFacts:
    return EntryFacts(EntryStatus.PENDING, stage, owner, PATH)


def test_a_medarbejders_entry_starts_with_the_leder_and_a_leders_own_skips_to_the_chef() -> None:
    assert first_stage(ROUTE, MEDARBEJDER, PATH) == 0
    assert first_stage(ROUTE, LEDER, PATH) == 1
    assert first_stage(ROUTE, OTHER_LEDER, PATH) == 0
    # A chef proposing still needs the chef stage to be decided: nobody approves their own entry unseen.
    assert first_stage((Role.CHEF,), CHEF, PATH) == 0


def test_turns_follow_role_and_unit() -> None:
    assert policy_for(ROUTE, pending(0), LEDER).is_my_turn
    assert not policy_for(ROUTE, pending(0), OTHER_LEDER).is_my_turn
    assert not policy_for(ROUTE, pending(0), CHEF).is_my_turn
    assert policy_for(ROUTE, pending(1), CHEF).decisions == (Action.APPROVE, Action.SEND_BACK, Action.REJECT)
    assert policy_for(ROUTE, pending(0), LEDER).decisions == (Action.RECOMMEND, Action.SEND_BACK, Action.REJECT)
    assert not policy_for(ROUTE, pending(1), LEDER).is_my_turn
    assert policy_for((Role.INDSAMLER,), pending(0), INDSAMLER).is_my_turn


def test_who_may_see_an_entry() -> None:
    for viewer in (MEDARBEJDER, LEDER, CHEF, INDSAMLER, Actor(16, unit_id=3)):
        assert policy_for(ROUTE, pending(0), viewer).may_see
    for viewer in (OTHER_LEDER, STRANGER):
        assert not policy_for(ROUTE, pending(0), viewer).may_see


def test_the_default_route_from_medarbejder_through_leder_to_chef() -> None:
    after_leder = decide(ROUTE, pending(0), Action.RECOMMEND, LEDER)
    assert after_leder == Outcome(EntryStatus.PENDING, 1)
    assert decide(ROUTE, pending(1), Action.APPROVE, CHEF) == Outcome(EntryStatus.APPROVED, 1)


@pytest.mark.parametrize(
    ("facts", "action", "actor", "comment", "reason"),
    [
        (pending(0), Action.RECOMMEND, OTHER_LEDER, "", Refusal.NOT_YOUR_TURN),
        (pending(0), Action.APPROVE, LEDER, "", Refusal.WRONG_ACTION),
        (pending(1), Action.RECOMMEND, CHEF, "", Refusal.WRONG_ACTION),
        (pending(0), Action.SEND_BACK, LEDER, "  ", Refusal.COMMENT_REQUIRED),
        (pending(1), Action.REJECT, CHEF, "", Refusal.COMMENT_REQUIRED),
        (pending(0), Action.WITHDRAW, LEDER, "", Refusal.NOT_OWNER),
        (pending(0), Action.RESUBMIT, MEDARBEJDER, "", Refusal.NOT_SENT_BACK),
        (EntryFacts(EntryStatus.APPROVED, 1, 10, PATH), Action.REJECT, CHEF, "nej", Refusal.NOT_PENDING),
        (EntryFacts(EntryStatus.APPROVED, 1, 10, PATH), Action.WITHDRAW, MEDARBEJDER, "", Refusal.NOT_PENDING),
    ],
)
def test_refusals(facts: EntryFacts, action: Action, actor: Actor, comment: str, reason: Refusal) -> None:
    with pytest.raises(NotAllowed) as refused:
        decide(ROUTE, facts, action, actor, comment)
    assert refused.value.reason is reason


def test_send_back_then_resubmit_or_withdraw() -> None:
    sent_back = decide(ROUTE, pending(1), Action.SEND_BACK, CHEF, "Skriv hvem målgruppen er")
    assert sent_back == Outcome(EntryStatus.SENT_BACK, 1)
    facts = EntryFacts(sent_back.status, sent_back.stage, 10, PATH)
    assert decide(ROUTE, facts, Action.RESUBMIT, MEDARBEJDER) == Outcome(EntryStatus.PENDING, 0)
    # A sent-back entry is still in play: its owner may withdraw it, and every card offers that (issue 9).
    assert decide(ROUTE, facts, Action.WITHDRAW, MEDARBEJDER) == Outcome(EntryStatus.WITHDRAWN, 1)


# --- What each card shows, by status: the policy is the only source ----------------------------------------

WHEN = dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)
# status → (stage, last action) of an entry that got there.
STATES = {
    EntryStatus.PENDING: (1, Action.RECOMMEND),
    EntryStatus.SENT_BACK: (1, Action.SEND_BACK),
    EntryStatus.REJECTED: (1, Action.REJECT),
    EntryStatus.APPROVED: (1, Action.APPROVE),
    EntryStatus.WITHDRAWN: (1, Action.WITHDRAW),
}
OWNER_BUTTONS = {
    EntryStatus.PENDING: [texts.BUTTON_WITHDRAW],
    EntryStatus.SENT_BACK: [texts.BUTTON_EDIT_RESUBMIT, texts.BUTTON_WITHDRAW],
    EntryStatus.REJECTED: [],
    EntryStatus.APPROVED: [],
    EntryStatus.WITHDRAWN: [],
}
CHEF_BUTTONS = {
    EntryStatus.PENDING: [
        *(texts.DECISION_BUTTONS[a] for a in (Action.APPROVE, Action.SEND_BACK, Action.REJECT)),
        texts.BUTTON_CORRECT_APPROVE,
    ],
    EntryStatus.SENT_BACK: [],
    EntryStatus.REJECTED: [],
    EntryStatus.APPROVED: [],
    EntryStatus.WITHDRAWN: [],
}


def _view(status: EntryStatus, stage: int, last: Action) -> EntryView:
    facts = EntryFacts(status, stage, MEDARBEJDER.person_id, PATH)
    return EntryView(
        id=7,
        kind=EntryKind.TEGN,
        status=status,
        stage=stage,
        waiting_for=policy_for(ROUTE, facts, MEDARBEJDER).waiting_for,
        version=3,
        owner_name="Mette Hansen",
        unit_name="Dagtilbud Kirkebjerg",
        maal_title="Mål",
        maalplan_title="Målplan",
        proevehandling_title="",
        created_at=WHEN,
        data={"tegn": "Flere børn fortæller selv"},
        decisions=(
            DecisionView(Action.SUBMIT, "Mette Hansen", WHEN, ""),
            DecisionView(last, "Karin Holm", WHEN, "kommentar"),
        ),
    )


def action_titles(adaptive_card: object) -> list[str]:
    return [a["title"] for a in actions(card_json(adaptive_card))]  # type: ignore[arg-type]


@pytest.mark.parametrize("status", list(STATES))
def test_the_owners_cards_and_the_approvers_card_for_each_status(status: EntryStatus) -> None:
    stage, last = STATES[status]
    view = _view(status, stage, last)
    facts = EntryFacts(status, stage, MEDARBEJDER.person_id, PATH)
    owner = policy_for(ROUTE, facts, MEDARBEJDER)
    chef = policy_for(ROUTE, facts, CHEF)
    # The owner sees the same buttons on the approval card and on the news card.
    assert action_titles(entry_card(view=view, policy=owner)) == OWNER_BUTTONS[status]
    assert action_titles(owner_news_card(view=view, policy=owner)) == OWNER_BUTTONS[status]
    assert action_titles(entry_card(view=view, policy=chef)) == CHEF_BUTTONS[status]
    # Someone who only may look sees no buttons at all.
    assert action_titles(entry_card(view=view, policy=policy_for(ROUTE, facts, Actor(16, unit_id=3)))) == []
