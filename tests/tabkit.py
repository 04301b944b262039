"""Helpers for the workbench tab's tests: demo content made through the domain's own functions, Teams SSO tokens
signed by the loopback key server (testkit.login), and a signed-in HTTP client."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient
from sqlalchemy import select

from core.vocabulary import Action, EntryKind, Niveau, Tema
from domain.actor import Actor
from domain.eksempler import submit_eksempel
from domain.entries import EksempelData, TegnData
from domain.workflow import decide_on, submit
from storage import repo
from storage.db import create_engine, create_sessionmaker
from storage.models import Maal
from testkit.login import LoginEndpoint
from web.auth import COOKIE

TENANT = "tenant-albertslund"
APP_ID = "00000000-0000-4000-8000-00000000ab19"
PUBLIC = "https://styringsbot.example.dk"
AUDIENCE = f"api://styringsbot.example.dk/{APP_ID}"
STINNE = "stinne.gronne@albertslund.dk"
AHMED = "ahmed.khan@albertslund.dk"
METTE = "mette.hansen@albertslund.dk"
LARS = "lars.mikkelsen@albertslund.dk"
SOFIE = "sofie.berg@albertslund.dk"
KARIN = "karin.holm@albertslund.dk"
# The demo people's Entra object ids (demo/organisation.yaml).
OIDS = {
    METTE: "b4e7e24f-3bf8-458d-a95f-9aa538c788b2",
    AHMED: "2165a43d-31c7-4573-b80f-08f238d28ae8",
    LARS: "2759454b-7cc3-41b7-ad28-c507339af7de",
    SOFIE: "72950d81-e89b-49db-8e55-da353958cc7e",
    KARIN: "8d16ade8-e812-4d12-96a2-592c86f35274",
    STINNE: "4e174263-83da-4ec4-9bcf-24e379f52973",
}
TEMAER = list(Tema)


def sso_token(endpoint: LoginEndpoint, email: str, *, key: Any = None, headers: Any = None, **claims: Any) -> str:
    """A Teams SSO token for the tab as Entra ID issues it (v2 form); `claims` override (None removes one)."""
    values: dict[str, Any] = {
        "iss": f"https://login.microsoftonline.com/{TENANT}/v2.0",
        "aud": AUDIENCE,
        "tid": TENANT,
        "oid": OIDS[email],
        "name": email.split("@")[0],
        "preferred_username": email,
        "serviceurl": None,
    }
    values.update(claims)
    return endpoint.token(app_id=AUDIENCE, service_url="", key=key, headers=headers, **values)


async def actor(session: Any, email: str) -> Actor:
    person = await repo.person_by_email(session, email)
    assert person is not None, email
    return Actor.of(person)


OTHER_TEXTS = (
    "Vi tager imod borgeren i døren og følger dem hen til den rette medarbejder",
    "Lederen spørger på personalemødet, hvad der gik godt i ugen, før vi taler om problemerne",
    "Når en forælder er utilfreds, ringer vi selv tilbage samme dag og lytter færdig, før vi forklarer",
    "Vi deler vores materialer med skolen ved siden af, så eleverne møder det samme sprog",
    "Jeg siger det højt på mødet, når jeg er uenig, også selvom chefen er til stede",
    "Vi inviterer foreningerne med, når vi planlægger sommerens aktiviteter i parken",
)


def eksempel_text(number: int) -> str:
    """Eksempler with a word that the search finds in several forms ("kollega", "kollegaer", "kollegaerne"),
    every 7th; the rest from a handful of others. Each ends with its number, so each is told apart."""
    forms = ["kollega", "kollegaer", "kollegaerne"]
    if number % 7 == 0:
        return f"Vi spørger en {forms[number % 3]} om hjælp, når en opgave bliver for stor (eksempel nummer {number})."
    return f"{OTHER_TEXTS[number % len(OTHER_TEXTS)]} (eksempel nummer {number})."


async def seed_eksempler(database_url: str, count: int, *, text=eksempel_text) -> list[int]:
    """`count` eksempler at the indsamler: written by Mette and sent on by her leder (Lars), through the domain."""
    engine = create_engine(database_url)
    ids: list[int] = []
    try:
        async with create_sessionmaker(engine).begin() as session:
            mette, lars = await actor(session, METTE), await actor(session, LARS)
            assert mette.unit_id is not None
            for number in range(1, count + 1):
                data = EksempelData(
                    tema=TEMAER[number % 4],
                    niveau=Niveau.MEDARBEJDER if number % 2 else Niveau.LEDER,
                    eksempel=text(number),
                    situation="Ved skranken" if number % 5 == 0 else "",
                )
                done = await submit_eksempel(
                    session, actor=mette, unit_id=mette.unit_id, data=data, idempotency_key=f"tab-eks-{number}"
                )
                entry = done.entry
                await decide_on(
                    session, actor=lars, entry_id=entry.id, action=Action.RECOMMEND, seen_version=entry.version
                )
                ids.append(entry.id)
    finally:
        await engine.dispose()
    return ids


async def seed_tegn_for_chef(database_url: str, count: int) -> list[int]:
    """`count` tegn from Mette, recommended by Lars: they wait for Karin (chef)."""
    engine = create_engine(database_url)
    ids: list[int] = []
    try:
        async with create_sessionmaker(engine).begin() as session:
            mette, lars = await actor(session, METTE), await actor(session, LARS)
            maal = (await session.scalars(select(Maal).order_by(Maal.id))).first()
            assert maal is not None and mette.unit_id is not None
            for number in range(1, count + 1):
                entry, _ = await submit(
                    session,
                    actor=mette,
                    kind=EntryKind.TEGN,
                    unit_id=mette.unit_id,
                    data=TegnData(tegn=f"Flere børn fortæller selv om deres dag, tegn {number}"),
                    idempotency_key=f"tab-tegn-{number}",
                    maal_id=maal.id,
                )
                await decide_on(
                    session, actor=lars, entry_id=entry.id, action=Action.RECOMMEND, seen_version=entry.version
                )
                ids.append(entry.id)
    finally:
        await engine.dispose()
    return ids


async def sign_in(client: TestClient, endpoint: LoginEndpoint, email: str) -> dict[str, str]:
    """Sign in through Teams SSO; returns the headers that carry the session (aiohttp's jar keeps Secure cookies
    for https only, so the cookie is sent by hand, as a browser on https would)."""
    response = await client.post("/tab/auth", headers={"Authorization": f"Bearer {sso_token(endpoint, email)}"})
    assert response.status == 204, await response.text()
    return {"Cookie": f"{COOKIE}={response.cookies[COOKIE].value}"}


async def csrf_of(client: TestClient, headers: dict[str, str], path: str = "/tab") -> str:
    response = await client.get(path, headers=headers)
    found = re.search(r'data-csrf="([^"]+)"', await response.text())
    assert found, f"no CSRF token on {path}"
    return found.group(1)


async def text_of(response: ClientResponse) -> str:
    return await response.text()


def now() -> int:
    return int(time.time())


DEMO_ORG = Path(__file__).resolve().parents[1] / "demo" / "organisation.yaml"
