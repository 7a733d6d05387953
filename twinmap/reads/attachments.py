"""Which documents and photos a reader may see, and their thumbnails and bytes.

The rule, in SQL on every path (pages, kiosk, report, downloads, open data):

- the public (signed out, the kiosk, the public report, open data) sees an attachment only when
  it is marked public *and* its partnership is in a public stage (a candidate's photos stay in);
- a signed-in reader sees every attachment of their home cities' partnerships (every one, when
  not limited to some home cities) and those of no partnership, besides the public ones.

Lists never read bytes: only the metadata, and a thumbnail when a page shows one.
"""

from __future__ import annotations

import datetime as dt
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


# Every read joins an attachment to its file, its partnership (whose stage and home city decide who
# sees it) and its event; a photo is shown under its own date, else its event's, else the day it came.
_FROM = """FROM attachments a JOIN attachment_files f ON f.sha256 = a.sha256
           LEFT JOIN partnerships p ON p.id = a.partnership_id LEFT JOIN events e ON e.id = a.event_id"""
_SHOWN_ON = "coalesce(a.dated_on, CAST(e.starts_on AS DATE), CAST(a.added_at AS DATE))"


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
    con: duckdb.DuckDBPyConnection, who: Audience, partnerships: tuple[int, ...] = (), events: tuple[int, ...] = (),
    missions: tuple[int, ...] = (), only_own: bool = False,
) -> pd.DataFrame:  # fmt: skip
    """The attachments ``who`` may see on these records (ids; none given: none read), newest first; no bytes.

    A partnership's list holds its events' and missions' attachments too, unless ``only_own``.
    """
    where, params = _visible(who)
    own = "a.event_id IS NULL AND a.mission_id IS NULL AND " if only_own else ""
    cur = con.cursor().execute(
        f"""SELECT {_COLUMNS} {_FROM}
            WHERE {where} AND ((({own}a.partnership_id IN (SELECT unnest(?))))
                               OR a.event_id IN (SELECT unnest(?)) OR a.mission_id IN (SELECT unnest(?)))
            ORDER BY {_SHOWN_ON} DESC, a.id DESC""",
        [*params, list(partnerships), list(events), list(missions)],
    )
    return db.frame(cur)


def public_photos(con: duckdb.DuckDBPyConnection, limit: int = 12) -> pd.DataFrame:
    """The newest public photos of public partnerships and their events (the kiosk's slide, open data), no bytes."""
    where, params = _visible(PUBLIC)
    cur = con.cursor().execute(
        f"""SELECT {_COLUMNS}, hc.name AS home_name, hc.local_name AS home_local_name, pc.name AS partner_name,
                   pc.local_name AS partner_local_name
            {_FROM}
            LEFT JOIN city_names hc ON hc.id = p.home_city_id LEFT JOIN city_names pc ON pc.id = p.partner_city_id
            WHERE {where} AND a.kind = 'photo' AND f.media_type LIKE 'image/%'
            ORDER BY {_SHOWN_ON} DESC, a.id DESC
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
            f"""SELECT {columns} {_FROM} WHERE a.id = ? AND {where}""",
            [int(attachment_id), *params],
        )
        .fetchone()
    )


def year_photos(
    con: duckdb.DuckDBPyConnection, who: Audience, partnerships: tuple[int, ...], first: dt.date, last: dt.date,
    per_partnership: int = 3, most: int = 24,
) -> pd.DataFrame:  # fmt: skip
    """A year's photos for the annual report: up to ``per_partnership`` of each partnership, newest first.

    A photo belongs to the year by its own date, else its event's, else the day it was added.
    Only thumbnails (480 px, about 200 dpi at a third of an A4 page) are read, never the files.
    """
    where, params = _visible(who)
    cur = con.cursor().execute(
        f"""SELECT * FROM (
              SELECT *, row_number() OVER (PARTITION BY partnership_id ORDER BY shown_on DESC, id DESC) AS nth
              FROM (SELECT a.id, a.partnership_id, a.title, a.caption, a.credit, f.thumbnail,
                           {_SHOWN_ON} AS shown_on
                    {_FROM}
                    WHERE {where} AND a.kind = 'photo' AND f.thumbnail IS NOT NULL
                      AND a.partnership_id IN (SELECT unnest(?))) AS y
              WHERE shown_on BETWEEN ? AND ?) AS t
            WHERE nth <= ? ORDER BY shown_on DESC, id DESC LIMIT ?""",
        [*params, list(partnerships), first, last, int(per_partnership), int(most)],
    )
    return db.frame(cur)
