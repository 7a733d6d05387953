"""The hostile and awkward corpus (tests/corpus/make_corpus.py) through the real command line.

Each file runs as ``python -m twinmap import FILE --table T`` against a copy of the shipped store:
a rejected file exits 1, says why, prints no traceback and leaves the store byte-identical; an
accepted file exits 0 and the store holds exactly the values checked.
"""

import hashlib
import shutil
import subprocess
import sys

import duckdb
import pytest

from .conftest import ROOT
from .corpus.make_corpus import accepted, rejected


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory):
    from .corpus.make_corpus import write

    folder = tmp_path_factory.mktemp("corpus")
    write(folder)
    return folder


def _run(store, path, table):
    env = {"TWINMAP_DB": str(store), "PATH": "/usr/bin:/bin", "TWINMAP_TODAY": "2026-11-23"}
    cmd = [sys.executable, "-m", "twinmap", "import", str(path), "--table", table]
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("case", rejected(), ids=lambda c: c.name)
def test_a_hostile_file_is_refused_with_its_reason_and_changes_no_byte(case, corpus_dir, shipped_db, tmp_path):
    store = tmp_path / "store.duckdb"
    shutil.copy(shipped_db, store)
    before = hashlib.sha256(store.read_bytes()).hexdigest()
    done = _run(store, corpus_dir / case.name, case.table)
    said = done.stdout + done.stderr
    assert done.returncode == 1, said[-2000:]
    assert "Traceback" not in said
    assert case.says in said, said[-2000:]
    assert "inserted" not in done.stdout  # a rejected run counts nothing as done
    assert len(said.splitlines()) < 120  # problems are capped on screen, never a million lines
    assert hashlib.sha256(store.read_bytes()).hexdigest() == before


@pytest.mark.parametrize("case", accepted(), ids=lambda c: c.name)
def test_an_awkward_file_is_stored_with_the_values_it_meant(case, corpus_dir, shipped_db, tmp_path):
    store = tmp_path / "store.duckdb"
    shutil.copy(shipped_db, store)
    done = _run(store, corpus_dir / case.name, case.table)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert "committed as import #" in done.stdout
    con = duckdb.connect(str(store), read_only=True)
    assert tuple(con.execute(case.sql).fetchall()) == case.rows
    con.close()
