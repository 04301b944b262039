"""Issue 23's reproductions that concern rounds, typed input and names, as regression tests (rows 9, 10 and 12, and
a round whose shared card is gone)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from cards import texts
from cards.approval import entry_card, owner_news_card
from cards.base import card_json
from cards.mine import mine_card
from cards.round import closed_card, round_card, selection_card, summary_card
from core.vocabulary import Action, EntryKind, EntryStatus, Niveau, Role, RoundStatus, Tema
from domain.policy import EntryPolicy, RoundPolicy
from domain.rounds import ProposalView, RoundView
from domain.views import DecisionView, EntryView
from storage.models import Entry, Maal, Round, RoundProposal
from testkit import activities
from testkit.activities import LARS, METTE
from tests.cardtext import card_texts
from tests.conftest import BotUnderTest
from tests.roundkit import eksempel_round
from tests.test_typed import in_group

HOSTILE = "**Chefen** [godkend her](https://evil.example)"
NOW = dt.datetime(2026, 12, 4, 9, 0, tzinfo=dt.UTC)


async def _open_round(bot: BotUnderTest) -> int:
    [(maal_id,)] = await bot.query(select(Maal.id).where(Maal.key == "sprog"))
    await in_group(bot, LARS, f"møde tegn {maal_id}")
    [(round_id,)] = await bot.query(select(Round.id))
    return int(round_id)


@pytest.mark.parametrize(
    ("verb", "data"),
    [
        ("round_view", {"round_id": 2**63}),
        ("round_view", {"round_id": 2**64}),
        ("round_remove", {"round_id": 123456, "proposal_id": 1}),
        ("round_remove", {"round_id": 1, "proposal_id": 2**63}),
        ("round_forward", {"round_id": 1, "sel_²": "true", "sel_" + "9" * 5000: "true"}),
    ],
)
async def test_round_invokes_with_impossible_ids_are_never_a_500(
    demo_bot: BotUnderTest, verb: str, data: dict[str, Any]
) -> None:
    activity = activities.execute(demo_bot.service_url, verb, data, user=LARS)
    response = await demo_bot.post(activity)
    assert response.status == 200
    body = await response.json()
    assert body["statusCode"] != 500 and body["value"] != texts.ERROR_GENERIC


@pytest.mark.parametrize("text", ["Børnene \udc00 leger", "a\u0000b"])
async def test_a_typed_proposal_with_an_unstorable_character_gets_a_danish_answer(
    demo_bot: BotUnderTest, text: str
) -> None:
    await _open_round(demo_bot)
    [answer] = await in_group(demo_bot, METTE, text)
    assert answer.text == texts.ERROR_INVALID_CHARACTER
    assert await demo_bot.query(select(RoundProposal.id)) == []


async def test_nul_in_a_tegn_is_refused_with_the_input_kept(demo_bot: BotUnderTest) -> None:
    """PostgreSQL's text takes no U+0000; both backends refuse it before the database, in Danish, input kept."""
    [picker] = await demo_bot.say("tegn")
    [form] = await demo_bot.click(picker, texts.BUTTON_CHOOSE)
    [again] = await demo_bot.click(form, texts.BUTTON_NEXT, tegn="a\u0000b", maalgruppe="Vuggestuen")
    shown = card_texts(again.cards[0])
    assert texts.ERROR_INVALID_CHARACTER in shown
    assert await demo_bot.query(select(Entry.id)) == []


async def test_a_close_whose_shared_card_is_gone_posts_the_card_afresh(demo_bot: BotUnderTest) -> None:
    await _open_round(demo_bot)
    await in_group(demo_bot, METTE, "Børnene hjælper hinanden")
    group = activities.group_conversation()["id"]
    demo_bot.connector.fail(group, 200, 404)  # the summary goes out; the shared card was deleted in Teams
    closed = await in_group(demo_bot, LARS, "møde slut")
    assert not any(s.text == texts.ERROR_GENERIC for s in closed)
    cards = [s for s in closed if s.cards and s.method == "POST"]
    assert len(cards) == 2, "the summary, and the closed card posted afresh with »Vælg forslag«"
    assert texts.ROUND_BUTTON_SELECT in card_texts(cards[-1].cards[0])


def _literal_everywhere(card: dict[str, Any]) -> list[str]:
    """Where the hostile name would render as markdown: a TextBlock's text or a Fact's value (a TextRun is literal)."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") in ("TextBlock", "Fact") and "godkend her" in str(node.get("text", node.get("value"))):
                found.append(str(node))
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(card)
    return found


def _entry(**changes: Any) -> EntryView:
    values: dict[str, Any] = {
        "id": 12,
        "kind": EntryKind.TEGN,
        "status": EntryStatus.SENT_BACK,
        "stage": 0,
        "waiting_for": None,
        "version": 2,
        "owner_name": HOSTILE,
        "unit_name": HOSTILE,
        "maal_title": HOSTILE,
        "maalplan_title": HOSTILE,
        "proevehandling_title": "",
        "created_at": NOW,
        "data": {"tegn": HOSTILE},
        "decisions": (DecisionView(Action.SEND_BACK, HOSTILE, NOW, HOSTILE),),
    }
    return EntryView(**{**values, **changes})


def _round(status: RoundStatus) -> RoundView:
    proposals = (ProposalView(1, HOSTILE, 1, HOSTILE, Tema.MOD, None, None),)
    return eksempel_round(
        status,
        proposals,
        starter_name=HOSTILE,
        unit_name=HOSTILE,
        maal_title=HOSTILE,
        niveau=Niveau.LEDER,
        opened_at=NOW,
        closed_at=NOW,
    )


OWNER = EntryPolicy(
    may_see=True, is_owner=True, decisions=(), last_stage=False, may_withdraw=True, may_edit=True, waiting_for=None
)
OTHER = EntryPolicy(
    may_see=True,
    is_owner=False,
    decisions=(Action.RECOMMEND,),
    last_stage=False,
    may_withdraw=False,
    may_edit=False,
    waiting_for=Role.LEDER,
)
STARTER = RoundPolicy(is_starter=True, may_add=True, sees_all=True, may_close=True, may_select=True)

CARDS = {
    "approval, owner": lambda: entry_card(view=_entry(), policy=OWNER),
    "approval, approver": lambda: entry_card(view=_entry(status=EntryStatus.PENDING), policy=OTHER),
    "owner news": lambda: owner_news_card(view=_entry(), policy=OWNER),
    "mine": lambda: mine_card(entries=[_entry()], offset=0, total=1),
    "round, starter": lambda: round_card(view=_round(RoundStatus.OPEN), policy=STARTER),
    "round, closed": lambda: closed_card(view=_round(RoundStatus.CLOSED), policy=None),
    "summary": lambda: summary_card(view=_round(RoundStatus.CLOSED)),
    "selection": lambda: selection_card(view=_round(RoundStatus.CLOSED)),
}


@pytest.mark.parametrize("name", sorted(CARDS))
def test_a_markdown_name_is_shown_literally_on_every_card(name: str) -> None:
    card = card_json(CARDS[name]())
    assert any(HOSTILE in text for text in card_texts(card)), "the name is on the card"
    assert _literal_everywhere(card) == [], f"{name}: a name rendered as markdown"
