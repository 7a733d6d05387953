"""A year of partnerships as the annual report to the mayor and the council tells it.

The year is the reader's (1404 runs from 21 March 2025 to 20 March 2026). Everything is read
as of the year's last day, or today while the year is still running, so a report of a past
year says what was true at its end. The public report reads public data only; the internal
one adds private stages, health, missions, follow-ups and targets, each limited to the home
cities the reader's filter owns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from twinmap.core import dates, reference
from twinmap.core.text import parse_counts
from twinmap.reads import health, impact, lifecycle, queries

TOURISM_INDICATOR = "tourist_arrivals"


class UnknownHomeCity(ValueError):
    """A home city asked for by name that runs no partnership here."""


def home_cities(con: duckdb.DuckDBPyConnection, names: list[str]) -> dict[int, tuple[str, str | None]]:
    """Home cities named "Sari" or "Sari,IR" (English or local name, any case): id -> (name, local name)."""
    homes = queries.home_cities(con)
    found: dict[int, tuple[str, str | None]] = {}
    for asked in names:
        city, _, country = asked.strip().rpartition(",") if "," in asked else (asked.strip(), "", "")
        city = city.strip().casefold()
        match = homes[(homes["name"].str.casefold() == city) | (homes["local_name"].fillna("").str.casefold() == city)]
        if country.strip():
            match = match[match["country_code"] == country.strip().upper()]
        if len(match) != 1:
            known = ", ".join(f"{n},{c}" for n, c in zip(homes["name"], homes["country_code"], strict=True))
            why = "names two home cities; add the country" if len(match) else "is not a home city"
            raise UnknownHomeCity(f"{asked} {why} (home cities: {known})")
        row = match.iloc[0]
        found[int(row["id"])] = (row["name"], row["local_name"] if isinstance(row["local_name"], str) else None)
    return found


@dataclass
class Year:
    """What the annual report holds (frames of the reads they come from; None where internal only)."""

    year: int
    cal: str
    first: dt.date
    last: dt.date
    as_of: dt.date
    internal: bool
    partners: pd.DataFrame
    figures: dict[str, int | None]
    by_status: dict[str, int]
    events: pd.DataFrame
    expiring_next: pd.DataFrame
    tourism: pd.DataFrame
    missions: pd.DataFrame | None = None
    follow_ups: pd.DataFrame | None = None
    targets: pd.DataFrame | None = None
    health: pd.DataFrame | None = None

    @property
    def exchanges(self) -> pd.DataFrame:
        """Held events in which people went between the cities (delegations, students, youth, experts)."""
        return self.events[self.events["kind"].isin(reference.EXCHANGE_KINDS)]


def gather(con: duckdb.DuckDBPyConnection, f: queries.PartnershipFilter, year: int, cal: str, today: dt.date,
           internal: bool) -> Year:  # fmt: skip
    """The report of ``year`` (in calendar ``cal``) over the partnerships of ``f``.

    The public report never reads private stages, whatever ``f`` asks: it is made for anyone.
    """
    f = f if internal else f.public()
    first, last = dates.year_span(year, cal)
    as_of = min(today, last)
    partners = queries.partnerships(con, f, as_of)
    signed = _period(partners, "signed_on", "signed_precision")
    ends = _period(partners, "valid_until", "valid_until_precision", end=True)
    in_force = partners["status"].isin(reference.AGREEMENT_STATUSES)
    held = _held_events(con, f, first, last)
    next_first, next_last = dates.year_span(year + 1, cal)
    expiring = partners[in_force & (ends >= np.datetime64(next_first)) & (ends <= np.datetime64(next_last))].copy()
    expiring["expires_on"] = [e.item() for e in ends[expiring.index]]
    figures: dict[str, int | None] = {
        "signed_partners": int(in_force.sum()),
        "active": int((partners["status"] == "active").sum()),
        "dormant": int((partners["status"] == "dormant").sum()),
        "new_agreements": int(((signed >= np.datetime64(first)) & (signed <= np.datetime64(last))).sum()),
        "agreements_ending": int(((ends >= np.datetime64(first)) & (ends <= np.datetime64(last))).sum()),
        "partner_countries": int(partners.loc[in_force, "partner_country"].nunique()),
        "events_held": len(held),
        "participants": int(held["participants"].sum()) if held["participants"].notna().any() else None,
    }
    by_status = partners["status"].value_counts().to_dict()
    report = Year(year, cal, first, last, as_of, internal, partners, figures,
                  {t.code: int(by_status[t.code]) for t in reference.STATUSES if t.code in by_status}, held,
                  expiring.sort_values("expires_on"), tourism(con, f, year, cal))  # fmt: skip
    if internal:
        _add_internal(con, report, f.own(), first, last, as_of)
    return report


def _add_internal(con: duckdb.DuckDBPyConnection, report: Year, own: queries.PartnershipFilter, first: dt.date,
                  last: dt.date, as_of: dt.date) -> None:  # fmt: skip
    """Health, missions, follow-ups and targets of the reader's own partnerships."""
    assessed = health.assess_all(con, own, as_of)
    report.health = assessed
    report.figures["fading"] = int((assessed["klass"] == reference.INACTIVE).sum())
    ids = tuple(int(i) for i in queries.partnerships(con, own, as_of)["id"])  # those this reader sees, maybe none
    missions = lifecycle.missions(con, ids, unattached=True)
    starts = pd.to_datetime(missions["starts_on"]).dt.date
    report.missions = missions[(starts >= first) & (starts <= last)].reset_index(drop=True)
    follow = lifecycle.follow_ups(con, as_of, ids)
    due = pd.to_datetime(follow["due_end"]).dt.date
    follow = follow[(due >= first) & (due <= last) & ~follow["status"].isin(reference.FOLLOW_UP_CANCELLED)]
    report.follow_ups = follow.reset_index(drop=True)
    aims = lifecycle.targets(con, as_of, ids)
    due = pd.to_datetime(aims["due_end"]).dt.date
    report.targets = aims[(due >= first) & (due <= last)].reset_index(drop=True)


def _period(frame: pd.DataFrame, column: str, precision: str, end: bool = False) -> np.ndarray:
    """A stored date column as days: the start of its period, or its last day with ``end``."""
    starts = pd.to_datetime(frame[column]).to_numpy(dtype="datetime64[D]")
    return dates.period_ends(starts, frame[precision].to_numpy(dtype=object)) if end else starts


def _held_events(con: duckdb.DuckDBPyConnection, f: queries.PartnershipFilter, first: dt.date,
                 last: dt.date) -> pd.DataFrame:  # fmt: skip
    """Events held that started in the year."""
    frame = queries.events(con, f, start=first, end=last)
    starts = frame["starts_on"].dt.date
    return frame[frame["status"].isin(reference.EVENT_HELD) & (starts >= first) & (starts <= last)].reset_index(
        drop=True
    )


def _recorded(values: pd.Series) -> float:
    """A sum of participant counts that stays unknown when none was recorded (never a false zero)."""
    known = values.dropna()
    return float(known.sum()) if len(known) else np.nan


def by_kind(events: pd.DataFrame) -> pd.DataFrame:
    """Events and participants per kind, in the vocabulary's order."""
    grouped = events.groupby("kind").agg(events=("id", "size"), participants=("participants", _recorded))
    order = [t.code for t in reference.EVENT_KINDS if t.code in grouped.index]
    return grouped.loc[order].astype({"participants": "float64"}).reset_index()


def by_partnership(events: pd.DataFrame) -> pd.DataFrame:
    """Events and participants per partnership, most events first."""
    names = ["home_name", "home_local_name", "partner_name", "partner_local_name"]
    grouped = events.groupby("partnership_id").agg(
        events=("id", "size"), participants=("participants", _recorded), **{n: (n, "first") for n in names}
    )
    grouped = grouped.astype({"participants": "float64"})
    return grouped.sort_values(["events", "home_name", "partner_name"], ascending=[False, True, True]).reset_index()


def participants(events: pd.DataFrame) -> dict[str, object]:
    """Participants by country and by gender (only where recorded; the rest counted as not recorded)."""
    totals: dict[str, int] = {}
    for stored in events["participants_by_country"].dropna():
        for code, n in parse_counts(stored).items():
            totals[code] = totals.get(code, 0) + n
    gendered = events["participants_female"].notna() | events["participants_male"].notna()
    return {
        "by_country": pd.Series(totals, dtype="int64").sort_values(ascending=False),
        "women": int(events["participants_female"].sum()) if gendered.any() else None,
        "men": int(events["participants_male"].sum()) if gendered.any() else None,
        "without_gender": int((~gendered).sum()),
    }


_TOURISM_SQL = """
WITH pairs AS (SELECT DISTINCT home_city_id, partner_country FROM _pairs),
months AS (
    SELECT i.city_id, i.origin_country,
           sum(i.value) FILTER (WHERE i.period BETWEEN $first AND $last) AS this_year,
           avg(i.value) FILTER (WHERE i.period BETWEEN $first AND $last) AS this_mean,
           count(i.value) FILTER (WHERE i.period BETWEEN $first AND $last) AS n_this,
           sum(i.value) FILTER (WHERE i.period BETWEEN $prev_first AND $prev_last) AS last_year,
           avg(i.value) FILTER (WHERE i.period BETWEEN $prev_first AND $prev_last) AS last_mean,
           count(i.value) FILTER (WHERE i.period BETWEEN $prev_first AND $prev_last) AS n_last
    FROM indicators i
    WHERE i.indicator = $indicator AND i.period BETWEEN $prev_first AND $last
      AND i.city_id IN (SELECT home_city_id FROM pairs)
    GROUP BY ALL
)
SELECT p.partner_country, sum(m.this_year) AS this_year, sum(m.last_year) AS last_year,
       sum(m.this_mean) / sum(m.last_mean) * 100 - 100 AS change_pct,
       sum(a.this_mean) / sum(a.last_mean) * 100 - 100 AS all_change_pct,
       min(least(m.n_this, m.n_last, a.n_this, a.n_last)) AS months
FROM pairs p
JOIN months m ON m.city_id = p.home_city_id AND m.origin_country = p.partner_country
JOIN months a ON a.city_id = p.home_city_id AND a.origin_country IS NULL
GROUP BY p.partner_country ORDER BY sum(m.this_year) DESC NULLS LAST, p.partner_country
"""


def tourism(con: duckdb.DuckDBPyConnection, f: queries.PartnershipFilter, year: int, cal: str) -> pd.DataFrame:
    """Tourist arrivals from each partner country this year and last, against all foreign visitors.

    Changes compare the mean month of each year (a year with a month missing is not a fall); a
    country that is a partner of several home cities adds up their means. A month counts in the
    year it begins in. A country's verdict needs three quarters of the
    months of both years, from it and from all foreign visitors, in every home city it is a
    partner of; otherwise it is "not enough data", never a fall.
    """
    first, last = dates.year_span(year, cal)
    prev_first, prev_last = dates.year_span(year - 1, cal)
    partners = queries.partnerships(con, f, last)
    partners = partners[partners["status"].isin(reference.AGREEMENT_STATUSES)]
    cur = con.cursor()
    cur.register("_pairs", partners[["home_city_id", "partner_country"]].dropna())
    params = {"first": first, "last": last, "prev_first": prev_first, "prev_last": prev_last,
              "indicator": TOURISM_INDICATOR}  # fmt: skip
    frame = cur.execute(_TOURISM_SQL, params).df()
    cur.close()
    months = round((last - first).days / 30.44)
    enough = (frame["months"] >= impact.MIN_COVERAGE * months) & frame["change_pct"].notna()
    enough &= frame["all_change_pct"].notna() & np.isfinite(frame["change_pct"])
    frame["verdict"] = [
        impact.verdict(p, a) if ok else "no_data"
        for p, a, ok in zip(frame["change_pct"], frame["all_change_pct"], enough, strict=True)
    ]
    return frame
