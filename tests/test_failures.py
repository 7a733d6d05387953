"""When the store fails: one line that says what happened and what to do, never a traceback, nothing changed.

Each kind of failure is made for real: a file another process holds, bytes damaged in a header
or a data block, a disk that is full (a small tmpfs, mounted by the test where it may).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from twinmap.ingest import seed
from twinmap.store import db, postgres, transfer

from .conftest import ROOT, TODAY, pgserver
from .test_e2e import _free_port, started


def _cli(store: Path, *args: str) -> subprocess.CompletedProcess:
    env = {"TWINMAP_DB": str(store), "PATH": "/usr/bin:/bin", "TWINMAP_TODAY": TODAY.isoformat()}
    return subprocess.run([sys.executable, "-m", "twinmap", *args], capture_output=True, text=True, env=env, cwd=ROOT)


def _damaged_at(shipped_db: Path, store: Path, offset: int) -> Path:
    shutil.copy(shipped_db, store)
    with store.open("r+b") as file:
        file.seek(offset + 8)
        file.write(b"\x13" * 4000)
    return store


def _damaged_data_block(shipped_db: Path, folder: Path) -> Path:
    """A copy whose file opens and answers its data version, with a block of some table's rows damaged."""
    size = shipped_db.stat().st_size
    for offset in range(3 * 4096 + 262144, size, 262144):  # after the three header blocks, one block at a time
        store = _damaged_at(shipped_db, folder / "damaged.duckdb", offset)
        try:
            con = duckdb.connect(str(store))
        except duckdb.Error:
            continue
        try:
            con.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchall()
            try:
                for table in ("cities", "partnerships", "events", "ties"):
                    con.execute(f"SELECT * FROM {table}").fetchall()
            except duckdb.Error:
                return store
        except duckdb.Error:
            pass
        finally:
            con.close()
    pytest.skip("no block of the rows pages read could be damaged alone")


def test_a_damaged_header_is_called_damaged_never_busy(shipped_db, tmp_path):
    store = _damaged_at(shipped_db, tmp_path / "store.duckdb", 4096)  # "... in block at location 4096"
    done = _cli(store, "history")
    assert done.returncode == 3, done
    assert "damaged" in done.stderr and "in use" not in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_a_store_another_program_holds_is_busy_and_says_which(shipped_db, tmp_path):
    store = tmp_path / "store.duckdb"
    shutil.copy(shipped_db, store)
    hold = f"import duckdb, time\ncon = duckdb.connect({str(store)!r})\nprint('held', flush=True)\ntime.sleep(60)"
    holder = subprocess.Popen([sys.executable, "-c", hold], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        done = _cli(store, "history")
        assert done.returncode == 4, done
        assert "in use by another program" in done.stderr and f"PID {holder.pid}" in done.stderr
        assert "Traceback" not in done.stderr
    finally:
        holder.kill()
        holder.wait()


@pytest.fixture
def small_disk(tmp_path):
    """A 24 MB tmpfs of the test's own (root may mount one; elsewhere the test is skipped)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(mount)], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_is_told_as_such_in_one_line_and_nothing_is_changed(shipped_db, small_disk, tmp_path):
    store = small_disk / "twinmap.duckdb"
    shutil.copy(shipped_db, store)
    free = shutil.disk_usage(small_disk).free
    (small_disk / "filler").write_bytes(b"\0" * max(0, free - 1_500_000))  # about 1.5 MB left
    rows = "".join(f"Sari,IR,Astrakhan,RU,festival,Festival day {i},2027-01-10,planned\n" for i in range(60_000))
    events = tmp_path / "events.csv"
    events.write_text("home_city,home_country,partner_city,partner_country,kind,title,starts_on,status\n" + rows)
    before = _cli(store, "history").stdout
    done = _cli(store, "import", str(events), "--table", "events")
    assert done.returncode == 5, done
    said = (done.stderr + done.stdout).strip()
    assert "Traceback" not in said
    assert f"The disk that holds the database ({small_disk}) is full" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    (small_disk / "filler").unlink()
    assert _cli(store, "history").stdout == before  # nothing was changed


def test_a_damaged_data_block_shows_the_message_once_and_never_loops(shipped_db, tmp_path, monkeypatch):
    import streamlit as st

    store = _damaged_data_block(shipped_db, tmp_path)
    monkeypatch.setenv("TWINMAP_DB", str(store))
    monkeypatch.setenv("TWINMAP_TODAY", TODAY.isoformat())
    monkeypatch.setenv("TWINMAP_TILES", "none")
    st.cache_data.clear()
    st.cache_resource.clear()
    began = time.monotonic()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    for path in ("pages/map.py", "pages/register.py", "pages/network.py"):
        at.switch_page(path).run()
        assert not at.exception, [e.value for e in at.exception]
    said = [e.value for e in at.error]
    assert any("damaged" in s for s in said), said
    assert any("every minute" in c.value for c in at.caption)
    assert time.monotonic() - began < 60  # each run ends: no rerun after rerun
    st.cache_resource.clear()


@pytest.mark.slow  # starts `python -m twinmap serve`: not in the quick loop
def test_serve_opens_its_port_on_a_damaged_store_and_says_so(shipped_db, tmp_path):
    store = _damaged_data_block(shipped_db, tmp_path)
    port = _free_port()
    env = {**os.environ, "TWINMAP_DB": str(store), "TWINMAP_TODAY": TODAY.isoformat(), "TWINMAP_TILES": "none"}
    cmd = [sys.executable, "-m", "twinmap", "serve", "--server.port", str(port), "--server.address", "127.0.0.1"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        started(proc, f"http://127.0.0.1:{port}", seconds=90)
    finally:
        proc.terminate()
        proc.communicate(timeout=30)


def test_every_failure_has_its_exit_code():
    assert db.exit_code(db.DatabaseError(db.DAMAGED, why="x")) == 3
    assert db.exit_code(db.DatabaseError(db.BUSY_BY, who="x")) == 4
    assert db.exit_code(db.DatabaseError(db.DISK_FULL, disk="/", free="1 MB", need="64 MB")) == 5


# PostgreSQL gone mid-write: the server stopped, or the connection cut, while an import writes.


def _when_writing(server: pgserver.Server, database: str, seconds: float = 120) -> None:
    """Return once a session of ``database`` is copying rows into PostgreSQL (the write has begun)."""
    psql = [str(pgserver.binary("psql")), "-X", "-At", "-d", server.dsn(database), "-c",
            "SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND query ILIKE 'COPY %FROM STDIN%'"]  # fmt: skip
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if subprocess.run(psql, capture_output=True, text=True).stdout.strip() not in ("", "0"):
            return
        time.sleep(0.02)
    pytest.fail("the write never began")


def _events_file(folder: Path, n: int) -> Path:
    rows = "".join(f"Sari,IR,Astrakhan,RU,festival,Festival day {i},2027-01-10,planned\n" for i in range(n))
    events = folder / "events.csv"
    events.write_text("home_city,home_country,partner_city,partner_country,kind,title,starts_on,status\n" + rows)
    return events


def test_postgresql_stopped_during_the_write_never_aborts_says_one_line_and_changes_nothing(own_pg, shipped_db,
                                                                                           tmp_path):  # fmt: skip
    dsn = own_pg.create("store")
    transfer.copy_store(shipped_db, dsn)
    before = _cli(dsn, "history").stdout
    env = {"TWINMAP_DB": dsn, "PATH": "/usr/bin:/bin", "TWINMAP_TODAY": TODAY.isoformat()}
    cmd = [sys.executable, "-m", "twinmap", "import", str(_events_file(tmp_path, 30_000)), "--table", "events"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _when_writing(own_pg, "store")
    own_pg.halt()
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 4, (proc.returncode, err)  # not -6: the process did not abort
    assert "Traceback" not in err + out and "terminate called" not in err
    assert len(err.strip().splitlines()) == 1, err
    assert "was lost during the change" in err and "Nothing was changed" in err
    own_pg.resume()
    assert _cli(dsn, "history").stdout == before


def test_a_full_postgresql_disk_is_told_in_one_line_and_nothing_is_changed(own_pg, shipped_db, tmp_path):
    """The store's tablespace on a small tmpfs (the server's write-ahead log elsewhere, as on a real server
    whose data disk fills): PostgreSQL refuses the import's rows, and the office is told the server's disk is full."""
    disk = Path(tempfile.mkdtemp(prefix="twinmap-pgdisk-"))  # where the server's account may reach (not pytest's)
    disk.chmod(0o755)
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(disk)], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.decode().strip()}")
    try:
        (disk / "ts").mkdir()
        shutil.chown(disk / "ts", "postgres", "postgres")
        own_pg.sql(f"CREATE TABLESPACE small LOCATION '{disk / 'ts'}'")
        own_pg.sql('CREATE DATABASE "store" TABLESPACE small')
        dsn = own_pg.dsn("store")
        transfer.copy_store(shipped_db, dsn)
        before = _cli(dsn, "history").stdout
        free = shutil.disk_usage(disk).free
        (disk / "filler").write_bytes(b"\0" * max(0, free - 1_500_000))  # about 1.5 MB left
        done = _cli(dsn, "import", str(_events_file(tmp_path, 60_000)), "--table", "events")
        assert done.returncode == 5, done
        assert "Traceback" not in done.stderr + done.stdout
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
        assert "The PostgreSQL server's disk is full" in done.stderr and "nothing was changed" in done.stderr
        (disk / "filler").unlink()
        assert _cli(dsn, "history").stdout == before
    finally:
        own_pg.stop()
        subprocess.run(["umount", "-l", str(disk)], check=False)
        shutil.rmtree(disk, ignore_errors=True)


def test_a_connection_cut_mid_write_is_discarded_and_the_next_connection_works(pg_server, pg_templates, shipped_db):
    import threading

    dsn = pg_templates.copy(shipped_db.stem, shipped_db)
    database = dsn.rsplit("dbname=", 1)[1]
    con = seed.connect(dsn)
    before = db.data_version(con)

    def cut() -> None:
        _when_writing(pg_server, database)
        pg_server.sql(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}'")

    cutter = threading.Thread(target=cut)
    cutter.start()
    with pytest.raises(db.DatabaseError) as err, db.write_transaction(con) as cur:
        cur.execute("INSERT INTO meta SELECT 'filler ' || range, 'x' FROM range(5000000)")
    cutter.join()
    assert err.value.msgid == db.LOST, err.value
    assert con.lost and postgres.kept() >= 1
    con.close()  # kept, not closed: closing would abort the process
    again = seed.connect(dsn)
    assert db.data_version(again) == before
    assert again.cursor().execute("SELECT count(*) FROM meta WHERE key LIKE 'filler %'").fetchone()[0] == 0
    again.close()


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
def test_the_app_connects_afresh_after_a_lost_connection(crafted_env):
    import streamlit as st

    from twinmap.ui import cache

    st.cache_resource.clear()
    first = cache.connection()
    first.lost = True  # as a PostgreSQL connection that died mid-write is marked
    try:
        assert cache.connection() is not first
    finally:
        first.lost = False
        first.close()
        st.cache_resource.clear()
