"""Approvals over HTTP: leder → chef with Action.Execute, refusals, repeats and races, notifications and retries."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, insert, select

from cards import danish, texts
from cards.approval import DECIDE_VERB, REFRESH_VERB, WITHDRAW_VERB
from cards.payloads import Command
from core.vocabulary import Action, EntryKind, EntryStatus, NotificationKind, NotificationStatus, Role
from storage.models import Decision, Entry, Notification, Person, RoleAssignment
from testkit import activities
from testkit.activities import KARIN, LARS, METTE, SOFIE
from testkit.connector import Sent
from tests.cardtext import actions, card_texts, inputs, template_start
from tests.conftest import BotUnderTest, Sleeps

TEGN = "Flere forældre spørger ind til, hvad deres barn har leget"
LEDER_BUTTONS = [texts.DECISION_BUTTONS[a] for a in (Action.RECOMMEND, Action.SEND_BACK, Action.REJECT)]
CHEF_BUTTONS = [
    *(texts.DECISION_BUTTONS[a] for a in (Action.APPROVE, Action.SEND_BACK, Action.REJECT)),
    texts.BUTTON_CORRECT_APPROVE,
]
# The chef is named from the organisation file, with her role as title (the demo gives her no other title).
KARIN_CHEF = texts.PERSON_WITH_TITLE.format(name=KARIN.name, title=texts.ROLE_TITLES[Role.CHEF])
WAITING_FOR_CHEF = texts.STATUS_PENDING_FOR_PEOPLE.format(who=KARIN_CHEF)


async def propose(bot: BotUnderTest, text: str = TEGN) -> int:
    """Mette proposes a tegn through the flow; returns its entry id."""
    await bot.settle()  # so that no earlier notification to Mette lands in the middle of the flow
    picker = (await bot.say(Command.TEGN))[0]
    form = (await bot.click(picker, texts.BUTTON_CHOOSE))[0]
    check = (await bot.click(form, texts.BUTTON_NEXT, tegn=text))[0]
    await bot.click(check, texts.BUTTON_SEND)
    [(entry_id,)] = await bot.query(select(func.max(Entry.id)))
    return int(entry_id)


async def open_chats(bot: BotUnderTest, *users: activities.User) -> None:
    """Each user writes to the bot once, so that it can reach them in their personal chat later."""
    for user in users:
        await bot.say(Command.HELP, user=user)
    bot.connector.clear()


def approval_cards(sent: list[Sent], entry_id: int) -> list[Sent]:
    title = texts.ENTRY_TITLE[EntryKind.TEGN].format(id=entry_id)
    return [s for s in sent if s.cards and title in card_texts(s.cards[0])]


def news_cards(sent: list[Sent], action: Action) -> list[Sent]:
    """The owner's news cards about a decision of this kind."""
    title, _ = texts.OWNER_NEWS[action]
    return [s for s in sent if s.cards and title in card_texts(s.cards[0])]


def buttons(card: dict) -> list[str]:
    return [a["title"] for a in actions(card)]


def decide_data(card: dict, action: Action) -> dict:
    return next(a["data"] for a in actions(card) if a["title"] == texts.DECISION_BUTTONS[action])


def decision(entry_id: int, action: Action, version: int, **more: str) -> dict:
    """What a decision button sends (plus the comment typed on the card)."""
    return {"entry_id": entry_id, "decision": action, "version": version, **more}


async def test_a_tegn_goes_from_medarbejder_through_leder_to_chef(demo_bot: BotUnderTest) -> None:
    await open_chats(demo_bot, LARS, KARIN)
    entry_id = await propose(demo_bot)
    await demo_bot.settle()

    [to_lars] = approval_cards(demo_bot.sent_to(LARS), entry_id)
    card = to_lars.cards[0]
    assert buttons(card) == LEDER_BUTTONS
    assert card["refresh"]["action"]["verb"] == REFRESH_VERB
    assert TEGN in card_texts(card)

    body = await demo_bot.execute(
        DECIDE_VERB, decide_data(card, Action.RECOMMEND), user=LARS, reply_to_id=to_lars.message_id
    )
    updated = body["value"]
    assert body["type"] == "application/vnd.microsoft.card.adaptive"
    assert buttons(updated) == [], "after deciding, Lars sees the status, not the buttons"
    assert WAITING_FOR_CHEF in card_texts(updated)
    await demo_bot.settle()

    # The card Lars clicked is also updated in place, for anyone else looking at it.
    assert any(s.method == "PUT" and s.activity_id == to_lars.message_id for s in demo_bot.sent_to(LARS))
    news = news_cards(demo_bot.sent_to(METTE), Action.RECOMMEND)
    assert len(news) == 1
    _, told = texts.OWNER_NEWS[Action.RECOMMEND]
    assert told.format(actor=LARS.name, next=KARIN_CHEF) in card_texts(news[0].cards[0])

    [to_karin] = approval_cards(demo_bot.sent_to(KARIN), entry_id)
    assert buttons(to_karin.cards[0]) == CHEF_BUTTONS
    assert texts.APPROVAL_CHEF_HINT in card_texts(to_karin.cards[0])
    comment = "Fint – med i målplanen"
    body = await demo_bot.execute(
        DECIDE_VERB, {**decide_data(to_karin.cards[0], Action.APPROVE), "comment": comment}, user=KARIN
    )
    assert f"**{texts.STATUS_APPROVED_BY_KIND[EntryKind.TEGN]}**" in card_texts(body["value"])
    await demo_bot.settle()
    approved = news_cards(demo_bot.sent_to(METTE), Action.APPROVE)
    assert texts.QUOTED.format(text=comment) in card_texts(approved[0].cards[0])
    assert texts.OWNER_NEWS_APPROVED[EntryKind.TEGN].format(actor=KARIN.name) in card_texts(approved[0].cards[0])

    rows = await demo_bot.query(select(Decision.action, Person.display_name).join(Person).order_by(Decision.id))
    assert [tuple(r) for r in rows] == [
        (Action.SUBMIT, METTE.name),
        (Action.RECOMMEND, LARS.name),
        (Action.APPROVE, KARIN.name),
    ]


async def test_the_wrong_person_is_refused_in_danish_and_nothing_is_written(demo_bot: BotUnderTest) -> None:
    entry_id = await propose(demo_bot)
    body = await demo_bot.execute(DECIDE_VERB, decision(entry_id, Action.RECOMMEND, 1), user=KARIN)
    shown = card_texts(body["value"])
    assert texts.REFUSED_NOT_YOUR_TURN in shown
    assert buttons(body["value"]) == []
    # Sofie leads another school: she may not even see the entry, let alone decide on it.
    body = await demo_bot.execute(DECIDE_VERB, decision(entry_id, Action.APPROVE, 1), user=SOFIE)
    assert body["type"] == "application/vnd.microsoft.error"
    assert body["value"]["message"] == texts.REFUSED_NOT_YOURS
    assert await demo_bot.query(select(func.count()).select_from(Decision)) == [(1,)]


async def test_a_repeated_click_writes_one_decision(demo_bot: BotUnderTest) -> None:
    entry_id = await propose(demo_bot)
    data = decision(entry_id, Action.RECOMMEND, 1)
    first = await demo_bot.execute(DECIDE_VERB, data, user=LARS)
    again = await demo_bot.execute(DECIDE_VERB, data, user=LARS)
    assert card_texts(first["value"]) == card_texts(again["value"])
    already = template_start(texts.ALREADY_DECIDED)
    assert not any(t.startswith(already) for t in card_texts(again["value"]))
    recommendations = select(func.count()).select_from(Decision).where(Decision.action == Action.RECOMMEND)
    assert await demo_bot.query(recommendations) == [(1,)]


async def test_two_approvers_at_once_make_one_decision_and_the_other_is_told(demo_bot: BotUnderTest) -> None:
    entry_id = await propose(demo_bot)
    # Sofie stands in as leder for Kirkebjerg too.
    [(sofie_id,)] = await demo_bot.query(select(Person.id).where(Person.email == SOFIE.email))
    [(unit_id,)] = await demo_bot.query(select(Entry.unit_id).where(Entry.id == entry_id))
    await demo_bot.query(insert(RoleAssignment).values(person_id=sofie_id, role=Role.LEDER, unit_id=unit_id))

    lars, sofie = await asyncio.gather(
        demo_bot.execute(DECIDE_VERB, decision(entry_id, Action.RECOMMEND, 1), user=LARS),
        demo_bot.execute(DECIDE_VERB, decision(entry_id, Action.SEND_BACK, 1, comment="Uddyb målgruppen"), user=SOFIE),
    )
    decisions = await demo_bot.query(
        select(Decision.action, Decision.created_at).where(Decision.action != Action.SUBMIT)
    )
    assert len(decisions) == 1
    [(winner_action, decided_at)] = decisions
    loser, winner_name = (sofie, LARS.name) if winner_action == Action.RECOMMEND else (lars, SOFIE.name)
    notice = texts.ALREADY_DECIDED.format(name=winner_name, time=danish.time(decided_at))
    assert notice in card_texts(loser["value"])


async def test_send_back_needs_a_comment_and_the_owner_can_edit_and_resubmit(demo_bot: BotUnderTest) -> None:
    await open_chats(demo_bot, METTE, LARS)
    entry_id = await propose(demo_bot)
    body = await demo_bot.execute(DECIDE_VERB, decision(entry_id, Action.SEND_BACK, 1, comment="  "), user=LARS)
    assert texts.APPROVAL_COMMENT_REQUIRED.format(owner=METTE.name) in card_texts(body["value"])
    assert buttons(body["value"]) == LEDER_BUTTONS, "the buttons stay until a valid decision"
    comment = "Hvem er målgruppen?"
    body = await demo_bot.execute(DECIDE_VERB, decision(entry_id, Action.SEND_BACK, 1, comment=comment), user=LARS)
    assert texts.STATUS_SENT_BACK_TO.format(owner=METTE.name) in card_texts(body["value"]), "a name is shown literally"
    await demo_bot.settle()

    [news] = news_cards(demo_bot.sent_to(METTE), Action.SEND_BACK)
    assert texts.QUOTED.format(text=comment) in card_texts(news.cards[0])
    assert texts.STATUS_SENT_BACK_TO_YOU in card_texts(news.cards[0]), "to the owner: back to you"
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
    body = await demo_bot.execute(REFRESH_VERB, {"entry_id": entry_id}, user=METTE)
    assert buttons(body["value"]) == [texts.BUTTON_WITHDRAW]
    body = await demo_bot.execute(WITHDRAW_VERB, {"entry_id": entry_id, "version": 1}, user=METTE)
    assert f"**{texts.STATUS_LABELS[EntryStatus.WITHDRAWN]}**" in card_texts(body["value"])
    body = await demo_bot.execute(DECIDE_VERB, decision(entry_id, Action.RECOMMEND, 2), user=LARS)
    assert texts.REFUSED_NOT_PENDING in card_texts(body["value"])


async def test_refresh_shows_each_viewer_their_own_card(demo_bot: BotUnderTest) -> None:
    entry_id = await propose(demo_bot)
    viewers = (
        (LARS, LEDER_BUTTONS),
        (KARIN, []),
        (activities.AHMED, []),
        (METTE, [texts.BUTTON_WITHDRAW]),
    )
    for user, expected in viewers:
        body = await demo_bot.execute(REFRESH_VERB, {"entry_id": entry_id}, user=user)
        assert body["statusCode"] == 200 and body["type"] == "application/vnd.microsoft.card.adaptive"
        assert buttons(body["value"]) == expected, user.name
    # Someone outside the unit and its line of management gets nothing from a crafted refresh.
    body = await demo_bot.execute(REFRESH_VERB, {"entry_id": entry_id}, user=SOFIE)
    assert body["type"] == "application/vnd.microsoft.error" and body["value"]["message"] == texts.REFUSED_NOT_YOURS


async def test_notifications_are_retried_on_429_in_the_background(demo_bot: BotUnderTest, sleeps: Sleeps) -> None:
    await open_chats(demo_bot, METTE, LARS)
    entry_id = await propose(demo_bot)
    await demo_bot.settle()
    demo_bot.connector.clear()
    demo_bot.connector.fail(activities.personal_conversation(METTE)["id"], 429, 429)
    # The notifier's backoff waits until the test lets it go: the invoke must be answered all the same.
    sleeps.hold()
    decided = demo_bot.execute(DECIDE_VERB, decision(entry_id, Action.RECOMMEND, 1), user=LARS)
    body = await asyncio.wait_for(decided, timeout=30)
    assert body["statusCode"] == 200
    assert news_cards(demo_bot.sent_to(METTE), Action.RECOMMEND) == [], "the news is still being retried"
    sleeps.release()
    await demo_bot.settle()
    assert len(sleeps.requested) == 2, "one backoff for each 429"
    assert len(news_cards(demo_bot.sent_to(METTE), Action.RECOMMEND)) == 1, "delivered exactly once after two 429s"
    [(status, attempts)] = await demo_bot.query(
        select(Notification.status, Notification.attempts).where(
            Notification.kind == NotificationKind.DECISION, Notification.entry_id == entry_id
        ),
    )
    assert (status, attempts) == (NotificationStatus.SENT, 1)
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
    assert (status, code) == (NotificationStatus.UNDELIVERED, 403)
    told = texts.INBOX_WAITING.format(count=1)
    sent = await demo_bot.say(Command.HELP, user=LARS)
    assert sent[0].text == told
    again = await demo_bot.say(Command.HELP, user=LARS)
    assert not any(s.text == told for s in again), "told once"
    inbox = await demo_bot.say(Command.GODKEND, user=LARS)
    assert inbox[0].text == texts.INBOX_COUNT.format(count=1)
    assert buttons(inbox[1].cards[0]) == LEDER_BUTTONS


async def test_an_empty_inbox(demo_bot: BotUnderTest) -> None:
    sent = await demo_bot.say(Command.GODKEND, user=KARIN)
    assert sent[0].text == texts.INBOX_EMPTY


async def test_retry_after_is_honoured(demo_bot: BotUnderTest, sleeps: Sleeps) -> None:
    await open_chats(demo_bot, METTE)
    entry_id = await propose(demo_bot)
    await demo_bot.settle()
    demo_bot.connector.retry_after = "1"
    demo_bot.connector.fail(activities.personal_conversation(METTE)["id"], 429)
    await demo_bot.execute(DECIDE_VERB, decision(entry_id, Action.RECOMMEND, 1), user=LARS)
    await demo_bot.settle()
    assert len(news_cards(demo_bot.sent_to(METTE), Action.RECOMMEND)) == 1
    assert sleeps.requested == [1.0], "the retry waited as long as Teams asked (Retry-After: 1)"
