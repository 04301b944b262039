"""How an entry reads on any card: its fields, its status in plain Danish, its history, and the receipt."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from microsoft_teams.cards.core import AdaptiveCard, CardElement, Container, TextBlock

from cards import danish, payloads, texts
from cards.base import card, facts, heading, literal, paragraph, submit
from cards.payloads import Command
from domain.views import DecisionView, EntryView
from domain.vocabulary import Action, EntryKind, EntryStatus

# The fields of each kind, in the order a reader expects them: (data key, label).
FIELDS: dict[EntryKind, tuple[tuple[str, str], ...]] = {
    EntryKind.TEGN: (
        ("tegn", texts.TEGN_LABEL),
        ("maalgruppe", texts.TEGN_MAALGRUPPE_LABEL),
        ("datatype", texts.TEGN_DATATYPE_LABEL),
        ("opfoelgning", texts.TEGN_OPFOELGNING_LABEL),
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


def status_text(view: EntryView, *, for_owner: bool = True) -> str:
    """The status in plain Danish: to the owner "Sendt til din leder", to anyone else "Venter på lederen"."""
    if view.waiting_for is not None:
        if for_owner:
            return texts.STATUS_PENDING_AT.get(
                view.waiting_for, texts.STATUS_PENDING_OTHER.format(role=view.waiting_for)
            )
        return texts.STATUS_PENDING_OTHER.format(role=texts.ROLE_LABELS.get(view.waiting_for, view.waiting_for))
    if view.status is EntryStatus.APPROVED and view.kind in texts.STATUS_APPROVED_BY_KIND:
        return texts.STATUS_APPROVED_BY_KIND[view.kind]
    if view.status is EntryStatus.SENT_BACK and not for_owner:
        return texts.STATUS_SENT_BACK_TO.format(owner=view.owner_name)
    return texts.STATUS_LABELS.get(view.status, view.status)


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
        elif key in CODED:
            shown = CODED[key].get(str(value), str(value))
        else:
            shown = str(value)
        blocks.append(TextBlock(text=label, weight="Bolder", wrap=True, spacing="Small", is_subtle=True))
        blocks.append(literal(shown))
    return blocks


def status_block(view: EntryView, *, for_owner: bool) -> CardElement:
    """The status in bold; literally when it names the owner (a name from Teams is no markdown of ours)."""
    text = status_text(view, for_owner=for_owner)
    if view.status is EntryStatus.SENT_BACK and not for_owner:
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
