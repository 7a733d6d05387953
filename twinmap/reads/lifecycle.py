"""Reads of the lifecycle: stage history, missions, follow-up actions and indicator targets.

Everything here is internal work of the international unit: callers decide who may see it.
Every read takes the partnerships it is limited to as ``partnership_ids``: ``None`` means every
partnership (the digest, an admin's command line), a tuple means exactly those, and an empty
tuple means none at all. A filter that matched nothing is never read as "no filter".
Dates of a period (a target "for 2025", an action "due in Esfand 1404") end on the last day of
that period in its own calendar, worked out once per distinct (date, precision).
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from twinmap.core import dates, reference
from twinmap.reads.queries import PartnershipFilter, partnerships

_NAMES = """JOIN partnerships p ON p.id = t.partnership_id
JOIN city_names h ON h.id = p.home_city_id JOIN city_names c ON c.id = p.partner_city_id"""

Ids = tuple[int, ...] | None  # the partnerships a read is limited to: None = all, () = none

# Limits a read to the given partnerships (a semi-join: 50,000 ids cost a hash, not a list scan each row).
_ONLY = "($all OR {column} IN (SELECT unnest($ids::INTEGER[])))"


def _only(partnership_ids: Ids) -> dict:
    """The bound values of :data:`_ONLY`: every partnership for None, exactly the ids given otherwise."""
    return {"all": partnership_ids is None, "ids": [int(i) for i in partnership_ids or ()]}


def period_ends(starts: pd.Series, precisions: pd.Series) -> pd.Series:
    """Last day of each (start, precision) period, computed once per distinct pair."""
    ends: dict[tuple, dt.date | None] = {}
    out = []
    for start, prec in zip(starts, precisions, strict=True):
        key = (start, prec)
        if key not in ends:
            period = dates.from_db(start, prec)
            ends[key] = period.end if period else None
        out.append(ends[key])
    return pd.Series(out, index=starts.index, dtype="object")


def stages(con: duckdb.DuckDBPyConnection, partnership_ids: Ids = None, private: bool = True) -> pd.DataFrame:
    """Stage history of the partnerships given, oldest first.

    ``private`` False is what a reader who may not see private data gets (a viewer, or staff of
    another home city): the stages after talks only, without their internal notes. The talks
    before an agreement, and what staff noted on them, are private like the partnership in talks.
    """
    sql = f"""SELECT t.id, t.partnership_id, t.status, t.entered_on, t.entered_precision,
                     CASE WHEN $private THEN t.note END AS note, t.source, h.name AS home_name, c.name AS partner_name,
                     h.local_name AS home_local_name, c.local_name AS partner_local_name
              FROM stages t {_NAMES}
              WHERE {_ONLY.format(column="t.partnership_id")}
                AND ($private OR NOT list_contains($hidden::VARCHAR[], t.status))
              ORDER BY t.partnership_id, t.entered_on, t.id"""
    params = {**_only(partnership_ids), "private": private, "hidden": sorted(reference.PRIVATE_STATUSES)}
    return con.cursor().execute(sql, params).df()


def board(con: duckdb.DuckDBPyConnection, f: PartnershipFilter, today: dt.date,
          frame: pd.DataFrame | None = None) -> pd.DataFrame:  # fmt: skip
    """Partnerships with the date their current stage was entered (from the history, else the signing).

    ``frame`` is :func:`partnerships` of ``f`` when the caller holds it (read once, shared).
    """
    frame = partnerships(con, f, today) if frame is None else frame
    sql = """SELECT partnership_id AS id, status, arg_max(entered_on, entered_on) AS entered_on,
                    arg_max(entered_precision, entered_on) AS entered_precision
             FROM stages GROUP BY partnership_id, status"""
    entered = con.cursor().execute(sql).df()
    out = frame.merge(entered, on=["id", "status"], how="left")
    dated = reference.having(reference.STATUSES, "dated_by_signing")  # a stage that begins at the signing
    signed = out["entered_on"].isna() & out["status"].isin(dated) & out["signed_on"].notna()
    out.loc[signed, "entered_on"] = out.loc[signed, "signed_on"]
    out.loc[signed, "entered_precision"] = out.loc[signed, "signed_precision"]
    return out


def missions(con: duckdb.DuckDBPyConnection, partnership_ids: Ids = None, unattached: bool = False) -> pd.DataFrame:
    """Official trips, newest first, with the partnership they serve (if any).

    With ``partnership_ids``, the trips made for those partnerships, and with ``unattached`` also
    the trips made for no partnership (the unit's own, which every signed-in reader sees).
    """
    sql = f"""SELECT m.id, m.title, d.name AS destination, d.country_code AS destination_country, m.starts_on,
                    m.starts_precision, m.ends_on, m.ends_precision, m.travellers, m.purpose, m.outcomes,
                    m.status, m.partnership_id, h.name AS home_name, c.name AS partner_name,
                     h.local_name AS home_local_name, c.local_name AS partner_local_name
             FROM missions m JOIN city_names d ON d.id = m.destination_city_id
             LEFT JOIN partnerships p ON p.id = m.partnership_id
             LEFT JOIN city_names h ON h.id = p.home_city_id LEFT JOIN city_names c ON c.id = p.partner_city_id
             WHERE {_ONLY.format(column="m.partnership_id")} OR ($unattached AND m.partnership_id IS NULL)
             ORDER BY m.starts_on DESC, m.id"""
    return con.cursor().execute(sql, {**_only(partnership_ids), "unattached": unattached}).df()


def follow_ups(con: duckdb.DuckDBPyConnection, today: dt.date, partnership_ids: Ids = None) -> pd.DataFrame:
    """Follow-up actions with their due period's last day, whether overdue, and whether done on time."""
    sql = f"""SELECT t.id, t.partnership_id, t.action, t.owner, t.due_on, t.due_precision, t.status, t.done_on,
                     t.done_precision, t.notes, h.name AS home_name, c.name AS partner_name,
                     h.local_name AS home_local_name, c.local_name AS partner_local_name
              FROM follow_ups t {_NAMES}
              WHERE {_ONLY.format(column="t.partnership_id")}
              ORDER BY t.due_on, t.id"""
    frame = con.cursor().execute(sql, _only(partnership_ids)).df()
    frame["due_end"] = period_ends(frame["due_on"], frame["due_precision"])
    done = period_ends(frame["done_on"], frame["done_precision"])
    is_open, is_done = frame["status"].isin(reference.FOLLOW_UP_OPEN), frame["status"].isin(reference.FOLLOW_UP_DONE)
    frame["overdue"] = is_open & (frame["due_end"] < today)
    frame["on_time"] = is_done & (done <= frame["due_end"])
    frame["late"] = is_done & (done > frame["due_end"])
    frame["days_overdue"] = [
        (today - d).days if o else 0 for d, o in zip(frame["due_end"], frame["overdue"], strict=False)
    ]
    return frame


def targets(con: duckdb.DuckDBPyConnection, today: dt.date, partnership_ids: Ids = None) -> pd.DataFrame:
    """Indicator targets with what was measured: visitors from the partner's country to the home city.

    ``state`` is ``met`` / ``missed`` once the period has ended, ``pending`` before; ``no data``
    when no value was recorded for the period at all (a missing report is not a miss).
    """
    sql = f"""SELECT t.id, t.partnership_id, t.indicator, t.target_value, t.due_on, t.due_precision,
                     t.description, p.home_city_id, c.country_code AS partner_country,
                     h.name AS home_name, c.name AS partner_name,
                     h.local_name AS home_local_name, c.local_name AS partner_local_name
              FROM targets t {_NAMES}
              WHERE {_ONLY.format(column="t.partnership_id")}
              ORDER BY t.due_on, t.id"""
    cur = con.cursor()
    frame = cur.execute(sql, _only(partnership_ids)).df()
    frame["due_end"] = period_ends(frame["due_on"], frame["due_precision"])
    windows = frame[["id", "home_city_id", "partner_country", "indicator", "due_on"]].assign(
        due_end=pd.to_datetime(frame["due_end"])
    )
    cur.register("_targets", windows)
    measured = cur.execute(
        """SELECT w.id, sum(i.value) AS measured, count(i.value) AS n FROM _targets w JOIN indicators i
           ON i.city_id = w.home_city_id AND i.indicator = w.indicator AND i.origin_country = w.partner_country
          AND i.period >= w.due_on AND i.period <= w.due_end GROUP BY w.id"""
    ).df()
    cur.close()
    frame = frame.merge(measured, on="id", how="left")
    ended = frame["due_end"] < today
    frame["state"] = "pending"
    frame.loc[ended & frame["measured"].isna(), "state"] = "no data"
    frame.loc[ended & (frame["measured"] >= frame["target_value"]), "state"] = "met"
    frame.loc[ended & (frame["measured"] < frame["target_value"]), "state"] = "missed"
    return frame
