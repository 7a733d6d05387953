"""The one import pipeline: read a file, validate every row, and plan what would change.

:func:`plan_import` never writes. It returns a :class:`Plan`: the rows that are new, changed
(old -> new) or unchanged, cities to be created from the gazetteer, and every problem with its
row and column. Any problem rejects the whole file; :mod:`twinmap.batches` commits a clean plan
in one transaction and can undo it.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from twinmap.core import reference
from twinmap.core.geo import distance_km, km_outside
from twinmap.core.reference import N_
from twinmap.core.text import fold, is_latin, parse_counts, quoted
from twinmap.ingest import bulk, convert, gazetteer, readers
from twinmap.ingest.mapping import Mapping, split_pairs
from twinmap.ingest.specs import TABLES, CityRef, Column, TableSpec, aliases
from twinmap.store import db


@dataclass(frozen=True)
class Problem:
    """One reason a file is rejected; ``row`` is the line number as Excel shows it.

    The reason is a catalogue message with values, so the Data page shows it in the reader's
    language; ``reason`` is the English text (reports, the command line).
    """

    row: int | None
    column: str
    msgid: str
    values: dict = field(default_factory=dict, compare=False)

    @property
    def reason(self) -> str:
        """The reason in English."""
        return self.msgid.format(**self.values)

    def text(self, filename: str) -> str:
        """The problem as one sentence naming file, row and column."""
        where = ", ".join(
            p
            for p in (filename, f"row {self.row}" if self.row else "", f"column {self.column}" if self.column else "")
            if p
        )
        return f"{where}: {self.reason}"


@dataclass
class Change:
    """A row that exists and would change: its id, full old values and the new values that differ."""

    id: int
    before: dict[str, Any]
    after: dict[str, Any]
    row: int


@dataclass
class Plan:
    """What importing a file would do."""

    table: str
    filename: str
    data: bytes = field(repr=False)
    file_hash: str = ""
    encoding: str = ""
    delimiter: str = ""
    rows_read: int = 0
    new_table: pa.Table | None = field(default=None, repr=False)  # the new rows, typed as stored
    new_rows: list[int] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    unchanged: int = 0
    new_cities: list[dict[str, Any]] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    mapping: Mapping | None = field(default=None, repr=False)  # how the file's columns were read
    city_names: dict[int, str] = field(default_factory=dict, repr=False)  # every held city, to show names
    partnership_cities: dict[int, tuple[int, int]] = field(default_factory=dict, repr=False)  # id -> home, partner
    part: str = ""  # of a pair list: "ours" (partnerships) or "others" (ties)
    version: int | None = None  # the store's data version the plan was made against
    source: readers.Sheet | None = field(default=None, repr=False)  # the file as read, for the skipped rows' file
    blank_clears: bool = False  # asked for: a blank cell of a row that updates a held row erases its value
    city_spellings: list[Change] = field(default_factory=list)  # held cities given the file's spelling as local name
    deleted: list[Change] = field(default_factory=list)  # rows to delete (grid edits), each with its full values

    @property
    def new(self) -> list[dict[str, Any]]:
        """The new rows as dicts (previews, tests); the commit reads :attr:`new_table`."""
        return self.new_table.to_pylist() if self.new_table is not None else []

    @property
    def new_count(self) -> int:
        """How many rows are new."""
        return self.new_table.num_rows if self.new_table is not None else 0

    @property
    def can_skip(self) -> bool:
        """Every problem is a row's (none is the file's or its header's) and some rows are valid."""
        return bool(self.errors) and all(p.row and p.row > 1 for p in self.errors) and self.valid_rows > 0

    @property
    def skipped_rows(self) -> list[int]:
        """The line numbers of the rows an import of the valid rows leaves out."""
        return sorted({p.row for p in self.errors if p.row})

    @property
    def cities_to_create(self) -> list[dict[str, Any]]:
        """The planned cities a committed row refers to (none for a row that was left out)."""
        if not self.new_cities:
            return []
        used = {v for c in self.changed for k, v in c.after.items() if k.endswith("city_id")}
        table = self.new_table if self.new_table is not None else pa.table({})
        for name in table.column_names:
            if name.endswith("city_id"):
                used |= set(pc.unique(table[name]).to_pylist())
        return [c for c in self.new_cities if c["id"] in used]

    @property
    def spellings_to_add(self) -> list[Change]:
        """The local names a committed row gives held cities (none from a row that was left out)."""
        skipped = set(self.skipped_rows) if self.errors else set()
        return [c for c in self.city_spellings if c.row not in skipped]

    @property
    def erasures(self) -> list[tuple[int, str, Any]]:
        """Every held value a blank cell erases (row, database column, old value): asked for with blank_clears."""
        return [
            (c.row, k, c.before.get(k))
            for c in self.changed
            for k, v in c.after.items()
            if _plain(v) in (None, []) and _plain(c.before.get(k)) not in (None, [])
        ]

    @property
    def has_changes(self) -> bool:
        """Whether committing would write anything."""
        return bool(self.new_count or self.changed or self.cities_to_create or self.spellings_to_add or self.deleted)

    @property
    def valid_rows(self) -> int:
        """Rows that would be imported (new, changed or unchanged)."""
        return self.new_count + len(self.changed) + self.unchanged

    def rejects_csv(self) -> bytes:
        """The skipped rows in the file's own columns, with a ``problem`` column: fix them and import again."""
        reasons: dict[int, list[str]] = {}
        for p in self.errors:
            reasons.setdefault(p.row, []).append(f"{p.column}: {p.reason}" if p.column else p.reason)
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        header = self.source.header if self.source else []
        writer.writerow([*header, "problem"])
        for line, cells in self.source.rows if self.source else ():
            if line in reasons:
                writer.writerow([*cells, *[""] * (len(header) - len(cells)), "; ".join(reasons[line])])
        return buf.getvalue().encode("utf-8-sig")

    @property
    def ok(self) -> bool:
        """True when the file can be committed."""
        return not self.errors

    def fingerprint(self) -> tuple:
        """What a commit would do, to check that nothing moved between preview and commit."""
        changed = [(c.id, sorted(c.after)) for c in self.changed]
        spellings = [(c.id, c.after["local_name"]) for c in self.city_spellings]
        deleted = [c.id for c in self.deleted]
        return (
            self.file_hash,
            self.new_count,
            changed,
            len(self.new_cities),
            tuple(self.skipped_rows),
            spellings,
            deleted,
        )

    def report(self, status: str) -> dict[str, Any]:
        """The machine-readable report (command line ``--report`` and tests)."""
        return {
            "status": status, "table": self.table, "file": self.filename, "encoding": self.encoding,
            "rows_read": self.rows_read, "inserted": self.new_count, "updated": len(self.changed),
            "unchanged": self.unchanged, "cities_created": len(self.cities_to_create),
            "deleted": len(self.deleted), "local_names_added": len(self.spellings_to_add),
            "erased": [{"row": r, "column": c, "old": _json_safe(v)} for r, c, v in self.erasures],
            "skipped": len(self.skipped_rows) if self.errors else 0,
            "errors": [{"row": p.row, "column": p.column, "reason": p.reason} for p in self.errors],
            "warnings": [w.reason for w in self.warnings],
        }  # fmt: skip


def plan_import(
    con: duckdb.DuckDBPyConnection,
    data: bytes,
    filename: str,
    table: str,
    mapping: Mapping | None = None,
    part: str = "",
    blank_clears: bool = False,
) -> Plan:
    """Read and validate a file for ``table`` against the current database; write nothing.

    A blank cell of a row that updates a held row keeps the held value, so a file needs only
    each row's key and what changes; ``blank_clears`` (staff ask for it) makes a blank cell
    erase the held value instead, and the plan lists each erased value (:attr:`Plan.erasures`).

    With a ``mapping`` the file's columns are read as it says; a pair list mapped onto
    partnerships with a home side is planned in two parts (:func:`plan_pairs`): ``part="ours"``
    the rows with one of our home cities, ``part="others"`` the rest, as other cities' ties.
    """
    spec = TABLES[table]
    plan = Plan(
        table, filename, data, hashlib.sha256(data).hexdigest(), mapping=mapping, part=part, blank_clears=blank_clears
    )
    plan.version = db.data_version(con)
    try:
        original = readers.read(data)
        sheet = mapping.apply(original) if mapping else original
        if part:
            sheet = split_pairs(sheet, _home_keys(con), mapping.home_side)[part]
    except readers.FileProblem as err:
        plan.errors.append(Problem(None, "", err.msgid, err.values))
        return plan
    plan.encoding, plan.delimiter = sheet.encoding, sheet.delimiter
    plan.warnings = [Problem(None, "", N_("read the first sheet, {name}"), {"name": quoted(n)}) for n in sheet.notes]
    columns = _map_header(spec, sheet.header, plan)
    if plan.errors:
        return plan
    plan.rows_read, plan.source = len(sheet), original
    if not len(sheet):
        if not part:  # a part of a pair list may well be empty (no row names one of our home cities)
            plan.errors.append(Problem(None, "", N_("the file has a header but no rows")))
        return plan
    _Planner(con.cursor(), spec, plan, columns, len(sheet.header)).run(sheet)
    return plan


def plan_pairs(
    con: duckdb.DuckDBPyConnection, data: bytes, filename: str, mapping: Mapping, blank_clears: bool = False
) -> list[Plan]:
    """A list of city pairs: partnerships where one side is our home city, the other rows as ties."""
    return [
        plan_import(con, data, filename, "partnerships", mapping, part="ours", blank_clears=blank_clears),
        plan_import(con, data, filename, "ties", mapping, part="others", blank_clears=blank_clears),
    ]


def _home_keys(con: duckdb.DuckDBPyConnection) -> set[tuple[str, str]]:
    """Our home cities as (folded name, country), under their English and local names."""
    rows = (
        con.cursor()
        .execute(
            """SELECT DISTINCT c.name, c.local_name, c.country_code FROM cities c
           JOIN partnerships p ON p.home_city_id = c.id"""
        )
        .fetchall()
    )
    return {(fold(n), cc) for name, local, cc in rows for n in (name, local) if n}


def _map_header(spec: TableSpec, header: list[str], plan: Plan) -> dict[int, Column]:
    """Match header cells to template columns by name or alias (English, Russian, Persian)."""
    lookup = aliases(spec)
    mapped: dict[int, Column] = {}
    for i, cell in enumerate(header):
        col = lookup.get(fold(cell))
        if col is None:
            if cell.strip():
                msgid = N_("column {name} is not part of the {table} template and was not imported")
                plan.warnings.append(Problem(1, cell, msgid, {"name": quoted(cell), "table": spec.name}))
            continue
        if col in mapped.values():
            plan.errors.append(
                Problem(1, cell, N_("the column {name} appears twice in the header"), {"name": col.name})
            )
        mapped[i] = col
    present = {c.name for c in mapped.values()}
    keys = spec.key_columns()
    for col in spec.columns:
        if col.required and col.name not in present and col.name in keys:
            plan.errors.append(
                Problem(1, col.name, N_("the required column {name} is missing from the header"), {"name": col.name})
            )
    return mapped


_CONVERT = {
    "text": convert.text, "int": convert.integer, "float": convert.decimal, "bool": convert.boolean,
    "date": convert.date, "country": convert.country, "side": convert.side, "id": convert.integer,
    "counts": convert.counts,
}  # fmt: skip


def _convert(col: Column, cell: str) -> tuple[Any, convert.CellError | None]:
    """A cell's stored value by its column's kind and limits, or why it cannot be stored."""
    try:
        if col.kind == "code":
            value = convert.code(cell, col.vocab)
        elif col.kind == "areas":
            value = tuple(convert.codes(cell, col.vocab))
        else:
            value = _CONVERT[col.kind](cell)
        if col.kind in ("int", "float", "id"):
            convert.within(value, col.low, col.high)
    except convert.CellError as err:
        return None, err
    return value, None


FAR_KM = 50  # a file's coordinates farther than this from the named city flag the row


class _CellProblem(Exception):
    """A cell's conversion failed while resolving a city (which column, and why)."""

    def __init__(self, column: str, err: convert.CellError):
        super().__init__(column)
        self.column, self.err = column, err


@dataclass
class _Match:
    """The valid rows of a file (positions and line numbers) and the held row each updates (-1: a new row)."""

    rows: np.ndarray
    lines: np.ndarray
    held: pa.Table
    old: np.ndarray
    accepted: np.ndarray
    table: pa.Table


class _Planner:
    """Validates a file a column at a time, resolving cities and partnerships, and sorts rows into the plan.

    Each column's distinct values are converted once and spread back over the rows (Arrow
    arrays); cities are resolved once per distinct spelling; checks across a row's values and
    the matching against held rows run on whole columns. Problems still name file, row, column
    and why, in row order, as a row-by-row reading would report them.
    """

    def __init__(
        self, cur: duckdb.DuckDBPyConnection, spec: TableSpec, plan: Plan, columns: dict[int, Column], width: int
    ):
        self.cur, self.spec, self.plan, self.columns, self.width = cur, spec, plan, columns, width
        self.present = {c.name for c in columns.values()}
        self.refs = self._ref_columns()
        self.converted: dict[str, dict[str, tuple[Any, convert.CellError | None]]] = {}
        cities = cur.execute("SELECT id, name, local_name, country_code, geonameid FROM cities ORDER BY id").fetchall()
        self.where = {i: (lat, lon) for i, lat, lon in cur.execute("SELECT id, lat, lon FROM cities").fetchall()}
        # A name identifies a city whatever its case or accents; where a store already holds two
        # spellings of one name, the first-held (curated) city wins, never the later copy.
        self.cities: dict[tuple[str, str], int] = {}
        for i, n, _ln, c, _ in cities:
            self.cities.setdefault((fold(n), c), i)
        for i, _, ln, c, _ in cities:
            if ln:
                self.cities.setdefault((fold(ln), c), i)
        self.by_geonameid: dict[int, int] = {}
        for i, *_, g in cities:
            if g is not None:
                self.by_geonameid.setdefault(g, i)
        self.display = {(fold(n), c): n for _, n, _, c, _ in reversed(cities)}
        self.local_names = {i: ln for i, _, ln, *_ in cities}
        self.keys = spec.key_columns()
        self.blanks: dict[str, np.ndarray] = {}  # database column -> rows whose cell was left blank
        self.required_blank: dict[str, np.ndarray] = {}  # required template column -> rows left blank there
        self.spelled: dict[int, str] = {}  # line -> the non-Latin name a cities row typed (kept as local name)
        self.touched = False  # values changed after matching (held values filled in, a rule's own writes)
        plan.city_names = {i: n for i, n, *_ in cities}
        self.partnerships = {
            (h, p): (i, h, p)
            for i, h, p in cur.execute("SELECT id, home_city_id, partner_city_id FROM partnerships").fetchall()
        }
        plan.partnership_cities = {i: (h, p) for i, h, p in self.partnerships.values()}
        self.created: dict[tuple[str, str], int] = {}  # gazetteer cities planned, by (folded name, country)
        self.created_places: dict[int, int] = {}  # ... and by GeoNames id
        self.lines = np.zeros(0, dtype=np.int64)
        self.raw: dict[str, pa.Array] = {}  # the file's text by template column
        self.values: dict[str, pa.Array] = {}  # stored values by database column
        self.blank: pa.Array | None = None  # the text of a column the file does not have

    def run(self, sheet: readers.Sheet) -> None:
        """Read every column, resolve references, check rows, then sort the valid rows into the plan."""
        self.lines = sheet.lines
        self.raw = {col.name: sheet.column(i) for i, col in self.columns.items()}
        errors, warnings = len(self.plan.errors), len(self.plan.warnings)
        self._widths(sheet)
        for col in self.columns.values():
            if col.name not in self.refs:
                self._column(col)
        self._references()
        naming = _BEFORE_MATCHING.get(self.spec.name)
        if naming:  # what a row's key is may depend on it (a city typed in Cyrillic is stored in English)
            naming(self, ~self._flagged(errors))
        matched = self._match(~self._flagged(errors))
        if matched is not None:
            self._fill_held(matched)
            self._require(matched)
        rules = _RULES.get(self.spec.name)
        if rules:  # rules compare values, held ones filled in: only on rows each of whose values was read
            rules(self, ~self._flagged(errors))
        if matched is not None:
            self._sort(matched, ~self._flagged(errors))
        _in_row_order(self.plan.errors, errors)
        _in_row_order(self.plan.warnings, warnings)
        self._spellings_before()

    def error(self, line: int | None, column: str, msgid: str, **values: object) -> None:
        self.plan.errors.append(Problem(line, column, msgid, values))

    def flag(self, rows: np.ndarray, column: str, msgid: str, **values: object) -> None:
        """The same problem on each row of a mask."""
        for r in np.flatnonzero(rows):
            self.error(int(self.lines[r]), column, msgid, **values)

    def _flagged(self, since: int) -> np.ndarray:
        """Rows with a problem reported since the ``since``-th."""
        return np.isin(self.lines, [p.row for p in self.plan.errors[since:] if p.row])

    def get(self, name: str) -> pa.Array | None:
        """A stored column's values (None when the file does not give it)."""
        return self.values.get(name)

    def _widths(self, sheet: readers.Sheet) -> None:
        """A value spilled into a column with no header: never drop it silently."""
        widths = sheet.widths()
        msgid = N_("this row has {n} values but the header names {m} columns: is a value with a comma not quoted?")
        for r in np.flatnonzero(widths > self.width):
            self.error(int(self.lines[r]), "", msgid, n=int(widths[r]), m=self.width)

    def _column(self, col: Column) -> None:
        """One column's cells converted once per distinct value; each failing row reported."""
        if col.kind == "text":
            return self._text_column(col)
        encoded = pc.dictionary_encode(self.raw[col.name])
        cells = encoded.dictionary.to_pylist()
        outcomes = [self._converted(col, cell) for cell in cells]
        blank = np.array([not (cell or "").strip() for cell in cells], dtype=bool)
        failed = np.array(
            [err is not None or (col.required and value in (None, [], ()) and not empty)
             for (value, err), empty in zip(outcomes, blank, strict=True)], dtype=bool
        )  # fmt: skip
        indices = encoded.indices.to_numpy()
        self._blank(col, blank[indices] if len(indices) else np.zeros(0, dtype=bool))
        for r in np.flatnonzero(failed[indices]) if len(indices) else ():
            _value, err = outcomes[indices[r]]
            if err is not None:
                self.error(int(self.lines[r]), col.name, err.msgid, **err.values)
            else:
                self.error(int(self.lines[r]), col.name, N_("a value is required"))
        values = [None if err is not None else value for value, err in outcomes]
        self._store(col, values, encoded.indices)

    def _text_column(self, col: Column) -> None:
        """Free text, read as :func:`~twinmap.ingest.convert.text` reads a cell, in C: titles are all distinct."""
        text = pc.utf8_trim_whitespace(self.raw[col.name])
        if pc.any(pc.starts_with(text, "'")).as_py():  # our exports' formula guard taken off
            text = pc.replace_substring_regex(text, r"^'([=+\-@])", r"\1")
        empty = pc.equal(pc.binary_length(text), 0).to_numpy(zero_copy_only=False)
        self._blank(col, empty)
        self.values[col.db_column] = pc.if_else(pa.array(empty), pa.scalar(None, pa.string()), text)
        return None

    def _blank(self, col: Column, rows: np.ndarray) -> None:
        """Note which rows left a column blank: an update keeps the held value there, a new row may need one."""
        names = {"side": ("city_id",), "date": (col.db_column, col.precision)}.get(col.kind, (col.db_column,))
        if col.kind != "id":
            self.blanks.update(dict.fromkeys(names, rows))
        if col.required:
            self.required_blank[col.name] = rows

    def _converted(self, col: Column, cell: str) -> tuple[Any, convert.CellError | None]:
        seen = self.converted.setdefault(col.name, {})
        if cell not in seen:
            seen[cell] = _convert(col, cell)
        return seen[cell]

    def _store(self, col: Column, values: list[Any], indices: pa.Array) -> None:
        """The converted distinct values, typed as stored, spread over the rows."""
        if col.kind == "date":
            starts = pa.array([v.start if v else None for v in values], pa.date32())
            self.values[col.db_column] = starts.take(indices)
            self.values[col.precision] = pa.array([v.precision if v else None for v in values], pa.string()).take(
                indices
            )
        elif col.kind == "areas":
            areas = pa.array([list(v) if v is not None else None for v in values], pa.list_(pa.string()))
            self.values[col.db_column] = areas.take(indices)
        else:
            name = "_side" if col.kind == "side" else col.db_column
            self.values[name] = pa.array(values, _ARROW[col.kind]).take(indices)

    def _ref_columns(self) -> set[str]:
        refs = {n for r in self.spec.cities for n in (r.city, r.country, r.lat, r.lon) if n}
        if self.spec.partnership:
            refs |= {"home_city", "home_country", "partner_city", "partner_country"}
        return refs

    def _text(self, name: str) -> pa.Array:
        """A template column's text, empty where the file does not have the column."""
        if name in self.raw:
            return self.raw[name]
        if self.blank is None or len(self.blank) != len(self.lines):
            self.blank = pa.array(np.full(len(self.lines), "", dtype=object), pa.string())
        return self.blank

    def _references(self) -> None:
        everyone = np.ones(len(self.lines), dtype=bool)
        for ref in self.spec.cities:
            if ref.city in self.raw:
                blank = self._blank_text(ref.city)
                self.blanks[ref.db] = blank
                rows = everyone
                if ref.required and ref.city not in self.keys:  # a new row needs it, an update keeps it
                    self.required_blank[ref.city], rows = blank, ~blank
                found = self._city_column(ref, rows)
                self.values[ref.db] = pa.array(found, pa.int64(), mask=found == 0)
        if not self.spec.partnership:
            return
        rows = everyone
        if not self.spec.partnership_required:  # a row may name no partnership at all
            blank = self._blank_text("home_city") & self._blank_text("partner_city")
            self.blanks["partnership_id"] = blank
            rows = ~blank
        home = self._city_column(CityRef("home_city", "home_country", "", from_gazetteer=False), rows)
        partner = self._city_column(CityRef("partner_city", "partner_country", "", from_gazetteer=False), rows)
        self._partnerships(home, partner, rows)

    def _blank_text(self, name: str) -> np.ndarray:
        """Rows whose cell in a template column is blank (all of them when the file lacks the column)."""
        text = pc.utf8_trim_whitespace(self._text(name))
        return pc.equal(pc.binary_length(text), 0).to_numpy(zero_copy_only=False)

    def _city_column(self, ref: CityRef, rows: np.ndarray) -> np.ndarray:
        """Each row's city id (0 for none), resolved once per distinct spelling unless resolving it warned."""
        names = [c for c in (ref.city, ref.country, ref.lat, ref.lon) if c]
        group = bulk.combined([bulk.codes([self._text(c)]) for c in names])
        found = np.zeros(len(self.lines), dtype=np.int64)
        texts = [self._text(c) for c in names]
        for rows_alike in bulk.groups_in_order(group, np.flatnonzero(rows)):
            raw = {c: text[int(rows_alike[0])].as_py() for c, text in zip(names, texts, strict=True)}
            self._resolve_alike(ref, raw, rows_alike, found)
        return found

    def _resolve_alike(self, ref: CityRef, raw: dict[str, str], rows: np.ndarray, found: np.ndarray) -> None:
        """Rows naming a city alike: resolved for the first; a warning names its row, so such rows resolve afresh."""
        errors = self.plan.errors
        for at, r in enumerate(rows):
            first_error, warnings = len(errors), len(self.plan.warnings)
            city = self._resolve(int(self.lines[r]), ref, raw) or 0
            found[r] = city
            if len(self.plan.warnings) == warnings:
                rest = rows[at + 1 :]
                found[rest] = city
                problems = errors[first_error:]
                if problems:
                    for line in self.lines[rest].tolist():
                        errors.extend(Problem(line, p.column, p.msgid, p.values) for p in problems)
                return

    def _partnerships(self, home: np.ndarray, partner: np.ndarray, rows: np.ndarray) -> None:
        """Each row's partnership, by its two cities; with a side, the city of that side."""
        named = rows & (home != 0) & (partner != 0)
        pair = (home << 32) | (partner & 0xFFFFFFFF)
        distinct, inverse = np.unique(pair[named], return_inverse=True)
        held = np.array(
            [self.partnerships.get((int(k >> 32), int(k & 0xFFFFFFFF)), (0,))[0] for k in distinct], dtype=np.int64
        )
        ids = np.zeros(len(self.lines), dtype=np.int64)
        ids[named] = held[inverse] if distinct.size else 0
        msgid = N_("there is no partnership {home}–{partner}; import it first")
        homes, partners = self._text("home_city"), self._text("partner_city")
        for r in np.flatnonzero(named & (ids == 0)):
            self.error(int(self.lines[r]), "partner_city", msgid, home=homes[int(r)].as_py(),
                       partner=partners[int(r)].as_py())  # fmt: skip
        self.values["partnership_id"] = pa.array(ids, pa.int64(), mask=ids == 0)
        side = self.values.pop("_side", None)
        if side is not None:
            at_home = pc.equal(side, "home").fill_null(False).to_numpy(zero_copy_only=False)
            city = np.where(at_home, home, partner)
            unknown = (ids == 0) | ~pc.is_valid(side).to_numpy(zero_copy_only=False)
            self.values["city_id"] = pa.array(city, pa.int64(), mask=unknown)

    def _resolve(self, line: int, ref: CityRef, raw: dict[str, str]) -> int | None:
        name, country_raw = raw.get(ref.city, "").strip(), raw.get(ref.country, "")
        if not name:
            if ref.required and (ref.city in self.keys or not ref.db):
                self.error(line, ref.city, N_("a value is required"))
            return None
        try:
            country = convert.country(country_raw)
            point = self._point(ref, raw)
        except convert.CellError as err:
            return self.error(line, ref.country, err.msgid, **err.values)
        except _CellProblem as problem:
            return self.error(line, problem.column, problem.err.msgid, **problem.err.values)
        if not country:
            return self.error(
                line, ref.country, N_("give the country of {name} (ISO code, e.g. IR)"), name=quoted(name)
            )
        key = (fold(name), country)
        held = self.cities.get(key) or self.created.get(key)
        if held is not None:
            return held if self._where_the_file_says(line, ref, name, self._position(held), point) else None
        return self._new_city(line, ref, key, name, point)

    def _new_city(
        self, line: int, ref: CityRef, key: tuple[str, str], name: str, point: tuple[float, float] | None
    ) -> int | None:
        """A city not held yet: the gazetteer's namesake nearest the file's point (or the largest), else the file's."""
        places = gazetteer.namesakes(name, key[1])
        if not ref.from_gazetteer:  # only a held city will do, but under any of its spellings (St. Charles)
            held = next((self.by_geonameid[p.geonameid] for p in places if p.geonameid in self.by_geonameid), None)
            if held is None:
                return self._unknown(line, ref, name, key[1])
            msgid = N_("row {row}: {name} was read as the known city {known}")
            known = quoted(self.plan.city_names.get(held, name))
            self.plan.warnings.append(Problem(line, "", msgid, {"row": line, "name": quoted(name), "known": known}))
            self._keep_spelling(line, held, name)
            return held
        if places and point:
            place, _km = gazetteer.nearest(places, *point)
            if not self._where_the_file_says(line, ref, name, (place.lat, place.lon), point):
                return None
        elif places:
            place = max(places, key=lambda p: p.population)
        elif point:
            return self._from_file(line, ref, key, name, point)
        else:
            return self._unknown(line, ref, name, key[1])
        return self._from_gazetteer(line, key, name, place)

    def _point(self, ref: CityRef, raw: dict[str, str]) -> tuple[float, float] | None:
        """The file's coordinates of a named city, when it gives both."""
        if not ref.lat:
            return None
        values = []
        for column, limit in ((ref.lat, 90), (ref.lon, 180)):
            try:
                value = convert.decimal(raw.get(column, ""))
                convert.within(value, -limit, limit)
            except convert.CellError as err:
                raise _CellProblem(column, err) from None
            values.append(value)
        return (values[0], values[1]) if None not in values else None

    def _position(self, city_id: int) -> tuple[float, float] | None:
        if city_id in self.where:
            return self.where[city_id]
        planned = next((c for c in self.plan.new_cities if c["id"] == city_id), None)
        return (planned["lat"], planned["lon"]) if planned else None

    def _where_the_file_says(
        self, line: int, ref: CityRef, name: str, known: tuple[float, float] | None, point: tuple[float, float] | None
    ) -> bool:
        """False (and the row flagged) when the file puts the city far from the one of that name and country."""
        if not point or not known or None in known:
            return True
        km = distance_km(*known, *point)
        if km <= FAR_KM:
            return True
        msgid = N_("the file puts {name} {km} km from the {name} of that country: probably another city or another "
                   "country. Check the row")  # fmt: skip
        self.error(line, ref.city, msgid, name=quoted(name), km=round(km))
        return False

    def _from_file(
        self, line: int, ref: CityRef, key: tuple[str, str], name: str, point: tuple[float, float]
    ) -> int | None:
        """A city the gazetteer does not know (a small town), added where the file puts it (if in its country)."""
        outside = km_outside(key[1], *point)
        if outside is not None and outside > FAR_KM:
            msgid = N_("the file puts {name} {km} km outside {country}: probably another city or another country. "
                       "Check the row")  # fmt: skip
            return self.error(line, ref.city, msgid, name=quoted(name), km=round(outside), country=key[1])
        temp_id = -(len(self.plan.new_cities) + 1)
        self.plan.new_cities.append(
            {"id": temp_id, "name": name, "local_name": None, "country_code": key[1], "lat": point[0],
             "lon": point[1], "population": None, "timezone": None, "geonameid": None}
        )  # fmt: skip
        self.created[key] = temp_id
        msgid = N_("row {row}: {name} is not in the gazetteer; added where the file puts it")
        self.plan.warnings.append(Problem(line, "", msgid, {"row": line, "name": quoted(name)}))
        return temp_id

    def _unknown(self, line: int, ref: CityRef, name: str, country: str) -> None:
        known = {n: shown for (n, c), shown in self.display.items() if c == country}
        close = difflib.get_close_matches(fold(name), list(known), n=3, cutoff=0.7)
        hint = [known[n] for n in close] or gazetteer.suggest(name, country)
        names = ", ".join(quoted(h) for h in hint)
        msgid = _no_city(ref.from_gazetteer, hint)
        self.error(line, ref.city, msgid, name=quoted(name), country=country, hint=names)

    def _from_gazetteer(self, line: int, key: tuple[str, str], name: str, place: gazetteer.Place) -> int:
        """The id of the gazetteer's city: one we hold (under any spelling), one this file adds, or a new one.

        A name typed in another script (Волгоград) becomes the new city's local name; its
        English name comes from the gazetteer, so the English pages read "Volgograd".
        """
        country = key[1]
        held = self.by_geonameid.get(place.geonameid) or self.cities.get((fold(place.name), country))
        if held is not None:  # another spelling of a city we hold
            msgid = N_("row {row}: {name} was read as the known city {known}")
            self.plan.warnings.append(
                Problem(line, "", msgid, {"row": line, "name": quoted(name), "known": quoted(place.name)})
            )
            self._keep_spelling(line, held, name)
            return held
        if place.geonameid in self.created_places:  # another spelling of a city this file creates
            self.created[key] = self.created_places[place.geonameid]
            return self.created[key]
        temp_id = -(len(self.plan.new_cities) + 1)
        english, local = (name, None) if is_latin(name) else (place.name, name)
        self.plan.new_cities.append(
            {"id": temp_id, "name": english, "local_name": local, "country_code": country, "lat": place.lat,
             "lon": place.lon, "population": place.population, "timezone": place.timezone,
             "geonameid": place.geonameid}
        )  # fmt: skip
        self.created[key] = self.created_places[place.geonameid] = temp_id
        return temp_id

    def _keep_spelling(self, line: int, city: int, name: str) -> None:
        """A held city named in another script keeps that spelling as its local name, if it has none."""
        if is_latin(name):
            return
        local = self.local_names.get(city)
        if local is None:
            self.local_names[city] = name
            self.plan.city_spellings.append(Change(city, {}, {"local_name": name}, line))
        elif fold(local) != fold(name):
            msgid = N_("row {row}: {name} is the city {known}, which keeps its local name {local}")
            known = quoted(self.plan.city_names.get(city, name))
            self.plan.warnings.append(
                Problem(line, "", msgid, {"row": line, "name": quoted(name), "known": known, "local": quoted(local)})
            )

    def _spellings_before(self) -> None:
        """The full held rows of the cities given a local name (an undo restores them)."""
        ids = [c.id for c in self.plan.city_spellings]
        if not ids:
            return
        rows = self.cur.execute("SELECT * FROM cities WHERE id IN (SELECT unnest(?))", [ids]).fetch_arrow_table()
        held = {r["id"]: r for r in rows.to_pylist()}
        for change in self.plan.city_spellings:
            change.before = held[change.id]

    def _existing_rows(self, table: pa.Table) -> pa.Table:
        """The held rows a file's rows could be: by id, or sharing the id a natural key starts with.

        Only those are read, so a thousand-row update of a five-million-row table reads a
        thousand rows' neighbours, not the table. Oldest first: the first-held row owns its key.
        """
        name = self.spec.name  # from the spec, not from input
        ids = _distinct(table, "id")
        by = [c for c in (self.spec.pair or self.spec.key[:1]) if c.endswith("_id")]
        if by:
            keys = sorted({v for c in by for v in _distinct(table, c)})
            near = " OR ".join(f"{c} IN (SELECT unnest($keys))" for c in by)
            sql = f"SELECT * FROM {name} WHERE id IN (SELECT unnest($ids)) OR {near} ORDER BY id"
            return self.cur.execute(sql, {"ids": ids, "keys": keys}).fetch_arrow_table()
        return self.cur.execute(f"SELECT * FROM {name} ORDER BY id").fetch_arrow_table()  # cities, missions: small

    def _keys(self, table: pa.Table, held: pa.Table) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Natural keys as numbers, compared without case or accents, all in one numbering.

        The file's keys, the file's keys read the other way round (B–A for A–B; the same keys
        for a table without pairs) and the held rows'.
        """
        n = table.num_rows

        def column(source: pa.Table, name: str) -> pa.Array:
            return bulk.folded(
                source[name].combine_chunks() if name in source.column_names else bulk.nulls(len(source))
            )

        parts = []
        for k in self.spec.key:
            both_ways = [column(table, k)]
            if self.spec.pair:  # both sides of a pair share one numbering, so they can be swapped
                other = self.spec.pair[1 - self.spec.pair.index(k)] if k in self.spec.pair else k
                both_ways.append(column(table, other))
            parts.append(bulk.codes([*both_ways, column(held, k)]))
        key = bulk.combined(parts)
        if not self.spec.pair:
            return key[:n], key[:n], key[n:]
        return key[:n], key[n : 2 * n], key[2 * n :]

    def _match(self, ok: np.ndarray) -> _Match | None:
        """Each valid row's held row; a repeated row, a pair the other way round or a wrong id is a problem."""
        rows = np.flatnonzero(ok)
        if rows.size == 0:
            return None
        table = pa.table({k: v.take(pa.array(rows)) for k, v in self.values.items()})
        lines = self.lines[rows]
        held = self._existing_rows(table)
        key, back, held_key = self._keys(table, held)
        size = int(max(key.max(initial=0), back.max(initial=0), held_key.max(initial=0))) + 1
        held_by_key = bulk.first_of(held_key, size)
        held_ids = bulk.ints(held["id"].combine_chunks(), held.num_rows) if held.num_rows else np.zeros(0, np.int64)
        given = bulk.ints(table["id"].combine_chunks(), len(rows)) if "id" in table.column_names else None
        refused = self._reversed(key, back, size, (held_by_key, held_ids), lines, given)
        first = bulk.first_of(key, size, among=~refused)
        earlier = ~refused & (first[key] != np.arange(len(rows)))
        keys = ", ".join(self.spec.key)
        for r in np.flatnonzero(earlier):
            msgid = N_("the same row ({keys}) as row {row}: remove one of them")
            self.error(int(lines[r]), "", msgid, keys=keys, row=int(lines[first[key[r]]]))
        accepted = ~refused & ~earlier
        old = self._held_row(key, held_by_key, held_ids, given, table, lines, accepted)
        return _Match(rows, lines, held, old, accepted & (old != -2), table)

    def _fill_held(self, m: _Match) -> None:
        """A blank cell of a row that updates a held row takes the held value (unless staff asked blanks to clear)."""
        if self.plan.blank_clears:
            return
        updating = m.accepted & (m.old >= 0)
        if not updating.any():
            return
        for name, blank in self.blanks.items():
            where = updating & blank[m.rows]
            if name not in m.held.column_names or name not in self.values or not where.any():
                continue
            at = np.zeros(len(self.lines), dtype=np.int64)
            at[m.rows[where]] = m.old[where]
            mask = np.zeros(len(self.lines), dtype=bool)
            mask[m.rows[where]] = True
            current = self.values[name]
            held = m.held[name].combine_chunks().take(pa.array(at))
            if not pa.types.is_null(current.type):
                held = held.cast(current.type)
            self.values[name] = pc.if_else(pa.array(mask), held, current)
            self.touched = True

    def _require(self, m: _Match) -> None:
        """A new row needs every required column; an update may leave them blank (or, blanks clearing, may not)."""
        new = m.accepted & (m.old == -1)
        needs = new | (m.accepted & (m.old >= 0)) if self.plan.blank_clears else new
        for name, blank in self.required_blank.items():
            for r in np.flatnonzero(needs & blank[m.rows]):
                self.error(int(m.lines[r]), name, N_("a value is required"))
        absent = [c.name for c in self.spec.columns if c.required and c.name not in self.present]
        for r in np.flatnonzero(new) if absent else ():
            for name in absent:
                self.error(int(m.lines[r]), name, N_("a new row needs {name}: the file has no such column"), name=name)

    def _sort(self, m: _Match, ok: np.ndarray) -> None:
        """The rows still valid after the rules: new, changed (old -> new) or unchanged."""
        final = m.accepted & ok[m.rows]
        table = m.table
        if self.touched or not final.all():
            table = pa.table({k: v.take(pa.array(m.rows)) for k, v in self.values.items()})
        new = final & (m.old == -1)
        self.plan.new_table = table.filter(pa.array(new)).drop_columns([c for c in ("id",) if c in table.column_names])
        self.plan.new_rows = m.lines[new].tolist()
        self._compare(table, m.held, np.flatnonzero(final & (m.old >= 0)), m.old, m.lines)

    def _reversed(
        self, key: np.ndarray, back: np.ndarray, size: int, holding: tuple[np.ndarray, np.ndarray],
        lines: np.ndarray, given: np.ndarray | None,
    ) -> np.ndarray:  # fmt: skip
        """A pair held, or earlier in the file, the other way round (B–A for A–B): reported, not added."""
        held_by_key, held_ids = holding
        refused = np.zeros(len(key), dtype=bool)
        if not self.spec.pair:
            return refused
        turned = (key != back) & (given == 0 if given is not None else True)
        held = turned & (held_by_key[back] >= 0)
        msgid = N_("this pair is already held the other way round (id {id}): change that row instead")
        for r in np.flatnonzero(held):
            self.error(int(lines[r]), "", msgid, id=int(held_ids[held_by_key[back[r]]]))
        either = np.minimum(key, back)  # the pair whichever way round; the way it first appears wins
        first = bulk.first_of(either, size, among=~held)[either]
        later = turned & ~held & (key != key[first])
        msgid = N_("the same pair as row {row}, the other way round: remove one of them")
        for r in np.flatnonzero(later):
            self.error(int(lines[r]), "", msgid, row=int(lines[first[r]]))
        return held | later

    def _held_row(
        self, key: np.ndarray, held_by_key: np.ndarray, held_ids: np.ndarray, given: np.ndarray | None,
        table: pa.Table, lines: np.ndarray, accepted: np.ndarray,
    ) -> np.ndarray:  # fmt: skip
        """Each row's held row (its position among the held rows), -1 for a new row, -2 for a problem."""
        old = held_by_key[key].copy()
        if self.spec.name == "cities" and "geonameid" in table.column_names:  # a city also by its GeoNames id
            geonames = bulk.ints(table["geonameid"].combine_chunks(), len(key))
            position = {int(i): p for p, i in enumerate(held_ids)}
            for r in np.flatnonzero(accepted & (old == -1) & (geonames != 0)):
                city = self.by_geonameid.get(int(geonames[r]))
                old[r] = position.get(city, -1) if city is not None else -1
        if given is not None:
            asked = accepted & (given != 0)
            place = np.searchsorted(held_ids, given)  # the held rows come ordered by id
            there = np.zeros(len(key), dtype=bool)
            if held_ids.size:
                there = held_ids[np.minimum(place, held_ids.size - 1)] == given
            msgid = N_("there is no {table} row with id {id}")
            for r in np.flatnonzero(asked & ~there):
                self.error(int(lines[r]), "id", msgid, table=self.spec.name, id=int(given[r]))
            old = np.where(asked, np.where(there, place, -2), old)
        taken = held_by_key[key]
        clash = accepted & (old >= 0) & (taken >= 0) & (taken != old)
        msgid = N_("row id {id} would take the {keys} of the row with id {other}: they would be the same row")
        for r in np.flatnonzero(clash):
            self.error(int(lines[r]), "id", msgid, id=int(held_ids[old[r]]), keys=", ".join(self.spec.key),
                       other=int(held_ids[taken[r]]))  # fmt: skip
        return np.where(clash, -2, old)

    def _compare(self, table: pa.Table, held: pa.Table, rows: np.ndarray, old: np.ndarray, lines: np.ndarray) -> None:
        """Rows that match a held row: the values that differ make a change; none, an unchanged row."""
        if rows.size == 0:
            return
        columns = [c for c in table.column_names if c != "id"]
        mine = table.select(columns).take(pa.array(rows)).to_pylist()
        theirs = held.take(pa.array(old[rows])).to_pylist()
        for r, values, before in zip(rows, mine, theirs, strict=True):
            diff = {k: v for k, v in values.items() if not _same(k in self.spec.key, before.get(k), v)}
            if diff:
                self.plan.changed.append(Change(before["id"], before, diff, int(lines[r])))
            else:
                self.plan.unchanged += 1


def _same(is_key: bool, old: Any, new: Any) -> bool:
    """Unchanged; a key's spelling in another case keeps the stored (curated) spelling."""
    old, new = _plain(old), _plain(new)
    if is_key and isinstance(old, str) and isinstance(new, str):
        return fold(old) == fold(new)
    return old == new


def _no_city(from_gazetteer: bool, hint: list[str]) -> str:
    """The message for a city not found, with "did you mean" when there are near misses."""
    if from_gazetteer:
        msgid = (
            N_("no city {name} in {country} in the database or the gazetteer; did you mean {hint}?")
            if hint
            else N_("no city {name} in {country} in the database or the gazetteer")
        )
    else:
        msgid = (
            N_("no city {name} in {country} in the database (import it in cities first); did you mean {hint}?")
            if hint
            else N_("no city {name} in {country} in the database (import it in cities first)")
        )
    return msgid


def _json_safe(value: Any) -> Any:
    """A held value as a report's JSON holds it (dates as ISO text)."""
    value = _plain(value)
    return value.isoformat() if hasattr(value, "isoformat") else value


def _plain(value: Any) -> Any:
    """Values as Python compares them (numpy and pandas scalars, NaN/NaT as None, lists)."""
    if value is None:
        return None
    if hasattr(value, "tolist"):
        value = value.tolist()
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime().date()
    if isinstance(value, float) and value != value:
        return None
    if str(value) == "NaT":
        return None
    return value


def _names_cities(p: _Planner, line: int, out: dict[str, Any]) -> None:
    """Before matching: a name in its own script is stored in English (the key), the spelling kept for later."""
    name, country = out.get("name"), out.get("country_code")
    if not (name and country):
        return
    place = gazetteer.find(name, country)
    if not is_latin(name) and place is None:  # stored as written, as a reference to it would be
        msgid = N_("row {row}: {name} is not in Latin letters and the gazetteer does not know it in {country}: "
                   "stored as written; add its English name under name when you know it")  # fmt: skip
        p.plan.warnings.append(Problem(line, "name", msgid, {"row": line, "name": quoted(name), "country": country}))
    elif not is_latin(name):  # the English name comes from GeoNames; the typed one becomes the local name
        p.spelled[line] = name
        out["name"] = place.name
    if place is not None and out.get("geonameid") is None and (out.get("lat") is None or not is_latin(name)):
        out["geonameid"] = place.geonameid  # finds the city held under another spelling


def _rules_cities(p: _Planner, line: int, out: dict[str, Any]) -> None:
    """After matching (held values filled in): coordinates, and what the gazetteer knows of a new city."""
    lat, lon = out.get("lat"), out.get("lon")
    if (lat is None) != (lon is None):
        return p.error(line, "lat" if lat is None else "lon", N_("give both latitude and longitude, or neither"))
    name, country = out.get("name"), out.get("country_code")
    if not (name and country):
        return None
    spelled = p.spelled.get(line)
    if spelled and not out.get("local_name"):
        out["local_name"] = spelled
    elif spelled and fold(out["local_name"]) != fold(spelled):
        msgid = N_("row {row}: {name} is the city {known}, which keeps its local name {local}")
        values = {"row": line, "name": quoted(spelled), "known": quoted(name), "local": quoted(out["local_name"])}
        p.plan.warnings.append(Problem(line, "name", msgid, values))
    if lat is None:
        place = gazetteer.find(name, country)
        if place is None:
            hint = gazetteer.suggest(name, country)
            msgid = (
                N_("no coordinates given and {name} is not in the gazetteer for {country}; did you mean {hint}?")
                if hint
                else N_("no coordinates given and {name} is not in the gazetteer for {country}")
            )
            names = ", ".join(quoted(h) for h in hint)
            return p.error(line, "lat", msgid, name=quoted(name), country=country, hint=names)
        out.update(lat=place.lat, lon=place.lon)
        for k, v in (("population", place.population), ("timezone", place.timezone), ("geonameid", place.geonameid)):
            if out.get(k) is None:
                out[k] = v
    return None


def _each_row(rule: Callable[[_Planner, int, dict[str, Any]], None]) -> Callable[[_Planner, np.ndarray], None]:
    """A rule that reads and may fill a row's values (a city's, from the gazetteer), run row by row.

    For small tables only (cities): the row's values are read into a dict and written back.
    """

    def run(p: _Planner, rows: np.ndarray) -> None:
        picked = np.flatnonzero(rows)
        if picked.size == 0:
            return
        table = pa.table({k: v.take(pa.array(picked)) for k, v in p.values.items()})
        records = table.to_pylist() if table.num_columns else [{} for _ in picked]
        for r, out in zip(picked, records, strict=True):
            rule(p, int(p.lines[r]), out)
        p.touched = True
        for name in {k for out in records for k in out}:
            column = p.values.get(name)
            full = column.to_pylist() if column is not None else [None] * len(p.lines)
            for r, out in zip(picked, records, strict=True):
                full[r] = out.get(name)
            kind = column.type if column is not None and not pa.types.is_null(column.type) else None
            p.values[name] = pa.array(full, kind)

    return run


def _rules_partnerships(p: _Planner, rows: np.ndarray) -> None:
    n = len(rows)
    home, partner = bulk.ints(p.get("home_city_id"), n), bulk.ints(p.get("partner_city_id"), n)
    p.flag(rows & (home != 0) & (home == partner), "partner_city", N_("a city cannot be its own partner"))
    signed = bulk.starts(p.get("signed_on"), n)
    until = bulk.ends(p.get("valid_until"), p.get("valid_until_precision"), n)
    p.flag(rows & (until < signed), "valid_until", N_("the agreement expires before it was signed"))


def _rules_events(p: _Planner, rows: np.ndarray) -> None:
    n = len(rows)
    start = bulk.starts(p.get("starts_on"), n)
    end = bulk.ends(p.get("ends_on"), p.get("ends_precision"), n)
    p.flag(rows & (end < start), "ends_on", N_("the event ends before it starts"))


def _rules_events_people(p: _Planner, rows: np.ndarray) -> None:
    _rules_events(p, rows)
    n = len(rows)
    total = bulk.numbers(p.get("participants"), n)
    counted = rows & ~np.isnan(total)
    women_men = np.nan_to_num(bulk.numbers(p.get("participants_female"), n)) + np.nan_to_num(
        bulk.numbers(p.get("participants_male"), n)
    )
    msgid = N_("women and men add up to {n}, more than the {total} participants")
    for r in np.flatnonzero(counted & (women_men > total)):
        p.error(int(p.lines[r]), "participants_female", msgid, n=int(women_men[r]), total=int(total[r]))
    by_country = p.get("participants_by_country")
    if by_country is None:
        return
    summed = bulk.numbers(bulk.per_distinct(by_country, lambda v: sum(parse_counts(v).values()), pa.int64()), n)
    msgid = N_("the countries add up to {n}, more than the {total} participants")
    for r in np.flatnonzero(counted & (summed > total)):
        p.error(int(p.lines[r]), "participants_by_country", msgid, n=int(summed[r]), total=int(total[r]))


def _rules_follow_ups(p: _Planner, rows: np.ndarray) -> None:
    n = len(rows)
    status = p.get("status")
    if status is None:
        return
    done = pc.is_in(status, pa.array(list(reference.FOLLOW_UP_DONE), pa.string())).fill_null(False)
    undated = np.isnat(bulk.starts(p.get("done_on"), n))
    done_undated = rows & done.to_numpy(zero_copy_only=False) & undated
    p.flag(done_undated, "done_on", N_("a done action needs the date it was done"))


def _rules_ties(p: _Planner, rows: np.ndarray) -> None:
    n = len(rows)
    city, other = bulk.ints(p.get("city_id"), n), bulk.ints(p.get("other_city_id"), n)
    p.flag(rows & (city != 0) & (city == other), "other_city", N_("a city cannot be its own partner"))


def _in_row_order(problems: list[Problem], since: int) -> None:
    """Problems found column by column, put in the order of the rows (a file's own problems first)."""
    problems[since:] = sorted(problems[since:], key=lambda p: p.row or 0)


def _distinct(table: pa.Table, column: str) -> list[Any]:
    """The distinct values a column of the file holds (none when it lacks the column)."""
    if column not in table.column_names:
        return []
    return sorted(v for v in pc.unique(table[column]).to_pylist() if v is not None)


# How each kind of column is stored (dates and areas have their own shapes, see _Planner._store).
_ARROW = {"text": pa.string(), "int": pa.int64(), "id": pa.int64(), "float": pa.float64(), "bool": pa.bool_(),
          "code": pa.string(), "country": pa.string(), "side": pa.string(), "counts": pa.string()}  # fmt: skip


_BEFORE_MATCHING = {"cities": _each_row(_names_cities)}
_RULES = {"cities": _each_row(_rules_cities), "partnerships": _rules_partnerships, "events": _rules_events_people,
          "missions": _rules_events, "follow_ups": _rules_follow_ups, "ties": _rules_ties}  # fmt: skip
