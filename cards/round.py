"""Personalemøde round cards: the starter's set-up, the one shared round card (base and per person), the summary.

Every action is an Action.Execute whose data carries only ids (the round, a proposal): after an edit Teams can
send a refresh with the old card's data (msteams-docs#6441), so every view is built from the database.
"""

from __future__ import annotations

from typing import Any

from microsoft_teams.cards.core import (
    ActionSet,
    AdaptiveCard,
    CardElement,
    Column,
    ColumnSet,
    Container,
    ExecuteAction,
    Fact,
    FactSet,
    RefreshDefinition,
    TextBlock,
)

from cards import danish, texts
from cards.base import card, error_text, heading, literal, paragraph, subheading
from cards.forms import Errors, Values, choice_input, text_input, toggle_input
from cards.payloads import round_target_value
from domain.policy import RoundPolicy
from domain.rounds import PROPOSAL_MAX, ProposalView, RoundView, TargetOption
from domain.vocabulary import EntryKind, Niveau, RoundStatus, Tema

START_VERB = "round_start"
ADD_VERB = "round_add"
REMOVE_VERB = "round_remove"
VIEW_VERB = "round_view"
CLOSE_VERB = "round_close"
FORWARD_VERB = "round_forward"


def _execute(title: str, verb: str, style: Any = None, **data: Any) -> ExecuteAction:
    return ExecuteAction(title=title, verb=verb, data=data, style=style)


# --- Set-up -----------------------------------------------------------------------------------------------------


def setup_card(
    *,
    round_id: int,
    options: list[TargetOption],
    values: Values | None = None,
    errors: Errors | None = None,
    notice: str | None = None,
) -> AdaptiveCard:
    """The starter's choice: what the round asks about, and how proposals are shown."""
    values = values or {}
    errors = errors or {}
    choices: list[tuple[str, str]] = []
    for option in options:
        template = texts.ROUND_TARGET_TEGN if option.target.kind is EntryKind.TEGN else texts.ROUND_TARGET_LAERING
        choices.append((round_target_value(option.target), template.format(title=option.title, unit=option.unit_name)))
    for tema in Tema:
        choices.append(
            (
                f"{EntryKind.EKSEMPEL.value}:{tema.value}",
                texts.ROUND_TARGET_EKSEMPEL.format(tema=texts.TEMA_LABELS[tema]),
            )
        )
    choices.append((f"{EntryKind.EKSEMPEL.value}:alle", texts.ROUND_TARGET_EKSEMPEL_ALL))
    body: list[CardElement] = [heading(texts.ROUND_SETUP_TITLE), paragraph(texts.ROUND_SETUP_INTRO)]
    if notice:
        body.append(error_text(notice))
    body += choice_input(
        "target", texts.ROUND_TARGET_LABEL, choices, values, errors, default=choices[0][0], required=True
    )
    body += choice_input(
        "niveau",
        texts.ROUND_NIVEAU_LABEL,
        [(n.value, texts.NIVEAU_LABELS[n]) for n in Niveau],
        values,
        errors,
        default=Niveau.MEDARBEJDER.value,
    )
    show_values = {"show_names": "true", "hide_until_close": "false", **values}
    body += toggle_input("show_names", texts.ROUND_SETTINGS_LABEL, texts.ROUND_SHOW_NAMES, show_values, errors)
    body += toggle_input("hide_until_close", "", texts.ROUND_HIDE_UNTIL_CLOSE, show_values, errors)
    actions = [_execute(texts.ROUND_BUTTON_START, START_VERB, "positive", round_id=round_id)]
    return card(body=body, actions=actions)


def notice_card(title: str, text: str) -> AdaptiveCard:
    """A short card in place of one the viewer cannot use (someone else's set-up; a set-up already started)."""
    return card(body=[heading(title), paragraph(text)])


# --- The round card ---------------------------------------------------------------------------------------------


def _question(view: RoundView) -> list[CardElement]:
    if view.kind is EntryKind.TEGN:
        return [
            FactSet(facts=[Fact(title=texts.ROUND_MAAL_LABEL, value=view.maal_title)]),
            paragraph(f"**{texts.ROUND_TEGN_QUESTION}**"),
        ]
    if view.kind is EntryKind.LAERING:
        blocks: list[CardElement] = [
            FactSet(
                facts=[
                    Fact(title=texts.FIELD_MAAL, value=view.maal_title),
                    Fact(title=texts.FIELD_PROEVEHANDLING, value=view.proevehandling_title),
                ]
            )
        ]
        blocks += [paragraph(f"- {question}", spacing="None") for question in texts.ROUND_LAERING_QUESTIONS]
        return blocks
    temaer = [view.tema] if view.tema is not None else list(Tema)
    niveau = texts.NIVEAU_LABELS[view.niveau or Niveau.MEDARBEJDER].lower()
    blocks = [paragraph(f"**{texts.TEMA_LABELS[t]}** – {texts.TEMA_MEANINGS[t]}", spacing="Small") for t in temaer]
    blocks.append(paragraph(f"**{texts.ROUND_EKSEMPEL_QUESTION.format(niveau=niveau)}**"))
    return blocks


def count_text(count: int, people: int) -> str:
    if count == 0:
        return texts.ROUND_COUNT_NONE
    return danish.fill(texts.ROUND_COUNT, count=count, people=people)


def _head(view: RoundView) -> list[CardElement]:
    title = texts.ROUND_TITLE[view.kind.value if view.kind else EntryKind.TEGN.value]
    by = texts.ROUND_STARTED_BY.format(name=view.starter_name, unit=view.unit_name)
    return [
        heading(title),
        literal(by, subtle=True, size="Small", spacing="None"),
        *_question(view),
    ]


def _author(view: RoundView, proposal: ProposalView) -> str:
    return proposal.author_name if view.show_names else texts.ROUND_ANONYMOUS


def _proposal_line(view: RoundView, proposal: ProposalView, *, with_name: bool) -> CardElement:
    prefix = f"{texts.TEMA_LABELS[proposal.tema]}: " if view.all_temaer and proposal.tema else ""
    text = f"{prefix}{proposal.text}"
    if with_name:
        text = f"{text} – {_author(view, proposal)}"
    return literal(text)


def _refresh(view: RoundView) -> RefreshDefinition:
    # Teams refreshes each listed user's view by itself (at most 60; user MRIs from the roster). In larger chats
    # the others get "Vis mit kort". https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/
    # cards/universal-actions-for-adaptive-cards/user-specific-views
    return RefreshDefinition(
        action=ExecuteAction(title=texts.ROUND_BUTTON_MY_CARD, verb=VIEW_VERB, data={"round_id": view.id}),
        user_ids=list(view.roster) or None,
    )


def _add_form(view: RoundView, values: Values, errors: Errors) -> list[CardElement]:
    body: list[CardElement] = []
    if view.all_temaer:
        body += choice_input(
            "tema",
            texts.ROUND_TEMA_LABEL,
            [(t.value, texts.TEMA_LABELS[t]) for t in Tema],
            values,
            errors,
            default=Tema.VORES_OPGAVE.value,
        )
    body += text_input(
        "proposal",
        texts.ROUND_INPUT_LABEL,
        values,
        errors,
        multiline=True,
        max_length=PROPOSAL_MAX,
        placeholder=texts.ROUND_INPUT_PLACEHOLDER,
    )
    body.append(ActionSet(actions=[_execute(texts.ROUND_BUTTON_ADD, ADD_VERB, "positive", round_id=view.id)]))
    return body


def round_card(
    *,
    view: RoundView,
    policy: RoundPolicy | None,
    notice: str | None = None,
    values: Values | None = None,
    errors: Errors | None = None,
) -> AdaptiveCard:
    """The round's card. `policy` None is the shared base card everyone sees (count, input, no proposals);
    with a policy it is one person's view: their own proposals, and for the starter everyone's and the close."""
    values = values or {}
    errors = errors or {}
    if view.status is not RoundStatus.OPEN:
        return closed_card(view=view, policy=policy, notice=notice, values=values, errors=errors)
    body = _head(view)
    body.append(paragraph(f"**{count_text(view.count, view.people)}**", spacing="Medium"))
    if notice:
        body.append(error_text(notice) if errors else paragraph(notice, subtle=True))
    body += _add_form(view, values, errors)
    actions: list[Any] = []
    if policy is None:
        if view.member_count > len(view.roster) or view.in_channel:
            body.append(paragraph(texts.ROUND_MY_CARD_HINT, subtle=True))
            actions.append(_execute(texts.ROUND_BUTTON_MY_CARD, VIEW_VERB, round_id=view.id))
        body.append(paragraph(texts.ROUND_TYPE_HINT, subtle=True))
        return card(body=body, actions=actions, refresh=_refresh(view))
    if view.mine:
        body.append(subheading(texts.ROUND_MINE_HEADER))
        for proposal in view.mine:
            body.append(
                ColumnSet(
                    columns=[
                        Column(width="stretch", items=[_proposal_line(view, proposal, with_name=False)]),
                        Column(
                            width="auto",
                            items=[
                                ActionSet(
                                    actions=[
                                        _execute(
                                            texts.ROUND_BUTTON_REMOVE,
                                            REMOVE_VERB,
                                            round_id=view.id,
                                            proposal_id=proposal.id,
                                        )
                                    ]
                                )
                            ],
                        ),
                    ]
                )
            )
    if policy.sees_all and view.proposals:
        body.append(subheading(texts.ROUND_ALL_HEADER))
        body += [_proposal_line(view, p, with_name=True) for p in view.proposals]
    if view.hide_until_close:
        body.append(paragraph(texts.ROUND_HIDDEN_NOTE, subtle=True))
    elif not view.show_names:
        body.append(paragraph(texts.ROUND_ANONYMOUS_NOTE, subtle=True))
    if policy.may_close:
        actions.append(_execute(texts.ROUND_BUTTON_CLOSE, CLOSE_VERB, "destructive", round_id=view.id))
    return card(body=body, actions=actions, refresh=_refresh(view))


def _summary_blocks(view: RoundView) -> list[CardElement]:
    if not view.proposals:
        return [paragraph(texts.ROUND_SUMMARY_NONE)]
    body: list[CardElement] = [
        paragraph(f"**{danish.fill(texts.ROUND_SUMMARY_COUNT, count=view.count, people=view.people)}**")
    ]
    if view.all_temaer:
        for tema in Tema:
            of_tema = [p for p in view.proposals if p.tema is tema]
            if of_tema:
                body.append(subheading(texts.TEMA_LABELS[tema]))
                body += [literal(f"{p.text} – {_author(view, p)}" if view.show_names else p.text) for p in of_tema]
        return body
    body += [literal(f"{p.text} – {_author(view, p)}" if view.show_names else p.text) for p in view.proposals]
    return body


def summary_card(*, view: RoundView) -> AdaptiveCard:
    """The summary posted as a new message when the round closes, so that it is found in the chat later."""
    body = [heading(texts.ROUND_SUMMARY_TITLE), *_question(view), *_summary_blocks(view)]
    return card(body=body)


def closed_card(
    *,
    view: RoundView,
    policy: RoundPolicy | None,
    notice: str | None = None,
    values: Values | None = None,
    errors: Errors | None = None,
) -> AdaptiveCard:
    """The round card once closed: the summary for everyone; for the starter, the selection or what went on."""
    values = values or {}
    errors = errors or {}
    body = _head(view)
    body.append(paragraph(f"**{texts.ROUND_SUMMARY_TITLE}**", spacing="Medium"))
    if notice:
        body.append(error_text(notice))
    actions: list[Any] = []
    if policy is not None and policy.may_select and view.proposals:
        body.append(subheading(texts.ROUND_SELECT_HEADER))
        intro = (
            texts.ROUND_SELECT_INTRO_EKSEMPEL if view.kind is EntryKind.EKSEMPEL else texts.ROUND_SELECT_INTRO_MAALPLAN
        )
        body.append(paragraph(intro, subtle=True))
        # Numbered, so that every toggle and text box has a label of its own (screen readers, the tests).
        for n, proposal in enumerate(view.proposals, start=1):
            author = texts.ROUND_SELECT_ITEM.format(n=n, author=_author(view, proposal))
            item: list[CardElement] = [literal(author, subtle=True, size="Small")]
            item += toggle_input(f"sel_{proposal.id}", "", texts.ROUND_SELECT_TOGGLE.format(n=n), values, errors)
            item += text_input(
                f"text_{proposal.id}",
                texts.ROUND_SELECT_TEXT_LABEL.format(n=n),
                {f"text_{proposal.id}": proposal.text, **values},
                errors,
                multiline=True,
                max_length=PROPOSAL_MAX,
            )
            body.append(Container(items=item, separator=True, spacing="Medium"))
        actions.append(_execute(texts.ROUND_BUTTON_FORWARD, FORWARD_VERB, "positive", round_id=view.id))
    elif view.status is RoundStatus.FORWARDED and policy is not None and policy.is_starter:
        sent = [p for p in view.proposals if p.entry_id is not None]
        body.append(paragraph(texts.ROUND_FORWARDED.format(count=len(sent), total=len(view.proposals))))
        for proposal in view.proposals:
            mark = texts.ROUND_FORWARDED_MARK if proposal.entry_id else texts.ROUND_NOT_FORWARDED_MARK
            body.append(literal(f"{proposal.forwarded_text or proposal.text} – {_author(view, proposal)}"))
            body.append(TextBlock(text=mark, size="Small", is_subtle=True, spacing="None", wrap=True))
    else:
        body += _summary_blocks(view)
        if policy is None and view.status is RoundStatus.CLOSED and view.proposals:
            # The shared card's way to the starter's selection where Teams does not refresh by itself (channels,
            # chats above 60 members, clients without automatic refresh); others get the summary and who chooses.
            body.append(literal(texts.ROUND_SELECT_HINT.format(name=view.starter_name), subtle=True))
            actions.append(_execute(texts.ROUND_BUTTON_SELECT, VIEW_VERB, round_id=view.id, select=True))
    return card(body=body, actions=actions, refresh=_refresh(view))
