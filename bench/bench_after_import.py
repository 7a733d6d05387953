"""The first visitor after an import: each public page's answer once an editor has committed through the Data page.

    python bench/bench_after_import.py --db STORE.duckdb   # the full store of bench/bench_import.py --keep
    python bench/bench_after_import.py --size small        # a small generated store (what the tests run)

One server: every page asked once (the old version's reads made), then an editor (a headless
Chromium, as a person would) commits ``--rows`` events through the Data page, and ``--wait``
seconds later a new visitor asks each page (websocket clients, ``bench/stclient.py``). Without a
warm-up each of those answers makes the new version's reads itself; with it
(``twinmap.ui.cache.warm``) they were made in the background after the commit.

Printed as ``after_import_<page>: x s (before the import: y s)``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

PAGES = ("overview", "register", "pipeline", "tourism", "network")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a DuckDB store (bench/bench_import.py --keep makes one); copied")
    parser.add_argument("--size", choices=["small"], default=None)
    parser.add_argument("--rows", type=int, default=1_000, help="events the editor commits")
    parser.add_argument("--wait", type=float, default=20.0, help="seconds between the commit and the visitor")
    args = parser.parse_args()
    import bench_concurrency
    import bench_pages
    import bench_sessions

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        store = bench_pages.store_in(tmp, args.db)
        file = tmp / "events.csv"
        bench_concurrency.events_file(store, args.rows, file)
        password = bench_sessions.account(store, "benchstaff", "editor")
        with bench_sessions.Server(ROOT / "app.py", store) as server:
            names = ["" if page == "overview" else page for page in PAGES]
            for name in names:
                asyncio.run(bench_sessions.visit(server.url, name))
            before = [asyncio.run(bench_sessions.visit(server.url, name)).seconds for name in names]
            problems: list[str] = []
            report: dict = {}
            bench_concurrency.in_browser(bench_concurrency.importer, problems, server.url, "benchstaff", password,
                                         file, report)  # fmt: skip
            for problem in problems:
                print(f"# editor: {problem}")
            if "seconds" in report:
                print(f"after_import_commit: {report['seconds']:.1f} s ({args.rows} rows, upload to committed)")
            time.sleep(args.wait)
            for page, name, old in zip(PAGES, names, before, strict=True):
                answer = asyncio.run(bench_sessions.visit(server.url, name))
                print(f"after_import_{page}: {answer.seconds:.3f} s (before the import: {old:.3f} s)")


if __name__ == "__main__":
    os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")
    main()
