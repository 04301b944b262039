"""`oversigt` cards: the indsamler's matrix and afdelinger, an afdeling's units, a cell's eksempler, a chef's or
leder's units; and the reminder and digest cards the scheduler sends."""

from __future__ import annotations

from collections.abc import Sequence

from microsoft_teams.cards.core import (
    ActionSet,
    AdaptiveCard,
    CardElement,
    Column,
    ColumnSet,
    Container,
    SubmitAction,
    TextBlock,
)

from cards import danish, texts
from cards.base import ACTION_KEY, card, heading, literal, paragraph, subheading, submit
from cards.entry import person_label
from cards.payloads import Command
from domain.overview import (
    AfdelingDetail,
    Deadline,
    IndsamlerOverview,
    ManagerOverview,
    UnitSummary,
)
from domain.reminders import DigestItem, ReminderContent
from domain.vocabulary import EntryKind, Niveau, Role, Tema

HOME = "oversigt"
AFDELING = "oversigt_afdeling"
CELL = "selection_show"
REMIND = "oversigt_remind"
DIGEST_MAX_LINES = 15


def _data(action: str, **values: object) -> dict[str, object]:
    return {ACTION_KEY: action, **values}


def days_left(days: int) -> str:
    if days < 0:
        return danish.fill(texts.OVERSIGT_DAYS_PASSED, days=-days)
    return texts.OVERSIGT_DAYS_LEFT.get(days) or danish.fill(texts.OVERSIGT_DAYS_LEFT_MANY, days=days)


def _deadline_block(deadline: Deadline | None) -> TextBlock:
    if deadline is None:
        return paragraph(texts.OVERSIGT_NO_DEADLINE, subtle=True)
    return paragraph(
        texts.OVERSIGT_DEADLINE.format(date=danish.date(deadline.date), days_left=days_left(deadline.days_left))
    )


def _small(text: str, *, subtle: bool = True, color: str | None = None) -> TextBlock:
    return TextBlock(text=text, size="Small", is_subtle=subtle or None, wrap=True, spacing="None", color=color)  # type: ignore[arg-type]


def _cell_name(tema: Tema, niveau: Niveau) -> str:
    return texts.OVERSIGT_CELL_NAME.format(tema=texts.TEMA_LABELS[tema], niveau=texts.NIVEAU_LABELS[niveau].lower())


# --- The indsamler --------------------------------------------------------------------------------------------------


def indsamler_card(*, overview: IndsamlerOverview, notice: str | None = None) -> AdaptiveCard:
    body: list[CardElement] = [heading(texts.OVERSIGT_TITLE)]
    if notice:
        body.append(TextBlock(text=notice, wrap=True, weight="Bolder", color="Good"))
    body.append(_deadline_block(overview.deadline))
    body.append(
        paragraph(
            danish.fill(
                texts.OVERSIGT_TOTALS, received=overview.received, units_sent=overview.units_sent, units=overview.units
            ),
            subtle=True,
            spacing="None",
        )
    )
    if overview.unreachable:
        line = (
            texts.OVERSIGT_UNREACHABLE_ONE
            if overview.unreachable == 1
            else danish.fill(texts.OVERSIGT_UNREACHABLE, count=overview.unreachable)
        )
        body.append(TextBlock(text=line, wrap=True, color="Warning", weight="Bolder"))
    body += _matrix(overview)
    body.append(subheading(texts.OVERSIGT_AFDELINGER_TITLE))
    for coverage in overview.afdelinger:
        complete = coverage.units_sent == coverage.units
        body.append(
            ColumnSet(
                columns=[
                    Column(width="stretch", items=[TextBlock(text=coverage.name, wrap=True)]),
                    Column(
                        width="auto",
                        items=[
                            TextBlock(
                                text=texts.OVERSIGT_AFDELING_LINE.format(
                                    sent=coverage.units_sent, units=coverage.units
                                ),
                                color="Good" if complete else "Warning",
                                weight="Bolder",
                            )
                        ],
                    ),
                ],
                select_action=SubmitAction(title=coverage.name, data=_data(AFDELING, afdeling_id=coverage.afdeling_id)),
                separator=True,
                spacing="Small",
            )
        )
    actions = []
    if overview.units_sent < overview.units:
        actions.append(submit(texts.OVERSIGT_REMIND_ALL, REMIND, style="positive"))
    return card(body=body, actions=actions)


def _matrix(overview: IndsamlerOverview) -> list[CardElement]:
    header = ColumnSet(
        columns=[
            Column(width=3, items=[TextBlock(text=texts.OVERSIGT_COL_TEMA, weight="Bolder")]),
            *(
                Column(
                    width=2,
                    items=[TextBlock(text=texts.NIVEAU_LABELS[n], weight="Bolder", horizontal_alignment="Center")],
                )
                for n in Niveau
            ),
        ]
    )
    rows: list[CardElement] = [subheading(texts.OVERSIGT_MATRIX_TITLE), _small(texts.OVERSIGT_MATRIX_HINT), header]
    cells = {(c.tema, c.niveau): c for c in overview.cells}
    for tema in Tema:
        columns = [Column(width=3, items=[TextBlock(text=texts.TEMA_LABELS[tema], wrap=True)])]
        for niveau in Niveau:
            cell = cells[(tema, niveau)]
            columns.append(
                Column(
                    width=2,
                    items=[
                        TextBlock(
                            text=texts.OVERSIGT_CELL.format(
                                received=cell.received, selected=cell.selected, adopted=cell.adopted
                            ),
                            horizontal_alignment="Center",
                            color="Attention" if cell.received == 0 else "Accent",
                            weight="Bolder",
                        )
                    ],
                    # The cell opens the indsamler's list (cards.selection), filtered to the cell: ten a page,
                    # with the selection actions (cards.payloads.SelectionShow, served by bot.eksempler).
                    select_action=SubmitAction(
                        title=_cell_name(tema, niveau),
                        data=_data(CELL, filter_tema=tema.value, filter_niveau=niveau.value, offset=0),
                    ),
                )
            )
        rows.append(ColumnSet(columns=columns, separator=True, spacing="Small"))
    empty = overview.empty_cells
    if empty:
        names = ", ".join(_cell_name(c.tema, c.niveau) for c in empty)
        rows.append(TextBlock(text=texts.OVERSIGT_EMPTY_CELLS.format(cells=names), wrap=True, color="Attention"))
    else:
        rows.append(_small(texts.OVERSIGT_NO_EMPTY_CELLS, subtle=False, color="Good"))
    return rows


def afdeling_card(*, detail: AfdelingDetail, may_remind: bool, notice: str | None = None) -> AdaptiveCard:
    sent = sum(1 for u in detail.units if not u.missing)
    body: list[CardElement] = [heading(texts.OVERSIGT_AFDELING_TITLE.format(name=detail.name))]
    if notice:
        body.append(TextBlock(text=notice, wrap=True, weight="Bolder", color="Good"))
    body.append(_deadline_block(detail.deadline))
    body.append(paragraph(danish.fill(texts.OVERSIGT_AFDELING_INTRO, sent=sent, units=len(detail.units)), subtle=True))
    for unit in detail.units:
        status = (
            TextBlock(text=texts.OVERSIGT_UNIT_MISSING, color="Attention", weight="Bolder")
            if unit.missing
            else TextBlock(text=danish.fill(texts.OVERSIGT_UNIT_SENT, count=unit.sent), color="Good", weight="Bolder")
        )
        items: list[CardElement] = [
            ColumnSet(
                columns=[
                    Column(width="stretch", items=[TextBlock(text=unit.name, wrap=True, weight="Bolder")]),
                    Column(width="auto", items=[status]),
                ]
            ),
            _small(
                texts.OVERSIGT_UNIT_LEDER.format(names=", ".join(unit.ledere))
                if unit.ledere
                else texts.OVERSIGT_UNIT_NO_LEDER
            ),
        ]
        if unit.missing and unit.reminded_at is not None:
            items.append(_small(texts.OVERSIGT_UNIT_REMINDED.format(date=danish.date(unit.reminded_at))))
        if unit.missing and unit.unreachable:
            items.append(_small(texts.OVERSIGT_UNIT_UNREACHABLE, subtle=False, color="Warning"))
        # Reminded today already: a second reminder the same day would not be sent (domain.reminders.remind_now).
        if unit.missing and unit.ledere and may_remind and not (unit.reminded_at and danish.is_today(unit.reminded_at)):
            title = texts.OVERSIGT_REMIND_ONE.format(unit=unit.name)
            button = submit(title, REMIND, unit_id=unit.unit_id, afdeling_id=detail.afdeling_id)
            items.append(ActionSet(actions=[button], spacing="Small"))
        body.append(Container(items=items, separator=True, spacing="Small"))
    actions = []
    if may_remind and any(u.missing and u.ledere for u in detail.units):
        actions.append(submit(texts.OVERSIGT_REMIND_ALL, REMIND, style="positive", afdeling_id=detail.afdeling_id))
    actions.append(submit(texts.OVERSIGT_BACK, HOME))
    return card(body=body, actions=actions)


# --- Chefs and ledere -------------------------------------------------------------------------------------------------


def _kind_line(summary: UnitSummary, kind: EntryKind) -> str:
    counts = summary.counts.get(kind, {})
    label = texts.KIND_LABELS[kind]
    if not counts:
        return texts.OVERSIGT_KIND_NONE.format(kind=label)
    parts = [
        texts.OVERSIGT_COUNT_STATUS.format(count=counts[status], status=texts.OVERSIGT_STATUS_SHORT[status])
        for status in texts.OVERSIGT_STATUS_SHORT
        if counts.get(status)
    ]
    return texts.OVERSIGT_KIND_COUNTS.format(kind=label, counts=", ".join(parts))


def manager_card(*, overview: ManagerOverview, is_chef: bool) -> AdaptiveCard:
    body: list[CardElement] = [
        heading(texts.OVERSIGT_MANAGER_TITLE.format(title=overview.title)),
        paragraph(texts.OVERSIGT_MANAGER_INTRO_CHEF if is_chef else texts.OVERSIGT_MANAGER_INTRO_LEDER, subtle=True),
        _deadline_block(overview.deadline),
    ]
    for summary in overview.units:
        items: list[CardElement] = [
            TextBlock(text=summary.name, weight="Bolder", wrap=True),
            _small(_kind_line(summary, EntryKind.TEGN), subtle=False),
            _small(_kind_line(summary, EntryKind.LAERING), subtle=False),
        ]
        if summary.waiting:
            for waiting in summary.waiting:
                who = ", ".join(waiting.names) or texts.ROLE_LABELS[waiting.role]
                items.append(
                    _small(
                        danish.fill(
                            texts.OVERSIGT_WAITING[waiting.kind],
                            count=waiting.count,
                            who=who,
                            since=danish.date(waiting.since),
                        ),
                        subtle=False,
                        color="Accent",
                    )
                )
        else:
            items.append(_small(texts.OVERSIGT_NOTHING_WAITING))
        if summary.eksempler_sent:
            items.append(
                _small(texts.OVERSIGT_EKSEMPLER_SENT.format(count=summary.eksempler_sent), subtle=False, color="Good")
            )
        else:
            items.append(_small(texts.OVERSIGT_EKSEMPLER_MISSING, subtle=False, color="Attention"))
        body.append(Container(items=items, separator=True, spacing="Medium"))
    if overview.more_units:
        body.append(_small(danish.fill(texts.OVERSIGT_MORE_UNITS, count=overview.more_units)))
    return card(body=body)


# --- Reminders and digests --------------------------------------------------------------------------------------------


def reminder_card(*, content: ReminderContent) -> AdaptiveCard:
    deadline = content.deadline
    body: list[CardElement] = [
        heading(texts.REMINDER_TITLE),
        paragraph(
            texts.REMINDER_TEXT.format(
                unit=content.unit_name, date=danish.date(deadline.date), days_left=days_left(deadline.days_left)
            )
        ),
        paragraph(texts.REMINDER_WHAT),
        paragraph(texts.REMINDER_MOEDE, subtle=True),
    ]
    if content.indsamlere:
        contacts = [
            texts.PERSON_AT_EMAIL.format(person=person_label(p, Role.INDSAMLER), email=p.email) if p.email else p.name
            for p in content.indsamlere
        ]
        body.append(literal(texts.REMINDER_QUESTIONS.format(who=danish.listing(contacts))))
    return card(
        body=body, actions=[submit(texts.REMINDER_BUTTON, "command", style="positive", command=Command.EKSEMPEL.value)]
    )


def digest_card(*, lines: Sequence[DigestItem], min_age_days: int) -> AdaptiveCard:
    body: list[CardElement] = [
        heading(texts.DIGEST_TITLE),
        paragraph(danish.fill(texts.DIGEST_INTRO, count=len(lines), days=min_age_days)),
    ]
    for line in lines[:DIGEST_MAX_LINES]:
        body.append(
            TextBlock(
                text=texts.DIGEST_LINE.format(
                    kind=texts.KIND_LABELS[line.kind],
                    id=line.entry_id,
                    owner=line.owner_name,
                    unit=line.unit_name,
                    since=danish.date(line.since),
                ),
                wrap=True,
                spacing="Small",
            )
        )
    if len(lines) > DIGEST_MAX_LINES:
        body.append(_small(texts.DIGEST_MORE.format(count=len(lines) - DIGEST_MAX_LINES)))
    return card(
        body=body, actions=[submit(texts.DIGEST_BUTTON, "command", style="positive", command=Command.GODKEND.value)]
    )
