"""The one way to reach the database: connections, schema, migrations, write transactions.

DuckDB lets only one process open a file, so the Streamlit server owns it and shares one
connection between sessions; every query runs on its own ``cursor()`` (cursors are
thread-safe, the connection is not). Writes go through :func:`write_transaction`, which
serialises writers, commits whole or not at all, and bumps the data version that read
caches are keyed on.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from twinmap.core.reference import N_, Explained
from twinmap.store.schema import MIGRATIONS

_write_locks: dict[str, threading.RLock] = {}
_locks_guard = threading.Lock()


class DatabaseError(Explained):
    """A store that cannot be used as it is, in words a person can act on (no path: pages show it).

    The command line adds the path itself; pages and the kiosk show only the translated message.
    """


BUSY = N_(
    "The database is in use by another program (usually the running app, or an import on the command line). "
    "Try again in a moment, or do this through the app."
)
DAMAGED = N_(
    "The database file is damaged or is not a twinmap database ({why}). Restore it from a backup or an export; "
    "nothing was changed."
)
NEWER = N_(
    "The database was written by a newer twinmap (schema version {found}; this one knows up to {known}). "
    "Upgrade twinmap instead of opening the file with an older version."
)


Fill = Callable[[duckdb.DuckDBPyConnection], None]


def explain(err: Exception) -> DatabaseError:
    """A failure reading the store as a :class:`DatabaseError` (DuckDB's own errors say "damaged")."""
    return err if isinstance(err, DatabaseError) else DatabaseError(DAMAGED, why=type(err).__name__)


def connect(path: Path | str, fill: Fill | None = None) -> duckdb.DuckDBPyConnection:
    """Open (creating it on first use) the database at ``path``, migrated.

    A missing file is built in a temporary file, migrated and filled by ``fill`` (the layer that
    knows the shipped data passes it: :func:`twinmap.ingest.seed.connect`), then renamed into
    place only when complete, so an interrupted first start leaves nothing half-built.
    A busy, damaged or newer file raises :class:`DatabaseError`, never DuckDB's own error.
    """
    path = Path(path)
    if not path.exists():
        _build(path, fill)
    elif path.stat().st_size == 0:
        raise DatabaseError(DAMAGED, why="the file is empty")
    con = _open(path)
    try:
        migrate(con)
    except DatabaseError:
        con.close()
        raise
    except duckdb.Error as err:
        con.close()
        raise DatabaseError(DAMAGED, why=type(err).__name__) from None
    return con


def _open(path: Path) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(path))
    except duckdb.Error as err:
        if "lock" in str(err).lower():
            raise DatabaseError(BUSY) from None
        raise DatabaseError(DAMAGED, why=type(err).__name__) from None


def _build(path: Path, fill: Fill | None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.building")
    tmp.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        migrate(con)
        if fill is not None:
            fill(con)
        con.execute("CHECKPOINT")
    except BaseException:
        con.close()
        tmp.unlink(missing_ok=True)
        raise
    con.close()
    os.replace(tmp, path)


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """Schema version recorded in the file (0 for an empty file); a file of other tables is not ours."""
    cur = con.cursor()
    tables = {t for (t,) in cur.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    if "meta" not in tables:
        if tables:
            raise DatabaseError(DAMAGED, why="it holds other tables")
        return 0
    row = cur.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def migrate(con: duckdb.DuckDBPyConnection, migrations: list[tuple[int, str]] | None = None) -> int:
    """Apply pending migrations, each in its own transaction; return the resulting version."""
    steps = MIGRATIONS if migrations is None else migrations
    target = steps[-1][0]
    current = schema_version(con)
    if current > target:
        raise DatabaseError(NEWER, found=current, known=target)
    for version, sql in steps:
        if version <= current:
            continue
        cur = con.cursor()
        cur.execute("BEGIN TRANSACTION")
        try:
            cur.execute(sql)
            _set_meta(cur, "schema_version", str(version))
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        current = version
    return current


def _set_meta(cur: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    cur.execute(
        "INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    """A number that changes on every committed write: the key of every read cache."""
    return _read_version(con.cursor())


def _read_version(cur: duckdb.DuckDBPyConnection) -> int:
    row = cur.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()
    return int(row[0]) if row else 0


def _lock_for(con: duckdb.DuckDBPyConnection) -> threading.RLock:
    key = str(id(con))
    with _locks_guard:
        return _write_locks.setdefault(key, threading.RLock())


@contextmanager
def write_lock(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Hold the writers' lock (re-entrant) across a read-then-write, e.g. re-planning an import."""
    with _lock_for(con):
        yield


@contextmanager
def write_transaction(con: duckdb.DuckDBPyConnection, bump: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
    """Run writes on one cursor in one transaction, one writer at a time.

    Readers on other cursors keep seeing the last committed state until COMMIT. ``bump`` False
    is for writes no page shows (sign-in attempts): they must not empty every read cache.
    """
    with _lock_for(con):
        cur = con.cursor()
        cur.execute("BEGIN TRANSACTION")
        try:
            yield cur
            if bump:
                _set_meta(cur, "data_version", str(_read_version(cur) + 1))
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        finally:
            cur.close()
