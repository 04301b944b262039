"""Danish dates and times, in Europe/Copenhagen: "1. november 2024", "1. november 2024 kl. 14:05"; counts with
their noun in singular or plural ("1 eksempel", "2 eksempler"); and lists of names as Danish writes them."""

from __future__ import annotations

import datetime as dt
import re
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


def antal(count: int, ental: str, flertal: str) -> str:
    """A count with its noun as Danish writes it: "1 eksempel", "0 eksempler", "2 eksempler"."""
    return f"{count} {ental if count == 1 else flertal}"


# A counted placeholder in a text: {name:ental|flertal}, e.g. "{count:eksempel|eksempler} modtaget".
COUNTED = re.compile(r"\{(\w+):([^{}|]+)\|([^{}|]+)\}")


def fill(template: str, **values: object) -> str:
    """A text with its placeholders filled, as str.format does; a counted placeholder {name:ental|flertal} becomes
    the count with its noun (antal). A text with a counted placeholder must be filled here: str.format refuses it."""

    def counted(match: re.Match[str]) -> str:
        name, ental, flertal = match.groups()
        value = values[name]
        if not isinstance(value, int):
            raise TypeError(f"{name} counts, so it must be an int, not {type(value).__name__}")
        return antal(value, ental, flertal)

    return COUNTED.sub(counted, template).format(**values)
