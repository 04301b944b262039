"""The indsamler's daily digest card (issue 19): how many eksempler reached her, by tema, and the way to them."""

from __future__ import annotations

from typing import Any

from microsoft_teams.cards.core import AdaptiveCard, OpenUrlAction

from cards import danish, payloads, texts
from cards.base import card, facts, heading, paragraph, submit
from cards.payloads import Command
from domain.eksempel_digest import EksempelDigest


def eksempel_digest_card(*, digest: EksempelDigest, tab_link: str) -> AdaptiveCard:
    """The count since the last digest, a line per tema, and two ways in: the tab »Arbejdsbord« by its Teams deep
    link (when the app id is known) and the list in this chat (`eksempler`, a button or typed)."""
    body: list[Any] = [
        heading(texts.EKSEMPEL_DIGEST_TITLE),
        paragraph(danish.fill(texts.EKSEMPEL_DIGEST_INTRO, since=danish.datetime(digest.since), count=digest.count)),
    ]
    if digest.by_tema:
        body.append(
            facts(
                [
                    (texts.TEMA_LABELS[tema], danish.fill(texts.EKSEMPEL_DIGEST_TEMA, count=count))
                    for tema, count in digest.by_tema
                ]
            )
        )
    if digest.waiting:
        body.append(paragraph(danish.fill(texts.EKSEMPEL_DIGEST_WAITING, waiting=digest.waiting)))
    body.append(paragraph(texts.EKSEMPEL_DIGEST_WHERE, subtle=True))
    actions: list[Any] = []
    if tab_link:
        actions.append(OpenUrlAction(title=texts.EKSEMPEL_DIGEST_OPEN_TAB, url=tab_link, style="positive"))
    actions.append(submit(texts.EKSEMPEL_DIGEST_OPEN_LIST, payloads.RunCommand, command=Command.EKSEMPLER.value))
    return card(body=body, actions=actions)
