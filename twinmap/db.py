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
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from twinmap.reference import N_, Explained

_SCHEMA_V1 = """
CREATE SEQUENCE city_ids;
CREATE SEQUENCE partnership_ids;
CREATE SEQUENCE event_ids;
CREATE SEQUENCE contact_ids;
CREATE SEQUENCE indicator_ids;

CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);

CREATE TABLE cities (
    id INTEGER PRIMARY KEY DEFAULT nextval('city_ids'),
    name VARCHAR NOT NULL,
    local_name VARCHAR,
    country_code VARCHAR NOT NULL,
    region VARCHAR,
    lat DOUBLE NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon DOUBLE NOT NULL CHECK (lon BETWEEN -180 AND 180),
    population BIGINT,
    timezone VARCHAR,
    geonameid BIGINT,
    UNIQUE (name, country_code)
);

-- Dates are stored as the first day of their period plus a precision code (see dates.py).
CREATE TABLE partnerships (
    id INTEGER PRIMARY KEY DEFAULT nextval('partnership_ids'),
    home_city_id INTEGER NOT NULL,
    partner_city_id INTEGER NOT NULL,
    kind VARCHAR NOT NULL,
    status VARCHAR NOT NULL,
    signed_on DATE,
    signed_precision VARCHAR,
    valid_until DATE,
    valid_until_precision VARCHAR,
    purpose VARCHAR,
    areas VARCHAR[] NOT NULL DEFAULT [],
    programmes VARCHAR,
    obligations_home VARCHAR,
    obligations_partner VARCHAR,
    expected_results VARCHAR,
    success_indicators VARCHAR,
    notes VARCHAR,
    source VARCHAR,
    is_demo BOOLEAN NOT NULL DEFAULT false,
    UNIQUE (home_city_id, partner_city_id)
);

CREATE TABLE events (
    id INTEGER PRIMARY KEY DEFAULT nextval('event_ids'),
    partnership_id INTEGER NOT NULL,
    kind VARCHAR NOT NULL,
    title VARCHAR NOT NULL,
    starts_on DATE NOT NULL,
    starts_precision VARCHAR NOT NULL DEFAULT 'day',
    ends_on DATE,
    ends_precision VARCHAR,
    venue VARCHAR,
    host_city_id INTEGER,
    participants INTEGER,
    participants_note VARCHAR,
    status VARCHAR NOT NULL,
    source VARCHAR,
    is_demo BOOLEAN NOT NULL DEFAULT false
);

CREATE TABLE contacts (
    id INTEGER PRIMARY KEY DEFAULT nextval('contact_ids'),
    partnership_id INTEGER NOT NULL,
    city_id INTEGER NOT NULL,
    name VARCHAR NOT NULL,
    role VARCHAR,
    organisation VARCHAR,
    email VARCHAR,
    phone VARCHAR,
    is_demo BOOLEAN NOT NULL DEFAULT false
);

-- An indicator measured in a city, broken down by the visitors' country of origin
-- (origin_country NULL = all foreign visitors together).
CREATE TABLE indicators (
    id INTEGER PRIMARY KEY DEFAULT nextval('indicator_ids'),
    city_id INTEGER NOT NULL,
    origin_country VARCHAR,
    indicator VARCHAR NOT NULL,
    period DATE NOT NULL,
    period_precision VARCHAR NOT NULL DEFAULT 'month',
    value DOUBLE NOT NULL,
    unit VARCHAR,
    source VARCHAR,
    is_demo BOOLEAN NOT NULL DEFAULT false
);
CREATE INDEX indicators_lookup ON indicators (city_id, indicator, period);
CREATE INDEX events_by_partnership ON events (partnership_id, starts_on);
"""

# Version 2: recorded import batches (each can be undone) and the users who sign in.
_SCHEMA_V2 = """
CREATE SEQUENCE batch_ids;
CREATE TABLE import_batches (
    id INTEGER PRIMARY KEY DEFAULT nextval('batch_ids'),
    table_name VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    file_hash VARCHAR NOT NULL,
    user_name VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    rows_read INTEGER NOT NULL DEFAULT 0,
    inserted INTEGER NOT NULL DEFAULT 0,
    updated INTEGER NOT NULL DEFAULT 0,
    unchanged INTEGER NOT NULL DEFAULT 0,
    cities_created INTEGER NOT NULL DEFAULT 0,
    status VARCHAR NOT NULL DEFAULT 'committed',
    undone_at TIMESTAMP,
    undone_by VARCHAR
);
-- One row per row a batch inserted or updated, with the full previous values of an update
-- (JSON text), so an undo restores exactly what was there.
CREATE TABLE import_changes (
    batch_id INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    table_name VARCHAR NOT NULL,
    row_id INTEGER NOT NULL,
    action VARCHAR NOT NULL,
    before VARCHAR,
    PRIMARY KEY (batch_id, seq)
);
CREATE INDEX import_changes_row ON import_changes (table_name, row_id);
CREATE TABLE users (
    name VARCHAR PRIMARY KEY,
    role VARCHAR NOT NULL,
    password_hash VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMP
);
"""

# Version 3: the lifecycle (stage history, missions, follow-up actions, indicator targets), other
# cities' ties for the network view, and what grant reports ask of an event.
_SCHEMA_V3 = """
CREATE SEQUENCE stage_ids;
CREATE SEQUENCE mission_ids;
CREATE SEQUENCE follow_up_ids;
CREATE SEQUENCE target_ids;
CREATE SEQUENCE tie_ids;
ALTER TABLE events ADD COLUMN participants_female INTEGER;
ALTER TABLE events ADD COLUMN participants_male INTEGER;
ALTER TABLE events ADD COLUMN participants_by_country VARCHAR;
ALTER TABLE events ADD COLUMN funding_source VARCHAR;
ALTER TABLE events ADD COLUMN budget DOUBLE;
ALTER TABLE events ADD COLUMN currency VARCHAR;
CREATE TABLE stages (
    id INTEGER PRIMARY KEY DEFAULT nextval('stage_ids'),
    partnership_id INTEGER NOT NULL,
    status VARCHAR NOT NULL,
    entered_on DATE NOT NULL,
    entered_precision VARCHAR NOT NULL DEFAULT 'day',
    note VARCHAR,
    source VARCHAR,
    is_demo BOOLEAN NOT NULL DEFAULT false
);
CREATE TABLE missions (
    id INTEGER PRIMARY KEY DEFAULT nextval('mission_ids'),
    title VARCHAR NOT NULL,
    destination_city_id INTEGER NOT NULL,
    starts_on DATE NOT NULL,
    starts_precision VARCHAR NOT NULL DEFAULT 'day',
    ends_on DATE,
    ends_precision VARCHAR,
    travellers VARCHAR,
    purpose VARCHAR,
    outcomes VARCHAR,
    status VARCHAR NOT NULL,
    partnership_id INTEGER,
    is_demo BOOLEAN NOT NULL DEFAULT false
);
CREATE TABLE follow_ups (
    id INTEGER PRIMARY KEY DEFAULT nextval('follow_up_ids'),
    partnership_id INTEGER NOT NULL,
    action VARCHAR NOT NULL,
    owner VARCHAR,
    due_on DATE NOT NULL,
    due_precision VARCHAR NOT NULL DEFAULT 'day',
    status VARCHAR NOT NULL,
    done_on DATE,
    done_precision VARCHAR,
    notes VARCHAR,
    is_demo BOOLEAN NOT NULL DEFAULT false
);
-- A success indicator with a number: visitors from the partner's country to the home city
-- in the due period (usually a year) reach target_value.
CREATE TABLE targets (
    id INTEGER PRIMARY KEY DEFAULT nextval('target_ids'),
    partnership_id INTEGER NOT NULL,
    indicator VARCHAR NOT NULL,
    target_value DOUBLE NOT NULL,
    due_on DATE NOT NULL,
    due_precision VARCHAR NOT NULL DEFAULT 'year',
    description VARCHAR,
    is_demo BOOLEAN NOT NULL DEFAULT false
);
CREATE TABLE ties (
    id INTEGER PRIMARY KEY DEFAULT nextval('tie_ids'),
    city_id INTEGER NOT NULL,
    other_city_id INTEGER NOT NULL,
    source VARCHAR,
    is_demo BOOLEAN NOT NULL DEFAULT false
);
CREATE INDEX stages_by_partnership ON stages (partnership_id, entered_on);
CREATE INDEX follow_ups_by_partnership ON follow_ups (partnership_id, due_on);
"""

# Version 4: sign-in throttling for every name tried, known or not (the same answer for both),
# apart from the users themselves; recording an attempt does not touch the data version.
_SCHEMA_V4 = """
CREATE TABLE sign_in_attempts (
    name VARCHAR PRIMARY KEY,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMP,
    last_attempt TIMESTAMP NOT NULL
);
INSERT INTO sign_in_attempts
    SELECT name, failed_attempts, locked_until, current_timestamp FROM users WHERE failed_attempts > 0;
ALTER TABLE users DROP COLUMN failed_attempts;
ALTER TABLE users DROP COLUMN locked_until;
"""

# (version, SQL that brings a file from version-1 to version). Append, never edit, so that
# every file ever written can be brought forward step by step.
MIGRATIONS: list[tuple[int, str]] = [(1, _SCHEMA_V1), (2, _SCHEMA_V2), (3, _SCHEMA_V3), (4, _SCHEMA_V4)]
SCHEMA_VERSION = MIGRATIONS[-1][0]

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


def connect(path: Path | str) -> duckdb.DuckDBPyConnection:
    """Open (creating and filling it on first use) the database at ``path``, migrated.

    A missing file is built from the shipped CSV files in a temporary file that is renamed
    into place only when complete, so an interrupted first start leaves nothing half-built.
    A busy, damaged or newer file raises :class:`DatabaseError`, never DuckDB's own error.
    """
    path = Path(path)
    if not path.exists():
        _build(path)
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


def _build(path: Path) -> None:
    from twinmap import seed  # seed imports db; import here to keep the dependency one-way

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.building")
    tmp.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        migrate(con)
        seed.load_shipped(con)
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
