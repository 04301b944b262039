"""A generated organisation for the benchmark, and the rows a scenario needs in place before it is measured.

The organisation is the size of a municipality: 2 direktørområder, 20 afdelinger with a chef each, 150
arbejdspladser with a leder each, medarbejdere in every arbejdsplads, a målplan with two mål per arbejdsplads,
and the demo's routes (tegn and læring: leder, then chef). Everyone gets a personal conversation with the bot
stored, as if they had used it before, so that turns measure the common case rather than first contact.

Everything goes through the project's own code (the organisation file importer, domain.workflow.submit, the
bot's dialog storage), except the bulk entries of the scale case, which are inserted with one statement each
batch because 100,000 submits one by one would take minutes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from botbuilder.core import MemoryStorage, PrivateConversationState, TurnContext
from botbuilder.core.adapters import TestAdapter
from botbuilder.dialogs import DialogInstance, DialogState
from botbuilder.schema import Activity
from sqlalchemy import insert, select, text
from sqlalchemy.orm import selectinload

from core import clock
from core.vocabulary import Action, EntryKind, EntryStatus, Niveau, Tema
from dialogs.entry_flow import CHECK
from dialogs.tegn import TegnDraft
from domain.actor import Actor
from domain.clock import this_year
from domain.entries import EksempelData, TegnData
from domain.workflow import submit
from storage import repo
from storage.bot_state import SqlStorage
from storage.db import create_engine, create_sessionmaker
from storage.models import Decision, Entry, Maal, Maalplan, Person, Unit
from storage.orgfile import OrgFile, import_org
from testkit import activities
from testkit.activities import User
from testkit.eksempler import synthetic_eksempler

AFDELINGER = 20
ARBEJDSPLADSER = 150
MEDARBEJDERE_PER_UNIT = 10
TEGN = TegnData(tegn="Flere børn fortæller selv om weekenden i samlingen", maalgruppe="Børn på 3-5 år")


@dataclass(frozen=True)
class Org:
    """Who is who in the generated organisation (by index), as Teams users."""

    medarbejdere: list[User]
    ledere: list[User]
    chefer: list[User]

    def medarbejder(self, i: int) -> User:
        return self.medarbejdere[i % len(self.medarbejdere)]

    def leder_of(self, user: User) -> User:
        return self.ledere[unit_index(user)]


def unit_key(u: int) -> str:
    return f"ap-{u:03d}"


def _user(key: str, name: str) -> User:
    return User(f"29:{key}", name, f"aad-{key}", f"{key}@bench.albertslund.dk")


def unit_index(user: User) -> int:
    """The arbejdsplads a generated user belongs to (its leder's unit for a leder)."""
    return int(user.id.split("-")[1])


def organisation(medarbejdere_per_unit: int = MEDARBEJDERE_PER_UNIT) -> tuple[OrgFile, Org]:
    """The organisation file's contents, and its people as Teams users; medarbejdere are interleaved by unit,
    so that consecutive indexes are people of different units (and of different ledere)."""
    per_afdeling = -(-ARBEJDSPLADSER // AFDELINGER)
    afdelinger: list[dict[str, Any]] = []
    for a in range(AFDELINGER):
        units = range(a * per_afdeling, min(ARBEJDSPLADSER, (a + 1) * per_afdeling))
        afdelinger.append(
            {
                "key": f"afd-{a:02d}",
                "name": f"Afdeling {a:02d}",
                "kind": "afdeling",
                "children": [
                    {"key": unit_key(u), "name": f"Arbejdsplads {u:03d}", "kind": "arbejdsplads"} for u in units
                ],
            }
        )
    half = AFDELINGER // 2
    tree = [
        {"key": "dir-a", "name": "Direktørområde A", "kind": "direktørområde", "children": afdelinger[:half]},
        {"key": "dir-b", "name": "Direktørområde B", "kind": "direktørområde", "children": afdelinger[half:]},
    ]
    people: list[dict[str, Any]] = []
    chefer = [_user(f"chef-{a:02d}", f"Chef Nummer{a:02d}") for a in range(AFDELINGER)]
    for a, chef in enumerate(chefer):
        people.append(_spec(chef, f"afd-{a:02d}", chef_for=[f"afd-{a:02d}"]))
    ledere = [_user(f"leder-{u:03d}", f"Leder Nummer{u:03d}") for u in range(ARBEJDSPLADSER)]
    for u, leder in enumerate(ledere):
        people.append(_spec(leder, unit_key(u), leder_for=[unit_key(u)]))
    medarbejdere = [
        _user(f"m-{u:03d}-{k:03d}", f"Medarbejder M{u:03d}x{k:03d}")
        for k in range(medarbejdere_per_unit)
        for u in range(ARBEJDSPLADSER)
    ]
    people.extend(_spec(m, unit_key(unit_index(m))) for m in medarbejdere)
    year = this_year()
    maalplaner = [
        {
            "unit": unit_key(u),
            "year": year,
            "title": f"Målplan {year} – Arbejdsplads {u:03d}",
            "maal": [
                {
                    "key": "sprog",
                    "title": "Flere børn har et alderssvarende sprog, når de begynder i skole",
                    "maalsaetning": "Alle børn skal have et godt sprog og lyst til at lære",
                    "proevehandlinger": [{"key": "dialogisk", "title": "Dialogisk læsning i små grupper"}],
                },
                {"key": "natur", "title": "Børnene er mere ude i naturen og er med til at passe på den"},
            ],
        }
        for u in range(ARBEJDSPLADSER)
    ]
    org = OrgFile.model_validate(
        {
            "units": tree,
            "people": people,
            "routes": {"tegn": ["leder", "chef"], "laering": ["leder", "chef"], "eksempel": ["indsamler"]},
            "maalplaner": maalplaner,
        }
    )
    return org, Org(medarbejdere, ledere, chefer)


def _spec(user: User, unit: str, **roles: list[str]) -> dict[str, Any]:
    return {"name": user.name, "email": user.email, "aad_object_id": user.aad_object_id, "unit": unit, **roles}


_TEXTS = synthetic_eksempler(1000)


def eksempel_data(n: int) -> EksempelData:
    """An eksempel's fields, with text shaped like real submissions (testkit.eksempler)."""
    return EksempelData(
        tema=list(Tema)[n % len(Tema)],
        niveau=list(Niveau)[(n // 4) % len(Niveau)],
        eksempel=_TEXTS[n % len(_TEXTS)][1],
        situation=f"Situationen opstod på arbejdsplads {n % 150} (nr. {n}).",
    )


def conversation_reference(service_url: str, user: User) -> dict[str, Any]:
    """The reference the bot stores for a user's personal chat (as bot.identity computes it from an activity)."""
    activity = Activity().deserialize(activities.message(service_url, "", user=user))
    reference = TurnContext.get_conversation_reference(activity)
    reference.activity_id = None
    serialized: dict[str, Any] = reference.serialize()
    return serialized


def dialog_state_key(user: User) -> str:
    """Where the bot keeps a user's dialog state in their personal chat (as PrivateConversationState computes it)."""
    activity = Activity().deserialize(activities.message("http://unused/", "", user=user))
    return PrivateConversationState(MemoryStorage()).get_storage_key(TurnContext(TestAdapter(), activity))


class Seeder:
    """Seeds one database through the project's code; `async with Seeder(url) as seeder`."""

    def __init__(self, database_url: str):
        self.engine = create_engine(database_url)
        self.sessionmaker = create_sessionmaker(self.engine)

    async def __aenter__(self) -> Seeder:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.engine.dispose()

    async def organisation(self, service_url: str, medarbejdere_per_unit: int = MEDARBEJDERE_PER_UNIT) -> Org:
        """Import the generated organisation; everyone has used the bot before (a stored personal chat)."""
        org_file, org = organisation(medarbejdere_per_unit)
        async with self.sessionmaker.begin() as session:
            await import_org(session, org_file)
        users = {u.aad_object_id: u for u in [*org.medarbejdere, *org.ledere, *org.chefer]}
        async with self.sessionmaker.begin() as session:
            people = (await session.scalars(select(Person).where(Person.aad_object_id.in_(users)))).all()
            for person in people:
                assert person.aad_object_id is not None
                user = users[person.aad_object_id]
                await repo.save_conversation_ref(
                    session,
                    conversation_id=activities.personal_conversation(user)["id"],
                    conversation_type="personal",
                    person_id=person.id,
                    reference=conversation_reference(service_url, user),
                )
        return org

    async def actors(self, users: Iterable[User]) -> dict[str, Actor]:
        """The people behind these users, by Teams id."""
        by_aad = {u.aad_object_id: u for u in users}
        async with self.sessionmaker() as session:
            people = (
                await session.scalars(
                    select(Person).where(Person.aad_object_id.in_(by_aad)).options(selectinload(Person.roles))
                )
            ).all()
        return {by_aad[p.aad_object_id].id: Actor.of(p) for p in people if p.aad_object_id}

    async def first_maal(self, unit_ids: Iterable[int]) -> dict[int, int]:
        """Each unit's first mål this year, by unit id."""
        async with self.sessionmaker() as session:
            rows = (
                await session.execute(
                    select(Maalplan.unit_id, Maal.id)
                    .join(Maal, Maal.maalplan_id == Maalplan.id)
                    .where(Maalplan.unit_id.in_(set(unit_ids)), Maalplan.year == this_year())
                    .order_by(Maal.position, Maal.id)
                )
            ).all()
        first: dict[int, int] = {}
        for unit_id, maal_id in rows:
            first.setdefault(unit_id, maal_id)
        return first

    async def submit_tegn(self, owners: Sequence[User], prefix: str) -> list[tuple[int, int]]:
        """One pending tegn per owner (in order), through domain.workflow.submit; returns (entry id, version)."""
        actors = await self.actors(owners)
        maal = await self.first_maal(a.unit_id for a in actors.values() if a.unit_id is not None)
        entries: list[tuple[int, int]] = []
        async with self.sessionmaker.begin() as session:
            for n, owner in enumerate(owners):
                actor = actors[owner.id]
                assert actor.unit_id is not None
                entry, _ = await submit(
                    session,
                    actor=actor,
                    kind=EntryKind.TEGN,
                    unit_id=actor.unit_id,
                    maal_id=maal[actor.unit_id],
                    data=TEGN,
                    idempotency_key=f"{prefix}-{n}",
                )
                entries.append((entry.id, entry.version))
        return entries

    async def tegn_at_check(self, users: Sequence[User], keys: Sequence[str]) -> None:
        """Each user's personal chat holds a tegn flow at its check step, as the flow itself leaves it."""
        actors = await self.actors(users)
        maal = await self.first_maal(a.unit_id for a in actors.values() if a.unit_id is not None)
        storage = SqlStorage(self.sessionmaker)
        changes: dict[str, Any] = {}
        for user, key in zip(users, keys, strict=True):
            actor = actors[user.id]
            assert actor.unit_id is not None
            draft = TegnDraft(step=CHECK, key=key, maal_id=maal[actor.unit_id], data=TEGN, values=TEGN.model_dump())
            stack = [DialogInstance(id=EntryKind.TEGN, state={"draft": draft.model_dump(mode="json")})]
            # PrivateConversationState's key for the user's personal chat, and the property the bot's DialogSet uses.
            changes[dialog_state_key(user)] = {"dialogs": DialogState(stack)}
        await storage.write(changes)

    async def bulk_entries(self, count: int, *, batch: int = 5000, kind: EntryKind = EntryKind.TEGN) -> int:
        """`count` entries spread over every arbejdsplads and status, each with its submit decision, in batches.

        Tegn and læring belong to the unit's first mål; eksempler to no mål, with varied text (eksempel_data).
        """
        async with self.sessionmaker() as session:
            units = {u.key: u.id for u in (await session.scalars(select(Unit))).all()}
            rows = (
                await session.execute(
                    select(Person.id, Person.unit_id).where(Person.unit_id.is_not(None)).order_by(Person.id)
                )
            ).all()
            maal = {
                unit_id: maal_id
                for unit_id, maal_id in (
                    await session.execute(select(Maalplan.unit_id, Maal.id).join(Maal, Maal.maalplan_id == Maalplan.id))
                ).all()
            }
        owners = [(pid, uid) for pid, uid in rows if uid is not None and uid in maal and uid in units.values()]
        # As after a year of use: most entries decided, one in ten waiting (half of them at the leder, half at
        # the chef), some sent back, rejected or withdrawn.
        statuses = [
            EntryStatus.PENDING,
            *[EntryStatus.APPROVED] * 6,
            EntryStatus.REJECTED,
            EntryStatus.SENT_BACK,
            EntryStatus.WITHDRAWN,
        ]
        start = dt.datetime(this_year(), 1, 1, tzinfo=dt.UTC)
        async with self.sessionmaker.begin() as session:
            first_id = (await session.scalar(select(Entry.id).order_by(Entry.id.desc()).limit(1))) or 0
            for offset in range(0, count, batch):
                batch_rows: list[dict[str, Any]] = []
                decisions: list[dict[str, Any]] = []
                for n in range(offset, min(count, offset + batch)):
                    owner_id, unit_id = owners[n % len(owners)]
                    # Each owner's entries go through every status (n // owners: the owner's k-th entry).
                    status = statuses[(n // len(owners)) % len(statuses)]
                    created = start + dt.timedelta(minutes=n)
                    entry_id = first_id + n + 1
                    batch_rows.append(
                        {
                            "id": entry_id,
                            "kind": kind,
                            "owner_id": owner_id,
                            "unit_id": unit_id,
                            "maal_id": None if kind is EntryKind.EKSEMPEL else maal[unit_id],
                            "data": eksempel_data(n).model_dump(mode="json")
                            if kind is EntryKind.EKSEMPEL
                            else TEGN.model_dump(mode="json"),
                            "status": status,
                            "stage": (n // len(owners) // len(statuses)) % 2 if status is EntryStatus.PENDING else 1,
                            "version": 1,
                            "idempotency_key": f"bulk-{entry_id}",
                            "created_at": created,
                            "updated_at": created,
                        }
                    )
                    decisions.append(
                        {
                            "entry_id": entry_id,
                            "actor_id": owner_id,
                            "action": Action.SUBMIT,
                            "from_status": None,
                            "to_status": EntryStatus.PENDING,
                            "from_stage": None,
                            "to_stage": 0,
                            "from_version": 0,
                            "comment": "",
                            "created_at": clock.now(),
                        }
                    )
                await session.execute(insert(Entry), batch_rows)
                await session.execute(insert(Decision), decisions)
        await self._after_bulk()
        return count

    async def _after_bulk(self) -> None:
        async with self.engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                # A restored database is analysed before use; autovacuum is off on the test cluster.
                await conn.execute(text("ANALYZE"))
                await conn.commit()
