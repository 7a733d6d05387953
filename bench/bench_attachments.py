"""Documents and photos at size: a 20 MB upload, thousands of 1-5 MB files, the store, its backup and the pages.

    python bench/bench_attachments.py --db FULL.duckdb --count 2000   # the full store (copied; not changed)
    python bench/bench_attachments.py --count 200                     # the small generated store
    python bench/bench_attachments.py --postgres                      # also the 20 MB upload on PostgreSQL

1. **Upload.** A 20 MB scanned PDF and a 20 MB photo go through ``attachments.attach`` as staff
   would send them: read from the bytes, photo decoded, cleaned and encoded again, thumbnail
   drawn, stored as one batch. Median of three, each a different file (no deduplication).
2. **Many files.** ``--count`` photos of 1 to 5 MB are attached to random partnerships and
   events, a hundred per batch, through ``batches.commit_rows`` as the app stores them. Their
   bytes are a pool of real photos, each made distinct by a few trailing bytes that image readers
   ignore, so that the intake's decoding is not repeated ``--count`` times (it is step 1's
   figure): this step measures the store, not the intake.
3. **The store and the readers.** The store's size before and after, a backup's time and size
   (``backup.make``, which reads every byte back), and the cold and warm run of the pages that
   list attachments or count them (register, timeline, kiosk, overview) before and after, as
   ``bench_pages.py`` times them.

Printed as ``attachments_<what>: x``; ``# `` lines are notes.
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "deploy"))

PAGES = ("pages/register.py", "pages/timeline.py", "pages/overview.py", "kiosk")


def _noise(rng: random.Random, pixels: int, kind: str) -> bytes:
    from PIL import Image

    width = int((pixels * 4 / 3) ** 0.5)
    height = max(1, pixels // width)
    out = io.BytesIO()
    image = Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))
    image.save(out, kind, quality=92, **({"resolution": 150} if kind == "PDF" else {}))
    return out.getvalue()


def sized(rng: random.Random, megabytes: float, kind: str = "JPEG") -> bytes:
    """A photo (JPEG) or a scanned PDF (one page, an image stream) of about ``megabytes``: noise does not compress,
    so its size follows its pixels; one trial fixes the ratio."""
    pixels = int(megabytes * 1e6)
    trial = _noise(rng, pixels // 8, kind)
    return _noise(rng, int(pixels * pixels / 8 / len(trial)), kind)


def noise_photo(rng: random.Random, megabytes: float) -> bytes:
    """A JPEG photo of about ``megabytes``."""
    return sized(rng, megabytes, "JPEG")


def scanned_pdf(rng: random.Random, megabytes: float) -> bytes:
    """A scanned PDF of about ``megabytes``."""
    return sized(rng, megabytes, "PDF")


def upload(con, rng: random.Random) -> dict[str, float]:
    """Median seconds of a 20 MB PDF's and a 20 MB photo's ``attach``, three of each."""
    from twinmap.ingest import attachments

    to = attachments.Target("partnerships", int(con.execute("SELECT min(id) FROM partnerships").fetchone()[0]))
    found: dict[str, float] = {}
    for kind, make in (("pdf", scanned_pdf), ("photo", noise_photo)):
        times = []
        for i in range(3):
            data = make(rng, 20.0)
            began = time.perf_counter()
            attachments.attach(con, [(f"big-{kind}-{i}", data)], to, attachments.Details(), "bench")
            times.append(time.perf_counter() - began)
        found[f"upload_20mb_{kind}_s"] = statistics.median(times)
        found[f"upload_{kind}_mb"] = len(data) / 1e6
    return found


def many(con, count: int, rng: random.Random) -> float:
    """Attach ``count`` photos of 1-5 MB a hundred per batch; seconds taken."""
    import hashlib

    import pyarrow as pa

    from twinmap.ingest import attachments, batches, uploads

    pool = [uploads.check(f"pool-{i}.jpg", noise_photo(rng, 1 + 4 * i / 19), 30_000_000) for i in range(20)]
    pids = [int(i) for (i,) in con.execute("SELECT id FROM partnerships").fetchall()]
    events = con.execute("SELECT id, partnership_id FROM events USING SAMPLE 20000 ROWS").fetchall()
    began = time.perf_counter()
    for start in range(0, count, 100):
        files, rows = [], []
        for n in range(start, min(count, start + 100)):
            base = pool[n % len(pool)]
            content = base.content + n.to_bytes(8, "big")  # after the JPEG's end: readers ignore it
            sha = hashlib.sha256(content).hexdigest()
            files.append(uploads.Checked(f"photo-{n}.jpg", content, sha, base.media_type, base.width, base.height,
                                         thumbnail=base.thumbnail))  # fmt: skip
            event = events[n % len(events)] if n % 2 else None
            rows.append(
                {
                    "partnership_id": event[1] if event else rng.choice(pids),
                    "event_id": event[0] if event else None,
                    "sha256": sha,
                    "file_name": f"photo-{n}.jpg",
                    "kind": "photo",
                    "title": f"Photo {n}",
                    "is_public": n % 3 == 0,
                    "added_by": "bench",
                }
            )
        table = pa.Table.from_pylist(rows)
        batches.commit_rows(con, "attachments", table, [], (f"bench {start}", str(start)), "bench",
                            before=lambda cur, f=files: attachments._store_files(cur, f))  # fmt: skip
    return time.perf_counter() - began


def pages() -> dict[str, tuple[float, float]]:
    """Cold and warm seconds of the pages that show or count attachments."""
    from bench_pages import timed_runs

    return {Path(p).stem: timed_runs(p, 3) for p in PAGES}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a DuckDB store (copied first; default: the small generated one)")
    parser.add_argument("--count", type=int, default=200, help="photos of 1-5 MB to attach")
    parser.add_argument("--postgres", action="store_true", help="also time the 20 MB upload on PostgreSQL")
    parser.add_argument("--no-pages", action="store_true", help="skip the page timings")
    args = parser.parse_args()
    os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")
    os.environ["TWINMAP_BACKUP_HOURS"] = "0"
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    rng = random.Random(42)
    with tempfile.TemporaryDirectory(prefix="bench-attach-", dir=os.environ.get("BENCH_TMP")) as tmp:
        from bench_pages import store_in

        store = store_in(Path(tmp), args.db)
        os.environ["TWINMAP_DB"] = str(store)
        from twinmap.ingest import seed
        from twinmap.store import backup

        con = seed.connect(store)
        con.execute("CHECKPOINT")
        print(f"# store: {store.stat().st_size / 1e6:.0f} MB, "
              f"{con.execute('SELECT count(*) FROM partnerships').fetchone()[0]:,} partnerships")  # fmt: skip
        before = {} if args.no_pages else pages()
        for name, value in upload(con, rng).items():
            print(f"attachments_{name}: {value:.2f}")
        size0 = store.stat().st_size
        took = many(con, args.count, rng)
        con.execute("CHECKPOINT")
        held = con.execute("SELECT count(*), sum(size) FROM attachment_files").fetchone()
        print(f"attachments_many_count: {held[0]}")
        print(f"attachments_many_bytes_gb: {held[1] / 1e9:.2f}")
        print(f"attachments_many_store_s: {took:.1f}")
        print(f"attachments_store_growth_gb: {(store.stat().st_size - size0) / 1e9:.2f}")
        print(f"attachments_store_gb: {store.stat().st_size / 1e9:.2f}")
        began = time.perf_counter()
        made = backup.make(con, Path(tmp) / "backups")
        print(f"attachments_backup_s: {time.perf_counter() - began:.1f}")
        print(f"attachments_backup_gb: {made.bytes / 1e9:.2f}")
        shutil.rmtree(Path(tmp) / "backups", ignore_errors=True)
        con.close()
        if not args.no_pages:
            after = pages()
            for name, (cold, warm) in after.items():
                print(f"attachments_page_{name}_cold: {before[name][0]:.2f} -> {cold:.2f} s")
                print(f"attachments_page_{name}_warm: {before[name][1]:.3f} -> {warm:.3f} s")
    if args.postgres:
        postgres_upload(rng)


def postgres_upload(rng: random.Random) -> None:
    """The 20 MB upload on a throw-away PostgreSQL server holding the shipped data."""
    import pgserver

    from twinmap.ingest import seed

    server = pgserver.start()
    try:
        con = seed.connect(server.create("attach"))
        for name, value in upload(con, rng).items():
            print(f"attachments_postgres_{name}: {value:.2f}")
        con.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
