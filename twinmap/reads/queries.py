"""The store's basic reads: partnerships, cities, events, indicators, contacts and the headline, aggregated in SQL.

What is judged from them lives beside (:mod:`~twinmap.reads.health`, :mod:`~twinmap.reads.impact`,
:mod:`~twinmap.reads.lifecycle`, :mod:`~twinmap.reads.relations`); these are the rows they start from.

Filters arrive as frozen dataclasses (hashable, so read caches can key on them) and become
bound parameters; no text a person typed is ever formatted into SQL. Private stages
(candidate, negotiating) are left out unless a caller asks for them explicitly.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, replace

import duckdb
import numpy as np
import pandas as pd

from twinmap.core import dates, reference
from twinmap.store import db


@dataclass(frozen=True)
class PartnershipFilter:
    """What the map, timeline and overview narrow partnerships down to (empty = everything)."""

    home_city_ids: tuple[int, ...] = ()
    statuses: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    signed_from: dt.date | None = None  # signed on or after (a year of the reader's calendar starts here)
    signed_to: dt.date | None = None
    partnership_ids: tuple[int, ...] | None = None  # None: any partnership; a tuple: those only (empty: none)
    include_private: bool = False
    # With include_private, the home cities whose private data (stages in talks, notes) the reader
    # sees: a user limited to some home cities sees only theirs (empty: every home city's).
    private_homes: tuple[int, ...] = ()

    def public(self) -> PartnershipFilter:
        """The same home cities as anyone sees them: no private stage, no private data."""
        return PartnershipFilter(home_city_ids=self.home_city_ids)

    def own(self) -> PartnershipFilter:
        """The partnerships whose internal data (health, follow-ups, targets) this reader sees: their home cities'."""
        if not self.private_homes:
            return self
        homes = [h for h in self.home_city_ids if h in self.private_homes] if self.home_city_ids else self.private_homes
        return replace(self, home_city_ids=tuple(homes) or (-1,))


# The partnership filter (alias p), the same for every query; values are bound parameters.
_PARTNERSHIP_FILTER = """WHERE (NOT list_contains($hidden::VARCHAR[], p.status) OR $open_all
       OR list_contains($private_homes::INTEGER[], p.home_city_id))
  AND (len($homes::INTEGER[]) = 0 OR list_contains($homes::INTEGER[], p.home_city_id))
  AND ($any_id OR p.id IN (SELECT unnest($ids::INTEGER[])))
  AND (len($statuses::VARCHAR[]) = 0 OR list_contains($statuses::VARCHAR[], p.status))
  AND (len($kinds::VARCHAR[]) = 0 OR list_contains($kinds::VARCHAR[], p.kind))
  AND (len($areas::VARCHAR[]) = 0 OR list_has_any(p.areas, $areas::VARCHAR[]))
  AND ($d0::DATE IS NULL OR p.signed_on >= $d0::DATE)
  AND ($d1::DATE IS NULL OR p.signed_on <= $d1::DATE)
"""

_PARTNERSHIPS_SQL = """
WITH ev AS (
    SELECT partnership_id,
           max(starts_on) FILTER (WHERE starts_on <= $today AND NOT list_contains($cancelled, status)) AS last_event,
           min(starts_on) FILTER (WHERE starts_on > $today AND NOT list_contains($cancelled, status)) AS next_event,
           count(*) FILTER (WHERE starts_on <= $today AND list_contains($held, status)) AS events_held
    FROM events GROUP BY partnership_id
)
SELECT p.id, p.kind, p.status, p.signed_on, p.signed_precision, p.valid_until,
       p.valid_until_precision, p.purpose, p.areas, p.programmes, p.obligations_home,
       p.obligations_partner, p.expected_results, p.success_indicators, p.source, p.is_demo,
       CASE WHEN $open_all OR list_contains($private_homes::INTEGER[], p.home_city_id) THEN p.notes END AS notes,
       p.home_city_id, h.name AS home_name, h.local_name AS home_local_name,
       h.country_code AS home_country, h.lat AS home_lat, h.lon AS home_lon,
       p.partner_city_id, c.name AS partner_name, c.local_name AS partner_local_name,
       c.country_code AS partner_country, c.lat AS partner_lat, c.lon AS partner_lon,
       c.population AS partner_population, c.region AS partner_region,
       c.timezone AS partner_timezone,
       ev.last_event, ev.next_event, coalesce(ev.events_held, 0) AS events_held
FROM partnerships p
JOIN city_names h ON h.id = p.home_city_id
JOIN city_names c ON c.id = p.partner_city_id
LEFT JOIN ev ON ev.partnership_id = p.id
{partnership_filter}ORDER BY h.name, c.name
""".replace("{partnership_filter}", _PARTNERSHIP_FILTER)


# Which event statuses count as held or cancelled, bound into the SQL (defined in reference).
EVENT_MEANINGS = {"held": list(reference.EVENT_HELD), "cancelled": list(reference.EVENT_CANCELLED)}


def _filter_params(f: PartnershipFilter) -> dict:
    return {
        "hidden": sorted(reference.PRIVATE_STATUSES),
        "open_all": f.include_private and not f.private_homes,
        "private_homes": list(f.private_homes) if f.include_private else [],
        "homes": list(f.home_city_ids),
        "any_id": f.partnership_ids is None,
        "ids": list(f.partnership_ids or ()),
        "statuses": list(f.statuses),
        "kinds": list(f.kinds),
        "areas": list(f.areas),
        "d0": f.signed_from,
        "d1": f.signed_to,
    }


def partnerships(con: duckdb.DuckDBPyConnection, f: PartnershipFilter, today: dt.date) -> pd.DataFrame:
    """One row per partnership with both cities and its activity (last, next, events held)."""
    params = {**_filter_params(f), "today": today, **EVENT_MEANINGS}
    return db.frame(con.cursor().execute(_PARTNERSHIPS_SQL, params))


def home_cities(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Cities that run partnerships (a provincial office or association has several)."""
    sql = """SELECT DISTINCT c.id, c.name, c.local_name, c.country_code, c.lat, c.lon
             FROM city_names c JOIN partnerships p ON p.home_city_id = c.id ORDER BY c.name"""
    return con.cursor().execute(sql).df()


def city_spellings(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str | None, str, int | None]]:
    """Every city the store holds as pages name it: (name, local name, country code, GeoNames id or None).

    A namesake's name carries its region ("San Juan, Tucumán"), which a spelling would drop: those
    keep their English name.
    """
    sql = """SELECT v.name, v.local_name, v.country_code, v.geonameid FROM city_names v JOIN cities c ON c.id = v.id
             WHERE v.name = c.name"""
    return [(n, ln, cc, None if g is None else int(g)) for n, ln, cc, g in con.cursor().execute(sql).fetchall()]


def signing_years(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """First and last year in which an agreement was signed (for the year filter's range)."""
    row = con.cursor().execute("SELECT min(year(signed_on)), max(year(signed_on)) FROM partnerships").fetchone()
    return (row[0], row[1]) if row[0] is not None else (2000, dt.date.today().year)


_EVENTS_SQL = """
SELECT e.id, e.partnership_id, e.kind, e.title, e.starts_on, e.starts_precision, e.ends_on,
       e.ends_precision, e.venue, e.participants, e.participants_note, e.status, e.is_demo,
       e.participants_female, e.participants_male, e.participants_by_country, e.funding_source, e.budget,
       e.currency, e.host_city_id,
       hc.name AS host_name, h.name AS home_name, c.name AS partner_name,
       h.local_name AS home_local_name, c.local_name AS partner_local_name,
       c.country_code AS partner_country
FROM events e
JOIN partnerships p ON p.id = e.partnership_id
JOIN city_names h ON h.id = p.home_city_id
JOIN city_names c ON c.id = p.partner_city_id
LEFT JOIN city_names hc ON hc.id = e.host_city_id
{partnership_filter}  AND (len($event_kinds::VARCHAR[]) = 0 OR list_contains($event_kinds::VARCHAR[], e.kind))
  AND ($from::DATE IS NULL OR coalesce(e.ends_on, e.starts_on) >= $from::DATE)
  AND ($to::DATE IS NULL OR e.starts_on <= $to::DATE)
ORDER BY e.starts_on, e.id
""".replace("{partnership_filter}", _PARTNERSHIP_FILTER)


def events(
    con: duckdb.DuckDBPyConnection,
    f: PartnershipFilter,
    event_kinds: tuple[str, ...] = (),
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> pd.DataFrame:
    """Events of the filtered partnerships, optionally by kind and overlapping [start, end]."""
    params = {**_filter_params(f), "event_kinds": list(event_kinds), "from": start, "to": end}
    return db.frame(con.cursor().execute(_EVENTS_SQL, params))


def events_per_month(events: pd.DataFrame) -> pd.DataFrame:
    """Events counted by kind and month of their start: the timeline of many partnerships at once.

    Counting a million events takes a tenth of a second; a page keeps the counts per data
    version (:meth:`twinmap.reads.snapshot.Snapshot.events_per_month`) instead of counting on every run.
    """
    months = pd.to_datetime(events["starts_on"]).dt.to_period("M").dt.to_timestamp().rename("month")
    counts = events["kind"].groupby([events["kind"], months], sort=True, observed=True).size()
    return counts.rename("events").reset_index().astype({"kind": object, "events": "int64"})


def upcoming_events(
    con: duckdb.DuckDBPyConnection, f: PartnershipFilter, today: dt.date, limit: int = 10
) -> pd.DataFrame:
    """The next events from today on that are not cancelled, soonest first."""
    frame = events(con, f, start=today)
    frame = frame[~frame["status"].isin(reference.EVENT_CANCELLED) & (frame["starts_on"].dt.date >= today)]
    return frame.head(limit).reset_index(drop=True)


@dataclass(frozen=True)
class Headline:
    """The overview's figures, as leadership reads them.

    ``signed_partners`` counts partnerships whose agreement is in force (signed, active or
    dormant) and ``countries`` their countries; candidates and negotiations are ``in_pipeline``,
    never partners; ended ones are in ``by_status`` only.
    """

    signed_partners: int
    in_pipeline: int
    by_status: dict[str, int]
    countries: int
    events_this_year: int
    upcoming_events: int
    expiring_12_months: int


def expiring(frame: pd.DataFrame, today: dt.date, months: int) -> pd.DataFrame:
    """Agreements in force whose term ends within ``months`` from today.

    The end of a month- or year-precision term is the last day of that period (in the
    calendar the agreement was written in), so "valid until May 2027" runs to 31 May.
    """
    horizon = _add_months(today, months)
    starts = pd.to_datetime(frame["valid_until"]).to_numpy(dtype="datetime64[D]")
    ends = dates.period_ends(starts, frame["valid_until_precision"].to_numpy(dtype=object))
    mask = (
        ~np.isnat(ends)
        & (ends >= np.datetime64(today))
        & (ends <= np.datetime64(horizon))
        & frame["status"].isin(reference.AGREEMENT_STATUSES).to_numpy()
    )
    out = frame[mask].copy()
    out["expires_on"] = [e.item() for e in ends[mask]]
    return out.sort_values("expires_on")


def _add_months(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def headline(con: duckdb.DuckDBPyConnection, f: PartnershipFilter, today: dt.date, cal: str = "gregorian",
             frame: pd.DataFrame | None = None) -> Headline:  # fmt: skip
    """Headline figures for the overview: signed partners and the pipeline, countries, events, expiries.

    "Events this year" counts the reader's year: 1405 (21 March 2026 to 20 March 2027) for a
    reader of the Solar Hijri calendar. ``frame`` is :func:`partnerships` of ``f`` when the caller holds it.
    """
    frame = partnerships(con, f, today) if frame is None else frame
    params = {**_filter_params(f), "event_kinds": [], "from": None, "to": None}
    first, last = dates.year_span(dates.year_of(today, cal), cal)
    sql = f"""SELECT count(*) FILTER (WHERE starts_on BETWEEN $first AND $last
                                       AND NOT list_contains($cancelled, status)),
                     count(*) FILTER (WHERE starts_on > $today AND list_contains($upcoming, status))
              FROM ({_EVENTS_SQL})"""
    values = {
        **params,
        "first": first,
        "last": last,
        "today": today,
        "cancelled": list(reference.EVENT_CANCELLED),
        "upcoming": list(reference.EVENT_UPCOMING),
    }
    this_year, upcoming = con.cursor().execute(sql, values).fetchone()
    by_status = frame["status"].value_counts().to_dict()
    in_force = frame["status"].isin(reference.AGREEMENT_STATUSES)
    return Headline(
        signed_partners=int(in_force.sum()),
        in_pipeline=int(frame["status"].isin(reference.PRIVATE_STATUSES).sum()),
        by_status={t.code: int(by_status.get(t.code, 0)) for t in reference.STATUSES if t.code in by_status},
        countries=frame.loc[in_force, "partner_country"].nunique(),
        events_this_year=int(this_year),
        upcoming_events=int(upcoming),
        expiring_12_months=len(expiring(frame, today, 12)),
    )


def indicator_series(
    con: duckdb.DuckDBPyConnection, city_id: int, indicator: str, origins: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Monthly values of one indicator in one city, by origin country ('' = all foreign)."""
    sql = """SELECT period, coalesce(origin_country, '') AS origin, sum(value) AS value
             FROM indicators
             WHERE city_id = $city AND indicator = $indicator
               AND (len($origins::VARCHAR[]) = 0
                    OR list_contains($origins::VARCHAR[], coalesce(origin_country, '')))
             GROUP BY ALL ORDER BY period, origin"""
    params = {"city": city_id, "indicator": indicator, "origins": list(origins)}
    return con.cursor().execute(sql, params).df()


def indicator_cities(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Cities that have indicator data, with the indicators and origin countries they hold."""
    sql = """SELECT c.id, c.name, c.local_name, list(DISTINCT i.indicator ORDER BY i.indicator) AS indicators,
                    list(DISTINCT i.origin_country ORDER BY i.origin_country)
                        FILTER (WHERE i.origin_country IS NOT NULL) AS origins
             FROM indicators i JOIN city_names c ON c.id = i.city_id GROUP BY c.id, c.name, c.local_name
             ORDER BY c.name"""
    return con.cursor().execute(sql).df()


def before_after(
    con: duckdb.DuckDBPyConnection,
    f: PartnershipFilter,
    indicator: str,
    today: dt.date,
    months: int = 12,
    frame: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Mean monthly value from each partner's country in the ``months`` before and after signing.

    "Before" is the last ``months`` whole months ending before the signing period starts;
    "after" the first ``months`` whole months starting after it ends. A signing known only to
    a month (or a Jalali month) is never pinned to an invented day: its month counts in neither.
    ``frame`` is :func:`partnerships` of ``f`` when the caller holds it.
    """
    frame = partnerships(con, f, today) if frame is None else frame
    frame = frame[frame["signed_on"].notna()]
    signed = [dates.from_db(d, p) for d, p in zip(frame["signed_on"], frame["signed_precision"], strict=True)]
    windows = pd.DataFrame(
        {
            "id": frame["id"].to_numpy(),
            "home_city_id": frame["home_city_id"].to_numpy(),
            "partner_country": frame["partner_country"].to_numpy(),
            "s0": pd.to_datetime([p.start for p in signed]),
            "a0": pd.to_datetime([p.end + dt.timedelta(days=1) for p in signed]),
        }
    )
    sql = """
    SELECT w.id,
           avg(i.value) FILTER (WHERE i.period + INTERVAL 1 MONTH <= w.s0
                                AND i.period > w.s0 - to_months($months + 1)) AS before,
           count(i.value) FILTER (WHERE i.period + INTERVAL 1 MONTH <= w.s0
                                  AND i.period > w.s0 - to_months($months + 1)) AS n_before,
           avg(i.value) FILTER (WHERE i.period >= w.a0 AND i.period < w.a0 + to_months($months)) AS after,
           count(i.value) FILTER (WHERE i.period >= w.a0
                                  AND i.period < w.a0 + to_months($months)) AS n_after
    FROM _windows w JOIN indicators i
      ON i.city_id = w.home_city_id AND i.indicator = $indicator
     AND CASE WHEN $all_foreign THEN i.origin_country IS NULL
              ELSE i.origin_country = w.partner_country END
    GROUP BY w.id
    """
    cur = con.cursor()
    cur.register("_windows", windows)
    params = {"indicator": indicator, "months": months}
    partner = cur.execute(sql, {**params, "all_foreign": False}).df()
    overall = cur.execute(sql, {**params, "all_foreign": True}).df()
    cur.close()
    overall["all_foreign_change_pct"] = (overall["after"] / overall["before"] - 1) * 100
    cols = [
        "id",
        "home_name",
        "home_local_name",
        "partner_name",
        "partner_local_name",
        "partner_country",
        "signed_on",
        "signed_precision",
    ]
    out = frame[cols].merge(partner, on="id", how="inner")
    out["change_pct"] = (out["after"] / out["before"] - 1) * 100
    out = out.merge(overall[["id", "all_foreign_change_pct"]], on="id", how="left")
    return out.reset_index(drop=True)


def contacts(con: duckdb.DuckDBPyConnection, partnership_id: int) -> pd.DataFrame:
    """Coordinators of one partnership (private: only for signed-in staff)."""
    sql = """SELECT c.name, c.role, c.organisation, c.email, c.phone, ci.name AS city
             FROM contacts c JOIN city_names ci ON ci.id = c.city_id
             WHERE c.partnership_id = ? ORDER BY ci.name, c.name"""
    return con.cursor().execute(sql, [partnership_id]).df()
