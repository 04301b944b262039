"""Picking where a proposal belongs: the user's unit (once), a mål, and a prøvehandling."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from microsoft_teams.cards.core import ActionSet, AdaptiveCard, CardElement, Container, TextBlock

from cards import payloads, texts
from cards.base import cancel_submit, card, heading, paragraph, step_label, subheading, submit
from cards.forms import Errors, Values, choice_input, flow_actions, text_input
from domain.views import MaalView, ProevehandlingView, UnitView


def unit_picker_card(*, flow: str, units: Sequence[UnitView], values: Values, errors: Errors) -> AdaptiveCard:
    choices = [(str(u.id), f"{u.name} ({u.parent_name})" if u.parent_name else u.name) for u in units]
    body: list[CardElement] = [heading(texts.UNIT_TITLE), paragraph(texts.UNIT_INTRO)]
    body += choice_input("unit_id", texts.UNIT_LABEL, choices, values, errors, required=True)
    return card(body=body, actions=flow_actions(flow, texts.BUTTON_NEXT, payloads.PickUnit, back=False))


def maal_picker_card(
    *,
    flow: str,
    title: str,
    intro: str,
    maal: Sequence[MaalView],
    whole_afdeling: bool,
    year: int,
    step: tuple[int, int],
    errors: Errors,
) -> AdaptiveCard:
    """The mål grouped by målplan, each with its målsætning and a button to choose it."""
    body: list[CardElement] = [step_label(*step), heading(title), paragraph(intro)]
    if "maal_id" in errors:
        body.append(TextBlock(text=errors["maal_id"], color="Attention", wrap=True, weight="Bolder"))
    if not maal:
        body.append(paragraph(texts.MAAL_NONE.format(year=year)))
    for plan_title, group in groupby(maal, key=lambda m: m.maalplan_title):
        body.append(subheading(plan_title))
        for option in group:
            items: list[CardElement] = [TextBlock(text=option.title, wrap=True, weight="Bolder")]
            if option.maalsaetning:
                items.append(
                    TextBlock(
                        text=texts.MAAL_MAALSAETNING.format(maalsaetning=option.maalsaetning),
                        wrap=True,
                        is_subtle=True,
                        size="Small",
                        spacing="None",
                    )
                )
            items.append(
                ActionSet(actions=[submit(texts.BUTTON_CHOOSE, payloads.PickMaal, flow=flow, maal_id=option.id)])
            )
            body.append(Container(items=items, style="emphasis", spacing="Small", separator=True))
    toggle_title = texts.MAAL_SHOW_OWN if whole_afdeling else texts.MAAL_SHOW_AFDELING
    actions = [
        submit(toggle_title, payloads.ToggleAfdeling, flow=flow, whole_afdeling=not whole_afdeling),
        cancel_submit(texts.BUTTON_CANCEL, payloads.Cancel, flow=flow),
    ]
    return card(body=body, actions=actions)


def proevehandling_picker_card(
    *,
    flow: str,
    maal: MaalView,
    proevehandlinger: Sequence[ProevehandlingView],
    step: tuple[int, int],
    values: Values,
    errors: Errors,
) -> AdaptiveCard:
    body: list[CardElement] = [step_label(*step), heading(texts.LAERING_PH_TITLE), paragraph(maal.title, subtle=True)]
    body.append(paragraph(texts.LAERING_PH_INTRO if proevehandlinger else texts.LAERING_PH_NONE))
    for option in proevehandlinger:
        body.append(
            Container(
                items=[
                    TextBlock(text=option.title, wrap=True, weight="Bolder"),
                    ActionSet(
                        actions=[
                            submit(
                                texts.BUTTON_CHOOSE, payloads.PickProevehandling, flow=flow, proevehandling_id=option.id
                            )
                        ]
                    ),
                ],
                style="emphasis",
                spacing="Small",
                separator=True,
            )
        )
    body.append(subheading(texts.LAERING_PH_NEW))
    body += text_input(
        "ny_proevehandling",
        texts.LAERING_PH_NEW_LABEL,
        values,
        errors,
        max_length=200,
        placeholder=texts.LAERING_PH_NEW_PLACEHOLDER,
    )
    body.append(ActionSet(actions=[submit(texts.LAERING_PH_NEW_BUTTON, payloads.NewProevehandling, flow=flow)]))
    actions = [
        cancel_submit(texts.BUTTON_BACK, payloads.Back, flow=flow),
        cancel_submit(texts.BUTTON_CANCEL, payloads.Cancel, flow=flow),
    ]
    return card(body=body, actions=actions)
