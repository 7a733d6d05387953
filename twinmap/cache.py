"""The thin Streamlit layer over the store: one cached connection, reads cached per data version.

Every read is cached under (query name, database path, data version, arguments), so a
committed write shows up on the next rerun of every session and nothing stale is served.
Nothing else in ``twinmap`` imports Streamlit's caches.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import duckdb
import streamlit as st

from twinmap import config, db, queries


@st.cache_resource(show_spinner=False)
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    return db.connect(path)


def connection() -> duckdb.DuckDBPyConnection:
    """The process-wide connection to the configured database (built on first use)."""
    return _connection(str(config.db_path()))


def data_version() -> int:
    """The configured database's data version (changes on every committed write)."""
    return db.data_version(connection())


@st.cache_data(show_spinner=False, max_entries=512)
def _read(name: str, path: str, version: int, *args: Any) -> Any:
    # ``path`` and ``version`` are only cache keys: a new version is a new entry.
    return getattr(queries, name)(connection(), *args)


def _cached(query: Callable) -> Callable:
    """Wrap a ``queries`` function (first argument: the connection) in the version-keyed cache."""

    @functools.wraps(query)
    def read(*args: Any) -> Any:
        return _read(query.__name__, str(config.db_path()), data_version(), *args)

    return read


partnerships = _cached(queries.partnerships)
home_cities = _cached(queries.home_cities)
signing_years = _cached(queries.signing_years)
events = _cached(queries.events)
upcoming_events = _cached(queries.upcoming_events)
headline = _cached(queries.headline)
indicator_series = _cached(queries.indicator_series)
indicator_cities = _cached(queries.indicator_cities)
before_after = _cached(queries.before_after)
