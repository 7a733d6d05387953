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
                   t.fee_due_on, t.fee_due_precision, t.call, t.call_closes_on, t.call_closes_precision,
                   t.goals, t.notes
            FROM organisations t JOIN city_names h ON h.id = t.home_city_id
            WHERE {where} ORDER BY t.kind, t.name""",
        params,
    )
    return db.frame(cur)


def _standing(frame: pd.DataFrame) -> pd.Series:
    return frame["stage"].isin(reference.having(reference.RELATION_STAGES, "open"))


def _soon(days_due: pd.Series, today: dt.date, days: int) -> pd.Series:
    due = pd.to_datetime(days_due)
    return due.notna() & (due <= pd.Timestamp(today + dt.timedelta(days=days)))


DUE_WHAT = ("fee", "call", "follow_up")  # what falls due with an organisation, in the order a day's items are listed


def due(frame: pd.DataFrame, work_frame: pd.DataFrame, today: dt.date, days: int = 90) -> pd.DataFrame:
    """Everything due with the organisations that still stand within ``days`` (or overdue), soonest first.

    Fees, calls that close, and open follow-up actions for an organisation: one row each, with
    ``what`` (one of :data:`DUE_WHAT`), the organisation, a detail (fee and currency, the call's
    title, the action) and the day with its precision.
    """
    standing = frame[_standing(frame)]
    fees = standing[_soon(standing["fee_due_on"], today, days)]
    amounts = [f"{f:g} {c or ''}".strip() if f == f and f is not None else ""
               for f, c in zip(fees["fee"], fees["currency"], strict=True)]  # fmt: skip
    calls = standing[_soon(standing["call_closes_on"], today, days)]
    calls = calls[pd.to_datetime(calls["call_closes_on"]) >= pd.Timestamp(today)]  # a closed call is no longer due
    actions = work_frame[(work_frame["record"] == "follow_ups") & work_frame["open"]]
    actions = actions[_soon(actions["day"], today, days)]
    kinds = dict(zip(zip(frame["home_city_id"], frame["name"], strict=True), frame["kind"], strict=True))
    parts = [
        _due_rows("fee", fees, amounts, "fee_due_on", "fee_due_precision"),
        _due_rows("call", calls, calls["call"].fillna(""), "call_closes_on", "call_closes_precision"),
        _due_rows("follow_up", actions.assign(name=actions["organisation"],
                  kind=[kinds.get(k) for k in zip(actions["home_city_id"], actions["organisation"], strict=True)]),
                  actions["title"], "day", "precision"),
    ]  # fmt: skip
    out = pd.concat(parts, ignore_index=True)
    out["due_on"] = pd.to_datetime(out["due_on"])
    order = out["what"].map({w: i for i, w in enumerate(DUE_WHAT)})
    return out.assign(_o=order).sort_values(["due_on", "_o"]).drop(columns="_o").reset_index(drop=True)


def _due_rows(what: str, rows: pd.DataFrame, detail: object, day: str, precision: str) -> pd.DataFrame:
    """Rows of :func:`due` of one kind."""
    return pd.DataFrame({"what": what, "organisation": rows["name"].to_numpy(), "kind": rows["kind"].to_numpy(),
                         "detail": list(detail), "due_on": rows[day].to_numpy(),
                         "due_precision": rows[precision].to_numpy(), "home_city_id": rows["home_city_id"].to_numpy()},
                        columns=["what", "organisation", "kind", "detail", "due_on", "due_precision",
                                 "home_city_id"])  # fmt: skip


# Work that names an organisation: events and follow-ups through their partnership's home city,
# missions through theirs or (made for no partnership) through the organisation's.
_WORK = """
SELECT 'events' AS record, e.id, p.home_city_id, e.organisation, e.title, e.starts_on AS day,
       e.starts_precision AS precision, e.status, list_contains($upcoming, e.status) AS open, p.status AS stage
FROM events e JOIN partnerships p ON p.id = e.partnership_id WHERE e.organisation IS NOT NULL
UNION ALL
SELECT 'missions', m.id, coalesce(p.home_city_id, o.home_city_id), m.organisation, m.title, m.starts_on,
       m.starts_precision, m.status, m.status = 'planned', p.status
FROM missions m LEFT JOIN partnerships p ON p.id = m.partnership_id
LEFT JOIN organisations o ON m.partnership_id IS NULL AND o.name = m.organisation
WHERE m.organisation IS NOT NULL
UNION ALL
SELECT 'follow_ups', f.id, p.home_city_id, f.organisation, f.action, f.due_on, f.due_precision, f.status,
       list_contains($open, f.status), p.status
FROM follow_ups f JOIN partnerships p ON p.id = f.partnership_id WHERE f.organisation IS NOT NULL
"""


def goals_of(frame: pd.DataFrame) -> list[tuple[str, ...]]:
    """Each organisation's goals: those it is tagged with, else its kind's."""
    return [tuple(g) if g is not None and len(g) else (reference.KIND_GOALS.get(k, "organisations"),)
            for g, k in zip(frame["goals"], frame["kind"], strict=True)]  # fmt: skip


def work(con: duckdb.DuckDBPyConnection, homes: Homes, private: bool = True) -> pd.DataFrame:
    """Events, missions and follow-ups that name an organisation of these home cities, by day.

    Columns: ``record`` (the table), id, home city, organisation, title (an action's words),
    day and precision, status, and ``open`` (still to happen or to do). ``private`` False
    leaves out the work of partnerships still in talks (a reader who is not staff).
    """
    params = {"upcoming": list(reference.EVENT_UPCOMING), "open": list(reference.FOLLOW_UP_OPEN),
              "all": homes is None, "homes": list(homes or ()), "private": private,
              "hidden": sorted(reference.PRIVATE_STATUSES)}  # fmt: skip
    sql = f"""SELECT * EXCLUDE (stage) FROM ({_WORK}) w
              WHERE ($all OR w.home_city_id IN (SELECT unnest($homes::INTEGER[])))
                AND ($private OR w.stage IS NULL OR NOT list_contains($hidden::VARCHAR[], w.stage))
              ORDER BY w.day, w.record, w.id"""
    frame = con.cursor().execute(sql, params).df()
    frame["open"] = frame["open"].astype(bool)
    return frame


def work_per_goal(con: duckdb.DuckDBPyConnection, homes: Homes, first: dt.date, last: dt.date,
                  private: bool = True) -> pd.DataFrame:  # fmt: skip
    """The unit's work from ``first`` to ``last`` counted per goal (one row per goal, in the goals' order).

    A record counts under each goal it is tagged with; untagged, under the goal of the
    organisation it names (a diaspora association's event serves the diaspora), else under its
    kind of record's (an event serves twinnings, a mission the missions abroad). Counted: events
    held, missions done, follow-up actions done, press items published, organisations that
    stand, people abroad on record.

    ``private`` False is the public's count: events of partnerships past the talks only,
    organisations the city belongs to, press items; no missions, follow-ups or people abroad
    (their columns are left out).
    """
    kinds = list(reference.KIND_GOALS)
    params = {"first": first, "last": last, "all": homes is None, "homes": list(homes or ()),
              "kinds": kinds, "kind_goals": [reference.KIND_GOALS[k] for k in kinds],
              "held": list(reference.EVENT_HELD), "done": list(reference.MISSION_DONE),
              "fu_done": list(reference.FOLLOW_UP_DONE), "standing": list(reference.having(reference.RELATION_STAGES,
                                                                                               "open")),
              "private": private, "hidden": sorted(reference.PRIVATE_STATUSES),
              "belongs": list(reference.having(reference.RELATION_STAGES, "belongs"))}  # fmt: skip
    d = reference.RECORD_GOALS
    mine = "($all OR {} IN (SELECT unnest($homes::INTEGER[])))"
    goal = (
        "CASE WHEN len(coalesce({t}.goals, [])) > 0 THEN {t}.goals WHEN k.goal IS NOT NULL THEN [k.goal] "
        "ELSE ['{d}'] END"
    )
    kind = (
        "LEFT JOIN (SELECT unnest($kinds::VARCHAR[]) AS kind, unnest($kind_goals::VARCHAR[]) AS goal) k "
        "ON k.kind = o.kind"
    )
    sql = f"""
    SELECT goal, record, count(*) AS n FROM (
      SELECT unnest({goal.format(t="e", d=d["events"])}) AS goal, 'events' AS record
      FROM events e JOIN partnerships p ON p.id = e.partnership_id
      LEFT JOIN organisations o ON o.home_city_id = p.home_city_id AND o.name = e.organisation {kind}
      WHERE {mine.format("p.home_city_id")} AND list_contains($held, e.status) AND e.starts_on BETWEEN $first AND $last
        AND ($private OR NOT list_contains($hidden::VARCHAR[], p.status))
      UNION ALL
      SELECT unnest({goal.format(t="m", d=d["missions"])}), 'missions'
      FROM missions m LEFT JOIN partnerships p ON p.id = m.partnership_id
      LEFT JOIN organisations o ON o.name = m.organisation AND o.home_city_id = coalesce(p.home_city_id, o.home_city_id)
      {kind}
      WHERE ($all OR p.home_city_id IN (SELECT unnest($homes::INTEGER[])) OR (m.partnership_id IS NULL AND
             (m.organisation IS NULL OR o.home_city_id IN (SELECT unnest($homes::INTEGER[])))))
        AND list_contains($done, m.status) AND m.starts_on BETWEEN $first AND $last AND $private
      UNION ALL
      SELECT unnest({goal.format(t="f", d=d["follow_ups"])}), 'follow_ups'
      FROM follow_ups f JOIN partnerships p ON p.id = f.partnership_id
      LEFT JOIN organisations o ON o.home_city_id = p.home_city_id AND o.name = f.organisation {kind}
      WHERE {mine.format("p.home_city_id")} AND list_contains($fu_done, f.status) AND f.done_on BETWEEN $first AND $last
        AND $private
      UNION ALL
      SELECT unnest({goal.format(t="c", d=d["coverage"])}), 'coverage'
      FROM coverage c LEFT JOIN organisations o ON o.home_city_id = c.home_city_id AND o.name = c.organisation {kind}
      WHERE {mine.format("c.home_city_id")} AND c.published_on BETWEEN $first AND $last
      UNION ALL
      SELECT unnest(CASE WHEN len(coalesce(o.goals, [])) > 0 THEN o.goals ELSE [k.goal] END), 'organisations'
      FROM organisations o {kind}
      WHERE {mine.format("o.home_city_id")} AND list_contains(CASE WHEN $private THEN $standing ELSE $belongs END,
                                                              o.stage)
        AND (o.since IS NULL OR o.since <= $last)
      UNION ALL
      SELECT '{d["people_abroad"]}', 'people_abroad' FROM people_abroad a
      WHERE {mine.format("a.home_city_id")} AND $private
    ) GROUP BY goal, record"""
    counts = con.cursor().execute(sql, params).df()
    table = counts.pivot_table(index="goal", columns="record", values="n", aggfunc="sum", fill_value=0)
    records = ["events", "missions", "follow_ups", "coverage", "organisations", "people_abroad"]
    records = records if private else ["events", "coverage", "organisations"]
    goals = [t.code for t in reference.UNIT_GOALS]
    table = table.reindex(index=goals, columns=records, fill_value=0).fillna(0).astype(int)
    return table.rename_axis(index="goal", columns=None).reset_index()


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


def coverage_by_country(frame: pd.DataFrame) -> pd.DataFrame:
    """Press items per country of the outlet and tone, the countries with most items first."""
    tones = [t.code for t in reference.TONES]
    if frame.empty:
        return pd.DataFrame(columns=["country_code", "items", *tones])
    out = frame.groupby(["country_code", "tone"]).size().unstack(fill_value=0).reindex(columns=tones, fill_value=0)
    out.insert(0, "items", out.sum(axis=1))
    return out.reset_index().sort_values(["items", "country_code"], ascending=[False, True]).reset_index(drop=True)


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


def contacts_of(con: duckdb.DuckDBPyConnection, home_city_id: int, name: str) -> pd.DataFrame:
    """The home city's contact people who work for an organisation (private: its staff decide who calls this)."""
    sql = """SELECT c.name, c.role, c.organisation, c.email, c.phone, ci.name AS city
             FROM contacts c JOIN partnerships p ON p.id = c.partnership_id JOIN city_names ci ON ci.id = c.city_id
             WHERE p.home_city_id = ? AND lower(trim(c.organisation)) = lower(trim(?)) ORDER BY c.name"""
    return con.cursor().execute(sql, [int(home_city_id), name]).df()
