"""Prøvehandling, the fourth kind of entry (issue 20, part 1), over HTTP with the recording connector: the flow
`prøvehandling` step by step with its coaching, its route (leder anbefaler, chef godkender, clicked and typed), the
approval making it one of the mål's prøvehandlinger once, `læring` offering it from then on, »Ny prøvehandling« in
`læring` proposed alongside, and coverage counting it."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

import openpyxl
import pytest
from sqlalchemy import func, insert, select

from cards import danish, texts
from cards import proevehandling as proevehandling_cards
from cards.approval import entry_card
from cards.base import card_json, utf16_size
from cards.payloads import Command
from core.vocabulary import Action, EntryKind, EntryStatus, ProevehandlingTip, Role
from domain import clock
from domain.coaching import proevehandling_tips, reads_like_a_goal
from domain.entries import LONG, MEDIUM, SHORT, ProevehandlingData
from domain.policy import EntryPolicy
from domain.views import DecisionView, EntryView, MaalView
from storage.models import Decision, Entry, Maal, Maalplan, Person, Proevehandling
from testkit.activities import KARIN, LARS, METTE, User
from testkit.clients import Client
from testkit.connector import Sent, only
from tests.cardtext import card_texts, inputs
from tests.conftest import BotUnderTest
from tests.test_phone import CLIENTS
from tests.test_phone import Person as OnClient
from tests.test_phone import open_chats as phone_open_chats

NOW = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)
EVALUATION_DAY = dt.date(2027, 2, 15)
HANDLING = "Vi læser dialogisk med grupper af fire børn hver formiddag i seks uger"
MAALGRUPPE = "Børn på 3-5 år med et lille ordforråd"
HVORDAN = "Vi tæller hver fredag, hvor mange nye ord børnene bruger i samlingen"
GOAL = "Flere børn skal have et alderssvarende sprog"
# Kirkebjerg's first mål in demo/organisation.yaml, with its two prøvehandlinger from the organisation file.
SPROG = "Flere børn har et alderssvarende sprog, når de begynder i skole"
SPROG_PROEVEHANDLINGER = 2


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[None]:
    with clock.frozen(NOW):
        yield


async def entries(bot: BotUnderTest, kind: EntryKind | None = None) -> list[Entry]:
    query = select(Entry).order_by(Entry.id)
    if kind is not None:
        query = query.where(Entry.kind == kind)
    return [row[0] for row in await bot.query(query)]


async def sprog_id(bot: BotUnderTest) -> int:
    [(maal_id,)] = await bot.query(select(Maal.id).where(Maal.key == "sprog"))
    return int(maal_id)


async def proevehandlinger_of(bot: BotUnderTest, maal_id: int) -> list[Proevehandling]:
    query = select(Proevehandling).where(Proevehandling.maal_id == maal_id).order_by(Proevehandling.position)
    return [row[0] for row in await bot.query(query)]


async def add_approved_tegn(bot: BotUnderTest, text: str) -> int:
    """An approved tegn of Kirkebjerg's sprog mål, as the tegn flow and two approvals would have left it."""
    maal_id = await sprog_id(bot)
    [(unit_id,)] = await bot.query(select(Maalplan.unit_id).join(Maal).where(Maal.id == maal_id))
    [(owner,)] = await bot.query(select(Person.id).where(Person.email == METTE.email))
    await bot.query(
        insert(Entry).values(
            kind=EntryKind.TEGN,
            owner_id=owner,
            unit_id=unit_id,
            maal_id=maal_id,
            data={"tegn": text},
            status=EntryStatus.APPROVED,
            stage=1,
            version=3,
            idempotency_key=f"approved-tegn-{text}",
            created_at=NOW,
            updated_at=NOW,
        )
    )
    [(entry_id,)] = await bot.query(select(func.max(Entry.id)))
    return int(entry_id)


async def to_hvad(bot: BotUnderTest, user: User = METTE) -> Sent:
    picker = only(await bot.say(Command.PROEVEHANDLING, user=user))
    shown = card_texts(picker.cards[0])
    assert texts.MAAL_INTRO_PROEVEHANDLING in shown and SPROG in shown
    form = only(await bot.click(picker, texts.BUTTON_CHOOSE, user=user))
    assert texts.PROEVEHANDLING_HANDLING_LABEL in card_texts(form.cards[0])
    return form


async def through_to_check(
    bot: BotUnderTest,
    *,
    handling: str = HANDLING,
    hvordan: str = HVORDAN,
    tegn_id: int | None = None,
    user: User = METTE,
) -> Sent:
    hvad = await to_hvad(bot, user)
    vide = only(await bot.click(hvad, texts.BUTTON_NEXT, user=user, handling=handling, maalgruppe=MAALGRUPPE))
    assert texts.PROEVEHANDLING_VIDE_TITLE in card_texts(vide.cards[0])
    chosen: dict[str, Any] = {"hvordan_ser_vi": hvordan}
    if tegn_id is not None:
        chosen["tegn_id"] = str(tegn_id)
    inddragelse = only(await bot.click(vide, texts.BUTTON_NEXT, user=user, **chosen))
    assert texts.PROEVEHANDLING_INDDRAGELSE_TITLE in card_texts(inddragelse.cards[0])
    evaluering = only(
        await bot.click(
            inddragelse, texts.BUTTON_NEXT, user=user, borgerinddragelse="true", tvaerfaglighed="koordinations"
        )
    )
    assert texts.PROEVEHANDLING_EVALUERES_TITLE in card_texts(evaluering.cards[0])
    check = only(await bot.click(evaluering, texts.BUTTON_NEXT, user=user, evalueres=EVALUATION_DAY.isoformat()))
    assert texts.PROEVEHANDLING_CHECK_TITLE in card_texts(check.cards[0])
    return check


async def propose(bot: BotUnderTest) -> int:
    """Mette proposes a prøvehandling through the flow; returns its entry id."""
    await bot.settle()
    check = await through_to_check(bot)
    only(await bot.click(check, texts.BUTTON_SEND))
    [(entry_id,)] = await bot.query(select(func.max(Entry.id)))
    return int(entry_id)


async def open_chats(bot: BotUnderTest, *users: User) -> None:
    for user in users:
        await bot.say(Command.HELP, user=user)
    bot.connector.clear()


def approval_card(sent: list[Sent], entry_id: int) -> Sent:
    title = texts.ENTRY_TITLE[EntryKind.PROEVEHANDLING].format(id=entry_id)
    [found] = [s for s in sent if s.cards and title in card_texts(s.cards[0]) and s.method == "POST"]
    return found


# --- The flow ---------------------------------------------------------------------------------------------------


async def test_a_medarbejder_proposes_a_proevehandling_through_every_step(demo_bot: BotUnderTest) -> None:
    check = await through_to_check(demo_bot)
    shown = card_texts(check.cards[0])
    for text in (HANDLING, MAALGRUPPE, HVORDAN, texts.YES, texts.TVAERFAGLIG_LABELS["koordinations"]):
        assert text in shown, text
    assert danish.date(EVALUATION_DAY) in shown, "the day the Danish way"
    assert texts.PROEVEHANDLING_COACH_TITLE not in shown
    assert texts.BUTTON_SEND in shown

    receipt = only(await demo_bot.click(check, texts.BUTTON_SEND))
    shown = card_texts(receipt.cards[0])
    assert texts.PROEVEHANDLING_RECEIPT_TITLE in shown
    lars = texts.PERSON_WITH_TITLE.format(name=LARS.name, title=texts.ROLE_TITLES[Role.LEDER])
    assert texts.STATUS_PENDING_AT_PEOPLE.format(who=lars) in shown, "the leder is named"
    [entry] = await entries(demo_bot)
    assert entry.kind is EntryKind.PROEVEHANDLING and entry.status is EntryStatus.PENDING and entry.stage == 0
    assert entry.maal_id == await sprog_id(demo_bot) and entry.proevehandling_id is None
    assert entry.data == {
        "handling": HANDLING,
        "maalgruppe": MAALGRUPPE,
        "tegn_id": None,
        "tegn_tekst": "",
        "hvordan_ser_vi": HVORDAN,
        "borgerinddragelse": True,
        "tvaerfaglighed": "koordinations",
        "evalueres": EVALUATION_DAY.isoformat(),
    }

    # A double click on Send (or a Teams retry) shows the same receipt and stores nothing new.
    again = only(await demo_bot.click(check, texts.BUTTON_SEND))
    assert texts.PROEVEHANDLING_RECEIPT_TITLE in card_texts(again.cards[0])
    assert len(await entries(demo_bot)) == 1


async def test_the_evaluation_day_is_required_and_not_in_the_past(demo_bot: BotUnderTest) -> None:
    hvad = await to_hvad(demo_bot)
    vide = only(await demo_bot.click(hvad, texts.BUTTON_NEXT, handling=HANDLING))
    inddragelse = only(await demo_bot.click(vide, texts.BUTTON_NEXT, hvordan_ser_vi=HVORDAN))
    evaluering = only(await demo_bot.click(inddragelse, texts.BUTTON_NEXT, borgerinddragelse="true"))
    assert inputs(evaluering.cards[0])["evalueres"] in (None, "")
    missing = only(await demo_bot.click(evaluering, texts.BUTTON_NEXT, evalueres=""))
    assert texts.ERROR_EVALUERES_REQUIRED in card_texts(missing.cards[0])
    past = (NOW.date() - dt.timedelta(days=1)).isoformat()
    refused = only(await demo_bot.click(missing, texts.BUTTON_NEXT, evalueres=past))
    assert texts.ERROR_EVALUERES_PAST in card_texts(refused.cards[0])
    assert inputs(refused.cards[0])["evalueres"] == past, "what was typed is kept"
    nonsense = only(await demo_bot.click(refused, texts.BUTTON_NEXT, evalueres="31.2.2027"))
    assert texts.ERROR_DATE_INVALID in card_texts(nonsense.cards[0])
    # Tilbage keeps every step's input.
    back = only(await demo_bot.click(nonsense, texts.BUTTON_BACK))
    assert inputs(back.cards[0])["borgerinddragelse"] == "true"
    back = only(await demo_bot.click(back, texts.BUTTON_BACK))
    assert inputs(back.cards[0])["hvordan_ser_vi"] == HVORDAN
    # A day typed the Danish way is taken too.
    inddragelse = only(await demo_bot.click(back, texts.BUTTON_NEXT))
    evaluering = only(await demo_bot.click(inddragelse, texts.BUTTON_NEXT))
    check = only(await demo_bot.click(evaluering, texts.BUTTON_NEXT, evalueres="15.2.2027"))
    assert danish.date(EVALUATION_DAY) in card_texts(check.cards[0])
    assert await entries(demo_bot) == []


async def test_a_goal_without_a_way_to_see_the_effect_is_coached_and_ret_keeps_everything(
    demo_bot: BotUnderTest,
) -> None:
    check = await through_to_check(demo_bot, handling=GOAL, hvordan="")
    shown = card_texts(check.cards[0])
    assert texts.PROEVEHANDLING_COACH_TITLE in shown
    for tip in (ProevehandlingTip.ONLY_A_GOAL, ProevehandlingTip.NO_EFFECT_SEEN):
        why, example = texts.PROEVEHANDLING_COACH[tip]
        assert why in shown and example in shown, tip
    assert texts.BUTTON_SEND_ANYWAY in shown

    edit = only(await demo_bot.click(check, texts.BUTTON_EDIT))
    assert inputs(edit.cards[0])["handling"] == GOAL and inputs(edit.cards[0])["maalgruppe"] == MAALGRUPPE
    vide = only(await demo_bot.click(edit, texts.BUTTON_NEXT, handling=HANDLING))
    inddragelse = only(await demo_bot.click(vide, texts.BUTTON_NEXT))
    evaluering = only(await demo_bot.click(inddragelse, texts.BUTTON_NEXT))
    assert inputs(evaluering.cards[0])["evalueres"] == EVALUATION_DAY.isoformat()
    better = only(await demo_bot.click(evaluering, texts.BUTTON_NEXT))
    shown = card_texts(better.cards[0])
    assert texts.PROEVEHANDLING_COACH[ProevehandlingTip.ONLY_A_GOAL][0] not in shown
    assert texts.PROEVEHANDLING_COACH[ProevehandlingTip.NO_EFFECT_SEEN][0] in shown, "still no way to see it"

    # Sent anyway: a flag is a tip, not a refusal.
    only(await demo_bot.click(better, texts.BUTTON_SEND_ANYWAY))
    [entry] = await entries(demo_bot)
    assert entry.data["handling"] == HANDLING and entry.data["hvordan_ser_vi"] == ""


async def test_how_we_will_know_links_one_of_the_maals_approved_tegn(demo_bot: BotUnderTest) -> None:
    tegn = "Flere børn fortæller selv om deres weekend i samlingen"
    tegn_id = await add_approved_tegn(demo_bot, tegn)
    hvad = await to_hvad(demo_bot)
    vide = only(await demo_bot.click(hvad, texts.BUTTON_NEXT, handling=HANDLING))
    shown = card_texts(vide.cards[0])
    assert texts.PROEVEHANDLING_VIDE_INTRO in shown
    choices = {c["value"]: c["title"] for c in _choices(vide.cards[0], "tegn_id")}
    assert choices[str(tegn_id)] == texts.PROEVEHANDLING_TEGN_CHOICE.format(text=tegn, id=tegn_id)

    # A tegn that is not one of the mål's approved tegn is refused, with what was typed kept.
    refused = only(await demo_bot.click(vide, texts.BUTTON_NEXT, tegn_id=str(tegn_id + 1000), hvordan_ser_vi="x"))
    assert texts.ERROR_UNKNOWN_TEGN in card_texts(refused.cards[0])
    assert inputs(refused.cards[0])["hvordan_ser_vi"] == "x"

    check = await through_to_check(demo_bot, hvordan="", tegn_id=tegn_id)
    shown = card_texts(check.cards[0])
    assert tegn in shown and texts.PROEVEHANDLING_TEGN_FIELD in shown
    assert texts.PROEVEHANDLING_COACH_TITLE not in shown, "a linked tegn is a way to see the effect"
    only(await demo_bot.click(check, texts.BUTTON_SEND))
    [entry] = await entries(demo_bot, EntryKind.PROEVEHANDLING)
    assert entry.data["tegn_id"] == tegn_id and entry.data["tegn_tekst"] == tegn


def _choices(card: dict[str, Any], input_id: str) -> list[dict[str, str]]:
    [element] = [e for e in card["body"] if e.get("id") == input_id]
    choices: list[dict[str, str]] = element["choices"]
    return choices


async def test_prøvehandling_is_on_the_help_card_and_typed_without_danish_letters(demo_bot: BotUnderTest) -> None:
    help_card = only(await demo_bot.say(Command.HELP)).cards[0]
    assert texts.HELP_BUTTON_PROEVEHANDLING in [a["title"] for a in help_card["actions"]]
    started = only(await demo_bot.click(only(await demo_bot.say(Command.HELP)), texts.HELP_BUTTON_PROEVEHANDLING))
    assert texts.MAAL_INTRO_PROEVEHANDLING in card_texts(started.cards[0])
    for typed in ("proevehandling", "Provehandling"):
        assert texts.MAAL_INTRO_PROEVEHANDLING in card_texts(only(await demo_bot.say(typed)).cards[0])


# --- The route and the approval -----------------------------------------------------------------------------------


async def test_leder_recommends_and_chef_approves_by_clicking_and_it_becomes_a_proevehandling(
    demo_bot: BotUnderTest,
) -> None:
    await open_chats(demo_bot, LARS, KARIN)
    maal_id = await sprog_id(demo_bot)
    entry_id = await propose(demo_bot)
    await demo_bot.settle()

    to_lars = approval_card(demo_bot.sent_to(LARS), entry_id)
    assert HANDLING in card_texts(to_lars.cards[0])
    only(await demo_bot.click(to_lars, texts.DECISION_BUTTONS[Action.RECOMMEND], user=LARS))
    await demo_bot.settle()
    assert (
        await proevehandlinger_of(demo_bot, maal_id) != []
        and len(await proevehandlinger_of(demo_bot, maal_id)) == SPROG_PROEVEHANDLINGER
    ), "recommended is not yet approved"

    to_karin = approval_card(demo_bot.sent_to(KARIN), entry_id)
    assert texts.APPROVAL_CHEF_HINT_PROEVEHANDLING in card_texts(to_karin.cards[0])
    approved = only(await demo_bot.click(to_karin, texts.DECISION_BUTTONS[Action.APPROVE], user=KARIN))
    assert f"**{texts.STATUS_APPROVED_BY_KIND[EntryKind.PROEVEHANDLING]}**" in card_texts(approved.cards[0])
    await demo_bot.settle()

    rows = await proevehandlinger_of(demo_bot, maal_id)
    assert len(rows) == SPROG_PROEVEHANDLINGER + 1
    new = rows[-1]
    assert new.title == HANDLING and new.key == f"forslag-{entry_id}"
    assert new.created_at is not None and new.created_at.replace(tzinfo=dt.UTC) == NOW
    [entry] = await entries(demo_bot)
    assert entry.status is EntryStatus.APPROVED and entry.proevehandling_id == new.id
    told = [s for s in demo_bot.sent_to(METTE) if s.cards]
    news = texts.OWNER_NEWS_APPROVED[EntryKind.PROEVEHANDLING].format(actor=KARIN.name)
    assert any(news in card_texts(s.cards[0]) for s in told)

    # Karin's second click on the same card (or Teams re-sending it) changes nothing: one prøvehandling.
    again = only(await demo_bot.click(to_karin, texts.DECISION_BUTTONS[Action.APPROVE], user=KARIN))
    assert texts.DECISION_BUTTONS[Action.APPROVE] not in [a["title"] for a in again.cards[0].get("actions", [])]
    assert len(await proevehandlinger_of(demo_bot, maal_id)) == SPROG_PROEVEHANDLINGER + 1
    approvals = await demo_bot.query(
        select(func.count()).where(Decision.entry_id == entry_id, Decision.action == Action.APPROVE)
    )
    assert approvals == [(1,)]


async def test_typed_anbefal_and_godkend_and_then_laering_offers_it(demo_bot: BotUnderTest) -> None:
    maal_id = await sprog_id(demo_bot)
    entry_id = await propose(demo_bot)
    recommended = await demo_bot.say(f"anbefal {entry_id} God idé", user=LARS)
    karin = texts.PERSON_WITH_TITLE.format(name=KARIN.name, title=texts.ROLE_TITLES[Role.CHEF])
    waiting = texts.STATUS_PENDING_FOR_PEOPLE.format(who=karin)
    assert any(waiting in " ".join(card_texts(s.cards[0])) for s in recommended if s.cards)
    await demo_bot.say(f"godkend {entry_id}", user=KARIN)
    # Typed twice (Teams re-sends a slow message): one approval, one prøvehandling.
    await demo_bot.say(f"godkend {entry_id}", user=KARIN)
    await demo_bot.settle()
    rows = await proevehandlinger_of(demo_bot, maal_id)
    assert [r.title for r in rows].count(HANDLING) == 1
    new = rows[-1]

    # From now on `læring` offers it among the mål's prøvehandlinger, and a læring about it points to it.
    picker = only(await demo_bot.say(Command.LAERING))
    ph_picker = only(await demo_bot.click(picker, texts.BUTTON_CHOOSE))
    assert HANDLING in card_texts(ph_picker.cards[0])
    form = only(await demo_bot.click(ph_picker, texts.BUTTON_CHOOSE, nth=SPROG_PROEVEHANDLINGER))
    shown = card_texts(form.cards[0])
    assert shown[shown.index(texts.FIELD_PROEVEHANDLING) + 1] == HANDLING
    check = only(await demo_bot.click(form, texts.BUTTON_NEXT, evaluering="undervejs", laering="Det virker"))
    only(await demo_bot.click(check, texts.BUTTON_SEND))
    [laering] = await entries(demo_bot, EntryKind.LAERING)
    assert laering.proevehandling_id == new.id


async def test_a_new_proevehandling_in_laering_is_proposed_alongside(demo_bot: BotUnderTest) -> None:
    await open_chats(demo_bot, LARS)
    title = "Fælles morgensang på tværs af stuerne"
    picker = only(await demo_bot.say(Command.LAERING))
    ph_picker = only(await demo_bot.click(picker, texts.BUTTON_CHOOSE))
    form = only(await demo_bot.click(ph_picker, texts.LAERING_PH_NEW_BUTTON, ny_proevehandling=title))
    check = only(
        await demo_bot.click(
            form,
            texts.BUTTON_NEXT,
            evaluering="undervejs",
            laering="Børnene synger med",
            tvaerfaglighed="videns",
            borgerinddragelse="true",
        )
    )
    receipt = only(await demo_bot.click(check, texts.BUTTON_SEND))
    assert texts.LAERING_PH_NEW_PROPOSED.format(title=title) in card_texts(receipt.cards[0])
    [laering] = await entries(demo_bot, EntryKind.LAERING)
    [proposal] = await entries(demo_bot, EntryKind.PROEVEHANDLING)
    assert proposal.maal_id == laering.maal_id and proposal.unit_id == laering.unit_id
    assert proposal.status is EntryStatus.PENDING and proposal.stage == 0 and proposal.owner_id == laering.owner_id
    assert proposal.data["handling"] == title
    assert proposal.data["tvaerfaglighed"] == "videns" and proposal.data["borgerinddragelse"] is True
    await demo_bot.settle()
    approval_card(demo_bot.sent_to(LARS), proposal.id)  # the leder has it, like any proposal

    # Send again (a double click, a Teams retry): still one læring and one proposal.
    only(await demo_bot.click(check, texts.BUTTON_SEND))
    assert len(await entries(demo_bot)) == 2

    # Approved, it is one of the mål's prøvehandlinger, and the læring is about it from then on.
    await demo_bot.say(f"anbefal {proposal.id}", user=LARS)
    await demo_bot.say(f"godkend {proposal.id}", user=KARIN)
    new = (await proevehandlinger_of(demo_bot, await sprog_id(demo_bot)))[-1]
    assert new.title == title
    [laering] = await entries(demo_bot, EntryKind.LAERING)
    assert laering.proevehandling_id == new.id and laering.data["ny_proevehandling"] == title


async def test_a_laering_about_an_existing_proevehandling_proposes_nothing_more(demo_bot: BotUnderTest) -> None:
    picker = only(await demo_bot.say(Command.LAERING))
    ph_picker = only(await demo_bot.click(picker, texts.BUTTON_CHOOSE))
    form = only(await demo_bot.click(ph_picker, texts.BUTTON_CHOOSE))
    check = only(await demo_bot.click(form, texts.BUTTON_NEXT, evaluering="undervejs", laering="Det virker"))
    receipt = only(await demo_bot.click(check, texts.BUTTON_SEND))
    assert not any("»" in text and texts.LAERING_PH_NEW_PROPOSED[:20] in text for text in card_texts(receipt.cards[0]))
    assert [e.kind for e in await entries(demo_bot)] == [EntryKind.LAERING]


# --- Coverage --------------------------------------------------------------------------------------------------


async def coverage_line(bot: BotUnderTest, maal_id: int) -> str:
    """The mål's counts line in `oversigt`, counted in the database."""

    async def count(kind: EntryKind, status: EntryStatus) -> int:
        [(n,)] = await bot.query(
            select(func.count()).where(Entry.maal_id == maal_id, Entry.kind == kind, Entry.status == status)
        )
        return int(n)

    [(proevehandlinger,)] = await bot.query(select(func.count()).where(Proevehandling.maal_id == maal_id))
    return texts.OVERSIGT_MAAL_COUNTS.format(
        tegn=await count(EntryKind.TEGN, EntryStatus.APPROVED),
        tegn_pending=await count(EntryKind.TEGN, EntryStatus.PENDING),
        ph=proevehandlinger,
        ph_pending=await count(EntryKind.PROEVEHANDLING, EntryStatus.PENDING),
        laering=await count(EntryKind.LAERING, EntryStatus.APPROVED),
        laering_pending=await count(EntryKind.LAERING, EntryStatus.PENDING),
    )


async def overview(bot: BotUnderTest, user: User) -> list[str]:
    [card] = [s.cards[0] for s in await bot.say("oversigt", user=user) if s.cards]
    return card_texts(card)


async def unit_overview(bot: BotUnderTest, user: User) -> list[str]:
    """A chef's drill-down into Kirkebjerg (typed: `mål` and the unit's number)."""
    [(unit_id,)] = await bot.query(select(Maalplan.unit_id).join(Maal).where(Maal.key == "sprog"))
    [card] = [s.cards[0] for s in await bot.say(f"mål {unit_id}", user=user) if s.cards]
    return card_texts(card)


async def test_coverage_counts_proposed_and_approved_proevehandlinger(demo_bot: BotUnderTest) -> None:
    maal_id = await sprog_id(demo_bot)
    entry_id = await propose(demo_bot)
    pending = await coverage_line(demo_bot, maal_id)
    assert pending == texts.OVERSIGT_MAAL_COUNTS.format(
        tegn=0, tegn_pending=0, ph=SPROG_PROEVEHANDLINGER, ph_pending=1, laering=0, laering_pending=0
    )
    shown = await overview(demo_bot, LARS)
    assert pending in shown
    waiting = danish.fill(texts.OVERSIGT_WAITING[EntryKind.PROEVEHANDLING], count=1, who=LARS.name, since="")
    assert any(text.startswith(waiting.strip()) for text in shown), "what waits at the leder, by kind"

    await demo_bot.say(f"anbefal {entry_id}", user=LARS)
    await demo_bot.say(f"godkend {entry_id}", user=KARIN)
    approved = await coverage_line(demo_bot, maal_id)
    assert approved == texts.OVERSIGT_MAAL_COUNTS.format(
        tegn=0, tegn_pending=0, ph=SPROG_PROEVEHANDLINGER + 1, ph_pending=0, laering=0, laering_pending=0
    )
    assert approved in await overview(demo_bot, LARS)
    assert approved in await unit_overview(demo_bot, KARIN), "the chef's drill-down per unit"
    # Chefforum (Karin is a member): the mål's målsætning across the organisation (typed: `tværs` and a mål's number).
    [across] = [x.cards[0] for x in await demo_bot.say(f"tværs {maal_id}", user=KARIN) if x.cards]
    assert approved in card_texts(across)


# --- Coaching, pure -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Flere børn skal have et alderssvarende sprog",
        "Færre elever har bekymrende fravær",
        "Alle forældre oplever sig velkomne i institutionen",
        "Børnene skal blive bedre til at lege sammen",
    ],
)
def test_a_goal_reads_like_a_goal(text: str) -> None:
    assert reads_like_a_goal(text)
    assert ProevehandlingTip.ONLY_A_GOAL in proevehandling_tips(text, has_way_to_see=True)


@pytest.mark.parametrize(
    "text",
    [
        HANDLING,
        "Vi vil prøve fælles morgenmad for elever med højt fravær",
        "Dialogisk læsning i små grupper hver formiddag",
        "Forældrene kontaktes allerede på første fraværsdag",
        "Hver fredag inviterer vi forældrene til kaffe",
        "Afholde sprogcafé for forældre en gang om måneden",
    ],
)
def test_an_action_is_not_a_goal(text: str) -> None:
    assert not reads_like_a_goal(text)
    assert proevehandling_tips(text, has_way_to_see=True) == ()


def test_no_way_to_see_the_effect_is_flagged() -> None:
    assert proevehandling_tips(HANDLING, has_way_to_see=False) == (ProevehandlingTip.NO_EFFECT_SEEN,)
    assert proevehandling_tips(GOAL, has_way_to_see=False) == (
        ProevehandlingTip.ONLY_A_GOAL,
        ProevehandlingTip.NO_EFFECT_SEEN,
    )


# --- The export --------------------------------------------------------------------------------------------------


async def test_an_approved_proposal_is_exported_as_a_proevehandling_with_every_field(demo_bot: BotUnderTest) -> None:
    tegn = "Flere børn fortæller selv om deres weekend i samlingen"
    tegn_id = await add_approved_tegn(demo_bot, tegn)
    check = await through_to_check(demo_bot, tegn_id=tegn_id)
    only(await demo_bot.click(check, texts.BUTTON_SEND))
    [entry] = await entries(demo_bot, EntryKind.PROEVEHANDLING)
    await demo_bot.say(f"anbefal {entry.id}", user=LARS)
    await demo_bot.say(f"godkend {entry.id}", user=KARIN)

    sent = await demo_bot.say(Command.EKSPORT, user=LARS)
    message = next(s.text for s in sent if s.text and "/exports/" in s.text)
    url = message.split("](", 1)[1].split(")", 1)[0]
    response = await demo_bot.client.get(url.split("127.0.0.1:3978", 1)[-1])
    assert response.status == 200
    workbook = openpyxl.load_workbook(io.BytesIO(await response.read()))
    h = texts.EXPORT_HEADERS
    # Approved on 20 November 2026: after UNDER del 2 (until 31 March 2026), so on EFTER only, marked new there.
    for phase, name in enumerate(workbook.sheetnames):
        sheet = workbook[name]
        headers = [c.value for c in sheet[2]]
        assert headers == list(h)
        rows = [dict(zip(headers, row, strict=True)) for row in sheet.iter_rows(min_row=3, values_only=True)]
        found = [row for row in rows if row[h[4]] == HANDLING]
        if phase < 3:
            assert found == [], name
            continue
        [row] = found
        assert row[h[2]] == texts.EXPORT_TYPE_PROEVEHANDLING and row[h[3]] == entry.id
        assert row[h[5]] == MAALGRUPPE
        assert row[h[7]] == texts.EXPORT_PROEVEHANDLING_TEGN.format(text=tegn) + "\n" + HVORDAN
        assert row[h[15]] == texts.TVAERFAGLIG_LABELS["koordinations"] and row[h[16]] == texts.YES
        assert row[h[17]] == METTE.name and row[h[20]] == KARIN.name
        assert row[h[18]] == danish.date(NOW) and row[h[19]] == danish.date(NOW)
        assert row[h[-2]] == danish.date(EVALUATION_DAY), "the evaluation day"
        assert row[h[-1]] == texts.EXPORT_NEW
        sprog = [r for r in rows if r[h[0]] == SPROG and r[h[2]] == texts.EXPORT_TYPE_PROEVEHANDLING]
        assert len(sprog) == SPROG_PROEVEHANDLINGER + 1, (
            "the proposal is exported once, as the prøvehandling it became, beside the two from the file"
        )


async def test_a_sent_back_proposal_is_corrected_and_sent_again_with_every_step_filled_in(
    demo_bot: BotUnderTest,
) -> None:
    entry_id = await propose(demo_bot)
    await demo_bot.say(f"send tilbage {entry_id} Skriv hvem der læser", user=LARS)
    await demo_bot.settle()
    hvad = only(await demo_bot.say(f"ret {entry_id}"))
    assert inputs(hvad.cards[0])["handling"] == HANDLING and inputs(hvad.cards[0])["maalgruppe"] == MAALGRUPPE
    vide = only(await demo_bot.click(hvad, texts.BUTTON_NEXT, handling=HANDLING + " – pædagogerne læser"))
    assert inputs(vide.cards[0])["hvordan_ser_vi"] == HVORDAN
    inddragelse = only(await demo_bot.click(vide, texts.BUTTON_NEXT))
    assert inputs(inddragelse.cards[0])["tvaerfaglighed"] == "koordinations"
    evaluering = only(await demo_bot.click(inddragelse, texts.BUTTON_NEXT))
    assert inputs(evaluering.cards[0])["evalueres"] == EVALUATION_DAY.isoformat()
    check = only(await demo_bot.click(evaluering, texts.BUTTON_NEXT))
    receipt = only(await demo_bot.click(check, texts.BUTTON_SEND))
    assert texts.RESUBMITTED_TITLE in card_texts(receipt.cards[0])
    [entry] = await entries(demo_bot)
    assert entry.id == entry_id and entry.status is EntryStatus.PENDING and entry.stage == 0
    assert entry.data["handling"] == HANDLING + " – pædagogerne læser"


# --- On a phone, and with no buttons at all ----------------------------------------------------------------------


@pytest.mark.parametrize("client", CLIENTS)
async def test_proposed_recommended_and_approved_on_a_phone_and_text_only(
    demo_bot: BotUnderTest, client: Client
) -> None:
    await phone_open_chats(demo_bot, METTE, LARS, KARIN)
    mette, lars, karin = (OnClient(demo_bot, client, user) for user in (METTE, LARS, KARIN))
    [picker] = await mette.say("prøvehandling")
    [hvad] = await mette.tap(picker, texts.BUTTON_CHOOSE)
    [vide] = await mette.tap(hvad, texts.BUTTON_NEXT, handling=HANDLING)
    [inddragelse] = await mette.tap(vide, texts.BUTTON_NEXT, hvordan_ser_vi=HVORDAN)
    [evaluering] = await mette.tap(inddragelse, texts.BUTTON_NEXT)
    [check] = await mette.tap(evaluering, texts.BUTTON_NEXT, evalueres=EVALUATION_DAY.isoformat())
    await mette.tap(check, texts.BUTTON_SEND)
    [entry] = await entries(demo_bot)
    await lars.decide(entry.id, EntryKind.PROEVEHANDLING, Action.RECOMMEND, "anbefal")
    await karin.decide(entry.id, EntryKind.PROEVEHANDLING, Action.APPROVE, "godkend")
    rows = await proevehandlinger_of(demo_bot, await sprog_id(demo_bot))
    assert [r.title for r in rows].count(HANDLING) == 1


# --- Card sizes --------------------------------------------------------------------------------------------------


def test_the_cards_stay_within_teams_limit_at_every_maximum() -> None:
    """Every field at its longest, Danish letters throughout, a mål with 500 approved tegn, ten long comments."""
    data = ProevehandlingData(
        handling="æ" * MEDIUM,
        maalgruppe="ø" * SHORT,
        tegn_id=1,
        tegn_tekst="å" * LONG,
        hvordan_ser_vi="é" * MEDIUM,
        evalueres=EVALUATION_DAY,
    ).model_dump(mode="json")
    maal = MaalView(1, "m" * 500, "s" * 500, "p", "Målplan", "Dagtilbud Kirkebjerg")
    tips = tuple(ProevehandlingTip)
    check = proevehandling_cards.check_card(flow="f", step=(6, 6), key="k" * 32, maal=maal, data=data, tips=tips)
    many = [(n, "æ" * LONG) for n in range(500)]
    vide = proevehandling_cards.vide_card(flow="f", step=(3, 6), maal=maal, tegn=many, values={}, errors={})
    assert len(_choices(card_json(vide), "tegn_id")) == proevehandling_cards.TEGN_CHOICES_MAX + 1
    history = tuple(DecisionView(Action.RECOMMEND, "a" * 200, NOW, "c" * 1000) for _ in range(10))
    view = EntryView(
        1, EntryKind.PROEVEHANDLING, EntryStatus.PENDING, 1, Role.CHEF, 3, "o" * 200, "u" * 200, "m" * 500,
        "p", "", NOW, data, history,
    )  # fmt: skip
    policy = EntryPolicy(True, False, (Action.APPROVE, Action.SEND_BACK, Action.REJECT), True, False, False, Role.CHEF)
    for card in (check, vide, entry_card(view=view, policy=policy)):
        assert utf16_size(card) < 40_000
