"""Backup and restore of the store on both backends, and what readers wait meanwhile.

    python bench/bench_import.py --baseline "" --keep FULL.duckdb   # the full size, once (a few minutes)
    python bench/bench_backup.py --db FULL.duckdb                    # a store you have (it is not changed)
    python bench/bench_backup.py                                     # the small generated store

For the DuckDB file, then for the same rows copied into a throw-away PostgreSQL server
(deploy/pgserver.py, durable): the time and size of ``backup.make`` (copy, read back, compare),
the time of ``backup.restore`` into the store, and whether the restored store reads back as the
copy. Beside each backup, ``--readers`` threads ask the store what the overview asks (the data
version, counts by status, the next events) in a loop: their p50/p95/max before and during the
backup are printed, as a reader of the app would feel them.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "deploy"))

READS = (
    "SELECT value FROM meta WHERE key = 'data_version'",
    "SELECT status, count(*) FROM partnerships GROUP BY status",
    "SELECT id, title, starts_on FROM events WHERE starts_on >= DATE '2026-12-01' ORDER BY starts_on LIMIT 20",
)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


class Readers:
    """Threads asking the overview's questions in a loop; each answer's seconds kept by phase."""

    def __init__(self, con, n: int) -> None:
        self.con, self.phase, self.times = con, "idle", {"idle": [], "backup": []}
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._read, daemon=True) for _ in range(n)]

    def _read(self) -> None:
        while not self.stop.is_set():
            began, phase = time.perf_counter(), self.phase
            cur = self.con.cursor()
            for sql in READS:
                cur.execute(sql).fetchall()
            cur.close()
            self.times[phase].append(time.perf_counter() - began)
            time.sleep(0.05)  # a reader clicks, reads, clicks again

    def __enter__(self) -> Readers:
        for t in self.threads:
            t.start()
        time.sleep(3)  # idle answers first
        self.phase = "backup"
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for t in self.threads:
            t.join()

    def report(self, label: str) -> None:
        for phase, values in self.times.items():
            if values:
                print(f"{label}_readers_{phase}: p50 {statistics.median(values) * 1000:.0f} ms, "
                      f"p95 {percentile(values, 0.95) * 1000:.0f} ms, max {max(values) * 1000:.0f} ms, "
                      f"{len(values)} answers")  # fmt: skip


def run(label: str, target: str, folder: Path, readers: int) -> None:
    """Back up the store at ``target`` with readers beside it, restore the copy, check it reads back."""
    from twinmap.store import backup, db

    con = db.connect(target)
    with Readers(con, readers) as watch:
        began = time.perf_counter()
        made = backup.make(con, folder / label)
        seconds = time.perf_counter() - began
    con.close()
    watch.report(label)
    rows = sum(made.rows.values())
    print(f"{label}_backup: {seconds:.1f} s, {made.bytes / 1e6:.0f} MB, {rows:,} rows (copied, read back, compared)")
    began = time.perf_counter()
    restored = backup.restore(target, made.path, folder / f"{label}-aside")
    print(f"{label}_restore: {time.perf_counter() - began:.1f} s ({sum(restored.values()):,} rows)")
    con = db.connect(target)
    again = {t: con.cursor().execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in made.rows}
    con.close()
    print(f"{label}_restored_equal: {'yes' if again == made.rows else 'NO'} (rows of every table against the copy)")


def pg_dump(server, dsn: str, folder: Path) -> None:
    """PostgreSQL's own tools on the same rows, for the choice the README states: pg_dump -Fc, pg_restore."""
    import subprocess

    import pgserver

    dump = folder / "store.dump"
    began = time.perf_counter()
    subprocess.run([str(pgserver.binary("pg_dump")), "-Fc", "-d", dsn, "-f", str(dump)], check=True)
    print(f"pg_dump: {time.perf_counter() - began:.1f} s, {dump.stat().st_size / 1e6:.0f} MB (custom format, "
          "not read back)")  # fmt: skip
    target = server.create("restored")
    began = time.perf_counter()
    subprocess.run([str(pgserver.binary("pg_restore")), "-d", target, "--no-owner", str(dump)], check=True)
    print(f"pg_restore: {time.perf_counter() - began:.1f} s (into an empty database)")


def main() -> None:
    import shutil

    import bench_pages
    import pgserver

    from twinmap.store import transfer

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a DuckDB store to copy (it is not changed)")
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument(
        "--pg-dump-only",
        action="store_true",
        help="on PostgreSQL, time only pg_dump and pg_restore (the alternative to twinmap's backup)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = folder / "store.duckdb"
        if args.db:
            shutil.copy(args.db, store)
        else:
            began = time.perf_counter()
            shutil.move(bench_pages.build(folder, bench_pages.SMALL), store)
            print(f"build: {time.perf_counter() - began:.0f} s")
        print(f"store_size: {store.stat().st_size / 1e6:.0f} MB")
        if not args.pg_dump_only:
            run("duckdb", str(store), folder, args.readers)
        if args.no_postgres:
            return
        server = pgserver.start(durable=True)
        try:
            dsn = server.create("bench")
            began = time.perf_counter()
            transfer.copy_store(store, dsn)
            print(f"pg_copy_store: {time.perf_counter() - began:.0f} s")
            if args.pg_dump_only:
                pg_dump(server, dsn, folder)
            else:
                run("postgres", dsn, folder, args.readers)
        finally:
            server.stop()


if __name__ == "__main__":
    main()
