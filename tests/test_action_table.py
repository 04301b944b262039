"""The action table's structure: every button of every card builder is in the table (or a flow's own), a personal
card has no Action.Execute, each Action.Execute has a typed equivalent, each tag is written once, and the handler
only sets up the turn and looks up the table."""

from __future__ import annotations

import ast
import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import bot.handler  # noqa: F401  (the feature modules register their actions on import)
from cards import payloads
from cards.approval import entry_card, owner_news_card
from cards.base import card_json
from cards.begreber import begreber_card
from cards.eksempel_digest import eksempel_digest_card
from cards.entry import receipt_card
from cards.export import export_picker_card
from cards.mine import mine_card
from cards.payloads import Command
from cards.plan_a import edit_card, form_card, history_card, pick_card, plan_card, prep_card
from cards.round import (
    closed_card,
    round_card,
    selection_card,
    setup_card,
    summary_card,
    which_round_card,
)
from core.vocabulary import Action, EntryKind, EntryStatus, Role, RoundStatus, Tema
from domain.actor import Actor
from domain.eksempel_digest import EksempelDigest
from domain.plan_a import Change, Deadline, Document, Field, IndikatorView, PlanAView, Rights, Tip
from domain.policy import EntryPolicy, RoundPolicy
from domain.rounds import ProposalView, RoundTarget, RoundView, TargetOption
from domain.views import DecisionView, EntryView
from testkit.clients import FLOW_TAGS
from tests.cardtext import actions
from tests.roundkit import eksempel_round
from turn.help import help_for
from turn.table import ACTIONS

ROOT = Path(__file__).resolve().parents[1]
NOW = dt.datetime(2026, 11, 22, 9, 30, tzinfo=dt.UTC)
LEDER = Actor(1, "Lars", 1, frozenset({(Role.LEDER, 1)}))

ENTRY = EntryView(
    id=12,
    kind=EntryKind.TEGN,
    status=EntryStatus.PENDING,
    stage=0,
    waiting_for=Role.LEDER,
    version=2,
    owner_name="Mette Hansen",
    unit_name="Dagtilbud Kirkebjerg",
    maal_title="Sprog",
    maalplan_title="Målplan 2026",
    proevehandling_title="",
    created_at=NOW,
    data={"tegn": "Børnene fortæller"},
    decisions=(DecisionView(Action.RECOMMEND, "Lars Mikkelsen", NOW, "God"),),
)
APPROVER = EntryPolicy(
    may_see=True,
    is_owner=False,
    decisions=(Action.RECOMMEND, Action.SEND_BACK, Action.REJECT),
    last_stage=False,
    may_withdraw=False,
    may_edit=False,
    waiting_for=Role.LEDER,
)
OWNER = EntryPolicy(
    may_see=True, is_owner=True, decisions=(), last_stage=False, may_withdraw=True, may_edit=True, waiting_for=None
)
PROPOSALS = tuple(ProposalView(i, f"Forslag {i}", 1, "Mette", None, None, None) for i in (1, 2))


def round_view(status: RoundStatus) -> RoundView:
    return eksempel_round(
        status,
        PROPOSALS,
        starter_name="Lars",
        unit_name="Kirkebjerg",
        roster=("29:a",),
        member_count=80,
        opened_at=NOW,
        closed_at=NOW,
    )


STARTER_OPEN = RoundPolicy(is_starter=True, may_add=True, sees_all=True, may_close=True, may_select=False)
STARTER_CLOSED = RoundPolicy(is_starter=True, may_add=False, sees_all=True, may_close=False, may_select=True)
OPTION = TargetOption(RoundTarget(EntryKind.TEGN, maal_id=3), "Sprog", "Kirkebjerg")

INDIKATOR = IndikatorView(
    number=6,
    perspektiv="Adfærd",
    text="Vi har høj trivsel og lavt personalefravær",
    mandatory=True,
    chosen=False,
    forskel="Vi holder møder om trivsel",
    kendetegn="Trivselsmålingen",
    maal_tegn="",
    documents=(Document("APV", "https://intra/apv"),),
    tip=Tip.ACTION_LIST,
)
CHOSEN = IndikatorView(3, "Opgaver", "Gode rammer", False, True, "", "", "", (), None)
PLAN_A = PlanAView(
    unit_id=3,
    unit_name="Dagtilbud Kirkebjerg",
    year=2026,
    form="En plakat",
    form_decided_on=None,
    in_use_since=None,
    indikatorer=(INDIKATOR, CHOSEN),
    perspektiver=(("Opgaver", ""), ("Adfærd", ""), ("Struktur", "")),
    form_deadline=Deadline("Form", dt.date(2026, 11, 1)),
    in_use_deadline=Deadline("I brug", dt.date(2026, 12, 1)),
    updated_at=NOW,
)
CHANGES = [Change("Lars", NOW, 6, Field.FORSKEL, "", "Ny")] * 10

# Cards shown in a personal chat (one viewer): Action.Submit only.
PERSONAL: dict[str, Callable[[], Any]] = {
    "help": lambda: help_for(LEDER, in_group=False),
    "begreber": begreber_card,
    "approval (approver)": lambda: entry_card(view=ENTRY, policy=APPROVER),
    "approval (owner)": lambda: entry_card(view=ENTRY, policy=OWNER),
    "owner news": lambda: owner_news_card(view=ENTRY, policy=OWNER),
    "mine": lambda: mine_card(entries=[ENTRY] * 11, offset=0, total=30, not_forwarded=[]),
    "receipt": lambda: receipt_card(view=ENTRY, title="Tak"),
    "export picker": lambda: export_picker_card(maalplaner=[(1, "A"), (2, "B")]),
    "eksempel digest": lambda: eksempel_digest_card(
        digest=EksempelDigest(3, NOW, ((Tema.MOD, 2), (Tema.HELHED, 1)), 5), tab_link="https://teams.microsoft.com/l/x"
    ),
    "round selection": lambda: selection_card(view=round_view(RoundStatus.CLOSED)),
    "which round": lambda: which_round_card(choices=[(7, round_view(RoundStatus.OPEN))], proposal="x", tema=None),
    "plan a (leder)": lambda: plan_card(view=PLAN_A, rights=Rights(True, True), choices=[(4, "Borgerne")]),
    "plan a (reader)": lambda: plan_card(view=PLAN_A, rights=Rights(True, False)),
    "plan a indikator": lambda: edit_card(view=PLAN_A, item=INDIKATOR),
    "plan a form": lambda: form_card(view=PLAN_A),
    "plan a history": lambda: history_card(unit_id=3, unit_name="K", changes=CHANGES, total=30, offset=0),
    "plan a pick": lambda: pick_card(units=[(3, "Dagtilbud Kirkebjerg")]),
    "mus (recipient)": lambda: prep_card(
        prep_id=1, kind="mus", sender_name="Lars", recipient_name="Mette", view=PLAN_A, notes="", for_recipient=True
    ),
    "mus (sender)": lambda: prep_card(
        prep_id=1, kind="mus", sender_name="Lars", recipient_name="Mette", view=PLAN_A, notes="x", for_recipient=False
    ),
}
# Cards in a group chat, meeting chat or channel: per-user views by Action.Execute (each with a typed equivalent).
GROUP: dict[str, Callable[[], Any]] = {
    "help (group)": lambda: help_for(LEDER, in_group=True),
    "round set-up": lambda: setup_card(round_id=7, options=[OPTION]),
    "round shared": lambda: round_card(view=round_view(RoundStatus.OPEN), policy=None),
    "round starter": lambda: round_card(view=round_view(RoundStatus.OPEN), policy=STARTER_OPEN),
    "round closed shared": lambda: closed_card(view=round_view(RoundStatus.CLOSED), policy=None),
    "round closed starter": lambda: closed_card(view=round_view(RoundStatus.CLOSED), policy=STARTER_CLOSED),
    "round summary": lambda: summary_card(view=round_view(RoundStatus.CLOSED)),
}


def _buttons(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [a for a in actions(card) if a.get("type") in ("Action.Submit", "Action.Execute")]


@pytest.mark.parametrize("name", sorted(PERSONAL))
def test_a_personal_card_has_only_action_submit_and_every_one_is_served(name: str) -> None:
    card = card_json(PERSONAL[name]())
    for button in _buttons(card):
        assert button["type"] == "Action.Submit", f"{name}: {button.get('title')} is an Action.Execute"
        tag = button["data"][payloads.ACTION_KEY]
        assert ACTIONS.spec(tag) is not None or tag in FLOW_TAGS, f"{name}: {tag!r} is in no table"
    refresh = card.get("refresh", {}).get("action")
    if refresh:  # an automatic refresh needs no tap; it keeps a status right when the card is opened later
        assert ACTIONS.spec(refresh["verb"]) is not None


@pytest.mark.parametrize("name", sorted(GROUP))
def test_a_group_card_uses_execute_only_for_actions_the_table_serves_so(name: str) -> None:
    card = card_json(GROUP[name]())
    for button in _buttons(card):
        tag = button["data"][payloads.ACTION_KEY] if button["type"] == "Action.Submit" else button["verb"]
        spec = ACTIONS.spec(tag)
        assert spec is not None, f"{name}: {tag!r} is in no table"
        if button["type"] == "Action.Execute":
            assert spec.execute, f"{name}: {tag!r} arrives as an Action.Execute but is not registered so"


def test_every_execute_action_has_a_typed_equivalent() -> None:
    views = {payloads.Refresh.tag(), payloads.RoundShow.tag()}  # per-user views themselves, not actions
    for spec in ACTIONS.specs:
        if spec.execute and spec.payload.tag() not in views:
            assert spec.typed, f"{spec.payload.tag()} can be tapped on desktop only"


def test_every_tag_is_written_once() -> None:
    """Tags live in the payload models' literals; card builders and handlers name the model, never the string."""
    for path in [*ROOT.glob("bot/*.py"), *ROOT.glob("cards/*.py"), *ROOT.glob("dialogs/*.py"), *ROOT.glob("turn/*.py")]:
        if path.name in ("payloads.py", "texts.py"):
            continue
        source = path.read_text(encoding="utf-8")
        for tag in payloads._TAGS - {command.value for command in Command}:  # a command word is a word, not a tag
            assert not re.search(rf"[\"']{re.escape(tag)}[\"']", source), f"{path.name} writes the tag {tag!r}"


def test_no_routing_on_payload_types_outside_the_table() -> None:
    """isinstance on a payload model is routing: only turn.table does it (and the input check for InvalidInput)."""
    models = {name for name in dir(payloads) if isinstance(getattr(payloads, name), type)}
    allowed = {"InvalidInput"}
    for path in [*ROOT.glob("bot/*.py"), *ROOT.glob("turn/*.py")]:
        if path.name == "table.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "isinstance" and len(node.args) == 2:
                names = {n.attr for n in ast.walk(node.args[1]) if isinstance(n, ast.Attribute)}
                assert not (names & models) - allowed, f"{path.name}:{node.lineno} routes on {names & models}"


def test_the_handler_only_sets_up_the_turn_and_looks_up_the_table() -> None:
    lines = (ROOT / "bot" / "handler.py").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 200, len(lines)
