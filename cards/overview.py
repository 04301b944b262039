"""`oversigt` cards: the indsamler's matrix and afdelinger, an afdeling's units, a cell's eksempler, a chef's or
leder's units with their mål's coverage, Chefforum's mål per målsætning across the organisation; and the reminder
and digest cards the scheduler sends."""

from __future__ import annotations

from collections.abc import Sequence

from microsoft_teams.cards.core import (
    Action,
    ActionSet,
    AdaptiveCard,
    CardElement,
    Column,
    ColumnSet,
    Container,
    TextBlock,
)

from cards import danish, payloads, texts
from cards.base import card, heading, literal, paragraph, subheading, submit
from cards.entry import person_label
from cards.payloads import Command
from core.vocabulary import EntryKind, Niveau, Role, Tema
from domain.coverage import MaalCoverage, MaalsaetningCoverage, Totals, UnitCoverage
from domain.coverage_reminders import CoverageReminderContent
from domain.overview import (
    AfdelingDetail,
    Deadline,
    IndsamlerOverview,
    ManagerOverview,
    UnitSummary,
)
from domain.reminders import DigestItem, ReminderContent

# Chefforum's drill-down shows this many mål a page (a mål's title may be 500 characters).
MAAL_PER_PAGE = 15
DIGEST_MAX_LINES = 15


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


def indsamler_card(*, overview: IndsamlerOverview, notice: str | None = None, chefforum: bool = False) -> AdaptiveCard:
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
                    Column(
                        width="stretch",
                        items=[
                            TextBlock(text=coverage.name, wrap=True),
                            _small(texts.NUMBER_FOR_TYPING.format(number=coverage.afdeling_id)),
                        ],
                    ),
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
                select_action=submit(coverage.name, payloads.OverviewAfdeling, afdeling_id=coverage.afdeling_id),
                separator=True,
                spacing="Small",
            )
        )
    actions = []
    if overview.units_sent < overview.units:
        actions.append(submit(texts.OVERSIGT_REMIND_ALL, payloads.SendReminder, style="positive"))
    if chefforum:
        actions.append(submit(texts.OVERSIGT_ACROSS_BUTTON, payloads.OverviewAcross))
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
                    select_action=submit(
                        _cell_name(tema, niveau),
                        payloads.SelectionShow,
                        filter_tema=tema.value,
                        filter_niveau=niveau.value,
                        offset=0,
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
                    Column(
                        width="stretch",
                        items=[
                            TextBlock(text=unit.name, wrap=True, weight="Bolder"),
                            _small(texts.NUMBER_FOR_TYPING.format(number=unit.unit_id)),
                        ],
                    ),
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
        if unit.missing and unit.reminding:
            items.append(_small(texts.OVERSIGT_UNIT_REMINDING))
        if unit.missing and unit.unreachable:
            items.append(_small(texts.OVERSIGT_UNIT_UNREACHABLE, subtle=False, color="Warning"))
        # Reminded today already, or a reminder on its way: a second one would not be sent (reminders.remind_now).
        reminded_today = unit.reminding or bool(unit.reminded_at and danish.is_today(unit.reminded_at))
        if unit.missing and unit.ledere and may_remind and not reminded_today:
            title = texts.OVERSIGT_REMIND_ONE.format(unit=unit.name)
            button = submit(title, payloads.SendReminder, unit_id=unit.unit_id, afdeling_id=detail.afdeling_id)
            items.append(ActionSet(actions=[button], spacing="Small"))
        body.append(Container(items=items, separator=True, spacing="Small"))
    actions = []
    if may_remind and any(u.missing and u.ledere for u in detail.units):
        actions.append(
            submit(texts.OVERSIGT_REMIND_ALL, payloads.SendReminder, style="positive", afdeling_id=detail.afdeling_id)
        )
    actions.append(submit(texts.OVERSIGT_BACK, payloads.OverviewHome))
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


def _maal_flag(maal: MaalCoverage) -> TextBlock | None:
    if maal.lacks_tegn and maal.lacks_proevehandlinger:
        text = texts.OVERSIGT_MAAL_LACKS_BOTH
    elif maal.lacks_tegn:
        text = texts.OVERSIGT_MAAL_LACKS_TEGN
    elif maal.lacks_proevehandlinger:
        text = texts.OVERSIGT_MAAL_LACKS_PH
    else:
        return None
    return _small(text, subtle=False, color="Attention")


def _maal_counts(maal: MaalCoverage) -> str:
    return texts.OVERSIGT_MAAL_COUNTS.format(
        tegn=maal.tegn_approved,
        tegn_pending=maal.tegn_pending,
        ph=maal.proevehandlinger,
        ph_pending=maal.proevehandlinger_pending,
        laering=maal.laering_approved,
        laering_pending=maal.laering_pending,
    )


def _maal_items(maal: MaalCoverage, *, with_unit: bool = False) -> list[CardElement]:
    """One mål: (its unit,) its title, its counts, and what it lacks."""
    items: list[CardElement] = []
    if with_unit:
        items.append(_small(texts.OVERSIGT_MAAL_UNIT.format(unit=maal.unit_name)))
    items.append(TextBlock(text=maal.title, wrap=True, weight="Bolder", spacing="Small"))
    items.append(_small(_maal_counts(maal), subtle=False))
    flag = _maal_flag(maal)
    if flag is not None:
        items.append(flag)
    return items


def _coverage_line(coverage: UnitCoverage | None) -> TextBlock | None:
    if coverage is None:
        return None
    if not coverage.maal:
        return _small(texts.OVERSIGT_COVERAGE_NO_PLAN)
    totals = coverage.totals
    lacking = totals.lacking_tegn or totals.lacking_proevehandlinger
    return _small(
        texts.OVERSIGT_COVERAGE_UNIT.format(
            maal=totals.maal, no_tegn=totals.lacking_tegn, no_ph=totals.lacking_proevehandlinger
        ),
        subtle=False,
        color="Attention" if lacking else "Good",
    )


def _pager(
    first: int,
    shown: int,
    total: int,
    text: str,
    previous: Action | None,
    following: Action | None,
) -> list[CardElement]:
    """ "Viser a–b af n" and the buttons to the pages around it (when there is more than one page)."""
    if total <= shown:
        return []
    elements: list[CardElement] = [_small(text.format(first=first + 1, last=first + shown, total=total))]
    buttons = [button for button in (previous, following) if button is not None]
    if buttons:
        elements.append(ActionSet(actions=buttons, spacing="Small"))
    return elements


def manager_card(*, overview: ManagerOverview, is_chef: bool, chefforum: bool = False) -> AdaptiveCard:
    """A chef's units a page at a time (each with its mål's coverage and a button to them), or a leder's unit
    with every mål and what it lacks."""
    body: list[CardElement] = [
        heading(texts.OVERSIGT_MANAGER_TITLE.format(title=overview.title)),
        paragraph(texts.OVERSIGT_MANAGER_INTRO_CHEF if is_chef else texts.OVERSIGT_MANAGER_INTRO_LEDER, subtle=True),
        _deadline_block(overview.deadline),
    ]
    pager = _pager(
        overview.offset,
        len(overview.units),
        overview.total_units,
        texts.OVERSIGT_PAGE_UNITS,
        None
        if overview.previous_offset is None
        else submit(texts.OVERSIGT_PREVIOUS, payloads.OverviewHome, offset=overview.previous_offset),
        None
        if overview.next_offset is None
        else submit(texts.OVERSIGT_NEXT, payloads.OverviewHome, offset=overview.next_offset),
    )
    for summary in overview.units:
        items: list[CardElement] = [
            TextBlock(text=summary.name, weight="Bolder", wrap=True),
            _small(_kind_line(summary, EntryKind.TEGN), subtle=False),
            _small(_kind_line(summary, EntryKind.PROEVEHANDLING), subtle=False),
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
        line = _coverage_line(summary.coverage)
        if line is not None:
            items.append(line)
        if summary.coverage is not None and summary.coverage.maal:
            # A leder's own unit or two show every mål; more units (a chef's) open one at a time.
            if is_chef or len(overview.units) > 2:
                button = submit(
                    texts.OVERSIGT_UNIT_OPEN.format(unit=summary.name),
                    payloads.OverviewUnit,
                    unit_id=summary.unit_id,
                    offset=overview.offset,
                )
                items.append(ActionSet(actions=[button], spacing="Small"))
            else:
                for maal in summary.coverage.maal:
                    items.append(Container(items=_maal_items(maal), spacing="Small"))
        body.append(Container(items=items, separator=True, spacing="Medium"))
    body += pager
    actions = [submit(texts.OVERSIGT_ACROSS_BUTTON, payloads.OverviewAcross)] if chefforum else []
    if is_chef or chefforum:  # Plan A on each arbejdsplads (issue 21: cards.plan_a_overview)
        actions.append(submit(texts.PLAN_A_OVERVIEW_BUTTON, payloads.OverviewPlanA))
    return card(body=body, actions=actions)


def unit_coverage_card(*, coverage: UnitCoverage, offset: int = 0) -> AdaptiveCard:
    """A chef's drill-down: one unit's mål, each with its counts and what it lacks."""
    body: list[CardElement] = [
        heading(texts.OVERSIGT_UNIT_COVERAGE_TITLE.format(unit=coverage.name)),
        paragraph(texts.OVERSIGT_UNIT_COVERAGE_INTRO, subtle=True),
    ]
    line = _coverage_line(coverage)
    if line is not None:
        body.append(line)
    for maal in coverage.maal:
        body.append(Container(items=_maal_items(maal), separator=True, spacing="Small"))
    return card(body=body, actions=[submit(texts.OVERSIGT_BACK, payloads.OverviewHome, offset=offset)])


def units_text(count: int) -> str:
    return danish.fill(texts.OVERSIGT_UNITS, count=count)


def _totals_line(totals: Totals, units: int) -> str:
    return texts.OVERSIGT_ACROSS_LINE.format(
        maal=totals.maal,
        units=units_text(units),
        no_tegn=totals.lacking_tegn,
        no_ph=totals.lacking_proevehandlinger,
        tegn=totals.tegn_approved,
        tegn_pending=totals.tegn_pending,
        laering=totals.laering_approved,
    )


def across_card(*, groups: Sequence[MaalsaetningCoverage]) -> AdaptiveCard:
    """Chefforum: every målsætning across the organisation, with its mål's coverage and a button to them."""
    everything = Totals.of([m for g in groups for m in g.maal])
    body: list[CardElement] = [heading(texts.OVERSIGT_ACROSS_TITLE)]
    if not groups:
        body.append(paragraph(texts.OVERSIGT_NO_MAAL))
    else:
        body.append(
            paragraph(
                texts.OVERSIGT_ACROSS_INTRO.format(
                    maal=everything.maal,
                    no_tegn=everything.lacking_tegn,
                    no_ph=everything.lacking_proevehandlinger,
                ),
                subtle=True,
            )
        )
    for group in groups:
        totals = group.totals
        lacking = totals.lacking_tegn or totals.lacking_proevehandlinger
        items: list[CardElement] = [
            TextBlock(text=group.maalsaetning or texts.OVERSIGT_NO_MAALSAETNING, weight="Bolder", wrap=True),
            _small(_totals_line(totals, group.units), subtle=False, color="Attention" if lacking else "Good"),
            ActionSet(
                actions=[submit(texts.OVERSIGT_MAALSAETNING_OPEN, payloads.OverviewAcross, maal_id=group.key_maal_id)],
                spacing="Small",
            ),
        ]
        body.append(Container(items=items, separator=True, spacing="Medium"))
    actions = [submit(texts.OVERSIGT_ACROSS_EXPORT, payloads.OverviewChefforumExport)] if groups else []
    # Plan A on every arbejdsplads (issue 21: cards.plan_a_overview).
    actions.append(submit(texts.PLAN_A_OVERVIEW_BUTTON, payloads.OverviewPlanA, everyone=True))
    return card(body=body, actions=[*actions, submit(texts.OVERSIGT_BACK, payloads.OverviewHome)])


def maalsaetning_card(*, group: MaalsaetningCoverage, offset: int = 0) -> AdaptiveCard:
    """Chefforum's drill-down: one målsætning's mål in every unit, MAAL_PER_PAGE at a time."""
    offset = min(max(0, offset), max(0, len(group.maal) - 1))
    page = group.maal[offset : offset + MAAL_PER_PAGE]
    body: list[CardElement] = [
        heading(group.maalsaetning or texts.OVERSIGT_NO_MAALSAETNING),
        _small(_totals_line(group.totals, group.units), subtle=False),
    ]
    for maal in page:
        body.append(Container(items=_maal_items(maal, with_unit=True), separator=True, spacing="Small"))
    following = offset + len(page)
    body += _pager(
        offset,
        len(page),
        len(group.maal),
        texts.OVERSIGT_PAGE_MAAL,
        submit(
            texts.OVERSIGT_PREVIOUS,
            payloads.OverviewAcross,
            maal_id=group.key_maal_id,
            offset=max(0, offset - MAAL_PER_PAGE),
        )
        if offset
        else None,
        submit(texts.OVERSIGT_NEXT, payloads.OverviewAcross, maal_id=group.key_maal_id, offset=following)
        if following < len(group.maal)
        else None,
    )
    return card(body=body, actions=[submit(texts.OVERSIGT_ACROSS_BACK, payloads.OverviewAcross)])


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
        body=body,
        actions=[submit(texts.REMINDER_BUTTON, payloads.RunCommand, style="positive", command=Command.EKSEMPEL.value)],
    )


COVERAGE_REMINDER_MAX_MAAL = 10


def coverage_reminder_card(*, content: CoverageReminderContent) -> AdaptiveCard:
    """Before a Chefforum quality-assurance date: the unit's mål that lack tegn (or prøvehandlinger); for a chef,
    how many of the afdeling's proposals wait at them."""
    deadline = content.deadline
    tegn = content.about_tegn
    if content.for_chef:
        text = texts.COVERAGE_REMINDER_CHEF_TEGN if tegn else texts.COVERAGE_REMINDER_CHEF_PH
        chef_body: list[CardElement] = [
            heading(texts.COVERAGE_REMINDER_TITLE_CHEF),
            paragraph(
                text.format(
                    count=content.waiting,
                    unit=content.unit_name,
                    date=danish.date(deadline.date),
                    days_left=days_left(deadline.days_left),
                )
            ),
        ]
        button = submit(
            texts.COVERAGE_REMINDER_BUTTON_GODKEND, payloads.RunCommand, style="positive", command=Command.GODKEND.value
        )
        return card(body=chef_body, actions=[button])
    body: list[CardElement] = [
        heading(texts.COVERAGE_REMINDER_TITLE_TEGN if tegn else texts.COVERAGE_REMINDER_TITLE_PH),
        paragraph(
            (texts.COVERAGE_REMINDER_TEXT_TEGN if tegn else texts.COVERAGE_REMINDER_TEXT_PH).format(
                unit=content.unit_name,
                count=len(content.maal),
                date=danish.date(deadline.date),
                days_left=days_left(deadline.days_left),
            )
        ),
    ]
    for title in content.maal[:COVERAGE_REMINDER_MAX_MAAL]:
        body.append(TextBlock(text=texts.COVERAGE_REMINDER_MAAL.format(title=title), wrap=True, spacing="Small"))
    if len(content.maal) > COVERAGE_REMINDER_MAX_MAAL:
        body.append(_small(texts.COVERAGE_REMINDER_MORE.format(count=len(content.maal) - COVERAGE_REMINDER_MAX_MAAL)))
    body.append(paragraph(texts.COVERAGE_REMINDER_WHAT_TEGN if tegn else texts.COVERAGE_REMINDER_WHAT_PH, subtle=True))
    actions = [submit(texts.COVERAGE_REMINDER_BUTTON_OVERSIGT, payloads.RunCommand, command=Command.OVERSIGT.value)]
    if tegn:
        actions.insert(
            0,
            submit(
                texts.COVERAGE_REMINDER_BUTTON_TEGN, payloads.RunCommand, style="positive", command=Command.TEGN.value
            ),
        )
    return card(body=body, actions=actions)


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
        body=body,
        actions=[submit(texts.DIGEST_BUTTON, payloads.RunCommand, style="positive", command=Command.GODKEND.value)],
    )
