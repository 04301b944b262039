"""Demo eksempler for local development (`make run`): a few in each stage, so that the indsamler's list, the
grundlag and the export are not empty the first time someone tries them; and a few tegn and a læring, approved
(one corrected by the chef) or waiting, so that a chef's and Chefforum's coverage in `oversigt` and the målplan
export show something real; and Kirkebjerg's Plan A (Herstedlund's left missing). Idempotent; nobody is notified.

Run by scripts/run.sh after the demo organisation is imported; refused unless LOCAL_DEVELOPMENT=true.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from core.vocabulary import Action, Afsender, Colour, EntryKind, EntryStatus, Niveau, Role, Tema
from domain import plan_a
from domain.actor import Actor
from domain.corrections import correct_and_approve
from domain.eksempler import record_outcomes, selection_of, set_film_candidate
from domain.entries import Beslutning, EksempelData, EntryData, Evaluering, LaeringData, TegnData, Tvaerfaglighed
from domain.workflow import decide_on, submit
from storage import plan_a as plan_a_store
from storage import repo
from storage.db import create_engine, create_sessionmaker

log = logging.getLogger(__name__)

METTE = "mette.hansen@albertslund.dk"
AHMED = "ahmed.khan@albertslund.dk"
LARS = "lars.mikkelsen@albertslund.dk"
SOFIE = "sofie.berg@albertslund.dk"
STINNE = "stinne.gronne@albertslund.dk"
KARIN = "karin.holm@albertslund.dk"


@dataclass(frozen=True)
class Demo:
    key: str
    writer: str
    tema: Tema
    niveau: Niveau
    eksempel: str
    situation: str = ""
    fra: Afsender = Afsender.PERSON
    # How far it has come: sent on by the leder, then each forum's outcome in turn (status, forum, day).
    forwarded: bool = True
    outcomes: tuple[tuple[EntryStatus, str, dt.date], ...] = ()
    film: bool = False


NOV = 11
ARBEJDSGRUPPEN = (EntryStatus.SELECTED, "arbejdsgruppen", dt.date(2026, NOV, 10))
CHEFFORUM = (EntryStatus.QUALIFIED, "Chefforum", dt.date(2026, NOV, 17))
KOMMUNEMED = (EntryStatus.ADOPTED, "KommuneMED", dt.date(2026, NOV, 20))

DEMO: tuple[Demo, ...] = (
    Demo(
        "demo-eksempel-1",
        METTE,
        Tema.RELATIONER,
        Niveau.MEDARBEJDER,
        "Når en kollega er syg, fordeler vi opgaverne på morgenmødet, så børnene ikke mærker det, og den der får "
        "en ekstra opgave, får en anden taget fra sig.",
        "Morgenmødet kl. 7.30",
        Afsender.ENHED,
        outcomes=(ARBEJDSGRUPPEN, CHEFFORUM, KOMMUNEMED),
        film=True,
    ),
    Demo(
        "demo-eksempel-2",
        AHMED,
        Tema.MOD,
        Niveau.MEDARBEJDER,
        "Når vi er uenige i en beslutning, siger vi det højt på personalemødet – også når lederen er til stede – "
        "og vi foreslår, hvad vi hellere vil prøve.",
        "Personalemødet",
        outcomes=(ARBEJDSGRUPPEN, CHEFFORUM),
    ),
    Demo(
        "demo-eksempel-3",
        METTE,
        Tema.HELHED,
        Niveau.MEDARBEJDER,
        "Når et barn skal starte i skole, inviterer vi kollegaerne fra skolen med til vores teammøde, så de kender "
        "barnet, før det starter.",
        outcomes=(ARBEJDSGRUPPEN,),
    ),
    Demo(
        "demo-eksempel-4",
        AHMED,
        Tema.HELHED,
        Niveau.MEDARBEJDER,
        "Før et barn starter i skole, inviterer vi kollegaer fra skolen med til teammødet, så de kender barnet på "
        "forhånd.",
    ),
    Demo(
        "demo-eksempel-5",
        LARS,
        Tema.VORES_OPGAVE,
        Niveau.LEDER,
        "Som leder begynder jeg hvert personalemøde med et eksempel fra ugen, hvor vi gjorde en forskel for et "
        "barn, og spørger, hvad vi kan lære af det.",
        "Personalemødet",
        outcomes=((EntryStatus.NOT_SELECTED, "arbejdsgruppen", dt.date(2026, NOV, 10)),),
    ),
    Demo(
        "demo-eksempel-6",
        SOFIE,
        Tema.MOD,
        Niveau.LEDER,
        "På ledermødet fortæller jeg om en beslutning, der ikke holdt, og hvad jeg gjorde bagefter, så de andre "
        "ledere kan lære af det.",
        "Ledermødet",
    ),
    Demo(
        "demo-eksempel-7",
        AHMED,
        Tema.VORES_OPGAVE,
        Niveau.MEDARBEJDER,
        "Vi spørger forældrene, hvad der er vigtigt for dem, før vi planlægger en ny aktivitet for børnene.",
        forwarded=False,
    ),
)


async def _actor(session: AsyncSession, email: str) -> Actor:
    person = await repo.person_by_email(session, email)
    if person is None:
        raise LookupError(f"{email} is not in the organisation: import demo/organisation.yaml first")
    return Actor.of(person)


async def seed(session: AsyncSession) -> int:
    """Store the demo eksempler that are not there yet and move each to its stage; returns how many were new."""
    stinne = await _actor(session, STINNE)
    selection = await selection_of(session)
    fora = {forum for step in selection for forum in step.fora}
    created_count = 0
    for demo in DEMO:
        writer = await _actor(session, demo.writer)
        if writer.unit_id is None:
            continue
        data = EksempelData(
            tema=demo.tema, niveau=demo.niveau, eksempel=demo.eksempel, situation=demo.situation, fra=demo.fra
        )
        entry, created = await submit(
            session, actor=writer, kind=EntryKind.EKSEMPEL, unit_id=writer.unit_id, data=data, idempotency_key=demo.key
        )
        if not created:
            continue
        created_count += 1
        if demo.forwarded and entry.stage == 0:
            ledere = await repo.persons_holding(session, Role.LEDER, [writer.unit_id])
            leder = await repo.person_by_id(session, ledere[0].id) if ledere else None
            if leder is not None:
                await decide_on(
                    session,
                    actor=Actor.of(leder),
                    entry_id=entry.id,
                    action=Action.RECOMMEND,
                    seen_version=entry.version,
                )
        for status, forum, day in demo.outcomes:
            if forum in fora:
                await record_outcomes(
                    session,
                    actor=stinne,
                    entry_ids=[entry.id],
                    outcome=status,
                    forum=forum,
                    occurred_on=day,
                    tell=False,
                )
        if demo.film:
            await set_film_candidate(session, actor=stinne, entry_ids=[entry.id], film=True)
    return created_count


@dataclass(frozen=True)
class DemoEntry:
    """A tegn or læring for a mål of the demo målplaner, and how far it has come."""

    key: str
    writer: str
    maal_key: str
    data: EntryData
    recommended: bool = True
    # Approved by the chef, with the wording corrected to this (»Ret og godkend«) when given.
    approved: bool = True
    corrected: EntryData | None = None


DEMO_ENTRIES: tuple[DemoEntry, ...] = (
    DemoEntry(
        "demo-tegn-1",
        METTE,
        "sprog",
        TegnData(
            tegn="Flere børn fortæller selv om deres weekend i samlingen",
            maalgruppe="Børn på 5 år",
            opfoelgning="Pædagogernes iagttagelser i samlingen, en gang om måneden",
            indikator=1,
        ),
    ),
    DemoEntry(
        "demo-tegn-2",
        AHMED,
        "sprog",
        TegnData(tegn="Vi vil læse mere for børnene", maalgruppe="Alle børn", opfoelgning="Sprogvurderingerne"),
        corrected=TegnData(
            tegn="Flere børn beder selv om at få læst højt", maalgruppe="Alle børn", opfoelgning="Sprogvurderingerne"
        ),
    ),
    DemoEntry(
        "demo-tegn-3",
        METTE,
        "natur",
        TegnData(tegn="Børnene samler affald på turen uden at blive bedt om det", maalgruppe="Børn på 3-5 år"),
        approved=False,
    ),
    DemoEntry(
        "demo-laering-1",
        METTE,
        "sprog",
        LaeringData(
            proevehandling_id=0,  # the mål's first prøvehandling, found when it is stored
            evaluering=Evaluering.UNDERVEJS,
            hvad_gjorde_vi="Vi læste i grupper på fire hver formiddag",
            tegn_set="De stille børn tog oftere ordet",
            effekt="Forældrene spørger efter bøgerne",
            laering="Små grupper giver de stille børn ordet",
            beslutning=Beslutning.FORTSAET,
            tvaerfaglighed=Tvaerfaglighed.VIDEN,
            borgerinddragelse=True,
            indikator=6,
        ),
    ),
)


async def seed_maalplaner(session: AsyncSession) -> int:
    """Store the demo tegn and læring that are not there yet, each moved as far as it has come."""
    lars, karin = await _actor(session, LARS), await _actor(session, KARIN)
    created_count = 0
    for demo in DEMO_ENTRIES:
        writer = await _actor(session, demo.writer)
        if writer.unit_id is None:
            continue
        maal = next(
            (m for m in await repo.maal_for_units(session, [writer.unit_id], 2026) if m.key == demo.maal_key), None
        )
        if maal is None:
            continue
        data, proevehandling_id = demo.data, None
        if isinstance(data, LaeringData):
            proevehandling_id = maal.proevehandlinger[0].id
            data = data.model_copy(update={"proevehandling_id": proevehandling_id})
        kind = EntryKind.TEGN if isinstance(data, TegnData) else EntryKind.LAERING
        entry, created = await submit(
            session,
            actor=writer,
            kind=kind,
            unit_id=writer.unit_id,
            maal_id=maal.id,
            proevehandling_id=proevehandling_id,
            data=data,
            idempotency_key=demo.key,
        )
        if not created:
            continue
        created_count += 1
        if demo.recommended:
            entry = (
                await decide_on(
                    session, actor=lars, entry_id=entry.id, action=Action.RECOMMEND, seen_version=entry.version
                )
            ).entry
            if demo.approved:
                await correct_and_approve(
                    session,
                    actor=karin,
                    entry_id=entry.id,
                    seen_version=entry.version,
                    corrected=demo.corrected or data,
                )
    return created_count


# Kirkebjerg's Plan A, written by Lars (Herstedlund's is left empty: one filled in, one missing).
DEMO_PLAN_A: dict[int, tuple[str, str]] = {
    1: (
        "Flere kolleger kan forklare, hvordan det, de gør med børnene, hænger sammen med byens vision for børnene",
        "Vi spørger på personalemøderne i marts og oktober; målplanens tegn om sprog og natur",
    ),
    6: (
        "Flere kolleger siger i trivselsmålingen, at de kan få hjælp, når de er pressede, og sygefraværet falder "
        "fra 6 til 4 procent",
        "Trivselsmålingen hvert år og sygefraværet hvert kvartal",
    ),
    8: (
        "Forældre til børn med særlige behov oplever, at dagtilbud, PPR og sundhedsplejen kender hinandens planer",
        "Vi spørger forældrene ved overgangsmøderne",
    ),
}


# The status on indikator 6 that Lars recorded after a status round in the autumn.
DEMO_PLAN_A_STATUS = (
    6,
    Colour.GUL,
    "Vi hjælper hinanden mere, men sygefraværet er stadig 6 procent",
    dt.date(2026, 11, 25),
)


async def seed_plan_a(session: AsyncSession) -> int:
    """Kirkebjerg's Plan A, once (a Plan A that has been written in is left as it is); returns 1 when written."""
    lars = await _actor(session, LARS)
    [unit_id] = sorted(lars.units_with_role(Role.LEDER))
    existing = await plan_a_store.plan_of_unit(session, unit_id)
    if existing is not None and existing.version:
        return 0
    editor = plan_a.Editor(session, lars, unit_id)
    for number, (forskel, kendetegn) in DEMO_PLAN_A.items():
        await editor.set_texts(number, {plan_a.Field.FORSKEL: forskel, plan_a.Field.KENDETEGN: kendetegn})
    await editor.add_document(6, "https://intra.albertslund.dk/apv/kirkebjerg-2026", "APV-handleplan 2026")
    await editor.set_form(
        form="En plakat i personalerummet og et fast punkt på hvert andet personalemøde",
        decided_on=dt.date(2026, 10, 28),
        in_use_since=dt.date(2026, 11, 25),
    )
    number, colour, said, on = DEMO_PLAN_A_STATUS
    await plan_a.record_status(session, actor=lars, unit_id=unit_id, number=number, colour=colour, text=said, on=on)
    return 1


async def seed_database(database_url: str) -> int:
    engine = create_engine(database_url)
    try:
        async with create_sessionmaker(engine).begin() as session:
            return await seed(session) + await seed_maalplaner(session) + await seed_plan_a(session)
    finally:
        await engine.dispose()
