"""Reading a file nobody here wrote: which of its columns is which template column.

A :class:`Mapping` names, for a file's headers, the template column each holds ("" = ignore),
values for template columns the file lacks (``defaults``: a pair list has no kind or status),
and for a list of city pairs which side is ours (``home_side``: "1", "2" or "either"). It is
guessed from the headers, shown to staff to correct, saved under a name and used again from
the Data page or the command line (``--map mapping.json`` or a saved name).
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from twinmap.core.reference import N_, Explained
from twinmap.core.text import fold, quoted
from twinmap.ingest import countries
from twinmap.ingest.readers import Sheet
from twinmap.ingest.specs import TABLES, TableSpec, aliases
from twinmap.store import db

HOME_SIDES = ("1", "2", "either")


class MappingProblem(Explained):
    """A mapping that cannot be used (the message says why)."""


@dataclass(frozen=True)
class Mapping:
    """How one layout of file reads as a table's template."""

    table: str
    columns: dict[str, str] = field(default_factory=dict)  # file header -> template column ("" = ignore)
    defaults: dict[str, str] = field(default_factory=dict)  # template column -> value for every row
    home_side: str = ""  # a pair list as partnerships: "1", "2" or "either" side is our home city

    def __post_init__(self) -> None:
        spec = TABLES.get(self.table)
        if spec is None:
            raise MappingProblem(N_("{table} is not a table that can be imported"), table=quoted(self.table))
        names = {c.name for c in spec.columns}
        wrong = sorted({t for t in (*self.columns.values(), *self.defaults) if t and t not in names})
        if wrong:
            raise MappingProblem(N_("{columns} are not columns of the {table} template"), columns=", ".join(wrong),
                                 table=self.table)  # fmt: skip
        if self.home_side not in ("", *HOME_SIDES):
            raise MappingProblem(N_("the home side is 1, 2 or either"))

    def apply(self, sheet: Sheet) -> Sheet:
        """The sheet with template headers: mapped columns renamed, ignored ones dropped, defaults added."""
        keep = [i for i, h in enumerate(sheet.header) if self.columns.get(h, h) != ""]
        header = [self.columns.get(sheet.header[i], sheet.header[i]) for i in keep]
        extra = [(k, v) for k, v in self.defaults.items() if k not in header]
        rows = [
            (line, [cells[i] if i < len(cells) else "" for i in keep] + [v for _, v in extra])
            for line, cells in sheet.rows
        ]
        return Sheet([*header, *(k for k, _ in extra)], rows, sheet.encoding, sheet.delimiter, sheet.notes)

    def to_json(self) -> str:
        """The mapping as the command line's ``--map`` file holds it."""
        return json.dumps({"table": self.table, "columns": self.columns, "defaults": self.defaults,
                           "home_side": self.home_side}, ensure_ascii=False, indent=2)  # fmt: skip

    @classmethod
    def from_json(cls, text: str) -> Mapping:
        """A mapping from its JSON form."""
        try:
            data = json.loads(text)
            return cls(data["table"], dict(data.get("columns", {})), dict(data.get("defaults", {})),
                       str(data.get("home_side", "")))  # fmt: skip
        except (ValueError, KeyError, TypeError) as err:
            raise MappingProblem(N_("not a mapping file ({why})"), why=type(err).__name__) from None


# What header words say about a column of a city pair: which side, and which field.
_SIDE_1 = ("origin", "home", "from", "source", "our")
_SIDE_2 = ("sister", "destination", "partner", "twin", "other", "target")
_FIELDS = (("lat", "lat"), ("lng", "lon"), ("lon", "lon"), ("long", "lon"), ("country", "country"),
           ("city", "city"), ("name", "city"), ("label", "city"), ("town", "city"))  # fmt: skip
_PAIR_TARGETS = {
    "partnerships": {"1": "home_", "2": "partner_"},
    "ties": {"1": "", "2": "other_"},
}


def _pair_guess(spec: TableSpec, header: str) -> str:
    """city1 / lat2 / origincityLabel / destination_countryLabel as a pair's template column."""
    sides = _PAIR_TARGETS.get(spec.name)
    if not sides:
        return ""
    text = re.sub(r"([a-z])([A-Z])", r"\1 \2", header).lower()
    side = "1" if text.rstrip().endswith("1") or any(w in text for w in _SIDE_1) else ""
    side = "2" if text.rstrip().endswith("2") or any(w in text for w in _SIDE_2) else side
    what = next((f for word, f in _FIELDS if word in text), "")
    if not (side and what) or "population" in text:
        return ""
    name = f"{sides[side]}{what}"
    return name if name in {c.name for c in spec.columns} else ""


_AS_TIE = {"home_city": "city", "home_country": "country", "home_lat": "lat", "home_lon": "lon",
           "partner_city": "other_city", "partner_country": "other_country", "partner_lat": "other_lat",
           "partner_lon": "other_lon", "source": "source"}  # fmt: skip
_SWAP = {"home_city": "partner_city", "home_country": "partner_country", "home_lat": "partner_lat",
         "home_lon": "partner_lon"}  # fmt: skip
_SWAP |= {v: k for k, v in _SWAP.items()}


def split_pairs(sheet: Sheet, homes: set[tuple[str, str]], home_side: str) -> dict[str, Sheet]:
    """A pair list (in the partnerships template) as our partnerships and other cities' ties.

    A row is ours when the home side's city is one of our home cities ("either": whichever side
    is; the row is then turned so our city is the home city); every other row is a tie.
    """
    index = {h: i for i, h in enumerate(sheet.header)}
    swap = [index.get(_SWAP.get(h, h), i) for i, h in enumerate(sheet.header)]

    def ours(cells: list[str], side: str) -> bool:
        city, country = ("home_city", "home_country") if side == "1" else ("partner_city", "partner_country")
        get = lambda c: cells[index[c]] if c in index and index[c] < len(cells) else ""  # noqa: E731
        return (fold(get(city)), _country_or_blank(get(country))) in homes

    mine, others = [], []
    for line, cells in sheet.rows:
        padded = cells + [""] * (len(sheet.header) - len(cells))
        if ours(padded, "1") and home_side in ("1", "either"):
            mine.append((line, padded))
        elif ours(padded, "2") and home_side in ("2", "either"):
            mine.append((line, [padded[j] for j in swap]))
        else:
            others.append((line, padded))
    kept = [i for i, h in enumerate(sheet.header) if h in _AS_TIE]
    ties = [(line, [cells[i] for i in kept]) for line, cells in others]
    return {
        "ours": Sheet(sheet.header, mine, sheet.encoding, sheet.delimiter, sheet.notes),
        "others": Sheet([_AS_TIE[sheet.header[i]] for i in kept], ties, sheet.encoding, sheet.delimiter, sheet.notes),
    }


def _country_or_blank(raw: str) -> str:
    return countries.code(raw) or ""


def guess(table: str, header: list[str]) -> dict[str, str]:
    """The best guess for each of a file's columns: its template column, or "" (ignore) when unsure."""
    spec = TABLES[table]
    known = {alias: col.name for alias, col in aliases(spec).items()}
    guessed: dict[str, str] = {}
    for cell in header:
        target = known.get(fold(cell)) or _pair_guess(spec, cell)
        if not target:
            close = difflib.get_close_matches(fold(cell), list(known), n=1, cutoff=0.8)
            target = known[close[0]] if close else ""
        guessed[cell] = target if target not in guessed.values() else ""
    return guessed


def suggested_defaults(table: str, columns: dict[str, str]) -> dict[str, str]:
    """Values for required columns the file does not have, from the template's example (to check)."""
    spec = TABLES[table]
    named = set(columns.values())
    example = spec.examples[0] if spec.examples else {}
    city_columns = {n for ref in spec.cities for n in (ref.city, ref.country)}
    return {
        c.name: example[c.name]
        for c in spec.columns
        if c.required and c.name not in named and c.name in example and c.name not in city_columns
    }


def needs_mapping(table: str, header: list[str]) -> bool:
    """True when the file's own headers leave a required template column unnamed."""
    named = {t for t in guess(table, header).values() if t}
    return any(c.required and c.name not in named for c in TABLES[table].columns)


def save(con: duckdb.DuckDBPyConnection, name: str, mapping: Mapping, user: str) -> None:
    """Keep a mapping under a name (replacing one of that name)."""
    if not name.strip():
        raise MappingProblem(N_("give the mapping a name"))
    with db.write_transaction(con, bump=False) as cur:
        cur.execute(
            """INSERT INTO column_mappings (name, table_name, columns, created_by) VALUES (?, ?, ?, ?)
               ON CONFLICT (name) DO UPDATE SET table_name = excluded.table_name, columns = excluded.columns,
               created_by = excluded.created_by, created_at = excluded.created_at""",
            [name.strip(), mapping.table, mapping.to_json(), user],
        )


def saved(con: duckdb.DuckDBPyConnection, table: str | None = None) -> dict[str, Mapping]:
    """The saved mappings (of one table), by name."""
    rows = con.cursor().execute("SELECT name, columns FROM column_mappings ORDER BY name").fetchall()
    found = {name: Mapping.from_json(text) for name, text in rows}
    return {n: m for n, m in found.items() if table is None or m.table == table}


def load(con: duckdb.DuckDBPyConnection, given: str) -> Mapping:
    """A mapping from a JSON file's path or a saved mapping's name (the command line's ``--map``)."""
    path = Path(given)
    if path.suffix.lower() == ".json" and path.is_file():
        return Mapping.from_json(path.read_text(encoding="utf-8"))
    found = saved(con).get(given)
    if found is None:
        raise MappingProblem(N_("there is no mapping file or saved mapping {name}"), name=quoted(given))
    return found
