"""The eksempel flow's cards (tema → level → the eksempel → check with coaching) and the finished grundlag."""

from __future__ import annotations

from collections.abc import Sequence

from microsoft_teams.cards.core import (
    ActionSet,
    AdaptiveCard,
    CardElement,
    Container,
    Fact,
    FactSet,
    TextBlock,
)

from cards import payloads, texts
from cards.base import cancel_submit, card, error_text, heading, literal, paragraph, step_label, subheading, submit
from cards.forms import Errors, Values, check_actions, choice_input, flow_actions, text_input
from core.vocabulary import Afsender, EksempelTip, Niveau, Tema
from domain.eksempler import EksempelItem, Grundlag
from domain.entries import LONG, SHORT, EksempelData

# A few of each level on the tema's card, and pages of one level.
GRUNDLAG_SHOWN = 4
GRUNDLAG_PAGE = 8
# Long eksempler are cut on the card (Teams' 40 KB); the export has them whole.
TEXT_SHOWN = 400
FROM_SHOWN = 120


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def tema_picker_card(*, flow: str, step: tuple[int, int], errors: Errors) -> AdaptiveCard:
    """The four temaer, each with its one-line meaning and a button to choose it."""
    body: list[CardElement] = [step_label(*step), heading(texts.EKSEMPEL_FLOW_TITLE), paragraph(texts.EKSEMPEL_WHAT_IS)]
    body.append(subheading(texts.EKSEMPEL_TEMA_INTRO))
    if "tema" in errors:
        body.append(error_text(errors["tema"]))
    for tema in Tema:
        body.append(
            Container(
                separator=True,
                spacing="Medium",
                items=[
                    TextBlock(text=texts.TEMA_LABELS[tema], weight="Bolder", wrap=True),
                    TextBlock(text=texts.TEMA_MEANINGS[tema], wrap=True, is_subtle=True, spacing="None"),
                    ActionSet(
                        actions=[
                            submit(
                                texts.EKSEMPEL_TEMA_BUTTON.format(tema=texts.TEMA_LABELS[tema]),
                                payloads.PickTema,
                                flow=flow,
                                tema=tema.value,
                            )
                        ]
                    ),
                ],
            )
        )
    return card(body=body, actions=[cancel_submit(texts.BUTTON_CANCEL, payloads.Cancel, flow=flow)])


def _context(tema: Tema, niveau: Niveau | None = None) -> TextBlock:
    shown = f"**{texts.EKSEMPEL_TEMA_LABEL}:** {texts.TEMA_LABELS[tema]}"
    if niveau is not None:
        shown += f" · **{texts.EKSEMPEL_NIVEAU_LABEL}:** {texts.NIVEAU_LABELS[niveau]}"
    return paragraph(shown, subtle=True, spacing="None")


def niveau_card(*, flow: str, step: tuple[int, int], tema: Tema, preselected: Niveau, errors: Errors) -> AdaptiveCard:
    """Medarbejder or leder, preselected from the writer's role and changeable."""
    body: list[CardElement] = [step_label(*step), heading(texts.EKSEMPEL_NIVEAU_TITLE), _context(tema)]
    body.append(paragraph(texts.EKSEMPEL_NIVEAU_INTRO))
    choices = [(n.value, f"{texts.NIVEAU_LABELS[n]} – {texts.NIVEAU_MEANINGS[n]}") for n in Niveau]
    body += choice_input(
        "niveau", texts.EKSEMPEL_NIVEAU_LABEL, choices, {}, errors, default=preselected.value, expanded=True
    )
    return card(body=body, actions=flow_actions(flow, texts.BUTTON_NEXT, payloads.PickNiveau))


def eksempel_form_card(
    *,
    flow: str,
    step: tuple[int, int],
    tema: Tema,
    niveau: Niveau,
    writer: str,
    unit_name: str,
    values: Values,
    errors: Errors,
    groups: Sequence[tuple[int, str]] = (),
) -> AdaptiveCard:
    """`groups`: the ledergrupper and teams the writer leads, (id, name), in whose name it may be sent too."""
    body: list[CardElement] = [step_label(*step), heading(texts.EKSEMPEL_FLOW_TITLE), _context(tema, niveau)]
    body.append(Container(items=[paragraph(texts.TEMA_MEANINGS[tema], subtle=True)], style="accent", spacing="Medium"))
    if errors:
        body.append(error_text(texts.ERROR_SUMMARY))
    body += text_input(
        "eksempel",
        texts.EKSEMPEL_FORM_LABEL,
        values,
        errors,
        required=True,
        multiline=True,
        max_length=LONG,
        placeholder=texts.EKSEMPEL_FORM_PLACEHOLDER,
    )
    body += text_input(
        "situation",
        texts.EKSEMPEL_SITUATION_INPUT_LABEL,
        values,
        errors,
        max_length=LONG,
        placeholder=texts.EKSEMPEL_SITUATION_PLACEHOLDER,
    )
    fra = [(Afsender.PERSON.value, texts.EKSEMPEL_FRA_PERSON.format(name=writer))]
    if unit_name:
        fra.append((Afsender.ENHED.value, texts.EKSEMPEL_FRA_UNIT.format(unit=unit_name)))
    fra += [
        (f"{payloads.GROUP_PREFIX}{group_id}", texts.EKSEMPEL_FRA_UNIT.format(unit=name)) for group_id, name in groups
    ]
    body += choice_input(
        "fra", texts.EKSEMPEL_FRA_LABEL, fra, values, errors, default=Afsender.PERSON.value, expanded=True
    )
    body += text_input(
        "team", texts.EKSEMPEL_TEAM_LABEL, values, errors, max_length=SHORT, placeholder=texts.EKSEMPEL_TEAM_PLACEHOLDER
    )
    return card(body=body, actions=flow_actions(flow, texts.BUTTON_NEXT, payloads.EksempelForm))


def eksempel_fields(data: EksempelData, fra: str) -> list[CardElement]:
    """The eksempel as the writer will see it sent: the text and situation as typed, and whom it is from."""
    blocks: list[CardElement] = [_context(data.tema, data.niveau)]
    blocks.append(TextBlock(text=texts.EKSEMPEL_LABEL, weight="Bolder", wrap=True, is_subtle=True, spacing="Medium"))
    blocks.append(literal(data.eksempel))
    if data.situation:
        blocks.append(TextBlock(text=texts.EKSEMPEL_SITUATION_LABEL, weight="Bolder", wrap=True, is_subtle=True))
        blocks.append(literal(data.situation))
    blocks.append(FactSet(facts=[Fact(title=texts.EKSEMPEL_FIELD_FRA, value=fra)]))
    return blocks


def eksempel_check_card(
    *, flow: str, step: tuple[int, int], key: str, data: EksempelData, fra: str, tip: EksempelTip | None
) -> AdaptiveCard:
    """The check step: the eksempel as it will be sent and, when it reads like a value, an intention or is very
    short, a gentle tip with a good example. "Send alligevel" is always possible."""
    body: list[CardElement] = [step_label(*step), heading(texts.EKSEMPEL_CHECK_TITLE), *eksempel_fields(data, fra)]
    if tip is not None:
        explanation, example = texts.EKSEMPEL_COACH[tip]
        body.append(
            Container(
                style="warning",
                spacing="Medium",
                items=[
                    TextBlock(text=texts.EKSEMPEL_COACH_TITLE, weight="Bolder", wrap=True),
                    paragraph(explanation),
                    paragraph(example, subtle=True),
                ],
            )
        )
    send = texts.BUTTON_SEND_ANYWAY if tip is not None else texts.BUTTON_SEND
    return card(body=body, actions=check_actions(flow, send, key))


# --- The finished grundlag -------------------------------------------------------------------------------------


def _tema_buttons(grundlag: Grundlag) -> ActionSet:
    return ActionSet(
        actions=[
            submit(
                texts.GRUNDLAG_TEMA_COUNT.format(
                    tema=texts.TEMA_LABELS[tema], count=sum(len(items) for items in grundlag[tema].values())
                ),
                payloads.GrundlagShow,
                tema=tema.value,
            )
            for tema in Tema
        ]
    )


def _grundlag_item(item: EksempelItem) -> Container:
    items: list[CardElement] = [literal(shorten(item.eksempel, TEXT_SHOWN))]
    if item.situation:
        items.append(literal(shorten(item.situation, TEXT_SHOWN // 2), subtle=True))
    items.append(
        TextBlock(
            text=shorten(
                texts.GRUNDLAG_FROM.format(fra=item.fra, unit=item.unit_name)
                if item.fra != item.unit_name
                else item.unit_name,
                FROM_SHOWN,
            ),
            size="Small",
            is_subtle=True,
            wrap=True,
            spacing="None",
        )
    )
    return Container(items=items, separator=True, spacing="Small")


def grundlag_card(
    *, grundlag: Grundlag, tema: Tema | None, niveau: Niveau | None = None, offset: int = 0
) -> AdaptiveCard:
    """The approved eksempler of one tema: a few of each level, or one level a page at a time; buttons switch tema
    and page. Without a tema: just the temaer with their counts."""
    body: list[CardElement] = [heading(texts.GRUNDLAG_TITLE), paragraph(texts.GRUNDLAG_INTRO), _tema_buttons(grundlag)]
    if tema is None:
        return card(body=body)
    body.append(TextBlock(text=texts.TEMA_LABELS[tema], weight="Bolder", size="Large", wrap=True, spacing="Large"))
    body.append(paragraph(texts.TEMA_MEANINGS[tema], subtle=True, spacing="None"))
    actions: list[object] = []
    for level in Niveau if niveau is None else (niveau,):
        shown: Sequence[EksempelItem] = grundlag[tema][level]
        body.append(
            TextBlock(text=texts.GRUNDLAG_LEVELS[level], weight="Bolder", wrap=True, spacing="Large", size="Medium")
        )
        if not shown:
            body.append(paragraph(texts.GRUNDLAG_EMPTY, subtle=True, spacing="None"))
        page = GRUNDLAG_PAGE if niveau is not None else GRUNDLAG_SHOWN
        start = offset if niveau is not None else 0
        body += [_grundlag_item(item) for item in shown[start : start + page]]
        if niveau is None and len(shown) > page:
            title = texts.GRUNDLAG_ALL.format(count=len(shown), level=texts.GRUNDLAG_LEVEL_NAMES[level])
            body.append(ActionSet(actions=[submit(title, payloads.GrundlagShow, tema=tema.value, niveau=level.value)]))
        elif niveau is not None and start + page < len(shown):
            more = submit(
                texts.BUTTON_SHOW_MORE, payloads.GrundlagShow, tema=tema.value, niveau=level.value, offset=start + page
            )
            actions.append(more)
    return card(body=body, actions=actions)
