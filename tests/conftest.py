"""Shared fixtures: a database built from the shipped data once per session, and AppTest."""

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


@pytest.fixture
def con(shipped_db: Path, tmp_path: Path) -> duckdb.DuckDBPyConnection:
    """A private, writable copy of the shipped database."""
    path = tmp_path / "copy.duckdb"
    shutil.copy(shipped_db, path)
    connection = seed.connect(path)
    yield connection
    connection.close()


@pytest.fixture
def app_env(shipped_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the app at a copy of the shipped database, on the demo day, with no tiles."""
    import streamlit as st

    path = tmp_path / "app.duckdb"
    shutil.copy(shipped_db, path)
    monkeypatch.setenv("TWINMAP_DB", str(path))
    monkeypatch.setenv("TWINMAP_TODAY", TODAY.isoformat())
    monkeypatch.setenv("TWINMAP_TILES", "none")
    # Streamlit's caches outlive AppTest instances: start every test from nothing.
    st.cache_data.clear()
    st.cache_resource.clear()
    yield path
    st.cache_resource.clear()
