"""Fill a new database from the CSV files shipped in ``data/``.

The shipped files use the same staff-friendly form as the import templates: cities and
partnerships are referred to by name and country code, dates are written as the sources
write them (``1393/02`` for Ordibehesht 1393). A bad value stops the build with the file,
row and column, so a broken edit of the shipped data is caught at once.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd

from twinmap import dates, reference
from twinmap.config import DATA_DIR

PARTNER_KEY = ("home_city", "home_country", "partner_city", "partner_country")


class SeedError(ValueError):
    """A shipped data file has a bad value (message names file, row and column)."""


class _Rows:
    """Iterate a CSV as (row number as Excel shows it, row) and report errors by position."""

    def __init__(self, path: Path):
        self.path = path
        self.frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")

    def __iter__(self):
        for i, row in enumerate(self.frame.to_dict("records")):
            yield i + 2, row  # row 1 is the header

    def error(self, line: int, column: str, reason: str) -> SeedError:
        return SeedError(f"{self.path.name}, row {line}, column {column}: {reason}")

    def date(self, line: int, row: dict, column: str) -> dates.PartialDate | None:
        try:
            return dates.parse(row.get(column))
        except dates.DateParseError as err:
            raise self.error(line, column, str(err)) from None

    def code(self, line: int, row: dict, column: str, terms: tuple) -> str:
        value = row.get(column, "").strip()
        if value not in reference.codes(terms):
            allowed = ", ".join(reference.codes(terms))
            raise self.error(line, column, f"{value!r} is not one of {allowed}")
        return value


def _opt(value: str) -> str | None:
    value = (value or "").strip()
    return value or None


def _number(value: str, cast: Callable) -> object:
    value = (value or "").strip()
    return cast(value) if value else None


def _bool(value: str) -> bool:
    return (value or "").strip().lower() in {"true", "1", "yes"}


def _date_cols(p: dates.PartialDate | None) -> tuple:
    return (p.start, p.precision) if p else (None, None)


def load_shipped(cur: duckdb.DuckDBPyConnection, data_dir: Path = DATA_DIR) -> None:
    """Insert every shipped file, in reference order, on ``cur`` (inside a transaction)."""
    cities = _load_cities(cur, _Rows(data_dir / "cities.csv"))
    partnerships = _load_partnerships(cur, _Rows(data_dir / "partnerships.csv"), cities)
    _load_events(cur, _Rows(data_dir / "events.csv"), cities, partnerships)
    _load_contacts(cur, _Rows(data_dir / "contacts.csv"), cities, partnerships)
    _load_indicators(cur, _Rows(data_dir / "indicators.csv"), cities)


def _insert(cur: duckdb.DuckDBPyConnection, table: str, records: list[dict]) -> None:
    """Insert many rows at once through a DataFrame (row-by-row inserts are ~1000x slower)."""
    if not records:
        return
    frame = pd.DataFrame.from_records(records)
    cols = ", ".join(frame.columns)
    cur.register("_seed_rows", frame)
    cur.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _seed_rows")
    cur.unregister("_seed_rows")


def _load_cities(cur: duckdb.DuckDBPyConnection, rows: _Rows) -> dict[tuple[str, str], int]:
    records = []
    for line, r in rows:
        for col in ("name", "country_code", "lat", "lon"):
            if not r.get(col, "").strip():
                raise rows.error(line, col, "a value is required")
        lat, lon = float(r["lat"]), float(r["lon"])
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise rows.error(line, "lat/lon", f"({lat}, {lon}) is not a point on Earth")
        records.append(
            {
                "name": r["name"].strip(),
                "local_name": _opt(r.get("local_name")),
                "country_code": r["country_code"].strip().upper(),
                "region": _opt(r.get("region")),
                "lat": lat,
                "lon": lon,
                "population": _number(r.get("population"), int),
                "timezone": _opt(r.get("timezone")),
                "geonameid": _number(r.get("geonameid"), int),
            }
        )
    _insert(cur, "cities", records)
    return {(n, c): i for i, n, c in cur.execute("SELECT id, name, country_code FROM cities").fetchall()}


def _city(rows: _Rows, line: int, r: dict, cities: dict, prefix: str = "") -> int:
    city_col, country_col = (f"{prefix}_city", f"{prefix}_country") if prefix else ("city", "country")
    key = (r.get(city_col, "").strip(), r.get(country_col, "").strip().upper())
    if key not in cities:
        raise rows.error(line, city_col, f"no city {key[0]!r} in {key[1]!r} in cities.csv")
    return cities[key]


def _load_partnerships(cur: duckdb.DuckDBPyConnection, rows: _Rows, cities: dict) -> dict:
    records = []
    for line, r in rows:
        signed, until = rows.date(line, r, "signed_on"), rows.date(line, r, "valid_until")
        if signed and until and until.end < signed.start:
            raise rows.error(line, "valid_until", "the agreement expires before it was signed")
        areas = [a.strip() for a in r.get("areas", "").split(";") if a.strip()]
        for area in areas:
            if area not in reference.codes(reference.AREAS):
                raise rows.error(line, "areas", f"{area!r} is not a known area of cooperation")
        records.append(
            {
                "home_city_id": _city(rows, line, r, cities, "home"),
                "partner_city_id": _city(rows, line, r, cities, "partner"),
                "kind": rows.code(line, r, "kind", reference.PARTNERSHIP_KINDS),
                "status": rows.code(line, r, "status", reference.STATUSES),
                "signed_on": _date_cols(signed)[0],
                "signed_precision": _date_cols(signed)[1],
                "valid_until": _date_cols(until)[0],
                "valid_until_precision": _date_cols(until)[1],
                "areas": areas,
                **{
                    col: _opt(r.get(col))
                    for col in (
                        "purpose",
                        "programmes",
                        "obligations_home",
                        "obligations_partner",
                        "expected_results",
                        "success_indicators",
                        "notes",
                        "source",
                    )
                },
                "is_demo": _bool(r.get("is_demo")),
            }
        )
    _insert(cur, "partnerships", records)
    sql = """SELECT p.id, h.name, h.country_code, c.name, c.country_code FROM partnerships p
             JOIN cities h ON h.id = p.home_city_id JOIN cities c ON c.id = p.partner_city_id"""
    return {tuple(row[1:]): row[0] for row in cur.execute(sql).fetchall()}


def _partnership(rows: _Rows, line: int, r: dict, partnerships: dict) -> int:
    key = tuple(r.get(c, "").strip() for c in PARTNER_KEY)
    key = (key[0], key[1].upper(), key[2], key[3].upper())
    if key not in partnerships:
        raise rows.error(line, "partner_city", f"no partnership {key[0]}–{key[2]} in partnerships.csv")
    return partnerships[key]


def _load_events(cur: duckdb.DuckDBPyConnection, rows: _Rows, cities: dict, partnerships: dict) -> None:
    records = []
    for line, r in rows:
        start, end = rows.date(line, r, "starts_on"), rows.date(line, r, "ends_on")
        if start is None:
            raise rows.error(line, "starts_on", "a start date is required")
        if end and end.end < start.start:
            raise rows.error(line, "ends_on", "the event ends before it starts")
        host = _city(rows, line, r, cities, "host") if r.get("host_city", "").strip() else None
        records.append(
            {
                "partnership_id": _partnership(rows, line, r, partnerships),
                "kind": rows.code(line, r, "kind", reference.EVENT_KINDS),
                "title": r["title"].strip(),
                "starts_on": start.start,
                "starts_precision": start.precision,
                "ends_on": _date_cols(end)[0],
                "ends_precision": _date_cols(end)[1],
                "venue": _opt(r.get("venue")),
                "host_city_id": host,
                "participants": _number(r.get("participants"), int),
                "participants_note": _opt(r.get("participants_note")),
                "status": rows.code(line, r, "status", reference.EVENT_STATUSES),
                "source": _opt(r.get("source")),
                "is_demo": _bool(r.get("is_demo")),
            }
        )
    _insert(cur, "events", records)


def _load_contacts(cur: duckdb.DuckDBPyConnection, rows: _Rows, cities: dict, partnerships: dict) -> None:
    records = []
    for line, r in rows:
        side = r.get("side", "").strip()
        if side not in {"home", "partner"}:
            raise rows.error(line, "side", f"{side!r} is not 'home' or 'partner'")
        records.append(
            {
                "partnership_id": _partnership(rows, line, r, partnerships),
                "city_id": _city(rows, line, r, cities, side),
                "name": r["name"].strip(),
                **{c: _opt(r.get(c)) for c in ("role", "organisation", "email", "phone")},
                "is_demo": _bool(r.get("is_demo")),
            }
        )
    _insert(cur, "contacts", records)


def _load_indicators(cur: duckdb.DuckDBPyConnection, rows: _Rows, cities: dict) -> None:
    records = []
    for line, r in rows:
        period = rows.date(line, r, "period")
        if period is None:
            raise rows.error(line, "period", "a period is required")
        records.append(
            {
                "city_id": _city(rows, line, r, cities),
                "origin_country": _opt(r.get("origin_country")),
                "indicator": rows.code(line, r, "indicator", reference.INDICATORS),
                "period": period.start,
                "period_precision": period.precision,
                "value": float(r["value"]),
                "unit": _opt(r.get("unit")),
                "source": _opt(r.get("source")),
                "is_demo": _bool(r.get("is_demo")),
            }
        )
    _insert(cur, "indicators", records)
