"""Shared fixtures: the crafted store (built in code) and the shipped demo story, each once per session.

Page and query tests use the crafted store, whose every row is in tests/fixtures/crafted.py; a few
tests of the demo story itself use the shipped data, deliberately.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pytest

from twinmap.ingest import seed

# The shipped demo story is told as of this day (upcoming events, expiries).
TODAY = dt.date(2026, 11, 23)
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def shipped_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database file built from data/*.csv exactly as on first start.

    Session-scoped because building parses every shipped file; tests that write get a copy.
    """
    path = tmp_path_factory.mktemp("shipped") / "twinmap.duckdb"
    seed.connect(path).close()
    return path


def _open_copy(store: Path, path: Path):
    """A private, writable copy of a store, closed after the test."""
    shutil.copy(store, path)
    connection = seed.connect(path)
    yield connection
    connection.close()


@pytest.fixture
def con(shipped_db: Path, tmp_path: Path) -> duckdb.DuckDBPyConnection:
    """A private, writable copy of the shipped database."""
    yield from _open_copy(shipped_db, tmp_path / "copy.duckdb")


@pytest.fixture(scope="session")
def crafted_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small store of tests/fixtures/crafted.py: every figure a test checks is readable there."""
    from .fixtures.crafted import build

    return build(tmp_path_factory.mktemp("crafted") / "crafted.duckdb")


@pytest.fixture
def crafted(crafted_db: Path, tmp_path: Path) -> duckdb.DuckDBPyConnection:
    """A private, writable copy of the crafted store."""
    yield from _open_copy(crafted_db, tmp_path / "crafted.duckdb")


@pytest.fixture
def crafted_env(crafted_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the app at a copy of the crafted store, on its day, with no tiles."""
    yield from _app_at(crafted_db, tmp_path, monkeypatch)


def _app_at(store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import streamlit as st

    path = tmp_path / "app.duckdb"
    shutil.copy(store, path)
    monkeypatch.setenv("TWINMAP_DB", str(path))
    monkeypatch.setenv("TWINMAP_TODAY", TODAY.isoformat())
    monkeypatch.setenv("TWINMAP_TILES", "none")
    # Streamlit's caches outlive AppTest instances: start every test from nothing.
    st.cache_data.clear()
    st.cache_resource.clear()
    yield path
    st.cache_resource.clear()


@pytest.fixture
def app_env(shipped_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the app at a copy of the shipped database (the demo story), on the demo day, with no tiles."""
    yield from _app_at(shipped_db, tmp_path, monkeypatch)
