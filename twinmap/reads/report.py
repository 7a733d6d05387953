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
from twinmap.reads import attachments, health, impact, lifecycle, queries, relations

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
    photos: pd.DataFrame | None = None  # the year's photos (thumbnails), public ones only in the public version
    organisations: pd.DataFrame | None = None  # networks and organisations of the home cities, as they stand
    coverage: pd.DataFrame | None = None  # press items published in the year
    diaspora: pd.DataFrame | None = None  # people abroad by country (the internal version only)
    goals: pd.DataFrame | None = None  # the year's work counted per goal of the unit (the public's count outside)
    organisation_work: pd.DataFrame | None = None  # the year's events, missions, follow-ups of organisations (inside)

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
                  expiring.sort_values("expires_on"), tourism(con, f, year, cal, as_of))  # fmt: skip
    who = attachments.Audience(True) if internal else attachments.PUBLIC  # the partners are already the reader's
    report.photos = attachments.year_photos(con, who, tuple(int(i) for i in partners["id"]), first, last)
    _add_relations(con, report, (f.own() if internal else f).home_city_ids or None, first, last)
    if internal:
        _add_internal(con, report, f.own(), first, last, as_of)
    return report


def _add_relations(con: duckdb.DuckDBPyConnection, report: Year, homes: tuple[int, ...] | None, first: dt.date,
                   last: dt.date) -> None:  # fmt: skip
    """The unit's work per goal: organisations, the year's press, and (inside) the diaspora and organisations' work."""
    found = relations.organisations(con, homes)
    if not report.internal:  # the public reads the city's memberships and partners, never talks in progress
        found = found[found["stage"].isin(reference.having(reference.RELATION_STAGES, "belongs"))]
    report.organisations = found.reset_index(drop=True)
    items = relations.coverage(con, homes)
    published = pd.to_datetime(items["published_on"]).dt.date
    report.coverage = items[(published >= first) & (published <= last)].reset_index(drop=True)
    report.goals = relations.work_per_goal(con, homes, first, last, private=report.internal)
    if report.internal:
        report.diaspora = relations.diaspora_by_country(con, homes)
        work = relations.work(con, homes)
        days = pd.to_datetime(work["day"]).dt.date
        report.organisation_work = work[(days >= first) & (days <= last)].reset_index(drop=True)


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
WITH this AS (
    SELECT city_id, origin_country, period, value FROM indicators
    WHERE indicator = $indicator AND period BETWEEN $first AND $last AND origin_country IS NOT NULL
), previous AS (
    SELECT city_id, origin_country, period + INTERVAL 12 MONTH AS period, value FROM indicators
    WHERE indicator = $indicator AND period BETWEEN $prev_first AND $prev_last AND origin_country IS NOT NULL
)
SELECT p.id, sum(t.value) AS this_year, sum(v.value) AS last_year, count(*) AS months,
       min(t.period) AS first_month, max(t.period) AS last_month
FROM _pairs p
JOIN this t ON t.city_id = p.home_city_id AND t.origin_country = p.partner_country
JOIN previous v ON v.city_id = t.city_id AND v.origin_country = t.origin_country AND v.period = t.period
GROUP BY p.id
"""
IMPACT_MONTHS = 24  # the window of the impact estimate the report shows: the overview's


def tourism(con: duckdb.DuckDBPyConnection, f: queries.PartnershipFilter, year: int, cal: str,
            as_of: dt.date) -> pd.DataFrame:  # fmt: skip
    """Per partnership in force: tourist arrivals from the partner's country this year and last, over equal months.

    Only the months recorded in both years count (January-November 2026 against
    January-November 2025), so a change and its two totals never disagree; ``first_month`` and
    ``last_month`` say which. A month counts in the year it begins in. The verdict is the
    partnership's tourism-impact estimate (:mod:`twinmap.reads.impact`, 24 months), the one the
    overview and the Tourism page show.
    """
    first, last = dates.year_span(year, cal)
    prev_first, prev_last = dates.year_span(year - 1, cal)
    partners = queries.partnerships(con, f, last)
    partners = partners[partners["status"].isin(reference.AGREEMENT_STATUSES)]
    cur = con.cursor()
    cur.register("_pairs", partners[["id", "home_city_id", "partner_country"]].dropna())
    params = {"first": first, "last": last, "prev_first": prev_first, "prev_last": prev_last,
              "indicator": TOURISM_INDICATOR}  # fmt: skip
    years = cur.execute(_TOURISM_SQL, params).df()
    cur.close()
    judged = impact.impact(con, f, TOURISM_INDICATOR, as_of, IMPACT_MONTHS, partners)
    cols = ["id", "verdict", "effect_pct", "low_pct", "high_pct", "reason", "reason_values"]
    frame = partners[["id", "home_name", "home_local_name", "partner_name", "partner_local_name", "partner_country"]]
    frame = frame.merge(years, on="id", how="inner").merge(judged[cols], on="id", how="left")
    frame["change_pct"] = (frame["this_year"] / frame["last_year"] - 1) * 100
    frame["verdict"] = frame["verdict"].fillna("no_data")
    frame["reason"] = frame["reason"].fillna(impact.NOT_YET_SIGNED)
    frame["reason_values"] = [v if isinstance(v, dict) else {} for v in frame["reason_values"]]
    return frame.sort_values(["this_year", "home_name", "partner_name"], ascending=[False, True, True]).reset_index(
        drop=True
    )
