"""The one way to reach the database: connections, schema, migrations, write transactions.

Two stores, one SQL dialect. By default the store is a DuckDB file: DuckDB lets only one
process open it, so the Streamlit server owns it and shares one connection between sessions.
For several app servers the store is a PostgreSQL database (``TWINMAP_DB=postgresql://...``):
an in-memory DuckDB attaches it through DuckDB's postgres extension, so every query in twinmap
runs unchanged against tables that live in PostgreSQL (see :mod:`twinmap.store.postgres`).

Every query runs on its own ``cursor()`` (cursors are thread-safe, the connection is not).
Writes go through :func:`write_transaction`, which serialises writers (across processes too
on PostgreSQL), commits whole or not at all, and bumps the data version kept in the store
itself, so every process's read caches see every other process's writes.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import struct
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from twinmap.core.reference import N_, Explained
from twinmap.store import postgres
from twinmap.store.schema import MIGRATIONS, SEQUENCES

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
BUSY_BY = N_(
    "The database is in use by another program ({who}). Stop it, or do this through the app; nothing was changed."
)
NO_PERMISSION = N_(
    "twinmap may not read and write the database file ({why}). Give the account that runs twinmap the right to it; "
    "nothing was changed."
)
DISK_FULL = N_(
    "The disk that holds the database ({disk}) is full: {free} free. Free at least {need} and try again; nothing "
    "was changed."
)
SERVER_DISK_FULL = N_(
    "The PostgreSQL server's disk is full ({why}). Free space on the database server and try again; nothing was "
    "changed."
)
NEWER = N_(
    "The database was written by a newer twinmap (schema version {found}; this one knows up to {known}). "
    "Upgrade twinmap instead of opening the file with an older version."
)


NEWER_ENGINE = N_(
    "The database file was written by a newer DuckDB than this twinmap's ({version}); nothing was changed. "
    "Convert it once with scripts/convert_store.py (see the README), or rebuild it from an export."
)
UNREACHABLE = N_(
    "The PostgreSQL database cannot be reached ({why}). Check TWINMAP_DB and that the server is running; "
    "nothing was changed."
)
NO_EXTENSION = N_(
    "PostgreSQL needs DuckDB's postgres extension for DuckDB {version} (the Python package duckdb-ext-postgres); "
    "install requirements.txt again."
)
LOST = N_(
    "The connection to the PostgreSQL database was lost during the change ({why}). Nothing was changed: "
    "run it again once the server is back."
)
LOST_AT_COMMIT = N_(
    "The connection to the PostgreSQL database was lost while the change was being saved ({why}). Look at the "
    "history to see whether it was saved before running it again."
)
WRITE_BUSY = N_(
    "Another app server is saving changes to the shared database and has not finished. Nothing was changed: "
    "try again in a minute."
)


# Failures no retry mends: a person must restore, upgrade or give the right first.
NEEDS_A_PERSON = frozenset({DAMAGED, NEWER, NEWER_ENGINE, NO_PERMISSION, NO_EXTENSION})

# The command line's exit code for each kind of store failure (documented in the README).
EXIT_CODES = {DAMAGED: 3, NEWER: 3, NEWER_ENGINE: 3, BUSY: 4, BUSY_BY: 4, WRITE_BUSY: 4, UNREACHABLE: 4,
              LOST: 4, LOST_AT_COMMIT: 4, DISK_FULL: 5, SERVER_DISK_FULL: 5, NO_PERMISSION: 6}  # fmt: skip


def exit_code(err: DatabaseError) -> int:
    """The command line's exit code for a store failure (1 when no other says more)."""
    return EXIT_CODES.get(err.msgid, 1)


Fill = Callable[[duckdb.DuckDBPyConnection], None]


def explain(err: Exception, target: str | Path | None = None) -> DatabaseError:
    """A failure reading the store at ``target`` as a :class:`DatabaseError`.

    A DuckDB file's own errors say "damaged" (it opened, then failed to read); PostgreSQL's say
    "cannot be reached", with libpq's reason: a server stopped or a connection cut mid-read is not
    a damaged store.
    """
    if isinstance(err, DatabaseError):
        return err
    if isinstance(err, postgres.Lost):
        return DatabaseError(LOST_AT_COMMIT if err.at_commit else LOST, why=err.why)
    if target is not None and postgres.is_postgres(target):
        return DatabaseError(UNREACHABLE, why=postgres.reason(err))
    return DatabaseError(DAMAGED, why=type(err).__name__)


def connect(path: Path | str, fill: Fill | None = None) -> duckdb.DuckDBPyConnection:
    """Open (creating it on first use) the store at ``path``, migrated.

    ``path`` is a DuckDB file or a PostgreSQL connection string. A missing file is built in a
    temporary file, migrated and filled by ``fill`` (the layer that knows the shipped data
    passes it: :func:`twinmap.ingest.seed.connect`), then renamed into place only when
    complete, so an interrupted first start leaves nothing half-built. An empty PostgreSQL
    database is migrated and filled by the one process that found it empty.
    A busy, damaged, unreachable or newer store raises :class:`DatabaseError`, never DuckDB's own error.
    """
    if postgres.is_postgres(path):
        return _connect_postgres(str(path), fill)
    path = Path(path)
    if not path.exists():
        _build(path, fill)
    elif path.stat().st_size == 0:
        raise DatabaseError(DAMAGED, why="the file is empty")
    return _ready(_open(path))


def _connect_postgres(dsn: str, fill: Fill | None) -> duckdb.DuckDBPyConnection:
    try:
        con = postgres.attach(dsn)
    except postgres.Unreachable as err:
        raise DatabaseError(UNREACHABLE, why=err.why) from None
    except postgres.MissingExtension as err:
        raise DatabaseError(NO_EXTENSION, version=err.version) from None
    return _ready(con, fill)


def _ready(con: duckdb.DuckDBPyConnection, fill: Fill | None = None) -> duckdb.DuckDBPyConnection:
    """Migrate an open store (and fill a PostgreSQL one this process found empty); closed on failure.

    A file's failure names only the error's kind (pages show it, and DuckDB's text holds the path);
    PostgreSQL's reason is libpq's, without the connection string.
    """
    attached = isinstance(con, postgres.Attached)
    try:
        migrate(con)
        if attached and con.created and fill is not None:
            fill(con)
    except DatabaseError:
        con.close()
        raise
    except (duckdb.Error, postgres.Lost) as err:
        con.close()
        if attached:  # the server went while the store was being opened: not a damaged store
            why = err.why if isinstance(err, postgres.Lost) else postgres.reason(err)
            raise DatabaseError(UNREACHABLE, why=why) from None
        raise DatabaseError(DAMAGED, why=type(err).__name__) from None
    return con


def _open(path: Path) -> duckdb.DuckDBPyConnection:
    """Open a DuckDB file; a failure is told by what is true of the file, not by the words of DuckDB's message.

    Another process holding the file's lock means busy (named); no right to the file means
    permission; otherwise the file itself is the problem: damaged (or of a newer DuckDB).
    """
    try:
        con = duckdb.connect(str(path))
    except duckdb.Error as err:
        who = holder(path)
        if who is not None:
            raise DatabaseError(BUSY_BY, who=who) from None
        if not os.access(path, os.R_OK | os.W_OK):
            raise DatabaseError(NO_PERMISSION, why=errno.errorcode[errno.EACCES]) from None
        if "newer version of DuckDB" in str(err):
            raise DatabaseError(NEWER_ENGINE, version=duckdb.__version__) from None
        raise DatabaseError(DAMAGED, why=type(err).__name__) from None
    _paths[id(con)] = path
    return con


def holder(path: Path) -> str | None:
    """The program holding a lock on the file (DuckDB locks its file while open), as "NAME (PID n)"; None if none."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        found = fcntl.fcntl(fd, fcntl.F_GETLK, struct.pack("hhqqi", fcntl.F_WRLCK, os.SEEK_SET, 0, 0, 0))
        kind, _whence, _start, _len, pid = struct.unpack("hhqqi", found)
    except OSError:
        return None
    finally:
        os.close(fd)
    return None if kind == fcntl.F_UNLCK else f"{_program(pid)} (PID {pid})"


def _program(pid: int) -> str:
    """What a process is, for a person: the running app, an import on the command line, or its command."""
    try:
        words = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "another program"
    text = " ".join(w.decode(errors="replace") for w in words if w)
    if "twinmap" in text and "serve" in text:
        return "the running twinmap app"
    if "twinmap" in text:
        return "twinmap on the command line"
    return text[:60] or "another program"


_paths: dict[int, Path] = {}  # an open DuckDB file's path, by connection (a disk's free space names it)


def write_failure(con: duckdb.DuckDBPyConnection, err: Exception, need: int = 0) -> DatabaseError | None:
    """A write the store refused because its disk is full, told as such (None: some other reason).

    A DuckDB file's disk is judged by its free space, not by the words of the error: a disk with
    less free than ``need`` bytes (at least 64 MB: DuckDB's write-ahead log and checkpoint need
    room) is full. A PostgreSQL server's disk cannot be seen from here: its refusal is read.
    """
    if isinstance(con, postgres.Attached):  # the server's disk: only its own words reach us (see postgres.disk_full)
        return DatabaseError(SERVER_DISK_FULL, why=postgres.reason(err)) if postgres.disk_full(err) else None
    path = _paths.get(id(con))
    if path is None or not isinstance(err, duckdb.Error):
        return None
    usage = shutil.disk_usage(path.parent)
    want = max(need, 64 * 1024 * 1024)
    if usage.free >= want:
        return None
    return DatabaseError(DISK_FULL, disk=_mount_of(path), free=_size(usage.free), need=_size(want))


def _mount_of(path: Path) -> str:
    """The mount point that holds ``path`` (the disk a person frees)."""
    here = path.resolve().parent
    while not os.path.ismount(here) and here != here.parent:
        here = here.parent
    return str(here)


def _size(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if n < 1024 or unit == "TB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TB"


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


def schema_version(cur: duckdb.DuckDBPyConnection) -> int:
    """Schema version recorded in the store (0 for an empty one); a store of other tables is not ours.

    Runs on the cursor it is given (a cursor's own ``cursor()`` would leave a PostgreSQL store).
    """
    tables = {
        t
        for (t,) in cur.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_catalog = current_database() AND table_schema = current_schema()"
        ).fetchall()
    }
    if "meta" not in tables:
        if tables:
            raise DatabaseError(DAMAGED, why="it holds other tables")
        return 0
    row = cur.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def migrate(con: duckdb.DuckDBPyConnection, migrations: list[tuple[int, str]] | None = None) -> int:
    """Apply pending migrations, each in its own transaction; return the resulting version."""
    steps = MIGRATIONS if migrations is None else migrations
    if isinstance(con, postgres.Attached):
        return postgres.migrate(con, steps, _check_version)
    current = _check_version(con.cursor(), steps)
    for version, sql in steps:
        if version <= current:
            continue
        with postgres.transaction(con.cursor()) as cur:
            cur.execute(sql)
            _set_meta(cur, "schema_version", str(version))
        current = version
    return current


def _check_version(cur: duckdb.DuckDBPyConnection, steps: list[tuple[int, str]]) -> int:
    """The store's schema version, refused when newer than the code knows."""
    current, target = schema_version(cur), steps[-1][0]
    if current > target:
        raise DatabaseError(NEWER, found=current, known=target)
    return current


def meta(cur: duckdb.DuckDBPyConnection, key: str) -> str | None:
    """A value of the store's own bookkeeping (schema version, reference data received...)."""
    row = cur.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def set_meta(cur: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    """Record a value of the store's bookkeeping, in the caller's transaction."""
    _set_meta(cur, key, value)


def _set_meta(cur: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    cur.execute(
        "INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    """A number that changes on every committed write: the key of every read cache."""
    return _read_version(con.cursor())


def version_in(cur: duckdb.DuckDBPyConnection) -> int:
    """The data version as a write transaction sees it (after every other writer's lock)."""
    return _read_version(cur)


def _read_version(cur: duckdb.DuckDBPyConnection) -> int:
    row = cur.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()
    return int(row[0]) if row else 0


def next_ids(cur: duckdb.DuckDBPyConnection, table: str, n: int) -> list[int]:
    """``n`` new ids for ``table`` from its sequence, drawn in one statement on either store."""
    sequence = SEQUENCES[table]
    if postgres.on_postgres(cur):
        return postgres.next_ids(cur, sequence, n)
    return cur.execute(f"SELECT nextval('{sequence}') AS id FROM range(?)", [n]).fetchnumpy()["id"].tolist()


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
    attached = isinstance(con, postgres.Attached)
    try:
        with _lock_for(con), postgres.transaction(con.cursor()) as cur:
            if attached and not postgres.lock_writers(cur):
                raise DatabaseError(WRITE_BUSY)
            yield cur
            if bump:
                _set_meta(cur, "data_version", str(_read_version(cur) + 1))
    except postgres.Lost as err:
        raise explain(err) from None
    except duckdb.Error as err:
        if attached and not postgres.reachable(con.dsn):  # the server went: not a refusal of this change
            raise DatabaseError(LOST, why=postgres.reason(err)) from None
        raise
    if bump:
        global _commits
        _commits += 1


# Data-changing commits made by this process: a reader that pinned the data version at the start
# of its run knows, without asking the store, that its own process wrote since (ui.cache).
_commits = 0


def local_commits() -> int:
    """How many data-changing commits this process has made (a counter, never reset)."""
    return _commits


def frame(cur: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The executed query's rows as the frame ``.df()`` gives, through Arrow (5-10x faster for large reads).

    DuckDB's ``.df()`` builds Python objects for every text value, which pandas then turns back
    into Arrow strings: a million events took 3.3 s, this 1.2 s. The frame is the same as
    ``.df()``'s: dates as ``datetime64[us]``, integer columns with gaps as nullable integers,
    a text column with no value at all as objects (None).
    """
    table = cur.fetch_arrow_table()
    out = table.to_pandas(date_as_object=False)
    for name, column in zip(table.column_names, table.columns, strict=True):
        kind = column.type
        if pa.types.is_integer(kind) and column.null_count:
            out[name] = column.to_pandas(types_mapper=_NULLABLE_INTS.get)
        elif pa.types.is_date(kind) or pa.types.is_timestamp(kind):
            out[name] = out[name].astype("datetime64[us]")
        elif (pa.types.is_string(kind) or pa.types.is_large_string(kind)) and column.null_count == len(column):
            out[name] = pd.Series([None] * len(column), dtype=object, index=out.index)
    return out


_NULLABLE_INTS = {pa.int8(): pd.Int8Dtype(), pa.int16(): pd.Int16Dtype(), pa.int32(): pd.Int32Dtype(),
                  pa.int64(): pd.Int64Dtype()}  # fmt: skip
