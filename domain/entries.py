"""What each kind of entry holds: the validated, kind-specific fields stored in Entry.data."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from core.vocabulary import Afsender, Niveau, Tema

# Limits: long enough for a considered paragraph, short enough to read on a card and to fit Teams' 40 KB.
SHORT = 200
MEDIUM = 500
LONG = 2000

Required = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=LONG)]
Optional = Annotated[str, StringConstraints(strip_whitespace=True, max_length=LONG)]
ShortOptional = Annotated[str, StringConstraints(strip_whitespace=True, max_length=SHORT)]
MediumOptional = Annotated[str, StringConstraints(strip_whitespace=True, max_length=MEDIUM)]
MediumRequired = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MEDIUM)]


class DataType(StrEnum):
    KVANTITATIV = "kvantitativ"
    KVALITATIV = "kvalitativ"
    BEGGE = "begge"


class Evaluering(StrEnum):
    UNDERVEJS = "undervejs"
    AFSLUTTENDE = "afsluttende"


class Beslutning(StrEnum):
    FORTSAET = "fortsaet"
    JUSTER = "juster"
    STOP = "stop"


class Tvaerfaglighed(StrEnum):
    INGEN = "ingen"
    VIDEN = "videns"
    KOORDINATION = "koordinations"
    SAMSKABELSE = "samskabelses"


class EntryData(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# The Plan A indikator a tegn, prøvehandling or læring is linked to: its number (optional; storage.models.Entry
# reads it into its own column for Plan A's overview).
IndikatorNumber = Annotated[int, Field(ge=1, le=999)]


def stored(data: EntryData) -> dict[str, object]:
    """The entry's data as stored: JSON values, and no `indikator` key while it is linked to none (so an entry
    without one is stored as before indikatorer existed)."""
    dumped: dict[str, object] = data.model_dump(mode="json")
    if "indikator" in dumped and dumped["indikator"] is None:
        del dumped["indikator"]
    return dumped


class TegnData(EntryData):
    """A tegn: an observable change in the target group that shows the mål is being reached."""

    tegn: Required
    maalgruppe: ShortOptional = ""
    datatype: DataType = DataType.BEGGE
    opfoelgning: MediumOptional = ""
    proevehandling_id: int | None = None
    indikator: IndikatorNumber | None = None


class LaeringData(EntryData):
    """What a prøvehandling taught us, from an evaluation along the way or at the end."""

    proevehandling_id: int | None = None
    ny_proevehandling: ShortOptional = ""
    evaluering: Evaluering
    hvad_gjorde_vi: Optional = ""
    tegn_set: Optional = ""
    effekt: Optional = ""
    laering: Required
    beslutning: Beslutning | None = None
    tvaerfaglighed: Tvaerfaglighed = Tvaerfaglighed.INGEN
    borgerinddragelse: bool = False
    indikator: IndikatorNumber | None = None

    @model_validator(mode="after")
    def _rules(self) -> LaeringData:
        if self.proevehandling_id is None and not self.ny_proevehandling:
            raise ValueError("proevehandling")
        if self.evaluering is Evaluering.AFSLUTTENDE and self.beslutning is None:
            # A prøvehandling without the wanted effect must not simply be repeated: decide at the end.
            raise ValueError("beslutning")
        return self


class ProevehandlingData(EntryData):
    """A proposed prøvehandling: something new we will try for a target group, without knowing the outcome; how we
    will see its effect (one of the mål's approved tegn, or in words); and when we evaluate it.

    `handling` becomes the prøvehandling's title in the målplan when the chef approves it (at most MEDIUM, as the
    title column holds). `tegn_tekst` is the linked tegn's wording as it was when proposed, so that every card and
    the export can show it without reading the tegn.
    """

    handling: MediumRequired
    maalgruppe: ShortOptional = ""
    tegn_id: int | None = None
    tegn_tekst: Optional = ""
    hvordan_ser_vi: MediumOptional = ""
    borgerinddragelse: bool = False
    tvaerfaglighed: Tvaerfaglighed = Tvaerfaglighed.INGEN
    evalueres: dt.date | None = None
    indikator: IndikatorNumber | None = None

    @property
    def has_way_to_see(self) -> bool:
        """Whether it says how we will see its effect: a linked tegn, or words."""
        return self.tegn_id is not None or bool(self.hvordan_ser_vi)


class EksempelData(EntryData):
    """A concrete example of behaviour for one tema of the medarbejder- og ledelsesgrundlag."""

    tema: Tema
    niveau: Niveau
    eksempel: Required
    situation: Optional = ""
    # Whom it is from: the writer, or their unit (with a team's name, if given).
    fra: Afsender = Afsender.PERSON
    team: ShortOptional = ""
    # Marked by the indsamler: one of the few approved eksempler that may become a short film.
    film_kandidat: bool = False
