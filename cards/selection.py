"""The indsamler's cards: a page of eksempler with the selection actions (tick, pick the outcome and the forum's
date, register for all ticked at once), similar eksempler named and grouped, and the good news for the owner and
the unit's leder.

`selection_list_card` takes plain list items (domain.eksempler.EksempelItem), so any view that lists eksempler
(the indsamler's `eksempler`, a cell of the overview) can render them with the same actions; its buttons send
`selection_show` and `selection_apply` (cards.payloads), which bot.eksempler serves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from microsoft_teams.cards.core import (
    AdaptiveCard,
    CardElement,
    Column,
    ColumnSet,
    Container,
    DateInput,
    TextBlock,
    ToggleInput,
)

from cards import danish, payloads, texts
from cards.base import card, error_text, heading, literal, paragraph, subheading, submit
from cards.eksempel import shorten
from cards.forms import Errors, Values, choice_input, text_input
from cards.payloads import FILM_OFF, FILM_ON, NO_CHOICE, PICK_PREFIX, Command
from core.vocabulary import EntryKind, EntryStatus, Niveau, Tema
from domain.eksempler import EksempelItem, ListFilter
from domain.policy import Selection
from domain.similarity import NEIGHBOURS_SHOWN

PAGE_SIZE = 10
ITEM_TEXT_SHOWN = 300
NAME_SHOWN = 80
COMMENT_MAX = 1000


def numbers(ids: Sequence[int]) -> str:
    """ "12", "12 og 37", "12, 37 og 40"."""
    shown = [str(entry_id) for entry_id in ids]
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + texts.SELECTION_AND + shown[-1]


def status_line(item: EksempelItem) -> str:
    """Where the eksempel stands: the last forum's outcome with its date, or its status."""
    if item.outcome is not None and item.outcome.status is item.status:
        outcome = texts.OUTCOME_LABELS[item.status].format(forum=item.outcome.forum)
        return texts.OUTCOME_ON.format(outcome=outcome, date=danish.date(item.outcome.on))
    if item.waiting_for is not None:
        return texts.STATUS_PENDING_OTHER.format(role=texts.ROLE_LABELS.get(item.waiting_for, item.waiting_for))
    if item.status is EntryStatus.APPROVED:
        return texts.STATUS_APPROVED_BY_KIND[EntryKind.EKSEMPEL]
    return texts.STATUS_LABELS.get(item.status, item.status)


def outcome_choices(selection: Selection) -> list[tuple[str, str]]:
    """Every outcome a forum of the selection can give, as (value, label), and the film candidacy."""
    choices: list[tuple[str, str]] = []
    for step in selection:
        for status in (step.passed, step.failed):
            for forum in step.fora:
                choices.append((f"{status.value}|{forum}", texts.OUTCOME_LABELS[status].format(forum=forum)))
    choices += [(FILM_ON, texts.FILM_CANDIDATE_ON), (FILM_OFF, texts.FILM_CANDIDATE_OFF)]
    return choices


def _status_choices(selection: Selection) -> list[tuple[str, str]]:
    choices = [(NO_CHOICE, texts.SELECTION_FILTER_ALL), (EntryStatus.PENDING.value, texts.SELECTION_FILTER_UNDECIDED)]
    for step in selection:
        choices += [(status.value, texts.STATUS_LABELS[status]) for status in (step.passed, step.failed)]
    return choices


def _filters(shown: ListFilter, selection: Selection) -> ColumnSet:
    values = {
        "filter_tema": shown.tema.value if shown.tema else NO_CHOICE,
        "filter_niveau": shown.niveau.value if shown.niveau else NO_CHOICE,
        "filter_status": shown.status.value if shown.status else NO_CHOICE,
    }
    tema = [(NO_CHOICE, texts.SELECTION_FILTER_ALL)] + [(t.value, texts.TEMA_LABELS[t]) for t in Tema]
    niveau = [(NO_CHOICE, texts.SELECTION_FILTER_ALL)] + [(n.value, texts.NIVEAU_LABELS[n]) for n in Niveau]
    columns = [
        Column(width="stretch", items=choice_input("filter_tema", texts.SELECTION_FILTER_TEMA, tema, values, {})),
        Column(width="stretch", items=choice_input("filter_niveau", texts.SELECTION_FILTER_NIVEAU, niveau, values, {})),
        Column(
            width="stretch",
            items=choice_input("filter_status", texts.SELECTION_FILTER_STATUS, _status_choices(selection), values, {}),
        ),
    ]
    return ColumnSet(columns=columns, spacing="Medium")


def _item(item: EksempelItem, values: Values) -> Container:
    head = texts.SELECTION_ITEM_HEAD.format(
        id=item.id, tema=texts.TEMA_LABELS[item.tema], niveau=texts.NIVEAU_LABELS[item.niveau]
    )
    status = status_line(item) + (f" · {texts.FILM_MARK}" if item.film_kandidat else "")
    pick = f"{PICK_PREFIX}{item.id}"
    items: list[CardElement] = [
        ToggleInput(
            id=pick,
            title=head,
            value="true" if values.get(pick) in ("true", True) else "false",
            value_on="true",
            value_off="false",
        ),
        TextBlock(text=status, weight="Bolder", wrap=True, spacing="None", size="Small"),
        literal(shorten(item.eksempel, ITEM_TEXT_SHOWN)),
        TextBlock(
            text=(texts.SELECTION_ITEM_FROM if item.fra != item.unit_name else texts.SELECTION_ITEM_FROM_UNIT).format(
                fra=shorten(item.fra, NAME_SHOWN),
                unit=shorten(item.unit_name, NAME_SHOWN),
                date=danish.date(item.created_at),
            ),
            size="Small",
            is_subtle=True,
            wrap=True,
            spacing="None",
        ),
    ]
    if item.similar:
        shown = numbers(sorted(item.similar[:NEIGHBOURS_SHOWN]))
        items.append(
            TextBlock(text=texts.SELECTION_SIMILAR.format(numbers=shown), color="Warning", size="Small", wrap=True)
        )
    return Container(items=items, separator=True, spacing="Medium")


def selection_list_card(
    *,
    items: Sequence[EksempelItem],
    total: int,
    offset: int,
    shown: ListFilter,
    selection: Selection,
    groups: Sequence[Sequence[int]] = (),
    today: dt.date,
    notice: str | None = None,
    values: Values | None = None,
    errors: Errors | None = None,
) -> AdaptiveCard:
    """A page of eksempler with a tick each, and one outcome to register for every ticked eksempel.

    `groups` (ids of mutually similar eksempler) put a header above each group when the list is grouped.
    """
    values = values or {}
    errors = errors or {}
    body: list[CardElement] = [heading(texts.SELECTION_TITLE), paragraph(texts.SELECTION_INTRO, subtle=True)]
    if notice:
        body.append(paragraph(f"**{notice}**"))
    if "" in errors:
        body.append(error_text(errors[""]))
    body.append(_filters(shown, selection))
    if not items:
        body.append(paragraph(texts.SELECTION_EMPTY))
    else:
        last = offset + len(items)
        body.append(
            TextBlock(
                text=texts.SELECTION_SHOWING.format(first=offset + 1, last=last, count=total),
                size="Small",
                is_subtle=True,
                wrap=True,
            )
        )
    group_of = {entry_id: tuple(group) for group in groups for entry_id in group} if shown.grouped else {}
    headed: set[tuple[int, ...]] = set()
    for item in items:
        group = group_of.get(item.id)
        if group and group not in headed:
            headed.add(group)
            body.append(subheading(texts.SELECTION_GROUP.format(numbers=numbers(group))))
        body.append(_item(item, values))
    actions: list[object] = []
    grouped = shown.grouped
    if items:
        body.append(subheading(texts.SELECTION_ACTIONS_HEADER))
        # Not marked required: Teams would then block "Vis" and the paging buttons too (they submit the card's
        # inputs for the filters). The server checks the outcome and the date and says what is missing.
        body += choice_input("outcome", texts.SELECTION_OUTCOME_LABEL, outcome_choices(selection), values, errors)
        body.append(
            DateInput(
                id="decided_on",
                label=texts.SELECTION_DATE_LABEL,
                value=str(values.get("decided_on") or today.isoformat()),
            )
        )
        if "decided_on" in errors:
            body.append(error_text(errors["decided_on"]))
        body += text_input(
            "comment",
            texts.SELECTION_COMMENT_LABEL,
            values,
            errors,
            multiline=True,
            max_length=COMMENT_MAX,
            placeholder=texts.SELECTION_COMMENT_PLACEHOLDER,
        )
        actions.append(
            submit(texts.SELECTION_APPLY, payloads.SelectionApply, style="positive", offset=offset, grouped=grouped)
        )
    actions.append(submit(texts.SELECTION_FILTER_BUTTON, payloads.SelectionShow, offset=0, grouped=grouped))
    if offset + len(items) < total:
        actions.append(
            submit(texts.BUTTON_SHOW_MORE, payloads.SelectionShow, offset=offset + PAGE_SIZE, grouped=grouped)
        )
    toggle = texts.SELECTION_UNGROUPED if shown.grouped else texts.SELECTION_GROUPED
    actions.append(submit(toggle, payloads.SelectionShow, offset=0, grouped=not shown.grouped))
    return card(body=body, actions=actions)


# --- The good news -----------------------------------------------------------------------------------------------


def selection_news_card(*, item: EksempelItem, for_owner: bool) -> AdaptiveCard:
    """ "Dit eksempel er udvalgt!" for the owner, "Et eksempel fra … er udvalgt" for the unit's leder."""
    assert item.outcome is not None
    owner_news, leder_news = texts.EKSEMPEL_NEWS[item.outcome.status]
    title, text = owner_news if for_owner else leder_news
    names = {
        "forum": item.outcome.forum,
        "date": danish.date(item.outcome.on),
        "owner": item.owner_name,
        "unit": item.unit_name,
    }
    body: list[CardElement] = [heading(title.format(**names)), paragraph(text.format(**names))]
    head = texts.SELECTION_ITEM_HEAD.format(
        id=item.id, tema=texts.TEMA_LABELS[item.tema], niveau=texts.NIVEAU_LABELS[item.niveau]
    )
    body.append(TextBlock(text=head, weight="Bolder", wrap=True, spacing="Medium", is_subtle=True))
    body.append(literal(shorten(item.eksempel, 1000)))
    if item.outcome.status is EntryStatus.ADOPTED:
        actions = [submit(texts.BUTTON_SHOW_GRUNDLAG, payloads.GrundlagShow, tema=item.tema.value)]
    elif for_owner:
        actions = [submit(texts.BUTTON_SHOW_MINE, payloads.RunCommand, command=Command.MINE)]
    else:
        actions = []
    return card(body=body, actions=actions)
