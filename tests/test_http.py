"""The spine over HTTP: the real app, activities posted to /api/messages, replies read from the recording connector."""

from __future__ import annotations

from cards import texts
from cards.payloads import Command
from testkit import activities
from tests.cardtext import card_texts
from tests.conftest import BotUnderTest


async def test_health_and_readiness(bot: BotUnderTest) -> None:
    assert (await bot.client.get("/healthz")).status == 200
    ready = await bot.client.get("/readyz")
    assert ready.status == 200
    assert (await ready.json())["status"] == "ready"


async def test_help_in_personal_chat_replies_with_danish_help_card(bot: BotUnderTest) -> None:
    response = await bot.post(activities.message(bot.service_url, Command.HELP))
    assert response.status == 201
    [welcome, sent] = await bot.connector.wait_for(2)
    assert welcome.text == texts.WELCOME_PERSONAL, "a first message with no install greeting before it is greeted"
    assert sent.conversation_id == "a:personal-29:medarbejder"
    [card] = sent.cards
    assert card["version"] == "1.5"
    shown = card_texts(card)
    assert texts.HELP_TITLE in shown
    assert Command.TEGN in shown and Command.BEGREBER in shown
    assert texts.COMMAND_DESCRIPTIONS[Command.TEGN] in shown
    assert Command.MOEDE not in shown, "møde is for meeting chats, not the personal chat"


async def test_unknown_text_gets_help_with_a_gentle_note(bot: BotUnderTest) -> None:
    await bot.post(activities.message(bot.service_url, "hvad kan du?"))
    [_, sent] = await bot.connector.wait_for(2)
    assert texts.HELP_UNKNOWN_PREFIX in card_texts(sent.cards[0])


async def test_group_message_with_mention_is_understood(bot: BotUnderTest) -> None:
    response = await bot.post(activities.group_message(bot.service_url, Command.HELP))
    assert response.status == 201
    [sent] = await bot.connector.wait_for(1)
    assert sent.conversation_id.startswith("19:group-")
    shown = card_texts(sent.cards[0])
    assert texts.HELP_UNKNOWN_PREFIX not in shown, "the @mention must be stripped before parsing"
    assert f"- {texts.TYPED_FJERN}" in shown, "a group chat's help shows the round's typed forms"


async def test_submit_without_text_is_handled(bot: BotUnderTest) -> None:
    # Teams sends Action.Submit as a message with `value` and text None, without an @mention in channels.
    activity = activities.submit(
        bot.service_url,
        {"action": "command", "command": Command.HELP},
        conversation=activities.group_conversation(),
    )
    assert (await bot.post(activity)).status == 201
    [sent] = await bot.connector.wait_for(1)
    assert sent.cards


async def test_unknown_invoke_verb_gets_a_danish_error_body(bot: BotUnderTest) -> None:
    response = await bot.post(activities.execute(bot.service_url, "no-such-verb"))
    assert response.status == 200
    body = await response.json()
    assert body["type"] == "application/vnd.microsoft.error"
    assert body["value"]["message"] == texts.ERROR_GENERIC


async def test_install_greets_in_danish(bot: BotUnderTest) -> None:
    assert (await bot.post(activities.bot_installed(bot.service_url))).status == 201
    [sent] = await bot.connector.wait_for(1)
    assert sent.text == texts.WELCOME_PERSONAL


async def test_a_person_is_greeted_once_on_install_or_on_the_first_message(bot: BotUnderTest) -> None:
    await bot.post(activities.message(bot.service_url, Command.HELP))
    await bot.post(activities.message(bot.service_url, Command.HELP))
    sent = await bot.connector.wait_for(3)
    assert [s.text for s in sent].count(texts.WELCOME_PERSONAL) == 1, "the first message only"
    bot.connector.sent.clear()
    await bot.post(activities.bot_installed(bot.service_url, user=activities.LARS))
    await bot.post(activities.message(bot.service_url, Command.HELP, user=activities.LARS))
    sent = await bot.connector.wait_for(2)
    assert sent[0].text == texts.WELCOME_PERSONAL
    assert [s.text for s in sent].count(texts.WELCOME_PERSONAL) == 1, "installed and greeted: not again"
    assert len(bot.connector.sent) == 2


async def test_the_welcome_says_in_three_short_lines_what_the_bot_is_for_and_offers_hjaelp() -> None:
    for welcome in (texts.WELCOME_PERSONAL, texts.WELCOME_GROUP):
        lines = welcome.split("\n\n")
        assert len(lines) == 3 and all(len(line) <= 120 for line in lines)
        assert f"{Command.HELP}**" in lines[-1]


async def test_other_tenant_is_refused(bot: BotUnderTest) -> None:
    activity = activities.message(bot.service_url, Command.HELP)
    activity["conversation"]["tenantId"] = "some-other-tenant"
    activity["channelData"]["tenant"]["id"] = "some-other-tenant"
    await bot.post(activity)
    [sent] = await bot.connector.wait_for(1)
    assert sent.text == texts.ERROR_TENANT_NOT_ALLOWED
    assert not sent.cards


async def test_not_json_is_rejected(bot: BotUnderTest) -> None:
    response = await bot.client.post("/api/messages", data="hej", headers={"Content-Type": "text/plain"})
    assert response.status == 415


async def test_with_an_app_id_requests_without_a_valid_token_are_refused(sqlite_url: str, connector) -> None:
    from aiohttp.test_utils import TestClient, TestServer

    from app import create_app
    from tests.conftest import test_settings

    settings = test_settings(sqlite_url, APP_ID="00000000-0000-0000-0000-000000000001", APP_PASSWORD="secret")
    async with TestClient(TestServer(create_app(settings))) as client:
        activity = activities.message(connector.url, Command.HELP)
        missing = await client.post("/api/messages", json=activity)
        assert missing.status == 401
        forged = await client.post("/api/messages", json=activity, headers={"Authorization": "Bearer not-a-jwt"})
        assert forged.status == 401
    assert connector.sent == []
