"""Coaching in rounds (issue 20, part 6): the same checks as the 1:1 flows run on every proposal, typed or clicked;
the author sees the tip in their own view or their personal chat, never in front of the whole chat, and the
starter sees the flag beside the proposal in the selection."""

from __future__ import annotations

from sqlalchemy import select

from app import ROUNDS
from cards import texts
from storage.models import Maal, Round
from testkit import activities
from testkit.activities import LARS, METTE
from tests.cardtext import card_texts
from tests.conftest import BotUnderTest
from tests.test_phone import open_chats
from tests.test_typed import in_group

ACTION = "Vi vil læse mere højt for børnene"
TIP = texts.ROUND_TIP_FLAG.format(tip=texts.ROUND_TIPS["tegn_action"])


async def _tegn_round(bot: BotUnderTest) -> int:
    [(maal_id,)] = await bot.query(select(Maal.id).where(Maal.key == "sprog"))
    await in_group(bot, LARS, f"møde tegn {maal_id}")
    [(round_id,)] = await bot.query(select(Round.id))
    return int(round_id)


async def test_a_typed_proposal_gets_its_tip_in_the_personal_chat_not_in_the_group(demo_bot: BotUnderTest) -> None:
    await open_chats(demo_bot, METTE, LARS)
    await _tegn_round(demo_bot)
    in_the_group = await in_group(demo_bot, METTE, ACTION)
    assert all(texts.ROUND_TIPS["tegn_action"] not in (s.text or "") for s in in_the_group), "not before the chat"
    await demo_bot.client.app[ROUNDS].drain()
    private = [s.text for s in demo_bot.sent_to(METTE) if s.text]
    tip = texts.ROUND_TIP_PRIVATE.format(proposal=ACTION, tip=texts.ROUND_TIPS["tegn_action"])
    assert tip in private


async def test_a_clicked_proposal_shows_its_tip_in_the_authors_own_view(demo_bot: BotUnderTest) -> None:
    round_id = await _tegn_round(demo_bot)
    conversation = activities.group_conversation()
    data = {"round_id": round_id, "proposal": ACTION}
    activity = activities.execute(demo_bot.service_url, "round_add", data, user=METTE, conversation=conversation)
    body = await (await demo_bot.post(activity)).json()
    assert any(TIP in text for text in card_texts(body["value"])), "in her own view, at once"
    good = {"round_id": round_id, "proposal": "Flere børn beder selv om at få læst højt"}
    activity = activities.execute(demo_bot.service_url, "round_add", good, user=METTE, conversation=conversation)
    body = await (await demo_bot.post(activity)).json()
    assert not any(TIP in text for text in card_texts(body["value"])), "a good tegn gets no tip"


async def test_the_starter_sees_the_flag_in_the_selection(demo_bot: BotUnderTest) -> None:
    await open_chats(demo_bot, METTE, LARS)
    await _tegn_round(demo_bot)
    await in_group(demo_bot, METTE, ACTION)
    await in_group(demo_bot, METTE, "Flere børn beder selv om at få læst højt")
    await in_group(demo_bot, LARS, "møde slut")
    await demo_bot.client.app[ROUNDS].drain()
    [selection] = [s for s in demo_bot.sent_to(LARS) if s.cards and texts.ROUND_SELECT_HEADER in card_texts(s.cards[0])]
    shown = card_texts(selection.cards[0])
    assert shown.count(TIP) == 1, "the flag beside the one that reads like an action"
