"""Issue 13's defects, each reproduced through the real app over HTTP: hostile bodies, headers, ids and values."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import update

from app import create_app
from cards import texts
from core.vocabulary import Action
from domain.entries import LONG, SHORT
from storage.models import Person
from testkit import activities
from testkit.connector import RecordingConnector
from tests.cardtext import card_texts, inputs
from tests.conftest import BotUnderTest
from tests.conftest import test_settings as settings_for
from tests.test_approvals import open_chats, propose

APP_ID = "00000000-0000-4000-8000-00000000b07a"
FORGED = "FORGED-LOG-LINE"


def _log_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [line for record in caplog.records for line in record.getMessage().splitlines()]


# --- Log injection and flooding (defect 3) --------------------------------------------------------------------


async def test_an_unauthenticated_conversation_id_cannot_forge_or_flood_the_log(
    sqlite_url: str, connector: RecordingConnector, caplog: pytest.LogCaptureFixture
) -> None:
    settings = settings_for(sqlite_url, APP_ID=APP_ID, APP_PASSWORD="x")
    async with TestClient(TestServer(create_app(settings))) as client:
        activity = activities.message(connector.url, "hjælp")
        activity["conversation"]["id"] = f"x\n{FORGED} everything is fine\r\n" + "A" * 200_000
        with caplog.at_level(logging.INFO):
            response = await client.post("/api/messages", json=activity)
        assert response.status == 401
    lines = _log_lines(caplog)
    assert not [line for line in lines if line.startswith(FORGED)]
    assert max(len(line) for line in lines) < 400, "an outside value is truncated in the log"


async def test_request_bodies_over_the_limit_are_refused_before_anything_is_logged(
    sqlite_url: str, connector: RecordingConnector, caplog: pytest.LogCaptureFixture
) -> None:
    settings = settings_for(sqlite_url, APP_ID=APP_ID, APP_PASSWORD="x")
    async with TestClient(TestServer(create_app(settings))) as client:
        activity = activities.message(connector.url, "hjælp")
        activity["conversation"]["id"] = "B" * 1_000_000
        with caplog.at_level(logging.INFO):
            for _ in range(20):
                assert (await client.post("/api/messages", json=activity)).status == 413
    lines = _log_lines(caplog)
    assert not [line for line in lines if "B" * 100 in line], "no part of a refused body is logged"
    assert not [r for r in caplog.records if r.name.startswith(("bot.", "app"))], "refused before the bot sees it"


async def test_invoke_verb_trigger_type_and_id_are_logged_escaped(
    bot: BotUnderTest, caplog: pytest.LogCaptureFixture
) -> None:
    activity = activities.execute(bot.service_url, f"v\n{FORGED}", trigger=f"t\n{FORGED}")
    activity["id"] = f"id\n{FORGED}"
    with caplog.at_level(logging.INFO):
        response = await bot.post(activity)
        assert response.status == 200
        await bot.post({**activities.message(bot.service_url, "x"), "type": f"ty\n{FORGED}", "id": f"i\n{FORGED}"})
    assert not [line for line in _log_lines(caplog) if line.startswith(FORGED)]


# --- Bodies that are no activity (defect 7) and the media type (defect 10) ------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "null",
        "[]",
        '"text"',
        "42",
        "[" * 10_000 + "]" * 10_000,
        '{"a":' * 10_000 + "1" + "}" * 10_000,
        '{"type": 7}',
        '{"type": "message"}',
        '{"type": "message", "serviceUrl": 5, "conversation": {"id": "c"}}',
        '{"type": "message", "serviceUrl": "http://x/", "conversation": "c"}',
        '{"type": "message", "serviceUrl": "ftp://x/", "conversation": {"id": "c"}}',
        '{"type": "", "serviceUrl": "http://x/", "conversation": {"id": "c"}}',
        "{",
        "\xff\xfe",
    ],
)
async def test_bodies_that_are_no_activity_get_400(bot: BotUnderTest, body: str) -> None:
    response = await bot.client.post("/api/messages", data=body, headers={"Content-Type": "application/json"})
    assert response.status == 400


@pytest.mark.parametrize(
    ("content_type", "status"),
    [
        ("APPLICATION/JSON", 201),
        ("application/json; charset=utf-8", 201),
        ("Application/Json;charset=UTF-8", 201),
        ("text/html; x=application/json", 415),
        ("application/jsonx", 415),
        ("text/plain", 415),
    ],
)
async def test_the_media_type_is_parsed(bot: BotUnderTest, content_type: str, status: int) -> None:
    body = json.dumps(activities.message(bot.service_url, "hjælp"))
    response = await bot.client.post("/api/messages", data=body, headers={"Content-Type": content_type})
    assert response.status == status


# --- The tenant, from both places Teams puts it (defect 10) ---------------------------------------------------


@pytest.mark.parametrize(
    ("conversation_tenant", "channel_data_tenant", "served"),
    [
        ("tenant-albertslund", "tenant-albertslund", True),
        ("tenant-albertslund", None, True),
        (None, "tenant-albertslund", True),
        ("tenant-albertslund", "some-other-tenant", False),
        ("some-other-tenant", "tenant-albertslund", False),
        (None, None, False),
    ],
)
async def test_both_tenant_ids_are_read_and_must_agree(
    bot: BotUnderTest, conversation_tenant: str | None, channel_data_tenant: str | None, served: bool
) -> None:
    activity: dict[str, Any] = activities.message(bot.service_url, "hjælp")
    activity["conversation"].pop("tenantId")
    activity["channelData"] = {}
    if conversation_tenant:
        activity["conversation"]["tenantId"] = conversation_tenant
    if channel_data_tenant:
        activity["channelData"]["tenant"] = {"id": channel_data_tenant}
    assert (await bot.post(activity)).status == 201
    *_, sent = await bot.connector.wait_for(1)  # when served, the first message's greeting comes first
    assert bool(sent.cards) is served, "the help card when served, the tenant refusal otherwise"


# --- No network call inside a unit of work (defect 4) ---------------------------------------------------------


async def test_a_slow_member_lookup_does_not_hold_up_other_peoples_writes(demo_bot: BotUnderTest) -> None:
    # Teams takes its time to say who the newcomer is; meanwhile Mette's and Ahmed's first turns (which write:
    # their conversation is stored) must go through. Before the fix the lookup ran inside the newcomer's unit
    # of work, holding SQLite's write lock, and they waited for Teams.
    teams_answers = asyncio.Event()
    demo_bot.connector.held_members[activities.NEWCOMER.id] = teams_answers
    newcomer = asyncio.ensure_future(demo_bot.say("hjælp", user=activities.NEWCOMER))
    for _ in range(1000):
        if activities.NEWCOMER.id in demo_bot.connector.asked:
            break
        await asyncio.sleep(0.01)
    assert activities.NEWCOMER.id in demo_bot.connector.asked
    others = await asyncio.wait_for(
        asyncio.gather(
            demo_bot.say("hjælp", user=activities.METTE),
            demo_bot.say("tegn", user=activities.AHMED),
        ),
        timeout=20,
    )
    assert all(replies for replies in others)
    assert not newcomer.done(), "the newcomer's turn still waits for Teams"
    teams_answers.set()
    assert await newcomer


# --- A stale form card (defect 6) ------------------------------------------------------------------------------


async def test_a_click_on_a_form_from_an_earlier_flow_gets_the_stale_card_answer(demo_bot: BotUnderTest) -> None:
    picker = (await demo_bot.say("tegn"))[0]
    old_form = (await demo_bot.click(picker, texts.BUTTON_CHOOSE))[0]
    await demo_bot.say("tegn")  # a new flow starts: its first step is the picker again
    replies = await demo_bot.click(old_form, texts.BUTTON_NEXT, tegn="Flere forældre spørger ind til legen")
    shown = [s.text or card_texts(s.cards[0]) for s in replies]
    assert not any(texts.ERROR_GENERIC in text for text in shown)
    assert any(texts.STALE_CARD in text for text in shown), shown


# --- Ids beyond 64 bits (defect 8) and characters no database stores (defect 10) --------------------------------

HUGE = 2**63


def _crashes(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage().splitlines()[0] for r in caplog.records if r.getMessage().startswith("unhandled")]


def _shown(replies: list[Any]) -> list[str]:
    return [
        text for s in replies for text in ([s.text] if s.text else []) + [t for c in s.cards for t in card_texts(c)]
    ]


@pytest.mark.parametrize("too_big", [HUGE, 10**30, -1])
async def test_ids_and_offsets_beyond_64_bits_get_a_danish_answer(
    demo_bot: BotUnderTest, caplog: pytest.LogCaptureFixture, too_big: int
) -> None:
    with caplog.at_level(logging.INFO):
        picker = (await demo_bot.say("tegn"))[0]
        shown = _shown(await demo_bot.click(picker, texts.BUTTON_CHOOSE, maal_id=too_big))
        assert texts.ERROR_CHOOSE_ONE in shown, "the picker again, with a Danish message"
        for value in (
            {"action": "mine_more", "offset": too_big},
            {"action": "edit_entry", "entry_id": too_big},
            {"action": "export", "maalplan_id": too_big},
            {"action": "pick_unit", "flow": "tegn", "unit_id": too_big},
            {"action": "pick_ph", "flow": "laering", "proevehandling_id": too_big},
            {"action": "tegn_form", "flow": "tegn", "proevehandling_id": too_big, "tegn": "x" * 20},
        ):
            replies = await demo_bot._turn(activities.submit(demo_bot.service_url, value, user=activities.METTE))
            assert texts.ERROR_GENERIC not in _shown(replies), value
        for verb, data in (
            ("refresh", {"entry_id": too_big}),
            ("decide", {"entry_id": too_big, "decision": "recommend", "version": 1}),
            ("decide", {"entry_id": too_big, "decision": "recommend", "version": 1, "comment": "x" * 2000}),
            ("withdraw", {"entry_id": 1, "version": too_big}),
        ):
            body = await demo_bot.execute(verb, data, user=activities.METTE)
            assert body["statusCode"] != 500, (verb, data)
    assert _crashes(caplog) == []


async def test_a_lone_surrogate_is_refused_with_the_input_kept(demo_bot: BotUnderTest) -> None:
    picker = (await demo_bot.say("tegn"))[0]
    form = (await demo_bot.click(picker, texts.BUTTON_CHOOSE))[0]
    [again] = await demo_bot.click(form, texts.BUTTON_NEXT, tegn="Forældre spørger \ud800 ind", maalgruppe="Forældre")
    shown = card_texts(again.cards[0])
    assert texts.ERROR_INVALID_CHARACTER in shown
    kept = inputs(again.cards[0])
    assert kept["maalgruppe"] == "Forældre", "every other typed value is kept"
    assert kept["tegn"] == "Forældre spørger \ufffd ind", "and the text itself, with the broken character marked"


async def test_a_display_name_with_a_lone_surrogate_is_stored(
    demo_bot: BotUnderTest, caplog: pytest.LogCaptureFixture
) -> None:
    activity = activities.message(demo_bot.service_url, "hjælp", user=activities.NEWCOMER)
    activity["from"]["name"] = "Nanna \ud800 Ny" + "n" * 1000
    with caplog.at_level(logging.INFO):
        replies = await demo_bot._turn(activity)
    assert replies and texts.ERROR_GENERIC not in _shown(replies)
    assert _crashes(caplog) == []


# --- Names are shown literally (defect 9) -----------------------------------------------------------------------

HOSTILE_NAME = "**Chefen** [godkend her](https://evil.example)"


def _markdown_texts(node: object) -> Iterator[str]:
    """Every string Teams would render as markdown: TextBlock texts and FactSet values."""
    if isinstance(node, dict):
        if node.get("type") == "TextBlock" and isinstance(node.get("text"), str):
            yield node["text"]
        if node.get("type") == "FactSet":
            yield from (str(fact.get("value", "")) for fact in node.get("facts", []))
        for child in node.values():
            yield from _markdown_texts(child)
    elif isinstance(node, list):
        for child in node:
            yield from _markdown_texts(child)


def _literal_texts(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        if node.get("type") == "TextRun":
            yield str(node.get("text", ""))
        for child in node.values():
            yield from _literal_texts(child)
    elif isinstance(node, list):
        for child in node:
            yield from _literal_texts(child)


async def test_display_names_are_never_rendered_as_markdown(demo_bot: BotUnderTest) -> None:
    await open_chats(demo_bot, activities.METTE, activities.LARS)
    await demo_bot.query(update(Person).values(display_name=HOSTILE_NAME))
    entry_id = await propose(demo_bot)
    await demo_bot.settle()
    decision = {"entry_id": entry_id, "decision": Action.SEND_BACK, "version": 1, "comment": "Hvem er målgruppen?"}
    decided = await demo_bot.execute("decide", decision, user=activities.LARS)
    again = await demo_bot.execute("decide", decision, user=activities.LARS)  # "already decided by <name>"
    await demo_bot.settle()
    mine = await demo_bot.say("mine")
    cards = [c for s in demo_bot.connector.sent for c in s.cards] + [decided["value"], again["value"]]
    cards += [c for s in mine for c in s.cards]
    assert len(cards) >= 5
    assert not [t for c in cards for t in _markdown_texts(c) if "evil.example" in t]
    shown_literally = [t for c in cards for t in _literal_texts(c) if HOSTILE_NAME in t]
    assert len(shown_literally) >= 5, "approval card, owner's news, history, notice and mine show the name as is"


# --- A card Teams refuses as too large (defect 10) ----------------------------------------------------------------


async def test_a_card_teams_refuses_as_too_large_keeps_the_input_and_the_step(demo_bot: BotUnderTest) -> None:
    picker = (await demo_bot.say("tegn"))[0]
    form = (await demo_bot.click(picker, texts.BUTTON_CHOOSE))[0]
    arabic = "ب" * LONG
    demo_bot.connector.fail(activities.personal_conversation(activities.METTE)["id"], 413)
    replies = await demo_bot.click(form, texts.BUTTON_NEXT, tegn=arabic, maalgruppe="ب" * SHORT)
    assert [s.text for s in replies] == [texts.ERROR_CARD_TOO_LARGE], "told in Danish, no generic error"
    # The form is still on the screen with everything typed; the next click (Teams accepts it now) goes on.
    [check] = await demo_bot.click(form, texts.BUTTON_NEXT, tegn=arabic, maalgruppe="ب" * SHORT)
    shown = card_texts(check.cards[0])
    assert arabic in shown and texts.BUTTON_SEND in shown
