"""The workbench tab over HTTP: Teams SSO (forged, expired, wrong audience, wrong tenant, unsigned → 401, with a
loopback key server), the session cookie and CSRF, which role sees which page, and each page's actions through the
real app on a real SQLite file."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import html5lib
import openpyxl
import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import event, func, select, update

from app import ENGINE, NOTIFIER, create_app
from cards import danish, texts
from cli.__main__ import main as cli_main
from core.vocabulary import Action, EntryKind, EntryStatus
from domain import clock, overview
from storage import workbench as store
from storage.db import create_engine, create_sessionmaker
from storage.models import (
    Decision,
    Entry,
    OutboxMessage,
    Person,
    Route,
    SelectionStageRow,
    Unit,
    WorkbenchTick,
)
from storage.orgfile import import_file
from testkit.login import LoginEndpoint, new_private_key, start_login_endpoint
from tests.conftest import test_settings as settings_for
from tests.tabkit import (
    AHMED,
    APP_ID,
    DEMO_ORG,
    KARIN,
    LARS,
    METTE,
    PUBLIC,
    STINNE,
    TENANT,
    csrf_of,
    seed_eksempler,
    seed_tegn_for_chef,
    sign_in,
    sso_token,
)
from web import FRAME_ANCESTORS
from web.auth import COOKIE

PAGES = ("/tab/eksempler", "/tab/godkendelser", "/tab/overblik")


@pytest.fixture
async def login() -> AsyncIterator[LoginEndpoint]:
    endpoint, runner = await start_login_endpoint()
    try:
        yield endpoint
    finally:
        endpoint.release()
        await runner.cleanup()


def tab_settings(database_url: str, login: LoginEndpoint, **overrides: Any):
    values: dict[str, Any] = {
        "APP_ID": APP_ID,
        "PUBLIC_BASE_URL": PUBLIC,
        "ALLOWED_TENANT_IDS": [TENANT],
        "ENTRA_OPENID_METADATA_URL": login.metadata_url,
        "SCHEDULER_ENABLED": False,
        "ROUND_SWEEP_SECONDS": 0,
        "OPENID_TIMEOUT_SECONDS": 2.0,
    }
    values.update(overrides)
    return settings_for(database_url, **values)


@pytest.fixture
async def tab(sqlite_url: str, login: LoginEndpoint) -> AsyncIterator[TestClient]:
    await import_file(sqlite_url, DEMO_ORG)
    async with TestClient(TestServer(create_app(tab_settings(sqlite_url, login)))) as client:
        yield client


# --- Sign-in ----------------------------------------------------------------------------------------------------


async def test_a_valid_teams_token_gives_a_secure_session_cookie(tab: TestClient, login: LoginEndpoint) -> None:
    response = await tab.post("/tab/auth", headers={"Authorization": f"Bearer {sso_token(login, STINNE)}"})
    assert response.status == 204
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    for attribute in ("HttpOnly", "Secure", "SameSite=None", "Path=/"):
        assert attribute in cookie
    page = await tab.get("/tab/eksempler", headers={"Cookie": f"{COOKIE}={response.cookies[COOKIE].value}"})
    assert page.status == 200
    assert "Stinne Grønne" in await page.text()


async def test_the_v1_issuer_is_accepted_too(tab: TestClient, login: LoginEndpoint) -> None:
    token = sso_token(login, LARS, iss=f"https://sts.windows.net/{TENANT}/")
    response = await tab.post("/tab/auth", headers={"Authorization": f"Bearer {token}"})
    assert response.status == 204


def _bad_tokens(login: LoginEndpoint) -> dict[str, str]:
    old = int(dt.datetime.now(dt.UTC).timestamp()) - 7200
    return {
        # Signed with a key of the attacker's own, under the served key's id.
        "forged": sso_token(login, STINNE, key=new_private_key()),
        "expired": sso_token(login, STINNE, exp=old, nbf=old - 3600),
        "not yet valid": sso_token(login, STINNE, nbf=old + 4 * 7200),
        "wrong audience": sso_token(login, STINNE, aud=f"api://styringsbot.example.dk/{'1' * 8}"),
        "the bot's audience": sso_token(login, STINNE, aud=APP_ID),
        "wrong tenant": sso_token(
            login, STINNE, tid="tenant-other", iss="https://login.microsoftonline.com/tenant-other/v2.0"
        ),
        "issuer of another tenant": sso_token(login, STINNE, iss="https://sts.windows.net/tenant-other/"),
        "foreign issuer": sso_token(login, STINNE, iss="https://evil.example.com/"),
        "no object id": sso_token(login, STINNE, oid=None),
        "unsigned": sso_token(login, STINNE).rsplit(".", 1)[0] + ".",
        "alg none": login.token(app_id="", service_url="", algorithm="none", aud=f"api://x/{APP_ID}"),
        "hs256": login.token(app_id="", service_url="", algorithm="HS256"),
        "unknown key": sso_token(login, STINNE, headers={"kid": "not-a-key"}),
        "garbage": "not-a-token",
    }


async def test_bad_tokens_get_401_never_500(tab: TestClient, login: LoginEndpoint) -> None:
    for name, token in _bad_tokens(login).items():
        response = await tab.post("/tab/auth", headers={"Authorization": f"Bearer {token}"})
        assert response.status == 401, name
        assert COOKIE not in response.cookies, name
        assert await response.text() == texts.TAB_NOT_SIGNED_IN, name
    for headers in ({}, {"Authorization": "Bearer "}, {"Authorization": "Basic abc"}):
        assert (await tab.post("/tab/auth", headers=headers)).status == 401


async def test_a_key_server_that_fails_gives_401_and_the_last_good_keys_are_kept(
    tab: TestClient, login: LoginEndpoint
) -> None:
    login.mode = "error"
    response = await tab.post("/tab/auth", headers={"Authorization": f"Bearer {sso_token(login, STINNE)}"})
    assert response.status == 401
    assert login.requests == 1
    # Within the retry delay no new fetch starts: the next sign-in is refused at once, without asking.
    response = await tab.post("/tab/auth", headers={"Authorization": f"Bearer {sso_token(login, STINNE)}"})
    assert response.status == 401 and login.requests == 1


async def test_a_session_that_is_tampered_with_or_missing_is_refused(tab: TestClient, login: LoginEndpoint) -> None:
    headers = await sign_in(tab, login, STINNE)
    tampered = {"Cookie": headers["Cookie"][:-3] + "abc"}
    for page in PAGES:
        response = await tab.get(page, headers=tampered)
        assert response.status == 401
        assert texts.TAB_SIGNING_IN in await response.text()  # the sign-in page, which signs in through Teams
        assert (await tab.get(page)).status == 401
    assert (await tab.post("/tab/eksempler/ryd", headers=tampered)).status == 401


async def test_the_local_sign_in_page_does_not_exist_outside_local_development(tab: TestClient) -> None:
    assert (await tab.get("/tab/dev-login")).status == 404
    assert (await tab.post("/tab/dev-login", data={"person_id": "1"})).status in (404, 405)


async def test_the_local_sign_in_page_lists_the_demo_people_in_local_development(
    sqlite_url: str, login: LoginEndpoint
) -> None:
    await import_file(sqlite_url, DEMO_ORG)
    settings = tab_settings(sqlite_url, login, LOCAL_DEVELOPMENT=True)
    async with TestClient(TestServer(create_app(settings))) as client:
        page = await (await client.get("/tab/dev-login")).text()
        assert "Stinne Grønne" in page and "Mette Hansen" in page
        person_id = re.search(r'value="(\d+)">\s*<button type="submit">Log ind som Stinne', page)
        assert person_id
        response = await client.post("/tab/dev-login", data={"person_id": person_id.group(1)}, allow_redirects=False)
        assert response.status == 303
        cookie = {"Cookie": f"{COOKIE}={response.cookies[COOKIE].value}"}
        assert (await client.get("/tab/eksempler", headers=cookie)).status == 200


async def test_the_pages_may_be_framed_by_teams_only(tab: TestClient, login: LoginEndpoint) -> None:
    headers = await sign_in(tab, login, STINNE)
    for path in ("/tab", "/tab/eksempler", "/grundlag"):
        response = await tab.get(path, headers=headers, allow_redirects=False)
        policy = response.headers["Content-Security-Policy"]
        ancestors = re.search(r"frame-ancestors ([^;]+)", policy)
        assert ancestors and ancestors.group(1).split() == list(FRAME_ANCESTORS)
        assert "https://teams.microsoft.com" in policy and "https://*.cloud.microsoft" in policy
        assert "script-src 'self'" in policy


# --- CSRF ---------------------------------------------------------------------------------------------------------


async def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(
    tab: TestClient, login: LoginEndpoint, sqlite_url: str
) -> None:
    [entry_id] = await seed_eksempler(sqlite_url, 1)
    headers = await sign_in(tab, login, STINNE)
    response = await tab.post(f"/tab/eksempler/vaelg/{entry_id}", data={"on": "1"}, headers=headers)
    assert response.status == 403
    assert texts.TAB_CSRF_FAILED in await response.text()
    response = await tab.post(f"/tab/eksempler/vaelg/{entry_id}", data={"on": "1", "csrf": "wrong"}, headers=headers)
    assert response.status == 403
    assert await rows(sqlite_url, select(func.count()).select_from(WorkbenchTick)) == [(0,)]
    token = await csrf_of(tab, headers, "/tab/eksempler")
    response = await tab.post(f"/tab/eksempler/vaelg/{entry_id}", data={"on": "1", "csrf": token}, headers=headers)
    assert response.status == 200
    assert texts.TAB_EKS_TICKED.format(count=1) in await response.text()
    # The header that htmx sends counts as well.
    response = await tab.post(f"/tab/eksempler/vaelg/{entry_id}", data={}, headers={**headers, "X-CSRF-Token": token})
    assert texts.TAB_EKS_TICKED.format(count=0) in await response.text()


# --- Who sees what ------------------------------------------------------------------------------------------------

# Per demo person, the pages they may open; the rest are refused (403).
ALLOWED = {
    STINNE: {"/tab/eksempler", "/tab/overblik"},  # indsamler
    AHMED: {"/tab/eksempler"},  # arbejdsgruppe
    LARS: {"/tab/godkendelser"},  # leder
    KARIN: {"/tab/godkendelser", "/tab/overblik"},  # chef
    METTE: set(),  # medarbejder
}


async def test_every_page_refuses_a_role_that_may_not_see_it(tab: TestClient, login: LoginEndpoint) -> None:
    for email, allowed in ALLOWED.items():
        headers = await sign_in(tab, login, email)
        for page in PAGES:
            response = await tab.get(page, headers=headers)
            assert response.status == (200 if page in allowed else 403), (email, page)
            if page not in allowed:
                assert texts.TAB_NOT_ALLOWED in await response.text()


async def test_a_medarbejder_gets_a_polite_page_and_no_one_elses_data(
    tab: TestClient, login: LoginEndpoint, sqlite_url: str
) -> None:
    await seed_eksempler(sqlite_url, 3)
    headers = await sign_in(tab, login, METTE)
    response = await tab.get("/tab", headers=headers)
    assert response.status == 200
    page = await response.text()
    assert texts.TAB_NOTHING_FOR_YOU_TITLE in page
    assert "eksempel nummer" not in page and "Lars Mikkelsen" not in page
    for path in ("/tab/eksempler/gruppe/1", "/tab/godkendelser/1"):
        response = await tab.get(path, headers=headers)
        assert response.status == 403
        assert "eksempel nummer" not in await response.text()
    token = await csrf_of(tab, headers)
    for path in ("/tab/eksempler/udfald", "/tab/godkendelser", "/tab/overblik/paamind", "/tab/eksempler/film"):
        assert (await tab.post(path, data={"csrf": token}, headers=headers)).status == 403, path


async def test_the_arbejdsgruppe_proposes_but_does_not_record_outcomes(
    tab: TestClient, login: LoginEndpoint, sqlite_url: str
) -> None:
    [first, *_] = await seed_eksempler(sqlite_url, 2)
    headers = await sign_in(tab, login, AHMED)
    token = await csrf_of(tab, headers, "/tab/eksempler")
    page = await (await tab.get("/tab/eksempler", headers=headers)).text()
    assert texts.TAB_EKS_BULK_TITLE not in page and texts.TAB_EKS_PROPOSE in page
    response = await tab.post("/tab/eksempler/forslag", data={"csrf": token, "forslag": f"ja:{first}"}, headers=headers)
    assert response.status == 200  # back to the table
    assert texts.TAB_EKS_UNPROPOSE in await response.text()
    response = await tab.post(
        "/tab/eksempler/udfald", data={"csrf": token, "udfald": "0:0:udvalgt", "dato": "2026-11-10"}, headers=headers
    )
    assert response.status == 403
    # The indsamler sees the proposal counted.
    stinne = await sign_in(tab, login, STINNE)
    table = await (await tab.get("/tab/eksempler", headers=stinne)).text()
    assert re.search(rf'id="nr-{first}".*?data-label="{texts.TAB_EKS_COL_PROPOSALS}"><div>\s*1\b', table, re.S)


# --- Eksempler ------------------------------------------------------------------------------------------------


async def test_search_is_danish_aware_and_filters_combine(
    tab: TestClient, login: LoginEndpoint, sqlite_url: str
) -> None:
    ids = await seed_eksempler(sqlite_url, 30)
    headers = await sign_in(tab, login, STINNE)
    page = await (await tab.get("/tab/eksempler", params={"q": "kollegaerne"}, headers=headers)).text()
    shown = {int(n) for n in re.findall(r'id="nr-(\d+)"', page)}
    # Every eksempel with "kollega" in any form, and nothing else (numbers 7, 14, 21, 28).
    assert shown == {ids[n - 1] for n in (7, 14, 21, 28)}
    page = await (
        await tab.get("/tab/eksempler", params={"q": "kollegaerne", "tema": "relationer"}, headers=headers)
    ).text()
    assert {int(n) for n in re.findall(r'id="nr-(\d+)"', page)} == {ids[n - 1] for n in (7, 14, 21, 28) if n % 4 == 2}
    page = await (await tab.get("/tab/eksempler", params={"q": str(ids[4])}, headers=headers)).text()
    assert re.findall(r'id="nr-(\d+)"', page) == [str(ids[4])]
    # A value that is not a choice is ignored, never an error.
    assert (
        await tab.get("/tab/eksempler", params={"tema": "x", "side": "-3", "afdeling": "9" * 30}, headers=headers)
    ).status == 200


async def test_pages_of_50_with_ticks_kept_across_pages_and_filters_then_one_outcome_for_all(
    tab: TestClient, login: LoginEndpoint, sqlite_url: str
) -> None:
    ids = await seed_eksempler(sqlite_url, 60)
    headers = await sign_in(tab, login, STINNE)
    first = await (await tab.get("/tab/eksempler", headers=headers)).text()
    assert len(re.findall(r'id="nr-(\d+)"', first)) == 50
    assert danish.fill(texts.TAB_EKS_SHOWING, first=1, last=50, count=60) in first
    token = await csrf_of(tab, headers, "/tab/eksempler")
    for entry_id in (ids[0], ids[1]):
        await tab.post(f"/tab/eksempler/vaelg/{entry_id}", data={"on": "1", "csrf": token}, headers=headers)
    second = await (await tab.get("/tab/eksempler", params={"side": "2"}, headers=headers)).text()
    assert len(re.findall(r'id="nr-(\d+)"', second)) == 10
    response = await tab.post(f"/tab/eksempler/vaelg/{ids[55]}", data={"on": "1", "csrf": token}, headers=headers)
    assert texts.TAB_EKS_TICKED.format(count=3) in await response.text()
    filtered = await (await tab.get("/tab/eksempler", params={"tema": "mod"}, headers=headers)).text()
    assert texts.TAB_EKS_TICKED.format(count=3) in filtered
    response = await tab.post(
        "/tab/eksempler/udfald",
        data={"csrf": token, "udfald": "0:0:udvalgt", "dato": "2026-11-10", "kommentar": "Fra mødet", "back": "side=2"},
        headers=headers,
    )
    assert response.status == 200
    page = await response.text()
    assert danish.fill(texts.TAB_EKS_BULK_DONE, count=3) in page
    assert texts.TAB_EKS_TICKED.format(count=0) in page  # used ticks are cleared
    decided = await rows(
        sqlite_url,
        select(Decision.entry_id, Decision.forum, Decision.occurred_on, Decision.comment).where(
            Decision.action == Action.RECORD_OUTCOME
        ),
    )
    assert sorted(decided) == sorted(
        (entry_id, "arbejdsgruppen", dt.date(2026, 11, 10), "Fra mødet") for entry_id in (ids[0], ids[1], ids[55])
    )
    statuses = await rows(sqlite_url, select(Entry.id).where(Entry.status == EntryStatus.SELECTED))
    assert sorted(r[0] for r in statuses) == sorted([ids[0], ids[1], ids[55]])
    # The outcome shows in the table, with the forum's date; the stage filter finds them.
    selected = await (await tab.get("/tab/eksempler", params={"trin": "udvalgt"}, headers=headers)).text()
    assert len(re.findall(r'id="nr-(\d+)"', selected)) == 3
    assert "Udvalgt af arbejdsgruppen, 10. november 2026" in selected


async def test_a_page_of_50_reads_six_statements_whatever_the_number_of_eksempler(
    tab: TestClient, login: LoginEndpoint, sqlite_url: str
) -> None:
    """A page of the table reads who is signed in, what its cached read model is built from (the eksempler's
    fingerprint, the route, the selection and the units: storage.workbench.table_version) and the viewer's ticks
    and proposals: one statement each. The rows come from the read model, built once per change. No statement per
    row (outcomes, proposals, units)."""
    await seed_eksempler(sqlite_url, 60)
    headers = await sign_in(tab, login, STINNE)
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith("BEGIN"):
            statements.append(" ".join(statement.split())[:80])

    app = tab.app
    assert app is not None
    engine = app[ENGINE].sync_engine
    for params in ({}, {"side": "2", "tema": "mod", "sort": "afdeling"}, {"q": "kollega"}):
        await (await tab.get("/tab/eksempler", params=params, headers=headers)).text()  # the read model, once
        await app[NOTIFIER].drain()  # the seed's notifications, swept at start-up, are not the page's
        event.listen(engine, "before_cursor_execute", seen)
        try:
            page = await (await tab.get("/tab/eksempler", params=params, headers=headers)).text()
        finally:
            event.remove(engine, "before_cursor_execute", seen)
        assert re.findall(r'id="nr-(\d+)"', page), params
        assert len(statements) == 3 and all(s.startswith("SELECT") for s in statements), statements
        statements.clear()
    first = await (await tab.get("/tab/eksempler", headers=headers)).text()
    assert len(re.findall(r'id="nr-(\d+)"', first)) == 50


async def _change(database_url: str, *statements: Any) -> None:
    engine = create_engine(database_url)
    try:
        async with create_sessionmaker(engine).begin() as session:
            for statement in statements:
                await session.execute(statement)
    finally:
        await engine.dispose()


async def _table_version(database_url: str) -> tuple[object, ...]:
    engine = create_engine(database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            return await store.table_version(session)
    finally:
        await engine.dispose()


async def test_the_table_version_changes_with_the_eksempler_and_the_organisation(database_url: str) -> None:
    """The read model's key (storage.workbench.table_version): the same while nothing changes; different after an
    eksempel, a unit, the route or the selection's stages changed, on either database."""
    await import_file(database_url, DEMO_ORG)
    ids = await seed_eksempler(database_url, 3)
    first = await _table_version(database_url)
    assert await _table_version(database_url) == first
    changes = [
        update(Entry).where(Entry.id == ids[0]).values(version=Entry.version + 1),
        update(Unit).where(Unit.id == select(func.min(Unit.id)).scalar_subquery()).values(name="Omdøbt enhed"),
        update(Route).where(Route.kind == EntryKind.EKSEMPEL).values(stages=["indsamler"]),
        update(SelectionStageRow).where(SelectionStageRow.position == 0).values(fora=["Et nyt forum"]),
    ]
    seen = {first}
    for change in changes:
        await _change(database_url, change)
        version = await _table_version(database_url)
        assert version not in seen, change
        seen.add(version)


async def test_the_overbliks_missing_units_are_the_afdeling_drill_downs(database_url: str) -> None:
    """The Overblik reads the missing units with the overview (domain.overview.indsamler_overblik): the same units,
    ledere, reminders and reachability as the chat's drill-down per afdeling (afdeling_detail), in its order."""
    await import_file(database_url, DEMO_ORG)
    await seed_eksempler(database_url, 3)
    engine = create_engine(database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            today = clock.today()
            found = await overview.indsamler_overblik(session, deadline_keys=(), today=today)
            expected = []
            for coverage in found.overview.afdelinger:
                detail = await overview.afdeling_detail(session, coverage.afdeling_id, deadline_keys=(), today=today)
                assert detail is not None
                expected += [(detail.name, unit) for unit in detail.missing]
            one = found.overview.afdelinger[0].afdeling_id
            only_one = await overview.indsamler_overblik(session, deadline_keys=(), today=today, afdeling_ids={one})
            plain = await overview.indsamler_overview(session, deadline_keys=(), today=today)
    finally:
        await engine.dispose()
    assert expected and list(found.missing) == expected
    assert found.overview == plain
    names = {c.afdeling_id: c.name for c in found.overview.afdelinger}
    assert list(only_one.missing) == [(name, unit) for name, unit in expected if name == names[one]]


async def test_each_viewer_sees_their_own_rows_though_rows_are_rendered_once(
    tab: TestClient, login: LoginEndpoint, sqlite_url: str
) -> None:
    """The rows' HTML is kept (web.eksempler.row_html): the indsamler's tick and film buttons never reach the
    arbejdsgruppe, and a tick or an untick shows at once."""
    [first, second] = await seed_eksempler(sqlite_url, 2)
    stinne = await sign_in(tab, login, STINNE)
    token = await csrf_of(tab, stinne, "/tab/eksempler")
    film = f'name="film" value="ja:{first}"'
    await tab.post(f"/tab/eksempler/vaelg/{first}", data={"on": "1", "csrf": token}, headers=stinne)
    mine = await (await tab.get("/tab/eksempler", headers=stinne)).text()
    assert re.search(rf'id="tick-{first}"[^>]*checked', mine) and not re.search(
        rf'id="tick-{second}"[^>]*checked', mine
    )
    assert film in mine and texts.TAB_EKS_PROPOSE not in mine
    ahmed = await sign_in(tab, login, AHMED)
    theirs = await (await tab.get("/tab/eksempler", headers=ahmed)).text()
    assert not re.search(r'id="tick-\d+"[^>]*checked', theirs), "Stinne's tick is hers"
    assert film not in theirs and texts.TAB_EKS_PROPOSE in theirs
    await tab.post(f"/tab/eksempler/vaelg/{first}", data={"csrf": token}, headers=stinne)
    again = await (await tab.get("/tab/eksempler", headers=stinne)).text()
    assert not re.search(rf'id="tick-{first}"[^>]*checked', again)


async def test_a_renamed_unit_shows_in_the_table_at_once(
    tab: TestClient, login: LoginEndpoint, sqlite_url: str
) -> None:
    await seed_eksempler(sqlite_url, 3)
    headers = await sign_in(tab, login, STINNE)
    before = await (await tab.get("/tab/eksempler", headers=headers)).text()
    [(unit_id, name)] = await rows(sqlite_url, select(Unit.id, Unit.name).join(Person).where(Person.email == METTE))
    assert name in before
    await _change(sqlite_url, update(Unit).where(Unit.id == unit_id).values(name="Omdøbt enhed"))
    after = await (await tab.get("/tab/eksempler", headers=headers)).text()
    assert "Omdøbt enhed" in after and name not in after


async def test_an_outcome_without_ticks_or_date_keeps_everything_and_says_why(
    tab: TestClient, login: LoginEndpoint, sqlite_url: str
) -> None:
    ids = await seed_eksempler(sqlite_url, 2)
    headers = await sign_in(tab, login, STINNE)
    token = await csrf_of(tab, headers, "/tab/eksempler")
    page = await (
        await tab.post(
            "/tab/eksempler/udfald",
            data={"csrf": token, "udfald": "0:0:udvalgt", "dato": "2026-11-10"},
            headers=headers,
        )
    ).text()
    assert texts.TAB_EKS_BULK_NONE in page
    await tab.post(f"/tab/eksempler/vaelg/{ids[0]}", data={"on": "1", "csrf": token}, headers=headers)
    for bad in (
        {"udfald": "0:0:udvalgt", "dato": "10/11"},
        {"udfald": "9:0:udvalgt", "dato": "2026-11-10"},
        {"udfald": "x", "dato": ""},
    ):
        page = await (await tab.post("/tab/eksempler/udfald", data={"csrf": token, **bad}, headers=headers)).text()
        assert texts.TAB_EKS_BULK_MISSING in page
        assert texts.TAB_EKS_TICKED.format(count=1) in page
    assert await rows(
        sqlite_url, select(func.count()).select_from(Decision).where(Decision.action == Action.RECORD_OUTCOME)
    ) == [(0,)]


async def test_film_toggle_and_the_similar_group_side_by_side(
    tab: TestClient, login: LoginEndpoint, sqlite_url: str
) -> None:
    others = {
        4: "Vi planlægger ugen sammen med forældrene på tavlen i garderoben.",
        5: "Lederen spørger altid borgeren, hvad der er vigtigst, før sagen lukkes.",
        6: "Når vi ser en fejl i systemet, melder vi den straks til it-afdelingen med skærmbillede.",
    }

    def text(number: int) -> str:
        return others.get(number, "Vi giver hinanden ærlig feedback efter hvert teammøde og siger tak for hjælpen.")

    ids = await seed_eksempler(sqlite_url, 6, text=text)
    headers = await sign_in(tab, login, STINNE)
    token = await csrf_of(tab, headers, "/tab/eksempler")
    page = await (
        await tab.post("/tab/eksempler/film", data={"csrf": token, "film": f"ja:{ids[0]}"}, headers=headers)
    ).text()
    assert re.search(rf'aria-label="{texts.TAB_EKS_FILM_TOGGLE_OFF.format(id=ids[0])}"', page)
    film = await (await tab.get("/tab/eksempler", params={"film": "ja"}, headers=headers)).text()
    assert re.findall(r'id="nr-(\d+)"', film) == [str(ids[0])]
    similar = await (await tab.get("/tab/eksempler", params={"ligner": "ja"}, headers=headers)).text()
    assert sorted(int(n) for n in re.findall(r'id="nr-(\d+)"', similar)) == ids[:3]
    group = await (await tab.get(f"/tab/eksempler/gruppe/{ids[1]}", headers=headers)).text()
    assert texts.TAB_EKS_GROUP_INTRO.format(count=3) in group
    assert group.count('class="card"') == 3
    assert (await tab.get("/tab/eksempler/gruppe/99999", headers=headers)).status == 404


# --- Godkendelser -----------------------------------------------------------------------------------------------


async def test_a_chef_approves_several_with_one_comment(tab: TestClient, login: LoginEndpoint, sqlite_url: str) -> None:
    ids = await seed_tegn_for_chef(sqlite_url, 4)
    headers = await sign_in(tab, login, KARIN)
    page = await (await tab.get("/tab/godkendelser", headers=headers)).text()
    picks = re.findall(r'name="entry" value="(\d+:\d+)"', page)
    assert [int(p.split(":")[0]) for p in picks] == ids
    token = await csrf_of(tab, headers, "/tab/godkendelser")
    # Sending back needs a comment: nothing changes, and the choice is kept.
    response = await tab.post(
        "/tab/godkendelser",
        data={"csrf": token, "handling": "tilbage", "entry": picks[:1], "kommentar": " "},
        headers=headers,
    )
    assert response.status == 400
    assert texts.TAB_GODK_COMMENT_REQUIRED in await response.text()
    response = await tab.post(
        "/tab/godkendelser",
        data=[
            ("csrf", token),
            ("handling", "frem"),
            ("kommentar", "Fint – tages med"),
            *[("entry", p) for p in picks[:3]],
        ],
        headers=headers,
    )
    assert response.status == 200
    assert texts.TAB_GODK_DONE.format(count=3) in await response.text()
    approved = await rows(
        sqlite_url, select(Decision.entry_id, Decision.comment).where(Decision.action == Action.APPROVE)
    )
    assert sorted(approved) == [(entry_id, "Fint – tages med") for entry_id in ids[:3]]
    # The same click again (a retry with the old versions): nothing more is written.
    await tab.post(
        "/tab/godkendelser",
        data=[("csrf", token), ("handling", "frem"), *[("entry", p) for p in picks[:3]]],
        headers=headers,
    )
    assert len(await rows(sqlite_url, select(Decision.id).where(Decision.action == Action.APPROVE))) == 3
    history = await (await tab.get(f"/tab/godkendelser/{ids[0]}", headers=headers)).text()
    for label in (
        texts.ACTION_LABELS[Action.SUBMIT],
        texts.ACTION_LABELS[Action.RECOMMEND],
        texts.ACTION_LABELS[Action.APPROVE],
    ):
        assert label in history
    assert "Fint – tages med" in history


async def test_a_leder_cannot_decide_for_another_unit(tab: TestClient, login: LoginEndpoint, sqlite_url: str) -> None:
    ids = await seed_tegn_for_chef(sqlite_url, 1)
    headers = await sign_in(tab, login, "sofie.berg@albertslund.dk")
    token = await csrf_of(tab, headers, "/tab/godkendelser")
    response = await tab.post(
        "/tab/godkendelser", data={"csrf": token, "handling": "frem", "entry": f"{ids[0]}:3"}, headers=headers
    )
    assert texts.TAB_GODK_REFUSED.format(count=1) in await response.text()
    assert (await tab.get(f"/tab/godkendelser/{ids[0]}", headers=headers)).status == 403


# --- Overblik ---------------------------------------------------------------------------------------------------


async def test_overblik_shows_the_matrix_and_the_missing_units_and_sends_a_reminder(
    tab: TestClient, login: LoginEndpoint, sqlite_url: str
) -> None:
    await seed_eksempler(sqlite_url, 3)
    headers = await sign_in(tab, login, STINNE)
    page = await (await tab.get("/tab/overblik", headers=headers)).text()
    assert texts.TAB_OVERBLIK_MATRIX in page
    assert "Herstedlund Skole" in page and "Sofie Berg" in page  # missing, with its leder
    assert danish.fill(texts.TAB_OVERBLIK_PROGRESS, sent=1, units=2) in page
    token = await csrf_of(tab, headers, "/tab/overblik")
    before = await rows(sqlite_url, select(func.count()).select_from(OutboxMessage))
    page = await (await tab.post("/tab/overblik/paamind", data={"csrf": token}, headers=headers)).text()
    after = await rows(sqlite_url, select(func.count()).select_from(OutboxMessage))
    # The demo organisation has an eksempel deadline; Herstedlund (Sofie) is the one unit that has sent nothing.
    assert texts.OVERSIGT_REMINDED_ONE in page
    assert after[0][0] == before[0][0] + 1
    # Once a day per unit, however often she clicks.
    page = await (await tab.post("/tab/overblik/paamind", data={"csrf": token}, headers=headers)).text()
    assert texts.OVERSIGT_REMINDED_NONE in page
    assert await rows(sqlite_url, select(func.count()).select_from(OutboxMessage)) == after
    # A chef sees the overview without the button.
    chef = await (await tab.get("/tab/overblik", headers=await sign_in(tab, login, KARIN))).text()
    assert texts.TAB_OVERBLIK_MATRIX in chef and texts.TAB_OVERBLIK_REMIND not in chef


# --- The grundlag on the web ----------------------------------------------------------------------------------


async def _adopt(sqlite_url: str, ids: list[int]) -> None:
    from domain.eksempler import record_outcomes, set_film_candidate
    from storage.db import create_engine, create_sessionmaker
    from tests.tabkit import actor

    engine = create_engine(sqlite_url)
    try:
        async with create_sessionmaker(engine).begin() as session:
            stinne = await actor(session, STINNE)
            for status, forum, day in (
                (EntryStatus.SELECTED, "arbejdsgruppen", dt.date(2026, 11, 10)),
                (EntryStatus.QUALIFIED, "Chefforum", dt.date(2026, 11, 17)),
                (EntryStatus.ADOPTED, "KommuneMED", dt.date(2026, 11, 20)),
            ):
                await record_outcomes(
                    session, actor=stinne, entry_ids=ids, outcome=status, forum=forum, occurred_on=day, tell=False
                )
            await set_film_candidate(session, actor=stinne, entry_ids=ids[:1], film=True)
    finally:
        await engine.dispose()


def assert_valid_html(document: str) -> None:
    """Parsed by a strict HTML5 parser (any parse error raises), with the structure a page needs."""
    tree = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(document)
    assert tree.get("lang") == "da"
    assert tree.find("head/title") is not None and tree.find("body/main") is not None
    ids = [element.get("id") for element in tree.iter() if element.get("id")]
    assert len(ids) == len(set(ids)), "ids are unique"


async def test_the_grundlag_is_public_valid_html_without_names(tab: TestClient, sqlite_url: str) -> None:
    ids = await seed_eksempler(sqlite_url, 4)
    await _adopt(sqlite_url, ids[:2])
    response = await tab.get("/grundlag")
    assert response.status == 200
    page = await response.text()
    assert_valid_html(page)
    assert "eksempel nummer 1)" in page and "eksempel nummer 2)" in page and "eksempel nummer 3)" not in page
    assert page.count(texts.WEB_GRUNDLAG_FILM) == 2  # the badge, and the note that explains it
    for name in ("Mette", "Lars", "Stinne", "Ahmed", "Karin", "Sofie"):
        assert name not in page
    for meaning in texts.TEMA_MEANINGS.values():
        assert meaning in page
    assert "@media print" in await (await tab.get("/tab/static/grundlag.css")).text()


async def test_publish_grundlag_writes_a_static_site(sqlite_url: str, tmp_path, monkeypatch) -> None:
    await import_file(sqlite_url, DEMO_ORG)
    ids = await seed_eksempler(sqlite_url, 2)
    await _adopt(sqlite_url, ids[:1])
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("ALLOWED_TENANT_IDS", TENANT)
    out = tmp_path / "site"
    import asyncio

    assert await asyncio.to_thread(cli_main, ["publish-grundlag", "--out", str(out)]) == 0
    index = (out / "index.html").read_text(encoding="utf-8")
    assert_valid_html(index)
    assert 'href="grundlag.css"' in index and (out / "grundlag.css").exists()
    assert "eksempel nummer 1)" in index and "Mette" not in index


async def rows(database_url: str, statement: Any) -> list[tuple[Any, ...]]:
    from storage.db import create_engine, create_sessionmaker

    engine = create_engine(database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            return [tuple(r) for r in (await session.execute(statement)).all()]
    finally:
        await engine.dispose()


async def test_the_last_good_keys_are_kept_when_entra_id_cannot_be_reached(
    tab: TestClient, login: LoginEndpoint
) -> None:
    await sign_in(tab, login, STINNE)
    assert login.requests == 2  # the metadata and the keys
    login.mode = "error"
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=2)  # the keys are a day old: they are fetched again
    clock.set_now(lambda: later)
    try:
        await sign_in(tab, login, LARS)
    finally:
        clock.set_now(None)
    assert login.requests == 3  # asked, failed, and the last good keys checked the token


async def test_someone_the_organisation_file_does_not_know_gets_the_polite_page(
    tab: TestClient, login: LoginEndpoint, sqlite_url: str
) -> None:
    token = sso_token(login, STINNE, oid="0d1e2f3a-0000-4000-8000-000000000001", preferred_username="ny@example.dk")
    response = await tab.post("/tab/auth", headers={"Authorization": f"Bearer {token}"})
    assert response.status == 204
    page = await tab.get("/tab", headers={"Cookie": f"{COOKIE}={response.cookies[COOKIE].value}"})
    assert texts.TAB_NOTHING_FOR_YOU_TITLE in await page.text()
    assert await rows(
        sqlite_url, select(Person.email).where(Person.aad_object_id == "0d1e2f3a-0000-4000-8000-000000000001")
    ) == [("ny@example.dk",)]


async def test_tick_every_one_on_the_page_and_clear(tab: TestClient, login: LoginEndpoint, sqlite_url: str) -> None:
    ids = await seed_eksempler(sqlite_url, 55)
    headers = await sign_in(tab, login, STINNE)
    token = await csrf_of(tab, headers, "/tab/eksempler")
    page = await (await tab.get("/tab/eksempler", params={"side": "2"}, headers=headers)).text()
    shown = re.findall(r'name="entry" value="(\d+)"', page)
    assert [int(n) for n in shown] == ids[50:]
    # A forged id (no such eksempel) is dropped, never an error.
    data = [("csrf", token), ("back", "side=2"), *[("entry", n) for n in shown], ("entry", "999999")]
    page = await (await tab.post("/tab/eksempler/vaelg-side", data=data, headers=headers)).text()
    assert texts.TAB_EKS_TICKED.format(count=5) in page
    assert texts.TAB_EKS_PAGE_OF.format(page=2, pages=2) in page  # back on the same page
    page = await (await tab.post("/tab/eksempler/ryd", data={"csrf": token}, headers=headers)).text()
    assert texts.TAB_EKS_TICKED.format(count=0) in page


# --- The Excel round trip -----------------------------------------------------------------------------------


def _fill_in(content: bytes, filled: dict[int, tuple[str, Any]]) -> bytes:
    """The downloaded workbook with the arbejdsgruppe's new outcome and date typed in, as a person would."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book[texts.TAB_XL_SHEET]
    header = [cell.value for cell in sheet[1]]
    new = header.index(texts.TAB_XL_COL_NEW.format(fora="arbejdsgruppen")) + 1
    day = header.index(texts.TAB_XL_COL_DATE.format(fora="arbejdsgruppen")) + 1
    for row in range(2, sheet.max_row + 1):
        number = sheet.cell(row, 1).value
        if number in filled:
            sheet.cell(row, new).value, sheet.cell(row, day).value = filled[number]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def _upload(tab: TestClient, headers: dict[str, str], csrf: str | None, content: bytes) -> Any:
    form = aiohttp.FormData()
    if csrf is not None:
        form.add_field("csrf", csrf)
    form.add_field("fil", content, filename="eksempler.xlsx", content_type="application/octet-stream")
    return await tab.post("/tab/eksempler/excel", data=form, headers=headers)


async def test_an_excel_round_trip_previews_changes_and_a_conflict_before_recording(
    tab: TestClient, login: LoginEndpoint, sqlite_url: str
) -> None:
    ids = await seed_eksempler(sqlite_url, 6)
    headers = await sign_in(tab, login, STINNE)
    token = await csrf_of(tab, headers, "/tab/eksempler")
    response = await tab.get("/tab/eksempler/excel", params={"niveau": "medarbejder"}, headers=headers)
    assert (
        response.status == 200
        and response.content_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    exported = await response.read()
    numbers = [
        row[0]
        for row in openpyxl.load_workbook(io.BytesIO(exported))[texts.TAB_XL_SHEET].iter_rows(
            min_row=2, values_only=True
        )
    ]
    assert numbers == [ids[0], ids[2], ids[4]]  # the filter applies: odd numbers are the medarbejder level
    selected = "Udvalgt af arbejdsgruppen"
    filled = _fill_in(
        exported,
        {
            ids[0]: (selected, dt.datetime(2026, 11, 10)),
            ids[2]: (selected, "10-11-2026"),  # a date typed as text
            ids[4]: ("Udvalgt af Chefforum", "10-11-2026"),  # not an outcome of this stage
        },
    )
    # Someone records another outcome for the second one after the export: a conflict.
    await _record(sqlite_url, [ids[2]], EntryStatus.NOT_SELECTED, "arbejdsgruppen", dt.date(2026, 11, 9))
    assert (await _upload(tab, headers, None, filled)).status == 403
    preview = await (await _upload(tab, headers, token, filled)).text()
    assert texts.TAB_XL_PREVIEW_CHANGES.format(count=1) in preview
    assert f'id="change-{ids[0]}"' in preview
    assert texts.TAB_XL_PREVIEW_CONFLICTS.format(count=1) in preview
    assert (
        texts.TAB_XL_CONFLICT.format(current="Ikke udvalgt af arbejdsgruppen", exported=texts.TAB_XL_NOTHING_RECORDED)
        in preview
    )
    assert texts.TAB_XL_PROBLEM_LABEL.format(value="Udvalgt af Chefforum") in preview
    # Nothing is recorded by the preview.
    before = await rows(
        sqlite_url, select(func.count()).select_from(Decision).where(Decision.action == Action.RECORD_OUTCOME)
    )
    assert before == [(1,)]
    plan = re.search(r'name="plan" value="([^"]+)"', preview)
    assert plan
    tampered = plan.group(1)[:-2] + ("AA" if not plan.group(1).endswith("AA") else "BB")
    page = await (
        await tab.post("/tab/eksempler/excel/registrer", data={"csrf": token, "plan": tampered}, headers=headers)
    ).text()
    assert texts.TAB_XL_TOO_OLD in page
    page = await (
        await tab.post("/tab/eksempler/excel/registrer", data={"csrf": token, "plan": plan.group(1)}, headers=headers)
    ).text()
    assert danish.fill(texts.TAB_EKS_BULK_DONE, count=1) in page
    recorded = await rows(
        sqlite_url,
        select(Decision.entry_id, Decision.to_status, Decision.occurred_on).where(
            Decision.action == Action.RECORD_OUTCOME
        ),
    )
    assert sorted(recorded) == sorted(
        [
            (ids[0], EntryStatus.SELECTED, dt.date(2026, 11, 10)),
            (ids[2], EntryStatus.NOT_SELECTED, dt.date(2026, 11, 9)),
        ]
    )


async def test_a_file_that_is_not_the_workbook_is_refused_kindly(tab: TestClient, login: LoginEndpoint) -> None:
    headers = await sign_in(tab, login, STINNE)
    token = await csrf_of(tab, headers, "/tab/eksempler")
    for content in (b"not a workbook", _empty_workbook()):
        page = await (await _upload(tab, headers, token, content)).text()
        assert texts.TAB_XL_BAD_FILE in page
    # The arbejdsgruppe reads the table but does not import outcomes.
    ahmed = await sign_in(tab, login, AHMED)
    assert (await tab.get("/tab/eksempler/excel", headers=ahmed)).status == 403


def _empty_workbook() -> bytes:
    book = openpyxl.Workbook()
    book.active.title = texts.TAB_XL_SHEET
    book.active.append(["Noget andet"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def _record(sqlite_url: str, ids: list[int], status: EntryStatus, forum: str, day: dt.date) -> None:
    from domain.eksempler import record_outcomes
    from storage.db import create_engine, create_sessionmaker
    from tests.tabkit import actor

    engine = create_engine(sqlite_url)
    try:
        async with create_sessionmaker(engine).begin() as session:
            stinne = await actor(session, STINNE)
            await record_outcomes(session, actor=stinne, entry_ids=ids, outcome=status, forum=forum, occurred_on=day)
    finally:
        await engine.dispose()


async def test_a_chef_corrects_a_tegns_wording_and_the_original_stays_in_the_history(
    tab: TestClient, login: LoginEndpoint, sqlite_url: str
) -> None:
    [entry_id] = await seed_tegn_for_chef(sqlite_url, 1)
    headers = await sign_in(tab, login, KARIN)
    page = await (await tab.get(f"/tab/godkendelser/{entry_id}", headers=headers)).text()
    assert texts.TAB_GODK_CORRECT_TITLE in page
    version = re.search(r'name="version" value="(\d+)"', page)
    assert version
    token = await csrf_of(tab, headers, f"/tab/godkendelser/{entry_id}")
    url = f"/tab/godkendelser/{entry_id}/ret"
    # Empty wording: refused, the typed comment kept, nothing changed.
    response = await tab.post(
        url, data={"csrf": token, "version": version.group(1), "tegn": " ", "kommentar": "Husk"}, headers=headers
    )
    assert response.status == 400
    assert texts.TAB_GODK_CORRECT_INVALID in (body := await response.text()) and ">Husk</textarea>" in body
    corrected = "Flere børn fortæller selv om deres dag ved samlingen"
    response = await tab.post(
        url, data={"csrf": token, "version": version.group(1), "tegn": corrected}, headers=headers
    )
    assert texts.TAB_GODK_DONE.format(count=1) in await response.text()
    [(status, data)] = await rows(sqlite_url, select(Entry.status, Entry.data).where(Entry.id == entry_id))
    assert status is EntryStatus.APPROVED and data["tegn"] == corrected
    history = await (await tab.get(f"/tab/godkendelser/{entry_id}", headers=headers)).text()
    assert texts.TAB_GODK_CORRECTED.format(original="Flere børn fortæller selv om deres dag, tegn 1") in history
    assert texts.TAB_GODK_CORRECT_TITLE not in history  # approved: nothing more to correct
    # A leder may not correct (the tegn is not theirs to approve), nor anyone else.
    lars = await sign_in(tab, login, LARS)
    lars_token = await csrf_of(tab, lars, "/tab/godkendelser")
    response = await tab.post(url, data={"csrf": lars_token, "version": "9", "tegn": "x"}, headers=lars)
    assert response.status == 403


async def test_text_from_outside_is_shown_literally_never_as_markup(
    tab: TestClient, login: LoginEndpoint, sqlite_url: str
) -> None:
    hostile = '<script>alert("x")</script> & <b>fed</b>'
    ids = await seed_eksempler(sqlite_url, 1, text=lambda n: hostile)
    headers = await sign_in(tab, login, STINNE)
    page = await (await tab.get("/tab/eksempler", headers=headers)).text()
    assert "<script>alert" not in page and "<b>fed</b>" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;fed&lt;/b&gt;" in page
    group = await (await tab.get(f"/tab/eksempler/gruppe/{ids[0]}", headers=headers)).text()
    assert "<script>alert" not in group
