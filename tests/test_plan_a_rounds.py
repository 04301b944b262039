"""Plan A at personalemøder (issue 21) over HTTP: a Plan A round whose proposals reach the leder and are worked into
the Plan A (kept in its history), never the chef; a status round with its colours, the unit's status the leder
records and its history over the year; and the refusals (a medarbejder records no status, a round's action from
another chat is refused, a chef starts no Plan A round)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app import ROUNDS
from cards import danish, texts
from cards.round import colour_text
from core.vocabulary import Colour
from domain import clock
from storage.models import (
    Entry,
    Indikator,
    Notification,
    PlanAChange,
    PlanAIndikator,
    PlanAStatus,
    Round,
    RoundProposal,
    Unit,
)
from testkit import activities
from testkit.activities import AHMED, KARIN, LARS, METTE
from testkit.connector import Sent
from tests.cardtext import actions, card_texts, inputs
from tests.conftest import BotUnderTest
from tests.test_phone import open_chats
from tests.test_typed import in_group


def text_of(card: dict[str, Any]) -> str:
    return "\n".join(card_texts(card))


async def indikator_text(bot: BotUnderTest, number: int) -> str:
    [(text,)] = await bot.query(select(Indikator.text).where(Indikator.number == number))
    return str(text)


async def the_round(bot: BotUnderTest) -> int:
    [(round_id,)] = await bot.query(select(Round.id).order_by(Round.created_at.desc()).limit(1))
    return int(round_id)


async def proposal_ids(bot: BotUnderTest, round_id: int) -> list[int]:
    rows = await bot.query(
        select(RoundProposal.id).where(RoundProposal.round_id == round_id).order_by(RoundProposal.id)
    )
    return [int(pid) for (pid,) in rows]


def card_with(sent: list[Sent], text: str) -> Sent:
    found = [s for s in sent if s.cards and text in text_of(s.cards[0])]
    assert found, f"no card with {text!r}"
    return found[-1]


async def closed(bot: BotUnderTest) -> None:
    await in_group(bot, LARS, "møde slut")
    await bot.client.app[ROUNDS].drain()


# --- The Plan A round -------------------------------------------------------------------------------------------


async def test_a_plan_a_rounds_proposals_reach_the_leder_and_are_worked_into_the_plan_a(demo_bot: BotUnderTest) -> None:
    await open_chats(demo_bot, METTE, AHMED, LARS, KARIN)
    [setup] = [s for s in await in_group(demo_bot, LARS, "møde") if s.cards]
    choices = [c for i in _choice_sets(setup.cards[0]) for c in i]
    indikator_6 = await indikator_text(demo_bot, 6)
    label = texts.ROUND_TARGET_TOPIC["plan_a"].format(number=6, title=indikator_6, unit="Dagtilbud Kirkebjerg")
    assert {"title": label, "value": "plan_a:6"} in choices, "the set-up card offers the Plan A round"
    started = await in_group(demo_bot, LARS, "møde plan a 6")
    shared = card_with(started, texts.ROUND_TITLE_TOPIC["plan_a"])
    question = texts.ROUND_TOPIC_QUESTION["plan_a"].format(number=6, text=indikator_6)
    assert question in text_of(shared.cards[0])
    round_id = await the_round(demo_bot)

    wanted = "Flere kolleger siger, at de kan få hjælp, når de er pressede"
    await in_group(demo_bot, METTE, wanted)
    await in_group(demo_bot, AHMED, "Vi holder møder om trivsel hver måned")
    await demo_bot.client.app[ROUNDS].drain()
    tip = texts.ROUND_TIP_PRIVATE.format(
        proposal="Vi holder møder om trivsel hver måned", tip=texts.ROUND_TIPS["plan_a_handlinger"]
    )
    assert [s for s in demo_bot.sent_to(AHMED) if s.text == tip], "the action list is coached, privately"
    group = activities.group_conversation("Personalemøde Kirkebjerg")["id"]
    assert not [s for s in demo_bot.connector.sent if s.conversation_id == group and s.text == tip]

    await closed(demo_bot)
    selection = card_with(demo_bot.sent_to(LARS), texts.ROUND_SELECT_HEADER_PLAN_A)
    assert texts.ROUND_BUTTON_USE_PLAN_A in [a["title"] for a in actions(selection.cards[0])]
    mette_id, _ahmed_id = await proposal_ids(demo_bot, round_id)
    [answer] = await demo_bot.click(selection, texts.ROUND_BUTTON_USE_PLAN_A, user=LARS, **{f"sel_{mette_id}": "true"})
    edit = answer.cards[0]
    assert texts.ROUND_PLAN_A_USED.format(number=6) in text_of(edit)
    assert wanted in inputs(edit)["forskel"], "the indikator's card is prefilled with the proposal"
    [(forskel,)] = await demo_bot.query(
        select(PlanAIndikator.forskel)
        .join(Indikator, Indikator.id == PlanAIndikator.indikator_id)
        .where(Indikator.number == 6)
    )
    assert wanted in forskel and "Vi holder møder" not in forskel, "only the chosen proposal"

    # Clicked again (Teams re-sends): nothing worked in twice.
    await demo_bot.click(selection, texts.ROUND_BUTTON_USE_PLAN_A, user=LARS, **{f"sel_{mette_id}": "true"})
    changes = await demo_bot.query(select(PlanAChange.field, PlanAChange.actor_id, PlanAChange.indikator_number))
    [(lars_id,)] = await demo_bot.query(select(Round.starter_id).where(Round.id == round_id))
    assert changes == [("forskel_fra_moede", lars_id, 6)], "one change, by the leder"
    history = await demo_bot.say("plan a historik", user=LARS)
    shown = text_of(history[-1].cards[0])
    assert texts.PLAN_A_HISTORY_FIELDS["forskel_fra_moede"].format(number=6) in shown
    assert LARS.name in shown, "the history says who"

    # The chef gets nothing: no entry, no notification.
    await demo_bot.settle()
    assert await demo_bot.query(select(Entry.id)) == []
    assert await demo_bot.query(select(Notification.id)) == []
    assert not [s for s in demo_bot.sent_to(KARIN) if s.cards], "no card to the chef"
    [(mine_status,)] = await demo_bot.query(select(Round.status).where(Round.id == round_id))
    assert mine_status == "forwarded"


def _choice_sets(card: dict[str, Any]) -> list[list[dict[str, str]]]:
    found: list[list[dict[str, str]]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "Input.ChoiceSet":
                found.append(node["choices"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(card)
    return found


async def test_worked_in_from_the_group_chat_the_card_goes_to_the_personal_chat(demo_bot: BotUnderTest) -> None:
    await open_chats(demo_bot, METTE, LARS, KARIN)
    await in_group(demo_bot, LARS, "møde plan a 6")
    await in_group(demo_bot, METTE, "Flere kolleger bliver på arbejdspladsen i mere end to år")
    await closed(demo_bot)
    before = len(demo_bot.connector.sent)
    [answer] = await in_group(demo_bot, LARS, "møde send 1")
    assert answer.text == danish.fill(texts.ROUND_PLAN_A_USED_ELSEWHERE, count=1, number=6)
    await demo_bot.client.app[ROUNDS].drain()
    later = demo_bot.connector.sent[before:]
    personal = activities.personal_conversation(LARS)["id"]
    assert [s for s in later if s.conversation_id == personal and s.cards], "the card is in Lars's personal chat"
    assert not [s for s in later if s.conversation_id != personal and s.cards], "nothing personal in the group chat"
    assert await demo_bot.query(select(Entry.id)) == [] and await demo_bot.query(select(Notification.id)) == []


async def test_a_chef_starts_no_plan_a_round(demo_bot: BotUnderTest) -> None:
    [answer, *_] = await in_group(demo_bot, KARIN, "møde plan a 6")
    assert answer.text == texts.ROUND_BAD_NUMBER
    assert [s for (s,) in await demo_bot.query(select(Round.status))] == ["setup"], "nothing opened"


# --- The status round -------------------------------------------------------------------------------------------


async def test_a_status_round_its_colours_the_recorded_status_and_its_history(demo_bot: BotUnderTest) -> None:
    await open_chats(demo_bot, METTE, AHMED, LARS, KARIN)
    started = await in_group(demo_bot, LARS, "møde status 6")
    indikator_6 = await indikator_text(demo_bot, 6)
    question = texts.ROUND_TOPIC_QUESTION["status"].format(number=6, text=indikator_6)
    assert question in text_of(card_with(started, texts.ROUND_TITLE_TOPIC["status"]).cards[0])
    round_id = await the_round(demo_bot)
    [no_colour] = await in_group(demo_bot, AHMED, "Det går fint")
    assert no_colour.text == texts.ROUND_STATUS_COLOUR_REQUIRED
    await in_group(demo_bot, METTE, "gul Vi taler mere sammen, men fraværet er det samme")
    await in_group(demo_bot, AHMED, "Grøn: Flere spørger hinanden om hjælp")
    rows = await demo_bot.query(select(RoundProposal.colour, RoundProposal.text).order_by(RoundProposal.id))
    assert rows == [
        ("gul", "Vi taler mere sammen, men fraværet er det samme"),
        ("groen", "Flere spørger hinanden om hjælp"),
    ]
    await closed(demo_bot)
    record = card_with(demo_bot.sent_to(LARS), texts.ROUND_STATUS_RECORD_HEADER)
    shown = text_of(record.cards[0])
    spread = " · ".join(
        f"{texts.COLOUR_MARKS[c]} {danish.fill(texts.COLOUR_COUNTS[c], count=n)}"
        for c, n in (("groen", 1), ("gul", 1), ("roed", 0))
    )
    assert spread in shown, "the leder sees the spread"
    assert f"{colour_text(Colour.GUL)}: Vi taler mere sammen" in shown

    # A medarbejder cannot record the unit's status, not even with the round's own button in its chat.
    body = await _execute(demo_bot, "round_status", round_id, METTE, colour="roed", status_text="Det går skidt")
    assert texts.ROUND_STATUS_ONLY_STARTER.format(name=LARS.name) in text_of(body["value"])
    assert await demo_bot.query(select(PlanAStatus.id)) == []

    said = "Vi taler mere sammen, men fraværet er uændret"
    [saved] = await demo_bot.click(
        record, texts.ROUND_BUTTON_RECORD_STATUS, user=LARS, colour="gul", status_text=said, recorded_on="2026-03-02"
    )
    assert saved.text == texts.ROUND_STATUS_RECORDED.format(number=6, colour="gul", date="2. marts 2026")
    [again] = await demo_bot.click(
        record, texts.ROUND_BUTTON_RECORD_STATUS, user=LARS, colour="gul", status_text=said, recorded_on="2026-03-02"
    )
    assert again.text.startswith(texts.ROUND_STATUS_ALREADY), "a repeated click records nothing new"
    assert len(await demo_bot.query(select(PlanAStatus.id))) == 1

    # A later status round in the year: the history shows the progress, newest first.
    await in_group(demo_bot, LARS, "møde status 6")
    await in_group(demo_bot, METTE, "grøn Fraværet er faldet, og vi hjælper hinanden")
    await closed(demo_bot)
    [typed] = await in_group(demo_bot, LARS, "møde grøn Fraværet er faldet fra 6 til 4 procent")
    assert typed.text.startswith(texts.ROUND_STATUS_RECORDED.split("{")[0])
    stored = await demo_bot.query(
        select(PlanAStatus.colour, PlanAStatus.recorded_on, PlanAStatus.round_id).order_by(PlanAStatus.id)
    )
    assert [(c, r is not None) for c, _d, r in stored] == [("gul", True), ("groen", True)]

    [(unit_id,)] = await demo_bot.query(select(Unit.id).where(Unit.name == "Dagtilbud Kirkebjerg"))
    for reader, typed_form in ((METTE, "plan a status 6"), (KARIN, f"plan a {unit_id}")):
        [card] = [s for s in await demo_bot.say(typed_form, user=reader) if s.cards]
        text = text_of(card.cards[0])
        if reader is KARIN:  # the chef reads the Plan A with the latest status, and opens the history
            assert texts.PLAN_A_STATUS_LABEL in text and "Fraværet er faldet fra 6 til 4 procent" in text
            [card] = [s for s in await demo_bot.click(card, texts.PLAN_A_BUTTON_STATUS.format(number=6), user=KARIN)]
            text = text_of(card.cards[0])
        assert texts.PLAN_A_STATUS_TITLE.format(number=6) in text
        newest, oldest = text.index("Fraværet er faldet fra 6 til 4 procent"), text.index(said)
        assert newest < oldest, "newest first"
        assert "2. marts 2026" in text and LARS.name in text
    # The chef's overview of her arbejdspladser shows Kirkebjerg's latest status on indikator 6.
    [overview] = [s for s in await demo_bot.say("oversigt plan a", user=KARIN) if s.cards]
    today = danish.date(clock.today())
    latest = texts.PLAN_A_OVERVIEW_STATUS.format(colour=texts.PLAN_A_STATUS_LABELS["groen"], date=today)
    assert latest in text_of(overview.cards[0])
    [refused] = await demo_bot.say("møde rød Det går skidt", user=METTE)
    assert refused.text == texts.ROUND_STATUS_NO_ROUND, "a medarbejder has no status round to record"
    assert len(await demo_bot.query(select(PlanAStatus.id))) == 2


async def _execute(bot: BotUnderTest, verb: str, round_id: int, user: Any, **data: Any) -> dict[str, Any]:
    conversation = activities.group_conversation("Personalemøde Kirkebjerg")
    activity = activities.execute(
        bot.service_url, verb, {"round_id": round_id, **data}, user=user, conversation=conversation
    )
    response = await bot.post(activity)
    assert response.status == 200
    body: dict[str, Any] = await response.json()
    return body


async def test_a_status_rounds_actions_from_another_chat_are_refused(demo_bot: BotUnderTest) -> None:
    await open_chats(demo_bot, METTE, LARS)
    await in_group(demo_bot, LARS, "møde status 6")
    round_id = await the_round(demo_bot)
    await in_group(demo_bot, METTE, "rød Vi er for få på arbejde")
    other = activities.group_conversation("En anden chat")
    for verb, data in (
        ("round_add", {"proposal": "Udefra", "colour": "groen"}),
        ("round_close", {}),
        ("round_status", {"colour": "groen", "status_text": "Udefra"}),
    ):
        activity = activities.execute(
            demo_bot.service_url, verb, {"round_id": round_id, **data}, user=LARS, conversation=other
        )
        body = await (await demo_bot.post(activity)).json()
        assert body["type"] == "application/vnd.microsoft.error", verb
        assert body["value"]["message"] == texts.ROUND_NOT_FOUND
    [(status,)] = await demo_bot.query(select(Round.status).where(Round.id == round_id))
    assert status == "open"
    assert len(await demo_bot.query(select(RoundProposal.id))) == 1
    assert await demo_bot.query(select(PlanAStatus.id)) == []


# --- A status without a round ---------------------------------------------------------------------------------------


async def test_the_leder_records_a_status_without_a_round_typed_or_on_the_status_card(demo_bot: BotUnderTest) -> None:
    await open_chats(demo_bot, METTE, LARS)
    said = "Vi talte om det på ledermødet: fraværet falder"
    [typed] = await demo_bot.say(f"plan a gul 6 {said}", user=LARS)
    today = danish.date(clock.today())
    recorded = texts.ROUND_STATUS_RECORDED.format(number=6, colour="gul", date=today)
    assert recorded in text_of(typed.cards[0]), "the status card, with what was saved"
    assert said in text_of(typed.cards[0])
    rows = await demo_bot.query(select(PlanAStatus.colour, PlanAStatus.text, PlanAStatus.round_id))
    assert rows == [("gul", said, None)]

    # The leder's card has the form; a medarbejder's has none, and her typed status is refused.
    assert texts.ROUND_BUTTON_RECORD_STATUS in [a["title"] for a in actions(typed.cards[0])]
    [mette] = await demo_bot.say("plan a status 6", user=METTE)
    assert texts.ROUND_BUTTON_RECORD_STATUS not in [a["title"] for a in actions(mette.cards[0])]
    assert said in text_of(mette.cards[0]), "she reads it"
    [refused] = await demo_bot.say("plan a rød 6 Det går skidt", user=METTE)
    assert refused.text == texts.PLAN_A_EDIT_NOT_ALLOWED
    assert len(await demo_bot.query(select(PlanAStatus.id))) == 1

    # On the card: no colour chosen → the card again, the text kept; then saved, and a repeat saves nothing.
    [again] = await demo_bot.click(typed, texts.ROUND_BUTTON_RECORD_STATUS, user=LARS, status_text="Bedre nu")
    assert texts.ERROR_CHOOSE_ONE in text_of(again.cards[0])
    assert inputs(again.cards[0])["status_text"] == "Bedre nu", "nothing typed is lost"
    fields = {"colour": "groen", "status_text": "Bedre nu", "recorded_on": "2026-12-01"}
    [saved] = await demo_bot.click(again, texts.ROUND_BUTTON_RECORD_STATUS, user=LARS, **fields)
    assert texts.ROUND_STATUS_RECORDED.format(number=6, colour="grøn", date="1. december 2026") in text_of(
        saved.cards[0]
    )
    [repeat] = await demo_bot.click(again, texts.ROUND_BUTTON_RECORD_STATUS, user=LARS, **fields)
    assert texts.ROUND_STATUS_ALREADY in text_of(repeat.cards[0])
    assert len(await demo_bot.query(select(PlanAStatus.id))) == 2
