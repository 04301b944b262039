"""The prøvehandling flow's cards (issue 20): what we will try and for whom, how we will know, inddragelse and the
tværfaglige niveau, when we evaluate, and the check step with gentle coaching."""

from __future__ import annotations

from collections.abc import Sequence

from microsoft_teams.cards.core import AdaptiveCard, CardElement, Container, TextBlock

from cards import payloads, texts
from cards.base import card, error_text, heading, paragraph, step_label
from cards.entry import field_blocks
from cards.forms import (
    Errors,
    Values,
    check_actions,
    choice_input,
    date_input,
    flow_actions,
    indikator_input,
    text_input,
    toggle_input,
)
from cards.payloads import NO_CHOICE
from core.vocabulary import EntryKind, ProevehandlingTip
from domain.entries import MEDIUM, SHORT
from domain.views import MaalView

# A tegn's wording in the choice list is cut to this many characters (the card stays readable on a phone), and
# the list holds the newest this many (the card stays far under Teams' 40 KB, whatever a mål collects).
TEGN_CHOICE_CHARS = 120
TEGN_CHOICES_MAX = 40


def _top(step: tuple[int, int], title: str, maal: MaalView, errors: Errors) -> list[CardElement]:
    body: list[CardElement] = [
        step_label(*step),
        heading(title),
        paragraph(f"**{texts.FIELD_MAAL}:** {maal.title}", subtle=True, spacing="None"),
    ]
    if errors:
        body.append(error_text(texts.ERROR_SUMMARY))
    return body


def hvad_card(*, flow: str, step: tuple[int, int], maal: MaalView, values: Values, errors: Errors) -> AdaptiveCard:
    """What we will try, and for whom."""
    body = _top(step, texts.PROEVEHANDLING_FLOW_TITLE, maal, {})
    body.append(Container(items=[paragraph(texts.PROEVEHANDLING_WHAT_IS)], style="accent", spacing="Medium"))
    if errors:
        body.append(error_text(texts.ERROR_SUMMARY))
    body += text_input(
        "handling",
        texts.PROEVEHANDLING_HANDLING_LABEL,
        values,
        errors,
        required=True,
        multiline=True,
        max_length=MEDIUM,
        placeholder=texts.PROEVEHANDLING_HANDLING_PLACEHOLDER,
    )
    body += text_input(
        "maalgruppe",
        texts.PROEVEHANDLING_MAALGRUPPE_LABEL,
        values,
        errors,
        max_length=SHORT,
        placeholder=texts.PROEVEHANDLING_MAALGRUPPE_PLACEHOLDER,
    )
    body += indikator_input(maal, values, errors)
    return card(body=body, actions=flow_actions(flow, texts.BUTTON_NEXT, payloads.ProeveHvad))


def _short(text: str) -> str:
    return text if len(text) <= TEGN_CHOICE_CHARS else text[: TEGN_CHOICE_CHARS - 1].rstrip() + "…"


def vide_card(
    *,
    flow: str,
    step: tuple[int, int],
    maal: MaalView,
    tegn: Sequence[tuple[int, str]],
    values: Values,
    errors: Errors,
) -> AdaptiveCard:
    """How we will know: one of the mål's approved tegn (`tegn`: id and wording), or in words."""
    body = _top(step, texts.PROEVEHANDLING_VIDE_TITLE, maal, errors)
    body.append(paragraph(texts.PROEVEHANDLING_VIDE_INTRO if tegn else texts.PROEVEHANDLING_VIDE_NO_TEGN))
    if tegn:
        choices = [(NO_CHOICE, texts.PROEVEHANDLING_TEGN_NONE)] + [
            (str(tegn_id), texts.PROEVEHANDLING_TEGN_CHOICE.format(text=_short(text), id=tegn_id))
            for tegn_id, text in tegn[-TEGN_CHOICES_MAX:]
        ]
        body += choice_input(
            "tegn_id", texts.PROEVEHANDLING_TEGN_LABEL, choices, values, errors, default=NO_CHOICE, expanded=True
        )
    body += text_input(
        "hvordan_ser_vi",
        texts.PROEVEHANDLING_HVORDAN_LABEL,
        values,
        errors,
        multiline=True,
        max_length=MEDIUM,
        placeholder=texts.PROEVEHANDLING_HVORDAN_PLACEHOLDER,
    )
    return card(body=body, actions=flow_actions(flow, texts.BUTTON_NEXT, payloads.ProeveVide))


def inddragelse_card(
    *, flow: str, step: tuple[int, int], maal: MaalView, values: Values, errors: Errors
) -> AdaptiveCard:
    """Borgerinddragelse (yes/no) and the tværfaglige niveau, as in a læring."""
    body = _top(step, texts.PROEVEHANDLING_INDDRAGELSE_TITLE, maal, errors)
    body += toggle_input(
        "borgerinddragelse", texts.PROEVEHANDLING_BORGER_LABEL, texts.PROEVEHANDLING_BORGER_TOGGLE, values, errors
    )
    body += choice_input(
        "tvaerfaglighed",
        texts.PROEVEHANDLING_TVAERFAGLIG_LABEL,
        list(texts.TVAERFAGLIG_LABELS.items()),
        values,
        errors,
        default="ingen",
        expanded=True,
    )
    return card(body=body, actions=flow_actions(flow, texts.BUTTON_NEXT, payloads.ProeveInddragelse))


def evaluering_card(
    *, flow: str, step: tuple[int, int], maal: MaalView, first_day: str, values: Values, errors: Errors
) -> AdaptiveCard:
    """When we evaluate; `first_day` (YYYY-MM-DD) is today, the first day the picker offers."""
    body = _top(step, texts.PROEVEHANDLING_EVALUERES_TITLE, maal, errors)
    body.append(paragraph(texts.PROEVEHANDLING_EVALUERES_INTRO))
    body += date_input(
        "evalueres", texts.PROEVEHANDLING_EVALUERES_LABEL, values, errors, required=True, minimum=first_day
    )
    return card(body=body, actions=flow_actions(flow, texts.BUTTON_NEXT, payloads.ProeveEvaluering))


def check_card(
    *,
    flow: str,
    step: tuple[int, int],
    key: str,
    maal: MaalView,
    data: dict[str, object],
    tips: Sequence[ProevehandlingTip],
) -> AdaptiveCard:
    """Every field as it will be sent, and a tip (why, and a good example) for each flag the coaching raised."""
    body = _top(step, texts.PROEVEHANDLING_CHECK_TITLE, maal, {})
    body += field_blocks(EntryKind.PROEVEHANDLING, data)
    if tips:
        items: list[CardElement] = [TextBlock(text=texts.PROEVEHANDLING_COACH_TITLE, weight="Bolder", wrap=True)]
        for tip in tips:
            why, example = texts.PROEVEHANDLING_COACH[tip]
            items += [paragraph(why), paragraph(example, subtle=True)]
        body.append(Container(style="warning", spacing="Medium", items=items))
    send = texts.BUTTON_SEND_ANYWAY if tips else texts.BUTTON_SEND
    return card(body=body, actions=check_actions(flow, send, key))
