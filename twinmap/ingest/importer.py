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
from dataclasses import dataclass, field
from typing import Any

import duckdb

from twinmap.core import dates, reference
from twinmap.core.geo import distance_km, km_outside
from twinmap.core.reference import N_
from twinmap.core.text import fold, is_latin, parse_counts, quoted
from twinmap.ingest import convert, gazetteer, readers
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
    new: list[dict[str, Any]] = field(default_factory=list)
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
    header: list[str] = field(default_factory=list, repr=False)  # the file's own header and rows, for the
    rows: list[tuple[int, list[str]]] = field(default_factory=list, repr=False)  # skipped rows' file

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
        rows = (*self.new, *(c.after for c in self.changed))
        used = {v for r in rows for k, v in r.items() if k.endswith("city_id")}
        return [c for c in self.new_cities if c["id"] in used]

    @property
    def valid_rows(self) -> int:
        """Rows that would be imported (new, changed or unchanged)."""
        return len(self.new) + len(self.changed) + self.unchanged

    def rejects_csv(self) -> bytes:
        """The skipped rows in the file's own columns, with a ``problem`` column: fix them and import again."""
        reasons: dict[int, list[str]] = {}
        for p in self.errors:
            reasons.setdefault(p.row, []).append(f"{p.column}: {p.reason}" if p.column else p.reason)
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow([*self.header, "problem"])
        for line, cells in self.rows:
            if line in reasons:
                writer.writerow([*cells, *[""] * (len(self.header) - len(cells)), "; ".join(reasons[line])])
        return buf.getvalue().encode("utf-8-sig")

    @property
    def ok(self) -> bool:
        """True when the file can be committed."""
        return not self.errors

    def fingerprint(self) -> tuple:
        """What a commit would do, to check that nothing moved between preview and commit."""
        changed = [(c.id, sorted(c.after)) for c in self.changed]
        return (self.file_hash, len(self.new), changed, len(self.new_cities), tuple(self.skipped_rows))

    def report(self, status: str) -> dict[str, Any]:
        """The machine-readable report (command line ``--report`` and tests)."""
        return {
            "status": status, "table": self.table, "file": self.filename, "encoding": self.encoding,
            "rows_read": self.rows_read, "inserted": len(self.new), "updated": len(self.changed),
            "unchanged": self.unchanged, "cities_created": len(self.cities_to_create),
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
) -> Plan:
    """Read and validate a file for ``table`` against the current database; write nothing.

    With a ``mapping`` the file's columns are read as it says; a pair list mapped onto
    partnerships with a home side is planned in two parts (:func:`plan_pairs`): ``part="ours"``
    the rows with one of our home cities, ``part="others"`` the rest, as other cities' ties.
    """
    spec = TABLES[table]
    plan = Plan(table, filename, data, hashlib.sha256(data).hexdigest(), mapping=mapping, part=part)
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
    plan.rows_read = len(sheet.rows)
    lines = {line for line, _ in sheet.rows}
    plan.header, plan.rows = original.header, [(n, cells) for n, cells in original.rows if n in lines]
    if not sheet.rows:
        if not part:  # a part of a pair list may well be empty (no row names one of our home cities)
            plan.errors.append(Problem(None, "", N_("the file has a header but no rows")))
        return plan
    _Planner(con.cursor(), spec, plan, columns, len(sheet.header)).run(sheet.rows)
    return plan


def plan_pairs(con: duckdb.DuckDBPyConnection, data: bytes, filename: str, mapping: Mapping) -> list[Plan]:
    """A list of city pairs: partnerships where one side is our home city, the other rows as ties."""
    return [
        plan_import(con, data, filename, "partnerships", mapping, part="ours"),
        plan_import(con, data, filename, "ties", mapping, part="others"),
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
    for col in spec.columns:
        if col.required and col.name not in present:
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


class _Planner:
    """Validates rows one by one, resolving cities and partnerships, and sorts them into the plan."""

    def __init__(
        self, cur: duckdb.DuckDBPyConnection, spec: TableSpec, plan: Plan, columns: dict[int, Column], width: int
    ):
        self.cur, self.spec, self.plan, self.columns, self.width = cur, spec, plan, columns, width
        self.present = {c.name for c in columns.values()}
        self.refs = self._ref_columns()
        # Each distinct cell of a column is converted once (a million events hold a few thousand
        # distinct dates, codes and cities): the outcome, value or problem, is looked up after that.
        self.converted: dict[str, dict[str, tuple[Any, convert.CellError | None]]] = {}
        self.resolved: dict[tuple, tuple[int | None, list[tuple]]] = {}
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
        plan.city_names = {i: n for i, n, *_ in cities}
        self.partnerships = {
            (h, p): (i, h, p)
            for i, h, p in cur.execute("SELECT id, home_city_id, partner_city_id FROM partnerships").fetchall()
        }
        plan.partnership_cities = {i: (h, p) for i, h, p in self.partnerships.values()}
        self.existing: dict[str, dict[Any, dict[str, Any]]] = {"id": {}, "key": {}}
        self.seen: dict[tuple, int] = {}
        self.created: dict[tuple[str, str], int] = {}  # gazetteer cities planned, by (folded name, country)
        self.created_places: dict[int, int] = {}  # ... and by GeoNames id

    def _existing_rows(self, rows: list[dict[str, Any]]) -> dict[str, dict[Any, dict[str, Any]]]:
        """The held rows a file's rows could be: by id, or sharing the id a natural key starts with.

        Only those are read, so a thousand-row update of a five-million-row table reads a
        thousand rows' neighbours, not the table. Oldest first: the first-held row owns its key.
        """
        table = self.spec.name  # from the spec, not from input
        ids = sorted({r["id"] for r in rows if r.get("id") is not None})
        by = [c for c in (self.spec.pair or self.spec.key[:1]) if c.endswith("_id")]
        if by:
            keys = sorted({r[c] for r in rows for c in by if r.get(c) is not None})
            near = " OR ".join(f"{c} IN (SELECT unnest($keys))" for c in by)
            sql = f"SELECT * FROM {table} WHERE id IN (SELECT unnest($ids)) OR {near} ORDER BY id"
            frame = self.cur.execute(sql, {"ids": ids, "keys": keys}).df()
        else:  # keyed by names (cities, missions): small tables
            frame = self.cur.execute(f"SELECT * FROM {table} ORDER BY id").df()
        held = [{k: _plain(v) for k, v in r.items()} for r in frame.to_dict("records")]
        by_key: dict[tuple, dict[str, Any]] = {}
        for r in held:
            by_key.setdefault(self._key(r), r)
        return {"id": {r["id"]: r for r in held}, "key": by_key}

    def _key(self, values: dict[str, Any]) -> tuple:
        """A row's natural key, compared without case or accents ("SARI" is "Sari")."""
        return tuple(fold(v) if isinstance(v, str) else v for v in (values.get(k) for k in self.spec.key))

    def run(self, rows: list[tuple[int, list[str]]]) -> None:
        read = [(line, values) for line, cells in rows if (values := self._row(line, cells)) is not None]
        self.existing = self._existing_rows([values for _, values in read])
        for line, values in read:
            self._classify(line, values)

    def error(self, line: int | None, column: str, msgid: str, **values: object) -> None:
        self.plan.errors.append(Problem(line, column, msgid, values))

    def _row(self, line: int, cells: list[str]) -> dict[str, Any] | None:
        raw = {col.name: (cells[i] if i < len(cells) else "") for i, col in self.columns.items()}
        before = len(self.plan.errors)
        if len(cells) > self.width:  # a value spilled into a column with no header: never drop it silently
            msgid = N_("this row has {n} values but the header names {m} columns: is a value with a comma not quoted?")
            self.error(line, "", msgid, n=len(cells), m=self.width)
        out: dict[str, Any] = {}
        for i, col in self.columns.items():
            if col.name not in self.refs:
                self._cell(line, col, cells[i] if i < len(cells) else "", out)
        self._references(line, raw, out)
        rules = _RULES.get(self.spec.name)
        if rules and len(self.plan.errors) == before:  # rules compare values: only once each value has been read
            rules(self, line, out)
        return out if len(self.plan.errors) == before else None

    def _cell(self, line: int, col: Column, cell: str, out: dict[str, Any]) -> None:
        seen = self.converted.setdefault(col.name, {})
        if cell not in seen:
            seen[cell] = _convert(col, cell)
        value, err = seen[cell]
        if err is not None:
            return self.error(line, col.name, err.msgid, **err.values)
        if col.required and value in (None, [], ()):
            return self.error(line, col.name, N_("a value is required"))
        if col.kind == "date":
            out[col.db_column], out[col.precision] = (value.start, value.precision) if value else (None, None)
        elif col.kind == "side":
            out["_side"] = value
        else:
            out[col.db_column] = list(value) if col.kind == "areas" else value
        return None

    def _ref_columns(self) -> set[str]:
        refs = {n for r in self.spec.cities for n in (r.city, r.country, r.lat, r.lon) if n}
        if self.spec.partnership:
            refs |= {"home_city", "home_country", "partner_city", "partner_country"}
        return refs

    def _references(self, line: int, raw: dict[str, str], out: dict[str, Any]) -> None:
        for ref in self.spec.cities:
            if ref.city in raw:
                out[ref.db] = self._city(line, ref, raw)
        if (
            self.spec.partnership
            and not self.spec.partnership_required
            and not any(raw.get(c, "").strip() for c in ("home_city", "partner_city"))
        ):
            out["partnership_id"] = None
        elif self.spec.partnership:
            home = self._city(line, CityRef("home_city", "home_country", "", from_gazetteer=False), raw)
            partner = self._city(line, CityRef("partner_city", "partner_country", "", from_gazetteer=False), raw)
            found = self.partnerships.get((home, partner)) if home and partner else None
            if home and partner and not found:
                msgid = N_("there is no partnership {home}–{partner}; import it first")
                self.error(line, "partner_city", msgid, home=raw["home_city"], partner=raw["partner_city"])
            if found:
                out["partnership_id"] = found[0]
                if "_side" in out:
                    out["city_id"] = found[1] if out.pop("_side") == "home" else found[2]

    def _city(self, line: int, ref: CityRef, raw: dict[str, str]) -> int | None:
        """A reference's city id; resolved once per distinct spelling unless resolving it warned."""
        key = (ref, *(raw.get(c, "") for c in (ref.city, ref.country, ref.lat, ref.lon) if c))
        if key in self.resolved:
            found, problems = self.resolved[key]
            for column, msgid, values in problems:
                self.error(line, column, msgid, **values)
            return found
        errors, warnings = len(self.plan.errors), len(self.plan.warnings)
        found = self._resolve(line, ref, raw)
        if len(self.plan.warnings) == warnings:  # a warning names its row: the next such row resolves afresh
            self.resolved[key] = (found, [(p.column, p.msgid, p.values) for p in self.plan.errors[errors:]])
        return found

    def _resolve(self, line: int, ref: CityRef, raw: dict[str, str]) -> int | None:
        name, country_raw = raw.get(ref.city, "").strip(), raw.get(ref.country, "")
        if not name:
            if ref.required:
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

    def _reversed(self, line: int, key: tuple, values: dict[str, Any]) -> bool:
        """A pair already held, or earlier in the file, the other way round (B–A for A–B): reported, not added."""
        if not self.spec.pair or values.get("id") is not None:
            return False
        a, b = (self.spec.key.index(c) for c in self.spec.pair)
        back = list(key)
        back[a], back[b] = key[b], key[a]
        back = tuple(back)
        if back == key:
            return False
        if back in self.seen:
            msgid = N_("the same pair as row {row}, the other way round: remove one of them")
            self.error(line, "", msgid, row=self.seen[back])
            return True
        held = self.existing["key"].get(back)
        if held is not None:
            msgid = N_("this pair is already held the other way round (id {id}): change that row instead")
            self.error(line, "", msgid, id=held["id"])
            return True
        return False

    def _match(self, key: tuple, values: dict[str, Any]) -> dict[str, Any] | None:
        """The existing row a file row is: by natural key, and a city also by its GeoNames id."""
        old = self.existing["key"].get(key)
        if old is None and self.spec.name == "cities" and values.get("geonameid") in self.by_geonameid:
            old = self.existing["id"].get(self.by_geonameid[values["geonameid"]])
        return old

    def _classify(self, line: int, values: dict[str, Any]) -> None:
        key = self._key(values)
        keys = ", ".join(self.spec.key)
        if key in self.seen:
            return self.error(
                line, "", N_("the same row ({keys}) as row {row}: remove one of them"), keys=keys, row=self.seen[key]
            )
        if self._reversed(line, key, values):
            return None
        self.seen[key] = line
        row_id = values.pop("id", None)
        old = self.existing["id"].get(row_id) if row_id is not None else self._match(key, values)
        if row_id is not None and old is None:
            return self.error(line, "id", N_("there is no {table} row with id {id}"), table=self.spec.name, id=row_id)
        taken = self.existing["key"].get(key)
        if old is not None and taken is not None and taken["id"] != old["id"]:
            msgid = N_("row id {id} would take the {keys} of the row with id {other}: they would be the same row")
            return self.error(line, "id", msgid, id=old["id"], keys=keys, other=taken["id"])
        if old is None:
            self.plan.new.append(values)
            self.plan.new_rows.append(line)
            return None
        diff = {k: v for k, v in values.items() if not _same(k in self.spec.key, old.get(k), v)}
        if diff:
            self.plan.changed.append(Change(old["id"], old, diff, line))
        else:
            self.plan.unchanged += 1
        return None


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


def _rules_cities(p: _Planner, line: int, out: dict[str, Any]) -> None:
    lat, lon = out.get("lat"), out.get("lon")
    if (lat is None) != (lon is None):
        return p.error(line, "lat" if lat is None else "lon", N_("give both latitude and longitude, or neither"))
    name, country = out.get("name"), out.get("country_code")
    if not (name and country):
        return None
    place = gazetteer.find(name, country)
    if not is_latin(name) and place is None:  # stored as written, as a reference to it would be
        msgid = N_("row {row}: {name} is not in Latin letters and the gazetteer does not know it in {country}: "
                   "stored as written; add its English name under name when you know it")  # fmt: skip
        p.plan.warnings.append(Problem(line, "name", msgid, {"row": line, "name": quoted(name), "country": country}))
    elif not is_latin(name):  # a name in its own script is the local name; the English one comes from GeoNames
        out["local_name"] = out.get("local_name") or name
        out["name"] = place.name
        out.setdefault("geonameid", place.geonameid)
    if lat is None:
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


def _rules_partnerships(p: _Planner, line: int, out: dict[str, Any]) -> None:
    if out.get("home_city_id") is not None and out.get("home_city_id") == out.get("partner_city_id"):
        p.error(line, "partner_city", N_("a city cannot be its own partner"))
    signed = dates.from_db(out.get("signed_on"), out.get("signed_precision"))
    until = dates.from_db(out.get("valid_until"), out.get("valid_until_precision"))
    if signed and until and until.end < signed.start:
        p.error(line, "valid_until", N_("the agreement expires before it was signed"))


def _rules_events(p: _Planner, line: int, out: dict[str, Any]) -> None:
    start = dates.from_db(out.get("starts_on"), out.get("starts_precision"))
    end = dates.from_db(out.get("ends_on"), out.get("ends_precision"))
    if start and end and end.end < start.start:
        p.error(line, "ends_on", N_("the event ends before it starts"))


def _rules_events_people(p: _Planner, line: int, out: dict[str, Any]) -> None:
    _rules_events(p, line, out)
    total = out.get("participants")
    if total is None:
        return
    women_men = (out.get("participants_female") or 0) + (out.get("participants_male") or 0)
    if women_men > total:
        p.error(line, "participants_female", N_("women and men add up to {n}, more than the {total} participants"),
                n=women_men, total=total)  # fmt: skip
    by_country = sum(parse_counts(out.get("participants_by_country")).values())
    if by_country > total:
        p.error(line, "participants_by_country", N_("the countries add up to {n}, more than the {total} participants"),
                n=by_country, total=total)  # fmt: skip


def _rules_follow_ups(p: _Planner, line: int, out: dict[str, Any]) -> None:
    if out.get("status") in reference.FOLLOW_UP_DONE and out.get("done_on") is None:
        p.error(line, "done_on", N_("a done action needs the date it was done"))


def _rules_ties(p: _Planner, line: int, out: dict[str, Any]) -> None:
    if out.get("city_id") is not None and out.get("city_id") == out.get("other_city_id"):
        p.error(line, "other_city", N_("a city cannot be its own partner"))


# Checks across the values of one row, by table (tables not named here have none).
_RULES = {"cities": _rules_cities, "partnerships": _rules_partnerships, "events": _rules_events_people,
          "missions": _rules_events, "follow_ups": _rules_follow_ups, "ties": _rules_ties}  # fmt: skip
