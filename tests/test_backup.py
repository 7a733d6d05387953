"""Backups and restore on both stores: a checked copy, kept N deep; a damaged copy refused; the store kept aside."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from twinmap.ingest import attachments, batches, exporter, importer, seed
from twinmap.ingest.specs import LOAD_ORDER
from twinmap.store import backup, db

from .conftest import ROOT, _store_copy
from .test_uploads import pdf, photo

EVENT = b"home_city,home_country,partner_city,partner_country,kind,title,starts_on,status\n" \
        b"Sari,IR,Astrakhan,RU,festival,Backed-up festival,2027-05-01,planned\n"  # fmt: skip


@pytest.fixture
def store(shipped_db, tmp_path, backend, request) -> str:
    """A private copy of the shipped store: a DuckDB file's path or a PostgreSQL DSN."""
    return _store_copy(shipped_db, tmp_path / "store.duckdb", backend, request)


def _export(target: str) -> dict[str, list]:
    con = seed.connect(target)
    try:
        tables = {t: exporter.table_frame(con, t).values.tolist() for t in LOAD_ORDER}
        tables["attachments"] = con.execute("SELECT id, sha256, file_name, kind, is_public FROM attachments "
                                            "ORDER BY id").fetchall()  # fmt: skip
        tables["files"] = con.execute("SELECT sha256, md5(content), md5(thumbnail) FROM attachment_files "
                                      "ORDER BY 1").fetchall()  # fmt: skip
        return tables
    finally:
        con.close()


def _damage(path: Path) -> None:
    with path.open("r+b") as file:
        file.seek(3 * 4096 + 262144 + 8)
        file.write(b"\x13" * 4000)


@pytest.mark.both_backends
def test_backup_then_damage_then_restore_gives_back_the_same_store(store, tmp_path):
    con = seed.connect(store)
    batches.commit(con, importer.plan_import(con, EVENT, "e.csv", "events"), "tester")
    pair = attachments.find(con, "partnerships", "Sari,IR;Astrakhan,RU")
    attachments.attach(con, [("memorandum.pdf", pdf()), ("visit.jpg", photo())], pair, attachments.Details(), "t")
    made = backup.make(con, tmp_path / "backups")
    assert made.path.name.startswith("twinmap-") and f"-v{made.version}.duckdb" in made.path.name
    assert made.rows["events"] > 0 and made.bytes > 0
    con.close()
    before = _export(store)
    con = seed.connect(store)  # the damage: an import that should not have been
    batches.commit(con, importer.plan_import(con, EVENT.replace(b"Backed-up", b"Unwanted"), "e.csv", "events"), "x")
    with db.write_transaction(con) as cur:
        cur.execute("DELETE FROM contacts")
        cur.execute("DELETE FROM attachments")
        cur.execute("DELETE FROM attachment_files")
    con.close()
    assert _export(store) != before
    backup.restore(store, made.path, tmp_path / "aside")
    assert _export(store) == before and len(before["files"]) == 2  # the documents and photos came back too
    assert list((tmp_path / "aside").iterdir())  # the store as it was, kept aside
    con = seed.connect(store)  # and new rows get new ids after the restore
    assert batches.commit(con, importer.plan_import(con, EVENT.replace(b"Backed-up", b"Next"), "e.csv", "events"), "x")
    con.close()


def test_a_damaged_copy_is_refused_and_the_store_is_unchanged(store, tmp_path):
    con = seed.connect(store)
    made = backup.make(con, tmp_path / "backups")
    con.close()
    _damage(made.path)
    before = Path(store).read_bytes()
    with pytest.raises(db.DatabaseError) as err:
        backup.restore(store, made.path, tmp_path / "aside")
    assert err.value.msgid == backup.UNREADABLE
    assert Path(store).read_bytes() == before and not (tmp_path / "aside").exists()


def test_a_restore_is_refused_while_the_app_holds_the_store(store, tmp_path):
    con = seed.connect(store)
    made = backup.make(con, tmp_path / "backups")
    con.close()
    hold = f"import duckdb, time\ncon = duckdb.connect({store!r})\nprint('held', flush=True)\ntime.sleep(60)"
    holder = subprocess.Popen([sys.executable, "-c", hold], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(db.DatabaseError) as err:
            backup.restore(store, made.path, tmp_path / "aside")
        assert err.value.msgid == backup.APP_OPEN and f"PID {holder.pid}" in str(err.value)
    finally:
        holder.kill()
        holder.wait()


def test_the_last_copies_are_kept_and_never_the_only_good_one_removed(store, tmp_path):
    con = seed.connect(store)
    made = []
    for i in range(4):
        batches.commit(con, importer.plan_import(con, EVENT.replace(b"Backed-up", f"E{i}".encode()), "e.csv",
                                                 "events"), "x")  # fmt: skip
        made.append(backup.make(con, tmp_path / "backups", keep=2).path)
    con.close()
    assert sorted((tmp_path / "backups").glob("twinmap-*.duckdb")) == sorted(made[-2:])
    assert backup.latest(tmp_path / "backups") == made[-1]


def test_the_command_line_backs_up_and_restores(store, tmp_path):
    env = {"TWINMAP_DB": store, "PATH": "/usr/bin:/bin", "TWINMAP_BACKUP_DIR": str(tmp_path / "backups")}

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "twinmap", *args], capture_output=True, text=True, env=env,
                              cwd=ROOT)  # fmt: skip

    done = cli("backup")
    assert done.returncode == 0 and "read back and checked" in done.stdout, done.stderr
    copy = backup.latest(tmp_path / "backups")
    _damage(copy)
    refused = cli("restore", str(copy))
    assert refused.returncode == 3 and "cannot be read" in refused.stderr and "Traceback" not in refused.stderr


def test_the_app_makes_a_backup_after_a_commit_and_tells_admins(app_env, tmp_path, monkeypatch):
    """Backups on: a commit starts one in the background; the Data page says when, and warns when it is old."""
    from streamlit.testing.v1 import AppTest

    from twinmap.ui import backups, cache

    from .support import stored_user

    folder = tmp_path / "app-backups"
    monkeypatch.setenv("TWINMAP_BACKUP_DIR", str(folder))
    monkeypatch.setenv("TWINMAP_BACKUP_HOURS", "1")
    admin = stored_user("boss", "admin")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["user"] = admin
    at.run()
    at.switch_page("pages/data.py").run()
    assert any("No backup has been made yet" in w.value for w in at.warning)
    con = cache.connection()
    batches.commit(con, importer.plan_import(con, EVENT, "e.csv", "events"), "boss")
    thread = backups.after_commit(lambda: con)
    assert thread is not None
    thread.join(60)
    assert backup.latest(folder) is not None and backups.after_commit(lambda: con) is None  # not due again yet
    at.run()
    assert any("Last backup:" in c.value for c in at.caption)
    monkeypatch.setenv("TWINMAP_BACKUP_WARN_HOURS", "0")
    monkeypatch.setenv("TWINMAP_BACKUP_HOURS", "0")
    assert backups.after_commit(lambda: con) is None  # off
