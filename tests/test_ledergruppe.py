"""Everyone seed 004 names sends eksempler (issue 22, point 5): a ledergruppe, which is no arbejdsplads, sends an
eksempel in its own name through its leder, appears in the indsamler's »mangler« lists, and gets the reminders."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import insert, select

from cards import texts
from core.vocabulary import EntryStatus, Role, Tema, UnitKind
from storage.models import Entry, Person, RoleAssignment, Unit
from testkit import activities
from testkit.activities import KARIN, STINNE
from testkit.connector import RecordingConnector
from tests.cardtext import actions, card_texts
from tests.conftest import BotUnderTest
from tests.test_reminders import days_before, org_url, reminder_cards, start_bot  # noqa: F401

GROUP = "Ledergruppen i Center for Dagtilbud og Skole"


async def _add_group(bot: BotUnderTest) -> int:
    """A ledergruppe under Karin's afdeling, with Karin as its leder (tovholder)."""
    [(afdeling,)] = await bot.query(select(Unit.id).where(Unit.key == "dagtilbud-skole"))
    [(karin,)] = await bot.query(select(Person.id).where(Person.email == KARIN.email))
    await bot.query(insert(Unit).values(key="ledergruppe", name=GROUP, kind=UnitKind.GRUPPE, parent_id=afdeling))
    [(group,)] = await bot.query(select(Unit.id).where(Unit.key == "ledergruppe"))
    await bot.query(insert(RoleAssignment).values(person_id=karin, role=Role.LEDER, unit_id=group))
    return int(group)


@pytest.fixture
async def bot(org_url: str, connector: RecordingConnector) -> AsyncIterator[BotUnderTest]:  # noqa: F811
    started = await start_bot(org_url, connector)
    try:
        yield started
    finally:
        await started.client.close()


async def test_a_ledergruppe_sends_an_eksempel_in_its_own_name(bot: BotUnderTest) -> None:
    group = await _add_group(bot)
    [picker] = await bot.say("eksempel", user=KARIN)
    tema = texts.EKSEMPEL_TEMA_BUTTON.format(tema=texts.TEMA_LABELS[Tema.MOD])
    [niveau] = await bot.click(picker, tema, user=KARIN)
    [form] = await bot.click(niveau, texts.BUTTON_NEXT, user=KARIN)
    assert texts.EKSEMPEL_FRA_UNIT.format(unit=GROUP) in card_texts(form.cards[0]), "the group is a choice"
    eksempel = "Når en af os er i tvivl om en svær sag, tager vi den op på næste ledermøde og beslutter sammen"
    [check] = await bot.click(form, texts.BUTTON_NEXT, user=KARIN, eksempel=eksempel, fra=f"gruppe_{group}")
    await bot.click(check, str(actions(check.cards[0])[0]["title"]), user=KARIN)
    [(unit_id, status, stage)] = await bot.query(select(Entry.unit_id, Entry.status, Entry.stage))
    assert unit_id == group, "in the group's name"
    assert (EntryStatus(status), stage) == (EntryStatus.PENDING, 1), "its leder sent it: at the indsamler"


async def test_someone_who_leads_no_group_cannot_send_in_its_name(bot: BotUnderTest) -> None:
    group = await _add_group(bot)
    [picker] = await bot.say("eksempel", user=activities.LARS)
    tema = texts.EKSEMPEL_TEMA_BUTTON.format(tema=texts.TEMA_LABELS[Tema.MOD])
    [niveau] = await bot.click(picker, tema, user=activities.LARS)
    [form] = await bot.click(niveau, texts.BUTTON_NEXT, user=activities.LARS)
    [again] = await bot.click(form, texts.BUTTON_NEXT, user=activities.LARS, eksempel="x" * 80, fra=f"gruppe_{group}")
    assert texts.ERROR_CHOOSE_ONE in card_texts(again.cards[0])
    assert await bot.query(select(Entry.id)) == []


async def test_a_ledergruppe_is_missing_until_it_sends_and_its_leder_is_reminded(bot: BotUnderTest) -> None:
    await _add_group(bot)
    [(afdeling,)] = await bot.query(select(Unit.id).where(Unit.key == "dagtilbud-skole"))
    await bot.say("hjælp", user=KARIN)  # a personal chat, so that she can be reminded
    [detail] = [s for s in await bot.say(f"oversigt {afdeling}", user=STINNE) if s.cards]
    assert GROUP in " ".join(card_texts(detail.cards[0])), "in the indsamler's »mangler« list"
    await bot.tick(days_before(14))
    [card] = reminder_cards(bot, KARIN)
    assert GROUP in " ".join(card_texts(card)), "its leder is reminded, like an arbejdsplads's"
