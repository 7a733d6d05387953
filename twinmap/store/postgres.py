"""PostgreSQL as the store, through DuckDB's postgres extension, so twinmap's SQL runs unchanged.

Why this design: every query in twinmap is DuckDB SQL (lists, ``range()``, registered data
frames, ``ON CONFLICT``, ``strftime``); attaching PostgreSQL to an in-memory DuckDB keeps one
dialect and one code path for pages, imports and undo, while the rows, the transactions and
the locks live in PostgreSQL, shared by every app server. DuckDB is pinned at 1.4.4 (the 1.4
long-term-support line) because the extension ships as a PyPI wheel (``duckdb-ext-postgres``)
only for it and loads offline from the wheel; DuckDB 2.0 cannot load extensions here.

What differs from a DuckDB file is kept in this module:

- DDL runs natively in PostgreSQL (the extension creates neither sequences nor constraints),
  translated from the one schema in :mod:`twinmap.store.schema` by :func:`dialect`;
- ids come from PostgreSQL's own sequences (:func:`next_ids`);
- writers take a transaction-scoped advisory lock, so two app servers' imports serialise (the
  second waits, or after :data:`LOCK_WAIT_SECONDS` is told the store is busy);
- transactions are READ COMMITTED, so a writer that waited for the lock reads what the writer
  before it committed (the extension's default, REPEATABLE READ, would have it fail).
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib.util
import re
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from twinmap.core.config import is_postgres

__all__ = ["attach", "dialect", "is_postgres", "lock_writers", "migrate", "next_ids", "redact"]

ALIAS = "pg"
WRITERS_KEY = 0x7477_696E  # 'twin': the one advisory lock every writer takes
MIGRATION_KEY = WRITERS_KEY + 1
LOCK_WAIT_SECONDS = 120
EXTENSION = "postgres_scanner"


class Unreachable(Exception):
    """PostgreSQL refused or could not be reached; ``why`` is libpq's reason without the DSN."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


class Lost(Exception):
    """The connection to PostgreSQL died inside a transaction: nothing was changed, unless it died in COMMIT.

    ``at_commit`` True means the server may have committed before the connection went: whether
    the change was saved is not known until the history is read again.
    """

    def __init__(self, why: str, at_commit: bool = False) -> None:
        super().__init__(why)
        self.why, self.at_commit = why, at_commit


class MissingExtension(Exception):
    """The postgres extension for this DuckDB is not installed."""

    def __init__(self, version: str) -> None:
        super().__init__(version)
        self.version = version


class Attached:
    """A DuckDB connection whose every cursor works in the attached PostgreSQL database.

    A DuckDB cursor is a new client that starts in the in-memory catalog; ``cursor()`` points it
    at PostgreSQL so unqualified table names mean twinmap's tables, as on a DuckDB file.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, dsn: str) -> None:
        self._con = con
        self.dsn = dsn
        self.created = False  # this process found the database empty and built the schema
        self.lost = False  # a transaction's connection died: this one is kept, never used again

    def cursor(self) -> duckdb.DuckDBPyConnection:
        cur = self._con.cursor()
        _owners[cur] = self
        cur.execute(f"USE {ALIAS}")
        return cur

    def close(self) -> None:
        if self.lost:  # closing would roll back the dead transaction again, which aborts the process
            _keep_forever(self._con)
            return
        self._con.close()

    def __getattr__(self, name: str):
        return getattr(self._con, name)


_owners: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # a cursor's Attached, while it lives
_kept: list = []  # what a lost connection left: never closed, never freed


def _keep_forever(obj: object) -> None:
    """Never close or free ``obj``, not even when the interpreter exits.

    When a PostgreSQL connection dies inside a transaction, DuckDB's postgres extension cannot
    roll it back, and closing or freeing the cursor that holds it rolls back again inside a C++
    destructor, which aborts the whole process (SIGABRT, "Failed to execute query ROLLBACK").
    The cursor and its in-memory DuckDB are left as they are: a few kilobytes, once per loss.
    """
    _kept.append(obj)
    ctypes.pythonapi.Py_IncRef(ctypes.py_object(obj))


def kept() -> int:
    """How many objects lost connections left behind in this process (tests and the log read it)."""
    return len(_kept)


def extension_path() -> Path:
    """Where the postgres extension for the running DuckDB sits inside the ``duckdb-ext-postgres`` wheel."""
    spec = importlib.util.find_spec("duckdb_ext")
    if spec is None or not spec.submodule_search_locations:
        raise MissingExtension(duckdb.__version__)
    platform = duckdb.connect().execute("SELECT platform FROM pragma_platform()").fetchone()[0]
    for base in spec.submodule_search_locations:
        path = Path(base) / "extensions" / f"v{duckdb.__version__}" / platform / f"{EXTENSION}.duckdb_extension"
        if path.is_file():
            return path
    raise MissingExtension(duckdb.__version__)


def attach(dsn: str) -> Attached:
    """An in-memory DuckDB with the PostgreSQL database at ``dsn`` attached as its default."""
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"LOAD '{_quote(str(extension_path()))}'")
        con.execute(f"ATTACH '{_quote(dsn)}' AS {ALIAS} (TYPE postgres, ISOLATION_LEVEL 'READ COMMITTED')")
        con.execute(f"USE {ALIAS}")
    except duckdb.Error as err:
        con.close()
        raise Unreachable(reason(err)) from None
    except MissingExtension:
        con.close()
        raise
    return Attached(con, dsn)


def reachable(dsn: str) -> bool:
    """Whether the server answers a new connection now (after a failure: gone, or a refusal of the change?)."""
    try:
        con = attach(dsn)
    except (Unreachable, MissingExtension):
        return False
    try:
        con.cursor().execute(f"SELECT * FROM postgres_query('{ALIAS}', 'SELECT 1')").fetchall()
    except duckdb.Error:
        return False
    finally:
        con.close()
    return True


def _quote(text: str) -> str:
    return text.replace("'", "''")


_AT_DSN = re.compile(r'Unable to connect to Postgres at ".*?": ', re.S)
_PASSWORD = re.compile(r"(password\s*=\s*)\S+|(://[^:/@\s]+:)[^@\s]+@", re.I)


def reason(err: Exception) -> str:
    """DuckDB's or libpq's reason for a failure, one line, without the connection string or a password."""
    text = redact(_AT_DSN.sub("", str(err)))
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0] if lines else type(err).__name__


# What PostgreSQL says when a write finds its disk full (SQLSTATE 53100, disk_full): its storage
# manager's "could not extend file ...: No space left on device" with the hint "Check free disk
# space." DuckDB's postgres extension passes the server's text on without the SQLSTATE, so these
# fixed words of PostgreSQL's (not DuckDB's) are the only sign that reaches the client.
_DISK_FULL = re.compile(r"No space left on device|Check free disk space|could not extend file", re.I)


def disk_full(err: Exception) -> bool:
    """Whether PostgreSQL refused a write because its disk is full."""
    return bool(_DISK_FULL.search(str(err)))


def redact(target: str) -> str:
    """A store's name fit for a message or a log: a PostgreSQL password is never shown."""
    return _PASSWORD.sub(lambda m: f"{m.group(1)}***" if m.group(1) else f"{m.group(2)}***@", target)


def dialect(sql: str) -> str:
    """Twinmap's DuckDB DDL as PostgreSQL DDL (the two differ only in these spellings: a BLOB is a bytea)."""
    sql = re.sub(r"\bDOUBLE\b", "DOUBLE PRECISION", sql)
    sql = re.sub(r"\bBLOB\b", "BYTEA", sql)
    return sql.replace("DEFAULT []", "DEFAULT '{}'")


def execute(cur: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Run PostgreSQL SQL as it is, in the cursor's transaction."""
    cur.execute(f"CALL postgres_execute('{ALIAS}', ?)", [sql])


@contextmanager
def transaction(cur: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """One transaction on a cursor of either store: committed whole, or rolled back; the cursor closed.

    On PostgreSQL, a transaction that cannot be rolled back lost its connection: the cursor is
    discarded (kept, never closed: see :func:`_keep_forever`), its Attached marked lost so the
    next use connects afresh, and :class:`Lost` raised. The server rolls back a transaction
    whose connection died, so nothing was changed, unless the connection died during COMMIT.
    """
    owner = _owners.get(cur)
    committing = False
    cur.execute("BEGIN TRANSACTION")
    try:
        yield cur
        committing = True
        cur.execute("COMMIT")
    except BaseException as err:
        if not _rolled_back(cur) and owner is not None:
            owner.lost = True
            _keep_forever(cur)
            raise Lost(reason(err) if isinstance(err, duckdb.Error) else type(err).__name__, committing) from None
        raise
    finally:
        if owner is None or not owner.lost:
            with contextlib.suppress(duckdb.Error):
                cur.close()


def _rolled_back(cur: duckdb.DuckDBPyConnection) -> bool:
    """Roll back; False when the store could not (a failed ROLLBACK must not hide why the transaction failed)."""
    try:
        cur.execute("ROLLBACK")
    except duckdb.Error:
        return False
    return True


Check = Callable[[duckdb.DuckDBPyConnection, list[tuple[int, str]]], int]


def migrate(con: Attached, steps: list[tuple[int, str]], check: Check) -> int:
    """Bring the database to the last step in one transaction, one app server at a time.

    Replicas starting together queue on an advisory lock; each reads the version only once it
    holds the lock, so the schema is built once and a later replica finds it done.
    """
    with transaction(con.cursor()) as cur:
        execute(cur, f"SELECT pg_advisory_xact_lock({MIGRATION_KEY})")
        cur.execute("CALL pg_clear_cache()")
        current = check(cur, steps)
        pending = [(v, sql) for v, sql in steps if v > current]
        for _version, sql in pending:
            execute(cur, dialect(sql))
        if pending:
            execute(
                cur,
                f"INSERT INTO meta VALUES ('schema_version', '{pending[-1][0]:d}') "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )
    con.execute("CALL pg_clear_cache()")
    con.created = current == 0
    return steps[-1][0] if pending else current


_LOCK_TIMEOUT = "lock timeout"


def lock_writers(cur: duckdb.DuckDBPyConnection) -> bool:
    """Take the writers' lock for this transaction; False when another writer held it too long."""
    try:
        execute(
            cur,
            f"SET LOCAL lock_timeout = '{LOCK_WAIT_SECONDS}s'; SELECT pg_advisory_xact_lock({WRITERS_KEY})",
        )
    except duckdb.Error as err:
        if _LOCK_TIMEOUT in str(err):
            return False
        raise
    return True


_SEQUENCE = re.compile(r"^[a-z_]+$")


def next_ids(cur: duckdb.DuckDBPyConnection, sequence: str, n: int) -> list[int]:
    """``n`` new ids from one of the schema's sequences, drawn by PostgreSQL itself."""
    if not _SEQUENCE.match(sequence):
        raise ValueError(f"not a sequence name: {sequence!r}")
    sql = f"SELECT nextval('{sequence}') FROM generate_series(1, {int(n)})"
    return cur.execute(f"SELECT * FROM postgres_query('{ALIAS}', ?)", [sql]).fetchnumpy()["nextval"].tolist()


def on_postgres(cur: duckdb.DuckDBPyConnection) -> bool:
    """Whether a cursor works in an attached PostgreSQL database."""
    return cur.execute("SELECT current_database()").fetchone()[0] == ALIAS
