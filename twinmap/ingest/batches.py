"""Commit a validated import as one recorded batch, list past batches, and undo one exactly.

A commit re-plans the file inside the write lock, so two people importing at the same moment
are serialised and neither is lost, and a preview that has gone stale is refused rather than
applied. Every inserted row and the full previous values of every updated row are logged, so
an undo restores exactly what was there.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from twinmap.core import config
from twinmap.core.reference import N_, PRIVATE_STATUSES, Explained
from twinmap.ingest import scopes
from twinmap.ingest.importer import Change, Plan, plan_import
from twinmap.ingest.specs import ATTACHMENTS, LOGGED, TABLES, references
from twinmap.store import db

log = logging.getLogger("twinmap.import")

# Which columns refer to a row of each table (an undo may not orphan them).
_REFERENCES = references()


class ImportRejected(ValueError):
    """The file has problems; nothing was changed."""


class CommitFailed(Explained):
    """The database refused a commit the preview passed; the transaction was rolled back."""


class StalePreview(RuntimeError):
    """The database changed between preview and commit; preview again."""


class UndoRefused(Explained):
    """The batch cannot be undone (the message says why and what to do)."""


class DeleteRefused(Explained):
    """Rows to delete are still referred to (a partnership's events...); nothing was changed."""


def commit(
    con: duckdb.DuckDBPyConnection,
    plan: Plan,
    user: str,
    record_stages: bool = True,
    skip_invalid: bool = False,
    guard: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
) -> int | None:
    """Apply a clean plan in one transaction; return the batch id (None when nothing changes).

    By default a file with any problem changes nothing. Staff may ask for ``skip_invalid``: then
    the valid rows are committed and the rows with problems are left out (the batch counts them;
    :meth:`~twinmap.ingest.importer.Plan.rejects_csv` gives them back with their reasons), as long
    as every problem belongs to a row, not to the file or its header.

    A partnership whose stage changes (or that is created in a pre-agreement stage) gets a
    stage-history row dated today in the same batch, so the pipeline knows when each stage
    began and an undo takes the history back too. Loading historical files passes
    ``record_stages=False``: their stage dates are not today.

    ``guard`` runs inside the write transaction, after every other writer (another app server
    too) has finished and before anything is written: a grid's save checks there that no row it
    read has changed since, and raises to write nothing.
    """

    def acceptable(p: Plan) -> bool:
        return p.ok or (skip_invalid and p.can_skip)

    if not acceptable(plan):
        raise ImportRejected(f"{plan.filename} has {len(plan.errors)} problem(s); nothing was changed")
    with db.write_lock(con):
        for _attempt in range(5):
            # Nothing written since the preview (the data version is the same): the preview is the plan.
            # Otherwise plan again against what is there now and refuse if that differs.
            unchanged = plan.version is not None and plan.version == db.data_version(con)
            fresh = plan if unchanged else _again(con, plan)
            if not acceptable(fresh) or fresh.fingerprint() != plan.fingerprint():
                raise StalePreview("the data changed since this preview was made: check the preview again, then commit")
            if not fresh.has_changes:
                return None
            try:
                return _write(con, fresh, user, record_stages, guard)
            except _Moved:
                continue
        raise StalePreview("the data kept changing while this import waited to commit: commit again")


def _write(
    con: duckdb.DuckDBPyConnection, plan: Plan, user: str, record_stages: bool,
    guard: Callable[[duckdb.DuckDBPyConnection], None] | None,
) -> int:  # fmt: skip
    """One attempt at the write transaction; :class:`_Moved` when another writer committed since the plan."""
    try:
        with db.write_transaction(con) as cur:
            if plan.version is not None and db.version_in(cur) != plan.version:
                raise _Moved  # another writer (another app server too) committed since: plan again
            _within_scope(cur, plan)
            if guard is not None:
                guard(cur)
            return _apply(cur, plan, user, record_stages)
    except scopes.OutsideScope as err:
        raise CommitFailed(err.msgid, **err.values) from None
    except duckdb.Error as err:  # the preview checks every constraint; this is the last guard
        _refused(con, err, f"import of {plan.filename}", len(plan.data) * 3)
        raise CommitFailed(
            N_("the database refused this import ({why}); nothing was changed"), why=type(err).__name__
        ) from None


def _refused(con: duckdb.DuckDBPyConnection, err: duckdb.Error, what: str, need: int = 0) -> None:
    """Say why the store refused a write: a full disk in its own words (raised), else one line in the log.

    One line, never a traceback: the command line prints the refusal itself, and the server log
    keeps the error's kind and text (its traceback only at debug level).
    """
    full = db.write_failure(con, err, need)
    if full is not None:
        raise full from None
    log.error("%s refused by the database: %s: %s", what, type(err).__name__, str(err).splitlines()[0][:300])
    log.debug("the refusal in full", exc_info=err)


class _Moved(Exception):
    """The store's data version moved between planning and the write transaction."""


def commit_parts(
    con: duckdb.DuckDBPyConnection, plans: list[Plan], user: str, skip_invalid: bool = False
) -> list[int | None]:
    """Commit every part of a file (a pair list has two), each as its own batch; all or nothing.

    No part is committed unless every part can be (clean, or with ``skip_invalid`` only rows'
    problems): a refused part refuses the file. Returns each part's batch (None: nothing to change).
    """
    if not all(p.ok or (skip_invalid and p.can_skip) for p in plans):
        refused = next(p for p in plans if not (p.ok or (skip_invalid and p.can_skip)))
        raise ImportRejected(f"{refused.filename} has {len(refused.errors)} problem(s); nothing was changed")
    return [commit(con, plan, user, skip_invalid=skip_invalid and not plan.ok) for plan in plans]


def commit_rows(
    con: duckdb.DuckDBPyConnection, table: str, rows: pa.Table | None, deleted: list[int], source: tuple[str, str],
    user: str, writer: scopes.Writer = None, before: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
    need: int = 0,
) -> int:  # fmt: skip
    """Insert ``rows`` into ``table`` and delete the rows ``deleted`` names, as one batch that an undo reverses.

    For writes that are not a template's file (attachments): ``source`` is the (name, hash) the
    history shows. The writer's home cities are checked inside the transaction against every row
    written or deleted; ``before`` runs there first (it stores what the rows refer to). ``need``
    is about how many bytes the write takes, for the words of a full disk.
    """
    _check_table(table)
    try:
        with db.write_transaction(con) as cur:
            found = cur.execute(f"SELECT * FROM {table} WHERE id IN (SELECT unnest(?)) ORDER BY id", [deleted])
            held = [json.loads(json.dumps(r, default=_json)) for r in found.fetch_arrow_table().to_pylist()]
            f = scopes.fence(cur, writer)
            if f is not None:
                written = rows.to_pylist() if rows is not None else []
                scopes.refuse(f, table, scopes.row_values(table, written + held), _city_names(cur, f))
            if before is not None:
                before(cur)
            (batch,) = db.next_ids(cur, "import_batches", 1)
            added = rows.num_rows if rows is not None else 0
            cur.execute(
                """INSERT INTO import_batches (id, table_name, file_name, file_hash, user_name, rows_read, inserted,
                                               updated, unchanged, cities_created, skipped, deleted)
                   VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, ?)""",
                [batch, table, source[0], source[1], user, added + len(held), added, len(held)],
            )  # fmt: skip
            log = _Log()
            _insert(cur, table, rows, log)
            if held:
                cur.execute(f"DELETE FROM {table} WHERE id IN (SELECT unnest(?))", [[r["id"] for r in held]])
                log.deletes(table, [(r["id"], json.dumps(r)) for r in held])
            log.write(cur, batch)
            return batch
    except scopes.OutsideScope as err:
        raise CommitFailed(err.msgid, **err.values) from None
    except duckdb.Error as err:
        _refused(con, err, f"change of {table} ({source[0]})", need)
        raise CommitFailed(
            N_("the database refused this change ({why}); nothing was changed"), why=type(err).__name__
        ) from None


def _city_names(cur: duckdb.DuckDBPyConnection, f: scopes.Fence) -> dict[int, str]:
    """The names of the home cities a refusal may name."""
    return dict(cur.execute("SELECT id, name FROM city_names WHERE id IN (SELECT unnest(?))",
                            [sorted(f.others | f.homes)]).fetchall())  # fmt: skip


def _within_scope(cur: duckdb.DuckDBPyConnection, plan: Plan) -> None:
    """The last guard: every row the plan writes, as it is held and as it will be, inside the writer's home cities.

    The planner has already made each such row a problem; this runs inside the write
    transaction with the writer's role and home cities as they are now.
    """
    f = scopes.fence(cur, plan.writer)
    if f is None:
        return
    names = _city_names(cur, f)
    new = plan.new_table
    if new is not None and new.num_rows:
        given = {c: scopes.ints(new[c] if c in new.column_names else None, new.num_rows) for c in scopes.columns(
            plan.table)}  # fmt: skip
        scopes.refuse(f, plan.table, given, names)
    rows = [c.before for c in plan.changed] + [{**c.before, **c.after} for c in plan.changed]
    rows += [c.before for c in plan.deleted]
    if rows:
        scopes.refuse(f, plan.table, scopes.row_values(plan.table, rows), names)
    elif f.refused:
        scopes.refuse(f, plan.table, {}, names)


def _again(con: duckdb.DuckDBPyConnection, plan: Plan) -> Plan:
    """The same file planned against the store as it is now (rows to delete carried over, re-read)."""
    fresh = plan_import(con, plan.data, plan.filename, plan.table, plan.mapping, plan.part, plan.blank_clears,
                        plan.writer)  # fmt: skip
    if plan.deleted:
        ids = [c.id for c in plan.deleted]
        fresh.deleted = [Change(r["id"], r, {}, c.row) for c, r in zip(plan.deleted, held_rows(con, plan.table, ids),
                                                                          strict=False)]  # fmt: skip
    return fresh


def held_rows(con: duckdb.DuckDBPyConnection, table: str, ids: list[int]) -> list[dict[str, Any]]:
    """The stored rows of ``table`` with these ids, in that order (a missing id is left out)."""
    _check_table(table)
    found = con.cursor().execute(f"SELECT * FROM {table} WHERE id IN (SELECT unnest(?))", [ids]).fetch_arrow_table()
    by_id = {r["id"]: r for r in found.to_pylist()}
    return [by_id[i] for i in ids if i in by_id]


def _apply(cur: duckdb.DuckDBPyConnection, plan: Plan, user: str, record_stages: bool = True) -> int:
    cities = plan.cities_to_create
    skipped = len(plan.skipped_rows) if plan.errors else 0
    (batch,) = db.next_ids(cur, "import_batches", 1)  # no RETURNING: PostgreSQL through DuckDB lacks it
    cur.execute(
        """INSERT INTO import_batches (id, table_name, file_name, file_hash, user_name, rows_read, inserted, updated,
                                       unchanged, cities_created, skipped, deleted)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [batch, plan.table, plan.filename, plan.file_hash, user, plan.rows_read, plan.new_count, len(plan.changed),
         plan.unchanged, len(cities), skipped, len(plan.deleted)],
    )  # fmt: skip
    log = _Log()
    created = _insert(cur, "cities", pa.Table.from_pylist(cities) if cities else None, log)
    city_ids = {c["id"]: int(i) for c, i in zip(cities, created, strict=True)}
    ids = _insert(cur, plan.table, _with_cities(plan.new_table, city_ids), log)
    changes = [(c.id, {k: city_ids.get(v, v) if k.endswith("city_id") else v for k, v in c.after.items()})
               for c in plan.changed]  # fmt: skip
    _update(cur, plan.table, changes)
    log.updates(plan.table, [(c.id, json.dumps(c.before, default=_json)) for c in plan.changed])
    spellings = plan.spellings_to_add
    _update(cur, "cities", [(c.id, c.after) for c in spellings])
    log.updates("cities", [(c.id, json.dumps(c.before, default=_json)) for c in spellings])
    _delete(cur, plan, log)
    if plan.table == "partnerships" and record_stages:
        _record_stages(cur, batch, plan, ids, log)
    log.write(cur, batch)
    return batch


def _delete(cur: duckdb.DuckDBPyConnection, plan: Plan, log: _Log) -> None:
    """Delete the rows a grid removed, each kept whole in the log so that an undo brings it back."""
    if not plan.deleted:
        return
    _check_table(plan.table)
    used = dependents(cur, plan.table, [c.id for c in plan.deleted])
    if used:
        raise DeleteRefused(N_("rows that other rows refer to cannot be deleted: {rows}"), rows="; ".join(used))
    ids = [c.id for c in plan.deleted]
    for owned in TABLES[plan.table].owns:  # a partnership's stage history goes with it
        column = next(c for t, c in _REFERENCES[plan.table] if t == owned)
        rows = cur.execute(f"SELECT * FROM {owned} WHERE {column} IN (SELECT unnest(?)) ORDER BY id", [ids])
        kept = rows.fetch_arrow_table().to_pylist()
        cur.execute(f"DELETE FROM {owned} WHERE {column} IN (SELECT unnest(?))", [ids])
        log.deletes(owned, [(r["id"], json.dumps(r, default=_json)) for r in kept])
    cur.execute(f"DELETE FROM {plan.table} WHERE id IN (SELECT unnest(?))", [ids])
    log.deletes(plan.table, [(c.id, json.dumps(c.before, default=_json)) for c in plan.deleted])


def dependents(cur: duckdb.DuckDBPyConnection, table: str, ids: list[int]) -> list[str]:
    """What refers to these rows (a partnership's events, contacts...) but its own, as "#id: n table"."""
    found = []
    for ref_table, column in _REFERENCES.get(table, ()):
        if table in TABLES and ref_table in TABLES[table].owns:
            continue
        _check_table(ref_table)
        rows = cur.execute(
            f"SELECT {column}, count(*) FROM {ref_table} WHERE {column} IN (SELECT unnest(?)) GROUP BY 1 ORDER BY 1",
            [ids],
        ).fetchall()
        found += [f"#{i}: {n} {ref_table}" for i, n in rows]
    return found


class _Log:
    """A batch's change log, built a table at a time and written in one insert.

    Row by row an insert into the log costs a millisecond each (20 s for 20,000 rows); a
    million inserted ids go in as one column.
    """

    def __init__(self) -> None:
        self.parts: list[pa.Table] = []
        self.seq = 0

    def _add(self, table: str, action: str, ids: np.ndarray, before: list[str | None]) -> None:
        n = len(ids)
        self.parts.append(
            pa.table({"seq": np.arange(self.seq, self.seq + n, dtype=np.int64), "table_name": [table] * n,
                      "row_id": pa.array(ids, pa.int64()), "action": [action] * n,
                      "before": pa.array(before, pa.string())})
        )  # fmt: skip
        self.seq += n

    def inserts(self, table: str, ids: np.ndarray) -> None:
        """Rows the batch inserted (an undo deletes them)."""
        if len(ids):
            self._add(table, "insert", ids, [None] * len(ids))

    def updates(self, table: str, rows: list[tuple[int, str]]) -> None:
        """Rows the batch changed, each with its full previous values as JSON (an undo restores them)."""
        if rows:
            self._add(table, "update", np.array([i for i, _ in rows], dtype=np.int64), [b for _, b in rows])

    def deletes(self, table: str, rows: list[tuple[int, str]]) -> None:
        """Rows the batch deleted, each with all its values as JSON (an undo inserts them again)."""
        if rows:
            self._add(table, "delete", np.array([i for i, _ in rows], dtype=np.int64), [b for _, b in rows])

    def write(self, cur: duckdb.DuckDBPyConnection, batch: int) -> None:
        """The whole log in one insert."""
        if not self.parts:
            return
        with _registered(cur, "_import_log", pa.concat_tables(self.parts)):
            cur.execute(
                """INSERT INTO import_changes (batch_id, seq, table_name, row_id, action, before)
                   SELECT ?, seq, table_name, row_id, action, before FROM _import_log""",
                [batch],
            )


def _with_cities(table: pa.Table | None, city_ids: dict[int, int]) -> pa.Table | None:
    """The rows with the cities this batch creates given their new ids (the plan numbers them -1, -2...)."""
    if table is None or not city_ids:
        return table
    planned = np.zeros(max(-k for k in city_ids) + 1, dtype=np.int64)
    for temp, real in city_ids.items():
        planned[-temp] = real
    for i, name in enumerate(table.column_names):
        if name.endswith("city_id"):
            column = table[name].combine_chunks()
            values = column.cast(pa.int64()).fill_null(0).to_numpy().copy()
            temp = values < 0
            values[temp] = planned[-values[temp]]
            missing = ~pc.is_valid(column).to_numpy(zero_copy_only=False)
            table = table.set_column(i, name, pa.array(values, pa.int64(), mask=missing))
    return table


def _update(cur: duckdb.DuckDBPyConnection, table: str, changes: list[tuple[int, dict[str, Any]]]) -> None:
    """Changed rows set in one statement per set of changed columns, not one UPDATE per row."""
    by_columns: dict[tuple[str, ...], list[tuple[int, dict[str, Any]]]] = {}
    for row_id, after in changes:
        by_columns.setdefault(tuple(after), []).append((row_id, after))
    types = _column_types(cur, table) if by_columns else {}
    for columns, rows in by_columns.items():
        values = pa.table({"id": pa.array([i for i, _ in rows], pa.int64()),
                           **{c: pa.array([after[c] for _, after in rows]) for c in columns}})  # fmt: skip
        _set_from(cur, table, values, columns, types)


def _set_from(
    cur: duckdb.DuckDBPyConnection, table: str, values: pa.Table, columns: tuple[str, ...], types: dict[str, str]
) -> None:
    """``UPDATE table SET c = v.c ... FROM values v WHERE table.id = v.id``, each value cast to its column's type."""
    _check_table(table)
    unknown = [c for c in columns if c not in types]
    if unknown:
        raise ValueError(f"{table} has no column {unknown[0]!r}")
    sets = ", ".join(f"{c} = CAST(_import_set.{c} AS {types[c]})" for c in columns)
    with _registered(cur, "_import_set", values):
        cur.execute(f"UPDATE {table} SET {sets} FROM _import_set WHERE {table}.id = _import_set.id")


@contextmanager
def _registered(cur: duckdb.DuckDBPyConnection, name: str, rows: pa.Table) -> Iterator[None]:
    """An Arrow table readable in SQL under ``name`` for one statement's time (every bulk write goes this way)."""
    cur.register(name, rows)
    try:
        yield
    finally:
        cur.unregister(name)


def _column_types(cur: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    return dict(
        cur.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? "
            "AND table_catalog = current_database() AND table_schema = current_schema()",
            [table],
        ).fetchall()
    )


def _record_stages(cur: duckdb.DuckDBPyConnection, batch: int, plan: Plan, ids: np.ndarray, log: _Log) -> None:
    """Stage-history rows for the stage changes of a partnerships import, dated today."""
    today = config.today()
    has_status = plan.new_count and "status" in plan.new_table.column_names
    statuses = plan.new_table["status"].to_pylist() if has_status else [None] * len(ids)
    entered = [(int(i), s) for i, s in zip(ids, statuses, strict=True) if s in PRIVATE_STATUSES]
    entered += [(c.id, c.after["status"]) for c in plan.changed if "status" in c.after]
    source = f"import #{batch}"
    rows = [
        {"partnership_id": i, "status": s, "entered_on": today, "entered_precision": "day", "source": source}
        for i, s in entered
    ]
    _insert(cur, "stages", pa.Table.from_pylist(rows) if rows else None, log)


def _insert(cur: duckdb.DuckDBPyConnection, table: str, rows: pa.Table | None, log: _Log) -> np.ndarray:
    """Insert rows in one statement with ids from the table's sequence; log the inserts."""
    if rows is None or rows.num_rows == 0:
        return np.zeros(0, dtype=np.int64)
    ids = np.asarray(db.next_ids(cur, table, rows.num_rows), dtype=np.int64)
    rows = rows.drop_columns([c for c in ("id",) if c in rows.column_names]).append_column("id", pa.array(ids))
    cols = ", ".join(rows.column_names)
    with _registered(cur, "_import_rows", rows):
        cur.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _import_rows")
    log.inserts(table, ids)
    return ids


def _json(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if hasattr(value, "tolist"):
        return value.tolist()
    return str(value)


def history(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Past batches, newest first."""
    return con.cursor().execute("SELECT * FROM import_batches ORDER BY id DESC").df()


def undo(con: duckdb.DuckDBPyConnection, batch: int, user: str, writer: scopes.Writer = None) -> None:
    """Undo one batch: delete what it inserted and restore what it updated, in one transaction.

    ``writer`` is the user whose rights apply (None: not limited): a batch that touched rows
    outside their home cities is refused whole.
    """
    try:
        _undo(con, batch, user, writer)
    except duckdb.Error as err:
        _refused(con, err, f"undo of import #{batch}")
        raise CommitFailed(
            N_("the database refused this undo ({why}); nothing was changed"), why=type(err).__name__
        ) from None


def _undo(con: duckdb.DuckDBPyConnection, batch: int, user: str, writer: scopes.Writer) -> None:
    with db.write_transaction(con) as cur:
        row = cur.execute("SELECT status FROM import_batches WHERE id = ?", [batch]).fetchone()
        if row is None:
            raise UndoRefused(N_("there is no import #{batch}"), batch=batch)
        if row[0] != "committed":
            raise UndoRefused(N_("import #{batch} was already undone"), batch=batch)
        _undo_within_scope(cur, batch, writer)
        _check_later_batches(cur, batch)
        _check_references(cur, batch)
        updates = cur.execute(
            """SELECT table_name, row_id, before FROM import_changes
               WHERE batch_id = ? AND action = 'update' ORDER BY seq""",
            [batch],
        ).fetchall()
        _keep_after(cur, batch, {table for table, _row, _before in updates})
        _restore(cur, updates)
        # Inserts go in one statement per table, the last-filled table first (events before the
        # cities they refer to): a million rows in seconds, not one DELETE each.
        tables = cur.execute(
            """SELECT table_name FROM import_changes WHERE batch_id = ? AND action = 'insert'
               GROUP BY table_name ORDER BY max(seq) DESC""",
            [batch],
        ).fetchall()
        for (table,) in tables:
            _check_table(table)
            cur.execute(
                f"""DELETE FROM {table} WHERE id IN (SELECT row_id FROM import_changes
                    WHERE batch_id = ? AND table_name = ? AND action = 'insert')""",
                [batch, table],
            )
        deleted = cur.execute(
            """SELECT table_name, row_id, before FROM import_changes
               WHERE batch_id = ? AND action = 'delete' ORDER BY seq""",
            [batch],
        ).fetchall()
        _reinsert(cur, deleted)
        cur.execute(
            "UPDATE import_batches SET status = 'undone', undone_at = current_timestamp, undone_by = ? WHERE id = ?",
            [user, batch],
        )
        if any(table == ATTACHMENTS for (table,) in tables):
            _drop_unused_files(cur)


def _drop_unused_files(cur: duckdb.DuckDBPyConnection) -> None:
    """Remove the bytes of files no attachment holds and no committed batch's deletion may bring back.

    An undone attachment takes its file with it (a photo attached by mistake leaves the store);
    a deleted one keeps its bytes while the deletion can be undone.
    """
    cur.execute(
        """DELETE FROM attachment_files WHERE sha256 NOT IN (SELECT sha256 FROM attachments)
             AND sha256 NOT IN (SELECT json_extract_string(c.before, '$.sha256') FROM import_changes c
                                JOIN import_batches b ON b.id = c.batch_id AND b.status = 'committed'
                                WHERE c.table_name = 'attachments' AND c.action = 'delete')"""
    )


def _undo_within_scope(cur: duckdb.DuckDBPyConnection, batch: int, writer: scopes.Writer) -> None:
    """Refuse to undo a batch that touched a row outside the writer's home cities (as it is now, or was before)."""
    f = scopes.fence(cur, writer)
    if f is None:
        return
    if f.refused:
        raise UndoRefused(f.refused[0], **f.refused[1])
    tables = cur.execute("SELECT DISTINCT table_name FROM import_changes WHERE batch_id = ?", [batch]).fetchall()
    for (table,) in tables:
        _check_table(table)
        wanted = scopes.columns(table)
        now = cur.execute(
            f"""SELECT {", ".join(wanted)} FROM {table} WHERE id IN (SELECT row_id FROM import_changes
                WHERE batch_id = ? AND table_name = ? AND action IN ('insert', 'update'))""",
            [batch, table],
        ).fetch_arrow_table()
        before = cur.execute(
            "SELECT before FROM import_changes WHERE batch_id = ? AND table_name = ? AND before IS NOT NULL",
            [batch, table],
        ).fetchall()
        for values in ({c: scopes.ints(now[c], now.num_rows) for c in wanted},
                       scopes.row_values(table, [json.loads(b) for (b,) in before])):  # fmt: skip
            city, _column = scopes.outside(f, table, values) if len(next(iter(values.values()))) else ((), ())
            bad = [int(c) for c in city if c]
            if bad:
                found = cur.execute("SELECT name FROM city_names WHERE id = ?", [bad[0]]).fetchone()
                name = found[0] if found else f"#{bad[0]}"
                raise UndoRefused(
                    N_("import #{batch} changed rows of {city}, outside your home cities ({homes}): an admin or a "
                       "user of {city} can undo it"),
                    batch=batch, city=name, homes=f.names,
                )  # fmt: skip


def _check_later_batches(cur: duckdb.DuckDBPyConnection, batch: int) -> None:
    later = cur.execute(
        """SELECT DISTINCT l.batch_id FROM import_changes c
           JOIN import_changes l ON l.table_name = c.table_name AND l.row_id = c.row_id AND l.batch_id > c.batch_id
           JOIN import_batches b ON b.id = l.batch_id AND b.status = 'committed'
           WHERE c.batch_id = ? ORDER BY 1 DESC""",
        [batch],
    ).fetchall()
    if later:
        newer = ", ".join(f"#{b}" for (b,) in later)
        raise UndoRefused(
            N_("later import(s) {newer} changed the same rows: undo those first, newest first"), newer=newer
        )


def _check_references(cur: duckdb.DuckDBPyConnection, batch: int) -> None:
    """Refuse when rows added since refer to rows this batch inserted (they would be left dangling)."""
    tables = cur.execute(
        "SELECT DISTINCT table_name FROM import_changes WHERE batch_id = ? AND action = 'insert'", [batch]
    ).fetchall()
    for (table,) in tables:
        for ref_table, column in _REFERENCES.get(table, ()):
            used = cur.execute(
                f"""SELECT count(*) FROM {ref_table}
                    WHERE {column} IN (SELECT row_id FROM import_changes
                                       WHERE batch_id = $b AND table_name = $t AND action = 'insert')
                      AND id NOT IN (SELECT row_id FROM import_changes
                                     WHERE batch_id = $b AND table_name = $r AND action = 'insert')""",
                {"b": batch, "t": table, "r": ref_table},
            ).fetchone()[0]
            if used:
                raise UndoRefused(
                    N_(
                        "{n} {table} row(s) added since then refer to {created} this import created: "
                        "undo or change those first"
                    ),
                    n=used,
                    table=ref_table,
                    created=table,
                )


def _check_table(table: str) -> None:
    """Table names put into SQL are the templates' own or the attachments' (the change log is ours; checked anyway)."""
    if table not in LOGGED:
        raise ValueError(f"the change log names a table that is not a template's: {table!r}")


def _keep_after(cur: duckdb.DuckDBPyConnection, batch: int, tables: set[str]) -> None:
    """Log the values the batch left in each row it changed, so its history still shows them once undone."""
    for table in sorted(tables):
        _check_table(table)
        sql = f"""SELECT * FROM {table} WHERE id IN (SELECT row_id FROM import_changes
                  WHERE batch_id = ? AND table_name = ? AND action = 'update')"""
        rows = cur.execute(sql, [batch, table]).fetch_arrow_table().to_pylist()
        if not rows:
            continue
        after = pa.table({"row_id": pa.array([r["id"] for r in rows], pa.int64()),
                          "after": pa.array([json.dumps(r, default=_json) for r in rows], pa.string())})  # fmt: skip
        with _registered(cur, "_import_after", after):
            cur.execute(
                """UPDATE import_changes SET after = _import_after.after FROM _import_after
                   WHERE import_changes.batch_id = ? AND import_changes.table_name = ?
                     AND import_changes.action = 'update' AND import_changes.row_id = _import_after.row_id""",
                [batch, table],
            )


def _restore(cur: duckdb.DuckDBPyConnection, updates: list[tuple[str, int, str]]) -> None:
    """Put back the previous values of every row the batch changed, a statement per table and set of columns."""
    first: dict[tuple[str, int], dict[str, Any]] = {}
    for table, row_id, before in updates:  # a row changed twice goes back to what it was first
        first.setdefault((table, row_id), json.loads(before))
    by_columns: dict[tuple[str, tuple[str, ...]], list[tuple[int, dict[str, Any]]]] = {}
    for (table, row_id), before in first.items():
        columns = tuple(c for c in before if c != "id")
        by_columns.setdefault((table, columns), []).append((row_id, before))
    types: dict[str, dict[str, str]] = {}
    for (table, columns), rows in by_columns.items():
        kinds = types.setdefault(table, _column_types(cur, table))
        values = pa.table({"id": pa.array([i for i, _ in rows], pa.int64()),
                           **{c: _json_column([b[c] for _, b in rows]) for c in columns}})  # fmt: skip
        _set_from(cur, table, values, columns, kinds)


def _reinsert(cur: duckdb.DuckDBPyConnection, deleted: list[tuple[str, int, str]]) -> None:
    """Insert deleted rows again with their own ids and values, a statement per table."""
    by_table: dict[str, list[dict[str, Any]]] = {}
    for table, _row_id, before in deleted:
        by_table.setdefault(table, []).append(json.loads(before))
    for table in sorted(by_table, key=lambda t: LOGGED.index(t) if t in LOGGED else -1):
        _check_table(table)
        rows, types = by_table[table], _column_types(cur, table)
        columns = [c for c in rows[0] if c in types]
        values = pa.table({c: _json_column([r.get(c) for r in rows]) for c in columns})
        casts = ", ".join(f"CAST(_undo_rows.{c} AS {types[c]})" for c in columns)
        with _registered(cur, "_undo_rows", values):
            cur.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {casts} FROM _undo_rows")


def _json_column(values: list[Any]) -> pa.Array:
    """Values read back from JSON as a column: lists stay lists, the rest is text cast by the column's type."""
    if any(isinstance(v, list) for v in values):
        return pa.array(values, pa.list_(pa.string()))
    return pa.array([None if v is None else v if isinstance(v, str) else json.dumps(v) for v in values], pa.string())
