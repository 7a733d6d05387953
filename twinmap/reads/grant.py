"""The events a grant report covers: a year's held events and their participants by country.

Numbers that were not recorded stay empty and are counted as "not recorded", never as zero.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from twinmap.core import reference
from twinmap.core.text import parse_counts
from twinmap.reads import queries


def held_events(con: duckdb.DuckDBPyConnection, f: queries.PartnershipFilter, year: int) -> pd.DataFrame:
    """Events held in the year (those that started in it)."""
    frame = queries.events(con, f, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))
    held = frame["status"].isin(reference.EVENT_HELD) & (frame["starts_on"].dt.year == year)
    return frame[held].reset_index(drop=True)


def by_country(frame: pd.DataFrame) -> pd.Series:
    """Participants per country over all events (only where the breakdown was recorded)."""
    totals: dict[str, int] = {}
    for stored in frame["participants_by_country"]:
        for code, n in parse_counts(stored if isinstance(stored, str) else None).items():
            totals[code] = totals.get(code, 0) + n
    return pd.Series(totals, dtype="int64").sort_values(ascending=False)
