"""Documents and photos attached to a record (a partnership, an event, a mission), kept in the store.

Files are checked first (:mod:`twinmap.ingest.uploads`): one refused file refuses the whole
upload, each reason on its own line, and nothing is stored. What is kept goes in as one batch:
the bytes once per content in ``attachment_files`` (the same photo attached to two events is
stored once), a row per attachment in ``attachments``. The batch's history names the files, an
undo removes what it added (and the bytes no other attachment holds), and a removal is a batch
too, undone by bringing the attachment back. A file already on the same record is not added
twice. Home-city scopes apply: an attachment is its partnership's (an event's or a mission's
partnership), so only that home city's staff add or remove it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa

from twinmap.core import config, reference
from twinmap.core.reference import N_, Explained
from twinmap.ingest import batches, scopes, uploads
from twinmap.ingest.specs import ATTACHED_TO, ATTACHMENTS

TITLE_CHARS, CAPTION_CHARS = 300, 2000

NO_RECORD = {"partnerships": N_("there is no partnership {key}"), "events": N_("there is no event #{key}"),
             "missions": N_("there is no mission #{key}")}  # fmt: skip
KEY_FORM = N_('a partnership is named as "Home,CC;Partner,CC" (for example "Sari,IR;Astrakhan,RU") or by its id')
RECORD_FULL = N_("{file}: the record would hold {size}, more than the {limit} a record may hold; nothing was stored.")


class NotStored(Exception):
    """An upload refused whole: ``refusals`` says why, a line per file."""

    def __init__(self, refusals: list[Explained]):
        super().__init__("; ".join(str(r) for r in refusals))
        self.refusals = refusals

    def said(self, tr: object) -> list[str]:
        """Each refusal in a reader's language (``tr``: a Translator)."""
        return [r.said(tr) if isinstance(r, uploads.Refused) else tr(r.msgid, **r.values)  # type: ignore[operator]
                for r in self.refusals]  # fmt: skip


@dataclass(frozen=True)
class Target:
    """The record files are attached to: a table that takes attachments and the row's id."""

    table: str
    id: int

    @property
    def column(self) -> str:
        """The attachments' column that names this record."""
        return ATTACHED_TO[self.table]


@dataclass(frozen=True)
class Details:
    """What staff say about the files: kind (None: photo or other document by type), title, date, who sees them."""

    kind: str | None = None
    title: str = ""
    dated_on: dt.date | None = None
    public: bool = False
    caption: str = ""
    credit: str = ""
    licence: str = ""


@dataclass(frozen=True)
class Stored:
    """The outcome of an upload: its batch (None when every file was already there), what was kept and skipped."""

    batch: int | None
    kept: list[uploads.Checked]
    already: list[str] = field(default_factory=list)


def limits() -> tuple[int, int]:
    """The most bytes a file, and a record's files together, may hold (settings, in megabytes)."""
    return config.whole("TWINMAP_ATTACHMENT_MB") * 1_000_000, config.whole("TWINMAP_RECORD_MB") * 1_000_000


def find(con: duckdb.DuckDBPyConnection, table: str, key: str) -> Target:
    """The record ``key`` names: an id (``12``, ``#12``) or, for a partnership, "Home,CC;Partner,CC"."""
    if table not in ATTACHED_TO:
        raise ValueError(f"{table} takes no attachments")
    text = key.strip().lstrip("#")
    cur = con.cursor()
    if text.isdigit():
        found = cur.execute(f"SELECT id FROM {table} WHERE id = ?", [int(text)]).fetchone()
    elif table == "partnerships" and ";" in text:
        (home, home_cc), (partner, partner_cc) = (_city_key(part) for part in text.split(";", 1))
        found = cur.execute(
            """SELECT p.id FROM partnerships p JOIN cities h ON h.id = p.home_city_id
                                               JOIN cities c ON c.id = p.partner_city_id
               WHERE (lower(h.name) = lower(?) OR lower(h.local_name) = lower(?)) AND upper(h.country_code) = ?
                 AND (lower(c.name) = lower(?) OR lower(c.local_name) = lower(?)) AND upper(c.country_code) = ?
               ORDER BY p.id LIMIT 1""",
            [home, home, home_cc, partner, partner, partner_cc],
        ).fetchone()
    else:
        raise Explained(KEY_FORM if table == "partnerships" else NO_RECORD[table], key=key)
    if found is None:
        raise Explained(NO_RECORD[table], key=text)
    return Target(table, int(found[0]))


def _city_key(text: str) -> tuple[str, str]:
    name, _sep, country = text.rpartition(",")
    if not name.strip():
        raise Explained(KEY_FORM)
    return name.strip(), country.strip().upper()


def check_all(files: list[tuple[str, bytes]]) -> list[uploads.Checked]:
    """Every file checked; :class:`NotStored` with a line per refused file when any is refused."""
    limit, _record = limits()
    kept, refused = [], []
    for name, data in files:
        try:
            kept.append(uploads.check(name, data, limit))
        except uploads.Refused as err:
            refused.append(err)
    if refused:
        raise NotStored(refused)
    return kept


def attach(
    con: duckdb.DuckDBPyConnection, files: list[tuple[str, bytes]], to: Target, details: Details, user: str,
    writer: scopes.Writer = None,
) -> Stored:  # fmt: skip
    """Check and store ``files`` on ``to`` as one batch; :class:`NotStored`, nothing stored, if any is refused."""
    checked = check_all(files)
    cur = con.cursor()
    held = {sha for (sha,) in cur.execute(f"SELECT sha256 FROM attachments WHERE {to.column} = ?", [to.id]).fetchall()}
    new: dict[str, uploads.Checked] = {}
    for c in checked:
        if c.sha256 not in held:
            new.setdefault(c.sha256, c)
    already = [c.name for c in checked if c.sha256 in held or new[c.sha256] is not c]  # held, or twice in the upload
    if not new:
        return Stored(None, [], already)
    _within_record_limit(cur, to, list(new.values()))
    rows = _rows(cur, to, list(new.values()), details, user)
    source = (_source_name(list(new.values())), hashlib.sha256("".join(sorted(new)).encode()).hexdigest())
    batch = batches.commit_rows(con, ATTACHMENTS, rows, [], source, user, writer,
                                before=lambda c: _store_files(c, list(new.values())),
                                need=sum(len(c.content) for c in new.values()) * 2)  # fmt: skip
    return Stored(batch, list(new.values()), already)


def remove(con: duckdb.DuckDBPyConnection, ids: list[int], user: str, writer: scopes.Writer = None) -> int:
    """Remove attachments as one batch (their bytes stay while the removal can be undone)."""
    names = [n for (n,) in con.cursor().execute("SELECT file_name FROM attachments WHERE id IN (SELECT unnest(?)) "
                                                "ORDER BY id", [ids]).fetchall()]  # fmt: skip
    source = (f"removed: {', '.join(names)}"[:300], hashlib.sha256(repr(sorted(ids)).encode()).hexdigest())
    return batches.commit_rows(con, ATTACHMENTS, None, ids, source, user, writer)


def _within_record_limit(cur: duckdb.DuckDBPyConnection, to: Target, new: list[uploads.Checked]) -> None:
    """Refuse an upload that would take the record past the setting's total."""
    _file, limit = limits()
    held = cur.execute(
        f"""SELECT coalesce(sum(f.size), 0) FROM attachments a JOIN attachment_files f ON f.sha256 = a.sha256
            WHERE a.{to.column} = ?""",
        [to.id],
    ).fetchone()[0]
    total = int(held)
    for c in new:
        total += len(c.content)
        if total > limit:
            raise NotStored([Explained(RECORD_FULL, file=c.name, size=uploads.size_text(total),
                                       limit=uploads.size_text(limit))])  # fmt: skip


def _rows(cur: duckdb.DuckDBPyConnection, to: Target, new: list[uploads.Checked], d: Details, user: str) -> pa.Table:
    """The attachment rows for the files, each naming its record and the partnership that record belongs to."""
    partnership = to.id if to.table == "partnerships" else _partnership_of(cur, to)
    kinds = reference.codes(reference.ATTACHMENT_KINDS)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    rows = []
    for c in new:
        kind = d.kind if d.kind in kinds else ("photo" if c.is_photo else "other")
        kind = "other" if kind == "photo" and not c.is_photo else kind  # a photo is a picture: a PDF is a document
        title = _text(d.title, TITLE_CHARS) if d.title else c.name.rpartition(".")[0] or c.name
        rows.append({
            "partnership_id": partnership, "event_id": to.id if to.table == "events" else None,
            "mission_id": to.id if to.table == "missions" else None, "sha256": c.sha256, "file_name": c.name,
            "kind": kind, "title": title, "dated_on": d.dated_on, "is_public": bool(d.public),
            "caption": _text(d.caption, CAPTION_CHARS) or None, "credit": _text(d.credit, TITLE_CHARS) or None,
            "licence": _text(d.licence, TITLE_CHARS) or None, "added_by": user, "added_at": now,
        })  # fmt: skip
    schema = pa.schema([("partnership_id", pa.int64()), ("event_id", pa.int64()), ("mission_id", pa.int64()),
                        ("sha256", pa.string()), ("file_name", pa.string()), ("kind", pa.string()),
                        ("title", pa.string()), ("dated_on", pa.date32()), ("is_public", pa.bool_()),
                        ("caption", pa.string()), ("credit", pa.string()), ("licence", pa.string()),
                        ("added_by", pa.string()), ("added_at", pa.timestamp("us"))])  # fmt: skip
    return pa.Table.from_pylist(rows, schema)


def _partnership_of(cur: duckdb.DuckDBPyConnection, to: Target) -> int | None:
    found = cur.execute(f"SELECT partnership_id FROM {to.table} WHERE id = ?", [to.id]).fetchone()
    return int(found[0]) if found and found[0] is not None else None


def _text(value: str, most: int) -> str:
    """What staff typed, as one line of plain text (control characters dropped), cut to ``most`` characters."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in value or "").split())[:most]


def _source_name(new: list[uploads.Checked]) -> str:
    names = ", ".join(c.name for c in new)
    return names if len(names) <= 300 else f"{names[:280]}… ({len(new)} files)"


def _store_files(cur: duckdb.DuckDBPyConnection, new: list[uploads.Checked]) -> None:
    """Each file's bytes and thumbnail, unless the store already holds that content."""
    for c in new:
        cur.execute(
            """INSERT INTO attachment_files (sha256, media_type, size, width, height, pages, content, thumbnail)
               SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM attachment_files WHERE sha256 = ?)""",
            [c.sha256, c.media_type, len(c.content), c.width, c.height, c.pages, c.content, c.thumbnail, c.sha256],
        )
