"""Users, roles and sign-in.

Passwords are stored only as Argon2id hashes. There is no built-in default password: on a
first start with no users an ``admin`` is created with the password from
``TWINMAP_ADMIN_PASSWORD`` or, when that is unset, a random one written once to the server
log. After three failed sign-ins a name is locked for a time that doubles with each further
failure (5 s, 10 s, 20 s ... up to 15 minutes), so guessing slows down to nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
from dataclasses import dataclass

import argon2
import duckdb
import pandas as pd

from twinmap.core import config
from twinmap.core.reference import N_, Explained
from twinmap.store import db

ROLES = (N_("viewer"), N_("editor"), N_("admin"))
FREE_FAILURES = 3
BASE_LOCK_SECONDS = 5
MAX_LOCK_SECONDS = 15 * 60
MIN_PASSWORD = 10
_hasher = argon2.PasswordHasher()
_DUMMY_HASH = _hasher.hash("twinmap-timing-equaliser")
log = logging.getLogger("twinmap.auth")


class AuthError(Explained):
    """Sign-in or user management refused; ``msgid`` and ``values`` let pages translate it."""


@dataclass(frozen=True)
class User:
    """A signed-in person."""

    name: str
    role: str

    def can(self, role: str) -> bool:
        """True when this user's role is ``role`` or above."""
        return ROLES.index(self.role) >= ROLES.index(role)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def create_user(con: duckdb.DuckDBPyConnection, name: str, password: str, role: str) -> None:
    """Add a user; the name is letters, digits, dot, dash or underscore."""
    if not re.fullmatch(r"[\w.-]{2,40}", name):
        raise AuthError(N_("a user name is 2-40 letters, digits, dots, dashes or underscores"))
    _check_password(password)
    if role not in ROLES:
        raise AuthError(N_("the role must be one of {roles}"), roles=", ".join(ROLES))
    with db.write_transaction(con) as cur:
        if cur.execute("SELECT 1 FROM users WHERE name = ?", [name]).fetchone():
            raise AuthError(N_("there is already a user {name}"), name=name)
        cur.execute(
            "INSERT INTO users (name, role, password_hash) VALUES (?, ?, ?)", [name, role, _hasher.hash(password)]
        )


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AuthError(N_("a password has at least {n} characters"), n=MIN_PASSWORD)


def ensure_admin(con: duckdb.DuckDBPyConnection) -> str | None:
    """Create the first admin when there are no users; return a generated password (else None)."""
    if con.cursor().execute("SELECT count(*) FROM users").fetchone()[0]:
        return None
    given = config.get("TWINMAP_ADMIN_PASSWORD")
    password = given or secrets.token_urlsafe(12)
    try:
        create_user(con, "admin", password, "admin")
    except AuthError:
        if con.cursor().execute("SELECT count(*) FROM users").fetchone()[0]:
            return None  # another app server on the same database made the first admin a moment before
        raise
    if given:
        log.warning("twinmap: created user 'admin' with the password from TWINMAP_ADMIN_PASSWORD")
        return None
    log.warning("twinmap: created user 'admin' with password %s (shown once; change it on the Users page)", password)
    return password


WRONG = N_("wrong user name or password")
LOCKED = N_("too many failed sign-ins: try again in {n} seconds")


def sign_in(con: duckdb.DuckDBPyConnection, name: str, password: str) -> User:
    """Check a name and password; raise :class:`AuthError` with a message safe to show.

    Each attempt is counted as a failure *before* the slow password check and cleared only by a
    success, so attempts made in parallel all count; and names nobody has are counted the same
    way, so the answers never tell a real name from an invented one.
    """
    _reserve(con, name)
    row = con.cursor().execute("SELECT role, password_hash FROM users WHERE name = ?", [name]).fetchone()
    if row is None:
        _verify(_DUMMY_HASH, password)  # same work as for a real user: no timing hint
        raise AuthError(WRONG)
    role, stored = row
    if not _verify(stored, password):
        raise AuthError(WRONG)
    with db.write_transaction(con, bump=False) as cur:
        cur.execute("DELETE FROM sign_in_attempts WHERE name = ?", [name])
        if _hasher.check_needs_rehash(stored):
            cur.execute("UPDATE users SET password_hash = ? WHERE name = ?", [_hasher.hash(password), name])
    return User(name, role)


def _reserve(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Count one more attempt for the name, locking it after the free ones; refuse while it is locked."""
    now = _now()
    with db.write_transaction(con, bump=False) as cur:
        cur.execute(  # forget names nobody has tried for a day, so guessing cannot fill the table
            "DELETE FROM sign_in_attempts WHERE last_attempt < ? AND (locked_until IS NULL OR locked_until < ?)",
            [now - dt.timedelta(days=1), now],
        )
        sql = "SELECT failed_attempts, locked_until FROM sign_in_attempts WHERE name = ?"
        failures, locked_until = cur.execute(sql, [name]).fetchone() or (0, None)
        if locked_until is not None and locked_until > now:
            raise AuthError(LOCKED, n=int((locked_until - now).total_seconds()) + 1)
        failures += 1
        lock = None
        if failures >= FREE_FAILURES:
            seconds = min(BASE_LOCK_SECONDS * 2 ** (failures - FREE_FAILURES), MAX_LOCK_SECONDS)
            lock = now + dt.timedelta(seconds=seconds)
        cur.execute(
            """INSERT INTO sign_in_attempts VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET
               failed_attempts = excluded.failed_attempts, locked_until = excluded.locked_until,
               last_attempt = excluded.last_attempt""",
            [name, failures, lock, now],
        )


def _verify(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (argon2.exceptions.VerificationError, argon2.exceptions.InvalidHashError):
        return False


def users(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Users without their hashes, for the admin page."""
    sql = """SELECT u.name, u.role, u.created_at, coalesce(a.failed_attempts, 0) AS failed_attempts, a.locked_until
             FROM users u LEFT JOIN sign_in_attempts a ON a.name = u.name ORDER BY u.name"""
    return con.cursor().execute(sql).df()


def set_password(con: duckdb.DuckDBPyConnection, name: str, password: str) -> None:
    """Replace a user's password (and lift any lock)."""
    _check_password(password)
    with db.write_transaction(con) as cur:
        cur.execute("UPDATE users SET password_hash = ? WHERE name = ?", [_hasher.hash(password), name])
        cur.execute("DELETE FROM sign_in_attempts WHERE name = ?", [name])


def set_role(con: duckdb.DuckDBPyConnection, name: str, role: str, by: str) -> None:
    """Change a user's role; an admin cannot demote themselves (someone must stay admin)."""
    if role not in ROLES:
        raise AuthError(N_("the role must be one of {roles}"), roles=", ".join(ROLES))
    if name == by and role != "admin":
        raise AuthError(N_("you cannot take the admin role from yourself"))
    with db.write_transaction(con) as cur:
        cur.execute("UPDATE users SET role = ? WHERE name = ?", [role, name])


def delete_user(con: duckdb.DuckDBPyConnection, name: str, by: str) -> None:
    """Remove a user (not oneself)."""
    if name == by:
        raise AuthError(N_("you cannot delete yourself"))
    with db.write_transaction(con) as cur:
        cur.execute("DELETE FROM users WHERE name = ?", [name])
