"""Backups of the store and restoring one: a consistent copy as a DuckDB file, checked by reading it back.

A backup is a new DuckDB file named with the time and the data version it holds
(``twinmap-20261207-031500-v812.duckdb``), made from the open store on either backend: every
table copied row for row (ids, the import history and its change log, users and their password
hashes), in one read of one data version. It is checked before it counts: opened again on its
own, every row of every table read back and hashed, and the hashes compared with the store's
own, read in the same transaction as the copy. Only then does it replace the partial file, and
only then are older copies beyond the last ``keep`` removed (never the one just checked).

Restoring checks the copy the same way first (every block read: a damaged copy is refused with
nothing changed). A DuckDB store is kept aside under a new name and the copy put in its place;
the app must not have the file open. A PostgreSQL store is first backed up itself (kept aside
the same way), then emptied and filled from the copy in one transaction, which waits for any
import in progress (the writers' lock) and bumps the data version, so every replica shows the
restored data on its next run.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

from twinmap.core.reference import N_
from twinmap.store import db, postgres
from twinmap.store.schema import SEQUENCES
from twinmap.store.transfer import TABLES, advance_sequence

PATTERN = "twinmap-*.duckdb"
ALIAS = "twinmap_copy"

DIFFERS = N_("The backup {name} does not read back as the store it copies ({table}); it was not kept.")
UNREADABLE = N_(
    "The backup {name} cannot be read ({why}): it is damaged or is not a twinmap backup. Nothing was changed."
)
MOVING = N_("The data kept changing while the backup was made; nothing was kept. Try again in a quiet moment.")
db.EXIT_CODES.update({UNREADABLE: 3, DIFFERS: 3})  # a damaged copy is a damaged store to the command line
APP_OPEN = N_("The store is open in another program ({who}). Stop the app before restoring; nothing was changed.")


@dataclass(frozen=True)
class Backup:
    """A checked copy: its file, the data version it holds, its rows per table and its size."""

    path: Path
    version: int
    rows: dict[str, int]
    bytes: int


def make(con: duckdb.DuckDBPyConnection, folder: Path, keep: int = 14) -> Backup:
    """Copy the open store into a new checked file in ``folder``; keep the last ``keep`` copies."""
    folder.mkdir(parents=True, exist_ok=True)
    for _attempt in range(3):
        version = db.data_version(con)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
        final = folder / f"twinmap-{stamp}-v{version}.duckdb"
        partial = folder / f".{final.name}.partial"
        partial.unlink(missing_ok=True)
        db.connect(partial).close()  # an empty store of this schema
        try:
            sums = _copy_into(con, partial)
            if db.data_version(con) != version:  # a commit landed meanwhile (PostgreSQL reads are per statement)
                partial.unlink(missing_ok=True)
                continue
            _advance_sequences(partial)
            if isinstance(con, postgres.Attached):  # values typed by PostgreSQL hash otherwise: rows compared
                sums = {t: (n, None) for t, (n, _h) in sums.items()}
            rows = _check(partial, sums, final.name)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        os.replace(partial, final)
        _prune(folder, keep, final)
        return Backup(final, version, rows, final.stat().st_size)
    raise db.DatabaseError(MOVING)


def _copy_into(con: duckdb.DuckDBPyConnection, target: Path) -> dict[str, tuple[int, int]]:
    """Every table of the store into the empty store at ``target``, in one transaction; each table's (rows, hash)."""
    cur = con.cursor()
    quoted = str(target).replace("'", "''")
    cur.execute(f"ATTACH '{quoted}' AS {ALIAS}")
    sums: dict[str, tuple[int, int]] = {}
    try:
        cur.execute("BEGIN TRANSACTION")
        cur.execute(f"DELETE FROM {ALIAS}.meta")
        for table in TABLES:
            cur.execute(f"INSERT INTO {ALIAS}.{table} BY NAME SELECT * FROM {table}")
            sums[table] = _digest(cur, table)
        cur.execute("COMMIT")
    except BaseException:
        cur.execute("ROLLBACK")
        raise
    finally:
        cur.execute(f"DETACH {ALIAS}")
        cur.close()
    return sums


def _advance_sequences(path: Path) -> None:
    """Move the copy's id sequences past its rows, so a store restored from it gives new rows new ids."""
    con = duckdb.connect(str(path))
    try:
        with db.write_transaction(con, bump=False) as cur:
            for table, sequence in SEQUENCES.items():
                advance_sequence(cur, table, sequence)
    finally:
        con.close()


def _digest(cur: duckdb.DuckDBPyConnection, table: str) -> tuple[int, int]:
    """A table's rows and a hash of every value in them (reads every block: a damaged one fails here)."""
    row = cur.execute(f"SELECT count(*), coalesce(sum(hash(t)), 0) FROM {table} t").fetchone()
    return int(row[0]), int(row[1])


def _check(path: Path, expected: dict[str, tuple[int, int | None]] | None, name: str) -> dict[str, int]:
    """Open a copy on its own and read every table back; compared with ``expected`` when given. Rows per table."""
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as err:
        raise db.DatabaseError(UNREADABLE, name=name, why=type(err).__name__) from None
    try:
        cur = con.cursor()
        db.schema_version(cur)  # ours, and not newer than this twinmap (restore migrates an older one)
        rows = {}
        for table in TABLES:
            found = _digest(cur, table)
            want = expected[table] if expected is not None else None
            if want is not None and (found[0] != want[0] or (want[1] is not None and found[1] != want[1])):
                raise db.DatabaseError(DIFFERS, name=name, table=table)
            rows[table] = found[0]
        return rows
    except duckdb.Error as err:
        raise db.DatabaseError(UNREADABLE, name=name, why=type(err).__name__) from None
    finally:
        con.close()


def _prune(folder: Path, keep: int, made: Path) -> None:
    """Remove the oldest copies beyond ``keep`` (the newest first by name, which starts with the time)."""
    copies = sorted(folder.glob(PATTERN), reverse=True)
    for old in copies[max(1, keep) :]:
        if old != made:
            old.unlink(missing_ok=True)


def latest(folder: Path) -> Path | None:
    """The newest copy in ``folder``, if any."""
    copies = sorted(folder.glob(PATTERN), reverse=True) if folder.is_dir() else []
    return copies[0] if copies else None


def made_at(path: Path) -> dt.datetime:
    """When a copy was made (UTC), from its name."""
    stamp = "-".join(path.name.split("-")[1:3])
    return dt.datetime.strptime(stamp, "%Y%m%d-%H%M%S").replace(tzinfo=dt.UTC)


def restore(target: str, copy: Path, aside: Path) -> dict[str, int]:
    """Replace the store ``target`` with the checked ``copy``, the store as it was kept in ``aside``; rows per table."""
    rows = _check(copy, None, copy.name)  # every block read before anything is touched
    aside.mkdir(parents=True, exist_ok=True)
    if postgres.is_postgres(target):
        return _restore_postgres(target, copy, aside, rows)
    path = Path(target)
    who = db.holder(path) if path.exists() else None
    if who is not None:
        raise db.DatabaseError(APP_OPEN, who=who)
    if path.exists():
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
        shutil.move(path, aside / f"{path.name}.before-restore-{stamp}")
    incoming = path.with_name(f".{path.name}.restoring")
    shutil.copy(copy, incoming)
    db.connect(incoming).close()  # brought to this twinmap's schema
    os.replace(incoming, path)
    return rows


def _restore_postgres(target: str, copy: Path, aside: Path, rows: dict[str, int]) -> dict[str, int]:
    """Back the database up into ``aside``, then empty it and fill it from ``copy`` in one transaction."""
    con = db.connect(target)
    try:
        make(con, aside, keep=10_000)
        cur = con.cursor()
        quoted = str(copy).replace("'", "''")
        cur.execute(f"ATTACH '{quoted}' AS {ALIAS} (READ_ONLY)")
        try:
            with db.write_transaction(con) as tx:
                for table in reversed(TABLES[1:]):
                    tx.execute(f"DELETE FROM {table}")
                version = db.version_in(tx)
                tx.execute("DELETE FROM meta")
                for table in TABLES:
                    tx.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {ALIAS}.{table}")
                # the version moves on from the one replaced: every cache reads anew
                db.set_meta(tx, "data_version", str(max(version, db.version_in(tx))))
                for table, sequence in SEQUENCES.items():
                    advance_sequence(tx, table, sequence)
        finally:
            cur.execute(f"DETACH {ALIAS}")
        db.migrate(con)
    finally:
        con.close()
    return rows
