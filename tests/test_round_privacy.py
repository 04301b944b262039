"""A round belongs to its chat, and anonymity lasts to the end (issue 23, rows 1, 4, 5, 6): actions from another
chat are refused as if there were no such round; an anonymous round's entries name no author anywhere; the
author still finds their proposal in `mine`."""

from __future__ import annotations

from sqlalchemy import select

from cards import texts
from core.vocabulary import Action
from storage.models import Decision, Entry, Maal, Round, RoundProposal
from testkit import activities
from testkit.activities import KARIN, LARS, METTE, SOFIE
from tests.cardtext import card_texts, template_start
from tests.conftest import BotUnderTest
from tests.test_phone import open_chats
from tests.test_typed import in_group


async def _round(bot: BotUnderTest, *extra: str) -> int:
    [(maal_id,)] = await bot.query(select(Maal.id).where(Maal.key == "sprog"))
    await in_group(bot, LARS, " ".join([f"møde tegn {maal_id}", *extra]))
    [(round_id,)] = await bot.query(select(Round.id))
    return int(round_id)


async def test_a_rounds_actions_from_another_chat_are_refused(demo_bot: BotUnderTest) -> None:
    round_id = await _round(demo_bot)
    await in_group(demo_bot, METTE, "Børnene hjælper hinanden")
    other = activities.group_conversation("En anden chat")
    for verb, data, user in (
        ("round_add", {"round_id": round_id, "proposal": "Udefra"}, SOFIE),
        ("round_view", {"round_id": round_id}, SOFIE),
        ("round_close", {"round_id": round_id}, LARS),
    ):
        activity = activities.execute(demo_bot.service_url, verb, data, user=user, conversation=other)
        response = await demo_bot.post(activity)
        assert response.status == 200
        body = await response.json()
        assert body["type"] == "application/vnd.microsoft.error", verb
        assert body["value"]["message"] == texts.ROUND_NOT_FOUND
    # From a personal chat: the same.
    personal = activities.execute(demo_bot.service_url, "round_view", {"round_id": round_id}, user=KARIN)
    body = await (await demo_bot.post(personal)).json()
    assert body["value"]["message"] == texts.ROUND_NOT_FOUND
    [(status,)] = await demo_bot.query(select(Round.status).where(Round.id == round_id))
    assert status == "open", "the crafted close changed nothing"
    assert len(await demo_bot.query(select(RoundProposal.id))) == 1, "the crafted add stored nothing"


async def test_an_anonymous_rounds_entries_name_no_author(demo_bot: BotUnderTest) -> None:
    await open_chats(demo_bot, METTE, LARS, KARIN)
    await _round(demo_bot, "anonym")
    await in_group(demo_bot, METTE, "Børnene fortæller selv om dagen")
    await in_group(demo_bot, LARS, "møde slut")
    await in_group(demo_bot, LARS, "møde send 1")
    await demo_bot.settle()
    [(owner_id, entry_id)] = await demo_bot.query(select(Entry.owner_id, Entry.id))
    [(lars_id,)] = await demo_bot.query(select(RoundProposal.author_id))
    assert owner_id != lars_id, "the entry is not the author's"
    comments = [c for (c,) in await demo_bot.query(select(Decision.comment).where(Decision.entry_id == entry_id))]
    anonymous = template_start(texts.ROUND_FORWARDED_COMMENT_ANONYMOUS)
    assert any(c.startswith(anonymous) and METTE.name not in c for c in comments), "the history names nobody"
    inbox = await demo_bot.say("godkend", user=KARIN)
    shown = " ".join(t for s in inbox if s.cards for t in card_texts(s.cards[0]))
    assert METTE.name not in shown, "the chef's card does not name the author"
    mine = await demo_bot.say("mine", user=METTE)
    assert any(
        texts.ROUND_FORWARDED_ANONYMOUSLY.format(id=entry_id) in " ".join(card_texts(s.cards[0]))
        for s in mine
        if s.cards
    ), "the author still finds it"


async def test_a_leder_correcting_their_own_proposal_keeps_the_original(demo_bot: BotUnderTest) -> None:
    await open_chats(demo_bot, LARS, KARIN)
    round_id = await _round(demo_bot)
    await in_group(demo_bot, LARS, "Børnene taler mere")
    await in_group(demo_bot, LARS, "møde slut")
    [(proposal_id,)] = await demo_bot.query(select(RoundProposal.id))
    value = {
        "action": "round_forward",
        "round_id": round_id,
        f"sel_{proposal_id}": "true",
        f"text_{proposal_id}": "Børnene taler mere med hinanden ved frokosten",
    }
    await demo_bot._turn(activities.submit(demo_bot.service_url, value, user=LARS))
    [(entry_id,)] = await demo_bot.query(select(Entry.id))
    comments = [c for (c,) in await demo_bot.query(select(Decision.comment).where(Decision.entry_id == entry_id))]
    assert any("Børnene taler mere" in c for c in comments), "the original wording is in the history"
    actions = [a for (a,) in await demo_bot.query(select(Decision.action).where(Decision.entry_id == entry_id))]
    assert actions == [Action.SUBMIT]
