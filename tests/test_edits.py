"""Grid edits: saved through the import pipeline as one undoable batch, refused when a row changed since it was read."""

import pytest

from twinmap.ingest import batches, edits, exporter, importer, seed
from twinmap.ingest.specs import LOAD_ORDER

from .conftest import _store_copy


def _export(con) -> dict[str, list]:
    """Every table as its export: what "the store, exactly" means to staff."""
    return {t: exporter.table_frame(con, t).values.tolist() for t in LOAD_ORDER}


def _position(opened: edits.Grid, row_id: int) -> int:
    return int(opened.frame.index[opened.frame["id"] == row_id][0])


def _events_of(con, pid: int) -> edits.Grid:
    return edits.grid(con, "events", edits.subset(con, "events", [pid]))


def test_a_changed_purpose_an_added_event_and_a_deleted_contact_are_batches_undone_exactly(con):
    before = _export(con)
    partnerships = edits.grid(con, "partnerships", [1])
    save = edits.plan_save(con, partnerships, {0: {"purpose": "Tourism, trade and students."}}, [], [])
    assert save.ok, save.plan.errors
    assert [c.after for c in save.plan.changed] == [{"purpose": "Tourism, trade and students."}]
    first = edits.save(con, save, "editor1")

    events = _events_of(con, 1)
    keys = {"home_city": "Sari", "home_country": "IR", "partner_city": "Astrakhan", "partner_country": "RU"}
    new = {"kind": "student_exchange", "title": "Student exchange 2027", "starts_on": "2027-03-01", "status": "planned"}
    save = edits.plan_save(con, events, {}, [new], [], defaults=keys)
    assert save.ok, save.plan.errors
    second = edits.save(con, save, "editor1")

    contacts = edits.grid(con, "contacts", edits.subset(con, "contacts", [1]))
    gone = int(contacts.frame.iloc[0]["id"])
    save = edits.plan_save(con, contacts, {}, [], [0])
    assert save.ok and [c.id for c in save.plan.deleted] == [gone]
    third = edits.save(con, save, "editor1")

    assert con.execute("SELECT purpose FROM partnerships WHERE id = 1").fetchone()[0] == "Tourism, trade and students."
    assert con.execute("SELECT count(*) FROM events WHERE title = 'Student exchange 2027'").fetchone()[0] == 1
    assert con.execute("SELECT count(*) FROM contacts WHERE id = ?", [gone]).fetchone()[0] == 0
    history = batches.history(con)
    assert history[history["id"] == third]["deleted"].item() == 1
    for batch in (third, second, first):
        batches.undo(con, batch, "editor1")
    assert _export(con) == before


def test_a_save_refuses_a_row_another_editor_changed_since_and_names_them(con):
    mine, theirs = edits.grid(con, "partnerships", [1]), edits.grid(con, "partnerships", [1])
    edits.save(con, edits.plan_save(con, theirs, {0: {"purpose": "Theirs."}}, [], []), "alice")
    save = edits.plan_save(con, mine, {0: {"purpose": "Mine."}}, [], [])
    assert [(p.row, p.msgid) for p in save.plan.errors] == [(2, edits.CHANGED_SINCE)]
    assert save.plan.errors[0].values["user"] == "alice"
    assert "alice" in save.plan.errors[0].reason
    assert con.execute("SELECT purpose FROM partnerships WHERE id = 1").fetchone()[0] == "Theirs."


@pytest.mark.both_backends
def test_two_app_servers_saving_one_row_the_second_is_refused_and_writes_nothing(
    shipped_db, tmp_path, backend, request
):
    target = _store_copy(shipped_db, tmp_path / "shared.duckdb", backend, request)
    first = seed.connect(target)
    second = first if backend == "duckdb" else seed.connect(target)  # a file has one process; PostgreSQL two
    try:
        mine, theirs = edits.grid(first, "partnerships", [1]), edits.grid(second, "partnerships", [1])
        late = edits.plan_save(second, theirs, {0: {"purpose": "Theirs, planned early."}}, [], [])
        assert late.ok  # planned before the other save: only the save itself can see the clash
        edits.save(first, edits.plan_save(first, mine, {0: {"purpose": "Mine."}}, [], []), "alice")
        version = second.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()
        with pytest.raises(edits.EditConflict) as refused:
            edits.save(second, late, "bob")
        assert refused.value.problems[0].values["user"] == "alice"
        assert second.execute("SELECT purpose FROM partnerships WHERE id = 1").fetchone()[0] == "Mine."
        assert second.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone() == version
    finally:
        first.close()
        if second is not first:
            second.close()


def test_a_rule_broken_in_a_cell_is_a_problem_of_that_row_and_column_and_nothing_is_written(con):
    events = _events_of(con, 1)
    version = con.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()
    save = edits.plan_save(con, events, {1: {"starts_on": "31.02.2027"}, 2: {"status": "postponed"}}, [], [])
    problems = [(save.where(p), p.column, p.reason[:18]) for p in save.plan.errors]
    ids = [int(events.frame.iloc[i]["id"]) for i in (1, 2)]
    assert problems == [
        (("id", ids[0]), "starts_on", "'31.02.2027' is no"),
        (("id", ids[1]), "status", "'postponed' is not"),
    ]
    with pytest.raises(batches.ImportRejected):
        edits.save(con, save, "editor1")
    assert con.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone() == version


def test_a_cleared_cell_clears_the_value(con):
    opened = edits.grid(con, "partnerships", [1])
    save = edits.plan_save(con, opened, {0: {"purpose": None}}, [], [])
    assert save.ok and save.plan.erasures[0][1:] == ("purpose", opened.read[1]["purpose"])
    edits.save(con, save, "editor1")
    assert con.execute("SELECT purpose FROM partnerships WHERE id = 1").fetchone()[0] is None


def test_pasting_five_hundred_rows_is_validated_like_a_file(con):
    events = _events_of(con, 2)
    keys = {"home_city": "Sari", "home_country": "IR", "partner_city": "Montesilvano", "partner_country": "IT"}
    rows = [{"kind": "festival", "title": f"Evening {i}", "starts_on": f"2027-{i % 12 + 1:02d}-01", "status": "planned"}
            for i in range(500)]  # fmt: skip
    rows[321]["kind"] = "picnic"
    save = edits.plan_save(con, events, {}, rows, [], defaults=keys)
    assert [(save.where(p), p.column) for p in save.plan.errors] == [(("new", 322), "kind")]
    rows[321]["kind"] = "festival"
    save = edits.plan_save(con, events, {}, rows, [], defaults=keys)
    assert save.ok and save.plan.new_count == 500
    edits.save(con, save, "editor1")


def test_a_partnership_with_events_cannot_be_deleted_and_the_refusal_lists_them(con):
    opened = edits.grid(con, "partnerships", [1])
    save = edits.plan_save(con, opened, {}, [], [0])
    assert not save.ok
    assert save.where(save.plan.errors[0]) == ("deleted", 1)
    assert "events" in save.plan.errors[0].reason and "contacts" in save.plan.errors[0].reason


def test_a_partnership_deleted_takes_its_stage_history_and_undo_brings_both_back(con):
    head = "home_city,home_country,partner_city,partner_country,kind,status\n"
    from twinmap.ingest import importer

    plan = importer.plan_import(con, (head + "Sari,IR,Volgograd,RU,friendship,candidate\n").encode(), "p.csv",
                                "partnerships")  # fmt: skip
    batches.commit(con, plan, "tester")
    pid = con.execute("SELECT max(id) FROM partnerships").fetchone()[0]
    assert con.execute("SELECT count(*) FROM stages WHERE partnership_id = ?", [pid]).fetchone()[0] == 1
    before = _export(con)
    opened = edits.grid(con, "partnerships", [pid])
    batch = edits.save(con, edits.plan_save(con, opened, {}, [], [0]), "editor1")
    assert con.execute("SELECT count(*) FROM stages WHERE partnership_id = ?", [pid]).fetchone()[0] == 0
    batches.undo(con, batch, "editor1")
    assert _export(con) == before


def test_a_grid_in_the_solar_hijri_calendar_saves_back_the_same_dates(con):
    opened = edits.grid(con, "events", edits.subset(con, "events", [1]), cal="jalali")
    day = next(t for t in opened.frame["starts_on"] if t.count("/") == 2)
    assert int(day[:4]) < 1500  # a Solar Hijri year
    every_row = {i: {"title": t} for i, t in enumerate(opened.frame["title"])}
    save = edits.plan_save(con, opened, every_row, [], [])
    assert save.ok and save.plan.changed == [] and save.plan.unchanged == len(opened.frame)


def test_a_search_opens_a_grid_on_the_rows_it_finds_never_a_whole_table(con):
    found = edits.subset(con, "partnerships", [], "Astrakhan")
    assert found == [1]
    assert len(edits.subset(con, "cities", [], "")) == edits.MAX_ROWS + 1  # the page says "narrow the search"
    assert len(edits.grid(con, "cities", list(range(1, 2000))).frame) == edits.MAX_ROWS


def test_a_row_naming_a_city_with_a_partnered_namesake_saves_as_that_city(con):
    text = ("home_city,home_country,partner_city,partner_country,partner_lat,partner_lon,kind,status\n"
            "Sari,IR,Springfield,US,39.80,-89.64,sister_city,active\n"
            "Shiraz,IR,Springfield,US,42.10,-72.59,sister_city,active\n")  # fmt: skip
    plan = importer.plan_import(con, text.encode(), "p.csv", "partnerships")
    batches.commit(con, plan, "tester")
    sql = "SELECT p.id FROM partnerships p JOIN cities c ON c.id = p.partner_city_id WHERE c.region = 'Illinois'"
    (pid,) = con.execute(sql).fetchone()
    grid = edits.grid(con, "partnerships", [pid])
    save = edits.plan_save(con, grid, {0: {"purpose": "Students and sport."}}, [], [])
    assert save.plan.ok, save.plan.errors  # the grid sends where Springfield is, not only its name
    assert [c.after for c in save.plan.changed] == [{"purpose": "Students and sport."}]
    moved = edits.plan_save(con, grid, {0: {"partner_city": "Springfield", "partner_country": "US"}}, [], [])
    assert moved.plan.ok  # cells typed again as they were: still the same city


@pytest.mark.both_backends
def test_an_undone_change_still_shows_in_the_records_history_what_it_had_changed(con):
    from twinmap.reads import history
    from twinmap.views import previews

    old = con.execute("SELECT purpose FROM partnerships WHERE id = 1").fetchone()[0]
    new = "Tourism, trade and students: a purpose long enough that a cut would show it."
    grid = edits.grid(con, "partnerships", [1])
    batch = edits.save(con, edits.plan_save(con, grid, {0: {"purpose": new}}, [], []), "editor1")
    batches.undo(con, batch, "editor1")
    found = history.record(con, "partnerships", 1)
    (entry,) = [e for e in found.entries if e.batch == batch]
    assert entry.status == "undone" and ("purpose", old, new) in entry.fields
    table = previews.record_history_table(found)
    line = table[table["Import"] == f"#{batch}"].iloc[0]
    assert (line["Column"], line["Old"], line["New"]) == ("purpose", old, new)  # in full, marked undone
    assert line["Status"].startswith("Undone")


def test_a_record_is_named_by_its_cities_and_title_never_by_its_id_alone(con):
    from twinmap.views import previews

    events = edits.grid(con, "events", [1])
    label = previews.record_label(events.frame.iloc[0].to_dict())
    assert label == "#1 · Sari – Astrakhan · Astrakhan delegation visits Sari · 2015-03-10"
    cities = edits.grid(con, "cities", [1])
    assert previews.record_label(cities.frame.iloc[0].to_dict()).startswith("#1 · Sari")
