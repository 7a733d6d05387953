import shutil
import threading
from pathlib import Path

import duckdb
import pytest

from twinmap.core import dates
from twinmap.ingest import seed
from twinmap.store import db, schema


def test_first_start_builds_the_database_from_the_shipped_files(tmp_path):
    path = tmp_path / "new" / "twinmap.duckdb"
    con = seed.connect(path)
    tables = ("cities", "partnerships", "events", "stages", "missions", "follow_ups", "targets", "ties")
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    # the demo story, and 9,902 ties of the world's twin-town network (Wikidata) with the cities they name
    assert counts == {"cities": 9444, "partnerships": 14, "events": 53, "stages": 33, "missions": 7,
                      "follow_ups": 14, "targets": 6, "ties": 14 + 9902}  # fmt: skip
    assert con.execute("SELECT count(*) FROM events WHERE participants_by_country IS NOT NULL").fetchone()[0] > 10
    assert not list(path.parent.glob(".*building"))  # no temporary file left behind


def test_sari_has_its_two_real_partners_with_the_sources_months(con):
    rows = con.execute(
        """SELECT c.name, p.signed_on, p.signed_precision, p.is_demo FROM partnerships p
           JOIN cities h ON h.id = p.home_city_id JOIN cities c ON c.id = p.partner_city_id
           WHERE h.name = 'Sari' AND NOT p.is_demo ORDER BY c.name"""
    ).fetchall()
    shown = [(name, dates.from_db(d, prec).display("jalali"), demo) for name, d, prec, demo in rows]
    assert shown == [("Astrakhan", "Ordibehesht 1393", False), ("Montesilvano", "Mordad 1395", False)]


def test_every_invented_row_is_marked_demo(con):
    real = con.execute("SELECT count(*) FROM partnerships WHERE NOT is_demo AND source = 'demo data'").fetchone()
    assert real == (0,)
    for table in ("events", "contacts", "indicators"):
        assert con.execute(f"SELECT count(*) FROM {table} WHERE NOT is_demo").fetchone() == (0,)


def test_schema_version_is_recorded(con):
    assert db.schema_version(con) == schema.SCHEMA_VERSION


def test_date_precision_survives_a_round_trip_through_the_file(con, tmp_path):
    with db.write_transaction(con) as cur:
        for i, text in enumerate(["1393/02", "2014-05", "2014", "2014-05-21"]):
            p = dates.parse(text)
            cur.execute(
                "INSERT INTO indicators (city_id, indicator, period, period_precision, value) VALUES (1, ?, ?, ?, ?)",
                [f"probe{i}", p.start, p.precision, i],
            )
    con.execute("CHECKPOINT")
    back = con.execute("SELECT period, period_precision FROM indicators WHERE indicator LIKE 'probe%' ORDER BY value")
    assert [dates.from_db(d, p).text() for d, p in back.fetchall()] == ["1393/02", "2014-05", "2014", "2014-05-21"]


def test_a_write_bumps_the_data_version_and_a_failed_one_changes_nothing(con):
    before = db.data_version(con)
    with db.write_transaction(con) as cur:
        cur.execute("UPDATE cities SET population = 1 WHERE name = 'Sari'")
    assert db.data_version(con) == before + 1
    with pytest.raises(duckdb.ConstraintException), db.write_transaction(con) as cur:
        cur.execute("UPDATE cities SET population = 2 WHERE name = 'Sari'")
        cur.execute("UPDATE cities SET lat = 500 WHERE name = 'Astrakhan'")  # violates CHECK
    assert con.execute("SELECT population FROM cities WHERE name = 'Sari'").fetchone() == (1,)
    assert db.data_version(con) == before + 1


def test_migrations_bring_an_old_file_forward_and_refuse_a_newer_one(tmp_path):
    con = duckdb.connect(str(tmp_path / "old.duckdb"))
    steps = [(1, "CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)")]
    assert db.migrate(con, steps) == 1
    steps.append((2, "CREATE TABLE added (x INTEGER)"))
    assert db.migrate(con, steps) == 2
    assert con.execute("SELECT count(*) FROM added").fetchone() == (0,)
    with pytest.raises(db.DatabaseError, match="written by a newer twinmap"):
        db.migrate(con, steps[:1])


def test_a_failed_first_build_leaves_no_file(tmp_path, monkeypatch):
    def broken(cur):
        raise seed.SeedError("cities.csv, row 2, column lat: broken")

    monkeypatch.setattr(seed, "load_shipped", broken)
    path = tmp_path / "twinmap.duckdb"
    with pytest.raises(seed.SeedError):
        seed.connect(path)
    assert list(tmp_path.iterdir()) == []


def test_a_second_process_gets_a_clear_message_when_the_file_is_in_use(shipped_db, tmp_path):
    import subprocess
    import sys

    path = tmp_path / "busy.duckdb"
    shutil.copy(shipped_db, path)
    holder = db.connect(path)
    code = f"from twinmap.store import db\ntry:\n    db.connect({str(path)!r})\nexcept db.DatabaseError as e:\n    print(e)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    holder.close()
    assert "in use by another program" in out


def test_a_reader_sees_the_last_commit_while_a_write_is_half_done(con):
    with db.write_transaction(con) as cur:
        cur.execute("UPDATE cities SET population = 5")
        cur.execute("UPDATE cities SET population = 1005 WHERE name = 'Sari'")

    def read() -> tuple:
        return con.cursor().execute("SELECT count(DISTINCT population), max(population) FROM cities").fetchone()

    seen = []
    with db.write_transaction(con) as cur:
        cur.execute("UPDATE cities SET population = 7")  # half of a write: one value everywhere
        reader = threading.Thread(target=lambda: seen.append(read()))
        reader.start()
        reader.join()  # another thread reads while this write is open
        cur.execute("UPDATE cities SET population = 1007 WHERE name = 'Sari'")
    assert seen == [(2, 1005)]  # the last committed state, not the half-done one
    assert read() == (2, 1007)


def _damage(kind: str, good: Path, path: Path) -> Path:
    """A store broken the ways files break: emptied, cut short, overwritten, or not ours at all."""
    if kind == "zero-length":
        path.write_bytes(b"")
    elif kind == "truncated":
        path.write_bytes(good.read_bytes()[:5000])
    elif kind == "zeroed header":
        data = bytearray(good.read_bytes())
        data[:4096] = bytes(4096)
        path.write_bytes(bytes(data))
    elif kind == "text file":
        path.write_text("name,country\nSari,IR\n" * 50)
    elif kind == "another program's database":
        other = duckdb.connect(str(path))
        other.execute("CREATE TABLE orders (id INTEGER)")
        other.close()
    return path


DAMAGE = ["zero-length", "truncated", "zeroed header", "text file", "another program's database"]


@pytest.mark.parametrize("kind", DAMAGE)
def test_a_damaged_store_is_a_clear_error_without_a_path(shipped_db, tmp_path, kind):
    path = _damage(kind, shipped_db, tmp_path / "store.duckdb")
    with pytest.raises(db.DatabaseError) as err:
        seed.connect(path)
    assert err.value.msgid == db.DAMAGED
    assert str(tmp_path) not in str(err.value)
    assert path.exists()  # never replaced or rebuilt over the damaged file


@pytest.mark.parametrize("kind", ["truncated", "text file"])
def test_the_command_line_says_the_store_is_damaged_without_a_traceback(shipped_db, tmp_path, kind):
    import subprocess
    import sys

    path = _damage(kind, shipped_db, tmp_path / "store.duckdb")
    before = path.read_bytes()
    for args in (["history"], ["export", str(tmp_path / "out")], ["import", __file__, "--table", "events"]):
        done = subprocess.run([sys.executable, "-m", "twinmap", *args], capture_output=True, text=True,
                              env={"TWINMAP_DB": str(path), "PATH": "/usr/bin:/bin"}, cwd=Path(__file__).parent.parent)  # fmt: skip
        assert done.returncode == 3, done  # damaged (README: exit codes)
        assert "Traceback" not in done.stderr + done.stdout
        assert "damaged or is not a twinmap database" in done.stderr
    assert path.read_bytes() == before
    assert not (tmp_path / "out").exists()


def test_a_store_of_a_newer_twinmap_is_refused_by_name(con):
    with db.write_transaction(con) as cur:
        cur.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(db.DatabaseError) as err:
        db.migrate(con)
    assert err.value.msgid == db.NEWER and err.value.values == {"found": 99, "known": schema.SCHEMA_VERSION}


def test_a_frame_through_arrow_is_the_frame_duckdb_gives():
    import pandas as pd

    con = duckdb.connect()
    sql = """SELECT * FROM (VALUES (1, 10, DATE '2026-03-21', 'Sari', NULL::VARCHAR, [1, 2]),
                                   (2, NULL, NULL, NULL, NULL, []))
             t(id, participants, starts_on, name, notes, areas)"""
    expected = con.execute(sql).df()
    got = db.frame(con.execute(sql))
    pd.testing.assert_frame_equal(got.drop(columns="areas"), expected.drop(columns="areas"))
    assert got["notes"].tolist() == [None, None] and got["participants"].dtype == expected["participants"].dtype
    assert [list(a) for a in got["areas"]] == [list(a) for a in expected["areas"]]
