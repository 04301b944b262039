"""The tab's Overblik shows every mål covered (issue 19 with issue 20's coverage): a chef sees her arbejdspladser's
mål, with those that lack tegn or prøvehandlinger, and Chefforum every målsætning across the organisation. The
figures are held to the database's own rows, counted here without the project's coverage code."""

from __future__ import annotations

import re

from aiohttp.test_utils import TestClient
from sqlalchemy import func, select

from cards import danish, texts
from cli.demo import seed_database
from core.vocabulary import EntryKind, EntryStatus, Role
from storage.db import create_engine, create_sessionmaker
from storage.models import Entry, Maal, Maalplan, Person, Proevehandling, RoleAssignment, Unit
from testkit.activities import AHMED, KARIN, LARS, STINNE
from testkit.login import LoginEndpoint
from tests.tabkit import sign_in
from tests.test_tab import login, tab  # noqa: F401  (the tab's fixtures)


async def expected_by_unit(database_url: str) -> dict[str, tuple[int, int, int, int]]:
    """Per unit name with a målplan: (mål, without an approved tegn, without a prøvehandling, approved tegn)."""
    engine = create_engine(database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            newest = (
                select(Maalplan.unit_id, func.max(Maalplan.year).label("year")).group_by(Maalplan.unit_id).subquery()
            )
            rows = await session.execute(
                select(Unit.name, Maal.id)
                .join(Maalplan, Maalplan.unit_id == Unit.id)
                .join(newest, (newest.c.unit_id == Maalplan.unit_id) & (newest.c.year == Maalplan.year))
                .join(Maal, Maal.maalplan_id == Maalplan.id)
            )
            maal_by_unit: dict[str, list[int]] = {}
            for name, maal_id in rows.all():
                maal_by_unit.setdefault(name, []).append(maal_id)
            approved = dict(
                (
                    await session.execute(
                        select(Entry.maal_id, func.count())
                        .where(Entry.kind == EntryKind.TEGN, Entry.status == EntryStatus.APPROVED)
                        .group_by(Entry.maal_id)
                    )
                ).all()
            )
            with_ph = set((await session.scalars(select(Proevehandling.maal_id).distinct())).all())
    finally:
        await engine.dispose()
    return {
        name: (
            len(ids),
            sum(1 for m in ids if not approved.get(m)),
            sum(1 for m in ids if m not in with_ph),
            sum(approved.get(m, 0) for m in ids),
        )
        for name, ids in maal_by_unit.items()
    }


def maal_rows(page: str) -> dict[str, tuple[int, int, int, str]]:
    """The chef's mål table as shown: unit name → (mål, uden tegn, uden prøvehandlinger, the tegn cell)."""
    section = page.split('id="maal-title"', 1)[1].split("</section>", 1)[0]
    shown = {}
    for row in re.findall(r'<tr data-unit="\d+">(.*?)</tr>', section, re.S):
        name = re.search(r"<summary>(.*?)</summary>", row) or re.search(r"^\s*<td[^>]*>([^<]*)", row)
        assert name is not None
        numbers = [int(re.search(rf'data-field="{f}">(\d+)<', row).group(1)) for f in ("maal", "no-tegn", "no-ph")]  # type: ignore[union-attr]
        tegn = re.search(rf'data-label="{texts.TAB_MAAL_COL_TEGN}">(.*?)</td>', row, re.S)
        assert tegn is not None
        shown[name.group(1).strip()] = (numbers[0], numbers[1], numbers[2], tegn.group(1))
    return shown


async def test_the_chef_sees_her_arbejdspladsers_maal_as_the_database_has_them(
    tab: TestClient,  # noqa: F811
    login: LoginEndpoint,  # noqa: F811
    sqlite_url: str,
) -> None:
    await seed_database(sqlite_url)
    expected = await expected_by_unit(sqlite_url)
    page = await (await tab.get("/tab/overblik", headers=await sign_in(tab, login, KARIN.email))).text()
    assert texts.TAB_MAAL_TITLE in page
    shown = maal_rows(page)
    assert "HR og Arbejdsmiljø" not in shown, "another afdeling's unit"
    assert "Dagtilbud Kirkebjerg" in shown and "Herstedlund Skole" in shown
    for name, (maal, no_tegn, no_ph, tegn_cell) in shown.items():
        if name not in expected:
            assert maal == 0 and texts.TAB_MAAL_NO_PLAN in page
            continue
        want = expected[name]
        assert (maal, no_tegn, no_ph) == want[:3], name
        approved_tegn = texts.TAB_MAAL_APPROVED_PENDING.split("{pending}")[0].format(approved=want[3])
        assert tegn_cell.startswith(approved_tegn), name
    # Each unit's mål open below its name, with what they lack.
    assert "<details><summary>Dagtilbud Kirkebjerg</summary>" in page
    assert texts.OVERSIGT_MAAL_LACKS_TEGN in page or texts.OVERSIGT_MAAL_LACKS_BOTH in page
    # Karin is in Chefforum too (the demo): every målsætning across, with the organisation's totals.
    assert texts.OVERSIGT_ACROSS_TITLE in page
    everything = [v for v in expected.values()]
    intro = danish.fill(
        texts.OVERSIGT_ACROSS_INTRO,
        maal=sum(v[0] for v in everything),
        no_tegn=sum(v[1] for v in everything),
        no_ph=sum(v[2] for v in everything),
    )
    assert intro in page


async def test_chefforum_alone_sees_across_and_the_indsamler_and_a_leder_see_no_maal(
    tab: TestClient,  # noqa: F811
    login: LoginEndpoint,  # noqa: F811
    sqlite_url: str,
) -> None:
    await seed_database(sqlite_url)
    engine = create_engine(sqlite_url)
    try:
        async with create_sessionmaker(engine).begin() as session:
            ahmed = await session.scalar(select(Person.id).where(Person.email == AHMED.email))
            session.add(RoleAssignment(person_id=ahmed, role=Role.CHEFFORUM, unit_id=None))
    finally:
        await engine.dispose()
    page = await (await tab.get("/tab/overblik", headers=await sign_in(tab, login, AHMED.email))).text()
    assert texts.OVERSIGT_ACROSS_TITLE in page and 'id="maal-title"' not in page, "across, but no units of his own"
    page = await (await tab.get("/tab/overblik", headers=await sign_in(tab, login, STINNE.email))).text()
    assert texts.TAB_OVERBLIK_MATRIX in page
    assert 'id="maal-title"' not in page and 'id="across-title"' not in page, "the indsamler collects eksempler"
    response = await tab.get("/tab/overblik", headers=await sign_in(tab, login, LARS.email))
    assert response.status == 403, "a leder has no Overblik"
