"""The partner map at 1,000 / 10,000 / 50,000 partnerships beside a naive folium build, in one run.

    python bench/bench_map.py [--sizes 1000,10000,50000] [--naive-max 50000] [--app-db STORE --app-visits 8]

For each size both maps are built from the same rows (bench/generate.py's cities and
partnerships) and drawn in headless Chromium from a local server with the same offline
Leaflet. The naive build is what folium's documentation suggests: one ``folium.Marker`` with a
popup and one ``folium.PolyLine`` per partnership. Printed: server build time, HTML bytes and
time from navigation until drawn, for both, and their ratios.

With ``--app-db`` the app itself is started on (a copy of) that store as ``./dev app`` starts it,
and the Map page is opened ``--app-visits`` times, each by a new visitor (a fresh browser
profile: nothing cached), timed from navigation until the map's frame has drawn its outlines.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import folium
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import generate  # noqa: E402

from twinmap.core import reference  # noqa: E402
from twinmap.views import maps  # noqa: E402
from twinmap.views.i18n import ENGLISH  # noqa: E402

CHROMIUM = "/usr/bin/chromium"


def frames(n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``n`` partnerships with the columns the map page reads, and their home cities."""
    rng = np.random.default_rng(7)
    city = generate.cities(max(200, min(20_000, int(n * 0.4)))).reset_index().rename(columns={"index": "id"})
    part = generate.partnerships(city, n, rng)
    by_key = city.set_index(["name", "country_code"])
    home = by_key.loc[list(zip(part["home_city"], part["home_country"], strict=True))].reset_index()
    other = by_key.loc[list(zip(part["partner_city"], part["partner_country"], strict=True))].reset_index()
    partners = pd.DataFrame({
        "id": np.arange(1, n + 1), "status": part["status"], "kind": part["kind"], "purpose": part["purpose"],
        "home_city_id": home["id"], "home_name": home["name"], "home_local_name": None,
        "home_country": home["country_code"], "home_lat": home["lat"], "home_lon": home["lon"],
        "partner_city_id": other["id"], "partner_name": other["name"], "partner_local_name": None,
        "partner_country": other["country_code"], "partner_lat": other["lat"], "partner_lon": other["lon"],
        "signed_on": part["signed_on"],
    })  # fmt: skip
    homes = city[city["id"].isin(partners["home_city_id"])][["id", "name", "local_name", "country_code", "lat", "lon"]]
    return partners, homes.assign(local_name=None)


def naive(partners: pd.DataFrame) -> folium.Map:
    """One Marker with a popup and one PolyLine per partnership, on the same offline Leaflet."""
    fmap = maps.base_map("none")
    for r in partners.itertuples(index=False):
        popup = (f"<b>{maps.esc(r.partner_name)}</b> ({maps.esc(r.partner_country)})<br>"
                 f"Partner of {maps.esc(r.home_name)}<br>{maps.esc(r.kind)} · {maps.esc(r.status)}<br>"
                 f"Signed: {maps.esc(r.signed_on)}<br><i>{maps.esc(r.purpose)}</i>")  # fmt: skip
        where = [r.partner_lat, r.partner_lon]
        folium.Marker(where, popup=folium.Popup(popup), tooltip=maps.esc(r.partner_name)).add_to(fmap)
        folium.PolyLine(
            [[r.home_lat, r.home_lon], [r.partner_lat, r.partner_lon]],
            color=reference.colour(reference.STATUSES, r.status),
            weight=2,
        ).add_to(fmap)
    return fmap


@contextlib.contextmanager
def serve(folder: Path):
    """A local web server for ``folder``, with the app's static files at /app/static."""
    (folder / "app").mkdir(exist_ok=True)
    link = folder / "app" / "static"
    if not link.exists():
        link.symlink_to(ROOT / "static")
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # noqa: ARG002 - the benchmark prints its own figures
        return


OURS_DRAWN = "() => { const m = document.querySelector('.leaflet-container'); return m && m.dataset.twinDrawn; }"
NAIVE_DRAWN = (
    "(n) => document.readyState === 'complete' && document.querySelectorAll('.leaflet-marker-icon').length >= n"
)


def drawn_seconds(browser, url: str, condition: str, arg: object = None, timeout_s: float = 300) -> float | None:
    """Seconds from navigation until ``condition`` holds in the page (None if it never did)."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    start = time.perf_counter()
    try:
        page.goto(url, timeout=timeout_s * 1000)
        page.wait_for_function(condition, arg=arg, timeout=timeout_s * 1000, polling=100)
        return time.perf_counter() - start
    except Exception:  # a timeout is a figure here, not a failure
        return None
    finally:
        page.close()


def measure(n: int, folder: Path, base: str, browser, with_naive: bool) -> None:
    """Build, write and draw both maps for ``n`` partnerships; print the figures."""
    partners, homes = frames(n)
    start = time.perf_counter()
    ours = maps.to_html(maps.partnership_map(partners, homes, tiles="none", tr=ENGLISH))
    built = time.perf_counter() - start
    (folder / f"ours_{n}.html").write_text(ours, encoding="utf-8")
    drawn = drawn_seconds(browser, f"{base}/ours_{n}.html", OURS_DRAWN)
    print(f"map_{n}_ours_build: {built:.2f} s")
    print(f"map_{n}_ours_bytes: {len(ours.encode())} bytes")
    print(f"map_{n}_ours_drawn: {_s(drawn)}")
    if not with_naive:
        return
    start = time.perf_counter()
    slow = maps.to_html(naive(partners))
    built = time.perf_counter() - start
    (folder / f"naive_{n}.html").write_text(slow, encoding="utf-8")
    slow_drawn = drawn_seconds(browser, f"{base}/naive_{n}.html", NAIVE_DRAWN, arg=n)
    print(f"map_{n}_naive_build: {built:.2f} s")
    print(f"map_{n}_naive_bytes: {len(slow.encode())} bytes")
    print(f"map_{n}_naive_drawn: {_s(slow_drawn)}")
    print(f"map_{n}_bytes_ratio: {len(slow.encode()) / len(ours.encode()):.1f} x")
    if drawn and slow_drawn:
        print(f"map_{n}_drawn_ratio: {slow_drawn / drawn:.1f} x")


def _s(seconds: float | None) -> str:
    return f"{seconds:.2f} s" if seconds is not None else "not drawn within 300 s"


APP_DRAWN = "[data-outlines=drawn]"


def in_the_app(browser, store: Path, visits: int, folder: Path) -> None:
    """The Map page of the running app, new visitor after new visitor, on a warm server; print the figures."""
    import bench_sessions

    copy = folder / "app.duckdb"
    shutil.copyfile(store, copy)
    seconds = []
    with bench_sessions.Server(ROOT / "app.py", copy) as server:
        for i in range(visits + 1):  # the first warms the browser itself; the server is ready already
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            start = time.perf_counter()
            page.goto(f"{server.url}/map", wait_until="commit")
            page.frame_locator("iframe").first.locator(APP_DRAWN).first.wait_for(state="attached", timeout=120_000)
            if i:
                seconds.append(time.perf_counter() - start)
            context.close()
        print(f"map_app_ready: {server.ready:.1f} s (the server's health check answered)")
    print(f"map_app_drawn_median: {statistics.median(seconds):.2f} s ({visits} new visitors, navigation to drawn)")
    print(f"map_app_drawn_range: {min(seconds):.2f} s to {max(seconds):.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--naive-max", type=int, default=50_000, help="largest size also built the naive way")
    parser.add_argument("--app-db", type=Path, help="also time the app's Map page on this store (copied)")
    parser.add_argument("--app-visits", type=int, default=8)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, serve(Path(tmp)) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        (Path(tmp) / "warm.html").write_text(maps.to_html(maps.base_map("none")), encoding="utf-8")
        drawn_seconds(browser, f"{base}/warm.html", "() => document.readyState === 'complete'")  # browser start-up
        for n in (int(s) for s in args.sizes.split(",") if s):
            measure(n, Path(tmp), base, browser, n <= args.naive_max)
        if args.app_db:
            in_the_app(browser, args.app_db, args.app_visits, Path(tmp))
        browser.close()


if __name__ == "__main__":
    main()
