"""A large organisation for size and speed tests: afdelinger, arbejdspladser with ledere, and many entries."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.vocabulary import EntryKind, EntryStatus, Niveau, Role, Tema, UnitKind
from storage.models import Entry, Person, RoleAssignment, Unit

# Long Danish names, so that the cards are measured at their worst.
AFDELING_NAME = "Center for Børn, Unge, Skoler og Dagtilbud – område {n} (Øst)"
ARBEJDSPLADS_NAME = "Dagtilbud og Fritidsinstitution Æblehaven-Søndergård nr. {n}"
LEDER_NAME = "Søren Ærbødig-Østergaard Nr. {n}"

EKSEMPEL_STATUSES = (
    EntryStatus.PENDING,
    EntryStatus.APPROVED,
    EntryStatus.SELECTED,
    EntryStatus.NOT_SELECTED,
    EntryStatus.QUALIFIED,
    EntryStatus.ADOPTED,
)
OTHER_STATUSES = (
    EntryStatus.PENDING,
    EntryStatus.APPROVED,
    EntryStatus.SENT_BACK,
    EntryStatus.REJECTED,
    EntryStatus.WITHDRAWN,
)


@dataclass(frozen=True)
class LargeOrg:
    afdeling_ids: list[int]
    arbejdsplads_ids: list[int]
    chef_ids: list[int]
    leder_ids: list[int]


async def seed_large_org(
    sessionmaker: async_sessionmaker[AsyncSession],
    *,
    afdelinger: int = 20,
    arbejdspladser: int = 150,
    entries: int = 0,
    silent_every: int = 3,
) -> LargeOrg:
    """The organisation, and `entries` entries spread over every unit but each `silent_every`th (which sends
    no eksempler, so that the overview has units missing)."""
    async with sessionmaker.begin() as session:
        top = Unit(key="direktion", name="Direktion", kind=UnitKind.DIREKTOROMRAADE)
        session.add(top)
        await session.flush()
        afdeling_rows = [
            Unit(key=f"afd-{a}", name=AFDELING_NAME.format(n=a + 1), kind=UnitKind.AFDELING, parent_id=top.id)
            for a in range(afdelinger)
        ]
        session.add_all(afdeling_rows)
        await session.flush()
        place_rows = [
            Unit(
                key=f"ap-{p}",
                name=ARBEJDSPLADS_NAME.format(n=p + 1),
                kind=UnitKind.ARBEJDSPLADS,
                parent_id=afdeling_rows[p % afdelinger].id,
            )
            for p in range(arbejdspladser)
        ]
        session.add_all(place_rows)
        await session.flush()
        chefs = [Person(display_name=f"Chef {a + 1}", email=f"chef{a}@large.example") for a in range(afdelinger)]
        ledere = [
            Person(display_name=LEDER_NAME.format(n=p + 1), email=f"leder{p}@large.example", unit_id=place.id)
            for p, place in enumerate(place_rows)
        ]
        session.add_all(chefs + ledere)
        await session.flush()
        session.add_all(
            [
                RoleAssignment(person_id=c.id, role=Role.CHEF, unit_id=a.id)
                for c, a in zip(chefs, afdeling_rows, strict=True)
            ]
            + [
                RoleAssignment(person_id=leder.id, role=Role.LEDER, unit_id=place.id)
                for leder, place in zip(ledere, place_rows, strict=True)
            ]
        )
        await session.flush()
        org = LargeOrg(
            [a.id for a in afdeling_rows], [p.id for p in place_rows], [c.id for c in chefs], [p.id for p in ledere]
        )
    if entries:
        await seed_entries(sessionmaker, org, entries, silent_every=silent_every)
    return org


async def seed_entries(
    sessionmaker: async_sessionmaker[AsyncSession], org: LargeOrg, count: int, *, silent_every: int = 3
) -> None:
    """`count` entries, a third of them eksempler, inserted in batches."""
    active = [
        (u, leder)
        for i, (u, leder) in enumerate(zip(org.arbejdsplads_ids, org.leder_ids, strict=True))
        if i % silent_every
    ]
    temaer, niveauer = list(Tema), list(Niveau)
    start = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
    cycle = itertools.cycle(range(len(active)))
    rows = []
    for n in range(count):
        unit_id, owner_id = active[next(cycle)]
        when = start + dt.timedelta(minutes=n)
        if n % 3 == 0:
            kind, data = (
                EntryKind.EKSEMPEL,
                {
                    "tema": temaer[(n // 3) % 4].value,
                    "niveau": niveauer[(n // 12) % 2].value,
                    "eksempel": f"Eksempel {n}",
                    "situation": "",
                },
            )
            # Leave the leder-level cells of Mod empty: the overview must show them.
            if data["tema"] == Tema.MOD and data["niveau"] == Niveau.LEDER:
                data["niveau"] = Niveau.MEDARBEJDER.value
            status = EKSEMPEL_STATUSES[(n // 24) % len(EKSEMPEL_STATUSES)]
        else:
            kind = EntryKind.TEGN if n % 3 == 1 else EntryKind.LAERING
            data = (
                {"tegn": f"Tegn {n}"}
                if kind is EntryKind.TEGN
                else {"laering": f"Læring {n}", "evaluering": "undervejs"}
            )
            status = OTHER_STATUSES[n % len(OTHER_STATUSES)]
        rows.append(
            {
                "kind": kind,
                "owner_id": owner_id,
                "unit_id": unit_id,
                "data": data,
                "status": status,
                "stage": 0,
                "version": 1,
                "idempotency_key": f"large-{n}",
                "created_at": when,
                "updated_at": when,
            }
        )
    for first in range(0, len(rows), 5000):
        async with sessionmaker.begin() as session:
            await session.execute(insert(Entry), rows[first : first + 5000])
