"""How an entry reads on any card: its fields, its status in plain Danish, its history, and the receipt."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from microsoft_teams.cards.core import AdaptiveCard, CardElement, Container, TextBlock

from cards import danish, payloads, texts
from cards.base import card, facts, heading, literal, paragraph, submit
from cards.payloads import Command
from core.vocabulary import Action, EntryKind, EntryStatus, Role
from domain.views import DecisionView, EntryView, PersonView

# The fields of each kind, in the order a reader expects them: (data key, label).
FIELDS: dict[EntryKind, tuple[tuple[str, str], ...]] = {
    EntryKind.TEGN: (
        ("tegn", texts.TEGN_LABEL),
        ("maalgruppe", texts.TEGN_MAALGRUPPE_LABEL),
        ("datatype", texts.TEGN_DATATYPE_LABEL),
        ("opfoelgning", texts.TEGN_OPFOELGNING_LABEL),
        ("indikator", texts.INDIKATOR_FIELD),
    ),
    EntryKind.LAERING: (
        ("evaluering", texts.LAERING_EVALUERING_LABEL),
        ("hvad_gjorde_vi", texts.LAERING_GJORDE_LABEL),
        ("tegn_set", texts.LAERING_TEGN_SET_LABEL),
        ("effekt", texts.LAERING_EFFEKT_LABEL),
        ("laering", texts.LAERING_LAERING_LABEL),
        ("beslutning", texts.LAERING_BESLUTNING_FIELD),
        ("tvaerfaglighed", texts.LAERING_TVAERFAGLIG_LABEL),
        ("borgerinddragelse", texts.LAERING_BORGER_LABEL),
        ("indikator", texts.INDIKATOR_FIELD),
    ),
    EntryKind.EKSEMPEL: (
        ("tema", texts.EKSEMPEL_TEMA_LABEL),
        ("niveau", texts.EKSEMPEL_NIVEAU_LABEL),
        ("eksempel", texts.EKSEMPEL_LABEL),
        ("situation", texts.EKSEMPEL_SITUATION_LABEL),
    ),
    EntryKind.PROEVEHANDLING: (
        ("handling", texts.PROEVEHANDLING_HANDLING_LABEL),
        ("maalgruppe", texts.PROEVEHANDLING_MAALGRUPPE_LABEL),
        ("tegn_tekst", texts.PROEVEHANDLING_TEGN_FIELD),
        ("hvordan_ser_vi", texts.PROEVEHANDLING_HVORDAN_LABEL),
        ("borgerinddragelse", texts.PROEVEHANDLING_BORGER_LABEL),
        ("tvaerfaglighed", texts.PROEVEHANDLING_TVAERFAGLIG_LABEL),
        ("evalueres", texts.PROEVEHANDLING_EVALUERES_LABEL),
        ("indikator", texts.INDIKATOR_FIELD),
    ),
}
# The field that says what an entry is about, for one-line summaries.
TEXT_FIELD: dict[EntryKind, str] = {
    EntryKind.TEGN: "tegn",
    EntryKind.LAERING: "laering",
    EntryKind.EKSEMPEL: "eksempel",
    EntryKind.PROEVEHANDLING: "handling",
}
# Fields whose stored value is a code; shown through these labels.
CODED: dict[str, Mapping[Any, str]] = {
    "datatype": texts.DATATYPE_LABELS,
    "evaluering": texts.EVALUERING_LABELS,
    "beslutning": texts.BESLUTNING_LABELS,
    "tvaerfaglighed": texts.TVAERFAGLIG_LABELS,
    "tema": texts.TEMA_LABELS,
    "niveau": texts.NIVEAU_LABELS,
}
# Fields that hold a day (ISO in the entry's data); shown the Danish way.
DATES = frozenset({"evalueres"})


def _shown_date(value: object) -> str:
    try:
        return danish.date(dt.date.fromisoformat(str(value)))
    except ValueError:
        return str(value)


def person_label(person: PersonView, role: Role | None = None) -> str:
    """A person as cards name them: »Stinne Grønne (HR)«; without a title, the role they decide in."""
    title = person.title or (texts.ROLE_TITLES.get(role, "") if role is not None else "")
    return texts.PERSON_WITH_TITLE.format(name=person.name, title=title) if title else person.name


def waiting_label(view: EntryView) -> str:
    """Who the entry waits for: the people by name, or the role when the organisation file names nobody."""
    if view.waiting_for_people:
        return danish.listing([person_label(p, view.waiting_for) for p in view.waiting_for_people])
    if view.waiting_for is None:
        return ""
    return texts.ROLE_LABELS.get(view.waiting_for, view.waiting_for)


def _last_decision(view: EntryView, action: Action, status: EntryStatus | None = None) -> DecisionView | None:
    for decision in reversed(view.decisions):
        if decision.action is action and (status is None or decision.to_status is status):
            return decision
    return None


def _status(view: EntryView, *, for_owner: bool) -> tuple[str, bool]:
    """The status in plain Danish, and whether it names someone (a name from outside is shown literally)."""
    if view.waiting_for is not None:
        if view.waiting_for_people:
            template = texts.STATUS_PENDING_AT_PEOPLE if for_owner else texts.STATUS_PENDING_FOR_PEOPLE
            return template.format(who=waiting_label(view)), True
        if for_owner:
            return texts.STATUS_PENDING_AT.get(
                view.waiting_for, texts.STATUS_PENDING_OTHER.format(role=view.waiting_for)
            ), False
        return texts.STATUS_PENDING_OTHER.format(role=texts.ROLE_LABELS.get(view.waiting_for, view.waiting_for)), False
    if view.status is EntryStatus.APPROVED and view.kind is EntryKind.EKSEMPEL:
        received = _last_decision(view, Action.APPROVE)
        if received is not None:
            return texts.STATUS_RECEIVED_BY.format(name=received.actor_name), True
    if view.status is EntryStatus.APPROVED and view.kind in texts.STATUS_APPROVED_BY_KIND:
        return texts.STATUS_APPROVED_BY_KIND[view.kind], False
    if view.status is EntryStatus.SENT_BACK:
        if for_owner:
            return texts.STATUS_SENT_BACK_TO_YOU, False
        return texts.STATUS_SENT_BACK_TO.format(owner=view.owner_name), True
    if view.status in texts.OUTCOME_LABELS:
        outcome = _last_decision(view, Action.RECORD_OUTCOME, view.status)
        if outcome is not None and outcome.forum:
            return texts.OUTCOME_LABELS[view.status].format(forum=outcome.forum), True
    return texts.STATUS_LABELS.get(view.status, view.status), False


def status_text(view: EntryView, *, for_owner: bool = True) -> str:
    """The status in plain Danish: to the owner "Sendt til Lars Mikkelsen (leder)", to anyone else "Venter på
    Lars Mikkelsen (leder)"; the role ("Sendt til din leder") when the organisation file names nobody."""
    return _status(view, for_owner=for_owner)[0]


def field_blocks(kind: EntryKind, data: dict[str, object]) -> list[CardElement]:
    """Label and value for each filled-in field. Values people typed are shown literally (no markdown)."""
    blocks: list[CardElement] = []
    for key, label in FIELDS[kind]:
        value = data.get(key)
        if value in (None, ""):
            continue
        if isinstance(value, bool):
            shown = texts.YES if value else texts.NO
        elif key in DATES:
            shown = _shown_date(value)
        elif key == "indikator":
            shown = texts.INDIKATOR_SHOWN.format(number=value)
        elif key in CODED:
            shown = CODED[key].get(str(value), str(value))
        else:
            shown = str(value)
        blocks.append(TextBlock(text=label, weight="Bolder", wrap=True, spacing="Small", is_subtle=True))
        blocks.append(literal(shown))
    return blocks


def status_block(view: EntryView, *, for_owner: bool) -> CardElement:
    """The status in bold; literally when it names the owner (a name from Teams is no markdown of ours)."""
    text, names_someone = _status(view, for_owner=for_owner)
    if names_someone:
        return literal(text, weight="Bolder")
    return paragraph(f"**{text}**")


def context_facts(view: EntryView, *, with_status: bool = True) -> CardElement:
    rows = [(texts.FIELD_NUMBER, str(view.id))]
    if with_status:
        rows.append((texts.FIELD_STATUS, status_text(view)))
    if view.maal_title:
        rows.append((texts.FIELD_MAAL, view.maal_title))
    if view.proevehandling_title:
        rows.append((texts.FIELD_PROEVEHANDLING, view.proevehandling_title))
    rows.append((texts.FIELD_BY, f"{view.owner_name}, {view.unit_name}"))
    return facts(rows)


HISTORY_SHOWN = 6
COMMENT_SHOWN = 400


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def action_label(kind: EntryKind, decision: DecisionView) -> str:
    """What was done, in Danish; an eksempel's selection outcome with its forum and the day the forum decided."""
    if decision.action is Action.RECORD_OUTCOME and decision.to_status in texts.OUTCOME_LABELS:
        outcome = texts.OUTCOME_LABELS[decision.to_status].format(forum=decision.forum)
        if decision.occurred_on is None:
            return outcome
        return texts.OUTCOME_ON.format(outcome=outcome, date=danish.date(decision.occurred_on))
    if kind is EntryKind.EKSEMPEL and decision.action in texts.EKSEMPEL_ACTION_LABELS:
        return texts.EKSEMPEL_ACTION_LABELS[decision.action]
    return texts.ACTION_LABELS.get(decision.action, decision.action)


def history_blocks(decisions: tuple[DecisionView, ...], kind: EntryKind = EntryKind.TEGN) -> list[CardElement]:
    """One compact line per decision: what, who, when, and the comment as typed.

    The newest HISTORY_SHOWN decisions are shown (the card must stay under Teams' 40 KB); `mine` and the export
    have the rest.
    """
    blocks: list[CardElement] = []
    if len(decisions) > HISTORY_SHOWN:
        hidden = len(decisions) - HISTORY_SHOWN
        blocks.append(TextBlock(text=texts.HISTORY_EARLIER.format(count=hidden), size="Small", is_subtle=True))
        decisions = decisions[-HISTORY_SHOWN:]
    for decision in decisions:
        line = f"{action_label(kind, decision)} · {decision.actor_name} · " + danish.datetime(decision.when)
        items: list[CardElement] = [literal(line, subtle=True, size="Small", spacing="None")]
        if decision.comment:
            items.append(literal(texts.QUOTED.format(text=_shorten(decision.comment, COMMENT_SHOWN)), subtle=True))
        blocks.append(Container(items=items, spacing="Small"))
    return blocks


def receipt_card(*, view: EntryView, title: str, notes: Sequence[str] = ()) -> AdaptiveCard:
    """The receipt after Send; `notes` (literal: they may quote what was typed) say what was sent along with it."""
    body: list[CardElement] = [
        heading(title),
        status_block(view, for_owner=True),
        context_facts(view, with_status=False),
    ]
    body += field_blocks(view.kind, view.data)
    body += [literal(note, subtle=True) for note in notes]
    return card(body=body, actions=[submit(texts.BUTTON_SHOW_MINE, payloads.RunCommand, command=Command.MINE)])
