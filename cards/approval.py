"""Approval cards (Action.Execute with refresh): buttons for the person whose turn it is, status for everyone else."""

from __future__ import annotations

from microsoft_teams.cards.core import (
    AdaptiveCard,
    CardElement,
    ExecuteAction,
    RefreshDefinition,
    TextBlock,
)

from cards import danish, texts
from cards.base import card, error_text, heading, literal, paragraph, subheading, submit
from cards.entry import context_facts, field_blocks, history_blocks, status_text
from cards.forms import Errors, Values, text_input
from cards.views import DecisionView, EntryView

REFRESH_VERB = "refresh"
DECIDE_VERB = "decide"
WITHDRAW_VERB = "withdraw"
COMMENT_MAX = 1000


def _refresh(entry_id: int) -> RefreshDefinition:
    # No userIds: Teams refreshes automatically for everyone in chats of up to 60 members (personal chats here).
    return RefreshDefinition(action=ExecuteAction(verb=REFRESH_VERB, data={"entry_id": entry_id}))


def _decision_buttons(view: EntryView, *, last_stage: bool) -> list[ExecuteAction]:
    decisions = ["godkend" if last_stage else "anbefal", "send_tilbage", "afvis"]
    return [
        ExecuteAction(
            title=texts.DECISION_BUTTONS[decision],
            verb=DECIDE_VERB,
            data={"entry_id": view.id, "decision": decision, "version": view.version},
            style="positive"
            if decision in ("godkend", "anbefal")
            else ("destructive" if decision == "afvis" else None),
        )
        for decision in decisions
    ]


def entry_card(
    *,
    view: EntryView,
    can_decide: bool = False,
    last_stage: bool = False,
    can_withdraw: bool = False,
    viewer_is_owner: bool = False,
    notice: str | None = None,
    values: Values | None = None,
    errors: Errors | None = None,
) -> AdaptiveCard:
    """One entry as its approval card. Only a viewer who may decide gets the buttons; the card refreshes itself."""
    title = texts.ENTRY_TITLE[view.kind].format(id=view.id)
    body: list[CardElement] = [heading(title)]
    if notice:
        body.append(error_text(notice))
    body.append(paragraph(f"**{status_text(view, for_owner=viewer_is_owner)}**"))
    body.append(context_facts(view, with_status=False))
    body += field_blocks(view.kind, view.data)
    if view.decisions:
        body.append(subheading(texts.HISTORY_TITLE))
        body += history_blocks(view.decisions)
    actions: list[ExecuteAction] = []
    if can_decide:
        body.append(subheading(texts.APPROVAL_YOUR_TURN))
        if last_stage and view.kind == "tegn":
            body.append(paragraph(texts.APPROVAL_CHEF_HINT, subtle=True))
        body += text_input(
            "comment",
            texts.APPROVAL_COMMENT_LABEL,
            values or {},
            errors or {},
            multiline=True,
            max_length=COMMENT_MAX,
            placeholder=texts.APPROVAL_COMMENT_PLACEHOLDER,
        )
        actions = _decision_buttons(view, last_stage=last_stage)
    elif can_withdraw:
        actions = [
            ExecuteAction(
                title=texts.BUTTON_WITHDRAW,
                verb=WITHDRAW_VERB,
                data={"entry_id": view.id, "version": view.version},
            )
        ]
    return card(body=body, actions=actions, refresh=_refresh(view.id))


def already_decided_notice(decision: DecisionView) -> str:
    if danish.is_today(decision.when):
        return texts.ALREADY_DECIDED.format(name=decision.actor_name, time=danish.time(decision.when))
    return texts.ALREADY_DECIDED_ON.format(name=decision.actor_name, date=danish.datetime(decision.when))


def owner_news_card(*, view: EntryView, next_role: str | None) -> AdaptiveCard:
    """What the owner hears after a decision: who decided what, the comment, and what they can do now."""
    last = view.decisions[-1]
    title, text = texts.OWNER_NEWS.get(last.action, (texts.ACTION_LABELS.get(last.action, last.action), ""))
    if last.action == "godkend" and view.kind in texts.STATUS_APPROVED_BY_KIND:
        text = texts.OWNER_NEWS_APPROVED_TEGN
    next_name = texts.ROLE_LABELS.get(next_role or "", "")
    body: list[CardElement] = [
        heading(title),
        paragraph(text.format(actor=last.actor_name, next=next_name)),
        TextBlock(text=danish.datetime(last.when), size="Small", is_subtle=True, spacing="None", wrap=True),
    ]
    if last.comment:
        body.append(literal(f"»{last.comment}«"))
    body.append(context_facts(view))
    body += field_blocks(view.kind, view.data)
    actions: list[object] = []
    if view.status == "sendt_tilbage" and view.kind in ("tegn", "laering"):
        actions.append(submit(texts.BUTTON_EDIT_RESUBMIT, "edit_entry", entry_id=view.id))
    if view.status in ("sendt_tilbage", "afventer"):
        actions.append(
            ExecuteAction(
                title=texts.BUTTON_WITHDRAW, verb=WITHDRAW_VERB, data={"entry_id": view.id, "version": view.version}
            )
        )
    return card(body=body, actions=actions)
