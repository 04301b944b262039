"""Eksempel rules without the bot: the selection policy, the coaching, the selection stages in the organisation file,
outcomes recorded on both databases (also two at once), the export builder and the xlsx writer."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from cards import texts
from cards.base import MAX_CARD_BYTES, card_json
from cards.eksempel import eksempel_check_card, eksempel_form_card, grundlag_card, tema_picker_card
from cards.selection import PAGE_SIZE, selection_list_card, selection_news_card
from cards.workbooks import eksempel_workbook
from cards.xlsx import Table, sheet_name, workbook
from core.vocabulary import Action, EksempelTip, EntryKind, EntryStatus, Niveau, Role, Tema, UnitKind
from domain.actor import Actor
from domain.coaching import eksempel_tip
from domain.eksempel_export import UnitRow, build_export
from domain.eksempler import EksempelItem, ListFilter, Outcome, record_outcomes, selection_of, submit_eksempel
from domain.entries import LONG, SHORT, EksempelData
from domain.policy import (
    DEFAULT_SELECTION,
    EntryFacts,
    NotAllowed,
    SelectionStage,
    mark_film,
    policy_for,
    record_outcome,
    selection_policy_for,
)
from storage import repo
from storage.models import Decision, Person
from storage.orgfile import OrgFileError, import_file, import_org, parse

DEMO = Path(__file__).resolve().parents[1] / "demo" / "organisation.yaml"
ROUTE = (Role.LEDER, Role.INDSAMLER)
PATH = (3, 2, 1)
MEDARBEJDER = Actor(10, unit_id=3)
LEDER = Actor(11, unit_id=3, roles=frozenset({(Role.LEDER, 3)}))
INDSAMLER = Actor(14, roles=frozenset({(Role.INDSAMLER, None)}))
ARBEJDSGRUPPEN, CHEFFORUM, KOMMUNEMED = "arbejdsgruppen", "Chefforum", "KommuneMED"


def eksempel(status: EntryStatus, stage: int = 1) -> EntryFacts:
    return EntryFacts(status, stage, 10, PATH, EntryKind.EKSEMPEL)


# --- Policy --------------------------------------------------------------------------------------------------------


def test_a_leder_sends_an_eksempel_on_or_back_and_the_indsamler_receives_it() -> None:
    assert policy_for(ROUTE, eksempel(EntryStatus.PENDING, 0), LEDER).decisions == (Action.RECOMMEND, Action.SEND_BACK)
    at_indsamler = policy_for(ROUTE, eksempel(EntryStatus.PENDING, 1), INDSAMLER).decisions
    assert at_indsamler == (Action.APPROVE, Action.SEND_BACK, Action.REJECT)


def test_only_an_indsamler_works_the_selection_and_only_on_what_she_has() -> None:
    for nobody in (MEDARBEJDER, LEDER):
        policy = selection_policy_for(ROUTE, DEFAULT_SELECTION, eksempel(EntryStatus.APPROVED), nobody)
        assert not policy.may_record and not policy.may_mark_film
    waiting_for_leder = selection_policy_for(ROUTE, DEFAULT_SELECTION, eksempel(EntryStatus.PENDING, 0), INDSAMLER)
    assert not waiting_for_leder.may_record, "the leder has not sent it on yet"
    for received in (eksempel(EntryStatus.PENDING, 1), eksempel(EntryStatus.APPROVED)):
        policy = selection_policy_for(ROUTE, DEFAULT_SELECTION, received, INDSAMLER)
        assert [s.stage for s in policy.stages] == [SelectionStage.UDVAELGELSE] and policy.may_mark_film


def test_the_fora_decide_in_turn_and_the_last_outcome_can_be_corrected() -> None:
    selected = selection_policy_for(ROUTE, DEFAULT_SELECTION, eksempel(EntryStatus.SELECTED), INDSAMLER)
    assert [s.stage for s in selected.stages] == [SelectionStage.UDVAELGELSE, SelectionStage.KVALIFICERING]
    stopped = selection_policy_for(ROUTE, DEFAULT_SELECTION, eksempel(EntryStatus.NOT_SELECTED), INDSAMLER)
    assert [s.stage for s in stopped.stages] == [SelectionStage.UDVAELGELSE]
    adopted = selection_policy_for(ROUTE, DEFAULT_SELECTION, eksempel(EntryStatus.ADOPTED), INDSAMLER)
    assert [s.stage for s in adopted.stages] == [SelectionStage.GODKENDELSE]

    facts = eksempel(EntryStatus.APPROVED)
    outcome = record_outcome(
        ROUTE, DEFAULT_SELECTION, facts, INDSAMLER, outcome=EntryStatus.SELECTED, forum=ARBEJDSGRUPPEN
    )
    assert outcome.status is EntryStatus.SELECTED
    with pytest.raises(NotAllowed):  # KommuneMED cannot approve what the arbejdsgruppe has not selected
        record_outcome(ROUTE, DEFAULT_SELECTION, facts, INDSAMLER, outcome=EntryStatus.ADOPTED, forum=KOMMUNEMED)
    with pytest.raises(NotAllowed):  # a forum the organisation does not name for the stage
        record_outcome(ROUTE, DEFAULT_SELECTION, facts, INDSAMLER, outcome=EntryStatus.SELECTED, forum=CHEFFORUM)
    with pytest.raises(NotAllowed):
        record_outcome(ROUTE, DEFAULT_SELECTION, facts, LEDER, outcome=EntryStatus.SELECTED, forum=ARBEJDSGRUPPEN)
    with pytest.raises(NotAllowed):
        mark_film(ROUTE, DEFAULT_SELECTION, facts, MEDARBEJDER)


def test_a_selection_without_the_qualifying_stage_goes_straight_to_kommunemed() -> None:
    short = (DEFAULT_SELECTION[0], DEFAULT_SELECTION[2])
    policy = selection_policy_for(ROUTE, short, eksempel(EntryStatus.SELECTED), INDSAMLER)
    assert [s.stage for s in policy.stages] == [SelectionStage.UDVAELGELSE, SelectionStage.GODKENDELSE]


# --- Coaching ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tip"),
    [
        ("Vi har tillid til hinanden", EksempelTip.VALUE),
        (
            "Vi er modige og ærlige over for hinanden, også når det er svært at sige det højt til kollegerne",
            EksempelTip.VALUE,
        ),
        ("Vi respekterer hinanden.", EksempelTip.VALUE),
        ("Vi skal være modige", EksempelTip.INTENTION),
        (
            "Jeg vil gerne være bedre til at lytte til borgerne, når de ringer ind med spørgsmål om deres sag",
            EksempelTip.INTENTION,
        ),
        ("Vi hjælper hinanden", EksempelTip.TOO_SHORT),
        (
            "Når en kollega er syg, fordeler vi opgaverne på morgenmødet, så borgerne ikke mærker det.",
            None,
        ),
        (
            "Vi har en fast aftale om, at den der tager telefonen, også følger borgerens sag til den er løst.",
            None,
        ),
    ],
)
def test_the_coaching_flags_values_intentions_and_short_texts(text: str, tip: EksempelTip | None) -> None:
    assert eksempel_tip(text) is tip


# --- The organisation file -----------------------------------------------------------------------------------------


async def test_the_selection_stages_come_from_the_organisation_file(
    database_url: str, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await import_file(database_url, DEMO)
    async with sessionmaker() as session:
        assert await selection_of(session) == DEFAULT_SELECTION
    again = await import_file(database_url, DEMO)
    assert not again.changed
    edited = DEMO.read_text(encoding="utf-8").replace(
        "  - stage: kvalificering\n    fora: [Chefforum, Direktørforum]\n", ""
    )
    async with sessionmaker.begin() as session:
        await import_org(session, parse(edited))
    async with sessionmaker() as session:
        assert [s.stage for s in await selection_of(session)] == [
            SelectionStage.UDVAELGELSE,
            SelectionStage.GODKENDELSE,
        ]


def test_selection_stages_out_of_order_are_refused_with_the_line() -> None:
    text = DEMO.read_text(encoding="utf-8").replace("stage: udvaelgelse", "stage: godkendelse", 1)
    with pytest.raises(OrgFileError, match="selection: each stage once"):
        parse(text)


# --- Outcomes on both databases ------------------------------------------------------------------------------------


async def _people(session: AsyncSession) -> dict[str, Actor]:
    people = {}
    for email in ("mette.hansen@albertslund.dk", "lars.mikkelsen@albertslund.dk", "stinne.gronne@albertslund.dk"):
        person = await repo.person_by_email(session, email)
        assert person is not None
        people[email.split(".")[0]] = Actor.of(person)
    return people


async def test_outcomes_are_recorded_once_even_when_two_arrive_at_once(
    database_url: str, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await import_file(database_url, DEMO)
    async with sessionmaker.begin() as session:
        people = await _people(session)
        mette = people["mette"]
        assert mette.unit_id is not None
        data = EksempelData(tema=Tema.MOD, niveau=Niveau.MEDARBEJDER, eksempel="Vi siger det højt, når vi er uenige.")
        submitted = await submit_eksempel(session, actor=mette, unit_id=mette.unit_id, data=data, idempotency_key="k1")
        again = await submit_eksempel(session, actor=mette, unit_id=mette.unit_id, data=data, idempotency_key="k1")
        assert submitted.created and not again.created and again.entry.id == submitted.entry.id
        assert submitted.notification_ids, "the leder's approval card is queued"
    entry_id = submitted.entry.id

    async def select_it() -> tuple[int, ...]:
        async with sessionmaker.begin() as session:
            stinne = (await _people(session))["stinne"]
            result = await record_outcomes(
                session,
                actor=stinne,
                entry_ids=[entry_id],
                outcome=EntryStatus.SELECTED,
                forum=ARBEJDSGRUPPEN,
                occurred_on=dt.date(2026, 11, 3),
            )
            return result.changed

    # Not yet sent on by the leder: refused.
    assert await select_it() == ()
    async with sessionmaker.begin() as session:
        entry = await repo.get_entry(session, entry_id)
        assert entry is not None
        await repo.record_decision(
            session,
            entry=entry,
            expected_version=entry.version,
            actor_id=people["lars"].person_id,
            action=Action.RECOMMEND,
            to_status=EntryStatus.PENDING,
            to_stage=1,
        )
    results = await asyncio.gather(select_it(), select_it(), return_exceptions=True)
    changed = [r for r in results if r == (entry_id,)]
    assert len(changed) == 1, results
    async with sessionmaker() as session:
        count = await session.scalar(
            select(func.count()).select_from(Decision).where(Decision.action == Action.RECORD_OUTCOME)
        )
        assert count == 1
        owner_and_leder = await session.scalar(select(func.count()).select_from(Person))
        assert owner_and_leder


# --- The export ----------------------------------------------------------------------------------------------------


def test_the_export_of_ten_thousand_eksempler() -> None:
    units = {1: UnitRow(1, "Center for Dagtilbud og Skole", UnitKind.AFDELING, None)}
    units |= {i: UnitRow(i, f"Arbejdsplads {i}", UnitKind.ARBEJDSPLADS, 1) for i in range(2, 102)}
    text = "Når en kollega er syg, fordeler vi opgaverne på morgenmødet, så borgerne ikke mærker det."
    temaer = list(Tema)
    rows = [
        (
            n,
            {"tema": temaer[n % 4].value, "niveau": Niveau.LEDER.value, "eksempel": text, "team": "Stue 2" * (n % 2)},
            EntryStatus.SELECTED if n % 3 else EntryStatus.APPROVED,
            dt.datetime(2026, 10, 31, 23, 30, tzinfo=dt.UTC),
            "Mette Hansen",
            2 + n % 50,
        )
        for n in range(1, 10_001)
    ]
    # The rows are the eksempler received (arbejdspladser 2–51); the missing units are domain.eksempel_status's.
    missing = list(range(101, 51, -1))
    export = build_export(rows, {1: (ARBEJDSGRUPPEN, dt.date(2026, 11, 3))}, units, {60: ["Lars Mikkelsen"]}, missing)
    assert len(export.eksempler) == 10_000
    assert export.eksempler[0].sent_on == dt.date(2026, 11, 1), "the day it was sent in Copenhagen"
    assert export.eksempler[0].fra == "Arbejdsplads 3 – Stue 2" and export.eksempler[1].fra == "Arbejdsplads 4"
    assert [u.name for u in export.silent_units][:2] == ["Arbejdsplads 100", "Arbejdsplads 101"], "by name"
    assert len(export.silent_units) == 50
    assert all(u.name not in ("Arbejdsplads 2", "Arbejdsplads 51") for u in export.silent_units)
    _, content = eksempel_workbook(export)
    book = load_workbook(io.BytesIO(content), read_only=True)
    assert book.sheetnames == [
        *texts.TEMA_LABELS.values(),
        texts.EKSEMPEL_EXPORT_SHEET_SILENT,
    ]
    rows = {label: sum(1 for _ in book[label].iter_rows(min_row=2)) for label in texts.TEMA_LABELS.values()}
    assert sum(rows.values()) == 10_000, "each eksempel once, on its tema's sheet"
    assert rows[texts.TEMA_LABELS[Tema.MOD]] == 2_500


def test_the_xlsx_writer_keeps_odd_text_and_names_sheets_excel_accepts() -> None:
    taken: set[str] = set()
    assert sheet_name("Mod", taken) == "Mod" and sheet_name("mod", taken) == "mod (2)"
    assert sheet_name("a/b:c" + "x" * 40, set()) == ("a b c" + "x" * 40)[:31]
    odd = "Tab\there & <tag> \"citat\" 'æøå' \x07bell  "
    content = workbook(
        [
            Table(
                "Børn's ark",
                ["Tekst", "Tal", "Dato", "Ja"],
                [[odd, 3, dt.date(2026, 11, 1), True], [None, 1.5, None, False]],
            )
        ]
    )
    sheet = load_workbook(io.BytesIO(content))["Børn's ark"]
    assert sheet["A2"].value == odd.replace("\x07", "")
    assert sheet["B2"].value == 3 and sheet["C2"].value == dt.datetime(2026, 11, 1) and sheet["D2"].value is True
    assert sheet["A3"].value is None and sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:D3"


# --- Card sizes ----------------------------------------------------------------------------------------------------


def _item(number: int) -> EksempelItem:
    return EksempelItem(
        id=number,
        version=3,
        tema=Tema.HELHED,
        niveau=Niveau.MEDARBEJDER,
        eksempel="æ" * LONG,
        situation="ø" * LONG,
        fra="Å" * 200 + " – " + "T" * SHORT,
        owner_name="N" * 200,
        unit_name="U" * 200,
        afdeling_name="A" * 200,
        status=EntryStatus.SELECTED,
        waiting_for=None,
        film_kandidat=True,
        created_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
        outcome=Outcome(EntryStatus.SELECTED, "F" * 100, dt.date(2026, 11, 3)),
        similar=(100_001, 100_002, 100_003),
    )


@pytest.mark.parametrize("name", ["list", "grundlag", "news", "check", "form", "tema"])
def test_the_eksempel_cards_stay_under_the_message_limit_full(name: str) -> None:
    items = [_item(100_000 + n) for n in range(PAGE_SIZE)]
    many_fora = tuple((s.__class__(s.stage, tuple("F" * 100 + str(i) for i in range(4)))) for s in DEFAULT_SELECTION)
    data = EksempelData(tema=Tema.MOD, niveau=Niveau.LEDER, eksempel="æ" * LONG, situation="ø" * LONG, team="t" * SHORT)
    built = {
        "list": lambda: selection_list_card(
            items=items,
            total=5000,
            offset=20,
            shown=ListFilter(grouped=True),
            selection=many_fora,
            groups=[tuple(i.id for i in items)],
            today=dt.date(2026, 11, 23),
            notice="n" * 500,
            values={"comment": "c" * 1000},
            errors={"": "e"},
        ),
        "grundlag": lambda: grundlag_card(grundlag={t: {n: items * 3 for n in Niveau} for t in Tema}, tema=Tema.HELHED),
        "news": lambda: selection_news_card(item=items[0], for_owner=False),
        "check": lambda: eksempel_check_card(
            flow="eksempel", step=(4, 4), key="k" * 32, data=data, fra="F" * 400, tip=EksempelTip.VALUE
        ),
        "form": lambda: eksempel_form_card(
            flow="eksempel",
            step=(3, 4),
            tema=Tema.MOD,
            niveau=Niveau.LEDER,
            writer="W" * 200,
            unit_name="U" * 200,
            values=data.model_dump(mode="json"),
            errors={"eksempel": texts.ERROR_REQUIRED},
        ),
        "tema": lambda: tema_picker_card(flow="eksempel", step=(1, 4), errors={"tema": "e"}),
    }[name]()
    # On the wire every non-ASCII character is escaped as \uXXXX (msrest): measure it that way.
    size = len(json.dumps(card_json(built), ensure_ascii=False).encode("utf-8"))
    assert size < MAX_CARD_BYTES, f"{name}: {size} bytes"
