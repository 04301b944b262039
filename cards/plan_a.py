"""Plan A's cards: the Plan A (read by the unit's people, edited by its leder), one indikator's form, the form and
its dates, the history, a chef's list of arbejdspladser, and the MUS/LUS preparation card. Personal chat only:
every button is an Action.Submit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from microsoft_teams.cards.core import AdaptiveCard, CardElement, Container, DateInput, TextBlock

from cards import danish, payloads, texts
from cards.base import card, error_text, facts, heading, literal, paragraph, subheading, submit
from cards.forms import choice_input, date_input, text_input
from cards.payloads import Command
from core.vocabulary import Colour
from domain.plan_a import (
    DOCUMENT_TITLE_MAX,
    HISTORY_PAGE,
    STATUS_TEXT_MAX,
    TEXT_MAX,
    URL_MAX,
    Change,
    IndikatorView,
    PlanAView,
    Rights,
    StatusView,
    Tip,
)

Values = Mapping[str, Any]
Errors = Mapping[str, str]
# On the Plan A and the preparation card each text is cut here (the indikator's own card shows it whole), so that
# eight indikatorer at their longest stay well within Teams' message size.
SHOWN_MAX = 220
DOCUMENT_SHOWN_MAX = 60
INDIKATOR_SHOWN_MAX = 200
MAAL_TEGN_SHOWN_MAX = 150
HISTORY_SHOWN_MAX = 400


def _cut(text: str, limit: int = SHOWN_MAX) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def tip_block(tip: Tip) -> Container:
    """Why the difference reads as actions or an intention, and a good example (as the tegn coaching does)."""
    return Container(
        style="warning",
        items=[
            TextBlock(text=texts.PLAN_A_TIP_TITLE, weight="Bolder", wrap=True),
            paragraph(texts.PLAN_A_TIPS[tip.value]),
            paragraph(texts.PLAN_A_TIP_EXAMPLE, subtle=True),
        ],
        spacing="Small",
    )


def _indikator(item: IndikatorView, *, unit_id: int, may_edit: bool) -> list[CardElement]:
    heading_text = texts.PLAN_A_INDIKATOR_HEADING.format(number=item.number, perspektiv=item.perspektiv)
    elements: list[CardElement] = [
        subheading(heading_text),
        literal(_cut(item.text, INDIKATOR_SHOWN_MAX), subtle=True),
    ]
    if item.chosen and not item.mandatory:
        elements.append(paragraph(texts.PLAN_A_INDIKATOR_CHOSEN, subtle=True, spacing="None"))
    rows = [
        (texts.PLAN_A_QUESTION_FORSKEL, _cut(item.forskel) or texts.PLAN_A_NOT_WRITTEN),
        (texts.PLAN_A_QUESTION_KENDETEGN, _cut(item.kendetegn) or texts.PLAN_A_NOT_WRITTEN),
    ]
    if item.maal_tegn:
        rows.append((texts.PLAN_A_QUESTION_MAAL_TEGN, _cut(item.maal_tegn, MAAL_TEGN_SHOWN_MAX)))
    if item.status is not None:
        rows.append((texts.PLAN_A_STATUS_LABEL, status_text(item.status)))
    if item.documents:
        # The titles only, in one row; the indikator's own card shows each link.
        titles = [f"{n}. {_cut(d.title, DOCUMENT_SHOWN_MAX)}" for n, d in enumerate(item.documents, start=1)]
        rows.append((texts.PLAN_A_DOCUMENTS, " · ".join(titles)))
    elements.append(facts(rows))
    if may_edit and item.tip is not None:
        # In short here; the indikator's own card gives the reason and a good example.
        short = texts.PLAN_A_TIP_SHORT[item.tip.value].format(number=item.number)
        elements.append(TextBlock(text=short, color="Warning", wrap=True, weight="Bolder", spacing="Small"))
    return elements


def plan_card(
    *, view: PlanAView, rights: Rights, choices: Sequence[tuple[int, str]] = (), notice: str | None = None
) -> AdaptiveCard:
    """The Plan A: form and dates, the mandatory indikatorer, then the further ones; the leder's buttons."""
    body: list[CardElement] = [heading(texts.PLAN_A_TITLE.format(unit=view.unit_name))]
    if notice:
        body.append(literal(notice, weight="Bolder"))
    body.append(paragraph(texts.PLAN_A_INTRO, subtle=True))
    if not rights.may_edit:
        body.append(paragraph(texts.PLAN_A_READ_ONLY, subtle=True))
    body.append(subheading(texts.PLAN_A_FORM_HEADING))
    decided = danish.date(view.form_decided_on) if view.form_decided_on else texts.PLAN_A_NOT_YET
    in_use = danish.date(view.in_use_since) if view.in_use_since else texts.PLAN_A_NOT_YET
    if view.form_deadline is not None and view.form_decided_on is None:
        decided += " · " + texts.PLAN_A_DEADLINE.format(date=danish.date(view.form_deadline.date))
    if view.in_use_deadline is not None and view.in_use_since is None:
        in_use += " · " + texts.PLAN_A_DEADLINE.format(date=danish.date(view.in_use_deadline.date))
    body.append(
        facts(
            [
                (texts.PLAN_A_FORM_HEADING, _cut(view.form) or texts.PLAN_A_FORM_NONE),
                (texts.PLAN_A_FORM_DECIDED, decided),
                (texts.PLAN_A_IN_USE, in_use),
            ]
        )
    )
    if not view.indikatorer:
        body.append(paragraph(texts.PLAN_A_NO_INDIKATORER))
    if view.mandatory:
        title = texts.PLAN_A_MANDATORY_YEAR.format(year=view.year) if view.year else texts.PLAN_A_MANDATORY
        body.append(TextBlock(text=title, size="Medium", weight="Bolder", wrap=True, spacing="Large"))
    for item in view.mandatory:
        body.extend(_indikator(item, unit_id=view.unit_id, may_edit=rights.may_edit))
    if view.further:
        body.append(TextBlock(text=texts.PLAN_A_FURTHER, size="Medium", weight="Bolder", wrap=True, spacing="Large"))
    for item in view.further:
        body.extend(_indikator(item, unit_id=view.unit_id, may_edit=rights.may_edit))
    if view.updated_at is not None:
        body.append(paragraph(texts.PLAN_A_UPDATED.format(when=danish.datetime(view.updated_at)), subtle=True))
    actions: list[Any] = []
    unit = view.unit_id
    if rights.may_edit:
        for item in view.indikatorer:
            title = texts.PLAN_A_BUTTON_EDIT.format(number=item.number)
            actions.append(submit(title, payloads.PlanAEdit, unit_id=unit, number=item.number))
        actions.append(submit(texts.PLAN_A_BUTTON_FORM, payloads.PlanAFormEdit, unit_id=unit))
        if choices:
            body.append(subheading(texts.PLAN_A_ADD_LABEL))
            body.append(paragraph(texts.PLAN_A_ADD_HINT, subtle=True))
            options = [(str(n), texts.PLAN_A_ADD_CHOICE.format(number=n, text=t)) for n, t in choices]
            body.extend(choice_input("indikator", texts.PLAN_A_ADD_LABEL, options, {}, {}))
            actions.append(submit(texts.PLAN_A_BUTTON_ADD, payloads.PlanAAdd, unit_id=unit))
        for item in view.further:
            if item.chosen:
                title = texts.PLAN_A_BUTTON_REMOVE.format(number=item.number)
                actions.append(submit(title, payloads.PlanARemove, unit_id=unit, number=item.number))
        body.extend(
            text_input(
                "person",
                texts.PREP_PERSON_LABEL,
                {},
                {},
                max_length=320,
                placeholder=texts.PREP_PERSON_PLACEHOLDER,
            )
        )
        actions.append(submit(texts.PLAN_A_BUTTON_SEND_PREP, payloads.PrepSend, kind=payloads.PrepKind.MUS.value))
    for item in view.indikatorer:
        if item.status is not None:  # the status over the year, for everyone who reads the Plan A
            title = texts.PLAN_A_BUTTON_STATUS.format(number=item.number)
            actions.append(submit(title, payloads.PlanAStatusShow, unit_id=unit, number=item.number))
    actions.append(submit(texts.PLAN_A_BUTTON_HISTORY, payloads.PlanAHistory, unit_id=unit))
    actions.append(submit(texts.PLAN_A_BUTTON_POSTER, payloads.PlanAPoster, unit_id=unit))
    return card(body=body, actions=actions)


def edit_card(
    *,
    view: PlanAView,
    item: IndikatorView,
    tegn: Sequence[str] = (),
    notice: str | None = None,
    values: Values | None = None,
    errors: Errors | None = None,
) -> AdaptiveCard:
    """One indikator's form, filled with what it holds (or with what was just typed, when it must be fixed)."""
    errors = errors or {}
    shown: dict[str, Any] = {"forskel": item.forskel, "kendetegn": item.kendetegn, "maal_tegn": item.maal_tegn}
    shown.update(values or {})
    body: list[CardElement] = [heading(texts.PLAN_A_EDIT_TITLE.format(number=item.number))]
    if notice:
        body.append(literal(notice, weight="Bolder"))
    if "" in errors:
        body.append(error_text(errors[""]))
    body.append(literal(f"{item.perspektiv} · {item.text}", subtle=True))
    if item.tip is not None:
        body.append(tip_block(item.tip))
    body.extend(
        text_input(
            "forskel",
            texts.PLAN_A_QUESTION_FORSKEL,
            shown,
            errors,
            multiline=True,
            max_length=TEXT_MAX,
            placeholder=texts.PLAN_A_FORSKEL_PLACEHOLDER,
        )
    )
    body.extend(
        text_input(
            "kendetegn",
            texts.PLAN_A_QUESTION_KENDETEGN,
            shown,
            errors,
            multiline=True,
            max_length=TEXT_MAX,
            placeholder=texts.PLAN_A_KENDETEGN_PLACEHOLDER,
        )
    )
    if tegn:
        body.append(paragraph(texts.PLAN_A_MAAL_TEGN_HINT, subtle=True))
        body.extend(literal(f"• {t}", subtle=True, spacing="None") for t in tegn)
    body.extend(
        text_input("maal_tegn", texts.PLAN_A_QUESTION_MAAL_TEGN, shown, errors, multiline=True, max_length=TEXT_MAX)
    )
    actions: list[Any] = []
    if item.documents:
        body.append(subheading(texts.PLAN_A_DOCUMENTS))
        for position, document in enumerate(item.documents, start=1):
            body.append(literal(f"{position}. {document.title} – {document.url}"))
            actions.append(
                submit(
                    texts.PLAN_A_BUTTON_REMOVE_DOCUMENT.format(position=position),
                    payloads.PlanARemoveDocument,
                    unit_id=view.unit_id,
                    number=item.number,
                    position=position,
                )
            )
    body.extend(
        text_input(
            "doc_url",
            texts.PLAN_A_DOC_URL_LABEL,
            values or {},
            errors,
            max_length=URL_MAX,
            placeholder=texts.PLAN_A_DOC_URL_PLACEHOLDER,
        )
    )
    body.extend(
        text_input(
            "doc_title",
            texts.PLAN_A_DOC_TITLE_LABEL,
            values or {},
            errors,
            max_length=DOCUMENT_TITLE_MAX,
            placeholder=texts.PLAN_A_DOC_TITLE_PLACEHOLDER,
        )
    )
    save = submit(
        texts.PLAN_A_BUTTON_SAVE, payloads.PlanASave, style="positive", unit_id=view.unit_id, number=item.number
    )
    back = submit(texts.PLAN_A_BUTTON_BACK, payloads.PlanAShow, unit_id=view.unit_id)
    return card(body=body, actions=[save, *actions, back])


def form_card(
    *, view: PlanAView, notice: str | None = None, values: Values | None = None, errors: Errors | None = None
) -> AdaptiveCard:
    errors = errors or {}
    shown: dict[str, Any] = {
        "form": view.form,
        "form_decided_on": view.form_decided_on.isoformat() if view.form_decided_on else "",
        "in_use_since": view.in_use_since.isoformat() if view.in_use_since else "",
    }
    shown.update(values or {})
    body: list[CardElement] = [heading(texts.PLAN_A_FORM_TITLE)]
    if notice:
        body.append(literal(notice, weight="Bolder"))
    body.extend(
        text_input(
            "form",
            texts.PLAN_A_FORM_LABEL,
            shown,
            errors,
            multiline=True,
            max_length=TEXT_MAX,
            placeholder=texts.PLAN_A_FORM_PLACEHOLDER,
        )
    )
    for input_id, label, deadline in (
        ("form_decided_on", texts.PLAN_A_FORM_DECIDED_LABEL, view.form_deadline),
        ("in_use_since", texts.PLAN_A_IN_USE_LABEL, view.in_use_deadline),
    ):
        value = str(shown.get(input_id) or "")
        body.append(DateInput(id=input_id, label=label, value=value or None))
        if deadline is not None:
            body.append(paragraph(texts.PLAN_A_DEADLINE.format(date=danish.date(deadline.date)), subtle=True))
        if input_id in errors:
            body.append(error_text(errors[input_id]))
    save = submit(texts.PLAN_A_BUTTON_SAVE, payloads.PlanAFormSave, style="positive", unit_id=view.unit_id)
    back = submit(texts.PLAN_A_BUTTON_BACK, payloads.PlanAShow, unit_id=view.unit_id)
    return card(body=body, actions=[save, back])


def _value_text(change: Change, value: str) -> str:
    if not value:
        return texts.PLAN_A_HISTORY_EMPTY_VALUE
    value = _cut(value, HISTORY_SHOWN_MAX)
    if change.field.value in ("form_besluttet", "i_brug"):
        try:
            return danish.date(dt.date.fromisoformat(value))
        except ValueError:
            return value
    return value


def history_card(*, unit_id: int, unit_name: str, changes: Sequence[Change], total: int, offset: int) -> AdaptiveCard:
    body: list[CardElement] = [heading(texts.PLAN_A_HISTORY_TITLE), literal(unit_name, subtle=True)]
    if not changes:
        body.append(paragraph(texts.PLAN_A_HISTORY_EMPTY))
    else:
        first, last = offset + 1, offset + len(changes)
        body.append(
            paragraph(danish.fill(texts.PLAN_A_HISTORY_SHOWING, first=first, last=last, count=total), subtle=True)
        )
    for change in changes:
        what = texts.PLAN_A_HISTORY_FIELDS[change.field.value].format(number=change.indikator)
        when = texts.PLAN_A_HISTORY_LINE.format(when=danish.datetime(change.when), who=change.who)
        items: list[CardElement] = [TextBlock(text=what, weight="Bolder", wrap=True), literal(when, subtle=True)]
        if change.field.value not in ("indikator_tilfoejet", "indikator_fjernet"):
            items.append(
                literal(
                    texts.PLAN_A_HISTORY_CHANGE.format(
                        old=_value_text(change, change.old), new=_value_text(change, change.new)
                    )
                )
            )
        body.append(Container(items=items, separator=True, spacing="Medium"))
    actions: list[Any] = []
    if offset + len(changes) < total:
        actions.append(
            submit(texts.PLAN_A_BUTTON_MORE, payloads.PlanAHistory, unit_id=unit_id, offset=offset + HISTORY_PAGE)
        )
    actions.append(submit(texts.PLAN_A_BUTTON_BACK, payloads.PlanAShow, unit_id=unit_id))
    return card(body=body, actions=actions)


def pick_card(*, units: Sequence[tuple[int, str]]) -> AdaptiveCard:
    """A chef's arbejdspladser, each opening its Plan A."""
    actions = [
        submit(texts.PLAN_A_PICK_BUTTON.format(name=name, number=unit_id), payloads.PlanAShow, unit_id=unit_id)
        for unit_id, name in units
    ]
    return card(body=[heading(texts.PLAN_A_PICK_TITLE)], actions=actions)


def prep_card(
    *,
    prep_id: int,
    kind: str,
    sender_name: str,
    recipient_name: str,
    view: PlanAView,
    notes: str,
    for_recipient: bool,
    notice: str | None = None,
) -> AdaptiveCard:
    """The preparation card: the unit's mandatory indikatorer with what the Plan A says, the questions, and the
    recipient's notes (an input for the recipient; read-only for the sender)."""
    kind_name = texts.PREP_KIND_NAMES[kind]
    body: list[CardElement] = [
        heading(texts.PREP_TITLE.format(kind=kind_name)),
        literal(texts.PREP_FROM.format(sender=sender_name, unit=view.unit_name), subtle=True),
        paragraph(texts.PREP_NUMBER.format(id=prep_id), subtle=True, spacing="None"),
    ]
    if notice:
        body.append(literal(notice, weight="Bolder"))
    body.append(paragraph(texts.PREP_INTRO))
    for item in view.mandatory:
        body.append(subheading(texts.PLAN_A_INDIKATOR_HEADING.format(number=item.number, perspektiv=item.perspektiv)))
        body.append(literal(item.text, subtle=True))
        body.append(
            facts(
                [
                    (texts.PLAN_A_QUESTION_FORSKEL, _cut(item.forskel) or texts.PLAN_A_NOT_WRITTEN),
                    (texts.PLAN_A_QUESTION_KENDETEGN, _cut(item.kendetegn) or texts.PLAN_A_NOT_WRITTEN),
                ]
            )
        )
    body.append(subheading(texts.PREP_QUESTIONS_HEADING))
    body.extend(paragraph(f"{n}. {q}", spacing="Small") for n, q in enumerate(texts.PREP_QUESTIONS, start=1))
    body.append(paragraph(texts.PREP_GRUNDLAG, subtle=True))
    body.append(paragraph(texts.PREP_PRIVACY.format(sender=sender_name), subtle=True))
    actions: list[Any] = [submit(texts.PREP_BUTTON_GRUNDLAG, payloads.RunCommand, command=Command.GRUNDLAG)]
    if for_recipient:
        body.extend(
            text_input(
                "notes",
                texts.PREP_NOTES_LABEL.format(sender=sender_name),
                {"notes": notes},
                {},
                multiline=True,
                max_length=4000,
                placeholder=texts.PREP_NOTES_PLACEHOLDER,
            )
        )
        actions.append(submit(texts.PREP_BUTTON_SAVE, payloads.PrepNotes, style="positive", prep_id=prep_id))
    else:
        body.append(subheading(texts.PREP_NOTES_HEADING.format(recipient=recipient_name)))
        body.append(literal(notes or texts.PREP_NO_NOTES.format(recipient=recipient_name)))
    return card(body=body, actions=actions)


# --- The status per indikator (issue 21) ---------------------------------------------------------------------


def status_text(status: StatusView) -> str:
    return texts.PLAN_A_STATUS_VALUE.format(
        mark=texts.COLOUR_MARKS[status.colour.value],
        colour=texts.COLOUR_LABELS[status.colour.value],
        date=danish.date(status.on),
        text=_cut(status.text),
    )


def status_card(
    *,
    view: PlanAView,
    item: IndikatorView,
    history: Sequence[StatusView],
    notice: str | None = None,
    may_record: bool = False,
    values: Values | None = None,
    errors: Errors | None = None,
) -> AdaptiveCard:
    """One indikator's status over the year, newest first: the colour, the date it is for, the text and who. The
    unit's leder (`may_record`) may record a new one below it: a colour (none chosen), a short text and the day."""
    body: list[CardElement] = [heading(texts.PLAN_A_STATUS_TITLE.format(number=item.number))]
    body.append(literal(f"{view.unit_name} · {item.perspektiv} · {item.text}", subtle=True))
    if notice:
        body.append(literal(notice, weight="Bolder"))
    if not history:
        body.append(paragraph(texts.PLAN_A_STATUS_EMPTY.format(number=item.number)))
    else:
        body.append(paragraph(texts.PLAN_A_STATUS_INTRO, subtle=True))
    for status in history:
        colour = f"{texts.COLOUR_MARKS[status.colour.value]} {texts.COLOUR_LABELS[status.colour.value]}"
        line = texts.PLAN_A_STATUS_LINE.format(date=danish.date(status.on), who=status.who)
        body.append(
            Container(
                items=[
                    TextBlock(text=colour, weight="Bolder", wrap=True),
                    literal(line, subtle=True, spacing="None"),
                    literal(status.text),
                ],
                separator=True,
                spacing="Medium",
            )
        )
    back = submit(texts.PLAN_A_BUTTON_BACK, payloads.PlanAShow, unit_id=view.unit_id)
    if not may_record:
        return card(body=body, actions=[back])
    values, errors = values or {}, errors or {}
    body.append(subheading(texts.PLAN_A_STATUS_FORM_HEADER))
    body.append(paragraph(texts.PLAN_A_STATUS_FORM_INTRO, subtle=True))
    colours = [(c.value, f"{texts.COLOUR_MARKS[c.value]} {texts.COLOUR_LABELS[c.value]}") for c in Colour]
    body += choice_input(
        "colour", texts.ROUND_STATUS_RECORD_COLOUR, colours, values, errors, expanded=True, required=True
    )
    body += text_input(
        "status_text", texts.ROUND_STATUS_RECORD_TEXT, values, errors, multiline=True, max_length=STATUS_TEXT_MAX
    )
    body += date_input("recorded_on", texts.ROUND_STATUS_RECORD_DATE, values, errors)
    record = submit(
        texts.ROUND_BUTTON_RECORD_STATUS,
        payloads.PlanAStatusRecord,
        style="positive",
        unit_id=view.unit_id,
        number=item.number,
    )
    return card(body=body, actions=[record, back])
