"""Whose a row is, and whether a user limited to some home cities may write it.

A province or an association keeps many home cities in one store; a user may be limited to
some of them (:attr:`twinmap.store.auth.User.homes`). The rule, for every write (an import, a
grid's save, a form, a stage move, an undo):

- a partnership is its home city's: only a user of that home city writes it, creates it or
  deletes it (a partnership of a home city not yet in the store is no one's to create but an
  admin's or a user of that city);
- the rows of a partnership (events, contacts, stages, follow-ups, targets, a mission made for
  it) are the partnership's home city's;
- a home city's own records (its organisations, press coverage, people abroad) are that city's;
- the rest is shared reference data that anyone may add to or correct: cities, other cities'
  ties, indicators, a mission of no partnership; except that a row naming *another* home city
  (Sari's own record, Sari's indicators, a tie of Sari's) is that city's.

The store decides, not the session: the user's role and home cities are read again inside
the write transaction (an admin who narrows a user's cities takes effect at once), and the
rule is checked both where a file is planned (each row a problem with its row, column and
reason) and again just before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from twinmap.core.reference import N_, Explained
from twinmap.ingest.specs import ATTACHMENTS, TABLES, TableSpec
from twinmap.store.auth import User

OUTSIDE = N_("{city} is outside your home cities: {homes}")
MAY_NOT_WRITE = N_("{user} may not change data (role: {role})")
NO_LONGER = N_("{user} is no longer a user here, or was signed out: sign in again; nothing was changed")


class OutsideScope(Explained):
    """A write reaches rows of home cities outside the user's; nothing was written."""


@dataclass(frozen=True)
class Fence:
    """A limited user's home cities as the store holds them now, and the other home cities."""

    user: str
    homes: frozenset[int]
    others: frozenset[int]  # every other home city: of a partnership, or listed for some user
    names: str  # the user's home cities, as messages name them
    partnership_homes: dict[int, int]  # partnership id -> its home city
    refused: tuple[str, dict] | None = None  # why this user may write nothing at all (msgid, values)


Writer = User | str | None  # whose rights a write uses: a signed-in user, a user's name, or None (not limited)


def fence(cur: duckdb.DuckDBPyConnection, writer: Writer) -> Fence | None:
    """The limits of ``writer``; None when not limited.

    The store's users table decides (role and home cities as they are now). A signed-in user
    the store no longer holds, or whose sessions were ended since they signed in (signed out
    elsewhere, a new password), writes nothing. None, or a name that is no user (the command
    line without ``--as``, the shipped data), is not limited.
    """
    if writer is None:
        return None
    name = writer.name if isinstance(writer, User) else writer
    found = cur.execute("SELECT role, coalesce(epoch, 0) FROM users WHERE name = ?", [name]).fetchone()
    signed_in = isinstance(writer, User)
    if signed_in and (found is None or int(found[1]) != writer.epoch):
        return Fence(name, frozenset(), frozenset(), "", {}, (NO_LONGER, {"user": name}))
    if found is None:
        return None
    role = found[0]
    homes = {int(i) for (i,) in cur.execute("SELECT city_id FROM user_home_cities WHERE user_name = ?", [name])
             .fetchall()}  # fmt: skip
    if role == "viewer":
        return Fence(name, frozenset(), frozenset(), "", {}, (MAY_NOT_WRITE, {"user": name, "role": role}))
    if role == "admin" or not homes:
        return None
    everyone = cur.execute(
        "SELECT DISTINCT home_city_id FROM partnerships UNION SELECT city_id FROM user_home_cities"
    ).fetchall()
    names = cur.execute(
        "SELECT name FROM city_names WHERE id IN (SELECT unnest(?)) ORDER BY name", [sorted(homes)]
    ).fetchall()
    pairs = cur.execute("SELECT id, home_city_id FROM partnerships").fetchall()
    return Fence(name, frozenset(homes), frozenset(int(i) for (i,) in everyone) - homes,
                 ", ".join(n for (n,) in names), {int(i): int(h) for i, h in pairs})  # fmt: skip


def columns(table: str) -> tuple[str, ...]:
    """The stored columns that say whose a row of ``table`` is (an attachment's: its partnership's, if any)."""
    if table == ATTACHMENTS:
        return ("partnership_id",)
    spec = TABLES[table]
    if table == "partnerships":
        return ("home_city_id",)
    shared = ("id",) if table == "cities" else tuple(r.db for r in spec.cities if not spec.partnership
                                                     or not spec.partnership_required)  # fmt: skip
    return (("partnership_id",) if spec.partnership else ()) + shared


def own_rows(spec: TableSpec) -> str:
    """SQL (alias t, partnership p) for the rows of some home cities (one parameter): a partnership's rows by its home.

    Shared tables (cities, ties, indicators) have no such condition: every reader may read them.
    """
    if spec.name == "partnerships":
        return "t.home_city_id IN (SELECT unnest(?))"
    if spec.partnership:
        orphan = "" if spec.partnership_required else " OR t.partnership_id IS NULL"
        return f"(p.home_city_id IN (SELECT unnest(?)){orphan})"
    if any(r.db == "home_city_id" for r in spec.cities):  # a home city's own records (organisations, people abroad)
        return "t.home_city_id IN (SELECT unnest(?))"
    return ""


def where(table: str, column: str) -> str:
    """The template column a problem of that stored column names (home_city for a partnership's rows)."""
    spec = TABLES[table]
    if column in ("home_city_id", "partnership_id"):
        return "home_city"
    if column == "id":
        return "name"
    return next((r.city for r in spec.cities if r.db == column), column)


def outside(f: Fence, table: str, values: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the city that puts it outside the user's home cities (0: inside), and the column that says so.

    ``values`` holds each of :func:`columns` as integers, 0 where the row has none (a planned
    new city is negative: never another's home city, never one of the user's).
    """
    n = len(next(iter(values.values()))) if values else 0
    city = np.zeros(n, dtype=np.int64)
    column = np.full(n, "", dtype=object)
    homes = np.array(sorted(f.homes), dtype=np.int64)
    others = np.array(sorted(f.others), dtype=np.int64)
    owned = np.zeros(n, dtype=bool)  # the row is a partnership's (or is one): only its home city counts
    if "home_city_id" in values:  # a partnership, or a home city's own record (an organisation, a person abroad)
        home = values["home_city_id"]
        owned[:] = True
        bad = ~np.isin(home, homes)
        city[bad], column[bad] = home[bad], "home_city_id"
    elif "partnership_id" in values:
        ids = values["partnership_id"]
        owned = ids > 0
        distinct, inverse = np.unique(ids, return_inverse=True)
        home = np.array([f.partnership_homes.get(int(i), 0) for i in distinct], dtype=np.int64)[inverse]
        bad = owned & ~np.isin(home, homes)
        city[bad], column[bad] = home[bad], "partnership_id"
    for name in columns(table):
        if name in ("home_city_id", "partnership_id") or name not in values:
            continue
        bad = ~owned & (city == 0) & np.isin(values[name], others)
        city[bad], column[bad] = values[name][bad], name
    return city, column


def refuse(f: Fence | None, table: str, values: dict[str, np.ndarray], names: dict[int, str]) -> None:
    """Raise :class:`OutsideScope` naming the first row outside the user's home cities (the last guard)."""
    if f is None:
        return
    if f.refused:
        raise OutsideScope(f.refused[0], **f.refused[1])
    city, _column = outside(f, table, values)
    if city.any():
        first = int(city[np.flatnonzero(city)[0]])
        raise OutsideScope(OUTSIDE, city=names.get(first, f"#{first}"), homes=f.names)


def ints(values: object, n: int) -> np.ndarray:
    """A column of ids (Arrow, a list or None) as integers, 0 for none."""
    if values is None:
        return np.zeros(n, dtype=np.int64)
    if isinstance(values, pa.Array | pa.ChunkedArray):
        if pa.types.is_null(values.type):
            return np.zeros(n, dtype=np.int64)
        return np.asarray(pc.fill_null(values.cast(pa.int64()), 0).to_numpy(zero_copy_only=False), dtype=np.int64)
    return np.array([int(v) if v is not None and v == v else 0 for v in values], dtype=np.int64)  # type: ignore[union-attr]


def row_values(table: str, rows: list[dict]) -> dict[str, np.ndarray]:
    """What :func:`outside` reads, from rows as dicts (a change's old or new values, a deleted row)."""
    return {c: ints([r.get(c) for r in rows], len(rows)) for c in columns(table)}
