"""Personalemøde rounds: a leder opens a round in the team's chat, everyone adds proposals, the leder closes it and
forwards the proposals she picks as entries. Plain Python over the repository; no botbuilder.

A round is one row per chat (`Round.live_in` is unique while it is set up or open), its proposals are rows of
their own, and every view of it is built from the database: the card's data carries only the round's id.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.vocabulary import (
    Action,
    Afsender,
    Colour,
    ConversationType,
    EntryKind,
    EntryStatus,
    Niveau,
    Role,
    RoundStatus,
    RoundTopic,
    Tema,
)
from domain import clock, plan_a
from domain.actor import Actor
from domain.approvals import notify_after
from domain.coaching import round_tip
from domain.eksempler import submit_eksempel
from domain.entries import MEDIUM, EksempelData, EntryData, Evaluering, LaeringData, ProevehandlingData, TegnData
from domain.policy import NotAllowed, Refusal, RoundFacts, RoundPolicy, first_stage, may_start_round, round_policy
from domain.workflow import decide_on, route_of, submit
from storage import repo
from storage.models import Entry, Round, RoundProposal

log = logging.getLogger(__name__)

# How long a proposal may be: a sentence or two, read aloud in the meeting.
PROPOSAL_MAX = 500
# Teams refreshes a card by itself for at most this many users (refresh.userIds).
REFRESH_MAX_USERS = 60


@dataclass(frozen=True)
class RoundTarget:
    """What a round asks about: a mål (tegn), a prøvehandling (læring), or a tema at a level (eksempel)."""

    kind: EntryKind
    maal_id: int | None = None
    proevehandling_id: int | None = None
    tema: Tema | None = None  # None in an eksempel round: all four temaer
    niveau: Niveau | None = None


@dataclass(frozen=True)
class PlanATarget:
    """What a round on the unit's Plan A asks about (issue 21): the difference we want to create for an indikator,
    or how it is going with it."""

    topic: RoundTopic
    indikator: int


@dataclass(frozen=True)
class TargetOption:
    target: RoundTarget | PlanATarget
    title: str
    unit_name: str


@dataclass(frozen=True)
class ProposalView:
    id: int
    text: str
    author_id: int
    author_name: str
    tema: Tema | None
    forwarded_text: str | None
    entry_id: int | None
    # The coaching the proposal got (domain.coaching.round_tip): shown to its author and, in the selection, the starter.
    tip: str | None = None
    # A status round's answer: its colour.
    colour: Colour | None = None


@dataclass(frozen=True)
class RoundView:
    id: int
    status: RoundStatus
    kind: EntryKind | None
    starter_name: str
    unit_name: str
    maal_title: str
    maalsaetning: str
    proevehandling_title: str
    tema: Tema | None
    niveau: Niveau | None
    show_names: bool
    hide_until_close: bool
    count: int
    people: int
    roster: tuple[str, ...]
    member_count: int
    opened_at: dt.datetime | None
    closed_at: dt.datetime | None
    # Teams does not refresh cards by itself in channels (Microsoft-Teams-Samples#1246).
    in_channel: bool = False
    # Only the proposals this viewer may see (see RoundPolicy.sees_all): absent, not hidden.
    proposals: tuple[ProposalView, ...] = ()
    mine: tuple[ProposalView, ...] = ()
    # An eksempel round's proposals by tema, for the summary.
    extra: dict[str, Any] = field(default_factory=dict)
    # A round on the Plan A (issue 21): its topic and the indikator it asks about.
    topic: RoundTopic | None = None
    indikator_number: int | None = None
    indikator_text: str = ""

    @property
    def all_temaer(self) -> bool:
        return self.kind is EntryKind.EKSEMPEL and self.tema is None


@dataclass(frozen=True)
class SeenRound:
    view: RoundView
    policy: RoundPolicy


def text_key(text: str) -> str:
    """The same proposal typed twice (or a retried click) maps to the same key."""
    normal = " ".join(unicodedata.normalize("NFC", text).casefold().split())
    return hashlib.sha256(normal.encode()).hexdigest()


def base_shown(status: RoundStatus, count: int, people: int) -> str:
    """What the shared base card shows, in short: it needs an update when this changes."""
    return f"{status.value}:{count}:{people}"


async def policy_of(session: AsyncSession, row: Round, actor: Actor) -> RoundPolicy:
    """What `actor` may do with the round now (domain.policy.round_policy): the one place its rules are read."""
    return round_policy(await facts_of(session, row), actor)


async def facts_of(session: AsyncSession, row: Round) -> RoundFacts:
    unit_path: tuple[int, ...] = ()
    if row.unit_id is not None:
        unit_path = repo.unit_path(await repo.all_units(session), row.unit_id)
    return RoundFacts(
        starter_id=row.starter_id,
        is_open=row.status is RoundStatus.OPEN,
        is_closed=row.status is RoundStatus.CLOSED,
        is_forwarded=row.status is RoundStatus.FORWARDED,
        hide_until_close=row.hide_until_close,
        unit_path=unit_path,
    )


def tip_for(kind: EntryKind | None, topic: RoundTopic | None, text: str) -> str | None:
    """The coaching a proposal gets: the entry kind's (domain.coaching.round_tip), or in a Plan A round the Plan A's
    own (a difference that is really an action list or an intention: »plan_a_handlinger«, »plan_a_hensigt«)."""
    if topic is RoundTopic.PLAN_A:
        tip = plan_a.forskel_tip(text)
        return f"plan_a_{tip.value}" if tip is not None else None
    if topic is not None:
        return None
    return round_tip(kind, text)


def _proposal_view(p: RoundProposal, row: Round) -> ProposalView:
    return ProposalView(
        p.id,
        p.text,
        p.author_id,
        p.author.display_name,
        p.tema,
        p.forwarded_text,
        p.entry_id,
        tip_for(row.kind, row.topic, p.text),
        p.colour,
    )


def view_of(row: Round, policy: RoundPolicy | None, viewer_id: int | None) -> RoundView:
    """The round as a card shows it to one viewer (or, with no viewer, the shared base card: counts only)."""
    live = [p for p in row.proposals if not p.removed]
    visible = tuple(_proposal_view(p, row) for p in live) if policy is not None and policy.sees_all else ()
    mine = tuple(_proposal_view(p, row) for p in live if viewer_id is not None and p.author_id == viewer_id)
    return RoundView(
        id=row.id,
        status=row.status,
        kind=row.kind,
        starter_name=row.starter.display_name,
        unit_name=row.unit.name if row.unit else "",
        maal_title=row.maal.title if row.maal else "",
        maalsaetning=row.maal.maalsaetning if row.maal else "",
        proevehandling_title=row.proevehandling.title if row.proevehandling else "",
        tema=row.tema,
        niveau=row.niveau,
        show_names=row.show_names,
        hide_until_close=row.hide_until_close,
        count=len(live),
        people=len({p.author_id for p in live}),
        roster=tuple(str(user) for user in row.roster),
        member_count=row.member_count,
        opened_at=row.opened_at,
        closed_at=row.closed_at,
        in_channel=(row.reference.get("conversation") or {}).get("conversationType") == ConversationType.CHANNEL,
        proposals=visible,
        mine=mine,
        topic=row.topic,
        indikator_number=row.indikator_number,
        indikator_text=row.indikator_text or "",
    )


async def seen_by(session: AsyncSession, row: Round, viewer: Actor) -> SeenRound:
    policy = round_policy(await facts_of(session, row), viewer)
    return SeenRound(view_of(row, policy, viewer.person_id), policy)


def summary_of(row: Round) -> RoundView:
    """The closed round's summary, the same for everyone: every proposal, with names as the starter chose."""
    policy = RoundPolicy(is_starter=False, may_add=False, sees_all=True, may_close=False, may_select=False)
    return view_of(row, policy, None)


async def load(session: AsyncSession, round_id: int) -> Round:
    row = await repo.get_round(session, round_id)
    if row is None:
        raise NotAllowed(Refusal.NOT_FOUND)
    return row


# --- Starting ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Setup:
    round: Round
    # The chat already had an open round: it is shown again instead.
    already_open: bool


async def begin(session: AsyncSession, *, actor: Actor, conversation_id: str, reference: dict[str, Any]) -> Setup:
    """`møde` in a chat: the open round if there is one, else a round in set-up for this leder or chef."""
    live = await repo.live_round(session, conversation_id)
    if live is not None and live.status is RoundStatus.OPEN:
        return Setup(live, already_open=True)
    if not may_start_round(actor):
        raise NotAllowed(Refusal.NOT_A_LEADER)
    if live is not None:
        if live.starter_id == actor.person_id:
            return Setup(live, already_open=False)
        # Another leder's set-up that was never started: this one replaces it.
        await repo.move_round(session, live.id, expected=RoundStatus.SETUP, status=RoundStatus.CANCELLED, live_in=None)
    row = await repo.add_round(
        session,
        conversation_id=conversation_id,
        live_in=conversation_id,
        reference=reference,
        starter_id=actor.person_id,
        status=RoundStatus.SETUP,
        show_names=True,
        hide_until_close=False,
        roster=[],
        member_count=0,
        base_shown="",
    )
    if row is None:
        # Someone started one in the same moment (another instance): show theirs.
        live = await repo.live_round(session, conversation_id)
        if live is None:
            raise NotAllowed(Refusal.NOT_FOUND)
        return Setup(live, already_open=live.status is RoundStatus.OPEN)
    log.info("round %s set up by person %s", row.id, actor.person_id)
    return Setup(row, already_open=False)


def _leader_units(units: repo.Units, actor: Actor) -> set[int]:
    led = set(actor.units_with_role(Role.LEDER))
    for afdeling in actor.units_with_role(Role.CHEF):
        led |= repo.units_below(units, afdeling)
    return led


async def target_options(session: AsyncSession, actor: Actor) -> list[TargetOption]:
    """The mål (tegn rounds) and prøvehandlinger (læring rounds) of the units this leder or chef leads."""
    units = await repo.all_units(session)
    options: list[TargetOption] = []
    maal_list = await repo.maal_for_units(session, sorted(_leader_units(units, actor)), clock.this_year())
    for kind in (EntryKind.TEGN, EntryKind.PROEVEHANDLING):  # udviklingsdage del 1 and del 2
        for maal in maal_list:
            options.append(TargetOption(RoundTarget(kind, maal_id=maal.id), maal.title, maal.maalplan.unit.name))
    for maal in maal_list:
        for ph in maal.proevehandlinger:
            target = RoundTarget(EntryKind.LAERING, maal_id=maal.id, proevehandling_id=ph.id)
            options.append(TargetOption(target, ph.title, maal.maalplan.unit.name))
    return options + await plan_a_options(session, actor)


async def plan_a_options(session: AsyncSession, actor: Actor) -> list[TargetOption]:
    """The indikatorer of the Plan A the starter edits (the unit they lead): a Plan A round and a status round on
    each. Only the unit's leder works proposals into its Plan A and records its status, so only they start these."""
    unit_id = await plan_a.own_unit(session, actor)
    if unit_id is None or not (await plan_a.rights_for(session, actor, unit_id)).may_edit:
        return []
    current = await plan_a.view(session, unit_id)
    if current is None:
        return []
    return [
        TargetOption(PlanATarget(topic, item.number), item.text, current.unit_name)
        for topic in RoundTopic
        for item in current.indikatorer
    ]


def _allowed_target(options: list[TargetOption], target: RoundTarget) -> RoundTarget:
    """The target as one of the starter's options; a typed læring round names only its prøvehandling (its
    number), the mål follows from it. NotAllowed(BAD_TARGET) for anything the starter does not lead."""
    for option in options:
        found = option.target
        if isinstance(found, PlanATarget) or found.kind is not target.kind:
            continue
        same_ph = found.proevehandling_id == target.proevehandling_id
        if target.kind is EntryKind.LAERING and same_ph and target.maal_id in (None, found.maal_id):
            return found
        if target.kind in (EntryKind.TEGN, EntryKind.PROEVEHANDLING) and found.maal_id == target.maal_id and same_ph:
            return found
    raise NotAllowed(Refusal.BAD_TARGET)


def _eksempel_unit(units: repo.Units, actor: Actor) -> int | None:
    led = sorted(actor.units_with_role(Role.LEDER))
    if led:
        return led[0]
    if actor.unit_id is not None:
        return actor.unit_id
    chef = sorted(actor.units_with_role(Role.CHEF))
    return chef[0] if chef else None


async def open_round(
    session: AsyncSession,
    *,
    actor: Actor,
    round_id: int,
    target: RoundTarget | PlanATarget,
    show_names: bool,
    hide_until_close: bool,
    roster: list[str],
    member_count: int,
) -> tuple[Round, bool]:
    """The starter's "Start runden": the round opens with its target and settings. Returns (round, opened now);
    a repeat (a Teams retry) finds it open already and opens nothing."""
    row = await load(session, round_id)
    if row.starter_id != actor.person_id:
        raise NotAllowed(Refusal.NOT_STARTER)
    if row.status is not RoundStatus.SETUP:
        return row, False
    if isinstance(target, PlanATarget):
        return await _open_on_plan_a(
            session,
            actor=actor,
            row=row,
            target=target,
            show_names=show_names,
            hide_until_close=hide_until_close,
            roster=roster,
            member_count=member_count,
        )
    units = await repo.all_units(session)
    unit_id: int | None
    if target.kind is EntryKind.EKSEMPEL:
        unit_id = _eksempel_unit(units, actor)
    else:
        target = _allowed_target(await target_options(session, actor), target)
        assert target.maal_id is not None
        maal = await repo.get_maal(session, target.maal_id)
        unit_id = maal.maalplan.unit_id if maal else None
    if unit_id is None:
        raise NotAllowed(Refusal.BAD_TARGET)
    opened = await repo.move_round(
        session,
        round_id,
        expected=RoundStatus.SETUP,
        status=RoundStatus.OPEN,
        kind=target.kind,
        unit_id=unit_id,
        maal_id=target.maal_id,
        proevehandling_id=target.proevehandling_id,
        tema=target.tema,
        niveau=target.niveau or (Niveau.MEDARBEJDER if target.kind is EntryKind.EKSEMPEL else None),
        show_names=show_names,
        hide_until_close=hide_until_close,
        roster=roster[:REFRESH_MAX_USERS],
        member_count=member_count,
        opened_at=clock.now(),
        base_shown=base_shown(RoundStatus.OPEN, 0, 0),
    )
    if opened:
        log.info("round %s opened: %s, %s members", round_id, target.kind.value, member_count)
    return await load(session, round_id), opened


async def _open_on_plan_a(
    session: AsyncSession,
    *,
    actor: Actor,
    row: Round,
    target: PlanATarget,
    show_names: bool,
    hide_until_close: bool,
    roster: list[str],
    member_count: int,
) -> tuple[Round, bool]:
    """A Plan A or status round on one of the indikatorer in the starter's Plan A (NotAllowed(BAD_TARGET) else)."""
    options = await plan_a_options(session, actor)
    found = next((o for o in options if o.target == target), None)
    unit_id = await plan_a.own_unit(session, actor)
    if found is None or unit_id is None:
        raise NotAllowed(Refusal.BAD_TARGET)
    opened = await repo.move_round(
        session,
        row.id,
        expected=RoundStatus.SETUP,
        status=RoundStatus.OPEN,
        kind=None,
        topic=target.topic,
        indikator_number=target.indikator,
        indikator_text=found.title[:500],
        unit_id=unit_id,
        show_names=show_names,
        hide_until_close=hide_until_close,
        roster=roster[:REFRESH_MAX_USERS],
        member_count=member_count,
        opened_at=clock.now(),
        base_shown=base_shown(RoundStatus.OPEN, 0, 0),
    )
    if opened:
        log.info(
            "round %s opened: %s on indikator %s, %s members",
            row.id,
            target.topic.value,
            target.indikator,
            member_count,
        )
    return await load(session, row.id), opened


async def set_activity(
    session: AsyncSession, round_id: int, activity_id: str | None, *, reference: dict[str, Any] | None = None
) -> None:
    """The message that shows the round's shared card (the latest, when `møde` showed it again, with the
    conversation reference of that turn)."""
    values: dict[str, Any] = {"activity_id": activity_id}
    if reference is not None:
        values["reference"] = reference
    await repo.set_round_fields(session, round_id, **values)


# --- Adding and removing ----------------------------------------------------------------------------------------


# How many proposals one person may have in one round, unless the settings say otherwise (a round's cards must stay
# under Teams' size limit, and one person must not crowd out the others).
MAX_PER_PERSON = 5


async def add_proposal(
    session: AsyncSession,
    *,
    actor: Actor,
    round_id: int,
    text: str,
    tema: Tema | None,
    max_per_person: int = MAX_PER_PERSON,
    colour: Colour | None = None,
    topic: RoundTopic | None = None,
) -> bool:
    """One proposal, one small unit of work: a status read that holds off a close, and one insert.

    `topic`: the round's, as the caller read it; a status round's answer needs a colour (NotAllowed(COLOUR_REQUIRED)),
    and any other round keeps none. Returns whether anything changed (False for a repeat). NotAllowed(NOT_OPEN) once
    the round is closed.
    """
    status = await repo.round_status(session, round_id, for_share=True)
    if status is None:
        raise NotAllowed(Refusal.NOT_FOUND)
    if status is not RoundStatus.OPEN:
        raise NotAllowed(Refusal.NOT_OPEN)
    if topic is RoundTopic.STATUS and colour is None:
        raise NotAllowed(Refusal.COLOUR_REQUIRED)
    if topic is not RoundTopic.STATUS:
        colour = None
    # A status answer is its colour and its sentence: the same sentence in another colour is another answer.
    key = text_key(f"{colour.value}: {text}" if colour else text)
    mine = await repo.live_proposal_keys(session, round_id=round_id, author_id=actor.person_id)
    if key not in mine and len(mine) >= max_per_person:
        raise NotAllowed(Refusal.TOO_MANY)
    proposal_id, changed = await repo.add_round_proposal(
        session, round_id=round_id, author_id=actor.person_id, text=text, text_key=key, tema=tema, colour=colour
    )
    log.info("round %s: proposal %s by person %s (%s)", round_id, proposal_id, actor.person_id, changed)
    return changed


async def remove_proposal(session: AsyncSession, *, actor: Actor, round_id: int, proposal_id: int) -> bool:
    status = await repo.round_status(session, round_id, for_share=True)
    if status is not RoundStatus.OPEN:
        raise NotAllowed(Refusal.NOT_OPEN)
    return await repo.remove_round_proposal(
        session, proposal_id=proposal_id, round_id=round_id, author_id=actor.person_id
    )


# --- The shared card's coalesced update -------------------------------------------------------------------------


@dataclass(frozen=True)
class BaseUpdate:
    """What the caller should do about the shared card now."""

    # The round, when this caller won the right to update the card now.
    round: Round | None = None
    # Otherwise: seconds to wait before asking again; None when the card is up to date.
    wait: float | None = None


async def claim_base_update(session: AsyncSession, *, round_id: int, interval: float) -> BaseUpdate:
    """Whether to update the shared card now. The database decides, so that across instances the card is updated
    at most once per `interval` and always ends up showing the last count: the counts are read in the same
    transaction that records what the card will show."""
    row = await repo.get_round(session, round_id)
    if row is None or row.activity_id is None or row.status is RoundStatus.SETUP:
        return BaseUpdate()
    count, people = await repo.round_counts(session, round_id)
    shown = base_shown(row.status, count, people)
    if shown == row.base_shown:
        return BaseUpdate()
    now = clock.now()
    not_since = now - dt.timedelta(seconds=interval)
    if await repo.claim_round_base_update(session, round_id=round_id, shown=shown, not_since=not_since, now=now):
        return BaseUpdate(round=await load(session, round_id))
    last = repo.as_utc(row.base_updated_at) if row.base_updated_at else now
    return BaseUpdate(wait=max(0.05, interval - (now - last).total_seconds()))


async def mark_base_shown(session: AsyncSession, row: Round) -> None:
    """The shared card was just updated outside the coalescer (at close): record what it shows."""
    count, people = await repo.round_counts(session, row.id)
    await repo.set_round_fields(
        session, row.id, base_shown=base_shown(row.status, count, people), base_updated_at=clock.now()
    )


# --- Closing ----------------------------------------------------------------------------------------------------


async def close(session: AsyncSession, *, actor: Actor | None, round_id: int) -> tuple[Round, bool]:
    """Close the round (the starter, or a leder or chef of its unit; None is the automatic close).

    Returns (round, closed now): two closes give one summary, because only one conditional UPDATE wins.
    """
    row = await load(session, round_id)
    if actor is not None:
        policy = round_policy(await facts_of(session, row), actor)
        if row.status is RoundStatus.OPEN and not policy.may_close:
            raise NotAllowed(Refusal.NOT_ALLOWED)
    if row.status is not RoundStatus.OPEN:
        return row, False
    closed = await repo.move_round(
        session,
        round_id,
        expected=RoundStatus.OPEN,
        status=RoundStatus.CLOSED,
        live_in=None,
        closed_at=clock.now(),
        closed_by_id=actor.person_id if actor else None,
    )
    row = await load(session, round_id)
    if closed:
        log.info("round %s closed by %s", round_id, actor.person_id if actor else "the clock")
        await mark_base_shown(session, row)
    return row, closed


async def overdue(session: AsyncSession, *, max_open: dt.timedelta) -> list[int]:
    return await repo.overdue_rounds(session, opened_before=clock.now() - max_open)


# --- Forwarding -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Forwarded:
    round: Round
    entries: list[Entry]
    # For the caller to deliver after it has answered (the approvers' cards, the authors' news).
    notification_ids: list[int]


def _entry_data(row: Round, proposal: RoundProposal, text: str, tema: Tema | None) -> EntryData:
    if row.kind is EntryKind.TEGN:
        return TegnData(tegn=text)
    if row.kind is EntryKind.PROEVEHANDLING:
        # What the meeting proposed to try; how we will see its effect is the chef's and leder's to add.
        return ProevehandlingData(handling=text[:MEDIUM])
    if row.kind is EntryKind.LAERING:
        return LaeringData(proevehandling_id=row.proevehandling_id, evaluering=Evaluering.UNDERVEJS, laering=text)
    tema = row.tema or tema or proposal.tema
    if tema is None:
        # A typed proposal in a round on all four temaer: the starter chooses its tema; never filed under one.
        raise NotAllowed(Refusal.BAD_TARGET)
    # From the meeting: in the unit's name (domain.eksempler shows the unit as the sender).
    return EksempelData(tema=tema, niveau=row.niveau or Niveau.MEDARBEJDER, eksempel=text, fra=Afsender.ENHED)


async def forward(
    session: AsyncSession,
    *,
    actor: Actor,
    round_id: int,
    chosen: dict[int, str],
    comment: Callable[[str, str | None], str],
    temaer: Mapping[int, Tema] | None = None,
) -> Forwarded:
    """The starter's "Send videre": each chosen proposal (by id, with the wording to send) becomes an entry of
    the round's unit, owned by its author, placed after the leder stage (the starter stands for the leder).

    `comment(original, corrected_or_None)` is the history note for the forwarding step ("fra personalemødet…").
    Eksempler are stored through domain.eksempler.submit_eksempel, the one way an eksempel is created. A repeat
    (the round is forwarded already) forwards nothing again. The notifications are for the caller to deliver.
    """
    row = await load(session, round_id)
    if row.starter_id != actor.person_id:
        raise NotAllowed(Refusal.NOT_STARTER)
    if row.topic is not None:
        raise NotAllowed(Refusal.BAD_TARGET)  # a round on the Plan A goes to its leder: use_in_plan_a, record_status
    if row.status is RoundStatus.FORWARDED:
        return Forwarded(row, [], [])
    if row.status is not RoundStatus.CLOSED:
        raise NotAllowed(Refusal.NOT_CLOSED)
    if not await repo.move_round(
        session, round_id, expected=RoundStatus.CLOSED, status=RoundStatus.FORWARDED, forwarded_at=clock.now()
    ):
        return Forwarded(await load(session, round_id), [], [])
    assert row.kind is not None and row.unit_id is not None
    route = await route_of(session, row.kind)
    unit_path = repo.unit_path(await repo.all_units(session), row.unit_id)
    authors = await repo.roles_by_person(session, [p.author_id for p in row.proposals])
    entries: list[Entry] = []
    notification_ids: list[int] = []
    for proposal in row.proposals:
        if proposal.removed or proposal.id not in chosen:
            continue
        text = chosen[proposal.id]
        # An anonymous round's entries belong to the starter, on the unit's behalf: no card, list or export names
        # their authors (the author still finds the proposal, sent on, in `mine`).
        author = (
            actor
            if not row.show_names
            else Actor(
                proposal.author_id,
                proposal.author.display_name,
                proposal.author.unit_id,
                authors.get(proposal.author_id, frozenset()),
            )
        )
        key = f"round:{row.id}:proposal:{proposal.id}"
        stage = first_stage(route, author, unit_path)
        leder_review = stage < len(route) - 1 and route[stage] is Role.LEDER
        corrected = text if text != proposal.text else None
        # Submitted as the author wrote it when the starter's review is recorded as a step of its own (with the
        # corrected wording and the original in its comment); else straight away in the starter's wording, the
        # original in the submission's comment.
        tema = (temaer or {}).get(proposal.id)
        original = _entry_data(row, proposal, proposal.text if leder_review else text, tema)
        note = "" if leder_review else comment(proposal.text, corrected)
        if isinstance(original, EksempelData):
            submitted = await submit_eksempel(
                session, actor=author, unit_id=row.unit_id, data=original, idempotency_key=key, comment=note
            )
            entry, created = submitted.entry, submitted.created
            notification_ids += submitted.notification_ids
        else:
            entry, created = await submit(
                session,
                actor=author,
                kind=row.kind,
                unit_id=row.unit_id,
                data=original,
                idempotency_key=key,
                maal_id=row.maal_id,
                proevehandling_id=row.proevehandling_id,
                comment=note,
            )
        at_leder = entry.status is EntryStatus.PENDING and entry.stage < len(route) - 1
        if created and at_leder and route[entry.stage] is Role.LEDER:
            # The meeting was the leder's review: the entry goes on to the next stage, with the wording the
            # starter settled on; the original stays in the history.
            decided = await decide_on(
                session,
                actor=actor,
                entry_id=entry.id,
                action=Action.RECOMMEND,
                seen_version=entry.version,
                comment=comment(proposal.text, corrected),
                new_data=_entry_data(row, proposal, text, tema) if corrected else None,
                loaded=entry,
            )
            entry = decided.entry
        recommended = any(d.action is Action.RECOMMEND for d in entry.decisions)
        if created and (recommended or not isinstance(original, EksempelData)):
            notification_ids += await notify_after(session, entry, actor_id=actor.person_id)
        await repo.set_proposal_forwarded(session, proposal_id=proposal.id, text=text, entry_id=entry.id)
        entries.append(entry)
    log.info("round %s forwarded by person %s: %s entries", round_id, actor.person_id, len(entries))
    return Forwarded(await load(session, round_id), entries, notification_ids)


# --- A round on the Plan A: its proposals go to the leder, never to the chef (issue 21) ---------------------------


@dataclass(frozen=True)
class UsedInPlanA:
    round: Round
    unit_id: int
    number: int
    # How many proposals were worked in now (0: a repeat, the round was used already).
    used: int
    tip: plan_a.Tip | None = None


async def _plan_a_round(session: AsyncSession, actor: Actor, round_id: int, topic: RoundTopic) -> Round:
    row = await load(session, round_id)
    if row.starter_id != actor.person_id:
        raise NotAllowed(Refusal.NOT_STARTER)
    if row.topic is not topic or row.unit_id is None or row.indikator_number is None:
        raise NotAllowed(Refusal.BAD_TARGET)
    if row.status not in (RoundStatus.CLOSED, RoundStatus.FORWARDED):
        raise NotAllowed(Refusal.NOT_CLOSED)
    return row


async def use_in_plan_a(session: AsyncSession, *, actor: Actor, round_id: int, chosen: dict[int, str]) -> UsedInPlanA:
    """The starter's »Brug i Plan A«: the chosen proposals (by id, in the wording the starter settled on) are added
    to the indikator's »Hvilken forskel vil vi skabe?« in the unit's Plan A, one change in its history with who and
    when (domain.plan_a.Editor.work_in). No entry, no approval route, nothing to the chef. A repeat (the round is
    used already) adds nothing. plan_a.EditRefused when the starter may no longer edit the Plan A."""
    row = await _plan_a_round(session, actor, round_id, RoundTopic.PLAN_A)
    assert row.unit_id is not None and row.indikator_number is not None
    if row.status is RoundStatus.FORWARDED or not await repo.move_round(
        session, round_id, expected=RoundStatus.CLOSED, status=RoundStatus.FORWARDED, forwarded_at=clock.now()
    ):
        return UsedInPlanA(await load(session, round_id), row.unit_id, row.indikator_number, 0)
    picked = [(p, chosen[p.id]) for p in row.proposals if not p.removed and p.id in chosen]
    edited = await plan_a.Editor(session, actor, row.unit_id).work_in(row.indikator_number, [t for _, t in picked])
    for proposal, text in picked:
        await repo.set_proposal_forwarded(session, proposal_id=proposal.id, text=text, entry_id=None)
    log.info("round %s: %s proposals worked into the plan a of unit %s", round_id, len(picked), row.unit_id)
    return UsedInPlanA(await load(session, round_id), row.unit_id, row.indikator_number, len(picked), edited.tip)


@dataclass(frozen=True)
class StatusRecorded:
    round: Round
    recorded: plan_a.Recorded


async def record_round_status(
    session: AsyncSession, *, actor: Actor, round_id: int, colour: Colour, text: str, on: dt.date
) -> StatusRecorded:
    """The starter records the unit's status on the round's indikator after a status round (domain.plan_a
    .record_status: the leder's right, kept in the status history). The round is then done."""
    row = await _plan_a_round(session, actor, round_id, RoundTopic.STATUS)
    assert row.unit_id is not None and row.indikator_number is not None
    recorded = await plan_a.record_status(
        session,
        actor=actor,
        unit_id=row.unit_id,
        number=row.indikator_number,
        colour=colour,
        text=text,
        on=on,
        round_id=row.id,
    )
    await repo.move_round(
        session, round_id, expected=RoundStatus.CLOSED, status=RoundStatus.FORWARDED, forwarded_at=clock.now()
    )
    return StatusRecorded(await load(session, round_id), recorded)


def spread(view: RoundView) -> dict[Colour, int]:
    """A status round's answers by colour (every colour, zero included), in the order grøn, gul, rød."""
    counts = dict.fromkeys(Colour, 0)
    for proposal in view.proposals:
        if proposal.colour is not None:
            counts[proposal.colour] += 1
    return counts


# --- `mine` -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NotForwarded:
    """A person's proposal from a forwarded round that the starter did not send on."""

    text: str
    meeting: dt.datetime | None
    # Sent on from an anonymous round (then the entry is the starter's, on the unit's behalf): its number.
    entry_id: int | None = None


async def not_forwarded_of(session: AsyncSession, person_id: int) -> list[NotForwarded]:
    return [
        NotForwarded(p.text, p.round.closed_at or p.round.opened_at, p.entry_id)
        for p in await repo.unforwarded_proposals_of(session, person_id)
    ]
