"""Danish dates and times, in Europe/Copenhagen: "1. november 2024", "1. november 2024 kl. 14:05"; and lists of
names as Danish writes them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from cards import texts
from domain.clock import COPENHAGEN, today

MONTHS = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)


def local(moment: dt.datetime) -> dt.datetime:
    """The moment in Copenhagen time; naive datetimes are taken to be UTC (as the database stores them)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(COPENHAGEN)


def date(value: dt.date | dt.datetime) -> str:
    if isinstance(value, dt.datetime):
        value = local(value).date()
    return f"{value.day}. {MONTHS[value.month - 1]} {value.year}"


def time(moment: dt.datetime) -> str:
    return local(moment).strftime("%H:%M")


def datetime(moment: dt.datetime) -> str:
    return f"{date(moment)} kl. {time(moment)}"


def is_today(moment: dt.datetime) -> bool:
    return local(moment).date() == today()


def listing(names: Sequence[str], *, most: int = 4) -> str:
    """Names as Danish lists them: Mette; Mette og Ahmed; Mette, Ahmed og Sofie. Beyond `most` the rest are
    counted (Mette, Ahmed, Sofie, Nanna og 3 andre); one more than `most` is simply named."""
    if len(names) - most > 1:
        return f"{', '.join(names[:most])} {texts.LIST_AND} {texts.LIST_OTHERS.format(count=len(names) - most)}"
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} {texts.LIST_AND} {names[-1]}"
