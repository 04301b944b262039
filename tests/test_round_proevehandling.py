"""A round on a mål's prøvehandlinger (udviklingsdage del 2, issue 20): started by typing with the number the set-up
card shows, coached, and sent on as prøvehandling proposals to the chef."""

from __future__ import annotations

from sqlalchemy import select

from app import ROUNDS
from cards import texts
from core.vocabulary import EntryKind, EntryStatus
from storage.models import Entry, Maal
from testkit.activities import KARIN, LARS, METTE
from tests.cardtext import card_texts
from tests.conftest import BotUnderTest
from tests.test_phone import open_chats
from tests.test_typed import in_group


async def test_a_proevehandling_round_from_typed_start_to_the_chef(demo_bot: BotUnderTest) -> None:
    await open_chats(demo_bot, METTE, LARS, KARIN)
    [(maal_id,)] = await demo_bot.query(select(Maal.id).where(Maal.key == "sprog"))
    [setup] = [s for s in await in_group(demo_bot, LARS, "møde") if s.cards]
    numbered = texts.ROUND_TARGET_NUMBERED.format(
        text=texts.ROUND_TARGETS[EntryKind.PROEVEHANDLING].format(
            title="Flere børn har et alderssvarende sprog, når de begynder i skole", unit="Dagtilbud Kirkebjerg"
        ),
        number=maal_id,
    )
    assert any(numbered in text for text in card_texts(setup.cards[0])), "the set-up card shows the number to type"
    started = await in_group(demo_bot, LARS, f"møde prøvehandling {maal_id}")
    assert any(texts.ROUND_TITLE["proevehandling"] in card_texts(s.cards[0]) for s in started if s.cards)
    await in_group(demo_bot, METTE, "Vi læser højt i små grupper hver formiddag")
    await in_group(demo_bot, METTE, "Flere børn skal kunne fortælle om deres dag")  # only a goal: coached
    await in_group(demo_bot, LARS, "møde slut")
    await demo_bot.client.app[ROUNDS].drain()
    [selection] = [s for s in demo_bot.sent_to(LARS) if s.cards and texts.ROUND_SELECT_HEADER in card_texts(s.cards[0])]
    flag = texts.ROUND_TIP_FLAG.format(tip=texts.ROUND_TIPS["proevehandling_goal"])
    assert card_texts(selection.cards[0]).count(flag) == 1
    await in_group(demo_bot, LARS, "møde send 1")
    await demo_bot.settle()
    [(kind, status, maal)] = await demo_bot.query(select(Entry.kind, Entry.status, Entry.maal_id))
    assert (EntryKind(kind), EntryStatus(status), maal) == (EntryKind.PROEVEHANDLING, EntryStatus.PENDING, maal_id)
    inbox = await demo_bot.say("godkend", user=KARIN)
    assert [s for s in inbox if s.cards and texts.APPROVAL_YOUR_TURN in card_texts(s.cards[0])], "at the chef"
