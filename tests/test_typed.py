"""Typed forms over HTTP: each action written instead of clicked, wrong forms answered with the right form, the
private path to a round, help that fits the person, and personal things kept out of group chats."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from cards import texts
from cards.payloads import Command
from core.vocabulary import Action, EntryStatus, Tema
from storage.models import Decision, Entry, Maal, RoundProposal
from testkit import activities
from testkit.activities import AHMED, KARIN, LARS, METTE, STINNE, User
from testkit.clients import Client
from testkit.connector import Sent
from tests.cardtext import actions, card_texts
from tests.conftest import BotUnderTest
from tests.test_phone import EKSEMPEL, Person, open_chats, propose_tegn, status_of

WRONG = texts.TYPED_WRONG_FORM


async def in_group(bot: BotUnderTest, user: User, text: str, group: str = "Personalemøde Kirkebjerg") -> list[Sent]:
    conversation = activities.group_conversation(group)
    return await bot._turn(activities.group_message(bot.service_url, text, user=user, conversation=conversation))


@pytest.mark.parametrize(
    ("typed", "usage"),
    [
        ("anbefal", texts.TYPED_ANBEFAL),
        ("anbefal tolv", texts.TYPED_ANBEFAL),
        ("afvis 12", texts.TYPED_AFVIS),
        ("send tilbage 12", texts.TYPED_SEND_TILBAGE),
        ("godkend alle", texts.TYPED_GODKEND),
        ("træk tilbage", texts.TYPED_TRAEK_TILBAGE),
        ("ret nr", texts.TYPED_RET),
        ("mine næste", texts.TYPED_MINE),
    ],
)
async def test_a_wrong_form_gets_the_right_form_with_an_example(demo_bot: BotUnderTest, typed: str, usage: str) -> None:
    [answer] = await demo_bot.say(typed, user=LARS)
    assert answer.text == WRONG.format(usage=usage)
    assert await demo_bot.query(select(Decision.id)) == [], "nothing decided"


async def test_godkend_alone_is_still_the_inbox_with_the_typed_forms(demo_bot: BotUnderTest) -> None:
    await open_chats(demo_bot, METTE, LARS)
    entry_id = await propose_tegn(Person(demo_bot, Client.TEXT_ONLY, METTE))
    inbox = await demo_bot.say(Command.GODKEND, user=LARS)
    assert inbox[0].text == texts.INBOX_COUNT.format(count=1)
    assert texts.FIELD_NUMBER in card_texts(inbox[1].cards[0]) and str(entry_id) in card_texts(inbox[1].cards[0])
    assert inbox[-1].text == texts.INBOX_TYPED_FORMS


async def test_danish_letters_may_be_written_without_and_case_is_forgiven(demo_bot: BotUnderTest) -> None:
    await open_chats(demo_bot, METTE, LARS)
    entry_id = await propose_tegn(Person(demo_bot, Client.TEXT_ONLY, METTE))
    await demo_bot.say(f"TRAEK TILBAGE nr. {entry_id}", user=METTE)
    assert await status_of(demo_bot, entry_id) is EntryStatus.WITHDRAWN


async def test_a_typed_decision_someone_may_not_make_is_refused(demo_bot: BotUnderTest) -> None:
    await open_chats(demo_bot, METTE, LARS)
    entry_id = await propose_tegn(Person(demo_bot, Client.TEXT_ONLY, METTE))
    await demo_bot.say(f"godkend {entry_id}", user=AHMED)  # a colleague: may not even see it
    await demo_bot.say(f"godkend {entry_id}", user=KARIN)  # the chef: not her turn yet
    assert await status_of(demo_bot, entry_id) is EntryStatus.PENDING


async def test_help_fits_the_person(demo_bot: BotUnderTest) -> None:
    [mette] = await demo_bot.say(Command.HELP, user=METTE)
    [lars] = await demo_bot.say(Command.HELP, user=LARS)
    [stinne] = await demo_bot.say(Command.HELP, user=STINNE)
    shown = {name: card_texts(sent.cards[0]) for name, sent in (("mette", mette), ("lars", lars), ("stinne", stinne))}
    assert Command.GODKEND.value not in shown["mette"] and f"- {texts.TYPED_ANBEFAL}" not in shown["mette"]
    assert f"- {texts.TYPED_TRAEK_TILBAGE}" in shown["mette"]
    assert Command.GODKEND.value in shown["lars"] and f"- {texts.TYPED_ANBEFAL}" in shown["lars"]
    assert f"- {texts.TYPED_UDFALD}" in shown["stinne"] and f"- {texts.TYPED_UDFALD}" not in shown["lars"]
    [group] = await in_group(demo_bot, LARS, Command.HELP)
    in_the_group = card_texts(group.cards[0])
    assert f"- {texts.TYPED_MOEDE_SLUT}" in in_the_group and f"- {texts.TYPED_ANBEFAL}" not in in_the_group


@pytest.mark.parametrize("command", ["mine", "godkend", "eksempler", "eksport", "oversigt", "tegn"])
async def test_personal_commands_in_a_group_chat_are_answered_in_the_personal_chat(
    demo_bot: BotUnderTest, command: str
) -> None:
    await open_chats(demo_bot, STINNE)
    answer = await in_group(demo_bot, STINNE, command)
    assert [s.text for s in answer] == [texts.PERSONAL_SENT_THERE], "one line in the group, nothing personal"
    assert demo_bot.sent_to(STINNE), "the answer itself went to her personal chat"


async def test_indsamler_types_outcomes_and_film(demo_bot: BotUnderTest) -> None:
    await open_chats(demo_bot, METTE, LARS, STINNE)
    ids = []
    for text in (EKSEMPEL, EKSEMPEL + " igen"):
        mette = Person(demo_bot, Client.TEXT_ONLY, METTE)
        [picker] = await mette.say("eksempel")
        tema = texts.EKSEMPEL_TEMA_BUTTON.format(tema=texts.TEMA_LABELS[Tema.MOD])
        [niveau] = await mette.tap(picker, tema)
        [form] = await mette.tap(niveau, texts.BUTTON_NEXT)
        [check] = await mette.tap(form, texts.BUTTON_NEXT, eksempel=text)
        await demo_bot.click(check, _send_title(check), user=METTE)
        [(entry_id,)] = await demo_bot.query(select(func.max(Entry.id)))
        await demo_bot.settle()
        await demo_bot.say(f"send videre {entry_id}", user=LARS)
        await demo_bot.settle()
        await demo_bot.say(f"modtag {entry_id}", user=STINNE)
        ids.append(int(entry_id))
    await demo_bot.say(f"udfald {ids[0]},{ids[1]} udvalgt arbejdsgruppen 3.11.2026", user=STINNE)
    statuses = {i: await status_of(demo_bot, i) for i in ids}
    assert set(statuses.values()) == {EntryStatus.SELECTED}
    await demo_bot.say(f"film {ids[0]}", user=STINNE)
    [(data,)] = await demo_bot.query(select(Entry.data).where(Entry.id == ids[0]))
    assert data["film_kandidat"] is True
    [answer] = await demo_bot.say(f"udfald {ids[0]} måske arbejdsgruppen", user=STINNE)
    assert answer.text == WRONG.format(usage=texts.TYPED_UDFALD)


def _send_title(check: Sent) -> str:
    return str(actions(check.cards[0])[0]["title"])


async def test_lists_are_paged_and_filtered_by_typing(demo_bot: BotUnderTest) -> None:
    [grundlag] = await demo_bot.say("grundlag mod leder", user=METTE)
    assert grundlag.cards
    [page] = await demo_bot.say("eksempler relationer side 1", user=STINNE)
    assert texts.SELECTION_TITLE in card_texts(page.cards[0])
    [mine] = await demo_bot.say("mine 2", user=METTE)
    assert mine.cards


async def test_the_private_path_adds_to_the_open_round_of_the_persons_chat(demo_bot: BotUnderTest) -> None:
    await open_chats(demo_bot, METTE, AHMED, LARS)
    [(maal_id,)] = await demo_bot.query(select(Maal.id).where(Maal.key == "sprog"))
    [answer] = await demo_bot.say("forslag Børnene rydder selv op", user=METTE)
    assert answer.text == texts.ROUND_PRIVATE_NONE
    await in_group(demo_bot, LARS, f"møde tegn {maal_id} anonym")
    [answer] = await demo_bot.say("forslag Børnene rydder selv op", user=METTE)
    assert answer.text == texts.ROUND_PRIVATE_ADDED
    [(text,)] = await demo_bot.query(select(RoundProposal.text))
    assert text == "Børnene rydder selv op"
    # A second chat with an open round: the bot asks which, with the proposal kept on the buttons.
    await in_group(demo_bot, LARS, f"møde tegn {maal_id}", group="Ledermøde")
    [which] = await demo_bot.say("forslag Vi siger godmorgen til alle", user=METTE)
    assert texts.ROUND_PRIVATE_WHICH in card_texts(which.cards[0])
    await demo_bot.click(which, card_texts(which.cards[0])[-1], user=METTE)
    assert len(await demo_bot.query(select(RoundProposal.id))) == 2


async def test_an_anonymous_round_thanks_by_count_only(demo_bot: BotUnderTest) -> None:
    await open_chats(demo_bot, LARS)
    [(maal_id,)] = await demo_bot.query(select(Maal.id).where(Maal.key == "sprog"))
    await in_group(demo_bot, LARS, f"møde tegn {maal_id} anonym")
    [thanks] = await in_group(demo_bot, METTE, "Børnene hjælper hinanden")
    assert thanks.text == texts.ROUND_TYPED_ADDED_ANONYMOUS.format(count=1)
    assert METTE.name.split()[0] not in thanks.text


async def test_a_round_is_run_entirely_by_typing_and_sent_on_by_number(demo_bot: BotUnderTest) -> None:
    await open_chats(demo_bot, METTE, LARS, KARIN)
    [(maal_id,)] = await demo_bot.query(select(Maal.id).where(Maal.key == "sprog"))
    [refused] = await in_group(demo_bot, METTE, f"møde tegn {maal_id}")
    assert refused.text == texts.ROUND_NOT_A_LEADER
    await in_group(demo_bot, LARS, f"møde tegn {maal_id}")
    await in_group(demo_bot, METTE, "Godkend: børnene siger godmorgen")  # a command word, yet a proposal
    await in_group(demo_bot, METTE, "Børnene hjælper hinanden")
    [removed] = await in_group(demo_bot, METTE, "fjern 2")
    assert removed.text == texts.ROUND_REMOVED
    await in_group(demo_bot, LARS, "møde slut")
    [sent] = await in_group(demo_bot, LARS, "møde send 1")
    assert sent.text == texts.ROUND_SENT_TYPED.format(count=1)
    await demo_bot.settle()
    [(forwarded,)] = await demo_bot.query(select(func.count(Entry.id)))
    assert forwarded == 1
    decisions = [a for (a,) in await demo_bot.query(select(Decision.action))]
    assert Action.RECOMMEND in decisions, "the meeting was the leder's review"
