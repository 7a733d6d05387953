"""What the public may see (the kiosk): public partnerships, the network's growth, a partner's events.

Only public data is read here, whatever a URL says.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from twinmap.core import dates, reference
from twinmap.reads import queries


def public_filter() -> queries.PartnershipFilter:
    """The kiosk's only filter: public stages, never private ones."""
    return queries.PartnershipFilter(include_private=False)


def partners(con: duckdb.DuckDBPyConnection, today: dt.date) -> pd.DataFrame:
    """Partnerships that may be shown to the public, with a signing date first, by signing."""
    frame = queries.partnerships(con, public_filter(), today)
    frame = frame[frame["status"].isin(reference.SHOWCASE_STATUSES)]
    return frame.sort_values(["signed_on", "partner_name"], na_position="last").reset_index(drop=True)


def in_force(con: duckdb.DuckDBPyConnection, today: dt.date) -> pd.DataFrame:
    """Public partnerships whose agreement is in force: what the headline counts as signed partners."""
    frame = queries.partnerships(con, public_filter(), today)
    return frame[frame["status"].isin(reference.AGREEMENT_STATUSES)].reset_index(drop=True)


def growth(frame: pd.DataFrame, today: dt.date, cal: str = "gregorian") -> pd.DataFrame:
    """Partnerships signed each year of the reader's calendar and the running total, up to this year.

    The running total goes on to the current year even when nothing was signed lately: the
    network still stands today. A Persian reader counts Solar Hijri years.
    """
    signed = frame.dropna(subset=["signed_on"])
    years = pd.Series([dates.year_of(d, cal) for d in signed["signed_on"]], index=signed.index, dtype="Int64")
    per_year = years.value_counts().sort_index()
    if per_year.empty:
        return pd.DataFrame(columns=["year", "signed", "total", "partners"])
    span = range(int(per_year.index.min()), max(int(per_year.index.max()), dates.year_of(today, cal)) + 1)
    names = signed.groupby(years)["partner_name"].apply(list)
    out = pd.DataFrame({"year": list(span)})
    out["signed"] = [int(per_year.get(y, 0)) for y in span]
    out["total"] = out["signed"].cumsum()
    out["partners"] = [names.get(y, []) for y in span]
    return out


def partner_events(
    con: duckdb.DuckDBPyConnection, partnership_id: int, today: dt.date
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The last three and the next three events of one public partnership."""
    frame = queries.events(con, queries.PartnershipFilter(partnership_ids=(partnership_id,)))
    frame = frame[~frame["status"].isin(reference.EVENT_CANCELLED)]
    starts = frame["starts_on"].dt.date
    return frame[starts <= today].tail(3).iloc[::-1], frame[starts > today].head(3)
