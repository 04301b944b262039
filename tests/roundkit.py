"""A meeting round as its cards are given it (domain.rounds.RoundView), for the card tests: an eksempel round at
Kirkebjerg with its proposals, every other value overridable."""

from __future__ import annotations

import datetime as dt
from typing import Any

from core.vocabulary import EntryKind, RoundStatus
from domain.rounds import ProposalView, RoundView

NOW = dt.datetime(2026, 12, 4, 9, 0, tzinfo=dt.UTC)


def eksempel_round(status: RoundStatus, proposals: tuple[ProposalView, ...], **changes: Any) -> RoundView:
    """Open or closed at NOW; the viewer's own proposals are all of them unless `mine` says otherwise."""
    values: dict[str, Any] = {
        "id": 7,
        "status": status,
        "kind": EntryKind.EKSEMPEL,
        "starter_name": "Lars Mikkelsen",
        "unit_name": "Dagtilbud Kirkebjerg",
        "maal_title": "",
        "maalsaetning": "",
        "proevehandling_title": "",
        "tema": None,
        "niveau": None,
        "show_names": True,
        "hide_until_close": False,
        "count": len(proposals),
        "people": 1,
        "roster": (),
        "member_count": 3,
        "opened_at": NOW,
        "closed_at": NOW,
        "proposals": proposals,
        "mine": proposals,
    }
    return RoundView(**{**values, **changes})
