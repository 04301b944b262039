"""Approvals over HTTP: leder → chef with Action.Execute, refusals, repeats and races, notifications and retries."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, insert, select

from cards import texts
from domain import clock
from domain.vocabulary import Action, EntryKind, EntryStatus, Role
from storage.models import Decision, Entry, Notification, Person, RoleAssignment
from testkit import activities
from testkit.activities import KARIN, LARS, METTE, SOFIE
from testkit.connector import Sent
from tests.cardtext import actions, card_texts, inputs
from tests.conftest import BotUnderTest

TEGN = "Flere forældre spørger ind til, hvad deres barn har leget"


async def propose(bot: BotUnderTest, text: str = TEGN) -> int:
    """Mette proposes a tegn through the flow; returns its entry id."""
    await bot.settle()  # so that no earlier notification to Mette lands in the middle of the flow
    picker = (await bot.say("tegn"))[0]
    form = (await bot.click(picker, texts.BUTTON_CHOOSE))[0]
    check = (await bot.click(form, texts.BUTTON_NEXT, tegn=text))[0]
    await bot.click(check, texts.BUTTON_SEND)
    [(entry_id,)] = await bot.query(select(func.max(Entry.id)))
    return int(entry_id)


async def open_chats(bot: BotUnderTest, *users: activities.User) -> None:
    """Each user writes to the bot once, so that it can reach them in their personal chat later."""
    for user in users:
        await bot.say("hjælp", user=user)
    bot.connector.clear()


def approval_cards(sent: list[Sent], entry_id: int) -> list[Sent]:
    return [
        s for s in sent if s.cards and texts.ENTRY_TITLE[EntryKind.TEGN].format(id=entry_id) in card_texts(s.cards[0])
    ]


def buttons(card: dict) -> list[str]:
    return [a["title"] for a in actions(card)]


def decide_data(card: dict, title: str) -> dict:
    return next(a["data"] for a in actions(card) if a["title"] == title)


async def test_a_tegn_goes_from_medarbejder_through_leder_to_chef(demo_bot: BotUnderTest) -> None:
    await open_chats(demo_bot, LARS, KARIN)
    entry_id = await propose(demo_bot)
    await demo_bot.settle()

    [to_lars] = approval_cards(demo_bot.sent_to(LARS), entry_id)
    card = to_lars.cards[0]
    assert buttons(card) == [
        texts.DECISION_BUTTONS[Action.RECOMMEND],
        texts.DECISION_BUTTONS[Action.SEND_BACK],
        texts.DECISION_BUTTONS[Action.REJECT],
    ]
    assert card["refresh"]["action"]["verb"] == "refresh"
    assert TEGN in card_texts(card)

    body = await demo_bot.execute(
        "decide", decide_data(card, texts.DECISION_BUTTONS[Action.RECOMMEND]), user=LARS, reply_to_id=to_lars.message_id
    )
    updated = body["value"]
    assert body["type"] == "application/vnd.microsoft.card.adaptive"
    assert buttons(updated) == [], "after deciding, Lars sees the status, not the buttons"
    assert f"**{texts.STATUS_PENDING_OTHER.format(role=texts.ROLE_LABELS[Role.CHEF])}**" in card_texts(updated)
    await demo_bot.settle()

    # The card Lars clicked is also updated in place, for anyone else looking at it.
    assert any(s.method == "PUT" and s.activity_id == to_lars.message_id for s in demo_bot.sent_to(LARS))
    news = [
        s
        for s in demo_bot.sent_to(METTE)
        if s.cards and texts.OWNER_NEWS[Action.RECOMMEND][0] in card_texts(s.cards[0])
    ]
    assert len(news) == 1
    assert texts.OWNER_NEWS[Action.RECOMMEND][1].format(
        actor=LARS.name, next=texts.ROLE_LABELS[Role.CHEF]
    ) in card_texts(news[0].cards[0])

    [to_karin] = approval_cards(demo_bot.sent_to(KARIN), entry_id)
    assert buttons(to_karin.cards[0]) == [
        texts.DECISION_BUTTONS[Action.APPROVE],
        texts.DECISION_BUTTONS[Action.SEND_BACK],
        texts.DECISION_BUTTONS[Action.REJECT],
    ]
    assert texts.APPROVAL_CHEF_HINT in card_texts(to_karin.cards[0])
    body = await demo_bot.execute(
        "decide",
        {**decide_data(to_karin.cards[0], texts.DECISION_BUTTONS[Action.APPROVE]), "comment": "Fint – med i målplanen"},
        user=KARIN,
    )
    assert f"**{texts.STATUS_APPROVED_BY_KIND[EntryKind.TEGN]}**" in card_texts(body["value"])
    await demo_bot.settle()
    approved = [
        s for s in demo_bot.sent_to(METTE) if s.cards and texts.OWNER_NEWS[Action.APPROVE][0] in card_texts(s.cards[0])
    ]
    assert "»Fint – med i målplanen«" in card_texts(approved[0].cards[0])

    rows = await demo_bot.query(select(Decision.action, Person.display_name).join(Person).order_by(Decision.id))
    assert [tuple(r) for r in rows] == [
        ("indsend", "Mette Hansen"),
        ("anbefal", "Lars Mikkelsen"),
        ("godkend", "Karin Holm"),
    ]


async def test_the_wrong_person_is_refused_in_danish_and_nothing_is_written(demo_bot: BotUnderTest) -> None:
    entry_id = await propose(demo_bot)
    data = {"entry_id": entry_id, "decision": Action.RECOMMEND, "version": 1}
    body = await demo_bot.execute("decide", data, user=KARIN)
    shown = card_texts(body["value"])
    assert texts.REFUSED_NOT_YOUR_TURN in shown
    assert buttons(body["value"]) == []
    # Sofie leads another school: she may not even see the entry, let alone decide on it.
    body = await demo_bot.execute("decide", {**data, "decision": "godkend"}, user=SOFIE)
    assert body["type"] == "application/vnd.microsoft.error"
    assert body["value"]["message"] == texts.REFUSED_NOT_YOURS
    assert await demo_bot.query(select(func.count()).select_from(Decision)) == [(1,)]


async def test_a_repeated_click_writes_one_decision(demo_bot: BotUnderTest) -> None:
    entry_id = await propose(demo_bot)
    data = {"entry_id": entry_id, "decision": Action.RECOMMEND, "version": 1}
    first = await demo_bot.execute("decide", data, user=LARS)
    again = await demo_bot.execute("decide", data, user=LARS)
    assert card_texts(first["value"]) == card_texts(again["value"])
    assert texts.ALREADY_DECIDED.split(" af ")[0] not in " ".join(card_texts(again["value"]))
    assert await demo_bot.query(select(func.count()).select_from(Decision).where(Decision.action == "anbefal")) == [
        (1,)
    ]


async def test_two_approvers_at_once_make_one_decision_and_the_other_is_told(demo_bot: BotUnderTest) -> None:
    entry_id = await propose(demo_bot)
    # Sofie stands in as leder for Kirkebjerg too.
    [(sofie_id,)] = await demo_bot.query(select(Person.id).where(Person.email == SOFIE.email))
    [(unit_id,)] = await demo_bot.query(select(Entry.unit_id).where(Entry.id == entry_id))
    await demo_bot.query(insert(RoleAssignment).values(person_id=sofie_id, role="leder", unit_id=unit_id))

    data = {"entry_id": entry_id, "version": 1}
    lars, sofie = await asyncio.gather(
        demo_bot.execute("decide", {**data, "decision": Action.RECOMMEND}, user=LARS),
        demo_bot.execute("decide", {**data, "decision": Action.SEND_BACK, "comment": "Uddyb målgruppen"}, user=SOFIE),
    )
    decisions = await demo_bot.query(select(Decision.action).where(Decision.action != "indsend"))
    assert len(decisions) == 1
    winner_action = decisions[0][0]
    loser, loser_name = (sofie, "Lars Mikkelsen") if winner_action == "anbefal" else (lars, "Sofie Berg")
    notice = next(t for t in card_texts(loser["value"]) if t.startswith(texts.ALREADY_DECIDED.split("{name}")[0]))
    assert notice.startswith(texts.ALREADY_DECIDED.split("{time}")[0].format(name=loser_name))


async def test_send_back_needs_a_comment_and_the_owner_can_edit_and_resubmit(demo_bot: BotUnderTest) -> None:
    await open_chats(demo_bot, METTE, LARS)
    entry_id = await propose(demo_bot)
    data = {"entry_id": entry_id, "decision": Action.SEND_BACK, "version": 1}
    body = await demo_bot.execute("decide", {**data, "comment": "  "}, user=LARS)
    assert texts.APPROVAL_COMMENT_REQUIRED.format(owner=METTE.name) in card_texts(body["value"])
    assert buttons(body["value"]) == [
        texts.DECISION_BUTTONS[Action.RECOMMEND],
        texts.DECISION_BUTTONS[Action.SEND_BACK],
        texts.DECISION_BUTTONS[Action.REJECT],
    ], "the buttons stay until a valid decision"
    body = await demo_bot.execute("decide", {**data, "comment": "Hvem er målgruppen?"}, user=LARS)
    assert texts.STATUS_SENT_BACK_TO.format(owner=METTE.name) in card_texts(body["value"]), "a name is shown literally"
    await demo_bot.settle()

    [news] = [
        s
        for s in demo_bot.sent_to(METTE)
        if s.cards and texts.OWNER_NEWS[Action.SEND_BACK][0] in card_texts(s.cards[0])
    ]
    assert "»Hvem er målgruppen?«" in card_texts(news.cards[0])
    form = (await demo_bot.click(news, texts.BUTTON_EDIT_RESUBMIT))[0]
    assert inputs(form.cards[0])["tegn"] == TEGN, "the form opens with everything filled in"
    check = (await demo_bot.click(form, texts.BUTTON_NEXT, maalgruppe="Forældre til børn på 3-5 år"))[0]
    receipt = (await demo_bot.click(check, texts.BUTTON_SEND))[0]
    assert texts.RESUBMITTED_TITLE in card_texts(receipt.cards[0])
    await demo_bot.settle()

    [(status, stage, maalgruppe)] = await demo_bot.query(
        select(Entry.status, Entry.stage, Entry.data["maalgruppe"].as_string()).where(Entry.id == entry_id)
    )
    assert (status, stage, maalgruppe) == (EntryStatus.PENDING, 0, "Forældre til børn på 3-5 år")
    assert len(approval_cards(demo_bot.sent_to(LARS), entry_id)) == 2, "Lars gets the resubmitted tegn again"
    assert await demo_bot.query(select(func.count()).select_from(Entry)) == [(1,)]


async def test_the_owner_can_withdraw_while_pending(demo_bot: BotUnderTest) -> None:
    entry_id = await propose(demo_bot)
    body = await demo_bot.execute("refresh", {"entry_id": entry_id}, user=METTE)
    assert buttons(body["value"]) == [texts.BUTTON_WITHDRAW]
    body = await demo_bot.execute("withdraw", {"entry_id": entry_id, "version": 1}, user=METTE)
    assert f"**{texts.STATUS_LABELS[EntryStatus.WITHDRAWN]}**" in card_texts(body["value"])
    body = await demo_bot.execute(
        "decide", {"entry_id": entry_id, "decision": Action.RECOMMEND, "version": 2}, user=LARS
    )
    assert texts.REFUSED_NOT_PENDING in card_texts(body["value"])


async def test_refresh_shows_each_viewer_their_own_card(demo_bot: BotUnderTest) -> None:
    entry_id = await propose(demo_bot)
    viewers = (
        (
            LARS,
            [
                texts.DECISION_BUTTONS[Action.RECOMMEND],
                texts.DECISION_BUTTONS[Action.SEND_BACK],
                texts.DECISION_BUTTONS[Action.REJECT],
            ],
        ),
        (KARIN, []),
        (activities.AHMED, []),
        (METTE, [texts.BUTTON_WITHDRAW]),
    )
    for user, expected in viewers:
        body = await demo_bot.execute("refresh", {"entry_id": entry_id}, user=user)
        assert body["statusCode"] == 200 and body["type"] == "application/vnd.microsoft.card.adaptive"
        assert buttons(body["value"]) == expected, user.name
    # Someone outside the unit and its line of management gets nothing from a crafted refresh.
    body = await demo_bot.execute("refresh", {"entry_id": entry_id}, user=SOFIE)
    assert body["type"] == "application/vnd.microsoft.error" and body["value"]["message"] == texts.REFUSED_NOT_YOURS


async def test_notifications_are_retried_on_429_in_the_background(demo_bot: BotUnderTest) -> None:
    await open_chats(demo_bot, METTE, LARS)
    entry_id = await propose(demo_bot)
    await demo_bot.settle()
    demo_bot.connector.clear()
    demo_bot.connector.fail(activities.personal_conversation(METTE)["id"], 429, 429)
    # The notifier's backoff waits until the test lets it go: the invoke must be answered before that.
    release = asyncio.Event()
    waits: list[float] = []

    async def held_sleep(seconds: float) -> None:
        waits.append(seconds)
        await release.wait()

    clock.set_sleep(held_sleep)
    try:
        decision = {"entry_id": entry_id, "decision": Action.RECOMMEND, "version": 1}
        body = await asyncio.wait_for(demo_bot.execute("decide", decision, user=LARS), timeout=30)
        assert body["statusCode"] == 200, "the invoke is answered while the notification is still backing off"
        release.set()
        await demo_bot.settle()
    finally:
        clock.set_sleep(None)
    assert len(waits) == 2, "one backoff per 429"
    news = [
        s
        for s in demo_bot.sent_to(METTE)
        if s.cards and texts.OWNER_NEWS[Action.RECOMMEND][0] in card_texts(s.cards[0])
    ]
    assert len(news) == 1, "delivered exactly once after two 429s"
    [(status, attempts)] = await demo_bot.query(
        select(Notification.status, Notification.attempts).where(
            Notification.kind == "decision", Notification.entry_id == entry_id
        ),
    )
    assert (status, attempts) == ("sent", 1)
    throttled = [
        s for s in demo_bot.connector.sent if s.conversation_id == activities.personal_conversation(METTE)["id"]
    ]
    assert len(throttled) == 1


async def test_a_permanent_failure_leaves_the_entry_in_the_inbox_and_the_approver_is_told_later(
    demo_bot: BotUnderTest,
) -> None:
    await open_chats(demo_bot, LARS)
    demo_bot.connector.fail(activities.personal_conversation(LARS)["id"], 403)
    entry_id = await propose(demo_bot)
    await demo_bot.settle()
    [(status, code)] = await demo_bot.query(
        select(Notification.status, Notification.last_status_code).where(Notification.entry_id == entry_id)
    )
    assert (status, code) == ("undelivered", 403)
    sent = await demo_bot.say("hjælp", user=LARS)
    assert sent[0].text == texts.INBOX_WAITING.format(count=1)
    again = await demo_bot.say("hjælp", user=LARS)
    assert not any(s.text and s.text == texts.INBOX_WAITING.format(count=1) for s in again), "told once"
    inbox = await demo_bot.say("godkend", user=LARS)
    assert inbox[0].text == texts.INBOX_COUNT.format(count=1)
    assert buttons(inbox[1].cards[0]) == [
        texts.DECISION_BUTTONS[Action.RECOMMEND],
        texts.DECISION_BUTTONS[Action.SEND_BACK],
        texts.DECISION_BUTTONS[Action.REJECT],
    ]


async def test_an_empty_inbox(demo_bot: BotUnderTest) -> None:
    sent = await demo_bot.say("godkend", user=KARIN)
    assert sent[0].text == texts.INBOX_EMPTY


async def test_retry_after_is_honoured(demo_bot: BotUnderTest) -> None:
    await open_chats(demo_bot, METTE)
    entry_id = await propose(demo_bot)
    await demo_bot.settle()
    demo_bot.connector.retry_after = "1"
    demo_bot.connector.fail(activities.personal_conversation(METTE)["id"], 429)
    waits: list[float] = []

    async def recorded_sleep(seconds: float) -> None:
        waits.append(seconds)

    clock.set_sleep(recorded_sleep)
    try:
        await demo_bot.execute("decide", {"entry_id": entry_id, "decision": Action.RECOMMEND, "version": 1}, user=LARS)
        await demo_bot.settle()
    finally:
        clock.set_sleep(None)
    news = [
        s
        for s in demo_bot.sent_to(METTE)
        if s.cards and texts.OWNER_NEWS[Action.RECOMMEND][0] in card_texts(s.cards[0])
    ]
    assert len(news) == 1
    assert waits == [1.0], "the retry waited as long as Teams asked (Retry-After: 1)"
