"""One clock: a frozen core.clock reaches every stored moment, and nothing outside it reads the real time."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core import clock
from core.vocabulary import Action, EntryKind, OutboxKind
from domain import workflow
from domain.actor import Actor
from domain.entries import TegnData
from storage import repo
from storage.models import Decision, Entry, OutboxMessage, Person
from storage.orgfile import import_file
from testkit.activities import LARS, METTE
from tests.conftest import DEMO_ORGANISATION

ROOT = Path(__file__).resolve().parents[1]
# A moment far from the real time, in the demo målplaner's year.
MOMENT = dt.datetime(2026, 3, 2, 9, 30, 15, tzinfo=dt.UTC)


async def test_a_frozen_clock_reaches_decisions_entries_the_outbox_and_column_defaults(
    database_url: str, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await import_file(database_url, DEMO_ORGANISATION)
    with clock.frozen(MOMENT):
        async with sessionmaker.begin() as session:
            mette = await repo.person_by_email(session, METTE.email)
            lars = await repo.person_by_email(session, LARS.email)
            assert mette is not None and lars is not None and mette.unit_id is not None
            units = await repo.all_units(session)
            [maal, *_] = await repo.maal_for_units(session, repo.unit_path(units, mette.unit_id), MOMENT.year)
            entry, created = await workflow.submit(
                session,
                actor=Actor.of(mette),
                kind=EntryKind.TEGN,
                unit_id=mette.unit_id,
                data=TegnData(tegn="Flere forældre spørger ind til dagens leg"),
                idempotency_key="frozen-clock",
                maal_id=maal.id,
            )
            assert created
            decided = await workflow.decide_on(
                session, actor=Actor.of(lars), entry_id=entry.id, action=Action.RECOMMEND, seen_version=entry.version
            )
            assert decided.new
            message_id = await repo.queue_outbox(
                session, kind=OutboxKind.DIGEST, dedupe_key="frozen-clock", person_id=lars.id
            )
            assert message_id is not None
            assert await repo.take_outbox(session, message_id) is not None
            newcomer = await repo.add_person(session, display_name="Ny Kollega", aad_object_id=None, email=None)

    async with sessionmaker() as session:
        decisions = (await session.scalars(select(Decision).where(Decision.entry_id == entry.id))).all()
        assert [(d.action, repo.as_utc(d.created_at)) for d in decisions] == [
            (Action.SUBMIT, MOMENT),
            (Action.RECOMMEND, MOMENT),
        ]
        stored = await session.get_one(Entry, entry.id)
        assert (repo.as_utc(stored.created_at), repo.as_utc(stored.updated_at)) == (MOMENT, MOMENT)
        message = await session.get_one(OutboxMessage, message_id)
        assert message.claimed_at is not None
        assert (repo.as_utc(message.created_at), repo.as_utc(message.claimed_at)) == (MOMENT, MOMENT)
        person = await session.get_one(Person, newcomer.id)
        assert repo.as_utc(person.created_at) == MOMENT


# Reading the real time anywhere else would slip past a frozen clock. The benchmark (bench/) measures wall time on
# purpose and the tests may compute moments as they like, so only the product's packages are checked.
PRODUCT = ["app.py", "bot", "cards", "cli", "core", "dialogs", "domain", "manifest", "storage", "turn", "testkit"]
REAL_TIME = re.compile(r"\butcnow\b|\bdatetime\.now\(|\bdatetime\.utcnow\(|\bdate\.today\(")


def test_only_the_clock_reads_the_real_time() -> None:
    files = [p for name in PRODUCT for p in ([ROOT / name] if name.endswith(".py") else (ROOT / name).rglob("*.py"))]
    assert len(files) > 50
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in files
        if path != ROOT / "core" / "clock.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if REAL_TIME.search(line)
    ]
    assert found == []
