"""Gentle coaching on tegn wording: a tegn describes a change in the target group, not an action we take."""

from __future__ import annotations

import re

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
