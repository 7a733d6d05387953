"""The one import pipeline: read a file, validate every row, and plan what would change.

:func:`plan_import` (and :func:`plan_file` for a file of several parts) never writes. It returns
a :class:`~twinmap.ingest.plan.Plan`: the rows that are new, changed (old -> new) or unchanged,
cities to be created, and every problem with its row and column. Any problem rejects the whole
file; :mod:`twinmap.ingest.batches` commits a clean plan in one transaction and can undo it.

The planner here reads columns and sorts rows into the plan; which city a row names is
:mod:`~twinmap.ingest.cities`, which held row it is :mod:`~twinmap.ingest.matching`, and the
checks across a row's values are each table's :mod:`~twinmap.ingest.rules`.
"""

from __future__ import annotations

import hashlib
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from twinmap.core.reference import N_
from twinmap.core.text import fold, quoted
from twinmap.ingest import cities, convert, kinds, matching, readers, renames, scopes
from twinmap.ingest.mapping import Mapping, split_pairs
from twinmap.ingest.plan import Change, Plan, Problem, plain
from twinmap.ingest.specs import TABLES, CityRef, Column, TableSpec, aliases
from twinmap.store import db

__all__ = ["Change", "Plan", "Problem", "plan_file", "plan_import", "plan_pairs"]


def plan_import(
    con: duckdb.DuckDBPyConnection,
    data: bytes,
    filename: str,
    table: str,
    mapping: Mapping | None = None,
    part: str = "",
    blank_clears: bool = False,
    writer: scopes.Writer = None,
) -> Plan:
    """Read and validate a file for ``table`` against the current database; write nothing.

    ``writer`` is the user whose rights apply: a row outside their home cities is a problem
    (:mod:`~twinmap.ingest.scopes`); None (the command line without ``--as``) is not limited.

    A blank cell of a row that updates a held row keeps the held value, so a file needs only
    each row's key and what changes; ``blank_clears`` (staff ask for it) makes a blank cell
    erase the held value instead, and the plan lists each erased value (:attr:`Plan.erasures`).

    With a ``mapping`` the file's columns are read as it says; a pair list mapped onto
    partnerships with a home side is planned in two parts (:func:`plan_pairs`): ``part="ours"``
    the rows with one of our home cities, ``part="others"`` the rest, as other cities' ties.
    """
    spec = TABLES[table]
    plan = Plan(
        table, filename, data, hashlib.sha256(data).hexdigest(), mapping=mapping, part=part, blank_clears=blank_clears,
        writer=writer,
    )  # fmt: skip
    plan.version = db.data_version(con)
    plan.fence = scopes.fence(con.cursor(), writer)
    if plan.fence is not None and plan.fence.refused:
        plan.errors.append(Problem(None, "", plan.fence.refused[0], plan.fence.refused[1]))
        return plan
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
    Planner(con.cursor(), spec, plan, columns, len(sheet.header)).run(sheet)
    plan.risky = renames.check(con, plan)
    return plan


def plan_file(
    con: duckdb.DuckDBPyConnection, data: bytes, filename: str, table: str, mapping: Mapping | None = None,
    blank_clears: bool = False, writer: scopes.Writer = None,
) -> list[Plan]:  # fmt: skip
    """A file's plans, one per part: two for a list of city pairs (ours, the rest as ties), else one.

    The Data page and the command line both plan a file here and commit its parts with
    :func:`twinmap.ingest.batches.commit_parts`, so a pair list is read and committed one way.
    """
    if mapping and mapping.home_side and table == "partnerships":
        return plan_pairs(con, data, filename, mapping, blank_clears, writer)
    return [plan_import(con, data, filename, table, mapping, blank_clears=blank_clears, writer=writer)]


def plan_pairs(
    con: duckdb.DuckDBPyConnection, data: bytes, filename: str, mapping: Mapping, blank_clears: bool = False,
    writer: scopes.Writer = None,
) -> list[Plan]:  # fmt: skip
    """A list of city pairs: partnerships where one side is our home city, the other rows as ties."""
    return [
        plan_import(con, data, filename, "partnerships", mapping, part="ours", blank_clears=blank_clears,
                    writer=writer),
        plan_import(con, data, filename, "ties", mapping, part="others", blank_clears=blank_clears, writer=writer),
    ]  # fmt: skip


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


class Planner:
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
        self.places = cities.Places(cur, plan, self.error)
        self.keys = spec.key_columns()
        self.blanks: dict[str, np.ndarray] = {}  # database column -> rows whose cell was left blank
        self.required_blank: dict[str, np.ndarray] = {}  # required template column -> rows left blank there
        self.touched = False  # values changed after matching (held values filled in, a rule's own writes)
        self.partnerships = {
            (h, p): (i, h, p)
            for i, h, p in cur.execute("SELECT id, home_city_id, partner_city_id FROM partnerships").fetchall()
        }
        plan.partnership_cities = {i: (h, p) for i, h, p in self.partnerships.values()}
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
        if self.spec.before_matching:  # what a row's key is may depend on it (Волгоград is stored as Volgograd)
            self.spec.before_matching(self, ~self._flagged(errors))
        matched = matching.match(self, ~self._flagged(errors))
        if matched is not None:
            self._fill_held(matched)
            self._require(matched)
        if self.spec.rules:  # rules compare values, held ones filled in: only on rows each of whose values was read
            self.spec.rules(self, ~self._flagged(errors))
        if matched is not None and self.plan.fence is not None:
            self._within_scope(matched, ~self._flagged(errors))
        if matched is not None:
            self._sort(matched, ~self._flagged(errors))
        _in_row_order(self.plan.errors, errors)
        _in_row_order(self.plan.warnings, warnings)
        self.places.spellings_before(self.cur)

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
            seen[cell] = kinds.read(col, cell)
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
            self.values[name] = pa.array(values, kinds.KINDS[col.kind].arrow).take(indices)

    def _ref_columns(self) -> set[str]:
        refs = {n for r in self.spec.cities for n in cities.columns(r)}
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
        """Each row's city id (0 for none); a blank name where the row needs one is a problem."""
        if ref.required and (ref.city in self.keys or not ref.db):
            for r in np.flatnonzero(rows & self._blank_text(ref.city)):
                self.error(int(self.lines[r]), ref.city, N_("a value is required"))
        return self.places.column(ref, {c: self._text(c) for c in cities.columns(ref)}, self.lines, rows)

    def _partnerships(self, home: np.ndarray, partner: np.ndarray, rows: np.ndarray) -> None:
        """Each row's partnership, by its two cities; with a side, the city of that side."""
        home, partner = self.places.pairs(home, partner, set(self.partnerships), self.lines)
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

    def _within_scope(self, m: matching.Match, ok: np.ndarray) -> None:
        """A row outside the user's home cities, as the file has it or as it is held, is a problem."""
        live = m.accepted & ok[m.rows]
        rows, n = pa.array(m.rows), len(m.rows)
        held_at = np.where(m.old >= 0, m.old, 0)
        names = {**self.plan.city_names, **{c["id"]: c["name"] for c in self.plan.new_cities}}
        found = set()
        for source in ("file", "held"):
            values = {}
            for name in scopes.columns(self.spec.name):
                if source == "file":
                    given = self.values.get(name) if name != "id" else None
                    values[name] = scopes.ints(given.take(rows) if given is not None else None, n)
                elif name in m.held.column_names and m.held.num_rows:
                    values[name] = np.where(m.old >= 0, scopes.ints(m.held[name].combine_chunks().take(
                        pa.array(held_at)), n), 0)  # fmt: skip
                else:
                    values[name] = np.zeros(n, dtype=np.int64)
            city, column = scopes.outside(self.plan.fence, self.spec.name, values)
            for r in np.flatnonzero(live & (city != 0)):
                line, bad = int(m.lines[r]), int(city[r])
                if line not in found:
                    found.add(line)
                    self.error(line, scopes.where(self.spec.name, column[r]), scopes.OUTSIDE,
                               city=names.get(bad, f"#{bad}"), homes=self.plan.fence.names)  # fmt: skip

    def _fill_held(self, m: matching.Match) -> None:
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

    def _require(self, m: matching.Match) -> None:
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

    def _sort(self, m: matching.Match, ok: np.ndarray) -> None:
        """The rows still valid after the rules: new, changed (old -> new) or unchanged."""
        final = m.accepted & ok[m.rows]
        table = m.table
        if self.touched or not final.all():
            table = pa.table({k: v.take(pa.array(m.rows)) for k, v in self.values.items()})
        new = final & (m.old == -1)
        self.plan.new_table = table.filter(pa.array(new)).drop_columns([c for c in ("id",) if c in table.column_names])
        self.plan.new_rows = m.lines[new].tolist()
        self._compare(table, m.held, np.flatnonzero(final & (m.old >= 0)), m.old, m.lines)

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
    old, new = plain(old), plain(new)
    if is_key and isinstance(old, str) and isinstance(new, str):
        return fold(old) == fold(new)
    return old == new


def _in_row_order(problems: list[Problem], since: int) -> None:
    """Problems found column by column, put in the order of the rows (a file's own problems first)."""
    problems[since:] = sorted(problems[since:], key=lambda p: p.row or 0)
