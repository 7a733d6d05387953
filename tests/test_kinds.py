"""Every column's kind is one of the kind table's, and each kind reads what its guide says it takes."""

import pytest

from twinmap.ingest import convert, kinds
from twinmap.ingest.specs import TABLES, Column


def test_every_template_column_has_a_kind_of_the_table():
    unknown = {(s.name, c.name, c.kind) for s in TABLES.values() for c in s.columns if c.kind not in kinds.KINDS}
    assert unknown == set()


@pytest.mark.parametrize(("kind", "cell", "value"), [
    ("int", "1,234", 1234), ("float", "46,35", 46.35), ("bool", "да", True), ("country", "Англия", "GB"),
    ("side", "партнёр", "partner"), ("counts", "IR:20; RU:15", "IR:20;RU:15"), ("text", " a ", "a"),
])  # fmt: skip
def test_a_kind_reads_a_cell_as_it_is_stored(kind, cell, value):
    assert kinds.read(Column("x", kind), cell) == (value, None)


def test_a_number_outside_its_columns_limits_is_refused_by_its_kind():
    value, err = kinds.read(Column("n", "int", low=0, high=10), "11")
    assert value is None and isinstance(err, convert.CellError)


def test_an_export_writes_lists_and_yes_no_as_the_import_reads_them():
    assert kinds.KINDS["areas"].written(["culture", "youth"]) == "culture;youth"
    assert kinds.KINDS["bool"].written(False) == "false" and kinds.KINDS["int"].numeric
