"""Cards at their limits: every card stays well under Teams' 40 KB message limit, in schema 1.5, in Danish."""

from __future__ import annotations

import datetime as dt

import pytest

from cards import texts
from cards.approval import entry_card, owner_news_card
from cards.base import MAX_CARD_BYTES, utf16_size
from cards.begreber import begreber_card
from cards.danish import date, datetime
from cards.laering import laering_check_card, laering_form_card
from cards.mine import mine_card
from cards.pickers import maal_picker_card
from cards.tegn import tegn_check_card, tegn_form_card
from core.vocabulary import Action, EntryKind, EntryStatus, Role
from domain.actor import Actor
from domain.entries import LONG, MEDIUM, SHORT
from domain.policy import EntryPolicy
from domain.views import DecisionView, EntryView, MaalView, ProevehandlingView
from turn.help import help_for

NOW = dt.datetime(2026, 11, 22, 9, 30, tzinfo=dt.UTC)
MAAL = MaalView(
    id=1,
    title="M" * 500,
    maalsaetning="S" * 1000,
    politik="P" * 300,
    maalplan_title="Målplan 2026 – Dagtilbud Kirkebjerg",
    unit_name="Dagtilbud Kirkebjerg",
    proevehandlinger=tuple(ProevehandlingView(i, "T" * 500) for i in range(10)),
)
FULL_LAERING = {
    "evaluering": "afsluttende",
    "hvad_gjorde_vi": "x" * LONG,
    "tegn_set": "x" * LONG,
    "effekt": "x" * LONG,
    "laering": "x" * LONG,
    "beslutning": "juster",
    "tvaerfaglighed": "samskabelses",
    "borgerinddragelse": True,
}


# Every typed value at its maximum length, in ASCII, in Danish letters and in Arabic script.
LETTERS = {"ascii": "x", "danish": "æ", "arabic": "ب"}


CHEF_TURN = EntryPolicy(
    may_see=True,
    is_owner=False,
    decisions=(Action.APPROVE, Action.SEND_BACK, Action.REJECT),
    last_stage=True,
    may_withdraw=False,
    may_edit=False,
    waiting_for=Role.CHEF,
)
OWNER_SENT_BACK = EntryPolicy(
    may_see=True, is_owner=True, decisions=(), last_stage=True, may_withdraw=True, may_edit=True, waiting_for=None
)


def entry(kind: EntryKind, data: dict, decisions: int) -> EntryView:
    return EntryView(
        id=12345,
        kind=kind,
        status=EntryStatus.PENDING,
        stage=1,
        waiting_for=Role.CHEF,
        version=decisions + 1,
        owner_name="Mette Hansen",
        unit_name="Dagtilbud Kirkebjerg",
        maal_title="M" * 500,
        maalplan_title="Målplan 2026",
        proevehandling_title="T" * 500,
        created_at=NOW,
        data=data,
        decisions=tuple(DecisionView(Action.SEND_BACK, "Lars Mikkelsen", NOW, "c" * 1000) for _ in range(decisions)),
    )


@pytest.mark.parametrize("script", list(LETTERS))
@pytest.mark.parametrize(
    "name",
    [
        "help",
        "begreber",
        "maal_picker",
        "tegn_form",
        "tegn_check",
        "laering_form",
        "laering_check",
        "mine",
        "approval",
        "owner_news",
    ],
)
def test_cards_stay_under_the_message_limit_with_every_field_full(name: str, script: str) -> None:
    x = LETTERS[script]
    values = {"tegn": x * LONG, "maalgruppe": x * SHORT, "opfoelgning": x * MEDIUM}
    full_laering = {k: x * len(v) if isinstance(v, str) and set(v) == {"x"} else v for k, v in FULL_LAERING.items()}
    tegn_data = {**values, "datatype": "begge", "proevehandling_id": 3}
    built = {
        "help": lambda: help_for(Actor(1), in_group=True, unknown_text=True),
        "begreber": begreber_card,
        "maal_picker": lambda: maal_picker_card(
            flow=EntryKind.TEGN,
            title="t",
            intro="i",
            maal=[MAAL] * 12,
            whole_afdeling=True,
            year=2026,
            step=(1, 3),
            errors={},
        ),
        "tegn_form": lambda: tegn_form_card(
            flow=EntryKind.TEGN, step=(2, 3), maal=MAAL, values=values, errors={"tegn": texts.ERROR_REQUIRED}
        ),
        "tegn_check": lambda: tegn_check_card(
            flow=EntryKind.TEGN, step=(3, 3), key="k" * 32, maal=MAAL, data=tegn_data, coach=True
        ),
        "laering_form": lambda: laering_form_card(
            flow=EntryKind.LAERING,
            step=(3, 4),
            maal=MAAL,
            proevehandling_title="T" * 500,
            proevehandling={},
            values=full_laering,
            errors={},
        ),
        "laering_check": lambda: laering_check_card(
            flow=EntryKind.LAERING,
            step=(4, 4),
            key="k" * 32,
            maal=MAAL,
            proevehandling_title="T" * 500,
            data=full_laering,
        ),
        "mine": lambda: mine_card(entries=[entry(EntryKind.LAERING, full_laering, 30)] * 10, offset=0, total=40),
        "approval": lambda: entry_card(
            view=entry(EntryKind.LAERING, full_laering, 30), policy=CHEF_TURN, notice="n" * 200
        ),
        "owner_news": lambda: owner_news_card(view=entry(EntryKind.LAERING, full_laering, 30), policy=OWNER_SENT_BACK),
    }[name]()
    assert built.version == "1.5"
    assert utf16_size(built) < MAX_CARD_BYTES, f"{name}: {utf16_size(built)} bytes of UTF-16"


def test_danish_dates_in_copenhagen_time() -> None:
    assert date(dt.date(2024, 11, 1)) == "1. november 2024"
    # 23:30 UTC on 31 October is already 1 November in Copenhagen (winter time, UTC+1).
    assert date(dt.datetime(2024, 10, 31, 23, 30, tzinfo=dt.UTC)) == "1. november 2024"
    assert datetime(dt.datetime(2024, 7, 1, 12, 5, tzinfo=dt.UTC)) == "1. juli 2024 kl. 14:05"
