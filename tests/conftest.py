"""Shared fixtures: the crafted store (built in code) and the shipped demo story, each once per session.

Page and query tests use the crafted store, whose every row is in tests/fixtures/crafted.py; a few
tests of the demo story itself use the shipped data, deliberately.

A test (or module) marked ``both_backends`` runs twice: on a DuckDB file and on a PostgreSQL
database of a throw-away server this session starts (deploy/pgserver.py); each test gets its
own copy of the store either way.
"""

from __future__ import annotations

import atexit
import datetime as dt
import itertools
import os
import shutil
import sys
import tempfile
from pathlib import Path

import duckdb
import pytest

from twinmap.ingest import seed
from twinmap.store import transfer

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "deploy"))
import pgserver

# The shipped demo story is told as of this day (upcoming events, expiries).
TODAY = dt.date(2026, 11, 23)
# The app's own backups after a commit are off in tests (and the servers they start), but where a
# test turns them on: every test would otherwise copy its store once.
os.environ.setdefault("TWINMAP_BACKUP_HOURS", "0")
# One cache folder for this run (its workers and the servers they start inherit it), removed at
# the end: the finder's model is trained once per network, as a deployed server keeps it, and
# nothing is written to the user's own cache. The finder's tests of the cache use their own.
if "TWINMAP_CACHE_DIR" not in os.environ:
    os.environ["TWINMAP_CACHE_DIR"] = tempfile.mkdtemp(prefix="twinmap-tests-cache-")
    atexit.register(shutil.rmtree, os.environ["TWINMAP_CACHE_DIR"], True)
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def shipped_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database file built from data/*.csv exactly as on first start.

    Session-scoped because building parses every shipped file; tests that write get a copy.
    """
    path = tmp_path_factory.mktemp("shipped") / "twinmap.duckdb"
    seed.connect(path).close()
    return path


BACKENDS = ("duckdb", "postgres")


# The modules that start app servers, browsers, nginx or an OIDC provider, or run the benchmarks:
# marked ``slow``. The PostgreSQL runs of ``both_backends`` tests are marked ``postgres``: the quick
# loop while working is ``./dev quick`` (``-m "not slow and not postgres"``; README, "Tests").
SLOW = {
    "test_bench": "every benchmark at a small size", "test_bench_servers": "benchmarks with app servers",
    "test_e2e": "Chromium on a live server", "test_e2e_access": "axe in three languages, phones",
    "test_e2e_attach": "Chromium", "test_e2e_edit": "Chromium", "test_e2e_relations": "Chromium",
    "test_replicas": "PostgreSQL, two app servers and nginx", "test_oidc": "an OIDC provider and Chromium",
    "test_deploy": "nginx in front of the app",
}  # fmt: skip


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "both_backends: run on a DuckDB file and on PostgreSQL")
    config.addinivalue_line("markers", "slow: starts servers or browsers, or runs benchmarks (not in the quick loop)")
    config.addinivalue_line("markers", "postgres: the PostgreSQL run of a both_backends test (not in the quick loop)")
    config.addinivalue_line("markers", "duckdb: the DuckDB run of a both_backends test")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.module is not None and item.module.__name__.rsplit(".", 1)[-1] in SLOW:
            item.add_marker(pytest.mark.slow)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if metafunc.definition.get_closest_marker("both_backends") and "backend" in metafunc.fixturenames:
        metafunc.parametrize("backend", [pytest.param(b, marks=getattr(pytest.mark, b)) for b in BACKENDS],
                             indirect=True)  # fmt: skip


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """Which store the test's fixtures hand out: a DuckDB file unless marked ``both_backends``."""
    return getattr(request, "param", "duckdb")


def _throwaway_pg():
    try:
        server = pgserver.start()
    except pgserver.NotInstalled as err:
        pytest.skip(f"PostgreSQL runs skipped: {err}")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_server():
    """A throw-away PostgreSQL server for the session (skipped, saying why, where none is installed)."""
    yield from _throwaway_pg()


@pytest.fixture
def own_pg():
    """A PostgreSQL server of the test's own, for a test that stops it (the session's server is shared)."""
    yield from _throwaway_pg()


_names = itertools.count()


class PgTemplates:
    """Databases built once per session on the server, copied (CREATE DATABASE ... TEMPLATE) per test."""

    def __init__(self, server: pgserver.Server) -> None:
        self.server, self.built = server, {}

    def copy(self, name: str, store: Path) -> str:
        if name not in self.built:
            self.server.create(name)
            transfer.copy_store(store, self.server.dsn(name))  # the same rows, ids and history as the file
            self.built[name] = True
        return self.server.create(f"t{next(_names)}", template=name)


@pytest.fixture(scope="session")
def pg_templates(pg_server) -> PgTemplates:
    return PgTemplates(pg_server)


def _store_copy(store: Path, path: Path, backend: str, request: pytest.FixtureRequest) -> str:
    """A private, writable copy of a store on the test's backend: a file path or a DSN."""
    if backend == "postgres":
        return request.getfixturevalue("pg_templates").copy(store.stem, store)
    shutil.copy(store, path)
    return str(path)


def _open_copy(store: Path, path: Path, backend: str = "duckdb", request: pytest.FixtureRequest | None = None):
    """A private, writable copy of a store, closed after the test."""
    connection = seed.connect(_store_copy(store, path, backend, request))
    yield connection
    connection.close()


@pytest.fixture
def con(shipped_db: Path, tmp_path: Path, backend: str, request: pytest.FixtureRequest) -> duckdb.DuckDBPyConnection:
    """A private, writable copy of the shipped database."""
    yield from _open_copy(shipped_db, tmp_path / "copy.duckdb", backend, request)


@pytest.fixture(scope="session")
def crafted_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small store of tests/fixtures/crafted.py: every figure a test checks is readable there."""
    from .fixtures.crafted import build

    return build(tmp_path_factory.mktemp("crafted") / "crafted.duckdb")


@pytest.fixture
def crafted(
    crafted_db: Path, tmp_path: Path, backend: str, request: pytest.FixtureRequest
) -> duckdb.DuckDBPyConnection:
    """A private, writable copy of the crafted store."""
    yield from _open_copy(crafted_db, tmp_path / "crafted.duckdb", backend, request)


@pytest.fixture
def crafted_env(crafted_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str, request) -> Path:
    """Point the app at a copy of the crafted store, on its day, with no tiles."""
    yield from _app_at(crafted_db, tmp_path, monkeypatch, backend, request)


def _app_at(store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str = "duckdb", request=None):
    import streamlit as st

    path = _store_copy(store, tmp_path / "app.duckdb", backend, request)
    monkeypatch.setenv("TWINMAP_DB", path)
    monkeypatch.setenv("TWINMAP_TODAY", TODAY.isoformat())
    monkeypatch.setenv("TWINMAP_TILES", "none")
    # Streamlit's caches outlive AppTest instances: start every test from nothing.
    st.cache_data.clear()
    st.cache_resource.clear()
    yield Path(path) if backend == "duckdb" else path
    st.cache_resource.clear()


@pytest.fixture
def app_env(shipped_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str, request) -> Path:
    """Point the app at a copy of the shipped database (the demo story), on the demo day, with no tiles."""
    yield from _app_at(shipped_db, tmp_path, monkeypatch, backend, request)


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROME_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright (never a downloaded browser), one per test module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
        yield b
        b.close()


@pytest.fixture(autouse=True)
def _spellings_learned_afresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with no city spellings learned (the app learns its store's on its first read)."""
    from twinmap.views import i18n

    monkeypatch.setattr(i18n, "_SPELLINGS", {lang: {} for lang in i18n.spellings.LANGS})
    monkeypatch.setattr(i18n, "_LEARNED", set())
    monkeypatch.setattr(i18n, "_SOURCES", set())
