"""A server prepared before it opens: the dashboards' first visitors, signed out or staff, make no read of their own."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from streamlit.testing.v1 import AppTest

from twinmap.ui import serve
from twinmap.ui.pages import DASHBOARDS, PAGES

from .conftest import ROOT, TODAY
from .support import session_user
from .test_e2e import _free_port, started

DASHBOARD_PAGES = [p for p in PAGES if p.group == DASHBOARDS]


def _made(snap) -> set:
    """The reads a snapshot holds (views a page builds from them are not reads: left out)."""
    return {key for key in snap._memo if key[0] != "view"}


@pytest.fixture(scope="module")
def prepared(crafted_db, tmp_path_factory):
    """The crafted store's pages opened once, as the server opens them before its port (one preparation for all).

    Its readers are made in the store first: a user made afterwards would be a commit, and the
    next version's reads would be made again by the warm-up rather than by the preparation.
    """
    import shutil

    import streamlit as st

    from twinmap.ui import cache

    path = tmp_path_factory.mktemp("prepared") / "app.duckdb"
    shutil.copy(crafted_db, path)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("TWINMAP_DB", str(path))
        env.setenv("TWINMAP_TODAY", TODAY.isoformat())
        env.setenv("TWINMAP_TILES", "none")
        st.cache_data.clear()
        st.cache_resource.clear()
        readers = {role: session_user(role) for role in (None, "admin")}
        cache.clear_reads()
        serve.open_pages()
        yield readers
        st.cache_resource.clear()


@pytest.mark.parametrize("role", [None, "admin"], ids=["visitor", "admin"])
@pytest.mark.parametrize("page", DASHBOARD_PAGES, ids=lambda p: p.url)
def test_after_prepare_a_dashboards_first_visitor_waits_for_no_read(prepared, page, role):
    """Each dashboard's first visitor, signed out and as an admin, finds every read made (any read made fails)."""
    from twinmap.ui import cache

    snap = cache._snapshot_of(cache.config.db_target(), cache.data_version())
    before = _made(snap)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["user"] = prepared[role]
    at.run()
    at.switch_page(page.path).run()
    assert not at.exception, [e.value for e in at.exception]
    assert _made(snap) - before == set(), "made when the visitor came: the warm-up does not make these"


@pytest.mark.slow  # starts `python -m twinmap serve`: not in the quick loop
def test_the_serve_command_answers_its_health_check_only_once_ready(tmp_path):
    """``python -m twinmap serve`` builds the store and makes the first reads, then opens the port."""
    port = _free_port()
    env = {**os.environ, "TWINMAP_DB": str(tmp_path / "twinmap.duckdb"), "TWINMAP_TODAY": TODAY.isoformat(),
           "TWINMAP_TILES": "none"}  # fmt: skip
    cmd = [sys.executable, "-m", "twinmap", "serve", "--server.port", str(port), "--server.address", "127.0.0.1"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        started(proc, f"http://127.0.0.1:{port}")
        assert (tmp_path / "twinmap.duckdb").exists()  # built before the port opened
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=30)
    assert "twinmap: ready in" in out and "URL: http://127.0.0.1" in out, out[-2000:]
    assert out.index("twinmap: ready in") < out.index("URL: http://127.0.0.1")  # prepared, then opened
    assert "config option section was detected" not in out  # Streamlit's options were read before preparing
    assert "Traceback" not in out and "twinmap: preparing" not in out  # no page failed on the way
