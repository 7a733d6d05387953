"""One schema: the import specs (twinmap/ingest/specs.py) agree with the migrated database.

A column added to the database but not to its spec (or the other way round), a NOT NULL column
no import fills, or a reference an undo does not know about fails here, not at a commit.
"""

import pytest

from twinmap.ingest import specs
from twinmap.ingest.kinds import KINDS
from twinmap.ingest.specs import TABLES

FILLED_BY_RULES = {("cities", "lat"), ("cities", "lon")}  # from the gazetteer when the file leaves them empty
NAMING = {"home_city", "home_country", "partner_city", "partner_country", "side"}  # stored as ids, not as such


def _columns(con, table):
    rows = con.execute(
        "SELECT column_name, data_type, is_nullable, column_default FROM information_schema.columns "
        "WHERE table_name = ?",
        [table],
    ).fetchall()
    return {name: (kind, nullable == "YES", default) for name, kind, nullable, default in rows}


@pytest.mark.parametrize("spec", TABLES.values(), ids=lambda s: s.name)
def test_every_spec_column_is_a_database_column_of_a_matching_type(con, spec):
    columns = _columns(con, spec.name)
    city_names = {n for ref in spec.cities for n in (ref.city, ref.country)}
    for col in spec.columns:
        if col.name in NAMING | city_names or not col.stored:
            continue
        assert col.db_column in columns, f"{spec.name}.{col.db_column} is in the spec, not in the database"
        assert columns[col.db_column][0] in KINDS[col.kind].sql, (spec.name, col.name, columns[col.db_column][0])
        if col.kind == "date":
            assert col.precision in columns, f"{spec.name}.{col.precision} (precision of {col.name}) is missing"


@pytest.mark.parametrize("spec", TABLES.values(), ids=lambda s: s.name)
def test_every_database_column_is_filled_by_an_import(con, spec):
    filled = {"id"} | {c.db_column for c in spec.columns} | {c.precision for c in spec.columns if c.precision}
    filled |= {ref.db for ref in spec.cities}
    if spec.partnership:
        filled.add("partnership_id")
    if any(c.kind == "side" for c in spec.columns):
        filled.add("city_id")
    for name, (_kind, nullable, default) in _columns(con, spec.name).items():
        assert name in filled, f"{spec.name}.{name} is in the database but no import can fill it"
        column = next((c for c in spec.columns if c.db_column == name and c.kind != "id"), None)
        if not nullable and default is None and column is not None and (spec.name, name) not in FILLED_BY_RULES:
            assert column.required, f"{spec.name}.{name} is NOT NULL but optional in the import"


def test_every_reference_column_is_known_to_undo(con):
    known = {pair for pairs in specs.references().values() for pair in pairs}
    for spec in TABLES.values():
        for name in _columns(con, spec.name):
            if name.endswith("_id"):
                assert (spec.name, name) in known, f"{spec.name}.{name} refers to a row undo does not protect"


@pytest.mark.parametrize("spec", TABLES.values(), ids=lambda s: s.name)
def test_every_table_takes_its_ids_from_a_sequence(con, spec):
    default = _columns(con, spec.name)["id"][2]
    assert default and default.startswith("nextval("), (spec.name, default)
