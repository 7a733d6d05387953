"""A record's history, read from the change log: who changed which field and when, old value to new.

Every write goes through a batch (an import, a form, a grid's save), and the batch's log keeps
each row's previous values, so the history of a row is the chain of those values ending in the
row as it is now. Undone batches are listed as undone; their values were put back.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import duckdb

from twinmap.store.schema import SEQUENCES


@dataclass
class Entry:
    """One batch's write to the row: what it did, who and when, and the fields it changed."""

    batch: int
    action: str  # insert, update or delete
    source: str  # the batch's file name: "form: stage", "edit: events" or an uploaded file
    user: str
    when: dt.datetime
    status: str  # committed or undone
    undone_by: str | None = None
    undone_at: dt.datetime | None = None
    fields: list[tuple[str, Any, Any]] = field(default_factory=list)  # (column, old, new)
    states: tuple[dict | None, dict | None] = (None, None)  # the whole row before and after (dates' precisions)


@dataclass
class History:
    """A row's history and the names of the cities and partnerships its values refer to (to show them)."""

    table: str
    entries: list[Entry]
    city_names: dict[int, str]
    partnership_cities: dict[int, tuple[int, int]]


def record(con: duckdb.DuckDBPyConnection, table: str, row_id: int) -> History:
    """The history of one row of a table, oldest first; an insert is one line, a change one line per field."""
    if table not in SEQUENCES:  # only the store's own tables are put into SQL
        raise ValueError(f"no table {table!r}")
    cur = con.cursor()
    log = cur.execute(
        """SELECT c.batch_id, c.action, c.before, b.file_name, b.user_name, b.created_at, b.status, b.undone_by,
                  b.undone_at, c.after
           FROM import_changes c JOIN import_batches b ON b.id = c.batch_id
           WHERE c.table_name = ? AND c.row_id = ? ORDER BY c.batch_id, c.seq""",
        [table, row_id],
    ).fetchall()
    now = cur.execute(f"SELECT * FROM {table} WHERE id = ?", [row_id]).fetch_arrow_table().to_pylist()
    entries = [Entry(b, a, f, u, w, s, ub, ua) for b, a, _before, f, u, w, s, ub, ua, _after in log]
    befores = [_plain(json.loads(before)) if before else None for (_b, _a, before, *_rest) in log]
    committed = [i for i, e in enumerate(entries) if e.status == "committed"]
    for n, i in enumerate(committed):  # each write's values after it: the next write's "before", or the row now
        after = befores[committed[n + 1]] if n + 1 < len(committed) else (_plain(now[0]) if now else None)
        entries[i].fields = _diff(befores[i], after) if entries[i].action != "insert" else []
        entries[i].states = (befores[i], after)
    for i, (*_rest, kept) in enumerate(log):  # an undone change: the values it had left, kept by the undo
        if entries[i].status != "committed" and entries[i].action == "update" and kept:
            after = _plain(json.loads(kept))
            entries[i].fields = _diff(befores[i], after)
            entries[i].states = (befores[i], after)
    return History(table, entries, *_names(cur, entries))


def _names(cur: duckdb.DuckDBPyConnection, entries: list[Entry]) -> tuple[dict, dict]:
    """The cities (and partnerships' cities) the history's values name."""
    values = [v for e in entries for c, old, new in e.fields for v in (old, new) if c.endswith("_id") and v]
    pairs = dict(
        (int(i), (int(h), int(p)))
        for i, h, p in cur.execute(
            "SELECT id, home_city_id, partner_city_id FROM partnerships WHERE id IN (SELECT unnest(?))",
            [[int(v) for v in values]],
        ).fetchall()
    )
    cities = {int(v) for v in values} | {c for pair in pairs.values() for c in pair}
    sql = "SELECT id, name FROM city_names WHERE id IN (SELECT unnest(?))"  # namesakes told apart
    names = dict(cur.execute(sql, [sorted(cities)]).fetchall())
    return names, pairs


def _diff(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[tuple[str, Any, Any]]:
    columns = [c for c in (after or before or {}) if c != "id"]
    return [
        (c, (before or {}).get(c), (after or {}).get(c))
        for c in columns
        if (before or {}).get(c) != (after or {}).get(c)
    ]


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    """A row as the log stores it (dates as ISO text), so a stored row and a logged one compare."""
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in row.items()}


@dataclass
class Undo:
    """What undoing a batch does, read before anyone confirms it: counts per table, and the rows of a small one."""

    counts: dict[tuple[str, str], int]  # (table, insert/update/delete) -> rows
    rows: list[tuple[str, str, dict[str, Any]]]  # (table, action, the row as it is now or as it was deleted)
    city_names: dict[int, str]
    partnership_cities: dict[int, tuple[int, int]]
    withheld: int = 0  # rows of other home cities, counted but not shown to a reader limited to some


def undo_preview(
    con: duckdb.DuckDBPyConnection, batch: int, homes: tuple[int, ...] | None = None, limit: int = 20
) -> Undo:
    """What undoing ``batch`` would remove, restore and bring back; the rows themselves when at most ``limit``.

    ``homes``: a reader limited to these home cities sees only the rows that are theirs or
    shared (cities, ties, indicators), as the exports give them; another city's partnership,
    its events and contacts, its organisations are counted, never named. Any staff member may
    open any past import, and a partnership still in talks is its city's alone.
    """
    cur = con.cursor()
    counts = {(t, a): int(n) for t, a, n in cur.execute(
        "SELECT table_name, action, count(*) FROM import_changes WHERE batch_id = ? GROUP BY ALL ORDER BY ALL",
        [batch]).fetchall()}  # fmt: skip
    rows: list[tuple[str, str, dict[str, Any]]] = []
    if sum(counts.values()) <= limit:
        log = cur.execute("SELECT table_name, row_id, action, before FROM import_changes WHERE batch_id = ? "
                          "ORDER BY seq", [batch]).fetchall()  # fmt: skip
        for table, row_id, action, before in log:
            if table not in SEQUENCES:
                continue
            now = cur.execute(f"SELECT * FROM {table} WHERE id = ?", [row_id]).fetch_arrow_table().to_pylist()
            values = _plain(json.loads(before)) if action == "delete" and before else (_plain(now[0]) if now else {})
            rows.append((table, action, {"id": row_id, **values}))
    withheld = 0
    if homes is not None and rows:
        owner = _owners(cur, rows)
        shown = [r for r in rows if owner(r) in (None, *homes)]
        withheld, rows = len(rows) - len(shown), shown
    ids = [v for _t, _a, r in rows for k, v in r.items() if k.endswith("city_id") or k == "partnership_id"]
    names, pairs = _names(cur, [Entry(0, "", "", "", dt.datetime.min, "", fields=[("x_id", v, None) for v in ids])])
    return Undo(counts, rows, names, pairs, withheld)


def _owners(cur: duckdb.DuckDBPyConnection, rows: list[tuple[str, str, dict[str, Any]]]) -> Callable:
    """Whose each logged row is: its home city (a partnership, a city's record), its partnership's, or None (shared).

    A partnership the same batch deleted is found in the batch's own rows; one found nowhere
    makes its rows no one's to show (-1), never everyone's.
    """
    homes = {int(r["id"]): int(r["home_city_id"]) for t, _a, r in rows if t == "partnerships" and r.get("home_city_id")}
    wanted = sorted({int(r["partnership_id"]) for _t, _a, r in rows if r.get("partnership_id")} - set(homes))
    homes |= dict(cur.execute("SELECT id, home_city_id FROM partnerships WHERE id IN (SELECT unnest(?))",
                              [wanted]).fetchall())  # fmt: skip

    def owner(row: tuple[str, str, dict[str, Any]]) -> int | None:
        values = row[2]
        if len(values) <= 1:  # the row is gone and its log kept nothing: whose it was is unknown
            return -1
        if values.get("home_city_id") is not None:
            return int(values["home_city_id"])
        if values.get("partnership_id") is not None:
            return homes.get(int(values["partnership_id"]), -1)
        return None

    return owner
