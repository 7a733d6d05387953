"""Does a kiosk stay flat over a long rotation? Server and browser memory at the start and end.

Run by hand: ``./dev bench`` or ``python bench/bench_kiosk.py --slides 300 --seconds 2``. Starts the
app on a free localhost port with a copy of the shipped data, opens the kiosk in Debian's Chromium
(no network), lets it rotate, and prints the server's resident memory and the page's JavaScript
heap after warm-up and at the end.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--slides", type=int, default=150)
    parser.add_argument("--seconds", type=int, default=2)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    tmp = tempfile.mkdtemp()
    env = {**os.environ, "TWINMAP_DB": f"{tmp}/kiosk.duckdb", "TWINMAP_TILES": "none"}
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
    ]
    server = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(url) else r.abort())
            cdp = page.context.new_cdp_session(page)
            cdp.send("Performance.enable")

            def heap_mb() -> float:
                cdp.send("HeapProfiler.collectGarbage")
                metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
                return metrics["JSHeapUsedSize"] / 1e6

            page.goto(f"{url}/?kiosk=1&seconds={args.seconds}")
            page.wait_for_timeout(10 * args.seconds * 1000)  # warm-up: caches filled, every slide kind seen
            start = (rss_mb(server.pid), heap_mb(), time.time())
            print(f"kiosk_server_rss_after_warm_up: {start[0]:.1f} MB")
            print(f"kiosk_page_heap_after_warm_up: {start[1]:.1f} MB")
            for _ in range(args.slides):  # short waits: the page keeps being served between them
                page.wait_for_timeout(args.seconds * 1000)
            end = (rss_mb(server.pid), heap_mb(), time.time())
            print(f"kiosk_server_rss_change: {end[0] - start[0]:+.1f} MB (over {args.slides} slides)")
            print(f"kiosk_page_heap_change: {end[1] - start[1]:+.1f} MB (over {end[2] - start[2]:.0f} s)")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
