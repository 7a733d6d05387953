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
from typing import Any

import duckdb
import pandas as pd

from twinmap.core import config
from twinmap.core.reference import N_, PRIVATE_STATUSES, Explained
from twinmap.ingest.importer import Plan, plan_import
from twinmap.ingest.specs import TABLES, references
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


def commit(
    con: duckdb.DuckDBPyConnection, plan: Plan, user: str, record_stages: bool = True, skip_invalid: bool = False
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
    """

    def acceptable(p: Plan) -> bool:
        return p.ok or (skip_invalid and p.can_skip)

    if not acceptable(plan):
        raise ImportRejected(f"{plan.filename} has {len(plan.errors)} problem(s); nothing was changed")
    with db.write_lock(con):
        # Nothing written since the preview (the data version is the same): the preview is the plan.
        # Otherwise plan again against what is there now and refuse if that differs.
        unchanged = plan.version is not None and plan.version == db.data_version(con)
        fresh = plan if unchanged else plan_import(con, plan.data, plan.filename, plan.table, plan.mapping, plan.part)
        if not acceptable(fresh) or fresh.fingerprint() != plan.fingerprint():
            raise StalePreview("the data changed since this preview was made: check the preview again, then commit")
        if not (fresh.new or fresh.changed or fresh.cities_to_create):
            return None
        try:
            with db.write_transaction(con) as cur:
                return _apply(cur, fresh, user, record_stages)
        except duckdb.Error as err:  # the preview checks every constraint; this is the last guard
            log.exception("import of %s refused by the database", plan.filename)
            raise CommitFailed(
                N_("the database refused this import ({why}); nothing was changed"), why=type(err).__name__
            ) from None


def _apply(cur: duckdb.DuckDBPyConnection, plan: Plan, user: str, record_stages: bool = True) -> int:
    cities = plan.cities_to_create
    skipped = len(plan.skipped_rows) if plan.errors else 0
    (batch,) = db.next_ids(cur, "import_batches", 1)  # no RETURNING: PostgreSQL through DuckDB lacks it
    cur.execute(
        """INSERT INTO import_batches (id, table_name, file_name, file_hash, user_name, rows_read, inserted, updated,
                                       unchanged, cities_created, skipped)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [batch, plan.table, plan.filename, plan.file_hash, user, plan.rows_read, len(plan.new), len(plan.changed),
         plan.unchanged, len(cities), skipped],
    )  # fmt: skip
    log: list[tuple] = []
    city_ids = dict(zip((c["id"] for c in cities), _insert(cur, "cities", cities, log), strict=True))
    rows = [{k: city_ids.get(v, v) if k.endswith("city_id") else v for k, v in r.items()} for r in plan.new]
    ids = _insert(cur, plan.table, rows, log)
    for change in plan.changed:
        sets = ", ".join(f"{col} = ?" for col in change.after)
        cur.execute(f"UPDATE {plan.table} SET {sets} WHERE id = ?", [*change.after.values(), change.id])
        log.append((plan.table, change.id, "update", json.dumps(change.before, default=_json)))
    if plan.table == "partnerships" and record_stages:
        _record_stages(cur, batch, plan, ids, log)
    _log_changes(cur, batch, log)
    return batch


def _log_changes(cur: duckdb.DuckDBPyConnection, batch: int, log: list[tuple]) -> None:
    """The batch's change log in one insert (row by row costs a millisecond each: 20 s for 20,000 rows)."""
    if not log:
        return
    frame = pd.DataFrame(log, columns=["table_name", "row_id", "action", "before"])
    frame.insert(0, "seq", range(len(frame)))
    frame.insert(0, "batch_id", batch)
    frame["before"] = frame["before"].astype(object).where(frame["before"].notna(), None)
    cur.register("_import_log", frame)
    cur.execute("""INSERT INTO import_changes (batch_id, seq, table_name, row_id, action, before)
                   SELECT batch_id, seq, table_name, row_id, action, before FROM _import_log""")
    cur.unregister("_import_log")


def _record_stages(cur: duckdb.DuckDBPyConnection, batch: int, plan: Plan, ids: list[int], log: list[tuple]) -> None:
    """Stage-history rows for the stage changes of a partnerships import, dated today."""
    today = config.today()
    entered = [(i, r["status"]) for i, r in zip(ids, plan.new, strict=True) if r.get("status") in PRIVATE_STATUSES]
    entered += [(c.id, c.after["status"]) for c in plan.changed if "status" in c.after]
    rows = [
        {
            "partnership_id": i,
            "status": s,
            "entered_on": today,
            "entered_precision": "day",
            "source": f"import #{batch}",
        }
        for i, s in entered
    ]
    _insert(cur, "stages", rows, log)


def _insert(cur: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, Any]], log: list[tuple]) -> list[int]:
    """Insert rows through one DataFrame with ids from the table's sequence; log each insert."""
    if not rows:
        return []
    ids = db.next_ids(cur, table, len(rows))
    frame = pd.DataFrame.from_records(
        [{**{k: v for k, v in r.items() if k != "id"}, "id": i} for r, i in zip(rows, ids, strict=True)]
    )
    cols = ", ".join(frame.columns)
    cur.register("_import_rows", frame)
    cur.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _import_rows")
    cur.unregister("_import_rows")
    log.extend((table, i, "insert", None) for i in ids)
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


def undo(con: duckdb.DuckDBPyConnection, batch: int, user: str) -> None:
    """Undo one batch: delete what it inserted and restore what it updated, in one transaction."""
    try:
        _undo(con, batch, user)
    except duckdb.Error as err:
        log.exception("undo of import #%s refused by the database", batch)
        raise CommitFailed(
            N_("the database refused this undo ({why}); nothing was changed"), why=type(err).__name__
        ) from None


def _undo(con: duckdb.DuckDBPyConnection, batch: int, user: str) -> None:
    with db.write_transaction(con) as cur:
        row = cur.execute("SELECT status FROM import_batches WHERE id = ?", [batch]).fetchone()
        if row is None:
            raise UndoRefused(N_("there is no import #{batch}"), batch=batch)
        if row[0] != "committed":
            raise UndoRefused(N_("import #{batch} was already undone"), batch=batch)
        _check_later_batches(cur, batch)
        _check_references(cur, batch)
        updates = cur.execute(
            """SELECT table_name, row_id, before FROM import_changes
               WHERE batch_id = ? AND action = 'update' ORDER BY seq DESC""",
            [batch],
        ).fetchall()
        for table, row_id, before in updates:
            _restore(cur, table, row_id, json.loads(before))
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
        cur.execute(
            "UPDATE import_batches SET status = 'undone', undone_at = current_timestamp, undone_by = ? WHERE id = ?",
            [user, batch],
        )


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
    """Table names put into SQL are the templates' own (the change log is written by us; checked anyway)."""
    if table not in TABLES:
        raise ValueError(f"the change log names a table that is not a template's: {table!r}")


def _restore(cur: duckdb.DuckDBPyConnection, table: str, row_id: int, before: dict[str, Any]) -> None:
    columns = [c for c in before if c != "id"]
    types = dict(
        cur.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? "
            "AND table_catalog = current_database() AND table_schema = current_schema()",
            [table],
        ).fetchall()
    )
    sets = ", ".join(f"{c} = CAST(? AS {types[c]})" for c in columns)
    cur.execute(f"UPDATE {table} SET {sets} WHERE id = ?", [*(before[c] for c in columns), row_id])
