"""Edits made in the app's grids, saved through the import pipeline: a save is a file of the rows that changed.

A grid shows some rows of a table in its template's columns. Saving writes the changed and the
added rows as a CSV (the full row, so a cleared cell means "clear": ``blank_clears``), plans it
with :func:`~twinmap.ingest.importer.plan_import` (the same validation and messages as a file),
adds the deleted rows, and commits one batch that the Data page and ``undo`` can take back.

Two editors at once: the grid keeps every row as it read it. A save whose rows have changed
since (another editor, an import, another app server) is refused whole, naming who changed
each row and when, and that check runs again inside the write transaction, after every other
writer has finished.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd

from twinmap.core import dates
from twinmap.core.reference import N_, Explained
from twinmap.ingest import batches, cities, exporter, importer, scopes
from twinmap.ingest.importer import Change, Plan, Problem
from twinmap.ingest.specs import TABLES, TableSpec
from twinmap.store import db

# What staff edit in grids; indicators stay import-only (monthly series come from statistics
# offices), stage history is written by stage moves, ties are reference data.
GRID_TABLES = ("partnerships", "events", "contacts", "cities", "missions", "follow_ups", "targets")
MAX_ROWS = 500  # rows a grid opens with: always a subset staff chose, never a whole table
PARTNER_COLUMNS = ("home_city", "home_country", "partner_city", "partner_country")

CHANGED_SINCE = N_(
    "this row was changed by {user} on {when} since you opened the grid: reload the grid, then edit it again"
)
GONE_SINCE = N_("this row was deleted since you opened the grid: reload the grid")
STILL_USED = N_("this row cannot be deleted while other rows refer to it ({rows}): delete or change those first")


class EditConflict(Explained):
    """Rows of a save changed since the grid read them; nothing was written."""

    def __init__(self, problems: list[Problem]):
        super().__init__(N_("{n} row(s) changed since you opened the grid; nothing was saved"), n=len(problems))
        self.problems = problems


@dataclass
class Grid:
    """The rows a grid shows (template columns, as text the reader edits) and the same rows as stored."""

    table: str
    frame: pd.DataFrame
    read: dict[int, dict[str, Any]] = field(repr=False)  # id -> the stored row as the grid read it
    # id -> where each named city is (coordinates, region, ids): a save sends them with a row whose
    # city it did not change, so a city with a namesake is saved as itself
    places: dict[int, dict[str, str]] = field(default_factory=dict, repr=False)


@dataclass
class Save:
    """What saving a grid would do: the plan (its problems, by row and column) and which grid row each line is."""

    plan: Plan
    rows: dict[int, tuple[str, int]]  # the plan's lines -> the grid row: ("id", 12), ("new", 1), ("deleted", 12)
    read: dict[int, dict[str, Any]] = field(repr=False)
    lines: dict[int, int] = field(default_factory=dict)  # row id -> its line in the plan

    @property
    def ok(self) -> bool:
        """Nothing stands in the way of writing it."""
        return self.plan.ok

    def where(self, problem: Problem) -> tuple[str, int] | None:
        """The grid row a problem belongs to (None: the save's own)."""
        return self.rows.get(problem.row or 0)


def grid(con: duckdb.DuckDBPyConnection, table: str, ids: list[int], cal: str = "gregorian") -> Grid:
    """Open a grid on some rows of a table (at most :data:`MAX_ROWS`), dates in the reader's calendar."""
    spec = TABLES[table]
    ids = sorted(int(i) for i in ids)[:MAX_ROWS]
    frame = exporter.table_frame(con, table, ids)
    for col in spec.columns:
        if col.kind == "date" and cal != "gregorian":
            frame[col.name] = [_in_calendar(text, cal) for text in frame[col.name]]
        elif col.kind == "bool":
            frame[col.name] = frame[col.name] == "true"
    places = {int(r["id"]): {c: r[c] for c in _placing(spec)} for r in frame.to_dict("records")}
    frame = frame[[c.name for c in spec.columns if c.stored]]
    frame["id"] = [int(i) for i in frame["id"]] if len(frame) else pd.Series(dtype="int64")
    if frame.empty:  # no row yet (a partnership's first contact): text columns are text, not pandas' floats
        for col in spec.columns:
            if col.stored and col.name != "id" and col.kind != "bool":
                frame[col.name] = frame[col.name].astype("string")
    read = {int(r["id"]): r for r in batches.held_rows(con, table, ids)}
    return Grid(table, frame.reset_index(drop=True), read, places)


def _placing(spec: TableSpec, unchanged: set[str] | None = None) -> list[str]:
    """The columns that place a named city (all, or those of the references whose city ``unchanged`` keeps)."""
    return [
        c
        for ref in spec.cities
        if ref.lat and (unchanged is None or {ref.city, ref.country} <= unchanged)
        for c in cities.columns(ref)[2:]
    ]


def _in_calendar(text: str, cal: str) -> str:
    found = dates.parse(text) if text else None
    return found.editable(cal) if found else text


def plan_save(
    con: duckdb.DuckDBPyConnection,
    opened: Grid,
    edited: dict[int, dict[str, Any]],
    added: list[dict[str, Any]],
    deleted: list[int],
    defaults: dict[str, str] | None = None,
    writer: scopes.Writer = None,
) -> Save:
    """What saving these grid changes would do, checked as a file is; nothing is written.

    ``edited`` maps a grid row's position to its changed cells, ``added`` holds new rows' cells
    and ``deleted`` the positions of removed rows (Streamlit's data editor reports exactly
    these). ``defaults`` fill the blank cells of new rows (a grid opened on one partnership
    names it for every event added there). ``writer`` is the user whose home cities limit the save.
    """
    spec = TABLES[opened.table]
    names = [c.name for c in spec.columns if c.stored] + _placing(spec)
    rows, lines, labels = [], {}, {}
    for position, cells in sorted(edited.items()):
        if position in deleted or position >= len(opened.frame):
            continue
        row = {**opened.frame.iloc[position].to_dict(), **cells}
        kept = {k for k in row if k not in cells or _cell(cells[k]) == _cell(opened.frame.iloc[position][k])}
        place = opened.places.get(int(row["id"]), {})
        row |= {c: place.get(c, "") for c in _placing(spec, kept)}
        rows.append(row)
        lines[int(row["id"])] = len(rows) + 1
        labels[len(rows) + 1] = ("id", int(row["id"]))
    for n, cells in enumerate(added, start=1):
        cells = {k: v for k, v in cells.items() if k != "id"}
        if not any(_cell(v) for v in cells.values()):
            continue  # an empty row the grid added and nobody filled
        rows.append({**{k: v for k, v in (defaults or {}).items() if not _cell(cells.get(k))}, **cells})
        labels[len(rows) + 1] = ("new", n)
    data, name = _csv(names, rows), f"edit: {spec.name}"
    if rows:
        plan = importer.plan_import(con, data, name, spec.name, blank_clears=True, writer=writer)
    else:  # only deletions
        plan = Plan(spec.name, name, data, hashlib.sha256(data).hexdigest(), version=db.data_version(con),
                    writer=writer, fence=scopes.fence(con.cursor(), writer))  # fmt: skip
        if plan.fence is not None and plan.fence.refused:
            plan.errors.append(Problem(None, "", plan.fence.refused[0], plan.fence.refused[1]))
    plan.rows_read = len(rows) + len(deleted)
    save = Save(plan, labels, opened.read, lines)
    _plan_deletes(con, save, opened, deleted)
    save.plan.errors += conflicts(con, opened.table, save)
    return save


def _plan_deletes(con: duckdb.DuckDBPyConnection, save: Save, opened: Grid, deleted: list[int]) -> None:
    """The deleted rows, each whole; one still referred to (a partnership's events) is a problem."""
    ids = [int(opened.frame.iloc[p]["id"]) for p in sorted(deleted) if p < len(opened.frame)]
    line = max([*save.rows, 1]) + 1
    used = {}
    for text in batches.dependents(con.cursor(), opened.table, ids):
        row_id, what = text[1:].split(": ", 1)
        used.setdefault(int(row_id), []).append(what)
    outside = _outside(con, save.plan, [opened.read.get(i, {}) for i in ids])
    for row_id, (city, column) in zip(ids, outside, strict=True):
        save.rows[line], save.lines[row_id] = ("deleted", row_id), line
        if city:
            homes = save.plan.fence.names
            save.plan.errors.append(Problem(line, column, scopes.OUTSIDE, {"city": city, "homes": homes}))
        elif row_id in used:
            save.plan.errors.append(Problem(line, "", STILL_USED, {"rows": ", ".join(used[row_id])}))
        elif row_id in opened.read:
            save.plan.deleted.append(Change(row_id, opened.read[row_id], {}, line))
        line += 1


def _outside(con: duckdb.DuckDBPyConnection, plan: Plan, rows: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """For each row to delete, the home city outside the writer's that holds it, and the column ("": inside)."""
    f = plan.fence
    if f is None or f.refused or not rows:
        return [("", "")] * len(rows)
    city, column = scopes.outside(f, plan.table, scopes.row_values(plan.table, rows))
    names = dict(con.cursor().execute("SELECT id, name FROM city_names WHERE id IN (SELECT unnest(?))",
                                      [sorted({int(c) for c in city if c})]).fetchall())  # fmt: skip
    return [(names.get(int(c), f"#{int(c)}") if c else "", scopes.where(plan.table, col) if c else "")
            for c, col in zip(city, column, strict=True)]  # fmt: skip


def conflicts(con: duckdb.DuckDBPyConnection, table: str, save: Save) -> list[Problem]:
    """Rows of the save that changed since the grid read them, each saying who changed it and when."""
    ids = sorted(save.lines)
    if not ids:
        return []
    now = {int(r["id"]): r for r in batches.held_rows(con, table, ids)}
    found = []
    for row_id in ids:
        line, before = save.lines[row_id], save.read.get(row_id)
        if row_id not in now:
            found.append(Problem(line, "", GONE_SINCE))
        elif before is not None and _differs(before, now[row_id]):
            user, when = last_change(con, table, row_id)
            found.append(Problem(line, "", CHANGED_SINCE, {"user": user, "when": when}))
    return found


def _differs(before: dict[str, Any], now: dict[str, Any]) -> bool:
    """Both are read by the same query, so values compare as they are (the store holds no NaN)."""
    return before != now


def last_change(con: duckdb.DuckDBPyConnection, table: str, row_id: int) -> tuple[str, str]:
    """Who last changed a row and when (a batch that wrote it, or the undo of one), as the log says."""
    rows = (
        con.cursor()
        .execute(
            """SELECT b.user_name, b.created_at, b.undone_by, b.undone_at FROM import_changes c
           JOIN import_batches b ON b.id = c.batch_id WHERE c.table_name = ? AND c.row_id = ?""",
            [table, row_id],
        )
        .fetchall()
    )
    moments = [(at, who) for user, made, undoer, undone in rows for at, who in ((made, user), (undone, undoer)) if at]
    if not moments:
        return "?", "?"
    at, who = max(moments)
    return str(who), at.strftime("%Y-%m-%d %H:%M") if isinstance(at, dt.datetime) else str(at)


def save(con: duckdb.DuckDBPyConnection, planned: Save, user: str) -> int | None:
    """Commit a clean save as one batch; refuse (raising :class:`EditConflict`) if a row changed since it was read.

    The check runs inside the write transaction, so an editor on another app server who saved
    the same row a moment earlier is seen there, and nothing of this save is written.
    """
    if not planned.ok:
        raise batches.ImportRejected(f"{planned.plan.filename} has problems; nothing was changed")

    def unchanged_since(cur: duckdb.DuckDBPyConnection) -> None:
        found = conflicts(_Cursor(cur), planned.plan.table, planned)
        if found:
            raise EditConflict(found)

    try:  # a row changed since the plan shows inside the transaction, or as a plan gone stale: both say who
        return batches.commit(con, planned.plan, user, guard=unchanged_since)
    except batches.StalePreview:
        found = conflicts(con, planned.plan.table, planned)
        raise EditConflict(found) if found else batches.StalePreview("the data changed; save again") from None


class _Cursor:
    """A transaction's cursor where a connection is expected: reads see the transaction's own state."""

    def __init__(self, cur: duckdb.DuckDBPyConnection):
        self._cur = cur

    def cursor(self) -> duckdb.DuckDBPyConnection:
        return self._cur


def _cell(value: Any) -> str:
    """A grid cell as the text a file would hold (a cleared cell is empty, a tick is true or false)."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _csv(names: list[str], rows: list[dict[str, Any]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow([_cell(row.get(n)) for n in names])
    return buf.getvalue().encode("utf-8")


def subset(
    con: duckdb.DuckDBPyConnection, table: str, partnership_ids: list[int], search: str = "",
    homes: tuple[int, ...] = (),
) -> list[int]:  # fmt: skip
    """The ids a grid opens on: a partnership's rows (or the partnerships themselves), narrowed by a search.

    ``homes``: a user limited to these home cities opens only their partnerships' rows.
    """
    spec = TABLES[table]
    text = f"%{search.strip()}%"
    where, params = _scope(spec, partnership_ids)
    if homes and scopes.own_rows(spec):
        where.append(scopes.own_rows(spec))
        params.append(list(homes))
    if search.strip():
        named = {r.city for r in spec.cities} | (set(PARTNER_COLUMNS) if spec.partnership else set())
        columns = [f"t.{c.db_column}" for c in spec.columns if c.kind == "text" and c.stored and c.name not in named]
        columns += [f"{alias}.{c}" for alias in _city_aliases(spec) for c in ("name", "local_name")]
        where.append("(" + " OR ".join(f"{c} ILIKE ?" for c in columns) + ")")
        params += [text] * len(columns)
    sql = f"SELECT t.id FROM {spec.name} t {_city_joins(spec)} {'WHERE ' + ' AND '.join(where) if where else ''}"
    return [int(i) for (i,) in con.cursor().execute(f"{sql} ORDER BY t.id LIMIT {MAX_ROWS + 1}", params).fetchall()]


def _scope(spec: TableSpec, partnership_ids: list[int]) -> tuple[list[str], list[Any]]:
    if not partnership_ids:
        return [], []
    if spec.name == "partnerships":
        return ["t.id IN (SELECT unnest(?))"], [list(partnership_ids)]
    if spec.partnership:
        return ["t.partnership_id IN (SELECT unnest(?))"], [list(partnership_ids)]
    if spec.name == "cities":
        return [
            "t.id IN (SELECT home_city_id FROM partnerships WHERE id IN (SELECT unnest(?)) "
            "UNION SELECT partner_city_id FROM partnerships WHERE id IN (SELECT unnest(?)))"
        ], [list(partnership_ids)] * 2
    return [], []


def _city_aliases(spec: TableSpec) -> list[str]:
    if spec.name == "cities":
        return ["t"]
    return [f"c{i}" for i in range(len(spec.cities))] + (["ph", "pc"] if spec.partnership else [])


def _city_joins(spec: TableSpec) -> str:
    """Joins that name a row's cities, so a search finds a partnership or an event by its partner's name."""
    if spec.name == "cities":
        return ""
    joins = [f"LEFT JOIN cities c{i} ON c{i}.id = t.{ref.db}" for i, ref in enumerate(spec.cities)]
    if spec.partnership:
        joins.append(
            "LEFT JOIN partnerships p ON p.id = t.partnership_id LEFT JOIN cities ph ON ph.id = p.home_city_id "
            "LEFT JOIN cities pc ON pc.id = p.partner_city_id"
        )
    return " ".join(joins)
