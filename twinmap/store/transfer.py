"""Move a whole store to another: a DuckDB file to PostgreSQL and back, row for row.

Everything travels, ids included: partnerships, events, indicators, the import history with
its change log (so every batch can still be undone), users and their password hashes, saved
column mappings and the data version. The copy runs inside DuckDB (the source attached
read-only beside the target) in one transaction: the target ends up complete or unchanged.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from twinmap.core.reference import N_
from twinmap.store import db, postgres
from twinmap.store.schema import SEQUENCES

SOURCE = "twinmap_source"

# Every table of the schema, parents before the rows that name them.
TABLES: tuple[str, ...] = (
    "meta",
    "cities",
    "partnerships",
    "events",
    "contacts",
    "indicators",
    "stages",
    "missions",
    "follow_ups",
    "targets",
    "ties",
    "organisations",
    "coverage",
    "people_abroad",
    "import_batches",
    "import_changes",
    "users",
    "sign_in_attempts",
    "column_mappings",
    "user_home_cities",
    "sign_ins",
    "attachment_files",
    "attachments",
)

NOT_EMPTY = N_(
    "The target store already holds data ({table}). Copy into a new, empty database or file, so nothing there "
    "is mixed or overwritten."
)
SAME_STORE = N_("The source and the target are the same store.")


def copy_store(source: str | Path, target: str | Path) -> dict[str, int]:
    """Copy every row of ``source`` into the new, empty store ``target``; return rows per table.

    Both are migrated to the current schema first. Refuses (nothing changed) when ``target``
    already holds rows, so a copy never mixes two stores.
    """
    source, target = str(source), str(target)
    if postgres.redact(source) == postgres.redact(target) or _same_file(source, target):
        raise db.DatabaseError(SAME_STORE)
    db.connect(source).close()  # migrated, and known to be ours, before anything is read
    dst = db.connect(target)
    try:
        _require_empty(dst)
        _attach(dst, source)
        try:
            counts = _copy(dst)
        finally:
            dst.execute(f"DETACH {SOURCE}")
    finally:
        dst.close()
    return counts


def _same_file(a: str, b: str) -> bool:
    if postgres.is_postgres(a) or postgres.is_postgres(b):
        return False
    return Path(a).resolve() == Path(b).resolve()


def _require_empty(con: duckdb.DuckDBPyConnection) -> None:
    cur = con.cursor()
    for table in TABLES[1:]:
        if cur.execute(f"SELECT EXISTS (SELECT 1 FROM {table})").fetchone()[0]:
            raise db.DatabaseError(NOT_EMPTY, table=table)


def _attach(con: duckdb.DuckDBPyConnection, source: str) -> None:
    """Attach the source read-only beside the target, under one name on either kind of store."""
    quoted = source.replace("'", "''")
    if postgres.is_postgres(source):
        con.execute(f"LOAD '{postgres.extension_path()}'")
        con.execute(f"ATTACH '{quoted}' AS {SOURCE} (TYPE postgres, READ_ONLY)")
    else:
        con.execute(f"ATTACH '{quoted}' AS {SOURCE} (READ_ONLY)")


def _copy(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    counts: dict[str, int] = {}
    with db.write_transaction(con, bump=False) as cur:
        cur.execute("DELETE FROM meta")  # the source's versions replace the new store's
        for table in TABLES:
            cols = ", ".join(_columns(cur, table))
            cur.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {SOURCE}.{table}")
            counts[table] = cur.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table, sequence in SEQUENCES.items():
            advance_sequence(cur, table, sequence)
    return counts


def _columns(cur: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    rows = cur.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
        "AND table_catalog = current_database() AND table_schema = current_schema() ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return [r[0] for r in rows]


def advance_sequence(cur: duckdb.DuckDBPyConnection, table: str, sequence: str) -> None:
    """Move a sequence past the copied ids, so the next import's ids do not collide with them."""
    top = cur.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]
    if not top:
        return
    if postgres.on_postgres(cur):
        postgres.execute(cur, f"SELECT setval('{sequence}', {int(top)})")
    else:  # DuckDB has no setval: draw the ids already used
        cur.execute(f"SELECT max(nextval('{sequence}')) FROM range(?)", [int(top)])
