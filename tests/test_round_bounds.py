"""Bounded rounds: one person's proposals are capped, and every round card stays under Teams' size limit however
much is proposed, so that a close never fails because of size (issue 23, row 3)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import insert, select

from cards import texts
from cards.base import MAX_CARD_BYTES, card_json, utf16_size
from cards.round import closed_card, round_card, selection_card, summary_card
from core.vocabulary import RoundStatus, Tema
from domain.policy import RoundPolicy
from domain.rounds import PROPOSAL_MAX, ProposalView, RoundView
from storage.models import Maal, Person, Round, RoundProposal
from testkit.activities import LARS, METTE
from tests.cardtext import card_texts
from tests.conftest import BotUnderTest
from tests.roundkit import eksempel_round
from tests.test_typed import in_group

NOW = dt.datetime(2026, 12, 4, 9, 0, tzinfo=dt.UTC)
PEOPLE, EACH = 60, 5
STARTER = RoundPolicy(is_starter=True, may_add=True, sees_all=True, may_close=True, may_select=False)
SELECTING = RoundPolicy(is_starter=True, may_add=False, sees_all=True, may_close=False, may_select=True)


def full_round(status: RoundStatus, letter: str) -> RoundView:
    proposals = tuple(
        ProposalView(i, letter * PROPOSAL_MAX, i // EACH, f"Person {i // EACH}", Tema.MOD, None, None)
        for i in range(PEOPLE * EACH)
    )
    return eksempel_round(
        status,
        proposals,
        id=1,
        people=PEOPLE,
        roster=tuple(f"29:{i}" for i in range(60)),
        member_count=PEOPLE,
        opened_at=NOW,
        closed_at=NOW,
        mine=proposals[:EACH],
    )


@pytest.mark.parametrize("letter", ["x", "æ", "ب"])
def test_every_round_card_stays_under_the_limit_at_60_people_times_5_at_the_maximum_length(letter: str) -> None:
    open_round, closed = full_round(RoundStatus.OPEN, letter), full_round(RoundStatus.CLOSED, letter)
    cards = {
        "starter's view": round_card(view=open_round, policy=STARTER),
        "summary": summary_card(view=closed),
        "closed, shared": closed_card(view=closed, policy=None),
        "selection in the group": closed_card(view=closed, policy=SELECTING),
        "selection in the personal chat": selection_card(view=closed),
    }
    for name, adaptive in cards.items():
        assert utf16_size(adaptive) <= MAX_CARD_BYTES, name
        shown = " ".join(card_texts(card_json(adaptive)))
        assert "+ " in shown or texts.ROUND_SELECT_MORE.split("{")[0] in shown, f"{name}: the rest are counted"


async def test_one_person_may_add_five_proposals(demo_bot: BotUnderTest) -> None:
    [(maal_id,)] = await demo_bot.query(select(Maal.id).where(Maal.key == "sprog"))
    await in_group(demo_bot, LARS, f"møde tegn {maal_id}")
    for n in range(5):
        await in_group(demo_bot, METTE, f"Forslag nummer {n}")
    [refused] = await in_group(demo_bot, METTE, "Et sjette forslag")
    assert refused.text == texts.ROUND_TOO_MANY
    assert len(await demo_bot.query(select(RoundProposal.id))) == 5
    await in_group(demo_bot, METTE, "fjern 1")
    await in_group(demo_bot, METTE, "Et sjette forslag")
    assert len(await demo_bot.query(select(RoundProposal.id).where(RoundProposal.removed.is_(False)))) == 5


async def test_a_close_with_300_proposals_at_the_maximum_length_posts_its_summary(demo_bot: BotUnderTest) -> None:
    [(maal_id,)] = await demo_bot.query(select(Maal.id).where(Maal.key == "sprog"))
    await in_group(demo_bot, LARS, f"møde tegn {maal_id}")
    await demo_bot.query(
        insert(Person).values(
            [{"display_name": f"Deltager {i}", "email": f"d{i}@albertslund.dk"} for i in range(PEOPLE)]
        )
    )
    people = [row[0] for row in await demo_bot.query(select(Person.id).where(Person.email.like("d%@albertslund.dk")))]
    [(round_id,)] = await demo_bot.query(select(Round.id))
    await demo_bot.query(
        insert(RoundProposal).values(
            [
                {
                    "round_id": round_id,
                    "author_id": person,
                    "text": "æ" * PROPOSAL_MAX,
                    "text_key": f"{person}-{n}",
                    "removed": False,
                }
                for person in people
                for n in range(EACH)
            ]
        )
    )
    closed = await in_group(demo_bot, LARS, "møde slut")
    summary = [s for s in closed if s.cards and texts.ROUND_SUMMARY_TITLE in card_texts(s.cards[0])]
    assert summary, "the summary is posted"
    assert all(s.method in ("POST", "PUT") for s in closed)
