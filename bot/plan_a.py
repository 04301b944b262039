"""`plan a` in Teams: an arbejdsplads's Plan A, read by its people and its chef and edited by its leder, with the
history, the coaching and the plakat's link; and the MUS/LUS preparation card (`mus`, `lus`), sent to a person the
sender leads, in that person's personal chat.

Every action is an Action.Submit in the personal chat and has typed forms (`plan a forskel 6 …`); each is checked
against domain.plan_a's rights on the server, whatever the card offered.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from microsoft_teams.cards.core import AdaptiveCard
from sqlalchemy.ext.asyncio import AsyncSession

from bot import export_links
from bot.services import services
from cards import danish, payloads, texts
from cards.plan_a import edit_card, form_card, history_card, pick_card, plan_card, prep_card, status_card
from core.vocabulary import Colour, Role
from domain import clock, plan_a
from domain.actor import Actor
from domain.logsafe import escaped
from domain.plan_a import EditRefused, Field, Problem
from storage import plan_a as store
from storage import repo
from storage.models import ConversationPrep
from turn.scope import Turn
from turn.table import ACTIONS, Typed, danish_date, number_and_text

log = logging.getLogger(__name__)

# `plan a` is also written `plan-a` and `plana`.
PREFIXES = ("plan a", "plan-a", "plana")
_LEDER = frozenset({Role.LEDER})


def _forms(suffix: str, fields: Callable[[str], dict[str, Any] | None], usage: str, **extra: Any) -> tuple[Typed, ...]:
    return tuple(Typed(f"{prefix} {suffix}".strip(), fields, usage, **extra) for prefix in PREFIXES)


# --- Reading what is typed ------------------------------------------------------------------------------------


def _show_fields(rest: str) -> dict[str, Any] | None:
    if not rest.strip():
        return {}
    found = number_and_text(rest)
    return {"unit_id": found[0]} if found is not None and not found[1] else None


def _text_of(field: str) -> Callable[[str], dict[str, Any] | None]:
    def fields(rest: str) -> dict[str, Any] | None:
        found = number_and_text(rest)
        if found is None or not found[1]:
            return None
        return {"number": found[0], field: found[1]}

    return fields


def _document_fields(rest: str) -> dict[str, Any] | None:
    found = number_and_text(rest)
    if found is None or not found[1]:
        return None
    url, _, title = found[1].partition(" ")
    return {"number": found[0], "doc_url": url, "doc_title": title.strip()}


def _number_only(field: str) -> Callable[[str], dict[str, Any] | None]:
    def fields(rest: str) -> dict[str, Any] | None:
        found = number_and_text(rest)
        return {field: found[0]} if found is not None and not found[1] else None

    return fields


def _remove_document_fields(rest: str) -> dict[str, Any] | None:
    numbers = re.fullmatch(r"\s*(\d{1,3})\s+(?:nr\.?\s*)?(\d{1,3})\s*", rest)
    return {"number": int(numbers.group(1)), "position": int(numbers.group(2))} if numbers else None


def _form_text(rest: str) -> dict[str, Any] | None:
    return {"form": rest} if rest.strip() else None


def _date_of(field: str) -> Callable[[str], dict[str, Any] | None]:
    def fields(rest: str) -> dict[str, Any] | None:
        day = danish_date(rest)
        return {field: day.isoformat()} if day is not None else None

    return fields


def _page(rest: str) -> dict[str, Any] | None:
    if not rest.strip():
        return {}
    found = number_and_text(rest)
    if found is None or found[1] or found[0] < 1:
        return None
    return {"offset": (found[0] - 1) * plan_a.HISTORY_PAGE}


def _empty(rest: str) -> dict[str, Any] | None:
    return {} if not rest.strip() else None


def _person(rest: str) -> dict[str, Any] | None:
    return {"person": rest.strip()} if len(rest.strip()) >= 2 else None


def _notes(rest: str) -> dict[str, Any] | None:
    found = number_and_text(rest)
    return {"prep_id": found[0], "notes": found[1]} if found is not None and found[1] else None


# --- Showing ----------------------------------------------------------------------------------------------------


async def _unit_for(turn: Turn, session: AsyncSession, unit_id: int | None) -> int | None:
    """The unit the action is about: the one named, else the one the person leads or works at."""
    return unit_id if unit_id is not None else await plan_a.own_unit(session, turn.actor)


async def show(turn: Turn, unit_id: int | None, *, notice: str | None = None, new_message: bool = False) -> None:
    async with turn.sessionmaker() as session:
        chosen = await _unit_for(turn, session, unit_id)
        if chosen is None:
            units = await plan_a.chef_units(session, turn.actor)
            if units:
                await turn.answer.card(pick_card(units=units), new_message=new_message)
            else:
                await turn.answer.text(texts.PLAN_A_NO_UNIT)
            return
        rights = await plan_a.rights_for(session, turn.actor, chosen)
        view = await plan_a.view(session, chosen) if rights.may_read else None
        if view is None:
            await _refuse(turn, "read", chosen, texts.PLAN_A_NOT_ALLOWED)
            return
        choices = await plan_a.indikator_choices(session, chosen) if rights.may_edit else []
    await turn.answer.card(plan_card(view=view, rights=rights, choices=choices, notice=notice), new_message=new_message)


async def _refuse(turn: Turn, what: str, unit_id: int | None, text: str) -> None:
    log.warning("plan a %s refused for person %s on unit %s", what, turn.actor.person_id, unit_id)
    await turn.answer.text(text)


@ACTIONS.action(payloads.PlanAShow, typed=_forms("", _show_fields, texts.TYPED_PLAN_A))
async def plan_a_show(turn: Turn, payload: payloads.PlanAShow) -> None:
    await show(turn, payload.unit_id)


@ACTIONS.action(payloads.PlanAHistory, typed=_forms("historik", _page, texts.TYPED_PLAN_A_HISTORIK))
async def plan_a_history(turn: Turn, payload: payloads.PlanAHistory) -> None:
    async with turn.sessionmaker() as session:
        unit_id = await _unit_for(turn, session, payload.unit_id)
        if unit_id is None or not (await plan_a.rights_for(session, turn.actor, unit_id)).may_read:
            await _refuse(turn, "history", unit_id, texts.PLAN_A_NOT_ALLOWED)
            return
        view = await plan_a.view(session, unit_id)
        total, changes = await plan_a.changes(session, unit_id, offset=payload.offset)
    assert view is not None
    card = history_card(unit_id=unit_id, unit_name=view.unit_name, changes=changes, total=total, offset=payload.offset)
    await turn.answer.card(card)


@ACTIONS.action(payloads.PlanAStatusShow, typed=_forms("status", _number_only("number"), texts.TYPED_PLAN_A_STATUS))
async def plan_a_status(turn: Turn, payload: payloads.PlanAStatusShow) -> None:
    """One indikator's status over the year (issue 21): read by everyone who reads the Plan A."""
    await show_status(turn, payload.unit_id, payload.number)


async def show_status(
    turn: Turn,
    unit_id: int | None,
    number: int,
    *,
    notice: str | None = None,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
) -> None:
    """The indikator's status card; with the form for a new status when the reader is the unit's leder."""
    async with turn.sessionmaker() as session:
        chosen = await _unit_for(turn, session, unit_id)
        rights = await plan_a.rights_for(session, turn.actor, chosen) if chosen is not None else None
        if chosen is None or rights is None or not rights.may_read:
            await _refuse(turn, "status", chosen, texts.PLAN_A_NOT_ALLOWED)
            return
        view = await plan_a.view(session, chosen)
        history = await plan_a.status_history(session, chosen, number)
    item = next((i for i in view.indikatorer if i.number == number), None) if view else None
    if view is None or item is None:
        await turn.answer.text(texts.PLAN_A_PROBLEMS[Problem.NOT_IN_PLAN])
        return
    card = status_card(
        view=view, item=item, history=history, notice=notice, may_record=rights.may_edit, values=values, errors=errors
    )
    await turn.answer.card(card)


def _status_record_fields(rest: str) -> dict[str, Any] | None:
    found = number_and_text(rest)
    return {"number": found[0], "status_text": found[1]} if found is not None and found[1] else None


async def _status_record_invalid(turn: Turn, invalid: payloads.InvalidInput) -> None:
    """No colour, no text or too long: the indikator's status card again, with what was typed and what to fix."""
    unit_id, number = invalid.values.get("unit_id"), invalid.values.get("number")
    known_unit = unit_id is None or (isinstance(unit_id, int) and 0 <= unit_id <= payloads.MAX_DB_INT)
    if isinstance(number, int) and 0 < number < 1000 and known_unit:
        await show_status(turn, unit_id, number, values=invalid.values, errors=invalid.errors)
        return
    await turn.answer.text(next(iter(invalid.errors.values())))


@ACTIONS.action(
    payloads.PlanAStatusRecord,
    typed=tuple(
        form
        for colour in Colour
        for form in _forms(
            texts.COLOUR_LABELS[colour.value].lower(),  # »plan a gul 6 …«; fold() reads »groen« as »grøn«
            _status_record_fields,
            texts.TYPED_PLAN_A_STATUS_GEM,
            roles=_LEDER,
            fixed={"colour": colour.value},
        )
    ),
    invalid=_status_record_invalid,
)
async def plan_a_status_record(turn: Turn, payload: payloads.PlanAStatusRecord) -> None:
    """A status without a status round: the unit's leder records it (domain.plan_a.record_status checks it)."""
    on = payload.recorded_on or clock.today()

    def record(editor: plan_a.Editor) -> Awaitable[plan_a.Recorded]:
        return plan_a.record_status(
            editor.session,
            actor=turn.actor,
            unit_id=editor.unit_id,
            number=payload.number,
            colour=payload.colour,
            text=payload.status_text,
            on=on,
        )

    try:
        unit_id, recorded = await _edit(turn, payload.unit_id, record)
    except _Refused:
        return
    status = recorded.status
    notice = texts.ROUND_STATUS_RECORDED.format(
        number=status.number, colour=texts.COLOUR_LABELS[status.colour.value].lower(), date=danish.date(status.on)
    )
    if not recorded.created:
        notice = f"{texts.ROUND_STATUS_ALREADY} {notice}"
    log.info("plan a of unit %s: status on indikator %s (%s)", unit_id, status.number, recorded.created)
    await show_status(turn, unit_id, payload.number, notice=notice)


@ACTIONS.action(payloads.PlanAPoster, typed=_forms("plakat", _empty, texts.TYPED_PLAN_A_PLAKAT))
async def plan_a_poster(turn: Turn, payload: payloads.PlanAPoster) -> None:
    """A signed, short-lived link to the plakat (the page checks the right again)."""
    async with turn.sessionmaker() as session:
        unit_id = await _unit_for(turn, session, payload.unit_id)
        if unit_id is None or not (await plan_a.rights_for(session, turn.actor, unit_id)).may_read:
            await _refuse(turn, "plakat", unit_id, texts.PLAN_A_NOT_ALLOWED)
            return
    settings = services(turn).settings
    url = export_links.plan_a_link(settings, unit_id=unit_id, person_id=turn.actor.person_id)
    minutes = max(1, settings.EXPORT_LINK_TTL_SECONDS // 60)
    await turn.answer.text(danish.fill(texts.PLAN_A_POSTER_READY, url=url, minutes=minutes))


# --- Editing ----------------------------------------------------------------------------------------------------


async def _editable(turn: Turn, session: AsyncSession, unit_id: int | None) -> int | None:
    chosen = await _unit_for(turn, session, unit_id)
    if chosen is None or not (await plan_a.rights_for(session, turn.actor, chosen)).may_edit:
        await _refuse(turn, "change", chosen, texts.PLAN_A_EDIT_NOT_ALLOWED)
        return None
    return chosen


async def show_edit(
    turn: Turn,
    unit_id: int,
    number: int,
    *,
    notice: str | None = None,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
) -> None:
    async with turn.sessionmaker() as session:
        view = await plan_a.view(session, unit_id)
        tegn = await plan_a.approved_tegn(session, unit_id)
    item = next((i for i in view.indikatorer if i.number == number), None) if view else None
    if view is None or item is None:
        await turn.answer.text(texts.PLAN_A_PROBLEMS[Problem.NOT_IN_PLAN])
        return
    card = edit_card(view=view, item=item, tegn=tegn, notice=notice, values=values, errors=errors)
    await turn.answer.card(card)


@ACTIONS.action(payloads.PlanAEdit, typed=_forms("ret", _number_only("number"), texts.TYPED_PLAN_A_RET, roles=_LEDER))
async def plan_a_edit(turn: Turn, payload: payloads.PlanAEdit) -> None:
    async with turn.sessionmaker() as session:
        unit_id = await _editable(turn, session, payload.unit_id)
    if unit_id is not None:
        await show_edit(turn, unit_id, payload.number)


async def _save_invalid(turn: Turn, invalid: payloads.InvalidInput) -> None:
    """Text too long: the indikator's form again, with everything as typed and the message under the field."""
    unit_id, number = invalid.values.get("unit_id"), invalid.values.get("number")
    if isinstance(unit_id, int) and isinstance(number, int) and 0 < number < 1000 and unit_id <= payloads.MAX_DB_INT:
        async with turn.sessionmaker() as session:
            if await _editable(turn, session, unit_id) is None:
                return
        await show_edit(turn, unit_id, number, values=invalid.values, errors=invalid.errors)
        return
    await turn.answer.text(next(iter(invalid.errors.values())))


async def _problem(turn: Turn, refused: EditRefused) -> None:
    log.info("plan a edit by person %s refused: %s", turn.actor.person_id, refused.problem.value)
    await turn.answer.text(texts.PLAN_A_PROBLEMS[refused.problem.value])


T = TypeVar("T")


class _Refused(Exception):
    """The change was refused, and the leder has been told why."""


async def _change(turn: Turn, unit_id: int, change: Callable[[plan_a.Editor], Awaitable[T]]) -> T:
    """One change to the unit's Plan A, in one unit of work; a refused change is answered (and raises _Refused)."""
    try:
        async with turn.unit() as session:
            return await change(plan_a.Editor(session, turn.actor, unit_id))
    except EditRefused as refused:
        await _problem(turn, refused)
        raise _Refused from refused


async def _edit(turn: Turn, unit_id: int | None, change: Callable[[plan_a.Editor], Awaitable[T]]) -> tuple[int, T]:
    """The unit the leder may edit (or the refusal), then the change (`_change`)."""
    async with turn.sessionmaker() as session:
        chosen = await _editable(turn, session, unit_id)
    if chosen is None:
        raise _Refused
    return chosen, await _change(turn, chosen, change)


@ACTIONS.action(
    payloads.PlanASave,
    typed=(
        *_forms("forskel", _text_of("forskel"), texts.TYPED_PLAN_A_FORSKEL, roles=_LEDER),
        *_forms("se", _text_of("kendetegn"), texts.TYPED_PLAN_A_SE, roles=_LEDER),
        *_forms("tegn", _text_of("maal_tegn"), texts.TYPED_PLAN_A_TEGN, roles=_LEDER),
        *_forms("dokument", _document_fields, texts.TYPED_PLAN_A_DOKUMENT, roles=_LEDER),
    ),
    invalid=_save_invalid,
)
async def plan_a_save(turn: Turn, payload: payloads.PlanASave) -> None:
    async with turn.sessionmaker() as session:
        unit_id = await _editable(turn, session, payload.unit_id)
    if unit_id is None:
        return
    typed_values = payload.typed()
    if payload.doc_url and not plan_a.valid_url(payload.doc_url):
        # Nothing is saved: the form again with everything as typed, and what to fix.
        errors = {"doc_url": texts.PLAN_A_PROBLEMS[Problem.BAD_URL]}
        await show_edit(turn, unit_id, payload.number, values=typed_values, errors=errors)
        return
    values = {Field.FORSKEL: payload.forskel, Field.KENDETEGN: payload.kendetegn, Field.MAAL_TEGN: payload.maal_tegn}

    async def save(editor: plan_a.Editor) -> plan_a.Edited:
        changed = (await editor.set_texts(payload.number, values)).changed
        if payload.doc_url:
            changed += (await editor.add_document(payload.number, payload.doc_url, payload.doc_title)).changed
        return plan_a.Edited(changed)

    try:
        changed = (await _change(turn, unit_id, save)).changed
    except _Refused:
        return
    log.info("plan a of unit %s: indikator %s saved, %s changes", unit_id, payload.number, changed)
    await show_edit(
        turn, unit_id, payload.number, notice=texts.PLAN_A_SAVED if changed else texts.PLAN_A_NOTHING_CHANGED
    )


@ACTIONS.action(
    payloads.PlanARemoveDocument,
    typed=_forms("fjern dokument", _remove_document_fields, texts.TYPED_PLAN_A_FJERN_DOKUMENT, roles=_LEDER),
)
async def plan_a_remove_document(turn: Turn, payload: payloads.PlanARemoveDocument) -> None:
    try:
        unit_id, _ = await _edit(
            turn, payload.unit_id, lambda editor: editor.remove_document(payload.number, payload.position)
        )
    except _Refused:
        return
    # The texts as they stand on the card (typed, not yet saved) stay on it; the document list is new.
    values = {k: v for k, v in payload.typed().items() if k not in ("doc_url", "doc_title") or v}
    await show_edit(turn, unit_id, payload.number, notice=texts.PLAN_A_DOCUMENT_REMOVED, values=values)


async def _add_invalid(turn: Turn, invalid: payloads.InvalidInput) -> None:
    """»Tilføj indikator« with none chosen: the Plan A again, saying so."""
    unit_id = invalid.values.get("unit_id")
    chosen = unit_id if isinstance(unit_id, int) and 0 <= unit_id <= payloads.MAX_DB_INT else None
    await show(turn, chosen, notice=texts.PLAN_A_ADD_CHOOSE)


@ACTIONS.action(
    payloads.PlanAAdd,
    typed=_forms("tilføj", _number_only("indikator"), texts.TYPED_PLAN_A_TILFOEJ, roles=_LEDER),
    invalid=_add_invalid,
)
async def plan_a_add(turn: Turn, payload: payloads.PlanAAdd) -> None:
    try:
        unit_id, _ = await _edit(turn, payload.unit_id, lambda editor: editor.add_indikator(payload.indikator))
    except _Refused:
        return
    await show(turn, unit_id, notice=texts.PLAN_A_ADDED.format(number=payload.indikator))


@ACTIONS.action(
    payloads.PlanARemove, typed=_forms("fjern", _number_only("number"), texts.TYPED_PLAN_A_FJERN, roles=_LEDER)
)
async def plan_a_remove(turn: Turn, payload: payloads.PlanARemove) -> None:
    try:
        unit_id, _ = await _edit(turn, payload.unit_id, lambda editor: editor.remove_indikator(payload.number))
    except _Refused:
        return
    await show(turn, unit_id, notice=texts.PLAN_A_REMOVED.format(number=payload.number))


@ACTIONS.action(payloads.PlanAFormEdit, typed=_forms("ret form", _empty, texts.TYPED_PLAN_A_RET_FORM, roles=_LEDER))
async def plan_a_form_edit(turn: Turn, payload: payloads.PlanAFormEdit) -> None:
    async with turn.sessionmaker() as session:
        unit_id = await _editable(turn, session, payload.unit_id)
        view = await plan_a.view(session, unit_id) if unit_id is not None else None
    if view is not None:
        await turn.answer.card(form_card(view=view))


async def _form_invalid(turn: Turn, invalid: payloads.InvalidInput) -> None:
    unit_id = invalid.values.get("unit_id")
    if isinstance(unit_id, int) and 0 <= unit_id <= payloads.MAX_DB_INT:
        async with turn.sessionmaker() as session:
            if await _editable(turn, session, unit_id) is None:
                return
            view = await plan_a.view(session, unit_id)
        if view is not None:
            await turn.answer.card(form_card(view=view, values=invalid.values, errors=invalid.errors))
            return
    await turn.answer.text(next(iter(invalid.errors.values())))


@ACTIONS.action(
    payloads.PlanAFormSave,
    typed=(
        *_forms("form", _form_text, texts.TYPED_PLAN_A_FORM, roles=_LEDER),
        *_forms("besluttet", _date_of("form_decided_on"), texts.TYPED_PLAN_A_BESLUTTET, roles=_LEDER),
        *_forms("i brug", _date_of("in_use_since"), texts.TYPED_PLAN_A_I_BRUG, roles=_LEDER),
    ),
    invalid=_form_invalid,
)
async def plan_a_form_save(turn: Turn, payload: payloads.PlanAFormSave) -> None:
    def set_form(editor: plan_a.Editor) -> Awaitable[plan_a.Edited]:
        return editor.set_form(form=payload.form, decided_on=payload.form_decided_on, in_use_since=payload.in_use_since)

    try:
        unit_id, edited = await _edit(turn, payload.unit_id, set_form)
    except _Refused:
        return
    await show(turn, unit_id, notice=texts.PLAN_A_SAVED if edited.changed else texts.PLAN_A_NOTHING_CHANGED)


# --- MUS and LUS ------------------------------------------------------------------------------------------------


async def _recipients(session: AsyncSession, actor: Actor, kind: payloads.PrepKind, wanted: str) -> list[Any]:
    """Who the sender may prepare: MUS, the medarbejdere of the units they lead (not themselves, not other
    ledere of it); LUS, the ledere of the arbejdspladser under their afdelinger."""
    if kind is payloads.PrepKind.MUS:
        led = sorted(actor.units_with_role(Role.LEDER))
        found = await store.people_matching(session, wanted, unit_ids=led)
        return [p for p in found if p.id != actor.person_id and not any(r.role is Role.LEDER for r in p.roles)]
    units = [unit_id for unit_id, _ in await plan_a.chef_units(session, actor)]
    found = await store.ledere_matching(session, wanted, unit_ids=units)
    return [p for p in found if p.id != actor.person_id]


@ACTIONS.action(
    payloads.PrepSend,
    typed=(
        Typed("mus", _person, texts.TYPED_MUS, roles=_LEDER, fixed={"kind": payloads.PrepKind.MUS.value}),
        Typed(
            "lus", _person, texts.TYPED_LUS, roles=frozenset({Role.CHEF}), fixed={"kind": payloads.PrepKind.LUS.value}
        ),
    ),
)
async def prep_send(turn: Turn, payload: payloads.PrepSend) -> None:
    """The preparation card to the person, in their personal chat; the sender is told it went (nothing in a group)."""
    kind = payload.kind
    needed = Role.LEDER if kind is payloads.PrepKind.MUS else Role.CHEF
    if not turn.actor.has_role(needed):
        text = texts.PREP_NOT_A_LEDER if kind is payloads.PrepKind.MUS else texts.PREP_NOT_A_CHEF
        await _refuse(turn, kind.value, None, text)
        return
    async with turn.sessionmaker() as session:
        found = await _recipients(session, turn.actor, kind, payload.person)
    word = kind.value
    if not found:
        await turn.answer.text(texts.PREP_NOBODY.format(role=texts.PREP_ROLE_WORD[word], word=word))
        return
    exact = [
        p
        for p in found
        if (p.email or "").lower() == payload.person.lower() or p.display_name.lower() == payload.person.lower()
    ]
    if len(found) > 1 and len(exact) != 1:
        names = ", ".join(p.display_name for p in found[:6])
        await turn.answer.text(texts.PREP_MANY.format(names=names), literal=True)
        return
    person = exact[0] if len(found) > 1 else found[0]
    async with turn.sessionmaker() as session:
        reference = await repo.personal_conversation_ref(session, person.id)
    if reference is None:
        log.info("%s prep: person %s has no chat with the bot yet", kind.value, person.id)
        await turn.answer.text(texts.PREP_NOT_REACHABLE.format(name=person.display_name), literal=True)
        return
    # The message's id makes a re-sent request (Teams retries a slow message) the same card, sent once.
    activity_id = turn.context.activity.id or uuid.uuid4().hex  # answered elsewhere: no id to repeat
    dedupe = f"{kind.value}:{turn.actor.person_id}:{person.id}:{activity_id}"[:200]
    if kind is payloads.PrepKind.MUS:
        unit_id = person.unit_id
    else:
        unit_id = min(r.unit_id for r in person.roles if r.role is Role.LEDER and r.unit_id is not None)
    assert unit_id is not None
    async with turn.unit() as session:
        prep, created = await store.add_prep(
            session,
            kind=kind.value,
            dedupe_key=dedupe,
            sender_id=turn.actor.person_id,
            recipient_id=person.id,
            unit_id=unit_id,
            notes="",
        )
        prep_id = prep.id
    if not created:
        await turn.answer.text(texts.PREP_ALREADY_SENT.format(name=person.display_name), literal=True)
        return
    card = await _prep_card(turn, prep_id, for_recipient=True)
    assert card is not None
    try:
        message_id = await services(turn).sender.send_card(dict(reference.reference), card)
    except Exception as error:  # the chat is gone (PermanentFailure), or Teams refused after the retries
        log.warning("%s prep %s to person %s not sent: %s", kind.value, prep_id, person.id, type(error).__name__)
        await turn.answer.text(texts.PREP_SEND_FAILED.format(name=person.display_name), literal=True)
        return
    async with turn.unit() as session:
        stored = await store.get_prep(session, prep_id, for_update=True)
        if stored is not None:
            stored.activity_id = message_id
    log.info("%s prep %s sent by person %s to person %s", kind.value, prep_id, turn.actor.person_id, person.id)
    name = texts.PREP_KIND_NAMES[kind.value]
    await turn.answer.text(texts.PREP_SENT.format(kind=name, name=person.display_name), literal=True)


async def _prep_card(
    turn: Turn, prep_id: int, *, for_recipient: bool, notice: str | None = None
) -> AdaptiveCard | None:
    async with turn.sessionmaker() as session:
        prep = await store.get_prep(session, prep_id)
        if prep is None:
            return None
        people = await repo.people_by_id(session, [prep.sender_id, prep.recipient_id])
        view = await plan_a.view(session, prep.unit_id)
    if view is None or prep.sender_id not in people or prep.recipient_id not in people:
        return None
    return prep_card(
        prep_id=prep.id,
        kind=prep.kind,
        sender_name=people[prep.sender_id].display_name,
        recipient_name=people[prep.recipient_id].display_name,
        view=view,
        notes=prep.notes,
        for_recipient=for_recipient,
        notice=notice,
    )


def _may_see(prep: ConversationPrep, actor: Actor) -> bool:
    return actor.person_id in (prep.sender_id, prep.recipient_id)


@ACTIONS.action(payloads.PrepNotes, typed=(Typed("samtale noter", _notes, texts.TYPED_SAMTALE_NOTER),))
async def prep_notes(turn: Turn, payload: payloads.PrepNotes) -> None:
    """The recipient's notes, kept (saving the same notes again changes nothing)."""
    async with turn.unit() as session:
        prep = await store.get_prep(session, payload.prep_id, for_update=True)
        if prep is None or prep.recipient_id != turn.actor.person_id:
            log.warning("prep %s notes refused for person %s", payload.prep_id, turn.actor.person_id)
            await turn.answer.text(texts.PREP_NOT_YOURS if prep is not None else texts.PREP_NOT_FOUND)
            return
        if prep.notes != payload.notes:
            prep.notes = payload.notes
            prep.notes_updated_at = clock.now()
    card = await _prep_card(turn, payload.prep_id, for_recipient=True, notice=texts.PREP_NOTES_SAVED)
    if card is not None:
        await turn.answer.card(card)


@ACTIONS.action(payloads.PrepShow, typed=(Typed("samtale vis", _number_only("prep_id"), texts.TYPED_SAMTALE_VIS),))
async def prep_show(turn: Turn, payload: payloads.PrepShow) -> None:
    """The card again: with the notes input for the recipient, with the notes to read for the sender."""
    async with turn.sessionmaker() as session:
        prep = await store.get_prep(session, payload.prep_id)
    if prep is None or not _may_see(prep, turn.actor):
        log.warning("prep %s refused for person %s", escaped(payload.prep_id), turn.actor.person_id)
        await turn.answer.text(texts.PREP_NOT_FOUND if prep is None else texts.PREP_NOT_YOURS)
        return
    card = await _prep_card(turn, payload.prep_id, for_recipient=prep.recipient_id == turn.actor.person_id)
    if card is not None:
        await turn.answer.card(card)
