"""Which documents and photos a reader may see, and their thumbnails and bytes.

The rule, in SQL on every path (pages, kiosk, report, downloads, open data):

- the public (signed out, the kiosk, the public report, open data) sees an attachment only when
  it is marked public *and* its partnership is in a public stage (a candidate's photos stay in);
- a signed-in reader sees every attachment of their home cities' partnerships (every one, when
  not limited to some home cities) and those of no partnership, besides the public ones.

Lists never read bytes: only the metadata, and a thumbnail when a page shows one.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from twinmap.core.reference import PRIVATE_STATUSES
from twinmap.store import db
from twinmap.store.auth import User


@dataclass(frozen=True)
class Audience:
    """Who reads: signed out (public attachments only), or signed in and of some home cities (None: every one)."""

    signed_in: bool = False
    homes: tuple[int, ...] | None = None


PUBLIC = Audience()


def audience(user: User | None) -> Audience:
    """The audience a signed-in user (or None, a visitor) is."""
    if user is None:
        return PUBLIC
    return Audience(True, tuple(sorted(user.homes)) if user.scoped else None)


_COLUMNS = """a.id, a.partnership_id, a.event_id, a.mission_id, a.kind, a.title, a.dated_on, a.is_public, a.caption,
              a.credit, a.licence, a.file_name, a.added_by, a.added_at, a.sha256, f.media_type, f.size, f.width,
              f.height, f.pages, f.thumbnail IS NOT NULL AS has_thumbnail, e.starts_on AS event_on,
              e.title AS event_title"""


def _visible(who: Audience) -> tuple[str, list[object]]:
    """SQL (aliases a, p) for the attachments ``who`` may see, and its parameters."""
    public = "(a.is_public AND (p.id IS NULL OR p.status NOT IN (SELECT unnest(?))))"
    params: list[object] = [sorted(PRIVATE_STATUSES)]
    if not who.signed_in:
        return public, params
    if who.homes is None:
        return "TRUE", []
    return f"({public} OR a.partnership_id IS NULL OR p.home_city_id IN (SELECT unnest(?)))", [*params, list(who.homes)]


def listing(
    con: duckdb.DuckDBPyConnection, who: Audience, partnership_ids: tuple[int, ...] = (),
    event_ids: tuple[int, ...] = (), mission_ids: tuple[int, ...] = (), only_own: bool = False,
) -> pd.DataFrame:  # fmt: skip
    """The attachments ``who`` may see on these records, newest first; no bytes.

    A partnership's list holds its events' and missions' attachments too, unless ``only_own``.
    """
    where, params = _visible(who)
    own = "a.event_id IS NULL AND a.mission_id IS NULL AND " if only_own else ""
    cur = con.cursor().execute(
        f"""SELECT {_COLUMNS} FROM attachments a JOIN attachment_files f ON f.sha256 = a.sha256
            LEFT JOIN partnerships p ON p.id = a.partnership_id LEFT JOIN events e ON e.id = a.event_id
            WHERE {where} AND ((({own}a.partnership_id IN (SELECT unnest(?))))
                               OR a.event_id IN (SELECT unnest(?)) OR a.mission_id IN (SELECT unnest(?)))
            ORDER BY coalesce(a.dated_on, CAST(e.starts_on AS DATE), CAST(a.added_at AS DATE)) DESC, a.id DESC""",
        [*params, list(partnership_ids), list(event_ids), list(mission_ids)],
    )
    return db.frame(cur)


def public_photos(con: duckdb.DuckDBPyConnection, limit: int = 12) -> pd.DataFrame:
    """The newest public photos of public partnerships and their events (the kiosk's slide, open data), no bytes."""
    where, params = _visible(PUBLIC)
    cur = con.cursor().execute(
        f"""SELECT {_COLUMNS}, p.partner_city_id FROM attachments a JOIN attachment_files f ON f.sha256 = a.sha256
            LEFT JOIN partnerships p ON p.id = a.partnership_id LEFT JOIN events e ON e.id = a.event_id
            WHERE {where} AND a.kind = 'photo' AND f.media_type LIKE 'image/%'
            ORDER BY coalesce(a.dated_on, CAST(e.starts_on AS DATE), CAST(a.added_at AS DATE)) DESC, a.id DESC
            LIMIT ?""",
        [*params, int(limit)],
    )
    return db.frame(cur)


def agreements_on_file(con: duckdb.DuckDBPyConnection) -> set[int]:
    """The partnerships whose signed agreement is attached (an element of the agreement on record)."""
    rows = (
        con.cursor()
        .execute(
            "SELECT DISTINCT partnership_id FROM attachments WHERE kind = 'agreement' AND partnership_id IS NOT NULL"
        )
        .fetchall()
    )
    return {int(i) for (i,) in rows}


def thumbnail(con: duckdb.DuckDBPyConnection, attachment_id: int, who: Audience) -> bytes | None:
    """The small picture of an attachment ``who`` may see (None: none made, or not theirs to see)."""
    found = _one(con, attachment_id, who, "f.thumbnail")
    return bytes(found[0]) if found and found[0] is not None else None


def content(con: duckdb.DuckDBPyConnection, attachment_id: int, who: Audience) -> tuple[str, str, bytes] | None:
    """(file name, media type, bytes) of an attachment ``who`` may see; None otherwise."""
    found = _one(con, attachment_id, who, "a.file_name, f.media_type, f.content")
    return (found[0], found[1], bytes(found[2])) if found else None


def _one(con: duckdb.DuckDBPyConnection, attachment_id: int, who: Audience, columns: str) -> tuple | None:
    where, params = _visible(who)
    return (
        con.cursor()
        .execute(
            f"""SELECT {columns} FROM attachments a JOIN attachment_files f ON f.sha256 = a.sha256
            LEFT JOIN partnerships p ON p.id = a.partnership_id WHERE a.id = ? AND {where}""",
            [int(attachment_id), *params],
        )
        .fetchone()
    )
