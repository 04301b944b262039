"""The help card: what the bot can do, with buttons for the common starts."""

from __future__ import annotations

from collections.abc import Sequence

from microsoft_teams.cards.core import AdaptiveCard, CardElement, Fact, FactSet

from cards import danish, payloads, texts
from cards.base import card, heading, literal, paragraph, subheading, submit


def help_card(
    *,
    commands: Sequence[tuple[str, str]],
    starts: Sequence[tuple[str, str]],
    typed: Sequence[str] = (),
    in_group: bool,
    unknown_text: bool = False,
    leads_rounds: bool = False,
    contacts: Sequence[str] = (),
) -> AdaptiveCard:
    """`commands` are (word, description) pairs to list; `starts` are (button title, command word) pairs; `typed`
    the typed forms of the person's actions; `leads_rounds`: a leder or chef, told about personalemøde rounds;
    `contacts`: whom to ask about the eksempler (the indsamler, named)."""
    body: list[CardElement] = []
    if unknown_text:
        body.append(paragraph(texts.HELP_UNKNOWN_PREFIX, subtle=True))
    body += [heading(texts.HELP_TITLE), paragraph(texts.HELP_INTRO)]
    if in_group:
        body.append(paragraph(texts.HELP_GROUP_HINT, subtle=True))
        body.append(paragraph(texts.HELP_GROUP_PROPOSAL, subtle=True))
    elif leads_rounds:
        body.append(paragraph(texts.HELP_ROUNDS, subtle=True))
    body += [subheading(texts.HELP_COMMANDS_HEADER), FactSet(facts=[Fact(title=w, value=d) for w, d in commands])]
    if typed:
        # Everything a button does can be typed too (a phone, or no buttons at all).
        body.append(subheading(texts.HELP_TYPED_HEADER))
        body += [paragraph(f"- {usage}", spacing="None") for usage in typed]
    if not in_group:
        body.append(paragraph(texts.HELP_GRUNDLAG, subtle=True))
        if contacts:
            body.append(literal(texts.HELP_CONTACT.format(who=danish.listing(list(contacts))), subtle=True))
    actions = [submit(title, payloads.RunCommand, command=word) for title, word in starts]
    return card(body=body, actions=actions)
