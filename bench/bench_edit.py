"""Saving a grid edit through the import pipeline: 200 changed rows of partnerships and of events.

    python bench/bench_edit.py --db STORE.duckdb       # a store you built (bench/bench_import.py --keep)
    python bench/bench_edit.py                         # builds 50,000 partnerships and 1,000,000 events first
    python bench/bench_edit.py --partnerships 400 --events 2000   # small (the test suite)

Each save is what the Edit page does when staff press Save: the grid opened on the rows
(``edits.grid``), the changed cells planned as a file (``edits.plan_save``: validation, the
check that no row changed since it was read) and committed as one batch (``edits.save``),
then undone. Printed as ``edit_<table>_<step>: x s``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

ROWS = 200


def measure(con, table: str, column: str, ids: list[int]) -> None:
    """Open a grid on ``ids``, change ``column`` in every row, save, undo; print each step's seconds."""
    from twinmap.ingest import batches, edits

    start = time.perf_counter()
    opened = edits.grid(con, table, ids)
    opened_at = time.perf_counter()
    changed = {i: {column: f"Changed in the grid {i}"} for i in range(len(opened.frame))}
    save = edits.plan_save(con, opened, changed, [], [])
    planned = time.perf_counter()
    if not save.ok:
        raise SystemExit(f"{table}: {save.plan.errors[:3]}")
    batch = edits.save(con, save, "bench")
    saved = time.perf_counter()
    batches.undo(con, batch, "bench")
    undone = time.perf_counter()
    print(f"# {table}: {len(save.plan.changed)} rows changed in batch #{batch}")
    print(f"edit_{table}_open: {opened_at - start:.3f} s")
    print(f"edit_{table}_plan: {planned - opened_at:.3f} s")
    print(f"edit_{table}_commit: {saved - planned:.3f} s")
    print(f"edit_{table}_save: {saved - opened_at:.3f} s")
    print(f"edit_{table}_undo: {undone - saved:.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="a DuckDB file or a PostgreSQL DSN (changed, then undone)")
    parser.add_argument("--cities", type=int, default=20_000)
    parser.add_argument("--partnerships", type=int, default=50_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    args = parser.parse_args()
    from bench_pages import build

    from twinmap.ingest import seed

    with tempfile.TemporaryDirectory() as tmp:
        sizes = {"cities": args.cities, "partnerships": args.partnerships, "events": args.events, "indicators": 1000}
        start = time.perf_counter()
        db = args.db or build(Path(tmp), sizes)
        if not args.db:
            print(f"# store built in {time.perf_counter() - start:.0f} s")
        con = seed.connect(db)
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("partnerships", "events")}
        print(f"# store: {counts['partnerships']:,} partnerships, {counts['events']:,} events")
        step = max(1, counts["partnerships"] // ROWS)
        pids = [i for (i,) in con.execute("SELECT id FROM partnerships ORDER BY id").fetchall()][::step][:ROWS]
        measure(con, "partnerships", "purpose", pids)
        eids = [i for (i,) in con.execute(
            "SELECT id FROM events ORDER BY hash(id) LIMIT ?", [ROWS]).fetchall()]  # fmt: skip
        measure(con, "events", "venue", eids)
        con.close()


if __name__ == "__main__":
    main()
