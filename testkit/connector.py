"""A real HTTP server on loopback that stands in for the Bot Connector and records what the bot sends.

Used by the HTTP-level tests (the `connector` fixture in conftest.py) and by the benchmark.
"""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class Sent:
    """One request the bot made to the connector."""

    method: str
    path: str
    conversation_id: str
    activity_id: str | None
    body: dict[str, Any]
    # The id of the message this request created or updated (what Teams would send back as replyToId).
    message_id: str = ""

    @property
    def text(self) -> str | None:
        return self.body.get("text")

    @property
    def cards(self) -> list[dict[str, Any]]:
        return [
            a["content"]
            for a in self.body.get("attachments") or []
            if a.get("contentType") == "application/vnd.microsoft.card.adaptive"
        ]


@dataclass
class Member:
    id: str
    name: str
    aad_object_id: str
    email: str

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "aadObjectId": self.aad_object_id,
            "email": self.email,
            "userPrincipalName": self.email,
            "givenName": self.name.split()[0],
            "surname": self.name.split()[-1],
            "tenantId": "tenant-albertslund",
            "userRole": "user",
        }


@dataclass
class RecordingConnector:
    """The fake connector's state: what was sent, who the members are, and scripted failures."""

    url: str = ""
    sent: list[Sent] = field(default_factory=list)
    members: dict[str, Member] = field(default_factory=dict)
    # Status codes to answer, in order, before answering normally (e.g. [429, 429] to test retries),
    # for every conversation or, by conversation id, for one.
    failures: list[int] = field(default_factory=list)
    failures_by_conversation: dict[str, list[int]] = field(default_factory=dict)
    retry_after: str | None = None
    record: bool = True
    # Member lookups held until the test sets the event (a slow Teams), by member id; `asked` records lookups.
    held_members: dict[str, asyncio.Event] = field(default_factory=dict)
    asked: list[str] = field(default_factory=list)
    # The next card update (PUT) waits until the test sets this event (a slow network); `update_held` is set when
    # it has arrived and waits.
    hold_next_update: asyncio.Event | None = None
    update_held: asyncio.Event = field(default_factory=asyncio.Event)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    def add_member(self, member: Member) -> None:
        self.members[member.id] = member
        self.members[member.aad_object_id] = member

    def clear(self) -> None:
        self.sent.clear()

    async def wait_for(self, count: int, within: float = 10.0) -> list[Sent]:
        """Wait until at least `count` requests were recorded; returns them all."""
        async with asyncio.timeout(within):
            while len(self.sent) < count:
                self._changed.clear()
                await self._changed.wait()
        return self.sent

    def _note(self, sent: Sent) -> None:
        if self.record:
            self.sent.append(sent)
        self._changed.set()

    def fail(self, conversation_id: str, *statuses: int) -> None:
        self.failures_by_conversation.setdefault(conversation_id, []).extend(statuses)

    def _scripted_failure(self, conversation_id: str) -> web.Response | None:
        queue = self.failures_by_conversation.get(conversation_id) or self.failures
        if not queue:
            return None
        status = queue.pop(0)
        if status == 200:  # a scripted success: the requests before the failure a test is about
            return None
        headers = {"Retry-After": self.retry_after} if self.retry_after and status == 429 else None
        return web.json_response(
            {"error": {"code": "Throttled", "message": "scripted"}}, status=status, headers=headers
        )

    async def _activity(self, request: web.Request) -> web.Response:
        failure = self._scripted_failure(request.match_info["conversation_id"])
        if failure is not None:
            return failure
        body = await request.json()
        if request.method == "PUT" and self.hold_next_update is not None:
            gate, self.hold_next_update = self.hold_next_update, None
            self.update_held.set()
            await gate.wait()
        new_id = request.match_info.get("activity_id") if request.method == "PUT" else f"msg-{next(self._ids)}"
        self._note(
            Sent(
                method=request.method,
                path=request.path,
                conversation_id=request.match_info["conversation_id"],
                activity_id=request.match_info.get("activity_id"),
                body=body,
                message_id=str(new_id),
            )
        )
        return web.json_response({"id": new_id})

    async def _member(self, request: web.Request) -> web.Response:
        self.asked.append(request.match_info["member_id"])
        self._changed.set()
        held = self.held_members.get(request.match_info["member_id"])
        if held is not None:
            await held.wait()
        member = self.members.get(request.match_info["member_id"])
        if member is None:
            return web.json_response({"error": {"code": "MemberNotFoundInConversation"}}, status=404)
        return web.json_response(member.as_json())

    async def _members(self, _request: web.Request) -> web.Response:
        unique = {m.id: m for m in self.members.values()}
        return web.json_response([m.as_json() for m in unique.values()])

    async def _create_conversation(self, request: web.Request) -> web.Response:
        body = await request.json()
        member_id = (body.get("members") or [{}])[0].get("id", "unknown")
        self._note(Sent("POST", request.path, "", None, body))
        return web.json_response({"id": f"personal-{member_id}", "activityId": f"msg-{next(self._ids)}"})

    def application(self) -> web.Application:
        app = web.Application()
        conv = "/v3/conversations/{conversation_id}"
        app.router.add_post(conv + "/activities", self._activity)
        app.router.add_post(conv + "/activities/{activity_id}", self._activity)
        app.router.add_put(conv + "/activities/{activity_id}", self._activity)
        app.router.add_get(conv + "/members/{member_id}", self._member)
        app.router.add_get(conv + "/members", self._members)
        app.router.add_post("/v3/conversations", self._create_conversation)
        return app


async def start_connector() -> tuple[RecordingConnector, web.AppRunner]:
    connector = RecordingConnector()
    runner = web.AppRunner(connector.application(), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    connector.url = f"http://127.0.0.1:{port}/"
    return connector, runner


def only(sent: list[Sent]) -> Sent:
    """The one thing the bot sent (fails with what it did send otherwise)."""
    assert len(sent) == 1, [s.body for s in sent]
    return sent[0]
