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

from twinmap import config, db
from twinmap.reference import N_, Explained

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
    create_user(con, "admin", password, "admin")
    if given:
        log.warning("twinmap: created user 'admin' with the password from TWINMAP_ADMIN_PASSWORD")
        return None
    log.warning("twinmap: created user 'admin' with password %s (shown once; change it on the Users page)", password)
    return password


def sign_in(con: duckdb.DuckDBPyConnection, name: str, password: str) -> User:
    """Check a name and password; raise :class:`AuthError` with a message safe to show."""
    row = (
        con.cursor()
        .execute("SELECT role, password_hash, failed_attempts, locked_until FROM users WHERE name = ?", [name])
        .fetchone()
    )
    if row is None:
        _verify(_DUMMY_HASH, password)  # same work as for a real user: no timing hint
        raise AuthError(N_("wrong user name or password"))
    role, stored, failures, locked_until = row
    if locked_until is not None and locked_until > _now():
        wait = int((locked_until - _now()).total_seconds()) + 1
        raise AuthError(N_("too many failed sign-ins: try again in {n} seconds"), n=wait)
    if not _verify(stored, password):
        _failed(con, name, failures + 1)
        raise AuthError(N_("wrong user name or password"))
    with db.write_transaction(con) as cur:
        new_hash = _hasher.hash(password) if _hasher.check_needs_rehash(stored) else stored
        cur.execute(
            "UPDATE users SET failed_attempts = 0, locked_until = NULL, password_hash = ? WHERE name = ?",
            [new_hash, name],
        )
    return User(name, role)


def _verify(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (argon2.exceptions.VerificationError, argon2.exceptions.InvalidHashError):
        return False


def _failed(con: duckdb.DuckDBPyConnection, name: str, failures: int) -> None:
    lock = None
    if failures >= FREE_FAILURES:
        seconds = min(BASE_LOCK_SECONDS * 2 ** (failures - FREE_FAILURES), MAX_LOCK_SECONDS)
        lock = _now() + dt.timedelta(seconds=seconds)
    with db.write_transaction(con) as cur:
        cur.execute("UPDATE users SET failed_attempts = ?, locked_until = ? WHERE name = ?", [failures, lock, name])


def users(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Users without their hashes, for the admin page."""
    return (
        con.cursor()
        .execute("SELECT name, role, created_at, failed_attempts, locked_until FROM users ORDER BY name")
        .df()
    )


def set_password(con: duckdb.DuckDBPyConnection, name: str, password: str) -> None:
    """Replace a user's password (and lift any lock)."""
    _check_password(password)
    with db.write_transaction(con) as cur:
        cur.execute(
            "UPDATE users SET password_hash = ?, failed_attempts = 0, locked_until = NULL WHERE name = ?",
            [_hasher.hash(password), name],
        )


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
