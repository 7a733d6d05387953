import shutil

import duckdb
import pytest

from twinmap.core import config
from twinmap.ingest import seed
from twinmap.store import db


@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(config.DATA_DIR, target, ignore=shutil.ignore_patterns("*.duckdb*"))
    return target


def _build(data_dir):
    con = duckdb.connect()
    db.migrate(con)
    seed.load_shipped(con, data_dir)
    return con


@pytest.mark.parametrize(
    ("file", "find", "replace", "message"),
    [
        (
            "partnerships.csv",
            ",sister_city,signed,1393/02,",
            ",sister_city,signed,1393/13,",
            r"partnerships.csv, row 2, column signed_on: .*1393/13",
        ),
        (
            "partnerships.csv",
            "Sari,IR,Montesilvano,IT,sister_city,signed",
            "Sari,IR,Montesilvano,IT,sister_city,alive",
            r"partnerships.csv, row 3, column status: 'alive' is not one of",
        ),
        (
            "events.csv",
            "Sari,IR,Astrakhan,RU,delegation_visit",
            "Sari,IR,Astrakhan,RU,picnic",
            r"events.csv, row 2, column kind: 'picnic'",
        ),
        (
            "events.csv",
            "2015-03-10,2015-03-13",
            "2015-03-10,2015-03-01",
            r"events.csv, row 2, column ends_on: the event ends before it starts",
        ),
        (
            "cities.csv",
            "Sari,ساری,IR,Mazandaran,36.56332",
            "Sari,ساری,IR,Mazandaran,96.56332",
            r"cities.csv, row 2, column lat: 96.56332 is above the largest allowed value, 90",
        ),
        ("contacts.csv", "Sari,IR,Astrakhan,RU,home", "Sari,IR,Astrakhan,RU,both", r"contacts.csv, row 2, column side"),
        (
            "indicators.csv",
            "Sari,IR,RU,tourist_arrivals,2012-01",
            "Sarri,IR,RU,tourist_arrivals,2012-01",
            r"indicators.csv, row 2, column city: no city 'Sarri'",
        ),
    ],
)
def test_a_broken_shipped_file_names_file_row_and_column(data_copy, tmp_path, file, find, replace, message):
    path = data_copy / file
    text = path.read_text(encoding="utf-8")
    assert find in text
    path.write_text(text.replace(find, replace, 1), encoding="utf-8")
    with pytest.raises(seed.SeedError, match=message):
        _build(data_copy)


def test_the_shipped_files_load(data_copy, tmp_path):
    con = _build(data_copy)
    assert con.execute("SELECT count(*) FROM indicators").fetchone()[0] > 2000


def test_a_store_made_before_the_wikidata_ties_shipped_receives_them_once_as_an_undoable_batch(tmp_path, data_copy):
    from twinmap.ingest import batches

    (data_copy / "ties_wikidata.csv").unlink()  # the shipped data of an earlier version
    path = tmp_path / "old.duckdb"
    db.connect(path, fill=lambda c: seed.load_shipped(c, data_copy)).close()
    con = seed.connect(path)  # the first start of the new version
    try:
        ((batch, inserted),) = con.execute(
            "SELECT id, inserted FROM import_batches WHERE file_name = 'ties_wikidata.csv'"
        ).fetchall()
        assert inserted > 9000 and con.execute("SELECT count(*) FROM ties").fetchone()[0] == 14 + inserted
        batches.undo(con, batch, "admin")  # an office that does not want them
    finally:
        con.close()
    con = seed.connect(path)  # started again: not received a second time
    try:
        assert con.execute("SELECT count(*) FROM ties").fetchone()[0] == 14
        assert (
            con.execute("SELECT count(*) FROM import_batches WHERE file_name = 'ties_wikidata.csv'").fetchone()[0] == 1
        )
    finally:
        con.close()
