"""Approval cards (Action.Execute with refresh): buttons for the person whose turn it is, status for everyone else."""

from __future__ import annotations

from typing import Any

from microsoft_teams.cards.core import (
    AdaptiveCard,
    CardElement,
    RefreshDefinition,
    SubmitAction,
    TextBlock,
)

from cards import danish, payloads, texts
from cards.base import ActionStyle, card, execute, heading, literal, paragraph, subheading, submit
from cards.entry import TEXT_FIELD, context_facts, field_blocks, history_blocks, status_block, waiting_label
from cards.forms import Errors, Values, text_input
from core.vocabulary import Action, EntryKind
from domain.corrections import CORRECTABLE
from domain.policy import EntryPolicy
from domain.views import DecisionView, EntryView

# The verbs, for tests that click a card sent before the phone fix (Action.Execute); written once, in the payloads.
REFRESH_VERB = payloads.Refresh.tag()
DECIDE_VERB = payloads.Decide.tag()
WITHDRAW_VERB = payloads.Withdraw.tag()
COMMENT_MAX = 1000
CORRECT_MAX = 2000
# What the last stage's »Godkend« means, by kind.
_CHEF_HINTS = {
    EntryKind.TEGN: texts.APPROVAL_CHEF_HINT,
    EntryKind.PROEVEHANDLING: texts.APPROVAL_CHEF_HINT_PROEVEHANDLING,
}


def _refresh(entry_id: int) -> RefreshDefinition:
    # The card is personal, and its buttons are Action.Submit (phones). The automatic refresh (no tap) keeps the
    # status right when the card is opened later; no userIds: Teams refreshes by itself in chats of up to 60.
    return RefreshDefinition(action=execute(None, payloads.Refresh, entry_id=entry_id))


_STYLES: dict[Action, ActionStyle] = {
    Action.APPROVE: "positive",
    Action.RECOMMEND: "positive",
    Action.REJECT: "destructive",
}


def _decision_buttons(view: EntryView, decisions: tuple[Action, ...]) -> list[SubmitAction]:
    labels = texts.EKSEMPEL_DECISION_BUTTONS if view.kind is EntryKind.EKSEMPEL else texts.DECISION_BUTTONS
    return [
        submit(
            labels[decision],
            payloads.Decide,
            style=_STYLES.get(decision),
            entry_id=view.id,
            decision=decision.value,
            version=view.version,
        )
        for decision in decisions
    ]


def _withdraw_button(view: EntryView) -> SubmitAction:
    return submit(texts.BUTTON_WITHDRAW, payloads.Withdraw, entry_id=view.id, version=view.version)


def entry_card(
    *,
    view: EntryView,
    policy: EntryPolicy,
    notice: str | None = None,
    values: Values | None = None,
    errors: Errors | None = None,
) -> AdaptiveCard:
    """One entry as its approval card. Only a viewer who may decide gets the buttons; the card refreshes itself."""
    title = texts.ENTRY_TITLE[view.kind].format(id=view.id)
    body: list[CardElement] = [heading(title)]
    if notice:
        # It names who decided: literal, as every name from Teams.
        body.append(literal(notice, weight="Bolder", color="Attention"))
    body.append(status_block(view, for_owner=policy.is_owner))
    body.append(context_facts(view, with_status=False))
    body += field_blocks(view.kind, view.data)
    if view.decisions:
        body.append(subheading(texts.HISTORY_TITLE))
        body += history_blocks(view.decisions, view.kind)
    actions: list[Any] = []
    if policy.is_my_turn:
        body.append(subheading(texts.APPROVAL_YOUR_TURN))
        if policy.last_stage and view.kind in _CHEF_HINTS:
            body.append(paragraph(_CHEF_HINTS[view.kind], subtle=True))
        body += text_input(
            "comment",
            texts.APPROVAL_COMMENT_LABEL if Action.REJECT in policy.decisions else texts.COMMENT_LABEL_SEND_BACK,
            values or {},
            errors or {},
            multiline=True,
            max_length=COMMENT_MAX,
            placeholder=(
                texts.EKSEMPEL_COMMENT_PLACEHOLDER
                if view.kind is EntryKind.EKSEMPEL
                else texts.APPROVAL_COMMENT_PLACEHOLDER
            ),
        )
        actions = _decision_buttons(view, policy.decisions)
        if Action.APPROVE in policy.decisions and view.kind in CORRECTABLE and TEXT_FIELD[view.kind] in view.data:
            # »Ret og godkend«: the wording as the chef will have it in the målplan (the original stays in the history).
            body += text_input(
                "wording",
                texts.APPROVAL_CORRECT_LABEL,
                {"wording": str(view.data[TEXT_FIELD[view.kind]]), **(values or {})},
                errors or {},
                multiline=True,
                max_length=CORRECT_MAX,
            )
            actions.append(
                submit(texts.BUTTON_CORRECT_APPROVE, payloads.CorrectApprove, entry_id=view.id, version=view.version)
            )
    actions += _owner_buttons(view, policy)
    return card(body=body, actions=actions, refresh=_refresh(view.id))


def _owner_buttons(view: EntryView, policy: EntryPolicy) -> list[Any]:
    """What the owner can do with their own entry: the same on the approval card and on their news card."""
    buttons: list[Any] = []
    if policy.may_edit:
        buttons.append(submit(texts.BUTTON_EDIT_RESUBMIT, payloads.EditEntry, entry_id=view.id))
    if policy.may_withdraw:
        buttons.append(_withdraw_button(view))
    return buttons


def already_decided_notice(decision: DecisionView) -> str:
    if danish.is_today(decision.when):
        return texts.ALREADY_DECIDED.format(name=decision.actor_name, time=danish.time(decision.when))
    return texts.ALREADY_DECIDED_ON.format(name=decision.actor_name, date=danish.datetime(decision.when))


def owner_news_card(*, view: EntryView, policy: EntryPolicy) -> AdaptiveCard:
    """What the owner hears after a decision: who decided what, the comment, and what they can do now."""
    last = view.decisions[-1]
    title, text = texts.OWNER_NEWS.get(last.action, (texts.ACTION_LABELS.get(last.action, last.action), ""))
    if view.kind is EntryKind.EKSEMPEL and last.action in texts.OWNER_NEWS_EKSEMPEL:
        title, text = texts.OWNER_NEWS_EKSEMPEL[last.action]
    elif last.action is Action.APPROVE and view.kind in texts.OWNER_NEWS_APPROVED:
        text = texts.OWNER_NEWS_APPROVED[view.kind]
    next_name = waiting_label(view)
    body: list[CardElement] = [
        heading(title),
        literal(text.format(actor=last.actor_name, next=next_name)),
        TextBlock(text=danish.datetime(last.when), size="Small", is_subtle=True, spacing="None", wrap=True),
    ]
    if last.comment:
        body.append(literal(texts.QUOTED.format(text=last.comment)))
    body.append(context_facts(view))
    body += field_blocks(view.kind, view.data)
    return card(body=body, actions=_owner_buttons(view, policy))
