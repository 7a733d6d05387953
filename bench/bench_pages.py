"""Cold and warm server time of every page (and the kiosk) on a store, through Streamlit's AppTest.

    python bench/bench_pages.py --db STORE.duckdb        # a store you built (e.g. bench/bench_import.py --keep)
    python bench/bench_pages.py --size small             # builds a small store from bench/generate.py first
    python bench/bench_pages.py --db "host=... dbname=..."   # a PostgreSQL store (bench/bench_replicas.py)

Cold: the page's first run after every read cache was emptied (the connection stays open, as
on a running server). Warm: the same page run again, as on a rerun or the next visitor. Each
run is the whole script (app.py's frame and the page), as an admin so every page is allowed.
Printed as ``page_<url>_cold: x s`` and ``page_<url>_warm: x s``.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

SMALL = {"cities": 600, "partnerships": 1_000, "events": 5_000, "indicators": 20_000}


def store_in(tmp: Path, db: Path | None) -> Path:
    """The store a benchmark runs on, in ``tmp``: a copy of ``db`` (``--db``), else the small generated one."""
    import shutil

    store = tmp / "store.duckdb"
    if db:
        shutil.copy(db, store)
    else:
        shutil.move(build(tmp, SMALL), store)
    return store


def build(folder: Path, sizes: dict[str, int]) -> Path:
    """A store with the shipped data and a generated data set imported through the real pipeline."""
    import generate

    from twinmap.ingest import batches, importer, seed

    path = folder / "bench.duckdb"
    con = seed.connect(path)
    for table, file in generate.generate(folder / "csv", sizes).items():
        plan = importer.plan_import(con, file.read_bytes(), file.name, table)
        batches.commit(con, plan, "bench", record_stages=False, skip_invalid=True)
    con.close()
    return path


def timed_runs(page: str | None, repeats: int) -> tuple[float, float]:
    """(cold, median warm) seconds of one page's run."""
    from streamlit.testing.v1 import AppTest

    from twinmap.store import auth
    from twinmap.ui import cache

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.session_state["user"] = auth.User("bench", "admin")
    if page == "kiosk":
        at.query_params["kiosk"] = "1"
    at.run()
    if page not in (None, "kiosk"):
        at.switch_page(page)
    cache.clear_reads()
    start = time.perf_counter()
    at.run()
    cold = time.perf_counter() - start
    if at.exception:
        raise SystemExit(f"{page}: {at.exception[0].value}")
    warm = []
    for _ in range(repeats):
        start = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - start)
    return cold, statistics.median(warm)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="a DuckDB file or a PostgreSQL DSN")
    parser.add_argument("--size", choices=["small"], default=None)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--pages", help="only these pages, by URL name (e.g. overview,map,kiosk)")
    args = parser.parse_args()
    os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or build(Path(tmp), SMALL)
        os.environ["TWINMAP_DB"] = str(db)
        from twinmap.ui.pages import PAGES

        for page in [*(p.path for p in PAGES), "kiosk"]:
            name = Path(page).stem
            if args.pages and name not in args.pages.split(","):
                continue
            cold, warm = timed_runs(page, args.repeats)
            print(f"page_{name}_cold: {cold:.2f} s")
            print(f"page_{name}_warm: {warm:.3f} s")


if __name__ == "__main__":
    main()
