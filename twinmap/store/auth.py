"""Users, roles and sign-in.

Passwords are stored only as Argon2id hashes. There is no built-in default password: on a
first start with no users an ``admin`` is created with the password from
``TWINMAP_ADMIN_PASSWORD`` or, when that is unset, a random one written once to the server
log. After three failed sign-ins a name is locked for a time that doubles with each further
failure (5 s, 10 s, 20 s ... up to 15 minutes), so guessing slows down to nothing.

A user may be limited to some home cities (:attr:`User.homes`): they change only those cities'
data (:mod:`twinmap.ingest.scopes` says which rows are a city's). Admins, and users with no home
cities listed, are not limited. People a directory signs in (OIDC, :func:`sign_in_directory`)
are users too, without a password here; their role and home cities come from the directory's
claims on every sign-in. Every sign-in, failed attempt and lockout is recorded for the admins
(:func:`sign_ins`) and kept for ``TWINMAP_SIGN_IN_DAYS`` days.

A session holds the user as they signed in, with the *epoch* of their sessions. The store
decides on every run (:func:`standing`): whenever a user is added, changed or removed the
store's ``users_version`` moves on, and each session reads its user again: a removed user, or
one whose epoch moved (signed out, a new password, "sign out everywhere"), is signed out; a
changed role or set of home cities applies from that run on.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
from dataclasses import dataclass, field

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


PASSWORD, DIRECTORY = "password", "oidc"  # how a user signs in (users.sign_in, sign_ins.method)
# A reader the server makes itself to open its pages before its port opens (twinmap serve); no
# browser's session can hold one (session state holds only what the server's code puts there).
PREPARED = "prepared"
# What the sign-in audit says happened (sign_ins.outcome)
SIGNED_IN, FAILED, LOCKED_OUT = N_("signed in"), N_("wrong name or password"), N_("locked out")
REFUSED_LOCKED, SIGNED_OUT = N_("refused: locked"), N_("signed out")


@dataclass(frozen=True)
class User:
    """A signed-in person: role, the home cities they may change (none: all), how they signed in."""

    name: str
    role: str
    homes: tuple[int, ...] = ()
    method: str = PASSWORD
    epoch: int = 0  # the user's sessions' epoch when this one began: a newer one in the store ends it

    def can(self, role: str) -> bool:
        """True when this user's role is ``role`` or above."""
        return ROLES.index(self.role) >= ROLES.index(role)

    @property
    def scoped(self) -> bool:
        """Limited to some home cities: not an admin, and home cities are listed for them."""
        return self.role != "admin" and bool(self.homes)

    def sees_private(self, home_city_id: int) -> bool:
        """Whether this staff member reads a partnership's private data (stages, notes, contacts)."""
        return self.can("editor") and (not self.scoped or int(home_city_id) in self.homes)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


NAME_RULE = N_("a user name is 2-40 letters, digits, dots, dashes, underscores or @")


def create_user(
    con: duckdb.DuckDBPyConnection, name: str, password: str, role: str, homes: tuple[int, ...] = ()
) -> None:
    """Add a user; the name is letters, digits, dot, dash, underscore or @ (a directory's e-mail names)."""
    if not _good_name(name):
        raise AuthError(NAME_RULE)
    _check_password(password)
    _check_role(role)
    with db.write_transaction(con) as cur:
        if cur.execute("SELECT 1 FROM users WHERE name = ?", [name]).fetchone():
            raise AuthError(N_("there is already a user {name}"), name=name)
        cur.execute(
            "INSERT INTO users (name, role, password_hash, sign_in) VALUES (?, ?, ?, ?)",
            [name, role, _hasher.hash(password), PASSWORD],
        )
        _set_homes(cur, name, homes)
        _users_changed(cur)


def _good_name(name: str) -> bool:
    return bool(re.fullmatch(r"[\w.@-]{2,80}", name))


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise AuthError(N_("the role must be one of {roles}"), roles=", ".join(ROLES))


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AuthError(N_("a password has at least {n} characters"), n=MIN_PASSWORD)


def new_password() -> str:
    """A random password for a new or reset account (16 URL-safe characters: 96 bits), shown once to whoever set it."""
    return secrets.token_urlsafe(12)


def ensure_admin(con: duckdb.DuckDBPyConnection) -> str | None:
    """Create the first admin when there are no users; return a generated password (else None)."""
    if con.cursor().execute("SELECT count(*) FROM users").fetchone()[0]:
        return None
    given = config.get("TWINMAP_ADMIN_PASSWORD")
    if given and len(given) < MIN_PASSWORD:  # a bad setting must not stop every page: say so, make one up
        log.error("twinmap: TWINMAP_ADMIN_PASSWORD was not used: it has %d characters, a password has at least %d",
                  len(given), MIN_PASSWORD)  # fmt: skip
        given = None
    password = given or new_password()
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
    sql = "SELECT role, password_hash, coalesce(epoch, 0) FROM users WHERE name = ?"
    row = con.cursor().execute(sql, [name]).fetchone()
    if row is None or not row[1]:  # no such user, or one the directory signs in (no password here)
        _verify(_DUMMY_HASH, password)  # same work as for a real user: no timing hint
        _failed(con, name)
    role, stored, epoch = row
    if not _verify(stored, password):
        _failed(con, name)
    with db.write_transaction(con, bump=False) as cur:
        cur.execute("DELETE FROM sign_in_attempts WHERE name = ?", [name])
        if _hasher.check_needs_rehash(stored):
            cur.execute("UPDATE users SET password_hash = ? WHERE name = ?", [_hasher.hash(password), name])
        record(cur, name, PASSWORD, SIGNED_IN)
    return User(name, role, home_cities(con, name), PASSWORD, int(epoch))


def _failed(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Record a wrong name or password (and the lockout it starts), then refuse with the same words for both."""
    with db.write_transaction(con, bump=False) as cur:
        found = cur.execute("SELECT locked_until FROM sign_in_attempts WHERE name = ?", [name]).fetchone()
        record(cur, name, PASSWORD, FAILED)
        if found and found[0] is not None:
            record(cur, name, PASSWORD, LOCKED_OUT, f"until {found[0]:%Y-%m-%d %H:%M:%S} UTC")
    raise AuthError(WRONG)


def _reserve(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Count one more attempt for the name, locking it after the free ones; refuse while it is locked."""
    now = _now()
    wait = 0
    with db.write_transaction(con, bump=False) as cur:
        cur.execute(  # forget names nobody has tried for a day, so guessing cannot fill the table
            "DELETE FROM sign_in_attempts WHERE last_attempt < ? AND (locked_until IS NULL OR locked_until < ?)",
            [now - dt.timedelta(days=1), now],
        )
        sql = "SELECT failed_attempts, locked_until FROM sign_in_attempts WHERE name = ?"
        failures, locked_until = cur.execute(sql, [name]).fetchone() or (0, None)
        if locked_until is not None and locked_until > now:
            wait = int((locked_until - now).total_seconds()) + 1
            record(cur, name, PASSWORD, REFUSED_LOCKED)
        else:
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
    if wait:  # refused after the transaction, so the refusal stays recorded
        raise AuthError(LOCKED, n=wait)


def _verify(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (argon2.exceptions.VerificationError, argon2.exceptions.InvalidHashError):
        return False


def users(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Users without their hashes, for the admin page: role, home cities (names; none = all), how they sign in."""
    sql = """SELECT u.name, u.role, u.created_at, coalesce(u.sign_in, 'password') AS sign_in,
                    coalesce(a.failed_attempts, 0) AS failed_attempts, a.locked_until,
                    coalesce((SELECT string_agg(c.name, ', ' ORDER BY c.name) FROM user_home_cities h
                              JOIN city_names c ON c.id = h.city_id WHERE h.user_name = u.name), '') AS home_cities
             FROM users u LEFT JOIN sign_in_attempts a ON a.name = u.name ORDER BY u.name"""
    return con.cursor().execute(sql).df()


def user(con: duckdb.DuckDBPyConnection, name: str) -> User | None:
    """A user as the store holds them now (the command line's ``--as``; a directory's sign-in; every run's check)."""
    sql = "SELECT role, coalesce(sign_in, 'password'), coalesce(epoch, 0) FROM users WHERE name = ?"
    found = con.cursor().execute(sql, [name]).fetchone()
    return User(name, found[0], home_cities(con, name), found[1], int(found[2])) if found else None


def users_version(con: duckdb.DuckDBPyConnection) -> int:
    """A number that moves whenever a user is added, changed, removed or signed out (sessions read theirs again)."""
    row = con.cursor().execute("SELECT value FROM meta WHERE key = 'users_version'").fetchone()
    return int(row[0]) if row else 0


def _users_changed(cur: duckdb.DuckDBPyConnection, ended: str | None = None) -> None:
    """In the caller's transaction: every session reads its user again; ``ended``'s sessions all end."""
    if ended is not None:
        cur.execute("UPDATE users SET epoch = coalesce(epoch, 0) + 1 WHERE name = ?", [ended])
    row = cur.execute("SELECT value FROM meta WHERE key = 'users_version'").fetchone()
    db.set_meta(cur, "users_version", str(int(row[0]) + 1 if row else 1))


def standing(current: User, now: User | None) -> tuple[User | None, str | None]:
    """What a session that holds ``current`` becomes, given the user as the store holds them ``now``.

    The user itself, updated (a new role or home cities apply at once), or None with why the
    session ended: the user was removed, or their sessions were ended (signed out elsewhere, a
    new password, an admin's "sign out everywhere").
    """
    if current.method == PREPARED:
        return current, None
    if now is None:
        return None, N_("your user was removed: you are signed out")
    if now.epoch != current.epoch:
        return None, N_("your sessions were ended (signed out, a new password, or by an admin): sign in again")
    return (current if now == current else now), None


def end_sessions(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Sign a user out everywhere: every session of theirs, on every app server, ends on its next run."""
    with db.write_transaction(con, bump=False) as cur:
        if not cur.execute("SELECT 1 FROM users WHERE name = ?", [name]).fetchone():
            raise AuthError(N_("there is no user {name}"), name=name)
        _users_changed(cur, ended=name)
        record(cur, name, PASSWORD, N_("signed out everywhere"))


def home_cities(con: duckdb.DuckDBPyConnection, name: str) -> tuple[int, ...]:
    """The home cities a user may change (empty: not limited)."""
    sql = "SELECT city_id FROM user_home_cities WHERE user_name = ? ORDER BY city_id"
    return tuple(int(i) for (i,) in con.cursor().execute(sql, [name]).fetchall())


def give_password(con: duckdb.DuckDBPyConnection, name: str, role: str | None = None,
                  home_cities: str | None = None) -> tuple[str, str]:  # fmt: skip
    """Give a user a new random password, adding them (as ``role``, default editor) if needed.

    ``role`` changes an existing user's role; ``home_cities`` ("City,CC;City,CC", "" for every home
    city) limits them. Returns the password and the scope in words. What the command line's
    ``password`` does, on the store or through the running app's desk (:mod:`twinmap.store.desk`).
    """
    password = new_password()
    homes = find_cities(con, home_cities) if home_cities is not None else None
    if name in set(users(con)["name"]):
        set_password(con, name, password)
        if role:
            set_role(con, name, role, by="command line")
    else:
        create_user(con, name, password, role or "editor")
    if homes is not None:
        set_home_cities(con, name, homes)
    scope = users(con).set_index("name").loc[name, "home_cities"]
    return password, f"{name} changes {'the data of ' + scope if scope else 'every home city'}"


def set_home_cities(con: duckdb.DuckDBPyConnection, name: str, city_ids: tuple[int, ...] | list[int]) -> None:
    """Limit a user to these home cities (none: every home city)."""
    with db.write_transaction(con, bump=False) as cur:
        if not cur.execute("SELECT 1 FROM users WHERE name = ?", [name]).fetchone():
            raise AuthError(N_("there is no user {name}"), name=name)
        _set_homes(cur, name, tuple(city_ids))
        _users_changed(cur)


def _set_homes(cur: duckdb.DuckDBPyConnection, name: str, city_ids: tuple[int, ...]) -> None:
    ids = sorted({int(i) for i in city_ids})
    known = {int(i) for (i,) in cur.execute("SELECT id FROM cities WHERE id IN (SELECT unnest(?))", [ids]).fetchall()}
    if set(ids) - known:
        raise AuthError(N_("there is no city #{id}"), id=min(set(ids) - known))
    cur.execute("DELETE FROM user_home_cities WHERE user_name = ?", [name])
    for city in ids:
        cur.execute("INSERT INTO user_home_cities VALUES (?, ?)", [name, city])


def find_cities(con: duckdb.DuckDBPyConnection, text: str) -> tuple[int, ...]:
    """Cities named "City,CC;City,CC" (the command line's ``--home-cities``, the directory's group map).

    A name shared by two cities of one country means the one that is a home city; if none or
    both are, the name is refused with the choices, as "#id" picks one.
    """
    found = []
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        if re.fullmatch(r"#\d+", part):
            found.append(int(part[1:]))
            continue
        city, _, country = (x.strip() for x in part.rpartition(","))
        if not city or len(country) != 2:
            raise AuthError(N_("{text} is not a city and its country code, as in Shiraz,IR"), text=part)
        rows = con.cursor().execute(
            """SELECT c.id, n.name, EXISTS (SELECT 1 FROM partnerships p WHERE p.home_city_id = c.id) FROM cities c
               JOIN city_names n ON n.id = c.id
               WHERE c.country_code = ? AND (lower(c.name) = lower(?) OR lower(c.local_name) = lower(?))
               ORDER BY c.id""",
            [country.upper(), city, city],
        ).fetchall()  # fmt: skip
        homes = [r for r in rows if r[2]]
        if len(rows) == 1 or len(homes) == 1:
            found.append(int((homes or rows)[0][0]))
        elif not rows:
            raise AuthError(N_("there is no city {city} in {country}"), city=city, country=country.upper())
        else:
            choices = "; ".join(f"#{i} {n}" for i, n, _h in rows)
            raise AuthError(N_("{city} names several cities in {country}: {choices}"), city=city,
                            country=country.upper(), choices=choices)  # fmt: skip
    return tuple(found)


def set_password(con: duckdb.DuckDBPyConnection, name: str, password: str) -> None:
    """Replace a user's password (and lift any lock)."""
    _check_password(password)
    with db.write_transaction(con) as cur:
        cur.execute("UPDATE users SET password_hash = ? WHERE name = ?", [_hasher.hash(password), name])
        cur.execute("DELETE FROM sign_in_attempts WHERE name = ?", [name])
        _users_changed(cur, ended=name)  # a new password ends the sessions the old one opened


def set_role(con: duckdb.DuckDBPyConnection, name: str, role: str, by: str) -> None:
    """Change a user's role; an admin cannot demote themselves (someone must stay admin)."""
    _check_role(role)
    if name == by and role != "admin":
        raise AuthError(N_("you cannot take the admin role from yourself"))
    with db.write_transaction(con) as cur:
        cur.execute("UPDATE users SET role = ? WHERE name = ?", [role, name])
        _users_changed(cur)


def delete_user(con: duckdb.DuckDBPyConnection, name: str, by: str) -> None:
    """Remove a user (not oneself)."""
    if name == by:
        raise AuthError(N_("you cannot delete yourself"))
    with db.write_transaction(con) as cur:
        cur.execute("DELETE FROM users WHERE name = ?", [name])
        cur.execute("DELETE FROM user_home_cities WHERE user_name = ?", [name])
        _users_changed(cur)


# --- single sign-on (OIDC) -----------------------------------------------------------------


@dataclass(frozen=True)
class ClaimMap:
    """How a directory's claims name a user and give their role and home cities (settings TWINMAP_OIDC_*)."""

    name_claims: tuple[str, ...] = ("preferred_username", "email", "sub")
    groups_claim: str = "groups"
    roles: dict[str, str] = field(default_factory=dict)  # group -> role
    homes: dict[str, str] = field(default_factory=dict)  # group -> "City,CC" (or "#id")


def claim_map() -> ClaimMap:
    """The claim mapping the settings give."""
    return ClaimMap(
        tuple(c.strip() for c in config.get("TWINMAP_OIDC_NAME_CLAIMS").split(",") if c.strip()),
        config.get("TWINMAP_OIDC_GROUPS_CLAIM").strip(),
        _pairs(config.get("TWINMAP_OIDC_ROLES")),
        _pairs(config.get("TWINMAP_OIDC_HOME_CITIES")),
    )


def _pairs(text: str) -> dict[str, str]:
    """Text of the form group=value;group=value as a dict (a value may hold commas: Shiraz,IR)."""
    found = {}
    for part in text.split(";"):
        group, sep, value = part.partition("=")
        if sep and group.strip() and value.strip():
            found[group.strip()] = value.strip()
    return found


def _groups(claims: dict, claim: str) -> list[str]:
    value = claims.get(claim) if claim else None
    if isinstance(value, str):
        return [g for g in re.split(r"[\s,]+", value) if g]
    return [str(g) for g in value] if isinstance(value, list | tuple) else []


def sign_in_directory(con: duckdb.DuckDBPyConnection, claims: dict, mapping: ClaimMap | None = None) -> User:
    """The twinmap user a directory's sign-in (OIDC claims) is: created on the first sign-in, a viewer unless mapped.

    A role the groups map is applied on every sign-in (the directory decides); without one,
    the role stays what an admin gave (a first sign-in is a viewer). Home cities the groups map
    replace the user's on every sign-in; without any, an admin's choice stays. A name that is a
    local user with a password here is refused, so a directory account never takes over one.
    """
    mapping = mapping or claim_map()
    name = next((str(claims[c]).strip() for c in mapping.name_claims if claims.get(c)), "")
    if not _good_name(name):
        _refuse_directory(con, name or "?", N_("the directory gave no usable user name"))
    groups = _groups(claims, mapping.groups_claim)
    mapped = [mapping.roles[g] for g in groups if mapping.roles.get(g) in ROLES]
    role = max(mapped, key=ROLES.index) if mapped else None
    homes, unknown = _directory_homes(con, [mapping.homes[g] for g in groups if g in mapping.homes])
    with db.write_transaction(con, bump=False) as cur:
        sql = "SELECT role, coalesce(sign_in, 'password'), coalesce(epoch, 0) FROM users WHERE name = ?"
        row = cur.execute(sql, [name]).fetchone()
        if row is not None and row[1] == PASSWORD:
            refused = True
        else:
            refused = False
            if row is None:
                cur.execute("INSERT INTO users (name, role, password_hash, sign_in) VALUES (?, ?, '', ?)",
                            [name, role or "viewer", DIRECTORY])  # fmt: skip
            elif role and role != row[0]:
                cur.execute("UPDATE users SET role = ? WHERE name = ?", [role, name])
            if homes or (row is None and mapping.homes):
                _set_homes(cur, name, homes)
            if row is None or (role and role != row[0]) or homes:
                _users_changed(cur)
            given = role or (row[0] if row else "viewer")
            detail = f"role {given}" + (" from the groups" if role else "") + (
                f"; unknown cities in the group map: {', '.join(unknown)}" if unknown else "")  # fmt: skip
            record(cur, name, DIRECTORY, SIGNED_IN, detail)
    if refused:
        _refuse_directory(con, name, N_("{name} is a local user here: sign in with the password"), name=name)
    return User(name, given, home_cities(con, name), DIRECTORY, int(row[2]) if row else 0)


def _directory_homes(con: duckdb.DuckDBPyConnection, named: list[str]) -> tuple[tuple[int, ...], list[str]]:
    """The home cities the groups name, and the names no city of the store answers to (left out, noted)."""
    found, unknown = [], []
    for text in named:
        try:
            found += find_cities(con, text)
        except AuthError:
            unknown.append(text)
    return tuple(sorted(set(found))), unknown


def _refuse_directory(con: duckdb.DuckDBPyConnection, who: str, msgid: str, **values: object) -> None:
    with db.write_transaction(con, bump=False) as cur:
        record(cur, who, DIRECTORY, N_("refused"), msgid.format(**values))
    raise AuthError(msgid, **values)


# --- the sign-in audit -------------------------------------------------------------------


def retention_days() -> int:
    """How long sign-ins are kept (``TWINMAP_SIGN_IN_DAYS``, at least a day)."""
    return max(1, config.whole("TWINMAP_SIGN_IN_DAYS"))


def record(cur: duckdb.DuckDBPyConnection, name: str, method: str, outcome: str, detail: str = "") -> None:
    """One line of the audit, in the caller's transaction; lines older than the retention go at the same time."""
    now = _now()
    cur.execute("DELETE FROM sign_ins WHERE happened_at < ?", [now - dt.timedelta(days=retention_days())])
    (row_id,) = db.next_ids(cur, "sign_ins", 1)
    cur.execute("INSERT INTO sign_ins VALUES (?, ?, ?, ?, ?, ?)", [row_id, now, name[:80], method, outcome,
                                                                   detail or None])  # fmt: skip


def signed_out(con: duckdb.DuckDBPyConnection, current: User) -> None:
    """Record that a user signed out, and end every session of theirs (another tab, another device, another server)."""
    with db.write_transaction(con, bump=False) as cur:
        _users_changed(cur, ended=current.name)
        record(cur, current.name, current.method, SIGNED_OUT)


def sign_ins(con: duckdb.DuckDBPyConnection, limit: int = 1000) -> pd.DataFrame:
    """The audit, newest first: who signed in, when, how, and every failure and lockout."""
    sql = "SELECT happened_at, name, method, outcome, detail FROM sign_ins ORDER BY happened_at DESC, id DESC LIMIT ?"
    return con.cursor().execute(sql, [limit]).df()
