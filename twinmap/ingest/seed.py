"""Fill a new database from the CSV files shipped in ``data/``, through the import pipeline.

The shipped files are in the same form staff import, so they pass the same validation and
become the first recorded batches; a broken edit of the shipped data stops the build with the
file, row and column of every problem.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb

from twinmap.core.config import DATA_DIR
from twinmap.ingest import batches, importer
from twinmap.ingest.specs import LOAD_ORDER
from twinmap.store import db

SHIPPED_USER = "shipped data"


class SeedError(ValueError):
    """A shipped data file has bad values (the message names file, row and column)."""


class _Received(Exception):
    """Another app server imported the reference file first."""


def connect(path: Path | str) -> duckdb.DuckDBPyConnection:
    """The app's store at ``path``: opened and migrated, or built from the shipped data on first use.

    A store made by an earlier version receives the reference data shipped since (the world's
    twin-town ties), once, each file as its own batch that staff can undo.
    """
    con = db.connect(path, fill=load_shipped)
    add_reference(con)
    return con


def load_shipped(con: duckdb.DuckDBPyConnection, data_dir: Path = DATA_DIR) -> None:
    """Import every shipped file, in reference order, each as one batch."""
    for table in LOAD_ORDER:
        for path in shipped_files(table, data_dir):
            try:
                _load(con, table, path, guard=_mark(path))
            except (_Received, batches.StalePreview):  # another app server's start received it meanwhile
                continue


def add_reference(con: duckdb.DuckDBPyConnection, data_dir: Path = DATA_DIR) -> list[str]:
    """Import the shipped reference files this store never received; the names of those imported.

    Only a store built from the shipped data receives them. Received is recorded in the store
    (``meta``), so a file comes once: an office that undoes it keeps it undone, and app servers
    starting together import it once between them.
    """
    added: list[str] = []
    shipped = "SELECT count(*) FROM import_batches WHERE user_name = ?"
    if not con.cursor().execute(shipped, [SHIPPED_USER]).fetchone()[0]:
        return added  # a store not built from the shipped data (made empty, or a test's own) is left as it is
    for table in LOAD_ORDER:
        main, *extra = shipped_files(table, data_dir)
        for path in extra:
            if db.meta(con.cursor(), _key(path)) is not None or not _imported_before(con, main):
                continue  # received; or the first start of another app server is still filling the store
            if _imported_before(con, path):  # received before it was recorded (undone or not): kept as it is
                with db.write_transaction(con, bump=False) as cur:
                    db.set_meta(cur, _key(path), "received")
                continue
            try:
                _load(con, table, path, guard=_mark(path))
            except (_Received, batches.StalePreview):  # another app server received it meanwhile
                continue
            with db.write_transaction(con, bump=False) as cur:  # also when it changed nothing
                db.set_meta(cur, _key(path), "received")
            added.append(path.name)
    return added


def _load(con: duckdb.DuckDBPyConnection, table: str, path: Path, guard: Callable) -> None:
    plan = importer.plan_import(con, path.read_bytes(), path.name, table)
    if not plan.ok:
        raise SeedError("; ".join(p.text(path.name) for p in plan.errors[:5]))
    batches.commit(con, plan, SHIPPED_USER, record_stages=False, guard=guard)


def _imported_before(con: duckdb.DuckDBPyConnection, path: Path) -> bool:
    sql = "SELECT count(*) FROM import_batches WHERE file_name = ? AND user_name = ?"
    return con.cursor().execute(sql, [path.name, SHIPPED_USER]).fetchone()[0] > 0


def _key(path: Path) -> str:
    return f"reference {path.name}"


def _mark(path: Path) -> Callable[[duckdb.DuckDBPyConnection], None]:
    """A commit guard: record the file as received, in the import's own transaction (or refuse a second time)."""

    def guard(cur: duckdb.DuckDBPyConnection) -> None:
        if db.meta(cur, _key(path)) is not None:
            raise _Received(path.name)
        db.set_meta(cur, _key(path), "received")

    return guard


def shipped_files(table: str, data_dir: Path = DATA_DIR) -> list[Path]:
    """A table's shipped files: ``table.csv``, then reference data beside it (``ties_wikidata.csv``)."""
    return [data_dir / f"{table}.csv", *sorted(data_dir.glob(f"{table}_*.csv"))]
