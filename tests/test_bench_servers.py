"""The benchmarks that start app servers and readers run at a small size: none can rot, and none loses a row."""

from .support import bench as _bench


def test_postgresql_beside_the_file_and_sessions_per_replica_are_measured():
    lines = _bench("bench_replicas.py", "--size", "small", "--replicas", "2", "--sessions", "2", "--rounds", "1",
                   "--repeats", "1", "--pages", "overview")  # fmt: skip
    figures = dict(ln.split(": ", 1) for ln in lines)
    assert "pg_page_overview_warm" in figures and "file_page_overview_warm" in figures
    assert "0 failed" in figures["replicas_2_sessions_2_p95"]


def test_sessions_during_an_import_see_no_error_and_every_row_arrives():
    lines = _bench("bench_concurrency.py", "--sessions", "2", "--rounds", "1", "--rows", "300")
    assert "concurrency_failures: 0 failed" in lines
    assert "concurrency_rows_lost: 0 rows" in lines


def test_pages_and_ten_sessions_are_measured_beside_a_bare_streamlit_app():
    lines = _bench("bench_sessions.py", "--size", "small", "--pages", "overview", "--no-admin", "--sessions", "2",
                   "--rounds", "1", "--rows", "200", "--after", "2")  # fmt: skip
    figures = dict(ln.split(": ", 1) for ln in lines)
    assert {"sessions_floor_warm", "sessions_page_overview_first", "sessions_page_overview_warm"} <= set(figures)
    assert "0 failed" in figures["sessions_2_p95"] and "0 failed" in figures["sessions_import_2_p95"]
    assert figures["sessions_import_rows_lost"] == "0 rows"
    assert "0 failed" in figures["sessions_after_import_2_p95"]  # and in the seconds after the commit


def test_the_first_visitor_after_an_editors_import_is_measured_page_by_page():
    lines = _bench("bench_after_import.py", "--size", "small", "--rows", "50", "--wait", "2")
    figures = dict(ln.split(": ", 1) for ln in lines)
    assert "after_import_commit" in figures, lines  # the editor's import did commit
    assert {f"after_import_{p}" for p in ("overview", "register", "pipeline", "tourism", "network")} <= set(figures)
