"""Signed, short-lived download links for exports, served by the bot itself (no file is stored anywhere).

A link names one målplan and the person it was made for, is signed with EXPORT_SIGNING_KEY and expires after
EXPORT_LINK_TTL_SECONDS. The download checks the person's right to the målplan again. Chefforum's workbook across
målplaner has links of its own (another salt: one kind of link never opens the other), for its members only.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any
from urllib.parse import quote

from aiohttp import web
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.settings import Settings
from cards import texts
from cards.workbooks import chefforum_workbook, maalplan_workbook
from domain import clock
from domain.actor import Actor
from domain.export import allowed_maalplaner, chefforum_export, maalplan_export
from domain.vocabulary import Role
from storage import repo

log = logging.getLogger(__name__)

_SALT = "styringsbot-export-v1"
_CHEFFORUM_SALT = "styringsbot-chefforum-export-v1"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _ClockSigner(TimestampSigner):
    """Signs and checks ages with the domain clock, so tests can let a link expire without waiting."""

    def get_timestamp(self) -> int:
        return int(clock.now().timestamp())


def _serializer(settings: Settings, salt: str = _SALT) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings.EXPORT_SIGNING_KEY, salt=salt, signer=_ClockSigner)


def link(settings: Settings, *, maalplan_id: int, person_id: int) -> str:
    token = _serializer(settings).dumps({"m": maalplan_id, "p": person_id})
    return f"{settings.PUBLIC_BASE_URL}/exports/{token}"


def read(settings: Settings, token: str) -> tuple[int, int]:
    """(målplan id, person id) from a valid, unexpired token; ValueError otherwise."""
    try:
        data: Any = _serializer(settings).loads(token, max_age=settings.EXPORT_LINK_TTL_SECONDS)
    except SignatureExpired:
        raise ValueError("expired") from None
    except BadSignature:
        raise ValueError("bad signature") from None
    if not isinstance(data, dict) or not isinstance(data.get("m"), int) or not isinstance(data.get("p"), int):
        raise ValueError("bad payload")
    return data["m"], data["p"]


def _refused() -> web.Response:
    return web.Response(status=403, text=texts.EXPORT_LINK_INVALID, content_type="text/plain", charset="utf-8")


def download_handler(settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]) -> Any:
    async def download(request: web.Request) -> web.Response:
        try:
            maalplan_id, person_id = read(settings, request.match_info["token"])
        except ValueError as problem:
            log.warning("export link refused: %s", problem)
            return _refused()
        async with sessionmaker() as session:
            person = await repo.person_by_id(session, person_id)
            if person is None or maalplan_id not in {
                p.id for p in await allowed_maalplaner(session, Actor.of(person).roles)
            }:
                log.warning("export link refused: person %s may not export målplan %s", person_id, maalplan_id)
                return _refused()
            export = await maalplan_export(session, maalplan_id)
        filename, content = await asyncio.to_thread(maalplan_workbook, export)
        log.info("export of målplan %s downloaded by person %s", maalplan_id, person_id)
        disposition = f"attachment; filename=\"maalplan-{maalplan_id}.xlsx\"; filename*=UTF-8''{quote(filename)}"
        return web.Response(body=content, content_type=XLSX, headers={"Content-Disposition": disposition})

    return download


# --- Chefforum's workbook (issue 20) ----------------------------------------------------------------------------


def chefforum_link(settings: Settings, *, person_id: int) -> str:
    token = _serializer(settings, _CHEFFORUM_SALT).dumps({"p": person_id})
    return f"{settings.PUBLIC_BASE_URL}/exports/chefforum/{token}"


def read_chefforum(settings: Settings, token: str) -> int:
    """The person id from a valid, unexpired Chefforum link; ValueError otherwise."""
    try:
        data: Any = _serializer(settings, _CHEFFORUM_SALT).loads(token, max_age=settings.EXPORT_LINK_TTL_SECONDS)
    except SignatureExpired:
        raise ValueError("expired") from None
    except BadSignature:
        raise ValueError("bad signature") from None
    if not isinstance(data, dict) or not isinstance(data.get("p"), int):
        raise ValueError("bad payload")
    return int(data["p"])


def chefforum_download_handler(settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]) -> Any:
    async def download(request: web.Request) -> web.Response:
        try:
            person_id = read_chefforum(settings, request.match_info["token"])
        except ValueError as problem:
            log.warning("chefforum export link refused: %s", problem)
            return _refused()
        async with sessionmaker() as session:
            person = await repo.person_by_id(session, person_id)
            if person is None or not Actor.of(person).has_role(Role.CHEFFORUM):
                log.warning("chefforum export link refused: person %s is not in Chefforum", person_id)
                return _refused()
            export = await chefforum_export(session)
        filename, content = await asyncio.to_thread(chefforum_workbook, export)
        log.info("chefforum export downloaded by person %s", person_id)
        disposition = f"attachment; filename=\"chefforum.xlsx\"; filename*=UTF-8''{quote(filename)}"
        return web.Response(body=content, content_type=XLSX, headers={"Content-Disposition": disposition})

    return download
