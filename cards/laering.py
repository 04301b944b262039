"""The læring flow's cards: the evaluation form and the check step."""

from __future__ import annotations

from typing import Any

from microsoft_teams.cards.core import AdaptiveCard, CardElement

from cards import payloads, texts
from cards.base import card, error_text, facts, heading, step_label
from cards.entry import field_blocks
from cards.forms import (
    Errors,
    Values,
    check_actions,
    choice_input,
    flow_actions,
    indikator_input,
    text_input,
    toggle_input,
)
from core.vocabulary import EntryKind
from domain.entries import LONG
from domain.views import MaalView


def _context(maal: MaalView, proevehandling_title: str) -> list[CardElement]:
    return [
        facts([(texts.FIELD_MAAL, maal.title), (texts.FIELD_PROEVEHANDLING, proevehandling_title)], subtle=True),
    ]


def laering_form_card(
    *,
    flow: str,
    step: tuple[int, int],
    maal: MaalView,
    proevehandling_title: str,
    proevehandling: dict[str, Any],
    values: Values,
    errors: Errors,
) -> AdaptiveCard:
    """The evaluation form. `proevehandling` rides along in the submit data (id, or the new one's title)."""
    body: list[CardElement] = [
        step_label(*step),
        heading(texts.LAERING_FLOW_TITLE),
        *_context(maal, proevehandling_title),
    ]
    if errors:
        body.append(error_text(texts.ERROR_SUMMARY))
    body += choice_input(
        "evaluering",
        texts.LAERING_EVALUERING_LABEL,
        list(texts.EVALUERING_LABELS.items()),
        values,
        errors,
        default="undervejs",
        expanded=True,
    )
    for input_id, label in (
        ("hvad_gjorde_vi", texts.LAERING_GJORDE_LABEL),
        ("tegn_set", texts.LAERING_TEGN_SET_LABEL),
        ("effekt", texts.LAERING_EFFEKT_LABEL),
    ):
        body += text_input(input_id, label, values, errors, multiline=True, max_length=LONG)
    body += text_input(
        "laering", texts.LAERING_LAERING_LABEL, values, errors, required=True, multiline=True, max_length=LONG
    )
    body += choice_input(
        "beslutning",
        texts.LAERING_BESLUTNING_LABEL,
        list(texts.BESLUTNING_LABELS.items()),
        values,
        errors,
        expanded=True,
    )
    body += choice_input(
        "tvaerfaglighed",
        texts.LAERING_TVAERFAGLIG_LABEL,
        list(texts.TVAERFAGLIG_LABELS.items()),
        values,
        errors,
        default="ingen",
    )
    body += toggle_input("borgerinddragelse", texts.LAERING_BORGER_LABEL, texts.LAERING_BORGER_TOGGLE, values, errors)
    body += indikator_input(maal, values, errors)
    return card(body=body, actions=flow_actions(flow, texts.BUTTON_NEXT, payloads.LaeringForm, **proevehandling))


def laering_check_card(
    *, flow: str, step: tuple[int, int], key: str, maal: MaalView, proevehandling_title: str, data: dict[str, object]
) -> AdaptiveCard:
    body: list[CardElement] = [
        step_label(*step),
        heading(texts.LAERING_CHECK_TITLE),
        *_context(maal, proevehandling_title),
    ]
    body += field_blocks(EntryKind.LAERING, data)
    return card(body=body, actions=check_actions(flow, texts.BUTTON_SEND, key))
