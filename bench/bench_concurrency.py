"""Many browser sessions on the overview and the map while staff commit an import, on one app server.

    python bench/bench_concurrency.py [--db STORE.duckdb] [--sessions 20] [--rounds 4] [--rows 100000]

Starts the app (a copy of ``--db``, or a small generated store) on a free localhost port, opens
``--sessions`` Chromium sessions that each open the app and then move between the overview and
the map ``--rounds`` times (through the menu, as a reader does), and meanwhile one more session
signs in and commits an events file of ``--rows`` rows through the Data page. Printed: each
move's time from the click until the page's run has finished (median and 95th percentile),
failures (an error shown, or a page that never finishes), and whether every imported row arrived.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

CHROMIUM = "/usr/bin/chromium"
IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"


def events_file(store: Path, rows: int, out: Path) -> int:
    """An events file for partnerships the store holds (before the server opens it); the events held before."""
    import duckdb
    import numpy as np
    import pandas as pd

    con = duckdb.connect(str(store), read_only=True)
    pairs = con.execute("""SELECT h.name, h.country_code, c.name, c.country_code FROM partnerships p
                           JOIN cities h ON h.id = p.home_city_id JOIN cities c ON c.id = p.partner_city_id
                           WHERE p.status IN ('signed', 'active') ORDER BY p.id""").fetchall()  # fmt: skip
    held = con.execute("SELECT count(*) FROM events").fetchone()[0]
    con.close()
    pick = np.random.default_rng(3).integers(0, len(pairs), size=rows)
    frame = pd.DataFrame([pairs[i] for i in pick], columns=["home_city", "home_country", "partner_city",
                                                             "partner_country"])  # fmt: skip
    frame["kind"] = "festival"
    frame["title"] = [f"Concurrency festival {i}" for i in range(rows)]
    frame["starts_on"] = "2026-06-01"
    frame["status"] = "held"
    frame.to_csv(out, index=False)
    return held


def start_server(store: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "TWINMAP_DB": str(store), "TWINMAP_TILES": "none"}
    cmd = [sys.executable, "-m", "twinmap", "serve", "--server.port", str(port),
           "--server.address", "127.0.0.1", "--server.headless", "true"]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_healthy(port)
    return proc


def wait_healthy(port: int) -> None:
    """Until the server on ``port`` answers its health check (two minutes at most)."""
    for _ in range(600):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the app did not start")


TITLES = {"Overview": "Sister-city partnerships", "Map": "Partner map"}


def visitor(browser, base: str, rounds: int, times: list, failures: list) -> None:
    """One session: opens the app, then moves between the overview and the map ``rounds`` times."""
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(base, timeout=180_000)
    page.wait_for_selector("h1", timeout=180_000)
    page.wait_for_selector(IDLE, timeout=180_000)
    for i in range(rounds * 2):
        link = "Map" if i % 2 == 0 else "Overview"
        start = time.perf_counter()
        try:
            page.locator("[data-testid=stSidebarNav] a", has_text=link).first.click(timeout=120_000)
            page.wait_for_selector(f"h1:has-text('{TITLES[link]}')", timeout=120_000)
            page.wait_for_selector(IDLE, timeout=120_000)
            times.append(time.perf_counter() - start)
            if page.locator("[data-testid=stException]").count():
                failures.append(f"{link}: an error is shown")
        except Exception as err:  # a page that never finishes is a failure to count, not to stop on
            failures.append(f"{link}: {type(err).__name__}")


def importer(browser, base: str, user: str, password: str, file: Path, report: dict) -> None:
    """Staff: sign in, upload the file on the Data page, commit it."""
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{base}/account")
    page.get_by_role("textbox", name="User name").fill(user)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector("text=Signed in as", timeout=60_000)
    page.locator("[data-testid=stSidebarNav] a", has_text="Data").click()  # a new URL would be a new session
    page.wait_for_selector("h1:has-text('Data')", timeout=60_000)
    page.locator(".st-key-data_table [data-testid=stSelectbox]").click()
    page.get_by_role("option", name="Events").click()
    page.wait_for_selector(IDLE, timeout=60_000)
    start = time.perf_counter()
    commit = page.get_by_role("button", name="Commit this import")
    for attempt in range(3):  # a file chosen while the table's rerun was still on its way can be dropped: again
        page.set_input_files("input[type=file]", str(file))
        try:
            commit.wait_for(timeout=200_000)
            break
        except Exception:
            report["retries"] = attempt + 1
    commit.click(timeout=600_000)
    page.wait_for_selector("text=Committed as import #", timeout=600_000)
    report["seconds"] = time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    import bench_pages
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        store = bench_pages.store_in(tmp, args.db)
        file = tmp / "concurrent_events.csv"
        held = events_file(store, args.rows, file)
        made = subprocess.run([sys.executable, "-m", "twinmap", "password", "benchstaff", "--role", "editor"],
                              cwd=ROOT, env={**os.environ, "TWINMAP_DB": str(store)}, capture_output=True,
                              text=True, check=True)  # fmt: skip
        password = made.stdout.strip().rsplit(" ", 1)[-1]
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = start_server(store, port)
        base = f"http://127.0.0.1:{port}"
        times: list[float] = []
        failures: list[str] = []
        report: dict = {}
        try:
            _run(base, args, times, failures, report, password, file, sync_playwright)
        finally:
            server.terminate()
            server.wait(timeout=60)
        import duckdb

        con = duckdb.connect(str(store), read_only=True)
        now = con.execute("SELECT count(*) FROM events").fetchone()[0]
        con.close()
    times.sort()
    print(f"concurrency_sessions: {args.sessions} sessions ({len(times)} page loads during an import)")
    print(f"concurrency_median: {statistics.median(times):.2f} s")
    print(f"concurrency_p95: {times[int(0.95 * (len(times) - 1))]:.2f} s")
    print(f"concurrency_failures: {len(failures)} failed")
    for failure in failures[:10]:
        print(f"# {failure}")
    if "seconds" in report:
        print(f"concurrency_import: {report['seconds']:.1f} s ({args.rows} rows, upload to committed)")
        print(f"concurrency_rows_lost: {held + args.rows - now} rows")
    else:  # the staff session failed before its commit (counted above): nothing to lose, nothing half-done
        print(f"concurrency_import_not_committed: {now - held} rows (the store holds exactly what it held)")


def _run(base, args, times, failures, report, password, file, _sync_playwright) -> None:
    """The browser side: the importer and the visitors at once, each in its own thread and browser."""
    threads = [threading.Thread(target=in_browser, args=(importer, failures, base, "benchstaff", password, file,
                                                       report))]  # fmt: skip
    threads += [threading.Thread(target=in_browser, args=(visitor, failures, base, args.rounds, times, failures))
                for _ in range(args.sessions)]  # fmt: skip
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def in_browser(fn, failures: list, base: str, *rest) -> None:
    """Playwright's sync API is bound to a thread: each session gets its own driver and browser."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            fn(browser, base, *rest)
        except Exception as err:  # counted and printed, never a traceback
            failures.append(f"{fn.__name__}: {type(err).__name__}: {str(err)[:200]}")
        finally:
            browser.close()


if __name__ == "__main__":
    main()
