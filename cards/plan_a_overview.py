"""Plan A across arbejdspladser (issue 21): the chef's and Chefforum's `oversigt plan a` card, a page of
arbejdspladser by afdeling; and the leder's reminder before Plan A's two deadlines."""

from __future__ import annotations

from microsoft_teams.cards.core import Action, ActionSet, AdaptiveCard, CardElement, Container, TextBlock

from cards import danish, payloads, texts
from cards.base import card, heading, paragraph, submit
from cards.overview import days_left
from core.vocabulary import EntryKind
from domain.plan_a_overview import IndikatorState, PlanAOverview, UnitPlanA
from domain.plan_a_reminders import PlanAReminderContent

# An indikator's text on the overview, cut (the whole text is on the unit's own Plan A).
INDIKATOR_TEXT_SHOWN = 60


def _small(text: str, *, subtle: bool = True, color: str | None = None) -> TextBlock:
    return TextBlock(text=text, size="Small", is_subtle=subtle or None, wrap=True, spacing="None", color=color)  # type: ignore[arg-type]


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def status_text(item: IndikatorState) -> str:
    if item.status is None:
        return texts.PLAN_A_OVERVIEW_NO_STATUS
    return texts.PLAN_A_OVERVIEW_STATUS.format(
        colour=texts.PLAN_A_STATUS_LABELS[item.status.colour.value], date=danish.date(item.status.on)
    )


def counts_text(item: IndikatorState) -> str:
    return texts.PLAN_A_OVERVIEW_COUNTS.format(
        tegn=item.entries.get(EntryKind.TEGN, 0),
        ph=item.entries.get(EntryKind.PROEVEHANDLING, 0),
        laering=item.entries.get(EntryKind.LAERING, 0),
    )


def indikator_line(item: IndikatorState) -> str:
    """»6. Vi har høj trivsel … · skrevet · ingen status endnu · tegn 2 · prøvehandlinger 0 · læring 1«."""
    head = texts.PLAN_A_OVERVIEW_INDIKATOR.format(number=item.number, text=_cut(item.text, INDIKATOR_TEXT_SHOWN))
    if item.mandatory:
        written = texts.PLAN_A_OVERVIEW_IS_WRITTEN if item.written else texts.PLAN_A_OVERVIEW_NOT_WRITTEN
    else:
        written = texts.PLAN_A_OVERVIEW_FURTHER
    return " · ".join((head, written, status_text(item), counts_text(item)))


def _unit(unit: UnitPlanA, *, may_open: bool) -> Container:
    decided = (
        texts.PLAN_A_OVERVIEW_FORM_DECIDED.format(date=danish.date(unit.form_decided_on))
        if unit.form_decided_on
        else texts.PLAN_A_OVERVIEW_FORM_MISSING
    )
    in_use = (
        texts.PLAN_A_OVERVIEW_IN_USE.format(date=danish.date(unit.in_use_since))
        if unit.in_use_since
        else texts.PLAN_A_OVERVIEW_IN_USE_MISSING
    )
    mandatory = unit.mandatory
    complete = bool(unit.form_decided_on and unit.in_use_since) and unit.mandatory_written == len(mandatory)
    items: list[CardElement] = [
        TextBlock(text=unit.name, weight="Bolder", wrap=True),
        _small(
            texts.PLAN_A_OVERVIEW_LEDER.format(names=", ".join(unit.ledere))
            if unit.ledere
            else texts.PLAN_A_OVERVIEW_NO_LEDER
        ),
    ]
    if not unit.started:
        items.append(_small(texts.PLAN_A_OVERVIEW_NOT_STARTED, subtle=False, color="Attention"))
    items.append(
        _small(
            f"{decided} · {in_use}",
            subtle=False,
            color="Good" if unit.form_decided_on and unit.in_use_since else "Attention",
        )
    )
    if mandatory:
        items.append(
            _small(
                danish.fill(texts.PLAN_A_OVERVIEW_WRITTEN, written=unit.mandatory_written, count=len(mandatory)),
                subtle=False,
                color="Good" if unit.mandatory_written == len(mandatory) else "Attention",
            )
        )
    if unit.indikatorer:  # one block, a line each: eight indikatorer on ten units stay far within Teams' size
        # A blank line between them: Teams' markdown runs single line breaks together.
        items.append(_small("\n\n".join(indikator_line(item) for item in unit.indikatorer)))
    if may_open:
        button = submit(texts.PLAN_A_OVERVIEW_OPEN.format(unit=unit.name), payloads.PlanAShow, unit_id=unit.unit_id)
        items.append(ActionSet(actions=[button], spacing="Small"))
    return Container(items=items, separator=True, spacing="Medium", style="good" if complete else None)


def overview_card(*, overview: PlanAOverview) -> AdaptiveCard:
    """A page of arbejdspladser, under their afdeling's name, each with its Plan A's state; »Næste«/»Forrige«
    reach every page (no cap)."""
    seen = overview.scope
    title = (
        texts.PLAN_A_OVERVIEW_TITLE_ALL if seen.everyone else texts.PLAN_A_OVERVIEW_TITLE.format(title=overview.title)
    )
    totals = overview.totals
    body: list[CardElement] = [
        heading(title),
        paragraph(texts.PLAN_A_OVERVIEW_INTRO, subtle=True),
        paragraph(
            danish.fill(
                texts.PLAN_A_OVERVIEW_TOTALS,
                units=totals.units,
                decided=totals.form_decided,
                in_use=totals.in_use,
                written=totals.mandatory_written,
            )
        ),
    ]
    for deadline in (overview.form_deadline, overview.in_use_deadline):
        if deadline is not None:
            body.append(
                _small(texts.PLAN_A_OVERVIEW_DEADLINE.format(title=deadline.title, date=danish.date(deadline.date)))
            )
    if not overview.units:
        body.append(paragraph(texts.PLAN_A_OVERVIEW_EMPTY))
    afdeling: int | None = -1
    for unit in overview.units:
        if unit.afdeling_id != afdeling:
            afdeling = unit.afdeling_id
            body.append(TextBlock(text=unit.afdeling_name, weight="Bolder", size="Medium", wrap=True, spacing="Large"))
        # A chef reads the Plan A of their arbejdspladser (domain.plan_a.rights); Chefforum's view of everyone
        # shows the state only.
        body.append(_unit(unit, may_open=not seen.everyone))
    if overview.totals.units > len(overview.units):
        first = overview.offset
        body.append(
            _small(
                texts.OVERSIGT_PAGE_UNITS.format(
                    first=first + 1, last=first + len(overview.units), total=overview.totals.units
                )
            )
        )
        buttons: list[Action] = []
        if overview.previous_offset is not None:
            buttons.append(
                submit(
                    texts.OVERSIGT_PREVIOUS,
                    payloads.OverviewPlanA,
                    everyone=seen.everyone,
                    offset=overview.previous_offset,
                )
            )
        if overview.next_offset is not None:
            buttons.append(
                submit(texts.OVERSIGT_NEXT, payloads.OverviewPlanA, everyone=seen.everyone, offset=overview.next_offset)
            )
        body.append(ActionSet(actions=buttons, spacing="Small"))
    actions = []
    if seen.everyone and seen.may_see_own:
        actions.append(submit(texts.PLAN_A_OVERVIEW_OWN, payloads.OverviewPlanA, everyone=False))
    if not seen.everyone and seen.may_see_everyone:
        actions.append(submit(texts.PLAN_A_OVERVIEW_EVERYONE, payloads.OverviewPlanA, everyone=True))
    actions.append(submit(texts.OVERSIGT_BACK, payloads.OverviewHome))
    return card(body=body, actions=actions)


def reminder_card(*, content: PlanAReminderContent) -> AdaptiveCard:
    """Before a Plan A deadline, to the leder of an arbejdsplads that has not got there yet."""
    deadline = content.deadline
    form = content.about_form
    text = texts.PLAN_A_REMINDER_TEXT_FORM if form else texts.PLAN_A_REMINDER_TEXT_IN_USE
    body: list[CardElement] = [
        heading(texts.PLAN_A_REMINDER_TITLE_FORM if form else texts.PLAN_A_REMINDER_TITLE_IN_USE),
        paragraph(
            text.format(
                unit=content.unit_name, date=danish.date(deadline.date), days_left=days_left(deadline.days_left)
            )
        ),
        paragraph(texts.PLAN_A_REMINDER_WHAT_FORM if form else texts.PLAN_A_REMINDER_WHAT_IN_USE, subtle=True),
    ]
    button = submit(texts.PLAN_A_REMINDER_BUTTON, payloads.PlanAShow, style="positive", unit_id=content.unit_id)
    return card(body=body, actions=[button])
