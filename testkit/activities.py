"""Builders for activities shaped like the ones Teams sends (from captures and Microsoft's docs)."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from typing import Any

TENANT = "tenant-albertslund"
BOT_ID = "28:styringsbot"
BOT_NAME = "Styringsbot"
_ids = itertools.count(1)


@dataclass(frozen=True)
class User:
    id: str
    name: str
    aad_object_id: str
    email: str


MEDARBEJDER = User("29:medarbejder", "Mette Hansen", "aad-mette", "mette.hansen@albertslund.dk")

# People of demo/organisation.yaml, with the AAD object ids the file gives them.
METTE = User("29:mette", "Mette Hansen", "b4e7e24f-3bf8-458d-a95f-9aa538c788b2", "mette.hansen@albertslund.dk")
AHMED = User("29:ahmed", "Ahmed Khan", "2165a43d-31c7-4573-b80f-08f238d28ae8", "ahmed.khan@albertslund.dk")
LARS = User("29:lars", "Lars Mikkelsen", "2759454b-7cc3-41b7-ad28-c507339af7de", "lars.mikkelsen@albertslund.dk")
SOFIE = User("29:sofie", "Sofie Berg", "72950d81-e89b-49db-8e55-da353958cc7e", "sofie.berg@albertslund.dk")
KARIN = User("29:karin", "Karin Holm", "8d16ade8-e812-4d12-96a2-592c86f35274", "karin.holm@albertslund.dk")
STINNE = User("29:stinne", "Stinne Grønne", "4e174263-83da-4ec4-9bcf-24e379f52973", "stinne.gronne@albertslund.dk")
# Someone the organisation file does not know.
NEWCOMER = User("29:newcomer", "Nanna Ny", "0f0f0f0f-0000-4000-8000-000000000001", "nanna.ny@albertslund.dk")


def _base(service_url: str, user: User, conversation: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": f"act-{next(_ids)}",
        "channelId": "msteams",
        "serviceUrl": service_url,
        "timestamp": "2026-11-22T10:00:00.000Z",
        "from": {"id": user.id, "name": user.name, "aadObjectId": user.aad_object_id},
        "recipient": {"id": BOT_ID, "name": BOT_NAME},
        "conversation": conversation,
        "channelData": {"tenant": {"id": TENANT}},
        "locale": "da-DK",
    }


def personal_conversation(user: User) -> dict[str, Any]:
    return {"id": f"a:personal-{user.id}", "conversationType": "personal", "tenantId": TENANT}


def group_conversation(name: str = "Personalemøde Kirkebjerg") -> dict[str, Any]:
    return {
        "id": f"19:group-{name.replace(' ', '-')}@thread.v2",
        "conversationType": "groupChat",
        "tenantId": TENANT,
        "isGroup": True,
    }


def channel_thread(channel: str = "Generelt", root: str = "1700000000000") -> dict[str, Any]:
    """A thread in a team's channel: Teams gives each thread its own conversation id (the root post's id)."""
    return {
        "id": f"19:{channel}@thread.tacv2;messageid={root}",
        "conversationType": "channel",
        "tenantId": TENANT,
        "isGroup": True,
    }


def message(service_url: str, text: str, *, user: User = MEDARBEJDER, conversation: dict | None = None) -> dict:
    activity = _base(service_url, user, conversation or personal_conversation(user))
    activity.update({"type": "message", "text": text, "textFormat": "plain"})
    return activity


def group_message(service_url: str, command: str, *, user: User = MEDARBEJDER, conversation: dict | None = None):
    """A message in a group chat, @mentioning the bot as Teams does."""
    mention_text = f"<at>{BOT_NAME}</at>"
    activity = message(
        service_url, f"{mention_text} {command}", user=user, conversation=conversation or group_conversation()
    )
    activity["entities"] = [{"type": "mention", "text": mention_text, "mentioned": {"id": BOT_ID, "name": BOT_NAME}}]
    return activity


def submit(
    service_url: str,
    value: dict[str, Any],
    *,
    user: User = MEDARBEJDER,
    conversation: dict | None = None,
    reply_to_id: str | None = None,
) -> dict:
    """An Action.Submit click: a message with `value` and no text."""
    activity = _base(service_url, user, conversation or personal_conversation(user))
    activity.update({"type": "message", "value": value})
    if reply_to_id:
        activity["replyToId"] = reply_to_id
    return activity


def execute(
    service_url: str,
    verb: str,
    data: dict[str, Any] | None = None,
    *,
    user: User = MEDARBEJDER,
    conversation: dict | None = None,
    trigger: str = "manual",
    reply_to_id: str | None = None,
) -> dict:
    """An Action.Execute click (or a refresh, with trigger="automatic")."""
    activity = _base(service_url, user, conversation or personal_conversation(user))
    activity.update(
        {
            "type": "invoke",
            "name": "adaptiveCard/action",
            "value": {
                "action": {"type": "Action.Execute", "verb": verb, "data": data or {}},
                "trigger": trigger,
            },
        }
    )
    if reply_to_id:
        activity["replyToId"] = reply_to_id
    return activity


def bot_installed(service_url: str, *, user: User = MEDARBEJDER, conversation: dict | None = None) -> dict:
    activity = _base(service_url, user, conversation or personal_conversation(user))
    activity.update({"type": "installationUpdate", "action": "add"})
    return activity


def bot_added(service_url: str, *, user: User = MEDARBEJDER, conversation: dict | None = None) -> dict:
    activity = _base(service_url, user, conversation or group_conversation())
    activity.update(
        {
            "type": "conversationUpdate",
            "membersAdded": [{"id": BOT_ID}],
            "channelData": {"tenant": {"id": TENANT}, "eventType": "teamMemberAdded"},
        }
    )
    return activity


def new_key() -> str:
    return uuid.uuid4().hex
