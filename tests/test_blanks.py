"""Blank cells keep what the store holds (unless staff ask them to clear it); a city keeps the spelling a file gives.

Both are rules of :mod:`twinmap.ingest.importer`: an update needs only its key and what changes,
and a held city named in another script gets that spelling as its local name.
"""

import pytest

from twinmap.ingest import batches, exporter, importer
from twinmap.ingest.specs import TABLES
from twinmap.views import previews


def _plan(con, text: str, table: str, **kw) -> importer.Plan:
    return importer.plan_import(con, text.encode("utf-8"), f"{table}.csv", table, **kw)


def _city(con, name: str) -> dict:
    row = con.execute("SELECT * FROM cities WHERE name = ?", [name]).fetch_arrow_table().to_pylist()
    return row[0]


def test_a_cities_row_with_only_a_new_population_keeps_the_local_name_and_region(con):
    header = ",".join(c.name for c in TABLES["cities"].columns)  # the template's columns, most left blank
    text = f"{header}\n,Astrakhan,,RU,,,,550000,,\n"
    plan = _plan(con, text, "cities")
    assert plan.errors == []
    assert [sorted(c.after) for c in plan.changed] == [["population"]]
    batches.commit(con, plan, "tester")
    astrakhan = _city(con, "Astrakhan")
    assert (astrakhan["local_name"], astrakhan["region"], astrakhan["population"]) == (
        "Астрахань",
        "Astrakhan Oblast",
        550000,
    )


def test_a_partnerships_row_with_only_a_new_purpose_updates_the_purpose_alone(con):
    text = "home_city,home_country,partner_city,partner_country,purpose\nSari,IR,Astrakhan,RU,Tourism and trade.\n"
    plan = _plan(con, text, "partnerships")
    assert plan.errors == []
    assert [c.after for c in plan.changed] == [{"purpose": "Tourism and trade."}]
    batches.commit(con, plan, "tester")
    kind, status, purpose = con.execute("SELECT kind, status, purpose FROM partnerships WHERE id = 1").fetchone()
    assert (kind, status, purpose) == ("sister_city", "signed", "Tourism and trade.")


def test_a_new_row_still_needs_its_required_columns(con):
    text = "home_city,home_country,partner_city,partner_country,purpose\nSari,IR,Volgograd,RU,Trade.\n"
    plan = _plan(con, text, "partnerships")
    assert [(p.row, p.column, p.reason) for p in plan.errors] == [
        (2, "kind", "a new row needs kind: the file has no such column"),
        (2, "status", "a new row needs status: the file has no such column"),
    ]
    blank = _plan(con, text.replace("purpose\n", "purpose,kind,status\n").replace("Trade.\n", "Trade.,,\n"),
                  "partnerships")  # fmt: skip
    assert [(p.row, p.column, p.reason) for p in blank.errors] == [
        (2, "kind", "a value is required"),
        (2, "status", "a value is required"),
    ]


# One value each table's update changes; every other cell of the row is left blank (or out).
CHANGES = {
    "cities": ("population", "123456", "123456"),
    "partnerships": ("purpose", "A new purpose.", "A new purpose."),
    "events": ("venue", "Town hall", "Town hall"),
    "contacts": ("role", "Deputy mayor", "Deputy mayor"),
    "indicators": ("unit", "visitors", "visitors"),
    "stages": ("note", "Agreed at the meeting", "Agreed at the meeting"),
    "missions": ("outcomes", "A memorandum", "A memorandum"),
    "follow_ups": ("owner", "Mayor's office", "Mayor's office"),
    "targets": ("description", "Visitors from the partner", "Visitors from the partner"),
    "ties": ("source", "Checked by hand", "Checked by hand"),
}


@pytest.mark.parametrize("layout", ["keys only", "every column, the rest blank"])
@pytest.mark.parametrize("table", sorted(CHANGES))
def test_a_row_with_only_its_keys_and_one_value_updates_that_value_alone(con, table, layout):
    spec = TABLES[table]
    column, typed, stored = CHANGES[table]
    before = exporter.table_frame(con, table)
    row = before.iloc[0].to_dict()
    keys = [c.name for c in spec.columns if c.name in spec.key_columns()]
    names = [*keys, column] if layout == "keys only" else [c.name for c in spec.columns]
    cells = [row[n] if n in keys else typed if n == column else "" for n in names]
    text = ",".join(names) + "\n" + ",".join(f'"{c}"' for c in cells) + "\n"
    plan = _plan(con, text, table)
    assert plan.errors == []
    assert [sorted(c.after) for c in plan.changed] == [[spec.column(column).db_column]]
    batches.commit(con, plan, "tester")
    after = exporter.table_frame(con, table)
    expected = before.copy()
    expected.loc[expected.index[0], column] = stored
    assert after.drop(columns=[c.name for c in spec.columns if not c.stored]).equals(
        expected.drop(columns=[c.name for c in spec.columns if not c.stored])
    )


def test_asked_to_clear_blank_cells_erase_held_values_and_the_preview_names_each(con):
    text = "name,local_name,country_code,region,population\nAstrakhan,,RU,,550000\n"
    plan = _plan(con, text, "cities", blank_clears=True)
    assert plan.errors == []
    assert sorted((row, column, old) for row, column, old in plan.erasures) == [
        (2, "local_name", "Астрахань"),
        (2, "region", "Astrakhan Oblast"),
    ]
    erased = previews.plan_tables(plan)["erased"]
    assert erased[["Row", "Column", "Value erased"]].values.tolist() == [
        ["2", "local_name", "Астрахань"],
        ["2", "region", "Astrakhan Oblast"],
    ]
    assert plan.report("valid")["erased"] == [
        {"row": 2, "column": "local_name", "old": "Астрахань"},
        {"row": 2, "column": "region", "old": "Astrakhan Oblast"},
    ]
    batches.commit(con, plan, "tester")
    astrakhan = _city(con, "Astrakhan")
    assert (astrakhan["local_name"], astrakhan["region"], astrakhan["population"]) == (None, None, 550000)


def test_asked_to_clear_a_required_value_is_still_a_problem(con):
    text = "home_city,home_country,partner_city,partner_country,kind,status\nSari,IR,Astrakhan,RU,,signed\n"
    plan = _plan(con, text, "partnerships", blank_clears=True)
    assert [(p.row, p.column, p.reason) for p in plan.errors] == [(2, "kind", "a value is required")]


def test_a_held_city_named_in_cyrillic_keeps_that_spelling_as_its_local_name_and_undo_takes_it_back(con):
    assert _city(con, "Volgograd")["local_name"] is None
    text = (
        "home_city,home_country,partner_city,partner_country,kind,status\nSari,IR,Волгоград,RU,friendship,candidate\n"
    )
    plan = _plan(con, text, "partnerships")
    assert plan.errors == [] and plan.new_cities == []
    assert [(c.before["name"], c.after) for c in plan.spellings_to_add] == [("Volgograd", {"local_name": "Волгоград"})]
    batch = batches.commit(con, plan, "tester")
    assert _city(con, "Volgograd")["local_name"] == "Волгоград"
    batches.undo(con, batch, "tester")
    assert _city(con, "Volgograd")["local_name"] is None


def test_a_held_city_with_a_local_name_keeps_it_and_a_note_says_so(con):
    text = "home_city,home_country,partner_city,partner_country,kind,status\nSari,IR,Астрахан,RU,sister_city,signed\n"
    plan = _plan(con, text, "partnerships")
    assert plan.errors == [] and plan.spellings_to_add == []
    assert any("which keeps its local name 'Астрахань'" in w.reason for w in plan.warnings), plan.warnings
