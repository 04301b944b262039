"""The organisation file: import on both databases, idempotency, updates in place, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.vocabulary import EntryKind, Role, UnitKind
from domain.actor import Actor
from domain.entries import TegnData
from domain.workflow import submit
from storage import contacts, repo
from storage.db import create_engine, create_sessionmaker
from storage.models import Entry, Indikator, Maal, MandatoryIndikator, Person, Perspektiv, RoleAssignment, Unit
from storage.orgfile import OrgFileError, import_file, import_org, parse

DEMO = Path(__file__).resolve().parents[1] / "demo" / "organisation.yaml"


async def counts(session: AsyncSession) -> dict[str, int]:
    result = {}
    for model in (Unit, Person, RoleAssignment, Maal, Entry):
        result[model.__tablename__] = await session.scalar(select(func.count()).select_from(model)) or 0
    return result


async def test_demo_file_imports_and_reimport_changes_nothing(database_url: str) -> None:
    first = await import_file(database_url, DEMO)
    assert first.created["units"] == 7
    assert first.created["people"] == 6
    again = await import_file(database_url, DEMO)
    assert not again.changed, str(again)
    assert str(again) == "Imported: nothing changed."


async def test_edited_file_updates_in_place_and_keeps_entries(
    database_url: str, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await import_file(database_url, DEMO)
    async with sessionmaker.begin() as session:
        mette = await repo.person_by_email(session, "mette.hansen@albertslund.dk")
        assert mette is not None and mette.unit_id is not None
        [maal, *_] = await repo.maal_for_units(session, [mette.unit_id], 2026)
        entry, _ = await submit(
            session,
            actor=Actor.of(mette),
            kind=EntryKind.TEGN,
            unit_id=mette.unit_id,
            maal_id=maal.id,
            data=TegnData(tegn="Flere børn fortæller selv om deres weekend i samlingen"),
            idempotency_key="k1",
        )
        maal_id, before = maal.id, await counts(session)

    edited = DEMO.read_text(encoding="utf-8").replace(
        "Flere børn har et alderssvarende sprog, når de begynder i skole",
        "Flere børn har et alderssvarende sprog ved skolestart",
    )
    summary = await import_org_text(sessionmaker, edited)
    assert summary.updated == {"mål": 1}
    async with sessionmaker() as session:
        maal_after = await session.get(Maal, maal_id)
        assert maal_after is not None
        assert maal_after.title == "Flere børn har et alderssvarende sprog ved skolestart"
        assert await counts(session) == before
        assert (await repo.get_entry(session, entry.id)) is not None


async def import_org_text(sessionmaker: async_sessionmaker[AsyncSession], text: str):
    async with sessionmaker.begin() as session:
        return await import_org(session, parse(text))


async def test_role_changes_are_applied(database_url: str, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    await import_file(database_url, DEMO)
    edited = DEMO.read_text(encoding="utf-8").replace(
        "    unit: herstedlund\n    leder_for: [herstedlund]",
        "    unit: herstedlund\n    leder_for: [herstedlund, kirkebjerg]",
    )
    summary = await import_org_text(sessionmaker, edited)
    assert summary.updated == {"role sets": 1}
    async with sessionmaker() as session:
        sofie = await repo.person_by_email(session, "sofie.berg@albertslund.dk")
        assert sofie is not None
        # (She is also the demo HR målplan's tovholder.)
        assert [r.role for r in sofie.roles if r.role is not Role.TOVHOLDER] == [Role.LEDER, Role.LEDER]


async def test_titles_are_imported_and_name_whom_an_entry_waits_for(
    database_url: str, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """A person's optional title; the indsamler, leder and chef an entry waits for, as storage.contacts finds them."""
    await import_file(database_url, DEMO)
    async with sessionmaker() as session:
        units = {u.key: u.id for u in (await session.scalars(select(Unit))).all()}
        path = repo.unit_path(await repo.all_units(session), units["kirkebjerg"])
        [stinne] = await contacts.indsamlere(session)
        [lars] = await contacts.deciders(session, Role.LEDER, path)
        [karin] = await contacts.deciders(session, Role.CHEF, path)
    assert (stinne.display_name, stinne.title, stinne.email) == ("Stinne Grønne", "HR", "stinne.gronne@albertslund.dk")
    assert (lars.display_name, lars.title) == ("Lars Mikkelsen", None)
    assert karin.display_name == "Karin Holm"
    edited = DEMO.read_text(encoding="utf-8").replace("    title: HR\n", "    title: HR-konsulent\n")
    summary = await import_org_text(sessionmaker, edited)
    assert summary.updated == {"people": 1}
    async with sessionmaker() as session:
        [stinne] = await contacts.indsamlere(session)
    assert stinne.title == "HR-konsulent"


@pytest.mark.parametrize(
    ("broken", "expected"),
    [
        ("    kind: arbejdsplads\n", "    kind: skole\n"),
        ("    unit: kirkebjerg\n    leder_for: [kirkebjerg]", "    unit: kirkebjerg\n    leder_for: [kirkebjergg]"),
        ("    date: 2026-12-01", "    date: 1. december"),
    ],
    ids=["bad-unit-kind", "unknown-unit-key", "bad-date"],
)
def test_bad_file_names_the_line_and_the_problem(broken: str, expected: str) -> None:
    text = DEMO.read_text(encoding="utf-8")
    assert broken in text
    bad = text.replace(broken, expected, 1)
    with pytest.raises(OrgFileError) as raised:
        parse(bad)
    message = str(raised.value)
    assert message.startswith("line ")
    line = int(message.split(":")[0].removeprefix("line "))
    assert 1 <= line <= bad.count("\n") + 1
    if "kind: skole" in expected:
        assert bad.splitlines()[line - 1].strip() == "kind: skole"
        assert all(kind in message for kind in UnitKind), "the error names the kinds a unit can be"


def test_not_yaml_is_reported_with_its_line() -> None:
    with pytest.raises(OrgFileError, match=r"^line 3: not valid YAML \(mapping values are not allowed here\)"):
        parse("units:\n  - key: a\n    name: b: c\n")


async def test_bad_file_imports_nothing(database_url: str, sessionmaker: async_sessionmaker[AsyncSession], tmp_path):
    # Valid for the schema, but it fails in the database half-way (a person's e-mail clashes on import):
    # the transaction must leave nothing behind.
    await import_file(database_url, DEMO)
    async with sessionmaker() as session:
        before = await counts(session)
    text = DEMO.read_text(encoding="utf-8") + (
        "  - unit: kirkebjerg\n    year: 2027\n    title: Målplan 2027\n    maal:\n"
        "      - key: nyt\n        title: Nyt mål\n      - key: nyt\n        title: Samme nøgle igen\n"
    )
    path = tmp_path / "org.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(Exception):  # noqa: B017 - the database's own unique-constraint error
        await import_file(database_url, path)
    async with sessionmaker() as session:
        assert await counts(session) == before
        assert await session.scalar(select(func.count()).select_from(Maal).where(Maal.key == "nyt")) == 0


async def test_plan_a_perspektiver_indikatorer_and_mandatory_sets_import_and_update(database_url: str) -> None:

    first = await import_file(database_url, DEMO)
    assert first.created["perspektiver"] == 3 and first.created["indikatorer"] == 8
    engine = create_engine(database_url)
    try:
        async with create_sessionmaker(engine).begin() as session:
            rows = (
                await session.execute(
                    select(MandatoryIndikator.year, Indikator.number, Perspektiv.name)
                    .join(Indikator, Indikator.id == MandatoryIndikator.indikator_id)
                    .join(Perspektiv, Perspektiv.id == Indikator.perspektiv_id)
                    .order_by(MandatoryIndikator.year, Indikator.number)
                )
            ).all()
        assert [tuple(r) for r in rows] == [
            (2024, 1, "Opgaver"),
            (2024, 6, "Adfærd"),
            (2024, 8, "Struktur"),
            (2026, 1, "Opgaver"),
            (2026, 6, "Adfærd"),
            (2026, 8, "Struktur"),
        ]
    finally:
        await engine.dispose()
    edited = DEMO.read_text(encoding="utf-8").replace("  2026: [1, 6, 8]", "  2026: [1, 3, 6]")
    org = parse(edited)
    engine = create_engine(database_url)
    try:
        async with create_sessionmaker(engine).begin() as session:
            summary = await import_org(session, org)
            numbers = (
                await session.scalars(
                    select(Indikator.number)
                    .join(MandatoryIndikator, MandatoryIndikator.indikator_id == Indikator.id)
                    .where(MandatoryIndikator.year == 2026)
                    .order_by(Indikator.number)
                )
            ).all()
    finally:
        await engine.dispose()
    assert summary.updated == {"mandatory sets": 1} and list(numbers) == [1, 3, 6]


def test_plan_a_references_are_checked() -> None:
    text = DEMO.read_text(encoding="utf-8")
    with pytest.raises(OrgFileError, match="unknown indikator 9"):
        parse(text.replace("  2024: [1, 6, 8]", "  2024: [1, 6, 9]"))
    with pytest.raises(OrgFileError, match="unknown perspektiv 'ledelse'"):
        parse(
            text.replace("    perspektiv: struktur\n    text: Det tvær", "    perspektiv: ledelse\n    text: Det tvær")
        )
