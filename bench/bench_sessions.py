"""Capacity of one app server, beside what Streamlit itself costs: websocket sessions, a bare app in the same run.

    python bench/bench_sessions.py --db STORE.duckdb   # the full store of bench/bench_import.py --keep
    python bench/bench_sessions.py --size small        # a small generated store (what the tests run)

Every figure is a websocket client speaking Streamlit's own protocol (``bench/stclient.py``): the
seconds from asking for a page until Streamlit's "script finished". The **floor** is a bare
one-line Streamlit app measured the same way in the same run, so the figures can be read as
multiples of what Streamlit costs on this machine today.

- first answers: a fresh server for each page, started as ``./dev app`` starts it (``python -m
  twinmap serve``: every page opened once before the port opens; ``--plain``: a bare ``streamlit
  run app.py``); its first visitor's answer (signed out, then signed in as an admin on another
  fresh server: the sign-in itself is not counted), and the seconds until it was ready;
- warm: three more visitors on that server (new sessions), the median;
- ten sessions: ten visitors at once, each cycling overview, map, timeline and register
  ``--rounds`` times, p50 and p95; the floor's ten sessions ask for the bare app as often;
- during an import: the same ten readers while an editor (a headless Chromium, as a person would)
  commits ``--rows`` events through the Data page; p95, failures, and the rows that arrived.

Printed as ``sessions_<what>: x s``; ``# `` lines are notes.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import stclient  # noqa: E402 - beside this script

CYCLE = ["", "map", "timeline", "register"]  # what each of the ten readers moves through ("" is the overview)
FLOOR_APP = 'import streamlit as st\n\nst.write("floor")\n'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A Streamlit server on a free localhost port, for as long as the ``with`` lasts.

    The app runs as ``./dev app`` runs it (``python -m twinmap serve``: every page opened once
    before the port opens); with ``plain`` (or ``--plain``) as a bare ``streamlit run app.py``.
    ``ready`` is the seconds from starting the process until its health check answers.
    """

    plain = False  # --plain: every app server of the run is a bare ``streamlit run``

    def __init__(self, script: Path, store: Path | None) -> None:
        self.script, self.store, self.port = script, store, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.ready = 0.0

    def __enter__(self) -> Server:
        import bench_concurrency

        env = {**os.environ, "TWINMAP_TILES": "none", "STREAMLIT_LOGGER_LEVEL": "error"}
        if self.store is not None:
            env["TWINMAP_DB"] = str(self.store)
        app = self.store is not None and not self.plain
        run = ["twinmap", "serve"] if app else ["streamlit", "run", str(self.script)]
        cmd = [sys.executable, "-m", *run, "--server.port", str(self.port), "--server.address", "127.0.0.1",
               "--server.headless", "true"]  # fmt: skip
        cwd = ROOT if self.store is not None else self.script.parent  # the floor: in its own folder, its own config
        began = time.perf_counter()
        self.proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        bench_concurrency.wait_healthy(self.port)
        self.ready = time.perf_counter() - began
        return self

    def __exit__(self, *exc) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=60)


async def visit(url: str, page: str, sign_in: tuple[str, str] | None = None, query: str = "") -> stclient.Answer:
    """A new visitor's answer for ``page`` (signed in first when asked)."""
    async with stclient.Session(url) as s:
        if sign_in:
            await s.sign_in(*sign_in)
        answer = await s.ask(page, query=query)
    if answer.exception:
        raise SystemExit(f"{page or 'overview'}: the page drew an error: {answer.exception}")
    return answer


def floors(tmp: Path) -> Path:
    """The bare app twice: with Streamlit's defaults, and with our server settings (the floor compared with)."""
    for name in ("defaults", "ours"):
        (tmp / name).mkdir()
        (tmp / name / "floor.py").write_text(FLOOR_APP)
    (tmp / "ours" / ".streamlit").mkdir()
    shutil.copy(ROOT / ".streamlit" / "config.toml", tmp / "ours" / ".streamlit" / "config.toml")
    return tmp / "ours" / "floor.py"


def first_and_warm(script: Path, store: Path | None, page: str, sign_in=None, query: str = "") -> tuple:
    """(first answer, median warm seconds, bytes to a new visitor, seconds until the server was ready) of ``page``."""
    with Server(script, store) as server:
        first = asyncio.run(visit(server.url, page, sign_in, query))
        warm = [asyncio.run(visit(server.url, page, sign_in, query)) for _ in range(3)]
    return first, statistics.median(a.seconds for a in warm), warm[0].bytes, server.ready


async def reader(url: str, pages: list[str], rounds: int, until: threading.Event | None) -> tuple[list[float], int]:
    """One of the readers: cycles ``pages``; the seconds of each answer and the failures."""
    times, failures, i = [], 0, 0
    try:
        async with stclient.Session(url) as s:
            while i < rounds * len(pages) or (until is not None and not until.is_set()):
                answer = await s.ask(pages[i % len(pages)])
                times.append(answer.seconds)
                failures += answer.exception is not None
                i += 1
    except Exception:  # a dropped or timed-out session is a failure to count, not to stop on
        failures += 1
    return times, failures


def many(url: str, sessions: int, pages: list[str], rounds: int, until=None) -> tuple[list[float], int]:
    async def run() -> list:
        return await asyncio.gather(*(reader(url, pages, rounds, until) for _ in range(sessions)))

    results = asyncio.run(run())
    return [t for times, _ in results for t in times], sum(f for _, f in results)


def p(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else (values or [float("nan")])[0]


def account(store: Path, name: str, role: str) -> str:
    """A user made with the command line, as an admin would; their password."""
    cmd = [sys.executable, "-m", "twinmap", "password", name, "--role", role]
    env = {**os.environ, "TWINMAP_DB": str(store)}
    made = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return made.stdout.strip().rsplit(" ", 1)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a DuckDB store (bench/bench_import.py --keep makes one); copied")
    parser.add_argument("--size", choices=["small"], default=None)
    parser.add_argument("--pages", help="only these pages' first and warm answers, by URL name (e.g. overview,map)")
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rows", type=int, default=100_000, help="events the editor commits (0: no import)")
    parser.add_argument(
        "--after",
        type=float,
        default=20.0,
        help="seconds the readers keep reading after the commit (the new version's reads made)",
    )
    parser.add_argument("--no-admin", action="store_true", help="signed out only")
    parser.add_argument("--plain", action="store_true", help="app servers as a bare streamlit run app.py (unprepared)")
    args = parser.parse_args()
    Server.plain = args.plain
    import bench_pages

    from twinmap.ui.pages import PAGES

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        store = bench_pages.store_in(tmp, args.db)
        floor = floors(tmp)
        app = ROOT / "app.py"
        admin = ("benchadmin", account(store, "benchadmin", "admin"))

        first, floor_w, *_ = first_and_warm(floor.parent.parent / "defaults" / floor.name, None, "")
        print(f"sessions_floor_defaults_warm: {floor_w:.3f} s (Streamlit's default settings)")
        first, floor_w, *_ = first_and_warm(floor, None, "")
        print(f"sessions_floor_first: {first.seconds:.3f} s")
        print(f"sessions_floor_warm: {floor_w:.3f} s (with twinmap's .streamlit/config.toml)")
        wanted = args.pages.split(",") if args.pages else None
        for page in [*PAGES, None]:
            url = "kiosk" if page is None else page.url
            if (wanted and url not in wanted) or url in ("account",):
                continue
            name, query = ("", "") if page is not None and page.url == "overview" else (url, "")
            if page is None:
                name, query = "", "kiosk=1"
            public = page is None or page.role is None
            roles = ([None] if public else []) + ([] if args.no_admin or page is None else [admin])
            for who in roles:
                label = f"sessions_{'admin_' if who else ''}page_{url}"
                first, warm, size, ready = first_and_warm(app, store, name, who, query)
                print(f"{label}_first: {first.seconds:.2f} s (the server answered its health check {ready:.1f} s "
                      "after it started)")  # fmt: skip
                print(f"{label}_warm: {warm:.3f} s ({warm / floor_w:.1f}x the floor; {size:,} bytes to a new visitor)")

        ten(app, floor, store, args)


def ten(app: Path, floor: Path, store: Path, args) -> None:
    """Ten readers at once on one server, idle and while an editor commits an import; the floor's ten beside."""
    import duckdb

    with Server(floor.parent.parent / "defaults" / floor.name, None) as server:
        asyncio.run(visit(server.url, ""))
        times, failures = many(server.url, args.sessions, [""] * len(CYCLE), args.rounds)
    print(f"sessions_floor_defaults_{args.sessions}_p95: {p(times, 95):.3f} s (Streamlit's default settings)")
    with Server(floor, None) as server:
        asyncio.run(visit(server.url, ""))
        times, failures = many(server.url, args.sessions, [""] * len(CYCLE), args.rounds)
    floor_p95 = p(times, 95)
    print(f"sessions_floor_{args.sessions}_p50: {p(times, 50):.3f} s")
    print(f"sessions_floor_{args.sessions}_p95: {floor_p95:.3f} s ({len(times)} answers, {failures} failed)")
    file = store.parent / "concurrent_events.csv"
    if args.rows:
        import bench_concurrency

        held = bench_concurrency.events_file(store, args.rows, file)
        password = account(store, "benchstaff", "editor")
    with Server(app, store) as server:
        for page in CYCLE:  # the server has been up a while: every page of the cycle asked for once
            asyncio.run(visit(server.url, page))
        times, failures = many(server.url, args.sessions, CYCLE, args.rounds)
        idle = p(times, 95)
        print(f"sessions_{args.sessions}_p50: {p(times, 50):.3f} s")
        print(f"sessions_{args.sessions}_p95: {idle:.3f} s ({len(times)} answers, {failures} failed; "
              f"{idle / floor_p95:.1f}x the floor)")  # fmt: skip
        if args.rows:
            during(server.url, args, file, password, floor_p95)
    if args.rows:
        con = duckdb.connect(str(store), read_only=True)
        now = con.execute("SELECT count(*) FROM events").fetchone()[0]
        con.close()
        print(f"sessions_import_rows_lost: {held + args.rows - now} rows")


def during(url: str, args, file: Path, password: str, floor_p95: float) -> None:
    """The readers while the editor's import runs (they keep cycling until it has committed)."""
    import bench_concurrency

    report: dict = {}
    problems: list[str] = []
    done = threading.Event()

    def editor() -> None:
        bench_concurrency.in_browser(bench_concurrency.importer, problems, url, "benchstaff", password, file, report)
        done.set()

    thread = threading.Thread(target=editor)
    thread.start()
    times, failures = many(url, args.sessions, CYCLE, 1, until=done)
    thread.join()
    worst = p(times, 95)
    print(f"sessions_import_{args.sessions}_p50: {p(times, 50):.3f} s")
    print(f"sessions_import_{args.sessions}_p95: {worst:.3f} s ({len(times)} answers, {failures} failed; "
          f"{worst / floor_p95:.1f}x the floor)")  # fmt: skip
    for problem in problems:
        print(f"# editor: {problem}")
    if report.get("retries"):
        print(f"# editor: the file was chosen again {report['retries']} time(s): the preview did not come")
    if "seconds" in report:
        print(f"sessions_import_seconds: {report['seconds']:.1f} s ({args.rows} rows, upload to committed)")
    if args.after:  # after the commit: the pages' reads of the new version are made again (and the finder's model)
        over = threading.Event()
        threading.Timer(args.after, over.set).start()
        times, failures = many(url, args.sessions, CYCLE, 0, until=over)
        print(f"sessions_after_import_{args.sessions}_p50: {p(times, 50):.3f} s")
        print(
            f"sessions_after_import_{args.sessions}_p95: {p(times, 95):.3f} s ({len(times)} answers, {failures} "
            f"failed, in the {args.after:.0f} s after the commit; max {max(times, default=float('nan')):.2f} s)"
        )


if __name__ == "__main__":
    os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")
    main()
