"""A province on one store: a user limited to some home cities changes only theirs, on every write path.

The shipped store (Sari's partnerships) with a second home city, Shiraz, imported by an admin;
``clerk`` is an editor of Shiraz only. Every test runs on a DuckDB file and on PostgreSQL.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from twinmap.ingest import batches, edits, forms, importer, scopes
from twinmap.store import auth

pytestmark = pytest.mark.both_backends

PROVINCE = Path(__file__).parent / "fixtures" / "province"
OUTSIDE = "Sari is outside your home cities: Shiraz"


def _file(name: str) -> bytes:
    return (PROVINCE / name).read_bytes()


def _city(con, name: str) -> int:
    return con.execute("SELECT id FROM cities WHERE name = ? AND country_code = 'IR'", [name]).fetchone()[0]


def _pair(con, home: str, partner: str) -> int:
    return con.execute(
        """SELECT p.id FROM partnerships p JOIN cities h ON h.id = p.home_city_id JOIN cities c ON c.id = p.partner_city_id
           WHERE h.name = ? AND c.name = ?""",
        [home, partner],
    ).fetchone()[0]


def _counts(con) -> dict[str, int]:
    tables = ("partnerships", "events", "contacts", "cities", "indicators", "stages", "import_batches")
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


@pytest.fixture
def province(con):
    """Sari's store with Shiraz's partnerships (one a private candidate), a Shiraz clerk and an admin."""
    plan = importer.plan_import(con, _file("shiraz_partnerships.csv"), "shiraz.csv", "partnerships")
    assert plan.ok, plan.errors
    batches.commit(con, plan, "setup")
    auth.create_user(con, "clerk", "correct horse battery", "editor", homes=(_city(con, "Shiraz"),))
    auth.create_user(con, "boss", "correct horse battery", "admin")
    return con


def test_a_file_with_one_row_of_another_home_city_is_refused_whole_and_changes_nothing(province):
    con = province
    before = _counts(con)
    plan = importer.plan_import(con, _file("events_mixed.csv"), "events.csv", "events", writer="clerk")
    assert [(p.row, p.column, p.reason) for p in plan.errors] == [(4, "home_city", OUTSIDE)]
    with pytest.raises(batches.ImportRejected):
        batches.commit(con, plan, "clerk")
    assert _counts(con) == before


def test_with_skip_invalid_only_the_rows_of_the_users_home_cities_go_in(province):
    con = province
    plan = importer.plan_import(con, _file("events_mixed.csv"), "events.csv", "events", writer="clerk")
    batch = batches.commit(con, plan, "clerk", skip_invalid=True)
    titles = {t for (t,) in con.execute("SELECT title FROM events e JOIN import_changes c ON c.row_id = e.id "
                                        "AND c.table_name = 'events' WHERE c.batch_id = ?", [batch]).fetchall()}  # fmt: skip
    assert titles == {"Hafez and Goethe evening", "Weimar delegation in Shiraz"}
    assert b"Sari is outside your home cities" in plan.rejects_csv()


def test_an_admin_and_an_unlimited_editor_import_every_home_citys_rows(province):
    con = province
    auth.create_user(con, "veteran", "correct horse battery", "editor")  # no home cities listed: every one
    for who in ("boss", "veteran", None):  # None: the command line without --as
        plan = importer.plan_import(con, _file("sari_events.csv"), f"{who}.csv", "events", writer=who)
        assert plan.ok, (who, plan.errors)


def test_a_grid_edit_or_delete_of_another_home_citys_row_is_refused(province):
    con = province
    sari = _pair(con, "Sari", "Astrakhan")
    grid = edits.grid(con, "partnerships", [sari])
    save = edits.plan_save(con, grid, {0: {"purpose": "Rewritten in Shiraz"}}, [], [], writer="clerk")
    assert [(p.column, p.reason) for p in save.plan.errors] == [("home_city", OUTSIDE)]
    contact = con.execute("SELECT id FROM contacts WHERE partnership_id = ?", [sari]).fetchone()[0]
    gone = edits.plan_save(con, edits.grid(con, "contacts", [contact]), {}, [], [0], writer="clerk")
    assert [p.reason for p in gone.plan.errors] == [OUTSIDE] and not gone.plan.deleted
    weimar = _pair(con, "Shiraz", "Weimar")
    mine = edits.plan_save(con, edits.grid(con, "partnerships", [weimar]), {0: {"purpose": "Hafez, Goethe"}}, [], [],
                           writer="clerk")  # fmt: skip
    assert mine.ok and edits.save(con, mine, "clerk")


def test_a_grid_opens_only_the_users_own_partnerships_rows(province):
    con = province
    shiraz = (_city(con, "Shiraz"),)
    found = edits.subset(con, "partnerships", [], "a", homes=shiraz)
    homes = {h for (h,) in con.execute("SELECT DISTINCT home_city_id FROM partnerships WHERE id IN (SELECT unnest(?))",
                                       [found]).fetchall()}  # fmt: skip
    assert homes == set(shiraz)


def test_an_undo_of_a_batch_with_another_home_citys_rows_is_refused_and_an_admin_may(province):
    con = province
    plan = importer.plan_import(con, _file("sari_events.csv"), "sari.csv", "events", writer="boss")
    batch = batches.commit(con, plan, "boss")
    with pytest.raises(batches.UndoRefused, match=r"changed rows of Sari, outside your home cities \(Shiraz\)"):
        batches.undo(con, batch, "clerk", writer="clerk")
    assert con.execute("SELECT status FROM import_batches WHERE id = ?", [batch]).fetchone()[0] == "committed"
    batches.undo(con, batch, "boss", writer="boss")
    mine = importer.plan_import(con, _file("events_mixed.csv"), "e.csv", "events", writer="clerk")
    batches.undo(con, batches.commit(con, mine, "clerk", skip_invalid=True), "clerk", writer="clerk")


def test_a_stage_move_from_a_form_for_another_home_city_is_refused(province):
    con = province
    keys = {"home_city": "Sari", "home_country": "IR", "partner_city": "Astrakhan", "partner_country": "RU"}
    plan, batch = forms.submit(con, "partnerships", {**keys, "kind": "sister_city", "status": "dormant"},
                               auth.user(con, "clerk"), "stage")  # fmt: skip
    assert batch is None and [p.reason for p in plan.errors] == [OUTSIDE]


def test_shared_rows_are_anyones_but_those_naming_another_home_city(province):
    con = province
    rows = b"city,country,origin_country,indicator,period,value\nWeimar,DE,IR,tourist_arrivals,2026-01,40\n"
    rows += b"Sari,IR,DE,tourist_arrivals,2026-01,40\n"
    plan = importer.plan_import(con, rows, "indicators.csv", "indicators", writer="clerk")
    assert [(p.row, p.column, p.reason) for p in plan.errors] == [(3, "city", OUTSIDE)]
    city = b"name,country_code,lat,lon\nPersepolis,IR,29.93,52.89\n"
    assert importer.plan_import(con, city, "cities.csv", "cities", writer="clerk").ok


def test_a_new_home_city_is_no_ones_to_start_but_an_admins(province):
    con = province
    row = b"home_city,home_country,partner_city,partner_country,kind,status\nTabriz,IR,Baku,AZ,sister_city,candidate\n"
    plan = importer.plan_import(con, row, "tabriz.csv", "partnerships", writer="clerk")
    assert [p.reason for p in plan.errors] == ["Tabriz is outside your home cities: Shiraz"]
    assert importer.plan_import(con, row, "tabriz.csv", "partnerships", writer="boss").ok


def test_the_store_decides_at_commit_an_admin_narrowing_a_user_takes_effect_at_once(province):
    con = province
    auth.set_home_cities(con, "clerk", [_city(con, "Shiraz"), _city(con, "Sari")])
    plan = importer.plan_import(con, _file("sari_events.csv"), "sari.csv", "events", writer="clerk")
    assert plan.ok
    auth.set_home_cities(con, "clerk", [_city(con, "Shiraz")])
    before = _counts(con)
    with pytest.raises(batches.CommitFailed, match=OUTSIDE):
        batches.commit(con, plan, "clerk")
    assert _counts(con) == before


def test_a_viewer_may_write_nothing(province):
    con = province
    auth.create_user(con, "reader", "correct horse battery", "viewer")
    plan = importer.plan_import(con, _file("events_mixed.csv"), "e.csv", "events", writer="reader")
    assert [p.reason for p in plan.errors] == ["reader may not change data (role: viewer)"]


def test_the_rule_names_the_home_city_a_partnerships_row_belongs_to(province):
    con = province
    fence = scopes.fence(con.cursor(), "clerk")
    sari, weimar = _pair(con, "Sari", "Astrakhan"), _pair(con, "Shiraz", "Weimar")
    import numpy as np

    city, column = scopes.outside(fence, "events", {"partnership_id": np.array([sari, weimar], dtype=np.int64)})
    assert city.tolist() == [_city(con, "Sari"), 0] and column[0] == "partnership_id"


def test_an_undo_preview_names_only_the_readers_own_rows_and_counts_the_rest(province):
    """Every staff member may open any past import; another city's partnerships (one still in talks) stay unnamed."""
    from twinmap.reads import history
    from twinmap.views import previews

    con = province
    setup = con.execute("SELECT id FROM import_batches WHERE file_name = 'shiraz.csv'").fetchone()[0]
    sari = history.undo_preview(con, setup, (_city(con, "Sari"),))
    named = " ".join(previews.undo_rows(sari)["Row"]) if sari.rows else ""
    assert "Dushanbe" not in named and "Weimar" not in named
    assert sari.withheld == 3  # both partnerships and the candidate's first stage
    assert "3 rows belong to home cities outside yours and are not listed here." in previews.undo_lines(sari)
    shiraz = history.undo_preview(con, setup, (_city(con, "Shiraz"),))
    assert {"Shiraz – Weimar", "Shiraz – Dushanbe"} <= set(previews.undo_rows(shiraz)["Row"])
    assert shiraz.withheld == 0 and history.undo_preview(con, setup).withheld == 0  # an admin: every row
    mixed = importer.plan_import(con, _file("events_mixed.csv"), "e.csv", "events", writer="boss")
    batch = batches.commit(con, mixed, "boss")
    clerk = history.undo_preview(con, batch, (_city(con, "Shiraz"),))
    shown = set(previews.undo_rows(clerk)["Row"])
    assert clerk.withheld == 1 and not any("Sari" in row for row in shown) and len(shown) == 2
