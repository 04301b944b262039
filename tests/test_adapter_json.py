"""Replies as JSON through aiohttp (bot/platform/http.py, workaround 10): the same bytes msrest would send, the same
retries, the same errors, over the real app and the recording connector."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from botbuilder.core import BotAdapter, CardFactory, MessageFactory, TurnContext
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    CardAction,
    ChannelAccount,
    ConversationReference,
    Mention,
    ResourceResponse,
    SuggestedActions,
    TextFormatTypes,
)
from botframework.connector import models
from botframework.connector.auth import MicrosoftAppCredentials
from msrest import Serializer
from msrest.exceptions import DeserializationError

from bot.platform.http import ConnectorError, _authorization
from bot.platform.wire import json_default, model_json
from cards import texts
from domain import clock
from testkit import activities
from testkit.connector import only
from tests.cardtext import card_texts
from tests.conftest import BotUnderTest

DANISH_CARD = {
    "type": "AdaptiveCard",
    "version": "1.5",
    "body": [
        {"type": "TextBlock", "text": "Tak! Dit tegn er sendt – læs mere om mål og prøvehandlinger", "wrap": True}
    ],
    "actions": [{"type": "Action.Submit", "title": "Videre", "data": {"action": "send", "n": 1, "ok": True}}],
}


def _reply(incoming: dict[str, Any], outgoing: Activity) -> Activity:
    reference = TurnContext.get_conversation_reference(Activity().deserialize(incoming))
    return TurnContext.apply_conversation_reference(outgoing, reference)


def _activities() -> list[Activity]:
    url = "http://127.0.0.1:1/"
    incoming = activities.message(url, "hjælp", user=activities.METTE)
    group = activities.group_message(url, "tegn", user=activities.LARS)
    update = _reply(incoming, MessageFactory.attachment(CardFactory.adaptive_card(DANISH_CARD)))
    update.id = "msg-7"
    mention = _reply(group, MessageFactory.text("Hej <at>Lars</at>"))
    mention.entities = [
        Mention(mentioned=ChannelAccount(id="29:lars", name="Lars"), text="<at>Lars</at>", type="mention")
    ]
    return [
        _reply(incoming, MessageFactory.text("Hej æøå ÆØÅ – “citat”")),
        _reply(incoming, MessageFactory.attachment(CardFactory.adaptive_card(DANISH_CARD))),
        update,
        mention,
        Activity(
            type=ActivityTypes.message,
            text="valg",
            text_format=TextFormatTypes.plain,
            timestamp=dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC),
            channel_data={"notification": {"alert": True}, "tenant": {"id": "t"}},
            value={"a": [1, 2.5, None, "x"]},
            suggested_actions=SuggestedActions(actions=[CardAction(type="imBack", title="Ja", value="ja")]),
        ),
    ]


@pytest.mark.parametrize("activity", _activities(), ids=["text", "card", "update", "mention", "fields"])
def test_the_json_is_what_msrest_would_send(activity: Activity) -> None:
    # What ConversationsOperations.reply_to_activity puts in the request body.
    msrest = Serializer({k: v for k, v in models.__dict__.items() if isinstance(v, type)}).body(activity, "Activity")
    sent = json.dumps(model_json(activity), default=json_default)
    assert sent == json.dumps(msrest)
    assert json.loads(sent) == msrest


def test_an_app_id_signs_the_request_and_an_anonymous_bot_does_not() -> None:
    class Credentials(MicrosoftAppCredentials):
        def get_access_token(self, force_refresh: bool = False) -> str:
            return "token-1"

    class Client:
        class config:
            credentials: Any = None

    Client.config.credentials = Credentials("app-id", "secret")
    assert _authorization(Client()) == "Bearer token-1"  # type: ignore[arg-type]
    Client.config.credentials = MicrosoftAppCredentials("", "")
    assert _authorization(Client()) is None  # type: ignore[arg-type]


@pytest.fixture
def recorded_sleeps() -> Any:
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    clock.set_sleep(sleep)
    yield slept
    clock.set_sleep(None)


async def test_a_reply_is_retried_on_a_gateway_error_as_msrest_retries_it(
    demo_bot: BotUnderTest, recorded_sleeps: list[float]
) -> None:
    conversation = activities.personal_conversation(activities.METTE)["id"]
    demo_bot.connector.fail(conversation, 503, 502)
    [help_card] = await demo_bot.say("hjælp")
    assert texts.HELP_TITLE in card_texts(help_card.cards[0])
    assert recorded_sleeps == [0.0, 0.8], "msrest's backoff: at once, then 0.8 s"


async def test_a_refused_reply_fails_the_turn_like_msrest_and_the_card_update_works(
    demo_bot: BotUnderTest, recorded_sleeps: list[float]
) -> None:
    picker = only(await demo_bot.say("tegn"))
    form = only(await demo_bot.click(picker, "Vælg"))
    assert form.method == "PUT" and form.activity_id == picker.message_id, "the update goes to the clicked card"
    conversation = activities.personal_conversation(activities.METTE)["id"]
    demo_bot.connector.fail(conversation, 400)
    # The help card is refused: the turn fails, and the error handler's message goes through instead.
    sent = await demo_bot.say("hjælp")
    assert [s.text for s in sent] == [texts.ERROR_GENERIC]
    assert recorded_sleeps == [], "a 400 is not retried"


async def test_connector_errors_carry_the_status_and_headers_as_msrests_do() -> None:
    error = ConnectorError(429, {"Retry-After": "2"}, "{}")
    assert error.response.status_code == 429 and error.response.headers["Retry-After"] == "2"
    assert "429" in str(error)


@pytest.mark.parametrize("incoming", [activities.message, activities.group_message], ids=["personal", "group"])
def test_stored_conversation_references_are_what_msrest_serializes(incoming: Any) -> None:
    activity = Activity().deserialize(incoming("http://127.0.0.1:1/", "hjælp", user=activities.LARS))
    reference = TurnContext.get_conversation_reference(activity)
    reference.activity_id = None
    assert json.loads(json.dumps(model_json(reference), default=json_default)) == reference.serialize()


@pytest.mark.parametrize("incoming", [activities.message, activities.group_message], ids=["personal", "group"])
def test_stored_conversation_references_are_read_back_as_msrest_reads_them(incoming: Any) -> None:
    from bot.platform.wire import conversation_reference_from_json

    activity = Activity().deserialize(incoming("http://127.0.0.1:1/", "hjælp", user=activities.LARS))
    stored = json.loads(json.dumps(TurnContext.get_conversation_reference(activity).serialize()))
    stored["conversation"]["tenantId"] = "tenant-albertslund"  # Teams' spelling: kept aside, as msrest keeps it
    expected = _tree(ConversationReference().deserialize(json.loads(json.dumps(stored))))
    assert _tree(conversation_reference_from_json(stored)) == expected
    odd = {**stored, "user": "not an account"}
    with pytest.raises(DeserializationError):  # msrest refuses it, and so does the fast path (it hands it on)
        ConversationReference().deserialize(odd)
    with pytest.raises(DeserializationError):
        conversation_reference_from_json(odd)


def _tree(value: Any) -> Any:
    """A model as nested (class name, attributes) tuples, to compare two object graphs exactly."""
    if hasattr(value, "_attribute_map"):
        return (type(value).__name__, {k: _tree(v) for k, v in vars(value).items()})
    if isinstance(value, list):
        return [_tree(v) for v in value]
    if isinstance(value, dict):
        return {k: _tree(v) for k, v in value.items()}
    return (type(value).__name__, value)


def _incoming() -> list[dict[str, Any]]:
    url = "http://127.0.0.1:1/"
    rich = activities.message(url, "hjælp", user=activities.METTE)
    rich.update(
        {
            "timestamp": "2026-11-22T10:00:00.1234567Z",
            "localTimestamp": "2026-11-22T11:00:00.123+01:00",
            "localTimezone": "Europe/Copenhagen",
            "replyToId": "1:abc",
            "attachments": [{"contentType": "text/html", "content": "<p>x</p>"}],
            "entities": [{"type": "clientInfo", "locale": "da-DK", "country": "DK", "platform": "Web"}],
            "channelData": {"tenant": {"id": "t"}, "source": {"name": "message"}, "legacy": {"replyToId": None}},
            "suggestedActions": {"to": ["a"], "actions": [{"type": "imBack", "title": "Ja", "value": "ja"}]},
            "unknownField": {"kept": False},
        }
    )
    odd = activities.message(url, "x", user=activities.METTE)
    odd.update({"from": "not an account", "historyDisclosed": "true", "id": 42})
    return [
        activities.message(url, "hjælp", user=activities.METTE),
        activities.group_message(url, "tegn", user=activities.LARS),
        activities.submit(url, {"action": "send", "n": 1, "flag": "true"}, reply_to_id="msg-1"),
        activities.execute(url, "decide", {"entry_id": 1, "decision": "anbefal"}, trigger="automatic"),
        activities.bot_installed(url),
        activities.bot_added(url),
        rich,
        odd,
    ]


@pytest.mark.parametrize(
    "body", _incoming(), ids=["message", "mention", "submit", "invoke", "install", "added", "rich", "odd"]
)
def test_incoming_activities_are_built_as_msrest_builds_them(body: dict[str, Any]) -> None:
    from bot.platform.wire import activity_from_json

    try:
        expected = _tree(Activity().deserialize(json.loads(json.dumps(body))))
    except Exception as error:  # msrest refuses it: so must the fast path, the same way
        with pytest.raises(type(error)):
            activity_from_json(body)
        return
    assert _tree(activity_from_json(json.loads(json.dumps(body)))) == expected


class _Recording(BotAdapter):
    """botbuilder's abstract adapter, recording what a turn context hands it."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[Activity] = []

    async def send_activities(self, context: TurnContext, activities: list[Activity]) -> list[ResourceResponse]:
        self.sent += activities
        return [ResourceResponse(id=f"r{n}") for n, _ in enumerate(activities)]

    async def update_activity(self, context: TurnContext, activity: Activity) -> None:
        raise NotImplementedError

    async def delete_activity(self, context: TurnContext, reference: Any) -> None:
        raise NotImplementedError


async def test_replies_are_addressed_as_botbuilder_addresses_them_without_deep_copies() -> None:
    from bot.platform.http import _ReplyContext

    incoming = Activity().deserialize(activities.message("http://127.0.0.1:1/", "hjælp", user=activities.METTE))
    sent: dict[str, Activity] = {}
    for name, context_type in (("botbuilder", TurnContext), ("ours", _ReplyContext)):
        adapter = _Recording()
        reply = MessageFactory.attachment(CardFactory.adaptive_card(DANISH_CARD))
        before = json.dumps(model_json(reply), default=json_default)
        responses = await context_type(adapter, incoming).send_activities([reply])
        assert [r.id for r in responses] == ["r0"]
        assert json.dumps(model_json(reply), default=json_default) == before, "the caller's activity is unchanged"
        [sent[name]] = adapter.sent
        assert sent[name] is not reply
    assert json.dumps(model_json(sent["ours"]), default=json_default) == json.dumps(
        model_json(sent["botbuilder"]), default=json_default
    )
    assert sent["ours"].conversation.id == incoming.conversation.id and sent["ours"].reply_to_id == incoming.id
