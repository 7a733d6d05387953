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
    return {key for key in snap._memo if key[0] != "built"}


@pytest.mark.parametrize("role", [None, "admin"], ids=["visitor", "admin"])
@pytest.mark.parametrize("page", DASHBOARD_PAGES, ids=lambda p: p.url)
def test_after_prepare_a_dashboards_first_visitor_waits_for_no_read(crafted_env, page, role):
    from twinmap.ui import cache

    reader = session_user(role)  # made in the store before the server prepares its pages
    cache.clear_reads()
    serve.open_pages()
    snap = cache._snapshot_of(cache.config.db_target(), cache.data_version())
    before = _made(snap)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["user"] = reader
    at.run()
    at.switch_page(page.path).run()
    assert not at.exception, [e.value for e in at.exception]
    assert _made(snap) - before == set(), "made when the visitor came: the warm-up does not make these"


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
