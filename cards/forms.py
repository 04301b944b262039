"""Form building blocks: inputs that keep what was typed and show a Danish message under a field that must be fixed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from microsoft_teams.cards.core import (
    CardElement,
    Choice,
    ChoiceSetInput,
    DateInput,
    TextBlock,
    TextInput,
    ToggleInput,
)

from cards import payloads, texts
from cards.base import cancel_submit, error_text, submit
from cards.payloads import NO_CHOICE
from domain.views import MaalView

Values = Mapping[str, Any]
Errors = Mapping[str, str]


def _value(values: Values, input_id: str, default: str = "") -> str:
    value = values.get(input_id)
    if value is None:
        return default
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _with_error(element: CardElement, errors: Errors, input_id: str) -> list[CardElement]:
    return [element, error_text(errors[input_id])] if input_id in errors else [element]


def text_input(
    input_id: str,
    label: str,
    values: Values,
    errors: Errors,
    *,
    required: bool = False,
    multiline: bool = False,
    max_length: int,
    placeholder: str | None = None,
) -> list[CardElement]:
    element = TextInput(
        id=input_id,
        label=label,
        value=_value(values, input_id) or None,
        placeholder=placeholder,
        is_multiline=multiline or None,
        max_length=max_length,
        is_required=required or None,
        error_message=texts.ERROR_REQUIRED if required else None,
    )
    return _with_error(element, errors, input_id)


def choice_input(
    input_id: str,
    label: str,
    choices: Sequence[tuple[str, str]],
    values: Values,
    errors: Errors,
    *,
    default: str = "",
    expanded: bool = False,
    required: bool = False,
) -> list[CardElement]:
    """A single choice. `choices` are (value, title) pairs."""
    style: Literal["compact", "expanded"] = "expanded" if expanded else "compact"
    element = ChoiceSetInput(
        id=input_id,
        label=label,
        choices=[Choice(title=title, value=value) for value, title in choices],
        value=_value(values, input_id, default) or None,
        style=style,
        is_required=required or None,
        error_message=texts.ERROR_CHOOSE_ONE if required else None,
    )
    return _with_error(element, errors, input_id)


def date_input(
    input_id: str, label: str, values: Values, errors: Errors, *, required: bool = False, minimum: str | None = None
) -> list[CardElement]:
    """A day (Input.Date sends YYYY-MM-DD). `minimum`: the first day the picker offers, as YYYY-MM-DD."""
    element = DateInput(
        id=input_id,
        label=label,
        value=_value(values, input_id) or None,
        min=minimum,
        is_required=required or None,
        error_message=texts.ERROR_REQUIRED if required else None,
    )
    return _with_error(element, errors, input_id)


def toggle_input(input_id: str, label: str, title: str, values: Values, errors: Errors) -> list[CardElement]:
    element = ToggleInput(
        id=input_id,
        label=label,
        title=title,
        value=_value(values, input_id, "false"),
        value_on="true",
        value_off="false",
    )
    return _with_error(element, errors, input_id)


def flow_actions(
    flow: str, primary_title: str, primary_action: type[payloads.Payload], *, back: bool = True, **data: Any
) -> list[Any]:
    """The buttons at the bottom of a flow's card: the next step, Tilbage and Annullér."""
    actions: list[Any] = [submit(primary_title, primary_action, style="positive", flow=flow, **data)]
    if back:
        actions.append(cancel_submit(texts.BUTTON_BACK, payloads.Back, flow=flow))
    actions.append(cancel_submit(texts.BUTTON_CANCEL, payloads.Cancel, flow=flow))
    return actions


def check_actions(flow: str, send_title: str, key: str) -> list[Any]:
    """The buttons on a check step: send (with the submission's idempotency key), Ret and Annullér."""
    return [
        submit(send_title, payloads.Send, style="positive", flow=flow, submission_key=key),
        cancel_submit(texts.BUTTON_EDIT, payloads.Edit, flow=flow),
        cancel_submit(texts.BUTTON_CANCEL, payloads.Cancel, flow=flow),
    ]


def indikator_input(maal: MaalView, values: Values, errors: Errors) -> list[CardElement]:
    """The optional Plan A indikator an entry is linked to: the mål's own (organisation file) chosen until the
    person picks another, or »Ingen indikator«; nothing when the organisation file has no indikatorer."""
    if not maal.indikatorer:
        return []
    numbers = {number for number, _ in maal.indikatorer}
    default = str(maal.indikator) if maal.indikator in numbers else NO_CHOICE
    # Once the form was sent, what the person chose stands (»Ingen indikator« arrives as None).
    if "indikator" in values:
        chosen = values["indikator"]
        default = NO_CHOICE if chosen in (None, "") else str(chosen)
    choices = [(NO_CHOICE, texts.INDIKATOR_NONE)] + [
        (str(number), texts.INDIKATOR_CHOICE.format(number=number, text=text)) for number, text in maal.indikatorer
    ]
    elements = choice_input("indikator", texts.INDIKATOR_LABEL, choices, {}, errors, default=default)
    if maal.indikator in numbers:
        elements.append(TextBlock(text=texts.INDIKATOR_HINT, size="Small", is_subtle=True, wrap=True, spacing="None"))
    return elements
