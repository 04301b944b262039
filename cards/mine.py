"""`mine`: the user's own entries, newest first, ten at a time."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from microsoft_teams.cards.core import AdaptiveCard, CardElement, Column, ColumnSet, Container, TextBlock

from cards import danish, payloads, texts
from cards.base import card, heading, literal, paragraph, submit
from cards.entry import TEXT_FIELD, action_label, status_text
from core.vocabulary import Action, EntryStatus
from domain.rounds import NotForwarded
from domain.views import EntryView

PAGE_SIZE = 10


def _summary_text(view: EntryView) -> str:
    value = view.data.get(TEXT_FIELD[view.kind])
    if isinstance(value, str) and value:
        return value if len(value) <= 160 else value[:157].rstrip() + "…"
    return ""


def mine_card(
    *, entries: Sequence[EntryView], offset: int, total: int, not_forwarded: Sequence[NotForwarded] = ()
) -> AdaptiveCard:
    body: list[CardElement] = [heading(texts.MINE_TITLE)]
    if total == 0:
        body.append(paragraph(texts.MINE_EMPTY))
        body += _not_forwarded(not_forwarded)
        return card(body=body)
    body.append(paragraph(texts.MINE_COUNT.format(count=total), subtle=True))
    for view in entries:
        header = ColumnSet(
            columns=[
                Column(
                    width="stretch",
                    items=[
                        TextBlock(
                            text=texts.MINE_ENTRY_HEADING.format(kind=texts.KIND_LABELS[view.kind], id=view.id),
                            weight="Bolder",
                            wrap=True,
                        )
                    ],
                ),
                Column(
                    width="auto",
                    items=[
                        TextBlock(text=status_text(view), wrap=True, color=_status_color(view.status), weight="Bolder")
                    ],
                ),
            ]
        )
        items: list[CardElement] = [header]
        if view.maal_title:
            items.append(
                # A title someone entered: literal, like every text from outside.
                literal(f"{texts.FIELD_MAAL}: {view.maal_title}", subtle=True, size="Small")
            )
        summary = _summary_text(view)
        if summary:
            items.append(literal(summary))
        if view.decisions:
            last = view.decisions[-1]
            line = texts.MINE_LAST_DECISION.format(
                action=action_label(view.kind, last),
                name=last.actor_name,
                when=danish.datetime(last.when),
            )
            items.append(literal(line, subtle=True, size="Small", spacing="None"))
            if last.comment and last.action is not Action.SUBMIT:
                items.append(literal(texts.QUOTED.format(text=last.comment), subtle=True))
        body.append(Container(items=items, separator=True, spacing="Medium"))
    shown_to = offset + len(entries)
    body.append(
        TextBlock(
            text=texts.MINE_SHOWING.format(first=offset + 1, last=shown_to, count=total),
            size="Small",
            is_subtle=True,
            wrap=True,
        )
    )
    if offset == 0:
        body += _not_forwarded(not_forwarded)
    actions = [submit(texts.BUTTON_SHOW_MORE, payloads.MineMore, offset=shown_to)] if shown_to < total else None
    return card(body=body, actions=actions)


def _not_forwarded(proposals: Sequence[NotForwarded]) -> list[CardElement]:
    """Proposals from personalemøder that were not sent on: kept in the round's record, shown to their author."""
    if not proposals:
        return []
    items: list[CardElement] = [TextBlock(text=texts.MINE_ROUND_HEADER, weight="Bolder", wrap=True)]
    for proposal in proposals:
        items.append(literal(proposal.text))
        when = f" · {danish.date(proposal.meeting)}" if proposal.meeting else ""
        status = (
            texts.ROUND_FORWARDED_ANONYMOUSLY.format(id=proposal.entry_id)
            if proposal.entry_id is not None
            else texts.ROUND_NOT_FORWARDED_MARK
        )
        mark = f"{status}{when}"
        items.append(TextBlock(text=mark, size="Small", is_subtle=True, spacing="None", wrap=True))
    return [Container(items=items, separator=True, spacing="Medium")]


Color = Literal["Default", "Good", "Warning", "Attention"]
_STATUS_COLORS: dict[EntryStatus, Color] = {
    EntryStatus.APPROVED: "Good",
    EntryStatus.REJECTED: "Attention",
    EntryStatus.SENT_BACK: "Warning",
}


def _status_color(status: EntryStatus) -> Color:
    return _STATUS_COLORS.get(status, "Default")
