"""Screenshots of every page in every language at two widths, and of every kiosk slide, to look at.

    python scripts/screenshots.py OUT_DIR [--db STORE] [--widths 1280,1920] [--langs en,ru,fa]

Starts the app on localhost (a throw-away store built from the shipped data unless ``--db`` names
one), signs in as an admin, opens each page from the menu and saves ``OUT_DIR/<lang>-<width>-<page>.png``
(the whole page); then runs the kiosk in each language on a 1920x1080 screen and saves one
picture per slide, ``OUT_DIR/kiosk-<lang>-<NN>.png``. Every request leaving localhost is refused.
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
sys.path.insert(0, str(ROOT))

from twinmap.ui import pages  # noqa: E402
from twinmap.views import i18n, kiosk  # noqa: E402

PASSWORD = "screenshots admin password"  # noqa: S105 - a throw-away store on localhost
IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"


def free_port() -> int:
    """A free localhost port for the app."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(db: str, port: int, today: str | None) -> subprocess.Popen:
    """The app on localhost, waited for until it answers."""
    env = {**os.environ, "TWINMAP_DB": db, "TWINMAP_ADMIN_PASSWORD": PASSWORD}
    if today:
        env["TWINMAP_TODAY"] = today
    cmd = [sys.executable, "-m", "twinmap", "serve", "--server.port", str(port),
           "--server.address", "127.0.0.1", "--server.headless", "true"]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)  # noqa: S603
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
            return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("the app did not start")


def offline(context) -> None:
    """Refuse every request that leaves localhost, as the kiosk must live without the internet."""
    local = ("http://127.0.0.1", "http://localhost", "data:", "blob:")
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(local) else r.abort())


def settle(page, extra_ms: int = 1500) -> None:
    """Wait until the script run has finished and maps had a moment to draw."""
    page.wait_for_selector(IDLE, state="attached", timeout=120_000)
    page.wait_for_timeout(extra_ms)


def whole(page, path: Path, width: int) -> None:
    """The whole page: Streamlit scrolls inside its main area, so the window is made as tall as it."""
    tall = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": width, "height": min(max(1000, tall), 8000)})
    page.wait_for_timeout(2500)  # tables and charts lay themselves out again at the new size
    page.screenshot(path=str(path))
    page.set_viewport_size({"width": width, "height": 1000})


def shoot_pages(browser, url: str, out: Path, lang: str, width: int) -> None:
    """Every page of an admin's menu in one language at one width."""
    context = browser.new_context(viewport={"width": width, "height": 1000})
    offline(context)
    page = context.new_page()
    page.goto(f"{url}/account?lang={lang}")
    settle(page, 500)
    page.locator(".st-key-account_name input").fill("admin")
    page.locator(".st-key-account_password input").fill(PASSWORD)
    page.locator(".st-key-account_password input").press("Enter")
    page.wait_for_selector("[data-testid=stSidebarNav] a >> nth=8", timeout=60_000)  # the staff pages appear
    settle(page)
    tr = i18n.Translator(lang)
    for p in pages.PAGES:
        title = tr(p.title_signed_in or p.title)
        page.locator("[data-testid=stSidebarNav] a", has_text=title).first.click()
        settle(page, 3000)
        name = f"{lang}-{width}-{p.url}.png"
        whole(page, out / name, width)
        print(f"wrote {name}")
    context.close()


def shoot_kiosk(browser, url: str, out: Path, lang: str, seconds: int) -> None:
    """One picture per kiosk slide of a whole rotation, on a 1920x1080 screen."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    offline(context)
    page = context.new_page()
    total, n = 1, 0
    while n < total:  # each slide pinned through ?start=, so every one is drawn and waited for
        page.goto(f"{url}/?kiosk=1&lang={lang}&seconds={kiosk.MAX_SECONDS}&start={n}")
        page.wait_for_selector(f".tm-progress[data-slot='{n}']", state="attached", timeout=60_000)
        settle(page, seconds * 1000)
        total = int(page.locator(".tm-progress").first.get_attribute("data-slots") or 1)
        name = f"kiosk-{lang}-{n:02d}.png"
        page.screenshot(path=str(out / name))
        print(f"wrote {name}")
        n += 1
    context.close()


def main() -> None:
    """Read the arguments, start the app, take the pictures, stop the app."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--db", help="a store to show (default: a fresh one from the shipped data)")
    parser.add_argument("--widths", default="1280,1920")
    parser.add_argument("--langs", default="en,ru,fa")
    parser.add_argument("--today", help="the date the app takes as today (YYYY-MM-DD)")
    parser.add_argument("--kiosk-seconds", type=int, default=4, help="how long to let each slide draw")
    parser.add_argument("--no-kiosk", action="store_true")
    parser.add_argument("--no-pages", action="store_true")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        proc = start(args.db or str(Path(tmp) / "twinmap.duckdb"), port, args.today)
        url = f"http://127.0.0.1:{port}"
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
                for lang in args.langs.split(","):
                    for width in () if args.no_pages else map(int, args.widths.split(",")):
                        shoot_pages(browser, url, args.out, lang, width)
                    if not args.no_kiosk:
                        shoot_kiosk(browser, url, args.out, lang, args.kiosk_seconds)
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=20)


if __name__ == "__main__":
    main()
