"""The PostgreSQL store: connection strings, first start, several processes, busy writers, moving stores."""

from __future__ import annotations

import subprocess
import sys
import threading

import pandas as pd
import pytest

from twinmap.core import config
from twinmap.ingest import batches, importer, seed
from twinmap.store import db, postgres, transfer

from .conftest import ROOT


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("postgresql://twinmap:secret@db.example.org:5432/twinmap", True),
        ("postgres://db/twinmap", True),
        ("host=/tmp/pg port=5432 dbname=twinmap", True),
        ("dbname=twinmap", True),
        ("data/twinmap.duckdb", False),
        ("/srv/twin maps/host=x.duckdb", False),
    ],
)
def test_twinmap_db_names_a_file_or_a_postgresql_database(target, expected, monkeypatch):
    assert config.is_postgres(target) is expected
    monkeypatch.setenv("TWINMAP_DB", target)
    assert config.db_target() == target  # a DSN passes through untouched, a path as given


def test_a_password_never_appears_in_what_is_shown():
    assert "secret" not in postgres.redact("postgresql://twinmap:secret@db/twinmap")
    assert "secret" not in postgres.redact("host=db password=secret dbname=twinmap")
    assert postgres.redact("host=db dbname=twinmap") == "host=db dbname=twinmap"


def test_an_unreachable_server_is_a_clear_message_without_the_password(tmp_path):
    with pytest.raises(db.DatabaseError) as err:
        db.connect(f"host={tmp_path} port=1 user=twinmap password=hunter2 dbname=nothing")
    assert "cannot be reached" in str(err.value) and "hunter2" not in str(err.value)


def test_an_empty_database_is_built_and_filled_once_even_by_servers_starting_together(pg_server):
    dsn = pg_server.create("fresh_together")
    errors: list[Exception] = []

    def start() -> None:
        try:
            seed.connect(dsn).close()
        except Exception as err:
            errors.append(err)

    threads = [threading.Thread(target=start) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    con = db.connect(dsn)
    cur = con.cursor()
    assert db.schema_version(cur) == db.MIGRATIONS[-1][0]
    shipped = len([p for t in seed.LOAD_ORDER for p in seed.shipped_files(t) if p.exists()])
    assert cur.execute("SELECT count(*) FROM import_batches").fetchone()[0] == shipped
    con.close()


def test_a_write_in_one_process_changes_the_data_version_every_process_reads(pg_templates, shipped_db):
    dsn = pg_templates.copy(shipped_db.stem, shipped_db)
    one, two = seed.connect(dsn), seed.connect(dsn)
    before = db.data_version(two)
    plan = importer.plan_import(one, b"name,country_code,population\nSari,IR,7\n", "c.csv", "cities")
    batches.commit(one, plan, "tester")
    assert db.data_version(two) == before + 1
    assert two.cursor().execute("SELECT population FROM cities WHERE name = 'Sari'").fetchone()[0] == 7
    one.close(), two.close()


def test_a_writer_that_waits_too_long_is_told_the_store_is_busy_and_nothing_changes(pg_templates, shipped_db,
                                                                                    monkeypatch):  # fmt: skip
    dsn = pg_templates.copy(shipped_db.stem, shipped_db)
    monkeypatch.setattr(postgres, "LOCK_WAIT_SECONDS", 1)
    holder, waiter = seed.connect(dsn), seed.connect(dsn)  # two app servers
    before = db.data_version(waiter)
    with db.write_transaction(holder) as cur:
        cur.execute("UPDATE cities SET population = 1 WHERE name = 'Sari'")
        with pytest.raises(db.DatabaseError) as err, db.write_transaction(waiter) as other:
            other.execute("UPDATE cities SET population = 2 WHERE name = 'Sari'")
        assert "Another app server" in str(err.value)
    assert db.data_version(waiter) == before + 1
    assert waiter.cursor().execute("SELECT population FROM cities WHERE name = 'Sari'").fetchone()[0] == 1
    holder.close(), waiter.close()


def _tables(target: str) -> dict[str, pd.DataFrame]:
    con = db.connect(target)
    try:
        frames = {}
        for table in transfer.TABLES:
            frame = con.cursor().execute(f"SELECT * FROM {table}").df()
            frames[table] = frame.sort_values(list(frame.columns[:2])).reset_index(drop=True)
        return frames
    finally:
        con.close()


def test_a_store_moves_to_postgresql_and_back_equal_with_its_history(pg_server, shipped_db, tmp_path):
    dsn = pg_server.create("round_trip")
    original = tmp_path / "original.duckdb"
    original.write_bytes(shipped_db.read_bytes())
    con = seed.connect(original)
    plan = importer.plan_import(con, b"name,country_code,population\nSari,IR,9\n", "c.csv", "cities")
    batch = batches.commit(con, plan, "tester")
    con.close()
    counts = transfer.copy_store(original, dsn)
    assert counts["import_changes"] > 0 and counts["import_batches"] == batch
    back = tmp_path / "back.duckdb"
    transfer.copy_store(dsn, back)
    before, after = _tables(str(original)), _tables(str(back))
    for table in transfer.TABLES:
        pd.testing.assert_frame_equal(before[table], after[table], obj=table)
    # The history came along: the batch can be undone in PostgreSQL, and new ids follow the old ones.
    moved = seed.connect(dsn)
    batches.undo(moved, batch, "tester")
    plan = importer.plan_import(moved, b"name,country_code\nZugdidi,GE\n", "z.csv", "cities")
    assert batches.commit(moved, plan, "tester") == batch + 1
    moved.close()


def test_a_copy_never_mixes_two_stores(pg_templates, shipped_db, tmp_path):
    dsn = pg_templates.copy(shipped_db.stem, shipped_db)
    with pytest.raises(db.DatabaseError, match="already holds data"):
        transfer.copy_store(shipped_db, dsn)
    with pytest.raises(db.DatabaseError, match="same store"):
        transfer.copy_store(shipped_db, shipped_db)


def test_the_command_line_moves_a_store_and_says_what_it_moved(pg_server, shipped_db, tmp_path):
    dsn = pg_server.create("cli_move")
    source = tmp_path / "source.duckdb"
    source.write_bytes(shipped_db.read_bytes())
    env = {"TWINMAP_DB": str(source), "PATH": "/usr/bin:/bin"}
    cmd = [sys.executable, "-m", "twinmap", "migrate-store", dsn]
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "import_batches:" in done.stdout and "copied" in done.stdout
    again = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 1 and "already holds data" in again.stderr and "Traceback" not in again.stderr


def test_app_servers_starting_together_make_one_first_admin(pg_templates, shipped_db):
    from twinmap.store import auth

    dsn = pg_templates.copy(shipped_db.stem, shipped_db)
    servers = [seed.connect(dsn) for _ in range(3)]
    passwords: list[str | None] = []
    threads = [threading.Thread(target=lambda c=c: passwords.append(auth.ensure_admin(c))) for c in servers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(passwords) == 3 and sum(p is not None for p in passwords) == 1
    assert servers[0].cursor().execute("SELECT count(*) FROM users").fetchone()[0] == 1
    for c in servers:
        c.close()
