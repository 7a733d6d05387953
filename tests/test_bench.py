"""Every benchmark script runs at a small size, so none can rot; the generator is checked for what it promises.

The benchmarks that start app servers and readers are in ``test_bench_servers.py`` (a file each, so
the two test processes share them out).
"""

import sys

import pandas as pd
import pytest

from .conftest import ROOT
from .support import bench as _bench

sys.path.insert(0, str(ROOT / "bench"))

import generate


def test_the_generator_is_deterministic_real_and_skewed_like_the_twinning_network(tmp_path):
    sizes = {"cities": 400, "partnerships": 1500, "events": 3000, "indicators": 5000}
    first = generate.generate(tmp_path / "a", sizes)
    again = generate.generate(tmp_path / "b", sizes)
    for table, path in first.items():
        assert path.read_bytes() == again[table].read_bytes(), table
    cities = pd.read_csv(first["cities"], keep_default_na=False)
    parts = pd.read_csv(first["partnerships"], keep_default_na=False)
    assert len(cities) == 400 and len(parts) == 1500
    assert {"Shanghai", "Tehran", "Moscow"} <= set(cities["name"])  # real places, real coordinates
    ends = pd.concat([parts["home_city"] + "|" + parts["home_country"],
                      parts["partner_city"] + "|" + parts["partner_country"]])  # fmt: skip
    degree = ends.value_counts()
    assert degree.max() >= 30 and degree.median() <= 6  # a few hubs, most cities with a handful
    pairs = set(zip(ends[: len(parts)], ends[len(parts) :], strict=True))
    assert len(pairs) == len(parts) and not any((b, a) in pairs for a, b in pairs)
    for table, n in sizes.items():
        assert len(pd.read_csv(first[table], keep_default_na=False)) == n, table


def test_the_map_benchmark_draws_both_builds_and_the_apps_map_page_in_chromium(shipped_db):
    lines = _bench("bench_map.py", "--sizes", "300", "--naive-max", "300", "--app-db", str(shipped_db),
                   "--app-visits", "1")  # fmt: skip
    figures = dict(ln.split(": ", 1) for ln in lines)
    assert "s" in figures["map_300_ours_drawn"] and "not drawn" not in figures["map_300_naive_drawn"]
    assert float(figures["map_300_bytes_ratio"].split()[0]) > 5
    assert figures["map_app_drawn_median"].startswith(figures["map_app_drawn_range"].split()[0])  # one visit


@pytest.mark.parametrize(("script", "args"), [
    ("bench_import.py", ("--cities", "300", "--partnerships", "400", "--events", "2000", "--indicators", "3000",
                         "--baseline", "")),
    ("bench_pages.py", ("--size", "small", "--repeats", "1")),
    ("bench_hostile.py", ("--rows", "1000")),
    ("bench_kiosk.py", ("--slides", "2", "--seconds", "2")),
    ("bench_edit.py", ("--cities", "300", "--partnerships", "400", "--events", "2000")),
    ("bench_report.py", ("--size", "small", "--compare", "50")),
    ("bench_impact.py", ("--per-cell", "2")),
    ("bench_finder.py", ("--cities", "5", "--max-homes", "200")),
])  # fmt: skip
def test_a_benchmark_runs_at_a_small_size_and_prints_figures(script, args):
    lines = _bench(script, *args)
    assert any(word in ln for ln in lines for word in ("_per_s", "_warm", "_seconds", "_change", "_save"))


def test_backup_and_restore_are_measured_on_both_stores_with_readers_beside():
    figures = dict(ln.split(": ", 1) for ln in _bench("bench_backup.py", "--readers", "2"))
    for store in ("duckdb", "postgres"):
        assert figures[f"{store}_restored_equal"].startswith("yes")
        assert "answers" in figures[f"{store}_readers_backup"]


def test_the_units_relations_are_imported_and_read_at_scale(shipped_db):
    lines = _bench("bench_relations.py", "--db", str(shipped_db), "--organisations", "200", "--coverage", "500")
    assert any(ln.startswith("relations_commit_coverage_500:") for ln in lines), lines
    assert any(ln.startswith("relations_work_per_goal_year:") for ln in lines), lines


def test_learning_the_stores_spellings_is_measured(shipped_db):
    figures = dict(ln.split(": ", 1) for ln in _bench("bench_spellings.py", "--db", str(shipped_db)))
    assert int(figures["spellings_known_ru"].split()[0]) > 0 and int(figures["spellings_known_fa"].split()[0]) > 0
    assert "spellings_new_version" in figures
