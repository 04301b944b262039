"""Gentle coaching on wording: a tegn describes a change in the target group, not an action we take; an eksempel
describes behaviour in a concrete situation, not a value or an intention; a prøvehandling names something we do
and how we will see its effect."""

from __future__ import annotations

import re

from core.vocabulary import EksempelTip, EntryKind, ProevehandlingTip

# Openings that describe what *we* do rather than what we will see in the target group.
_ACTION_OPENINGS = re.compile(
    r"^\s*(?:vi|jeg|personalet|medarbejderne|pædagogerne|lærerne|lederen)\s+"
    r"(?:vil|skal|laver|afholder|holder|starter|igangsætter|indfører|etablerer|tilbyder|arbejder|gennemfører|"
    r"planlægger|sørger|sætter|laver|udarbejder|opretter|inviterer|bruger|giver)\b",
    re.IGNORECASE,
)
# Imperatives and plans at the start: "Lave...", "Afholde...", "Indføre..."
_INFINITIVE_OPENINGS = re.compile(
    r"^\s*(?:at\s+)?(?:lave|afholde|holde|starte|igangsætte|indføre|etablere|tilbyde|gennemføre|planlægge|"
    r"udarbejde|oprette|invitere)\b",
    re.IGNORECASE,
)


def reads_like_an_action(tegn: str) -> bool:
    """True when the text reads like an action we take ("Vi vil…", "Vi afholder…") rather than a tegn."""
    return bool(_ACTION_OPENINGS.match(tegn) or _INFINITIVE_OPENINGS.match(tegn))


# --- Eksempler: concrete behaviour, not a value or an intention -----------------------------------------------


# A concrete situation and what people do in it rarely fits in fewer words.
MIN_EKSEMPEL_WORDS = 12

_SUBJECT = r"(?:vi|jeg|man|alle|hver\s+især|medarbejderne|lederne|lederen|ledelsen|vores\s+\w+)"
_INTENTION = re.compile(
    rf"^\s*{_SUBJECT}\s+(?:skal|vil|bør|burde|må|ønsker|gerne\s+vil|vil\s+gerne|stræber|prøver\s+at\s+være)\b",
    re.IGNORECASE,
)
_VALUE_WORDS = (
    r"(?:tillid|respekt|mod|modige|åbne|åbenhed|ærlige|ærlighed|ansvar|ansvarlige|nysgerrige|ordentlige|"
    r"fleksible|engagerede|engagement|omsorg|omsorgsfulde|gensidig\w*|loyale|loyalitet|tryghed|trygge|"
    r"helhedsorienterede|professionelle|faglige|positive|imødekommende|hjælpsomme|gode\s+kollegaer)"
)
_VALUE = re.compile(
    rf"^\s*{_SUBJECT}\s+(?:har|er|viser|udviser|tager|sætter|står\s+for)\s+(?:\w+\s+){{0,3}}?{_VALUE_WORDS}\b"
    rf"|^\s*{_SUBJECT}\s+(?:respekterer|stoler\s+på|støtter|værdsætter|anerkender)\s+hinanden\s*\.?\s*$",
    re.IGNORECASE,
)


def eksempel_tip(text: str) -> EksempelTip | None:
    """A gentle flag when the text states a value or an intention instead of behaviour, or is very short."""
    if _INTENTION.match(text):
        return EksempelTip.INTENTION
    if _VALUE.match(text):
        return EksempelTip.VALUE
    if len(text.split()) < MIN_EKSEMPEL_WORDS:
        return EksempelTip.TOO_SHORT
    return None


# --- Prøvehandlinger: something we do, and a way to see its effect ---------------------------------------------

# A goal reads as where we want the target group to get: "Flere børn skal …", "Færre elever har fravær",
# "Alle borgere oplever …". A prøvehandling says what we will do to get there.
_GOAL_QUANTIFIER = re.compile(
    r"^\s*(?:flere|færre|alle|flest|færrest|mere|mindre|de\s+fleste|ingen)\s+\w+",
    re.IGNORECASE,
)
_OUR_SUBJECT = r"(?:vi|jeg|personalet|medarbejderne|pædagogerne|lærerne|lederen|ledelsen|vi\s+selv)"
# "Børnene skal …", "Eleverne skal …" within the first words, when the subject is not us.
_TARGET_SHALL = re.compile(
    rf"^\s*(?!{_OUR_SUBJECT}\b)(?:\w+\s+){{1,3}}?(?:skal|bør|må|vil)\s+(?:have|være|blive|kunne|opleve|få|føle)\b",
    re.IGNORECASE,
)
# "Vi vil/skal/prøver …" and plans in the infinitive are actions: never a goal, whatever follows.
_OUR_ACTION = re.compile(rf"^\s*{_OUR_SUBJECT}\s+\w+", re.IGNORECASE)


def reads_like_a_goal(handling: str) -> bool:
    """True when the text states where we want to get (a goal, or a tegn) rather than something we will do."""
    if _OUR_ACTION.match(handling) or _INFINITIVE_OPENINGS.match(handling):
        return False
    return bool(_GOAL_QUANTIFIER.match(handling) or _TARGET_SHALL.match(handling))


def proevehandling_tips(handling: str, *, has_way_to_see: bool) -> tuple[ProevehandlingTip, ...]:
    """The gentle flags on a proposed prøvehandling: only a goal; no way to see its effect."""
    tips: list[ProevehandlingTip] = []
    if reads_like_a_goal(handling):
        tips.append(ProevehandlingTip.ONLY_A_GOAL)
    if not has_way_to_see:
        tips.append(ProevehandlingTip.NO_EFFECT_SEEN)
    return tuple(tips)


# --- Proposals in a personalemøde round: the same checks, as codes the cards show in Danish ------------------

TEGN_ACTION = "tegn_action"
PROEVEHANDLING_GOAL = "proevehandling_goal"


def round_tip(kind: EntryKind | None, text: str) -> str | None:
    """The coaching a proposal in a round gets, typed or clicked: a tegn that reads like an action, an eksempel that
    states a value or an intention, a prøvehandling that is only a goal. A meeting's proposals are short by nature
    (the starter settles the wording), so shortness alone is not flagged here."""
    if kind is EntryKind.TEGN and reads_like_an_action(text):
        return TEGN_ACTION
    if kind is EntryKind.EKSEMPEL:
        tip = eksempel_tip(text)
        return tip.value if tip in (EksempelTip.VALUE, EksempelTip.INTENTION) else None
    if kind is EntryKind.PROEVEHANDLING and reads_like_a_goal(text):
        return PROEVEHANDLING_GOAL
    return None
