"""PostgreSQL beside the DuckDB file, and sessions per replica behind nginx as replicas are added.

    python bench/bench_replicas.py --db STORE.duckdb [--replicas 1,2,4] [--sessions 5,10,20,40,80]
    python bench/bench_replicas.py --size small      # a small generated store (what the tests run)

The store (a DuckDB file) is copied into a throw-away PostgreSQL server (deploy/pgserver.py) with
``migrate-store``'s code. Then:

- pages: bench/bench_pages.py on the file and on PostgreSQL, printed side by side
  (``pg_page_<url>_cold`` / ``_warm`` beside ``file_page_...``);
- sessions: N app replicas behind nginx (deploy/replicas.py), and S sessions at once, each a
  websocket client speaking Streamlit's own protocol (no browser: a browser per session would
  measure Chromium, not the server), each asking for the overview and the map in turn
  ``--rounds`` times; the time from asking to Streamlit's "script finished" is one response.
  For each replica count: p50 and p95 at each S, and the most sessions whose p95 stays under 2 s.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "deploy"))

TARGET_P95 = 2.0


def pages(store: str, label: str, repeats: int, only: str | None) -> dict[str, str]:
    """bench_pages.py's figures on one store, renamed with ``label``."""
    cmd = [sys.executable, str(ROOT / "bench" / "bench_pages.py"), "--db", store, "--repeats", str(repeats)]
    cmd += ["--pages", only] if only else []
    done = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT)
    return {f"{label}_{line.split(':')[0]}": line.split(":", 1)[1].strip() for line in done.stdout.splitlines()
            if ":" in line and not line.startswith("#")}  # fmt: skip


async def session(url: str, rounds: int, pages_: list[str]) -> tuple[list[float], int]:
    """One visitor: connect, then ask for each page in turn; the seconds of each answer, and failures."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    times, failures = [], 0
    ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
    try:
        async with websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=30) as ws:
            for i in range(rounds * len(pages_)):
                msg = BackMsg()
                msg.rerun_script.query_string = ""
                msg.rerun_script.page_name = pages_[i % len(pages_)]
                start = time.perf_counter()
                await ws.send(msg.SerializeToString())
                while True:
                    reply = ForwardMsg()
                    reply.ParseFromString(await asyncio.wait_for(ws.recv(), timeout=120))
                    if reply.WhichOneof("type") == "script_finished":
                        break
                times.append(time.perf_counter() - start)
    except (OSError, TimeoutError, Exception):
        failures += 1
    return times, failures


async def load(url: str, sessions: int, rounds: int, pages_: list[str]) -> tuple[list[float], int]:
    results = await asyncio.gather(*(session(url, rounds, pages_) for _ in range(sessions)))
    return [t for times, _ in results for t in times], sum(f for _, f in results)


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else (values or [float("nan")])[0]


def main() -> None:
    import pgserver
    import replicas

    from twinmap.store import transfer

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a DuckDB store (bench/bench_import.py --keep makes one)")
    parser.add_argument("--size", choices=["small"], default=None)
    parser.add_argument("--replicas", default="1,2,4")
    parser.add_argument("--sessions", default="5,10,20,40,80")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-pages", action="store_true", help="only the sessions")
    parser.add_argument("--pages", help="only these pages, by URL name (e.g. overview,map)")
    args = parser.parse_args()
    server = pgserver.start(durable=True)
    with tempfile.TemporaryDirectory() as tmp:
        try:
            store = args.db
            if store is None:
                import bench_pages

                store = bench_pages.build(Path(tmp), bench_pages.SMALL)
            dsn = server.create("bench")
            start = time.perf_counter()
            counts = transfer.copy_store(store, dsn)
            seconds = time.perf_counter() - start
            print(f"pg_copy_store: {seconds:.1f} s ({sum(counts.values())} rows)")
            if not args.no_pages:
                file = pages(str(store), "file", args.repeats, args.pages)
                pg = pages(dsn, "pg", args.repeats, args.pages)
                for key in file:
                    print(f"{key}: {file[key]}")
                    twin = "pg_" + key.removeprefix("file_")
                    print(f"{twin}: {pg.get(twin, 'n/a')}")
            for n in map(int, args.replicas.split(",")):
                run_replicas(replicas, dsn, n, [int(s) for s in args.sessions.split(",")], args.rounds)
        finally:
            server.stop()


def run_replicas(replicas, dsn: str, n: int, sessions: list[int], rounds: int) -> None:
    """Sessions at once through nginx in front of ``n`` replicas, until p95 passes the target."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {"TWINMAP_TILES": "none", "STREAMLIT_LOGGER_LEVEL": "error"}
    cluster = replicas.Cluster(dsn, n, port, 18600, env=env)
    best = 0
    try:
        cluster.wait()
        for i in range(n):  # every replica's caches warm, as on a server that has been up a while
            asyncio.run(load(f"http://127.0.0.1:{cluster.app_ports[i]}", 1, 1, ["", "map"]))
        for s in sessions:
            times, failures = asyncio.run(load(cluster.url, s, rounds, ["", "map"]))
            p50, p95 = percentile(times, 50), percentile(times, 95)
            print(f"replicas_{n}_sessions_{s}_p50: {p50:.2f} s")
            print(f"replicas_{n}_sessions_{s}_p95: {p95:.2f} s ({len(times)} responses, {failures} failed)")
            if p95 > TARGET_P95 or failures:
                break
            best = s
    finally:
        cluster.stop()
    print(f"replicas_{n}_sessions_within_{TARGET_P95:.0f}s_p95: {best} sessions ({best / n:.0f} per replica)")


if __name__ == "__main__":
    os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")
    main()
