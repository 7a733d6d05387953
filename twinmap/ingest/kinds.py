"""What a column's kind means, stated once: how a cell is read, held, stored, exported and described.

Every template column (:class:`~twinmap.ingest.specs.Column`) names its kind; the importer reads
and holds cells by it, the exporter writes them back by it, the templates' guide says what goes
in by it, and ``tests/test_schema.py`` checks each spec column's database type against it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from twinmap.core.reference import N_
from twinmap.ingest import convert

if TYPE_CHECKING:
    from twinmap.ingest.specs import Column


@dataclass(frozen=True)
class Kind:
    """One kind of column."""

    name: str
    read: Callable[[str, Column], Any]  # a cell to the stored value; raises convert.CellError saying why
    arrow: pa.DataType | None  # how the importer holds the values (None: a shape of its own, see below)
    sql: frozenset[str]  # the database types a column of this kind may have
    accepted: str  # what goes in, as the templates' guide says it (a catalogue message)
    numeric: bool = False  # a number: its limits are checked, and an export does not defuse it
    written: Callable[[Any], str] | None = None  # how an export writes a stored value (None: as text)


def _number(read: Callable[[str], Any]) -> Callable[[str, Column], Any]:
    def within(cell: str, col: Column) -> Any:
        value = read(cell)
        convert.within(value, col.low, col.high)
        return value

    return within


def _plain(read: Callable[[str], Any]) -> Callable[[str, Column], Any]:
    return lambda cell, _col: read(cell)


_TEXT = frozenset({"VARCHAR"})

# Dates are held as two columns (the first day of the period and its precision) and areas as a
# list of codes; every other kind is one value of its Arrow type.
KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("text", _plain(convert.text), pa.string(), _TEXT, N_("text")),
        Kind("int", _number(convert.integer), pa.int64(), frozenset({"INTEGER", "BIGINT"}), N_("a whole number"),
             numeric=True),
        Kind("float", _number(convert.decimal), pa.float64(), frozenset({"DOUBLE"}), N_("a number"), numeric=True),
        Kind("id", _number(convert.integer), pa.int64(), frozenset({"INTEGER"}), N_("a row id from an export"),
             numeric=True),
        Kind("bool", _plain(convert.boolean), pa.bool_(), frozenset({"BOOLEAN"}), N_("yes or no"),
             written=lambda v: "true" if v else "false"),
        Kind("date", _plain(convert.date), None, frozenset({"DATE"}),
             N_("a date: 2014-05-21, 2014-05, 2014, 21.05.2014 or Jalali 1393/02")),
        Kind("code", lambda cell, col: convert.code(cell, col.vocab), pa.string(), _TEXT, N_("one of the values")),
        Kind("areas", lambda cell, col: tuple(convert.codes(cell, col.vocab)), None, frozenset({"VARCHAR[]"}),
             N_("one or more of the values, separated by ;"), written=lambda v: ";".join(v) if v is not None else ""),
        Kind("country", _plain(convert.country), pa.string(), _TEXT, N_("a country: its name or ISO code")),
        Kind("side", _plain(convert.side), pa.string(), _TEXT, N_("home or partner")),
        Kind("wikidata", _plain(convert.wikidata), pa.string(), _TEXT, N_("a Wikidata id, e.g. Q1234")),
        Kind("link", _plain(convert.link), pa.string(), _TEXT, N_("a web address, e.g. https://example.org/news/1")),
        Kind("counts", _plain(convert.counts), pa.string(), _TEXT, N_("country:number pairs, e.g. IR:20; RU:15")),
    )
}  # fmt: skip


def read(col: Column, cell: str) -> tuple[Any, convert.CellError | None]:
    """A cell's stored value by its column's kind and limits, or why it cannot be stored."""
    try:
        return KINDS[col.kind].read(cell, col), None
    except convert.CellError as err:
        return None, err
