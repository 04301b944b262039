"""Personalemøde round cards: the starter's set-up, the one shared round card (base and per person), the summary.

In the group chat every action is an Action.Execute (the card shows each person their own view), each with a
typed equivalent (bot.rounds). The starter's selection also comes as an Action.Submit card in the personal chat.
Action data carries only ids (the round, a proposal): after an edit Teams can
send a refresh with the old card's data (msteams-docs#6441), so every view is built from the database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from microsoft_teams.cards.core import (
    ActionSet,
    AdaptiveCard,
    CardElement,
    Column,
    ColumnSet,
    Container,
    DateInput,
    RefreshDefinition,
    TextBlock,
)

from cards import danish, payloads, texts
from cards.base import (
    MAX_CARD_BYTES,
    card,
    error_text,
    execute,
    facts,
    heading,
    literal,
    paragraph,
    subheading,
    submit,
    utf16_size,
)
from cards.forms import Errors, Values, choice_input, text_input, toggle_input
from cards.payloads import NO_CHOICE, round_target_value
from core.vocabulary import Colour, EntryKind, Niveau, RoundStatus, RoundTopic, Tema
from domain.plan_a import STATUS_TEXT_MAX
from domain.policy import RoundPolicy
from domain.rounds import PROPOSAL_MAX, PlanATarget, ProposalView, RoundView, TargetOption, spread

# For tests that click a round card's button as Teams would; the tags are written once, in the payloads.
ADD_VERB = payloads.RoundAdd.tag()


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
        target = option.target
        if isinstance(target, PlanATarget):
            # The indikator's number (`møde plan a 6`, `møde status 6`) is in the label.
            topic_label = texts.ROUND_TARGET_TOPIC[target.topic.value].format(
                number=target.indikator, title=option.title, unit=option.unit_name
            )
            choices.append((round_target_value(target), topic_label))
            continue
        label = texts.ROUND_TARGETS[target.kind].format(title=option.title, unit=option.unit_name)
        # The number `møde tegn 3` (`møde læring 4`) is typed with, on a phone.
        number = target.proevehandling_id if target.kind is EntryKind.LAERING else target.maal_id
        choices.append((round_target_value(target), texts.ROUND_TARGET_NUMBERED.format(text=label, number=number)))
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
    actions = [execute(texts.ROUND_BUTTON_START, payloads.RoundStart, style="positive", round_id=round_id)]
    return card(body=body, actions=actions)


def notice_card(title: str, text: str) -> AdaptiveCard:
    """A short card in place of one the viewer cannot use (someone else's set-up; a set-up already started)."""
    return card(body=[heading(title), paragraph(text)])


# --- The round card ---------------------------------------------------------------------------------------------


def _question(view: RoundView) -> list[CardElement]:
    # Titles from the organisation file are shown literally (`facts`: a FactSet would render their markdown).
    if view.topic is not None:
        question = texts.ROUND_TOPIC_QUESTION[view.topic.value].format(
            number=view.indikator_number, text=view.indikator_text
        )
        return [
            TextBlock(text=question, weight="Bolder", wrap=True),
            paragraph(texts.ROUND_TOPIC_HINT[view.topic.value], subtle=True, spacing="Small"),
        ]
    if view.kind is EntryKind.TEGN:
        return [facts([(texts.ROUND_MAAL_LABEL, view.maal_title)]), paragraph(f"**{texts.ROUND_TEGN_QUESTION}**")]
    if view.kind is EntryKind.PROEVEHANDLING:
        return [
            facts([(texts.ROUND_MAAL_LABEL, view.maal_title)]),
            paragraph(f"**{texts.ROUND_PROEVEHANDLING_QUESTION}**"),
        ]
    if view.kind is EntryKind.LAERING:
        blocks: list[CardElement] = [
            facts([(texts.FIELD_MAAL, view.maal_title), (texts.FIELD_PROEVEHANDLING, view.proevehandling_title)])
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


def round_title(view: RoundView) -> str:
    if view.topic is not None:
        return texts.ROUND_TITLE_TOPIC[view.topic.value]
    return texts.ROUND_TITLE[view.kind.value if view.kind else EntryKind.TEGN.value]


def colour_text(colour: Colour) -> str:
    return f"{texts.COLOUR_MARKS[colour.value]} {texts.COLOUR_LABELS[colour.value]}"


def spread_text(view: RoundView) -> str:
    """A status round's answers by colour: »🟢 3 grønne · 🟡 1 gul · 🔴 0 røde«."""
    return " · ".join(
        f"{texts.COLOUR_MARKS[colour.value]} {danish.fill(texts.COLOUR_COUNTS[colour.value], count=count)}"
        for colour, count in spread(view).items()
    )


def _head(view: RoundView) -> list[CardElement]:
    title = round_title(view)
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
    if proposal.colour is not None:
        prefix = f"{colour_text(proposal.colour)}: "
    text = f"{prefix}{proposal.text}"
    if with_name:
        text = f"{text} – {_author(view, proposal)}"
    return literal(text)


def _refresh(view: RoundView) -> RefreshDefinition:
    # Teams refreshes each listed user's view by itself (at most 60; user MRIs from the roster). In larger chats
    # the others get "Vis mit kort". https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/
    # cards/universal-actions-for-adaptive-cards/user-specific-views
    return RefreshDefinition(
        action=execute(texts.ROUND_BUTTON_MY_CARD, payloads.RoundShow, round_id=view.id),
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
    status = view.topic is RoundTopic.STATUS
    if status:
        body += choice_input(
            "colour",
            texts.ROUND_STATUS_COLOUR_LABEL,
            [(c.value, colour_text(c)) for c in Colour],
            values,
            errors,
            expanded=True,  # three taps side by side, and none chosen for them: each answers for themselves
            required=True,
        )
    body += text_input(
        "proposal",
        texts.ROUND_STATUS_INPUT_LABEL if status else texts.ROUND_INPUT_LABEL,
        values,
        errors,
        multiline=True,
        max_length=PROPOSAL_MAX,
        placeholder=texts.ROUND_STATUS_INPUT_PLACEHOLDER if status else texts.ROUND_INPUT_PLACEHOLDER,
    )
    body.append(
        ActionSet(actions=[execute(texts.ROUND_BUTTON_ADD, payloads.RoundAdd, style="positive", round_id=view.id)])
    )
    return body


# A round's card stays this far under the message limit, whatever is proposed (60 people × 5 proposals × 500
# characters would be ten times the limit): the proposals that do not fit are counted, and the starter has them all
# in the selection of the personal chat (and `møde send` takes any of them by number).
CARD_BUDGET = MAX_CARD_BYTES - 5_000


def _bounded(build: Callable[[RoundView, int], AdaptiveCard], view: RoundView) -> AdaptiveCard:
    """The card with as many of the view's proposals as fit within CARD_BUDGET; `build(view, hidden)` says how many
    more there are."""
    adaptive = build(view, 0)
    shown = len(view.proposals)
    size = utf16_size(adaptive)
    while shown and size > CARD_BUDGET:
        shown = max(0, min(shown - 1, shown * CARD_BUDGET // size))
        adaptive = build(replace(view, proposals=view.proposals[:shown]), len(view.proposals) - shown)
        size = utf16_size(adaptive)
    return adaptive


def _more(hidden: int, view: RoundView) -> list[CardElement]:
    return [literal(texts.ROUND_MORE.format(count=hidden, name=view.starter_name), subtle=True)] if hidden else []


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
    if view.status is not RoundStatus.OPEN:
        return closed_card(view=view, policy=policy, notice=notice, values=values, errors=errors)
    return _bounded(
        lambda shown, hidden: _round_card(
            view=shown, policy=policy, notice=notice, values=values or {}, errors=errors or {}, hidden=hidden
        ),
        view,
    )


def _round_card(
    *,
    view: RoundView,
    policy: RoundPolicy | None,
    notice: str | None,
    values: Values,
    errors: Errors,
    hidden: int,
) -> AdaptiveCard:
    body = _head(view)
    body.append(paragraph(f"**{count_text(view.count, view.people)}**", spacing="Medium"))
    if notice:
        body.append(error_text(notice) if errors else paragraph(notice, subtle=True))
    body += _add_form(view, values, errors)
    actions: list[Any] = []
    if policy is None:
        if view.member_count > len(view.roster) or view.in_channel:
            body.append(paragraph(texts.ROUND_MY_CARD_HINT, subtle=True))
            actions.append(execute(texts.ROUND_BUTTON_MY_CARD, payloads.RoundShow, round_id=view.id))
        # Typing puts the name in the chat: an anonymous or hidden round offers the personal chat instead.
        private = view.hide_until_close or not view.show_names
        public = texts.ROUND_STATUS_TYPE_HINT if view.topic is RoundTopic.STATUS else texts.ROUND_TYPE_HINT
        body.append(paragraph(texts.ROUND_PRIVATE_HINT if private else public, subtle=True))
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
                                        execute(
                                            texts.ROUND_BUTTON_REMOVE,
                                            payloads.RoundRemove,
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
        body += _more(hidden, view)
    if view.hide_until_close:
        body.append(paragraph(texts.ROUND_HIDDEN_NOTE, subtle=True))
    elif not view.show_names:
        body.append(paragraph(texts.ROUND_ANONYMOUS_NOTE, subtle=True))
    if policy.may_close:
        actions.append(execute(texts.ROUND_BUTTON_CLOSE, payloads.RoundClose, style="destructive", round_id=view.id))
    return card(body=body, actions=actions, refresh=_refresh(view))


def _summary_blocks(view: RoundView, hidden: int) -> list[CardElement]:
    if not view.proposals:
        return [paragraph(texts.ROUND_SUMMARY_NONE)]
    body: list[CardElement] = [
        paragraph(f"**{danish.fill(texts.ROUND_SUMMARY_COUNT, count=view.count, people=view.people)}**")
    ]
    if view.topic is RoundTopic.STATUS:
        body.append(literal(spread_text(view), weight="Bolder"))
        return body + [_proposal_line(view, p, with_name=view.show_names) for p in view.proposals] + _more(hidden, view)
    if view.all_temaer:
        for tema in Tema:
            of_tema = [p for p in view.proposals if p.tema is tema]
            if of_tema:
                body.append(subheading(texts.TEMA_LABELS[tema]))
                body += [literal(f"{p.text} – {_author(view, p)}" if view.show_names else p.text) for p in of_tema]
        return body + _more(hidden, view)
    body += [literal(f"{p.text} – {_author(view, p)}" if view.show_names else p.text) for p in view.proposals]
    return body + _more(hidden, view)


def summary_card(*, view: RoundView) -> AdaptiveCard:
    """The summary posted as a new message when the round closes, so that it is found in the chat later."""
    return _bounded(
        lambda shown, hidden: card(
            body=[heading(texts.ROUND_SUMMARY_TITLE), *_question(shown), *_summary_blocks(shown, hidden)]
        ),
        view,
    )


def closed_card(
    *,
    view: RoundView,
    policy: RoundPolicy | None,
    notice: str | None = None,
    values: Values | None = None,
    errors: Errors | None = None,
    refresh: bool = True,
) -> AdaptiveCard:
    """The round card once closed: the summary for everyone; for the starter, the selection or what went on."""
    return _bounded(
        lambda shown, hidden: _closed_card(
            view=shown,
            policy=policy,
            notice=notice,
            values=values or {},
            errors=errors or {},
            refresh=refresh,
            hidden=hidden,
        ),
        view,
    )


def _closed_card(
    *,
    view: RoundView,
    policy: RoundPolicy | None,
    notice: str | None,
    values: Values,
    errors: Errors,
    refresh: bool,
    hidden: int,
) -> AdaptiveCard:
    body = _head(view)
    body.append(paragraph(f"**{texts.ROUND_SUMMARY_TITLE}**", spacing="Medium"))
    if notice:
        body.append(error_text(notice))
    actions: list[Any] = []
    if policy is not None and policy.may_select and view.proposals and view.topic is RoundTopic.STATUS:
        body += _summary_blocks(view, hidden)
        body += status_blocks(view, values, errors)
        actions.append(
            execute(texts.ROUND_BUTTON_RECORD_STATUS, payloads.RoundStatusRecord, style="positive", round_id=view.id)
        )
    elif policy is not None and policy.may_select and view.proposals:
        body += selection_blocks(view, values, errors, hidden)
        button = texts.ROUND_BUTTON_USE_PLAN_A if view.topic is RoundTopic.PLAN_A else texts.ROUND_BUTTON_FORWARD
        actions.append(execute(button, payloads.RoundForward, style="positive", round_id=view.id))
    elif view.status is RoundStatus.FORWARDED and view.topic is RoundTopic.STATUS:
        body += _summary_blocks(view, hidden)
    elif view.status is RoundStatus.FORWARDED and view.topic is RoundTopic.PLAN_A and policy is not None:
        sent = [p for p in view.proposals if p.forwarded_text is not None]
        body.append(paragraph(danish.fill(texts.ROUND_USED_PLAN_A, used=len(sent), total=len(view.proposals))))
        for proposal in view.proposals:
            mark = texts.ROUND_USED_MARK if proposal.forwarded_text is not None else texts.ROUND_NOT_USED_MARK
            body.append(literal(f"{proposal.forwarded_text or proposal.text} – {_author(view, proposal)}"))
            body.append(TextBlock(text=mark, size="Small", is_subtle=True, spacing="None", wrap=True))
        body += _more(hidden, view)
    elif view.status is RoundStatus.FORWARDED and policy is not None and policy.is_starter:
        sent = [p for p in view.proposals if p.entry_id is not None]
        body.append(paragraph(texts.ROUND_FORWARDED.format(count=len(sent), total=len(view.proposals))))
        for proposal in view.proposals:
            mark = texts.ROUND_FORWARDED_MARK if proposal.entry_id else texts.ROUND_NOT_FORWARDED_MARK
            body.append(literal(f"{proposal.forwarded_text or proposal.text} – {_author(view, proposal)}"))
            body.append(TextBlock(text=mark, size="Small", is_subtle=True, spacing="None", wrap=True))
        body += _more(hidden, view)
    else:
        body += _summary_blocks(view, hidden)
        if policy is None and view.status is RoundStatus.CLOSED and view.proposals:
            # The shared card's way to the starter's selection where Teams does not refresh by itself (channels,
            # chats above 60 members, clients without automatic refresh); others get the summary and who chooses.
            hint = texts.ROUND_SELECT_HINT
            if view.topic is RoundTopic.PLAN_A:
                hint = texts.ROUND_SELECT_HINT_PLAN_A
            elif view.topic is RoundTopic.STATUS:
                hint = texts.ROUND_STATUS_HINT
            body.append(literal(hint.format(name=view.starter_name), subtle=True))
            actions.append(execute(texts.ROUND_BUTTON_SELECT, payloads.RoundShow, round_id=view.id, select=True))
    if not refresh:  # in the personal chat: no per-user view to refresh
        return card(body=body, actions=actions)
    return card(body=body, actions=actions, refresh=_refresh(view))


def selection_blocks(view: RoundView, values: Values, errors: Errors, hidden: int = 0) -> list[CardElement]:
    """The starter's choice after the close: for each proposal a tick, its wording to correct and, in a round on
    all four temaer, its tema (a typed proposal may have none: it is never filed under one silently)."""
    plan_a = view.topic is RoundTopic.PLAN_A
    intro = texts.ROUND_SELECT_INTRO_EKSEMPEL if view.kind is EntryKind.EKSEMPEL else texts.ROUND_SELECT_INTRO_MAALPLAN
    header = texts.ROUND_SELECT_HEADER
    if plan_a:
        header = texts.ROUND_SELECT_HEADER_PLAN_A
        intro = texts.ROUND_SELECT_INTRO_PLAN_A.format(number=view.indikator_number)
    toggle = texts.ROUND_SELECT_TOGGLE_PLAN_A if plan_a else texts.ROUND_SELECT_TOGGLE
    body: list[CardElement] = [subheading(header), paragraph(intro, subtle=True)]
    if "" in errors:
        body.append(error_text(errors[""]))
    temaer = [(NO_CHOICE, texts.ROUND_TEMA_NONE)] + [(t.value, texts.TEMA_LABELS[t]) for t in Tema]
    # Numbered as `møde send 1,3` counts them, so that every toggle and text box has a label of its own.
    for n, proposal in enumerate(view.proposals, start=1):
        author = texts.ROUND_SELECT_ITEM.format(n=n, author=_author(view, proposal))
        item: list[CardElement] = [literal(author, subtle=True, size="Small")]
        if proposal.tip in texts.ROUND_TIPS:
            # The same coaching as the 1:1 flows: the starter may correct the wording before sending it on.
            tip = texts.ROUND_TIP_FLAG.format(tip=texts.ROUND_TIPS[proposal.tip])
            item.append(TextBlock(text=tip, color="Warning", size="Small", wrap=True, spacing="None"))
        item += toggle_input(f"sel_{proposal.id}", "", toggle.format(n=n), values, errors)
        item += text_input(
            f"text_{proposal.id}",
            texts.ROUND_SELECT_TEXT_LABEL.format(n=n),
            {f"text_{proposal.id}": proposal.text, **values},
            errors,
            multiline=True,
            max_length=PROPOSAL_MAX,
        )
        if view.all_temaer:
            shown = {f"tema_{proposal.id}": proposal.tema.value if proposal.tema else NO_CHOICE, **values}
            item += choice_input(
                f"tema_{proposal.id}", texts.ROUND_SELECT_TEMA_LABEL.format(n=n), temaer, shown, errors
            )
        body.append(Container(items=item, separator=True, spacing="Medium"))
    if hidden:
        total = len(view.proposals) + hidden
        body.append(literal(texts.ROUND_SELECT_MORE.format(shown=len(view.proposals), total=total), subtle=True))
    body.append(paragraph(texts.ROUND_SELECT_TYPED, subtle=True))
    return body


def status_blocks(view: RoundView, values: Values, errors: Errors) -> list[CardElement]:
    """After a status round, for its starter: the unit's status on the indikator (colour, short text, date), with
    the most given colour chosen to begin with."""
    counts = spread(view)
    most = max(Colour, key=lambda c: counts[c]) if any(counts.values()) else Colour.GUL
    body: list[CardElement] = [subheading(texts.ROUND_STATUS_RECORD_HEADER)]
    body.append(paragraph(texts.ROUND_STATUS_RECORD_INTRO, subtle=True))
    if "" in errors:
        body.append(error_text(errors[""]))
    body += choice_input(
        "colour",
        texts.ROUND_STATUS_RECORD_COLOUR,
        [(c.value, colour_text(c)) for c in Colour],
        values,
        errors,
        default=most.value,
        required=True,
    )
    body += text_input(
        "status_text", texts.ROUND_STATUS_RECORD_TEXT, values, errors, multiline=True, max_length=STATUS_TEXT_MAX
    )
    body.append(
        DateInput(
            id="recorded_on", label=texts.ROUND_STATUS_RECORD_DATE, value=str(values.get("recorded_on") or "") or None
        )
    )
    if "recorded_on" in errors:
        body.append(error_text(errors["recorded_on"]))
    return body


def selection_card(
    *, view: RoundView, notice: str | None = None, values: Values | None = None, errors: Errors | None = None
) -> AdaptiveCard:
    """The starter's selection in the personal chat, after the close: Action.Submit only (phones). A status round's
    starter gets the spread and the unit's status to record instead."""

    def build(shown: RoundView, hidden: int) -> AdaptiveCard:
        body = _head(shown)
        body.append(paragraph(f"**{danish.fill(texts.ROUND_SUMMARY_COUNT, count=view.count, people=view.people)}**"))
        if notice:
            body.append(error_text(notice) if errors else paragraph(notice, subtle=True))
        if view.topic is RoundTopic.STATUS:
            body.append(subheading(texts.ROUND_STATUS_SPREAD_HEADER))
            body.append(literal(spread_text(shown), weight="Bolder"))
            body += [_proposal_line(shown, p, with_name=shown.show_names) for p in shown.proposals]
            body += _more(hidden, shown)
            body += status_blocks(shown, values or {}, errors or {})
            record = submit(
                texts.ROUND_BUTTON_RECORD_STATUS, payloads.RoundStatusRecord, style="positive", round_id=view.id
            )
            return card(body=body, actions=[record])
        body += selection_blocks(shown, values or {}, errors or {}, hidden)
        button = texts.ROUND_BUTTON_USE_PLAN_A if view.topic is RoundTopic.PLAN_A else texts.ROUND_BUTTON_FORWARD
        actions = [submit(button, payloads.RoundForward, style="positive", round_id=view.id)]
        return card(body=body, actions=actions)

    return _bounded(build, view)


def which_round_card(*, choices: list[tuple[int, RoundView]], proposal: str, tema: Tema | None) -> AdaptiveCard:
    """`forslag <tekst>` in the personal chat when the person is in more than one chat with an open round."""
    body: list[CardElement] = [heading(texts.ROUND_PRIVATE_TITLE), paragraph(texts.ROUND_PRIVATE_WHICH)]
    body.append(literal(proposal, subtle=True))
    actions = [
        submit(
            texts.ROUND_PRIVATE_CHOICE.format(
                title=round_title(view),
                unit=view.unit_name,
                by=view.starter_name,
            ),
            payloads.RoundAdd,
            round_id=round_id,
            proposal=proposal,
            tema=tema.value if tema else "",
        )
        for round_id, view in choices
    ]
    return card(body=body, actions=actions)
