"""The årshjul of the målplan year, as dates from the organisation file's calendar (see docs/organisation-file.md).

Udviklingsdage del 1 (tegn) and del 2 (prøvehandlinger) are periods; Chefforum quality-assures the tegn and the
prøvehandlinger across the organisation on two dates; each sheet of the målplanskabelon has a deadline. The sheet
FØR is the målplan before del 1, UNDER del 1 and UNDER del 2 as it stood at the end of each, EFTER as it stands.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

DEL_1 = "udviklingsdage-del-1"
DEL_2 = "udviklingsdage-del-2"
CHEFFORUM_TEGN = "chefforum-tegn"
CHEFFORUM_PROEVEHANDLINGER = "chefforum-proevehandlinger"
# The sheet deadlines: the day each sheet must be filled in, i.e. the last day of its phase.
SHEET_DEADLINES = ("ark-foer", "ark-under-del-1", "ark-under-del-2", "ark-efter")
KEYS = (DEL_1, DEL_2, CHEFFORUM_TEGN, CHEFFORUM_PROEVEHANDLINGER, *SHEET_DEADLINES)
PHASES = 4  # FØR, UNDER del 1, UNDER del 2, EFTER

Period = tuple[dt.date, dt.date]


@dataclass(frozen=True)
class Phases:
    """Where each phase of the year ends (its last day); the EFTER phase does not end (the year goes on)."""

    ends: tuple[dt.date | None, dt.date | None, dt.date | None]

    @classmethod
    def of(cls, dates: Mapping[str, Period]) -> Phases:
        """The phase ends from the calendar: a sheet deadline when given; else FØR ends the day before del 1,
        UNDER del 1 the day before del 2 (or with del 1), UNDER del 2 with del 2."""
        del_1, del_2 = dates.get(DEL_1), dates.get(DEL_2)
        day = dt.timedelta(days=1)

        def deadline(index: int) -> dt.date | None:
            period = dates.get(SHEET_DEADLINES[index])
            return period[1] if period else None

        foer = deadline(0) or (del_1[0] - day if del_1 else None)
        under_1 = deadline(1) or (del_2[0] - day if del_2 else del_1[1] if del_1 else None)
        under_2 = deadline(2) or (del_2[1] if del_2 else None)
        return cls((foer, under_1, under_2))

    def index(self, day: dt.date) -> int:
        """The phase a day belongs to: 0 FØR, 1 UNDER del 1, 2 UNDER del 2, 3 EFTER. Without dates: FØR."""
        if all(end is None for end in self.ends):
            return 0
        for phase, end in enumerate(self.ends):
            if end is not None and day <= end:
                return phase
        return PHASES - 1
