"""What the repository modules share: stored datetimes read back in UTC."""

from __future__ import annotations

import datetime as dt


def as_utc(moment: dt.datetime) -> dt.datetime:
    """SQLite returns naive datetimes for timezone-aware columns; they are stored in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
