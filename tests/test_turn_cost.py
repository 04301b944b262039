"""What the cheaper turns (issue 14) read and deliver: the same as before, in fewer statements."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.approvals import render_notification
from bot.notifier import Notifier
from bot.proactive import ProactiveSender, RetryPolicy
from cards import texts
from cards.base import card_json
from cards.payloads import Command
from core.vocabulary import Action, EntryKind, NotificationKind, NotificationStatus, Role
from domain import clock
from domain.actor import Actor
from domain.approvals import notify_after
from domain.entries import TegnData
from domain.workflow import decide_on, submit
from storage import repo
from storage.bot_state import holds_no_dialog
from storage.db import create_engine, create_sessionmaker
from storage.models import BotStateItem, ConversationRef, Notification
from storage.orgfile import import_file
from testkit import activities
from testkit.activities import KARIN, LARS, METTE
from tests.cardtext import card_texts
from tests.conftest import DEMO_ORGANISATION, BotUnderTest
from tests.test_approvals import TEGN, approval_cards, open_chats, propose
from turn.help import help_for


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    await import_file(database_url, DEMO_ORGANISATION)
    engine = create_engine(database_url)
    yield create_sessionmaker(engine)
    await engine.dispose()


async def _actor(session: AsyncSession, user: activities.User) -> Actor:
    person = await repo.person_by_aad(session, user.aad_object_id)
    assert person is not None
    return Actor.of(person)


async def test_a_notification_rendered_in_the_turn_is_the_card_its_delivery_would_render(
    demo_bot: BotUnderTest,
) -> None:
    await open_chats(demo_bot, LARS, KARIN)
    entry_id = await propose(demo_bot)
    await demo_bot.settle()
    [to_lars] = approval_cards(demo_bot.sent_to(LARS), entry_id)

    engine = create_engine(demo_bot.settings.DATABASE_URL)
    try:
        async with create_sessionmaker(engine)() as session:
            [notification] = (
                await session.scalars(select(Notification).where(Notification.entry_id == entry_id))
            ).all()
            found = await repo.recipients(session, [notification.person_id])
            rendered = await render_notification(session, notification, found.get(notification.person_id))
    finally:
        await engine.dispose()
    assert rendered is not None and card_json(rendered) == to_lars.cards[0], "what a sweep would have sent"
    assert notification.kind is NotificationKind.APPROVAL and notification.status is NotificationStatus.SENT
    assert notification.attempts == 1 and notification.last_status_code == 200
    assert notification.activity_id == to_lars.message_id and notification.sent_at is not None
    assert notification.claimed_until is None


async def test_recipients_are_read_with_their_roles_and_newest_personal_chat(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as session:
        lars, mette = await _actor(session, LARS), await _actor(session, METTE)
        old, new = dt.datetime(2026, 1, 1, tzinfo=dt.UTC), dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
        for conversation_id, kind, updated_at in (("a:old", "personal", old), ("a:new", "personal", new)):
            session.add(
                ConversationRef(
                    conversation_id=conversation_id,
                    conversation_type=kind,
                    person_id=lars.person_id,
                    reference={"conversation": {"id": conversation_id}},
                    updated_at=updated_at,
                )
            )
        session.add(
            ConversationRef(
                conversation_id="19:group",
                conversation_type="groupChat",
                person_id=mette.person_id,
                reference={"conversation": {"id": "19:group"}},
                updated_at=new,
            )
        )
    async with sessions() as session:
        found = await repo.recipients(session, [lars.person_id, mette.person_id, lars.person_id, 999_999])
        assert await repo.recipients(session, []) == {}
    assert set(found) == {lars.person_id, mette.person_id}, "an unknown person is absent"
    assert found[lars.person_id].roles == lars.roles and Role.LEDER in {r for r, _ in lars.roles}
    assert found[lars.person_id].display_name == LARS.name and found[lars.person_id].unit_id == lars.unit_id
    assert found[lars.person_id].reference == {"conversation": {"id": "a:new"}}, "the newest personal chat"
    assert found[mette.person_id].roles == mette.roles
    assert found[mette.person_id].reference is None, "a group chat is no personal chat"


async def test_an_owners_page_comes_with_the_count_and_an_entry_with_its_whole_history(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as session:
        mette, lars = await _actor(session, METTE), await _actor(session, LARS)
        maal = (await repo.maal_for_units(session, [mette.unit_id or 0], dt.date.today().year))[0]
        ids = []
        for n in range(3):
            entry, _ = await submit(
                session,
                actor=mette,
                kind=EntryKind.TEGN,
                unit_id=maal.maalplan.unit_id,
                maal_id=maal.id,
                data=TegnData(tegn=TEGN, maalgruppe="Børn på 3-5 år"),
                idempotency_key=f"page-{n}",
            )
            ids.append(entry.id)
    async with sessions.begin() as session:
        await decide_on(session, actor=lars, entry_id=ids[0], action=Action.SEND_BACK, seen_version=1, comment="c")
    async with sessions() as session:
        total, first = await repo.entries_of_owner(session, mette.person_id, offset=0, limit=2)
        assert (total, [e.id for e in first]) == (3, [ids[2], ids[1]]), "newest first"
        total, rest = await repo.entries_of_owner(session, mette.person_id, offset=2, limit=2)
        assert (total, [e.id for e in rest]) == (3, [ids[0]])
        assert await repo.entries_of_owner(session, mette.person_id, offset=5, limit=2) == (3, []), "past the end"
        assert await repo.entries_of_owner(session, lars.person_id, offset=0, limit=2) == (0, [])
        decided = await repo.get_entry(session, ids[0])
        by_key = await repo.entry_by_key(session, "page-0")
    assert decided is not None and decided is by_key
    assert [(d.action, d.actor.display_name) for d in decided.decisions] == [
        (Action.SUBMIT, METTE.name),
        (Action.SEND_BACK, LARS.name),
    ]
    assert decided.owner.display_name == METTE.name and decided.maal is not None and decided.maal.maalplan is not None


async def test_help_outside_a_flow_neither_reads_nor_stores_the_dialog_state(demo_bot: BotUnderTest) -> None:
    states = select(BotStateItem.document, BotStateItem.etag)
    await demo_bot.say(Command.HELP)  # first contact: Mette is resolved and remembered, her (empty) state stored
    await demo_bot.query(delete(BotStateItem))  # as for anyone whose state was never stored
    [help_card] = (await demo_bot.say(Command.HELP)).pop().cards
    stinne = texts.PERSON_AT_EMAIL.format(person="Stinne Grønne (HR)", email="stinne.gronne@albertslund.dk")
    assert card_json(help_for(Actor(1), in_group=False, named=[stinne])) == help_card
    [unknown] = await demo_bot.say("hvad kan du")
    assert texts.HELP_UNKNOWN_PREFIX in card_texts(unknown.cards[0])
    assert await demo_bot.query(states) == [], "nothing read, so nothing stored"

    await demo_bot.say(Command.TEGN)
    [(document, etag)] = await demo_bot.query(states)
    assert not holds_no_dialog((document, etag)), "in a flow"
    helped = await demo_bot.say(Command.HELP)
    assert [s.text for s in helped][1:] == [texts.HELP_DURING_FLOW], "hjælp in a flow still knows the flow"
    await demo_bot.say(Command.ANNULLER)
    [(document, etag)] = await demo_bot.query(states)
    assert holds_no_dialog((document, etag)), "the flow ended: an empty dialog stack"
    assert holds_no_dialog(None) and holds_no_dialog(({"other": 1}, "e"))
    assert not holds_no_dialog(({"dialogs": {"_dialog_stack": [{"id": "tegn"}]}}, "e"))
    assert not holds_no_dialog(({"dialogs": "odd"}, "e")) and not holds_no_dialog(("odd", "e"))


async def test_notifications_prepared_in_the_turn_are_claimed_by_it_until_delivered(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    notifier = Notifier(
        ProactiveSender(None, app_id="", policy=RetryPolicy()),  # type: ignore[arg-type]  # nothing is sent here
        sessionmaker=sessions,
        render=render_notification,
        claim_seconds=300,
    )
    now = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
    with clock.frozen(now):
        async with sessions.begin() as session:
            mette, lars = await _actor(session, METTE), await _actor(session, LARS)
            maal = (await repo.maal_for_units(session, [mette.unit_id or 0], now.year))[0]
            entry, _ = await submit(
                session,
                actor=mette,
                kind=EntryKind.TEGN,
                unit_id=maal.maalplan.unit_id,
                maal_id=maal.id,
                data=TegnData(tegn=TEGN, maalgruppe="Børn på 3-5 år"),
                idempotency_key="claimed",
            )
            ids = await notify_after(session, entry, actor_id=mette.person_id)
            prepared = await notifier.prepare(session, ids, entry)
        async with sessions.begin() as session:
            [notification] = (await session.scalars(select(Notification).where(Notification.id.in_(ids)))).all()
            taken = await repo.claim_notification(session, ids[0], now=now, until=now + dt.timedelta(seconds=1))
    assert notification.person_id == lars.person_id and notification.status is NotificationStatus.PENDING
    assert repo.as_utc(notification.claimed_until or now) == now + dt.timedelta(seconds=300)
    assert not taken, "nobody else may claim it while the turn's instance delivers it"
    card = prepared[ids[0]].card
    assert card is not None and TEGN in card_texts(card_json(card))
