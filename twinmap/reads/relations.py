"""The unit's relations beyond twinnings: organisations, press coverage and the diaspora abroad.

Every read takes the home cities it may read (None: every one), since each row is a home
city's. People abroad are read in full only for staff; others get counts by country.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from twinmap.core import reference
from twinmap.store import db

Homes = tuple[int, ...] | None


def _of(homes: Homes, alias: str = "t") -> tuple[str, list[object]]:
    """SQL that keeps the rows of these home cities, and its parameters."""
    if homes is None:
        return "TRUE", []
    return f"{alias}.home_city_id IN (SELECT unnest(?))", [list(homes)]


def organisations(con: duckdb.DuckDBPyConnection, homes: Homes) -> pd.DataFrame:
    """The organisations of these home cities, by kind and name, with their home city's name."""
    where, params = _of(homes)
    cur = con.cursor().execute(
        f"""SELECT t.id, t.home_city_id, h.name AS home_name, h.local_name AS home_local_name, t.name, t.kind,
                   t.country_code, t.city, t.website, t.stage, t.since, t.since_precision, t.fee, t.currency,
                   t.fee_due_on, t.fee_due_precision, t.goals, t.notes
            FROM organisations t JOIN city_names h ON h.id = t.home_city_id
            WHERE {where} ORDER BY t.kind, t.name""",
        params,
    )
    return db.frame(cur)


def dues(frame: pd.DataFrame, today: dt.date, days: int = 90) -> pd.DataFrame:
    """Memberships whose fee falls due within ``days`` (or is past due) and that still stand."""
    standing = frame["stage"].isin(reference.having(reference.RELATION_STAGES, "open"))
    due = pd.to_datetime(frame["fee_due_on"])
    soon = due.notna() & (due <= pd.Timestamp(today + dt.timedelta(days=days)))
    return frame[standing & soon].sort_values("fee_due_on")


def coverage(con: duckdb.DuckDBPyConnection, homes: Homes) -> pd.DataFrame:
    """Press items about these home cities, newest first, with the partner city they are about."""
    where, params = _of(homes)
    cur = con.cursor().execute(
        f"""SELECT t.id, t.home_city_id, t.published_on, t.published_precision, t.outlet, t.country_code,
                   t.language, t.title, t.link, t.tone, p.name AS partner_name, p.local_name AS partner_local_name,
                   t.organisation, t.goals
            FROM coverage t LEFT JOIN city_names p ON p.id = t.partner_city_id
            WHERE {where} ORDER BY t.published_on DESC, t.id DESC""",
        params,
    )
    return db.frame(cur)


def coverage_by_month(frame: pd.DataFrame) -> pd.DataFrame:
    """Press items per month and tone (the chart of the city's image over time)."""
    if frame.empty:
        return pd.DataFrame(columns=["month", "tone", "items"])
    months = pd.to_datetime(frame["published_on"]).dt.to_period("M").dt.to_timestamp()
    out = frame.assign(month=months).groupby(["month", "tone"]).size().rename("items").reset_index()
    return out.sort_values(["month", "tone"])


def diaspora_by_country(con: duckdb.DuckDBPyConnection, homes: Homes) -> pd.DataFrame:
    """People abroad counted by the country they live in: what a reader outside the staff may see."""
    where, params = _of(homes)
    cur = con.cursor().execute(
        f"""SELECT t.country_code, count(*) AS people FROM people_abroad t WHERE {where}
            GROUP BY t.country_code ORDER BY people DESC, t.country_code""",
        params,
    )
    return db.frame(cur)


def people_abroad(con: duckdb.DuckDBPyConnection, homes: Homes) -> pd.DataFrame:
    """People abroad in full (staff of their home city only: the page decides who calls this)."""
    where, params = _of(homes)
    cur = con.cursor().execute(
        f"""SELECT t.id, t.home_city_id, t.name, t.country_code, t.city, t.association, t.occupation, t.offered,
                   t.consent, t.email, t.phone FROM people_abroad t WHERE {where} ORDER BY t.country_code, t.name""",
        params,
    )
    return db.frame(cur)
