"""Plan A over HTTP: the leder writes it (clicked and typed) and every change is kept; the coaching; a medarbejder
and the chef read it but cannot edit it; further indikatorer; the form and its dates; MUS and LUS preparation cards
reach the right person only; the plakat's signed link and its PDF."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from bot import export_links
from cards import danish, payloads, texts
from cards.base import MAX_CARD_BYTES, utf16_size
from cards.payloads import Command
from cards.plan_a import edit_card, history_card, plan_card, prep_card
from cli.demo import DEMO_PLAN_A, DEMO_PLAN_A_STATUS, seed_database
from core.vocabulary import EntryKind, EntryStatus
from domain.plan_a import (
    DOCUMENT_TITLE_MAX,
    HISTORY_PAGE,
    MAX_DOCUMENTS,
    TEXT_MAX,
    URL_MAX,
    Change,
    Document,
    Field,
    IndikatorView,
    PlanAView,
    Rights,
    Tip,
    forskel_tip,
    valid_url,
)
from storage.models import (
    ConversationPrep,
    Entry,
    Indikator,
    Person,
    PlanA,
    PlanAChange,
    PlanAIndikator,
    Unit,
)
from testkit import activities
from testkit.activities import AHMED, KARIN, LARS, METTE, SOFIE, User
from testkit.connector import Sent
from tests.cardtext import actions, card_texts
from tests.conftest import BotUnderTest

KIRKEBJERG = "Dagtilbud Kirkebjerg"
FORSKEL = "Flere kolleger siger i trivselsmålingen, at de kan få hjælp, når de er pressede"
KENDETEGN = "Trivselsmålingen hvert år og sygefraværet hvert kvartal"
APV = "https://intra.albertslund.dk/apv/kirkebjerg-2026.pdf"
ACTIONS_TEXT = "Vi holder møder om trivsel hver måned og laver en trivselsplan"
INTENTION_TEXT = "Vi vil styrke trivslen og sætte fokus på arbejdsmiljøet"


async def unit_id(bot: BotUnderTest, key: str = "kirkebjerg") -> int:
    [(found,)] = await bot.query(select(Unit.id).where(Unit.key == key))
    return int(found)


async def person_id(bot: BotUnderTest, user: User) -> int:
    [(found,)] = await bot.query(select(Person.id).where(Person.email == user.email))
    return int(found)


async def rows(bot: BotUnderTest) -> dict[int, tuple[str, str, str, list[dict[str, str]], bool]]:
    found = await bot.query(
        select(
            PlanAIndikator.indikator_id,
            PlanAIndikator.forskel,
            PlanAIndikator.kendetegn,
            PlanAIndikator.maal_tegn,
            PlanAIndikator.documents,
            PlanAIndikator.chosen,
        )
    )

    numbers = dict(await bot.query(select(Indikator.id, Indikator.number)))
    return {numbers[r[0]]: (r[1], r[2], r[3], r[4], r[5]) for r in found}


async def history(bot: BotUnderTest) -> list[tuple[str, int | None, str, str, int]]:
    found = await bot.query(
        select(
            PlanAChange.field,
            PlanAChange.indikator_number,
            PlanAChange.old_value,
            PlanAChange.new_value,
            PlanAChange.actor_id,
        ).order_by(PlanAChange.id)
    )
    return [tuple(r) for r in found]


def texts_of(sent: Sent) -> list[str]:
    return card_texts(sent.cards[0])


def buttons(sent: Sent) -> list[str]:
    return [a.get("title", "") for a in actions(sent.cards[0])]


async def open_chats(bot: BotUnderTest, *users: User) -> None:
    for user in users:
        await bot.say(Command.HELP, user=user)


# --- Writing and reading ------------------------------------------------------------------------------------------


async def test_the_leder_writes_an_indikator_on_the_card_and_every_change_is_kept(demo_bot: BotUnderTest) -> None:
    [plan] = await demo_bot.say("plan a", user=LARS)
    shown = texts_of(plan)
    assert texts.PLAN_A_TITLE.format(unit=KIRKEBJERG) in shown
    for number, perspektiv in ((1, "Opgaver"), (6, "Adfærd"), (8, "Struktur")):
        assert texts.PLAN_A_INDIKATOR_HEADING.format(number=number, perspektiv=perspektiv) in shown
    assert texts.PLAN_A_INDIKATOR_HEADING.format(number=3, perspektiv="Opgaver") not in shown
    assert texts.PLAN_A_MANDATORY_YEAR.format(year=2026) in shown
    assert all(a["type"] == "Action.Submit" for a in actions(plan.cards[0]))

    [form] = await demo_bot.click(plan, texts.PLAN_A_BUTTON_EDIT.format(number=6), user=LARS)
    assert texts.PLAN_A_QUESTION_FORSKEL in texts_of(form) and texts.PLAN_A_QUESTION_KENDETEGN in texts_of(form)
    [saved] = await demo_bot.click(
        form,
        texts.PLAN_A_BUTTON_SAVE,
        user=LARS,
        forskel=FORSKEL,
        kendetegn=KENDETEGN,
        doc_url=APV,
        doc_title="APV-handleplan",
    )
    assert saved.method == "PUT" and saved.activity_id == form.message_id, "the clicked card is updated in place"
    assert texts.PLAN_A_SAVED in texts_of(saved) and texts.PLAN_A_TIP_TITLE not in texts_of(saved)
    assert (await rows(demo_bot))[6] == (FORSKEL, KENDETEGN, "", [{"title": "APV-handleplan", "url": APV}], False)

    # The same click again (Teams re-sends a slow one): nothing new in the history.
    again = await demo_bot.click(form, texts.PLAN_A_BUTTON_SAVE, user=LARS, forskel=FORSKEL, kendetegn=KENDETEGN)
    assert texts.PLAN_A_NOTHING_CHANGED in texts_of(again[0])
    lars = await person_id(demo_bot, LARS)
    assert await history(demo_bot) == [
        ("forskel", 6, "", FORSKEL, lars),
        ("kendetegn", 6, "", KENDETEGN, lars),
        ("dokument_tilfoejet", 6, "", f"APV-handleplan {APV}", lars),
    ]

    # Typed: another wording, and a tegn from the målplan.
    newer = FORSKEL + " – og sygefraværet falder fra 6 til 4 procent"
    await demo_bot.say(f"plan a forskel 6 {newer}", user=LARS)
    await demo_bot.say("plan-a tegn 1 Børnene fortæller selv om deres weekend i samlingen", user=LARS)
    assert (await history(demo_bot))[3:] == [
        ("forskel", 6, FORSKEL, newer, lars),
        ("maal_tegn", 1, "", "Børnene fortæller selv om deres weekend i samlingen", lars),
    ]
    [log] = await demo_bot.say("plana historik", user=LARS)
    logged = texts_of(log)
    assert texts.PLAN_A_HISTORY_FIELDS["forskel"].format(number=6) in logged
    assert texts.PLAN_A_HISTORY_CHANGE.format(old=FORSKEL, new=newer) in logged
    assert any("Lars Mikkelsen" in line for line in logged)
    assert danish.fill(texts.PLAN_A_HISTORY_SHOWING, first=1, last=5, count=5) in logged

    # Removing the document is a change too.
    [removed] = await demo_bot.say("plan a fjern dokument 6 1", user=LARS)
    assert texts.PLAN_A_DOCUMENT_REMOVED in texts_of(removed)
    assert (await rows(demo_bot))[6][3] == []
    assert (await history(demo_bot))[-1][:2] == ("dokument_fjernet", 6)


async def test_removing_a_document_keeps_what_was_typed_on_the_card(demo_bot: BotUnderTest) -> None:
    await demo_bot.say(f"plan a forskel 6 {FORSKEL}", user=LARS)
    [form] = await demo_bot.say(f"plan a dokument 6 {APV} APV-handleplan", user=LARS)
    assert texts.PLAN_A_BUTTON_REMOVE_DOCUMENT.format(position=1) in buttons(form)
    unsaved = FORSKEL + " (rettet, ikke gemt)"
    [after] = await demo_bot.click(
        form, texts.PLAN_A_BUTTON_REMOVE_DOCUMENT.format(position=1), user=LARS, forskel=unsaved
    )
    assert texts.PLAN_A_DOCUMENT_REMOVED in texts_of(after) and unsaved in texts_of(after)
    assert texts.PLAN_A_BUTTON_REMOVE_DOCUMENT.format(position=1) not in buttons(after)
    assert (await rows(demo_bot))[6][0] == FORSKEL and (await rows(demo_bot))[6][3] == []


async def test_a_medarbejder_reads_the_plan_a_but_cannot_edit_it(demo_bot: BotUnderTest) -> None:
    await demo_bot.say(f"plan a forskel 6 {FORSKEL}", user=LARS)
    [plan] = await demo_bot.say("plan a", user=METTE)
    shown = texts_of(plan)
    assert FORSKEL in shown and texts.PLAN_A_READ_ONLY in shown
    assert texts.PLAN_A_BUTTON_EDIT.format(number=6) not in buttons(plan)
    assert texts.PLAN_A_BUTTON_FORM not in buttons(plan) and texts.PLAN_A_BUTTON_POSTER in buttons(plan)

    [typed] = await demo_bot.say("plan a forskel 6 Noget andet", user=METTE)
    assert typed.text == texts.PLAN_A_EDIT_NOT_ALLOWED
    # A crafted click, as if the button had been on her card: refused on the server.
    kirkebjerg = await unit_id(demo_bot)
    value = {payloads.ACTION_KEY: payloads.PlanASave.tag(), "unit_id": kirkebjerg, "number": 6, "forskel": "x"}
    [clicked] = await demo_bot._turn(activities.submit(demo_bot.service_url, value, user=METTE))
    assert clicked.text == texts.PLAN_A_EDIT_NOT_ALLOWED
    for tag in (payloads.PlanAFormSave.tag(), payloads.PlanAAdd.tag()):
        crafted = {payloads.ACTION_KEY: tag, "unit_id": kirkebjerg, "form": "x", "indikator": 3}
        [answer] = await demo_bot._turn(activities.submit(demo_bot.service_url, crafted, user=METTE))
        assert answer.text == texts.PLAN_A_EDIT_NOT_ALLOWED
    assert (await rows(demo_bot))[6][0] == FORSKEL and len(await history(demo_bot)) == 1

    # The leder of another arbejdsplads neither reads nor edits it.
    [other] = await demo_bot.say(f"plan a {kirkebjerg}", user=SOFIE)
    assert other.text == texts.PLAN_A_NOT_ALLOWED
    value["forskel"] = "Sofies tekst"
    [refused] = await demo_bot._turn(activities.submit(demo_bot.service_url, value, user=SOFIE))
    assert refused.text == texts.PLAN_A_EDIT_NOT_ALLOWED
    assert (await rows(demo_bot))[6][0] == FORSKEL


async def test_the_chef_picks_an_arbejdsplads_and_reads_its_plan_a(demo_bot: BotUnderTest) -> None:
    await demo_bot.say(f"plan a forskel 6 {FORSKEL}", user=LARS)
    [pick] = await demo_bot.say("plan a", user=KARIN)
    kirkebjerg = await unit_id(demo_bot)
    title = texts.PLAN_A_PICK_BUTTON.format(name=KIRKEBJERG, number=kirkebjerg)
    assert title in buttons(pick) and texts.PLAN_A_PICK_BUTTON.format(
        name="Herstedlund Skole", number=await unit_id(demo_bot, "herstedlund")
    ) in buttons(pick)
    assert all("HR og Arbejdsmiljø" not in b for b in buttons(pick)), "only her own afdeling's arbejdspladser"
    [plan] = await demo_bot.click(pick, title, user=KARIN)
    assert FORSKEL in texts_of(plan) and texts.PLAN_A_BUTTON_EDIT.format(number=6) not in buttons(plan)
    [typed] = await demo_bot.say(f"plan a forskel 6 {INTENTION_TEXT}", user=KARIN)
    assert typed.text == texts.PLAN_A_EDIT_NOT_ALLOWED


# --- Coaching -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tip"),
    [
        (ACTIONS_TEXT, Tip.ACTION_LIST),
        ("Der afholdes trivselsmøder hver måned", Tip.ACTION_LIST),
        ("- Trivselsmøder\n- Ny mødeplan\n- Fælles frokost", Tip.ACTION_LIST),
        ("Afholde temadage om tværfagligt samarbejde", Tip.ACTION_LIST),
        (INTENTION_TEXT, Tip.INTENTION),
        ("Vi ønsker et godt arbejdsmiljø", Tip.INTENTION),
        ("Fokus på sammenhæng mellem vision og indsatser", Tip.INTENTION),
        (FORSKEL, None),
        ("Sygefraværet falder fra 6 til 4 procent", None),
        ("Forældrene fortæller, at de ved, hvad deres barn har arbejdet med i ugen", None),
        ("Vi vil se, at flere kolleger spørger hinanden til råds på tværs af faggrupper", None),
        ("", None),
    ],
)
def test_the_coaching_flags_actions_and_invisible_intentions(text: str, tip: Tip | None) -> None:
    assert forskel_tip(text) is tip


async def test_the_leder_is_coached_on_an_action_list_and_an_intention_and_the_text_is_kept(
    demo_bot: BotUnderTest,
) -> None:
    [answer] = await demo_bot.say(f"plan a forskel 6 {ACTIONS_TEXT}", user=LARS)
    shown = texts_of(answer)
    assert texts.PLAN_A_TIPS[Tip.ACTION_LIST.value] in shown and texts.PLAN_A_TIP_EXAMPLE in shown
    assert (await rows(demo_bot))[6][0] == ACTIONS_TEXT, "the text is kept; the tip only advises"
    [plan] = await demo_bot.say("plan a", user=LARS)
    assert texts.PLAN_A_TIP_SHORT[Tip.ACTION_LIST.value].format(number=6) in texts_of(plan)
    [mette] = await demo_bot.say("plan a", user=METTE)
    assert texts.PLAN_A_TIP_SHORT[Tip.ACTION_LIST.value].format(number=6) not in texts_of(mette), (
        "the coaching is for the one who writes"
    )

    [answer] = await demo_bot.say(f"plan a forskel 8 {INTENTION_TEXT}", user=LARS)
    assert texts.PLAN_A_TIPS[Tip.INTENTION.value] in texts_of(answer)
    [answer] = await demo_bot.say(f"plan a forskel 8 {FORSKEL}", user=LARS)
    assert texts.PLAN_A_TIP_TITLE not in texts_of(answer)


# --- Further indikatorer, the form, wrong input ---------------------------------------------------------------


async def test_a_further_indikator_is_added_with_the_advice_to_agree_it_with_the_chef(demo_bot: BotUnderTest) -> None:
    [plan] = await demo_bot.say("plan a", user=LARS)
    assert texts.PLAN_A_ADD_HINT in texts_of(plan)
    [none_chosen] = await demo_bot.click(plan, texts.PLAN_A_BUTTON_ADD, user=LARS)
    assert texts.PLAN_A_ADD_CHOOSE in texts_of(none_chosen) and await history(demo_bot) == []
    [added] = await demo_bot.click(plan, texts.PLAN_A_BUTTON_ADD, user=LARS, indikator="3")
    shown = texts_of(added)
    assert texts.PLAN_A_ADDED.format(number=3) in shown
    assert texts.PLAN_A_INDIKATOR_HEADING.format(number=3, perspektiv="Opgaver") in shown
    assert texts.PLAN_A_FURTHER in shown and texts.PLAN_A_INDIKATOR_CHOSEN in shown
    [again] = await demo_bot.say("plan a tilføj 3", user=LARS)
    assert again.text == texts.PLAN_A_PROBLEMS["already_in_plan"]
    await demo_bot.say("plan a forskel 3 Flere kolleger fortæller, at de får sparring på personalemøderne", user=LARS)

    [mandatory] = await demo_bot.say("plan a fjern 6", user=LARS)
    assert mandatory.text == texts.PLAN_A_PROBLEMS["mandatory"]
    [unknown] = await demo_bot.say("plan a tilføj 9", user=LARS)
    assert unknown.text == texts.PLAN_A_PROBLEMS["no_such_indikator"]
    [removed] = await demo_bot.say("plan a fjern 3", user=LARS)
    assert texts.PLAN_A_REMOVED.format(number=3) in texts_of(removed)
    assert texts.PLAN_A_INDIKATOR_HEADING.format(number=3, perspektiv="Opgaver") not in texts_of(removed)
    fields = [(field, number) for field, number, *_ in await history(demo_bot)]
    assert fields == [("indikator_tilfoejet", 3), ("forskel", 3), ("indikator_fjernet", 3)]
    [mette] = await demo_bot.say("plan a tilføj 4", user=METTE)
    assert mette.text == texts.PLAN_A_EDIT_NOT_ALLOWED


async def test_the_form_and_its_dates_clicked_and_typed(demo_bot: BotUnderTest) -> None:
    [plan] = await demo_bot.say("plan a", user=LARS)
    assert texts.PLAN_A_DEADLINE.format(date="1. november 2026") in " ".join(texts_of(plan))
    [form] = await demo_bot.click(plan, texts.PLAN_A_BUTTON_FORM, user=LARS)
    [wrong] = await demo_bot.click(
        form, texts.PLAN_A_BUTTON_SAVE, user=LARS, form="En plakat i personalerummet", form_decided_on="i går"
    )
    assert texts.ERROR_DATE_INVALID in texts_of(wrong) and "En plakat i personalerummet" in texts_of(wrong)
    assert await demo_bot.query(select(PlanA.form)) == [], "nothing saved from a form that did not validate"
    [saved] = await demo_bot.click(
        form, texts.PLAN_A_BUTTON_SAVE, user=LARS, form="En plakat i personalerummet", form_decided_on="2026-10-28"
    )
    assert texts.PLAN_A_SAVED in texts_of(saved) and "28. oktober 2026" in " ".join(texts_of(saved))
    await demo_bot.say("plan a i brug 1.12.2026", user=LARS)
    [(form_text, decided, in_use)] = await demo_bot.query(select(PlanA.form, PlanA.form_decided_on, PlanA.in_use_since))
    assert (form_text, decided.isoformat(), in_use.isoformat()) == (
        "En plakat i personalerummet",
        "2026-10-28",
        "2026-12-01",
    )
    assert [f for f, *_ in await history(demo_bot)] == ["form", "form_besluttet", "i_brug"]


async def test_the_indikator_card_and_the_form_card_can_be_opened_by_typing(demo_bot: BotUnderTest) -> None:
    [indikator] = await demo_bot.say("plan a ret 8", user=LARS)
    assert texts.PLAN_A_EDIT_TITLE.format(number=8) in texts_of(indikator)
    [form] = await demo_bot.say("PLAN-A RET FORM", user=LARS)
    assert texts.PLAN_A_FORM_TITLE in texts_of(form)
    [not_in_plan] = await demo_bot.say("plan a ret 3", user=LARS)
    assert not_in_plan.text == texts.PLAN_A_PROBLEMS["not_in_plan"]
    [mette] = await demo_bot.say("plan a ret 8", user=METTE)
    assert mette.text == texts.PLAN_A_EDIT_NOT_ALLOWED


@pytest.mark.parametrize(
    ("typed", "usage"),
    [
        ("plan a ret seks", texts.TYPED_PLAN_A_RET),
        ("plan a forskel seks Flere børn", texts.TYPED_PLAN_A_FORSKEL),
        ("plan a forskel 6", texts.TYPED_PLAN_A_FORSKEL),
        ("plan a besluttet snart", texts.TYPED_PLAN_A_BESLUTTET),
        ("plan a fjern dokument 6", texts.TYPED_PLAN_A_FJERN_DOKUMENT),
        ("plan a hvad", texts.TYPED_PLAN_A),
        ("plan a plakat nu", texts.TYPED_PLAN_A_PLAKAT),
        ("mus", texts.TYPED_MUS),
    ],
)
async def test_a_wrong_form_gets_the_right_form(demo_bot: BotUnderTest, typed: str, usage: str) -> None:
    [answer] = await demo_bot.say(typed, user=LARS)
    assert answer.text == texts.TYPED_WRONG_FORM.format(usage=usage)
    assert await history(demo_bot) == []


async def test_a_document_must_be_an_http_link_and_nothing_typed_is_lost(demo_bot: BotUnderTest) -> None:
    [plan] = await demo_bot.say("plan a", user=LARS)
    [form] = await demo_bot.click(plan, texts.PLAN_A_BUTTON_EDIT.format(number=6), user=LARS)
    [again] = await demo_bot.click(
        form, texts.PLAN_A_BUTTON_SAVE, user=LARS, forskel=FORSKEL, doc_url="javascript:alert(1)", doc_title="APV"
    )
    shown = texts_of(again)
    assert texts.PLAN_A_PROBLEMS["bad_url"] in shown and FORSKEL in shown and "javascript:alert(1)" in shown
    assert await history(demo_bot) == [], "nothing saved"
    [typed] = await demo_bot.say("plan a dokument 6 ftp://intra/apv.pdf APV", user=LARS)
    assert texts.PLAN_A_PROBLEMS["bad_url"] in texts_of(typed)
    too_long = "x" * (payloads.PLAN_A_TEXT_MAX + 1)
    [long] = await demo_bot.click(form, texts.PLAN_A_BUTTON_SAVE, user=LARS, forskel=too_long)
    assert texts.ERROR_TOO_LONG.format(limit=payloads.PLAN_A_TEXT_MAX) in texts_of(long) and too_long in texts_of(long)
    assert await history(demo_bot) == []


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        (APV, True),
        ("http://intra/apv", True),
        ("javascript:alert(1)", False),
        ("file:///etc/passwd", False),
        ("https://", False),
        ("https://a b", False),
        ("www.albertslund.dk", False),
    ],
)
def test_valid_url(url: str, ok: bool) -> None:
    assert valid_url(url) is ok


# --- MUS and LUS ------------------------------------------------------------------------------------------------


async def test_mus_sends_the_preparation_card_to_the_right_person_only(demo_bot: BotUnderTest) -> None:
    await open_chats(demo_bot, METTE, AHMED, LARS, KARIN, SOFIE)
    await demo_bot.say(f"plan a forskel 6 {FORSKEL}", user=LARS)
    before = {user.name: len(demo_bot.sent_to(user)) for user in (METTE, AHMED, KARIN, SOFIE)}
    [told] = await demo_bot.say("mus Mette", user=LARS)
    assert told.text == texts.PREP_SENT.format(kind="MUS", name="Mette Hansen")
    [card] = demo_bot.sent_to(METTE)[before["Mette Hansen"] :]
    shown = texts_of(card)
    assert texts.PREP_TITLE.format(kind="MUS") in shown and FORSKEL in shown
    assert all(question in " ".join(shown) for question in texts.PREP_QUESTIONS)
    assert texts.PREP_PRIVACY.format(sender="Lars Mikkelsen") in shown
    for user in (AHMED, KARIN, SOFIE):
        assert len(demo_bot.sent_to(user)) == before[user.name], f"nothing to {user.name}"

    # Mette writes her notes on the card; only she and Lars can see them.
    [(prep_id,)] = await demo_bot.query(select(ConversationPrep.id))
    [saved] = await demo_bot.click(card, texts.PREP_BUTTON_SAVE, user=METTE, notes="Jeg vil tale om sparring")
    assert texts.PREP_NOTES_SAVED in texts_of(saved) and saved.activity_id == card.message_id
    assert await demo_bot.query(select(ConversationPrep.notes)) == [("Jeg vil tale om sparring",)]
    [lars_view] = await demo_bot.say(f"samtale vis {prep_id}", user=LARS)
    assert "Jeg vil tale om sparring" in texts_of(lars_view)
    assert texts.PREP_BUTTON_SAVE not in buttons(lars_view)
    [ahmed] = await demo_bot.say(f"samtale vis {prep_id}", user=AHMED)
    assert ahmed.text == texts.PREP_NOT_YOURS
    [lars_writes] = await demo_bot.say(f"samtale noter {prep_id} Lars' egne ord", user=LARS)
    assert lars_writes.text == texts.PREP_NOT_YOURS
    assert await demo_bot.query(select(ConversationPrep.notes)) == [("Jeg vil tale om sparring",)]


async def test_mus_only_to_someone_the_sender_leads_and_never_in_a_group_chat(demo_bot: BotUnderTest) -> None:
    await open_chats(demo_bot, METTE, AHMED, LARS, SOFIE)
    [not_leder] = await demo_bot.say("mus Ahmed", user=METTE)
    assert not_leder.text == texts.PREP_NOT_A_LEDER
    [nobody] = await demo_bot.say("mus Sofie", user=LARS)
    assert nobody.text == texts.PREP_NOBODY.format(role="leder", word="mus")
    [other_unit] = await demo_bot.say("mus mette.hansen@albertslund.dk", user=SOFIE)
    assert other_unit.text == texts.PREP_NOBODY.format(role="leder", word="mus")
    assert await demo_bot.query(select(ConversationPrep.id)) == []

    group = activities.group_conversation("Personalemøde Kirkebjerg")
    before = len(demo_bot.sent_to(METTE))
    in_group = await demo_bot._turn(
        activities.group_message(demo_bot.service_url, "mus Mette", user=LARS, conversation=group)
    )
    assert [s.text for s in in_group] == [texts.PERSONAL_SENT_THERE], "nothing of it in the group chat"
    assert len(demo_bot.sent_to(METTE)) == before + 1
    assert any(s.text == texts.PREP_SENT.format(kind="MUS", name="Mette Hansen") for s in demo_bot.sent_to(LARS))


async def test_mus_to_someone_who_never_wrote_to_the_bot_says_so(demo_bot: BotUnderTest) -> None:
    [answer] = await demo_bot.say("mus Ahmed Khan", user=LARS)
    assert answer.text == texts.PREP_NOT_REACHABLE.format(name="Ahmed Khan")
    assert await demo_bot.query(select(ConversationPrep.id)) == []


async def test_lus_goes_from_the_chef_to_one_of_her_ledere(demo_bot: BotUnderTest) -> None:
    await open_chats(demo_bot, LARS, KARIN, SOFIE, METTE)
    before = len(demo_bot.sent_to(LARS))
    [told] = await demo_bot.say("lus Lars", user=KARIN)
    assert told.text == texts.PREP_SENT.format(kind="LUS", name="Lars Mikkelsen")
    [card] = demo_bot.sent_to(LARS)[before:]
    assert texts.PREP_TITLE.format(kind="LUS") in texts_of(card)
    assert texts.PLAN_A_INDIKATOR_HEADING.format(number=8, perspektiv="Struktur") in texts_of(card)
    [not_chef] = await demo_bot.say("lus Sofie", user=LARS)
    assert not_chef.text == texts.PREP_NOT_A_CHEF
    [medarbejder] = await demo_bot.say("lus Mette", user=KARIN)
    assert medarbejder.text == texts.PREP_NOBODY.format(role="chef", word="lus")


# --- The plakat ---------------------------------------------------------------------------------------------------


async def test_the_plakat_link_gives_the_pdf_to_those_who_may_read_it(demo_bot: BotUnderTest) -> None:
    await demo_bot.say(f"plan a forskel 6 {FORSKEL} <script>alert(1)</script>", user=LARS)
    await demo_bot.say("plan a form En plakat i personalerummet", user=LARS)
    [link] = await demo_bot.say("plan a plakat", user=LARS)
    assert link.text.startswith(texts.PLAN_A_POSTER_READY.split("{")[0])
    url = re.search(r"https?://\S+", link.text)
    assert url is not None
    path = url.group(0).replace(demo_bot.settings.PUBLIC_BASE_URL, "")
    response = await demo_bot.client.get(path)
    assert response.status == 200 and response.content_type == "application/pdf"
    reader = PdfReader(io.BytesIO(await response.read()))
    text = "".join("".join(page.extract_text().split()) for page in reader.pages)
    assert len(reader.pages) == 1, "tests/test_plakat.py reads the plakat in detail"
    for perspektiv in ("Opgaver", "Adfærd", "Struktur"):
        assert perspektiv in text
    assert "Viharhøjtrivseloglavtpersonalefravær" in text  # indikator 6, without its spaces
    assert "".join(FORSKEL.split()) in text
    assert "<script>alert(1)</script>" in text, "shown as the text it is"
    assert "Enplakatipersonalerummet" in text

    # Mette (the unit's medarbejder) may open her own link; Sofie (another unit) gets no page, even with a link.
    [mette] = await demo_bot.say("plan a plakat", user=METTE)
    assert mette.text.startswith(texts.PLAN_A_POSTER_READY.split("{")[0])
    kirkebjerg = await unit_id(demo_bot)
    sofie = export_links.plan_a_link(demo_bot.settings, unit_id=kirkebjerg, person_id=await person_id(demo_bot, SOFIE))
    refused = await demo_bot.client.get(sofie.replace(demo_bot.settings.PUBLIC_BASE_URL, ""))
    assert refused.status == 403 and FORSKEL not in await refused.text()
    [sofie_typed] = await demo_bot.say(f"plan a {kirkebjerg}", user=SOFIE)
    assert sofie_typed.text == texts.PLAN_A_NOT_ALLOWED
    # A link of another kind, or a tampered one, opens nothing.
    token = path.rsplit("/", 1)[1]
    assert (await demo_bot.client.get(f"/exports/{token}")).status == 403
    assert (await demo_bot.client.get(f"/exports/plan-a/{token[:-2]}xx")).status == 403


def test_a_plan_a_at_its_longest_fits_in_a_teams_message() -> None:
    """Eight indikatorer, every text and document at its limit, in Danish: each card stays within the size."""

    long_text = ("Æblerne på øen får en blå ånd " * 100)[:TEXT_MAX]
    document = Document("Å" * DOCUMENT_TITLE_MAX, "https://intra/" + "ø" * (URL_MAX - 14))
    items = tuple(
        IndikatorView(
            n,
            "Adfærd",
            "Å" * 500,
            n <= 3,
            n > 3,
            long_text,
            long_text,
            long_text,
            (document,) * MAX_DOCUMENTS,
            Tip.ACTION_LIST,
        )
        for n in range(1, 9)
    )
    view = PlanAView(1, "Ø" * 200, 2026, long_text, None, None, items, (("Adfærd", ""),), None, None, None)
    cards = [
        plan_card(view=view, rights=Rights(True, True), choices=[(9, "Å" * 500)]),
        edit_card(view=view, item=items[0], tegn=[long_text[:500]] * 8),
        history_card(
            unit_id=1,
            unit_name="Ø" * 200,
            changes=[Change("Æ" * 200, dt.datetime(2026, 12, 1, tzinfo=dt.UTC), 6, Field.FORSKEL, long_text, long_text)]
            * HISTORY_PAGE,
            total=100,
            offset=0,
        ),
        prep_card(
            prep_id=1,
            kind="mus",
            sender_name="L",
            recipient_name="M",
            view=view,
            notes=long_text * 2,
            for_recipient=True,
        ),
    ]
    for built in cards:
        assert utf16_size(built) < MAX_CARD_BYTES


async def test_the_demo_has_one_plan_a_filled_in_and_one_missing(demo_bot: BotUnderTest) -> None:

    assert await seed_database(demo_bot.settings.DATABASE_URL) > 0
    changes = len(await history(demo_bot))
    await seed_database(demo_bot.settings.DATABASE_URL)
    assert len(await history(demo_bot)) == changes, "seeding again changes nothing"
    [lars] = await demo_bot.say("plan a", user=LARS)
    assert DEMO_PLAN_A[6][0] in texts_of(lars) and "28. oktober 2026" in " ".join(texts_of(lars))
    assert DEMO_PLAN_A_STATUS[2] in " ".join(texts_of(lars)), "and a status recorded on indikator 6"
    [sofie] = await demo_bot.say("plan a", user=SOFIE)
    assert texts.PLAN_A_TITLE.format(unit="Herstedlund Skole") in texts_of(sofie)
    assert texts_of(sofie).count(texts.PLAN_A_NOT_WRITTEN) == 6, "three indikatorer, two questions each, unwritten"


async def test_the_units_approved_tegn_are_offered_beside_the_maal_tegn(demo_bot: BotUnderTest) -> None:

    await seed_database(demo_bot.settings.DATABASE_URL)
    approved = await demo_bot.query(
        select(Entry.data).where(
            Entry.kind == EntryKind.TEGN, Entry.status == EntryStatus.APPROVED, Entry.unit_id == await unit_id(demo_bot)
        )
    )
    assert approved, "the demo has approved tegn at Kirkebjerg"
    [form] = await demo_bot.say("plan a tegn 1 Se målplanen", user=LARS)
    shown = texts_of(form)
    assert texts.PLAN_A_MAAL_TEGN_HINT in shown
    assert all(f"• {data['tegn']}" in shown for (data,) in approved)


def test_every_plan_a_and_mus_action_can_be_typed() -> None:
    import bot.handler  # noqa: F401  (the feature modules register their actions on import)
    from turn.table import ACTIONS

    models = [
        payloads.PlanAShow,
        payloads.PlanAEdit,
        payloads.PlanASave,
        payloads.PlanARemoveDocument,
        payloads.PlanAAdd,
        payloads.PlanARemove,
        payloads.PlanAFormEdit,
        payloads.PlanAFormSave,
        payloads.PlanAHistory,
        payloads.PlanAPoster,
        payloads.PrepSend,
        payloads.PrepNotes,
        payloads.PrepShow,
    ]
    for model in models:
        spec = ACTIONS.spec(model.tag())
        assert spec is not None and spec.typed and not spec.execute, model.__name__
