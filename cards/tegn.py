"""The tegn flow's cards: the form with a short explanation, and the check step with gentle coaching."""

from __future__ import annotations

from collections.abc import Sequence

from microsoft_teams.cards.core import AdaptiveCard, CardElement, Container, TextBlock

from cards import payloads, texts
from cards.base import card, error_text, heading, paragraph, step_label
from cards.entry import field_blocks
from cards.forms import Errors, Values, check_actions, choice_input, flow_actions, indikator_input, text_input
from cards.payloads import NO_CHOICE
from core.vocabulary import EntryKind
from domain.entries import LONG, MEDIUM, SHORT
from domain.views import MaalView


def _maal_context(maal: MaalView) -> list[CardElement]:
    return [paragraph(f"**{texts.FIELD_MAAL}:** {maal.title}", subtle=True, spacing="None")]


def tegn_form_card(*, flow: str, step: tuple[int, int], maal: MaalView, values: Values, errors: Errors) -> AdaptiveCard:
    body: list[CardElement] = [step_label(*step), heading(texts.TEGN_FLOW_TITLE), *_maal_context(maal)]
    body.append(Container(items=[paragraph(texts.TEGN_WHAT_IS)], style="accent", spacing="Medium"))
    if errors:
        body.append(error_text(texts.ERROR_SUMMARY))
    body += text_input(
        "tegn",
        texts.TEGN_LABEL,
        values,
        errors,
        required=True,
        multiline=True,
        max_length=LONG,
        placeholder=texts.TEGN_PLACEHOLDER,
    )
    body += text_input(
        "maalgruppe",
        texts.TEGN_MAALGRUPPE_LABEL,
        values,
        errors,
        max_length=SHORT,
        placeholder=texts.TEGN_MAALGRUPPE_PLACEHOLDER,
    )
    body += choice_input(
        "datatype",
        texts.TEGN_DATATYPE_LABEL,
        list(texts.DATATYPE_LABELS.items()),
        values,
        errors,
        default="begge",
        expanded=True,
    )
    body += text_input(
        "opfoelgning",
        texts.TEGN_OPFOELGNING_LABEL,
        values,
        errors,
        max_length=MEDIUM,
        placeholder=texts.TEGN_OPFOELGNING_PLACEHOLDER,
    )
    if maal.proevehandlinger:
        choices: Sequence[tuple[str, str]] = [(NO_CHOICE, texts.TEGN_NO_PROEVEHANDLING)] + [
            (str(p.id), p.title) for p in maal.proevehandlinger
        ]
        body += choice_input(
            "proevehandling_id", texts.TEGN_PROEVEHANDLING_LABEL, choices, values, errors, default=NO_CHOICE
        )
    body += indikator_input(maal, values, errors)
    return card(body=body, actions=flow_actions(flow, texts.BUTTON_NEXT, payloads.TegnForm))


def tegn_check_card(
    *, flow: str, step: tuple[int, int], key: str, maal: MaalView, data: dict[str, object], coach: bool
) -> AdaptiveCard:
    body: list[CardElement] = [step_label(*step), heading(texts.TEGN_CHECK_TITLE), *_maal_context(maal)]
    body += field_blocks(EntryKind.TEGN, data)
    ph_id = data.get("proevehandling_id")
    ph_title = next((p.title for p in maal.proevehandlinger if p.id == ph_id), "")
    if ph_title:
        body.append(TextBlock(text=texts.FIELD_PROEVEHANDLING, weight="Bolder", wrap=True, is_subtle=True))
        body.append(paragraph(ph_title, spacing="None"))
    if coach:
        body.append(
            Container(
                style="warning",
                spacing="Medium",
                items=[
                    TextBlock(text=texts.TEGN_COACH_TITLE, weight="Bolder", wrap=True),
                    paragraph(texts.TEGN_COACH_TEXT),
                    paragraph(texts.TEGN_COACH_EXAMPLE, subtle=True),
                ],
            )
        )
    return card(body=body, actions=check_actions(flow, texts.BUTTON_SEND_ANYWAY if coach else texts.BUTTON_SEND, key))
