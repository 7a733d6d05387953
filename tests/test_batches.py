import threading

import pytest

from twinmap.ingest import batches, exporter, importer
from twinmap.ingest.specs import LOAD_ORDER

pytestmark = pytest.mark.both_backends  # every test here runs on a DuckDB file and on PostgreSQL

# Sari–Astrakhan changed, and Sari–Kutaisi added with a city made from the gazetteer.
ONE_CHANGED_ONE_NEW = (
    "home_city,home_country,partner_city,partner_country,kind,status,signed_on,areas,notes\n"
    "Sari,IR,Astrakhan,RU,sister_city,active,2014-05-15,youth,changed\n"
    "Sari,IR,Kutaisi,GE,friendship,negotiating,,culture,new\n"
)
EV = "home_city,home_country,partner_city,partner_country,kind,title,starts_on,ends_on,venue,status\n"


def _exports(con):
    return {t: exporter.to_csv(exporter.table_frame(con, t), t) for t in LOAD_ORDER}


def _commit(con, text, table, name="f.csv"):
    plan = importer.plan_import(con, text.encode(), name, table)
    assert plan.ok, plan.errors
    return batches.commit(con, plan, "tester")


def test_undo_restores_every_table_byte_for_byte(con):
    before = _exports(con)
    # Updates (status, dates, areas) and an insert that also creates a city from the gazetteer.
    batch = _commit(
        con,
        ONE_CHANGED_ONE_NEW,
        "partnerships",
    )
    assert _exports(con) != before
    batches.undo(con, batch, "tester")
    assert _exports(con) == before


def test_undo_refuses_while_a_later_import_changed_the_same_rows(con):
    first = _commit(con, "name,country_code,population\nSari,IR,1\n", "cities")
    second = _commit(con, "name,country_code,population\nSari,IR,2\n", "cities")
    with pytest.raises(batches.UndoRefused, match=f"later import\\(s\\) #{second}"):
        batches.undo(con, first, "tester")
    batches.undo(con, second, "tester")
    batches.undo(con, first, "tester")
    assert con.execute("SELECT population FROM cities WHERE name = 'Sari'").fetchone() == (255396,)


def test_undo_refuses_to_orphan_rows_that_refer_to_what_it_created(con):
    created = _commit(
        con,
        "home_city,home_country,partner_city,partner_country,kind,status\nSari,IR,Kutaisi,GE,friendship,active\n",
        "partnerships",
    )
    _commit(con, EV + "Sari,IR,Kutaisi,GE,festival,Fest,2027-01-01,,Sari,planned\n", "events")
    with pytest.raises(batches.UndoRefused, match="1 events row"):
        batches.undo(con, created, "tester")


def test_an_undone_batch_cannot_be_undone_twice(con):
    batch = _commit(con, "name,country_code,population\nSari,IR,1\n", "cities")
    batches.undo(con, batch, "tester")
    with pytest.raises(batches.UndoRefused, match="already undone"):
        batches.undo(con, batch, "tester")
    assert batches.history(con).set_index("id").loc[batch, "undone_by"] == "tester"


def test_two_imports_at_the_same_moment_both_land(con):
    files = [EV + f"Sari,IR,Astrakhan,RU,festival,Fest {i},2027-0{i}-01,,Sari,planned\n" for i in (1, 2)]
    plans = [importer.plan_import(con, f.encode(), f"f{i}.csv", "events") for i, f in enumerate(files)]
    start, results, errors = threading.Barrier(2), [], []

    def run(plan):
        start.wait()
        try:
            results.append(batches.commit(con, plan, "tester"))
        except Exception as err:
            errors.append(err)

    threads = [threading.Thread(target=run, args=(p,)) for p in plans]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(set(results)) == 2
    titles = {r[0] for r in con.execute("SELECT title FROM events WHERE title LIKE 'Fest %'").fetchall()}
    assert titles == {"Fest 1", "Fest 2"}


def test_every_commit_is_recorded_with_file_hash_user_and_counts(con):
    batch = _commit(con, "name,country_code,population\nSari,IR,1\nGorgan,IR,\n", "cities", name="mine.csv")
    row = batches.history(con).set_index("id").loc[batch]
    assert (row["file_name"], row["user_name"], row["inserted"], row["updated"], row["status"]) == (
        "mine.csv",
        "tester",
        1,
        1,
        "committed",
    )
    assert len(row["file_hash"]) == 64


def _stages(con, partner):
    return con.execute(
        """SELECT s.status, s.entered_on FROM stages s JOIN partnerships p ON p.id = s.partnership_id
           JOIN cities c ON c.id = p.partner_city_id WHERE c.name = ? ORDER BY s.id""",
        [partner],
    ).fetchall()


def test_a_stage_change_is_recorded_with_the_day_and_undone_with_the_import(con, monkeypatch):
    monkeypatch.setenv("TWINMAP_TODAY", "2026-11-23")
    before = _stages(con, "Lankaran")
    batch = _commit(
        con,
        "home_city,home_country,partner_city,partner_country,kind,status\nSari,IR,Lankaran,AZ,sister_city,analysis\n",
        "partnerships",
    )
    after = _stages(con, "Lankaran")
    assert after[:-1] == before and after[-1][0] == "analysis" and str(after[-1][1]) == "2026-11-23"
    batches.undo(con, batch, "tester")
    assert _stages(con, "Lankaran") == before


def test_a_new_candidate_gets_its_first_stage_but_a_historical_signed_row_does_not(con, monkeypatch):
    monkeypatch.setenv("TWINMAP_TODAY", "2026-11-23")
    _commit(
        con,
        "home_city,home_country,partner_city,partner_country,kind,status,signed_on\n"
        "Sari,IR,Rasht,IR,friendship,candidate,\nSari,IR,Kutaisi,GE,friendship,signed,2010-05-01\n",
        "partnerships",
    )
    assert [s for s, _ in _stages(con, "Rasht")] == ["candidate"]
    assert _stages(con, "Kutaisi") == []


def test_lifecycle_tables_import_and_undo_byte_for_byte(con):
    before = _exports(con)
    orphans = "SELECT count(*) FROM missions WHERE partnership_id IS NULL"
    unattached = con.execute(orphans).fetchone()[0]
    batch = _commit(
        con,
        "title,destination,destination_country,starts_on,status,home_city,home_country,partner_city,partner_country\n"
        "Trip to Tbilisi,Tbilisi,GE,2026-12-01,planned,,,,\n"
        "Trip to Aktau,Aktau,KZ,2026-12-05,planned,Sari,IR,Aktau,KZ\n",
        "missions",
    )
    assert con.execute(orphans).fetchone()[0] == unattached + 1  # the trip to Tbilisi is for no partnership
    batches.undo(con, batch, "tester")
    assert _exports(con) == before


PARTIAL = (
    "home_city,home_country,partner_city,partner_country,kind,title,starts_on,status\n"
    "Alpha,IR,Gamma,RU,festival,Good one,2027-01-10,planned\n"
    "Alpha,IR,Gamma,RU,festival,Bad date,2027-02-31,planned\n"
    "Alpha,IR,Nowhere,RU,festival,Unknown partnership,2027-03-01,planned\n"
    "Beta,IR,Zeta,KZ,sport,Good two,2027-04-01,confirmed\n"
)


def test_staff_may_import_the_valid_rows_get_the_others_back_and_undo_exactly_that(crafted):
    from twinmap.ingest import importer

    before = crafted.execute("SELECT count(*) FROM events").fetchone()[0]
    plan = importer.plan_import(crafted, PARTIAL.encode(), "june.csv", "events")
    assert not plan.ok and plan.can_skip and plan.skipped_rows == [3, 4]
    with pytest.raises(batches.ImportRejected):  # all or nothing stays the default
        batches.commit(crafted, plan, "tester")
    batch = batches.commit(crafted, plan, "tester", skip_invalid=True)
    titles = {t for (t,) in crafted.execute("SELECT title FROM events").fetchall()}
    assert {"Good one", "Good two"} <= titles and not {"Bad date", "Unknown partnership"} & titles
    assert crafted.execute("SELECT inserted, skipped FROM import_batches WHERE id = ?", [batch]).fetchone() == (2, 2)
    rejects = plan.rejects_csv().decode("utf-8-sig").splitlines()
    assert rejects[0] == "home_city,home_country,partner_city,partner_country,kind,title,starts_on,status,problem"
    assert rejects[1].startswith("Alpha,IR,Gamma,RU,festival,Bad date,2027-02-31,planned,starts_on: '2027-02-31'")
    assert rejects[2].startswith("Alpha,IR,Nowhere,RU,festival,Unknown partnership")
    assert len(rejects) == 3
    batches.undo(crafted, batch, "tester")
    assert crafted.execute("SELECT count(*) FROM events").fetchone()[0] == before


def test_a_file_whose_header_is_wrong_cannot_be_imported_in_part(crafted):
    from twinmap.ingest import importer

    plan = importer.plan_import(crafted, b"title,when\nParty,2027-01-01\n", "x.csv", "events")
    assert not plan.can_skip
    with pytest.raises(batches.ImportRejected):
        batches.commit(crafted, plan, "tester", skip_invalid=True)


def test_what_an_undo_will_do_is_read_before_it_is_done(con):
    """Counted per table and action, with the rows themselves for a small import, named as a reader knows them."""
    from twinmap.reads import history
    from twinmap.views import previews

    batch = _commit(
        con,
        ONE_CHANGED_ONE_NEW,
        "partnerships",
    )
    undo = history.undo_preview(con, batch)
    assert undo.counts[("partnerships", "update")] == 1 and undo.counts[("partnerships", "insert")] == 1
    said = previews.undo_lines(undo, cities=1)
    assert "Undo restores the previous values of 1 row changed in Partnerships." in said
    assert "Undo removes 1 row added to Cities." in said  # Kutaisi, made from the gazetteer, goes too
    rows = previews.undo_rows(undo)
    assert {"Sari – Astrakhan", "Sari – Kutaisi"} <= set(rows["Row"])
    assert history.undo_preview(con, batch, limit=2).rows == []  # a large import: its counts only
    batches.undo(con, batch, "tester")
