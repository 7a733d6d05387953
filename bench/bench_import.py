"""Import speed and memory through the real pipeline, beside the row-by-row baseline of an older commit.

    python bench/bench_import.py [--cities 20000 --partnerships 50000 --events 1000000
                                  --indicators 5000000] [--baseline 92c432c --baseline-rows 20000]
                                 [--keep STORE.duckdb]

The data come from bench/generate.py. Cities and partnerships are imported first (timed too),
then the events file and the indicators file, each planned (dry run) and committed as one
batch; an indicators file over the per-file limits (rows, bytes) is imported in parts, as
staff would. The events batch is then undone. Every step runs in a fresh process so its peak
resident memory is its own. The baseline is the import pipeline of ``--baseline`` (a git
commit, checked out into a temporary worktree) planning the first ``--baseline-rows`` events
against the same store. ``--keep`` leaves the filled store for bench/bench_pages.py.
``--postgres`` runs the same steps on a throw-away PostgreSQL server (deploy/pgserver.py)
instead of a DuckDB file, without the baseline.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))


def child(code: str, store: str, table: str, file: Path, mode: str) -> None:
    """In a fresh process: plan (and commit, or undo) one file with the pipeline at ``code``."""
    sys.path.insert(0, code)
    from twinmap.ingest import batches, importer
    from twinmap.store import db

    con = db.connect(store)
    start = time.perf_counter()
    out: dict = {}
    if mode == "undo":
        batch = int(con.execute("SELECT max(id) FROM import_batches WHERE table_name = ?", [table]).fetchone()[0])
        batches.undo(con, batch, "bench")
    else:
        plan = importer.plan_import(con, file.read_bytes(), file.name, table)
        out["planned"] = time.perf_counter() - start
        out["rows"] = plan.rows_read
        out["errors"] = len(plan.errors)
        if mode == "commit":
            batches.commit(con, plan, "bench", record_stages=False, skip_invalid=True)
    out["seconds"] = time.perf_counter() - start
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


def run(code: Path, store: str | Path, table: str, file: Path, mode: str) -> dict:
    """One step in a fresh process; its figures."""
    args = [sys.executable, __file__, "--child", str(code), str(store), table, str(file), mode]
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    done = subprocess.run(args, capture_output=True, text=True, check=False, env=env)
    if done.returncode:
        raise SystemExit(f"{table} {mode} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def parts(file: Path, rows: int) -> list[Path]:
    """The file split into files of at most ``rows`` rows, each with the header."""
    out, header = [], None
    with file.open(encoding="utf-8") as src:
        header = src.readline()
        while True:
            chunk = [line for _, line in zip(range(rows), src, strict=False)]
            if not chunk:
                break
            out.append(file.with_name(f"{file.stem}_{len(out) + 1}.csv"))
            out[-1].write_text(header + "".join(chunk), encoding="utf-8")
    return out


def fits(file: Path, max_rows: int, max_bytes: int) -> bool:
    """Within the per-file limits of the import."""
    with file.open(encoding="utf-8") as src:
        lines = sum(1 for _ in src) - 1
    return lines <= max_rows and file.stat().st_size <= max_bytes


def baseline_rows_per_s(commit: str, store: Path, events: Path, rows: int, tmp: Path) -> float | None:
    """Rows per second of the ``commit`` pipeline planning the first ``rows`` events (None without git)."""
    tree = tmp / "baseline"
    made = subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), commit],
                          capture_output=True, text=True, check=False)  # fmt: skip
    if made.returncode:
        print(f"# baseline skipped: {made.stderr.strip()}")
        return None
    try:
        sample = tmp / "events_sample.csv"
        with events.open(encoding="utf-8") as src:
            sample.write_text("".join(line for _, line in zip(range(rows + 1), src, strict=False)), encoding="utf-8")
        figures = run(tree, store, "events", sample, "dry")
        return figures["rows"] / figures["planned"]
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False)


def main() -> None:  # noqa: C901 - one straight sequence of steps, each printed
    if sys.argv[1:2] == ["--child"]:
        code, store, table, file, mode = sys.argv[2:]
        return child(code, store, table, Path(file), mode)
    import generate

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name, size in generate.SIZES.items():
        parser.add_argument(f"--{name}", type=int, default=size)
    parser.add_argument("--baseline", default="92c432c", help="git commit of the row-by-row pipeline")
    parser.add_argument("--baseline-rows", type=int, default=20_000)
    parser.add_argument("--keep", type=Path, help="copy the filled store here")
    parser.add_argument("--postgres", action="store_true", help="import into a throw-away PostgreSQL instead")
    args = parser.parse_args()
    server = None
    if args.postgres:
        sys.path.insert(0, str(ROOT / "deploy"))
        import pgserver

        server, args.baseline, args.keep = pgserver.start(durable=True), None, None
    sys.path.insert(0, str(ROOT))
    from twinmap.ingest import readers, seed

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        files = generate.generate(tmp / "csv", {k: getattr(args, k) for k in generate.SIZES})
        store = server.create("bench") if server else tmp / "bench.duckdb"
        seed.connect(store).close()
        for table in ("cities", "partnerships"):
            step = run(ROOT, store, table, files[table], "commit")
            print(f"import_{table}_seconds: {step['seconds']:.1f} s ({step['rows']} rows)")
        base = None
        if args.baseline:
            base = baseline_rows_per_s(args.baseline, store, files["events"], min(args.baseline_rows, args.events), tmp)
        for table in ("events", "indicators"):
            pieces = [files[table]]
            if not fits(files[table], readers.LIMITS.rows, readers.LIMITS.file_bytes):
                pieces = parts(files[table], readers.LIMITS.rows // 2)
            dry = run(ROOT, store, table, pieces[0], "dry")
            print(f"import_{table}_dry_run_rows_per_s: {dry['rows'] / dry['planned']:.0f} rows/s ({dry['rows']} rows)")
            total_rows = total_s = peak = 0.0
            for piece in pieces:
                step = run(ROOT, store, table, piece, "commit")
                total_rows, total_s = total_rows + step["rows"], total_s + step["seconds"]
                peak = max(peak, step["peak_mb"])
            print(f"import_{table}_files: {len(pieces)} files")
            print(f"import_{table}_commit_seconds: {total_s:.1f} s ({total_rows:.0f} rows, planned and committed)")
            print(f"import_{table}_rows_per_s: {total_rows / total_s:.0f} rows/s")
            print(f"import_{table}_peak_memory: {peak:.0f} MB")
            if table == "events" and base:
                print(f"import_events_baseline_rows_per_s: {base:.0f} rows/s (planning only, {args.baseline})")
                print(f"import_events_speedup_over_baseline: {(total_rows / total_s) / base:.1f} x")
        if args.keep:
            shutil.copy(store, args.keep)
        undo = run(ROOT, store, "events", files["events"], "undo")
        print(f"undo_events_batch_seconds: {undo['seconds']:.1f} s ({args.events} rows)")
    if server:
        server.stop()


if __name__ == "__main__":
    main()
