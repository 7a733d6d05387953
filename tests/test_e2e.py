"""End-to-end: the real app in Debian's Chromium, with every non-localhost request refused.

Starts ``python -m twinmap serve`` (the app as ``./dev app`` runs it) on a free localhost port with a database path that does not
exist yet, so the first-start build is exercised too. Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import http.client
import itertools
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .conftest import CHROMIUM, ROOT, TODAY

ADMIN_PASSWORD = "e2e admin password"
ARTIFACTS = ROOT / "test-artifacts"
SERVED: dict[str, str] = {}  # the module's server's store

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def started(proc: subprocess.Popen, url: str, seconds: float = 120) -> None:
    """Wait for the server's health check (the first start builds the store and opens every page), or fail."""
    deadline = time.time() + seconds
    while time.time() < deadline and proc.poll() is None:
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
            return
        except OSError:
            time.sleep(0.3)
    proc.kill()
    out = proc.stdout.read() if proc.stdout else ""
    pytest.fail(f"the app did not start: {(out.decode() if isinstance(out, bytes) else out)[-2000:]}")


@pytest.fixture(scope="module")
def server(tmp_path_factory, shipped_db):
    """The app on a copy of the shipped store (built once per test process: test_serve builds one on a first start)."""
    port = _free_port()
    SERVED["db"] = str(tmp_path_factory.mktemp("e2e") / "twinmap.duckdb")
    shutil.copy(shipped_db, SERVED["db"])
    env = {
        **os.environ,
        "TWINMAP_DB": SERVED["db"],
        "TWINMAP_TODAY": TODAY.isoformat(),
        "TWINMAP_TILES": "osm",  # tiles are refused below: the outlines must carry the map
        "TWINMAP_ADMIN_PASSWORD": ADMIN_PASSWORD,
    }
    cmd = [
        sys.executable,
        "-m",
        "twinmap",
        "serve",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
    ]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    started(proc, url)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    outside: list[str] = []

    def offline(route):
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "http://localhost", "data:", "blob:")):
            return route.continue_()
        outside.append(url)
        return route.abort()

    context.route("**/*", offline)
    pg = context.new_page()
    pg.outside_requests = outside
    yield pg
    context.close()


def _map_frame(page):
    page.wait_for_selector('iframe[title="streamlit_folium.st_folium"]', timeout=60_000)
    for _ in range(100):
        frame = next((f for f in page.frames if "streamlit_folium" in f.url), None)
        if frame:
            return frame
        page.wait_for_timeout(100)
    raise AssertionError("no map frame")


DRAWN = "() => window.map && document.querySelector('[data-outlines=drawn]')"


def _wait_for_drawn_map(page, attempts: int = 6) -> None:
    """Wait until a map frame has drawn Leaflet and the outlines; a kiosk may swap the frame meanwhile."""
    from playwright.sync_api import Error

    for _ in range(attempts):
        try:
            _map_frame(page).wait_for_function(DRAWN, timeout=15_000)
            return
        except Error as err:  # the slide changed and took the frame with it: look again
            if "detached" not in str(err) and "Timeout" not in str(err):
                raise
    raise AssertionError("no map frame finished drawing")


CITY_MARKERS = """() => { let n = 0; window.map.eachLayer(l => {
    if (l.feature && l.feature.properties.city_id && l._point) n++; });
    return n; }"""


def test_map_page_draws_one_marker_per_partner_offline_and_shows_details_on_click(server, page):
    page.goto(f"{server}/map")
    page.wait_for_selector("text=partnerships shown", timeout=60_000)
    caption = page.locator("text=partnerships shown").first.inner_text()
    shown = int(caption.split()[0])
    frame = _map_frame(page)
    frame.wait_for_function("() => window.map && document.querySelector('[data-outlines=drawn]')", timeout=30_000)
    frame.wait_for_function("() => window.map.getContainer().dataset.twinDrawn", timeout=30_000)
    assert shown == 12
    # A dozen partnerships: every city drawn as itself (no clusters), one arc per partnership.
    drawn = frame.evaluate("() => Object.assign({}, window.map.getContainer().dataset)")
    assert drawn["twinClusters"] == "0" and drawn["twinArcs"] == "12"
    assert frame.evaluate(CITY_MARKERS) == int(drawn["twinCities"]) >= 12
    # The page ran inside app.py's frame: its navigation, not Streamlit's automatic page list.
    links = [t.splitlines()[-1] for t in page.locator("[data-testid=stSidebarNav] a").all_inner_texts()]
    assert links == ["Overview", "Map", "Timeline", "Tourism", "Register", "Pipeline", "Network", "Sign in"]

    # Click Astrakhan's marker and read its card beside the map.
    xy = frame.evaluate(
        """() => { let p = null; window.map.eachLayer(l => { if (l.feature && l.feature.properties.city_id
             && l.getTooltip().getContent().startsWith('Astrakhan')) p = window.map.latLngToContainerPoint(l.getLatLng()); });
             return [p.x, p.y]; }"""
    )
    box = page.locator('iframe[title="streamlit_folium.st_folium"]').bounding_box()
    page.mouse.click(box["x"] + xy[0], box["y"] + xy[1])
    page.wait_for_selector("h3:has-text('Astrakhan')", timeout=30_000)
    # The signing month as the source gave it (a Jalali month), never an invented day.
    assert page.locator("p:has-text('Signed:')").first.inner_text() == "Signed: April–May 2014"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "map.png"), full_page=True)
    assert {u.split("/")[2] for u in page.outside_requests} <= {"tile.openstreetmap.org"}


@pytest.mark.parametrize("path", ["", "timeline", "tourism"])
def test_pages_render_offline_with_their_charts(server, page, path):
    page.goto(f"{server}/{path}")
    page.wait_for_selector("h1", timeout=60_000)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    assert page.locator("[data-testid=stException]").count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{path or 'overview'}.png"), full_page=True)
    assert {u.split("/")[2] for u in page.outside_requests} <= {"tile.openstreetmap.org"}


def test_staff_sign_in_and_import_a_file_through_the_data_page(server, page):
    _sign_in(server, page)
    page.locator("[data-testid=stSidebarNav] a", has_text="Data").click()
    page.wait_for_selector("h1:has-text('Data')", timeout=30_000)
    # The uploader's button speaks our words (Streamlit's own are hidden by test ids it may rename)...
    after = "(b) => getComputedStyle(b, '::after').content"
    browse = page.locator("[data-testid=stFileUploaderDropzone] button")
    browse.wait_for(timeout=30_000)
    _idle(page)
    assert browse.count() == 1 and browse.evaluate(after) == '"Choose a file"'
    page.set_input_files("input[type=file]", str(ROOT / "tests/fixtures/import/cities_utf8.csv"))
    page.wait_for_selector("[data-testid=stMetricValue]:has-text('2')", timeout=30_000)
    # ... and a chosen file's remove and add buttons keep theirs.
    chip = page.locator("[data-testid=stFileUploaderDropzone] button")
    assert chip.count() >= 1 and all(chip.nth(i).evaluate(after) in ("none", "normal") for i in range(chip.count()))
    page.get_by_role("button", name="Commit this import").click()
    page.wait_for_selector("text=Committed as import #", timeout=30_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "data-import.png"), full_page=True)


def test_kiosk_in_persian_offline_is_right_to_left_and_draws_the_map(server, page):
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{server}/?kiosk=1&lang=fa&seconds=3")
    page.wait_for_selector("h1", timeout=60_000)
    # The right-to-left stylesheet arrives with the page's elements, possibly just after the title.
    rtl = "getComputedStyle(document.querySelector('[data-testid=stAppViewContainer]')).direction === 'rtl'"
    page.wait_for_function(f"() => {rtl}", timeout=30_000)
    assert page.locator("[data-testid=stSidebar]:visible").count() == 0
    assert page.locator("input, textarea, select").count() == 0
    # Within three slides the partner map comes round: Leaflet and the offline outlines draw.
    _wait_for_drawn_map(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "kiosk-fa.png"))
    assert page.locator("[data-testid=stException]").count() == 0
    assert {u.split("/")[2] for u in page.outside_requests} <= {"tile.openstreetmap.org"}


def _sign_in(server, page, name="admin", password=ADMIN_PASSWORD):
    page.goto(f"{server}/account")
    page.get_by_role("textbox", name="User name").fill(name)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector("text=Signed in as", timeout=30_000)


def test_a_sign_in_lasts_across_a_reload_and_a_new_tab_and_ends_on_sign_out_everywhere(server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    _sign_in(server, page)
    deadline = time.time() + 20
    while not [c for c in context.cookies() if c["name"] == "twinmap_signin"] and time.time() < deadline:
        page.wait_for_timeout(200)
    (cookie,) = [c for c in context.cookies() if c["name"] == "twinmap_signin"]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"  # no script of the page can read it
    assert 8 * 3600 < cookie["expires"] - time.time() <= 9 * 3600  # a working day
    assert page.evaluate("document.cookie").find("twinmap_signin") == -1
    page.reload()
    page.wait_for_selector("text=Signed in as", timeout=30_000)  # the reload is still signed in
    other = context.new_page()
    other.goto(f"{server}/users")  # a bookmark of an admin's page, in a new tab
    other.wait_for_selector("h1:has-text('Users')", timeout=30_000)
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_selector(".st-key-account_name input", timeout=30_000)
    other.reload()
    other.wait_for_selector("text=This page is for signed-in staff", timeout=30_000)  # ended in every tab
    page.reload()
    page.wait_for_selector(".st-key-account_name input", timeout=30_000)
    assert page.locator("text=Signed in as").count() == 0
    context.close()


IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"


def _idle(page) -> None:
    """Wait until the script run has finished (Streamlit marks its app root), instead of a fixed pause."""
    page.wait_for_selector(IDLE, state="attached", timeout=60_000)


def _said_anew(page, click, words: str, timeout: int = 60_000) -> str:
    """Click, then wait for a new message holding ``words`` and the run's end; the message's text.

    A message an earlier click left (say "Stored as import #5") is still drawn while the next
    run begins, and that run may not have begun yet: waiting for the words alone would go on
    before the new run has committed anything.
    """
    said = page.locator("[data-testid=stAlert]").filter(has_text=words)
    before = said.first.inner_text() if said.count() else ""
    click()
    page.wait_for_function(
        """([words, before, idle]) => {
            const said = [...document.querySelectorAll('[data-testid=stAlert]')].map(e => e.innerText)
                .filter(t => t.includes(words));
            return said.length > 0 && !said.includes(before) && document.querySelector(idle) !== null;
        }""",
        arg=[words, before, IDLE],
        timeout=timeout,
    )
    return said.first.inner_text()


def _open(page, link: str, heading: str) -> None:
    page.locator("[data-testid=stSidebarNav] a", has_text=link).first.click()
    page.wait_for_selector(f"h1:has-text('{heading}')", timeout=60_000)
    _idle(page)
    assert page.locator("[data-testid=stException]").count() == 0


def test_the_head_of_unit_sees_what_lives_what_is_dying_and_why(server, page):
    page.set_viewport_size({"width": 1440, "height": 1000})
    _sign_in(server, page)
    _open(page, "Overview", "Sister-city partnerships")
    page.wait_for_selector("h2:has-text('What needs attention')", timeout=30_000)
    page.wait_for_selector("text=Dying or at risk, and why", timeout=30_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "overview-attention.png"), full_page=True)
    _open(page, "Register", "Partnership register")
    page.screenshot(path=str(ARTIFACTS / "register.png"), full_page=True)
    _open(page, "Pipeline", "Lifecycle pipeline")
    assert page.locator("text=Sari – Lankaran").count() == 1  # staff see the candidate on the board
    page.screenshot(path=str(ARTIFACTS / "pipeline.png"), full_page=True)
    _open(page, "Network", "Twinning network")
    _wait_for_drawn_map(page)
    page.screenshot(path=str(ARTIFACTS / "network.png"), full_page=True)
    _open(page, "Partner finder", "Partner finder")
    _wait_for_drawn_map(page)
    page.screenshot(path=str(ARTIFACTS / "finder.png"), full_page=True)
    assert {u.split("/")[2] for u in page.outside_requests} <= {"tile.openstreetmap.org"}


def test_a_chart_downloads_as_png_and_events_as_a_calendar_offline(server, page):
    page.goto(f"{server}/timeline")
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    page.locator(".js-plotly-plot").first.hover()
    with page.expect_download(timeout=30_000) as png:
        page.locator(".js-plotly-plot .modebar-btn[data-title='Download plot as a PNG']").first.click()
    assert png.value.suggested_filename == "timeline_chart.png"
    assert Path(png.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with page.expect_download(timeout=30_000) as cal:
        page.get_by_role("button", name="Add these events to a calendar (.ics)").click()
    assert Path(cal.value.path()).read_bytes().startswith(b"BEGIN:VCALENDAR")
    with page.expect_download(timeout=30_000) as table:  # a shown table, made only when asked for
        page.locator("[data-testid=stDownloadButton] button", has_text="CSV").first.click()
    assert table.value.suggested_filename == "upcoming-events.csv"
    assert Path(table.value.path()).read_text(encoding="utf-8-sig").startswith("Date,Event,Kind,Partnership")


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
def test_a_visitor_downloads_the_public_annual_report_in_persian_from_the_overview(server, page, tmp_path):
    page.goto(f"{server}/?lang=fa")
    page.wait_for_selector("h1", timeout=60_000)
    page.get_by_text("گزارش سالانه برای شورا (PDF)").click()
    page.locator(".st-key-report_download button").wait_for(timeout=60_000)
    _idle(page)  # a click while the page still runs can be lost with the redraw
    with page.expect_download(timeout=120_000) as pdf:  # typeset on the server: a minute on a loaded machine
        page.locator(".st-key-report_download button").click()
    assert pdf.value.suggested_filename == "twinmap-report-1405-public-fa.pdf"
    path = tmp_path / "report.pdf"
    pdf.value.save_as(path)
    assert path.read_bytes()[:5] == b"%PDF-"
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "۱۴۰۵" in text and "Negotiating" not in text and "مذاکره" not in text  # the public version


def test_staff_map_the_columns_of_a_foreign_pair_list_and_commit_it(server, page, tmp_path):
    pairs = tmp_path / "twin-towns.csv"
    pairs.write_text(
        "city1,country1,lat1,lng1,city2,country2,lat2,lng2\n"
        "Sari,Iran,36.56,53.06,Kutaisi,Georgia,42.27,42.70\n"
        "Ploumanach,France,48.83,-3.48,Tobermory,United Kingdom,56.62,-6.07\n",
        encoding="utf-8",
    )
    _sign_in(server, page)
    page.locator("[data-testid=stSidebarNav] a", has_text="Data").click()
    page.wait_for_selector("h1:has-text('Data')", timeout=30_000)
    page.locator("[data-testid=stSelectbox]", has_text="Table").first.click()
    page.get_by_role("option", name="Partnerships", exact=True).click()
    _idle(page)
    page.set_input_files("input[type=file]", str(pairs))
    page.wait_for_selector("text=do not name every column the template needs", timeout=30_000)
    # Each column shows a sample and the guess; the pair list splits into partnerships and ties.
    page.wait_for_selector("[data-testid=stSelectbox]:has-text('city1 (e.g. Sari)')", timeout=30_000)
    box = page.locator("[data-testid=stSelectbox]", has_text="city1 (e.g. Sari)")
    assert box.locator("input").first.input_value() == "home_city"
    page.wait_for_selector('h3:has-text("Other cities\' ties")', timeout=30_000)
    _idle(page)
    page.get_by_role("button", name="Commit this import").click()
    page.wait_for_function("() => document.body.innerText.split('Committed as import #').length === 3", timeout=30_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "data-mapping.png"), full_page=True)
    assert page.locator("[data-testid=stException]").count() == 0


def test_every_page_answers_at_its_own_url(server, page):
    """A bookmark or a shared link of any page opens that page, the home page's own URL included."""
    from twinmap.ui import pages

    for p in pages.PAGES:
        page.goto(f"{server}/{p.url}")
        _idle(page)
        assert page.locator("text=Page not found").count() == 0, p.url
        if p.role is None:
            assert page.locator("h1").count() >= 1, p.url
        else:  # signed out: the page says who may see it
            assert page.locator("text=This page is for signed-in staff").count() == 1, p.url
    page.goto(f"{server}/overview")
    page.wait_for_selector("h1:has-text('Sister-city partnerships')", timeout=30_000)


# Text a reader cannot read whole: a heading, button, figure, tab or caption whose text is cut
# (an ellipsis, or clipped by its box), and a chart title under plotly's toolbar. Hidden ones
# (a closed tab or expander) are not read.
CUT = """() => {
    const out = [];
    const sel = "h1, h2, h3, button, [data-testid=stMetricValue], [data-testid=stMetricLabel], "
        + "[data-testid=stCaptionContainer], [data-baseweb=tab]";
    for (const el of document.querySelectorAll(sel)) {
        const box = el.getBoundingClientRect();
        if (!box.width || !box.height || !el.innerText.trim()) continue;
        for (const t of [el, ...el.querySelectorAll("*")]) {
            const style = getComputedStyle(t);
            const clips = style.overflowX !== "visible" || style.textOverflow === "ellipsis";
            if (clips && t.scrollWidth > t.clientWidth + 1 && t.innerText.trim()) {
                out.push(["cut", el.innerText.trim().slice(0, 60)]);
                break;
            }
        }
    }
    for (const plot of document.querySelectorAll(".js-plotly-plot")) {
        const title = plot.querySelector(".gtitle"), bar = plot.querySelector(".modebar");
        if (!title || !bar) continue;
        const a = title.getBoundingClientRect(), b = bar.getBoundingClientRect();
        if (a.width && b.width && a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) {
            out.push(["under the chart toolbar", title.textContent.slice(0, 60)]);
        }
    }
    return out;
}"""

KIOSK_TYPE = """() => {
  const main = document.querySelector('[data-testid=stMain]'), small = [], outside = [];
  const texts = main.querySelectorAll('p, li, h1, h2, h3, [data-testid=stMetricValue], svg text');
  for (const el of texts) {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || !el.textContent.trim()) continue;
    const px = parseFloat(getComputedStyle(el).fontSize);
    const least = el.closest('[data-testid=stMetricValue]') ? 40 : 28;
    const drawn = el.ownerSVGElement ? box.height : px;  // a chart may shrink its text by a transform
    if (Math.min(px, drawn) < least) small.push([el.textContent.trim().slice(0, 40), px, Math.round(drawn)]);
    const frame = el.ownerSVGElement ? el.ownerSVGElement.getBoundingClientRect() : null;  // a chart cuts its text
    const cut = frame && (box.left < frame.left - 1 || box.right > frame.right + 1 || box.top < frame.top - 1);
    if (cut || box.bottom > innerHeight + 1 || box.right > innerWidth + 1 || box.left < -1)
      outside.push([el.textContent.trim().slice(0, 40), Math.round(box.bottom), Math.round(box.right)]);
  }
  return {small, outside, scrolls: main.scrollHeight > main.clientHeight + 1};
}"""
MAP_TYPE = """() => {
  const px = s => s ? parseFloat(getComputedStyle(s).fontSize) : null;
  return {legend: px(document.querySelector('.twinmap-legend')), focus: px(document.querySelector('.twinmap-focus')),
          zoom: document.querySelectorAll('.leaflet-control-zoom').length,
          scale: document.querySelectorAll('.leaflet-control-scale').length};
}"""


# Each kind of slide in the language that tests it hardest: Russian's long labels, Persian's right
# to left and its own digits (both languages for the card, the slide with the most text).
SLIDES_TO_MEASURE = (("headline", "ru"), ("map", "fa"), ("card", "fa"), ("card", "ru"), ("upcoming", "ru"),
                     ("growth", "fa"))  # fmt: skip


def test_every_kind_of_kiosk_slide_reads_from_three_metres_and_fits_the_screen(server, page):
    """On a 1920x1080 screen: body text at least 28 px, figures at least 40 px, nothing past an edge,
    nothing to scroll; the map names its partner in large type and has no buttons nobody can press."""
    from twinmap.views import kiosk

    page.set_viewport_size({"width": 1920, "height": 1080})
    order = kiosk.cycle(12)
    for kind, lang in SLIDES_TO_MEASURE:
        start = order.index(next(s for s in order if s[0] == kind))
        page.goto(f"{server}/?kiosk=1&lang={lang}&seconds=600&start={start}")
        page.wait_for_selector(f".tm-progress[data-slot='{start}']", state="attached", timeout=60_000)
        _idle(page)
        if kind == "map":
            _wait_for_drawn_map(page)
            drawn = _map_frame(page).evaluate(MAP_TYPE)
            assert drawn["legend"] >= 28 and drawn["focus"] >= 28, drawn
            assert drawn["zoom"] == 0 and drawn["scale"] == 0, drawn
        else:
            page.wait_for_timeout(800)  # charts lay out their text after the script has run
        found = page.evaluate(KIOSK_TYPE)
        assert not page.evaluate(CUT), (kind, lang, page.evaluate(CUT))
        assert not found["small"], (kind, found["small"][:5])
        assert not found["outside"] and not found["scrolls"], (kind, found["outside"][:5])
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"kiosk-{lang}-{kind}.png"))


def test_every_page_works_under_the_servers_content_security_policy(server, page):
    """The server sends its headers, and no page or kiosk slide needs what the policy refuses."""
    answer = urllib.request.urlopen(f"{server}/")
    policy = answer.headers["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in policy and "object-src 'none'" in policy
    assert answer.headers["X-Frame-Options"] == "SAMEORIGIN" and answer.headers["X-Content-Type-Options"] == "nosniff"
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    for path in ("", "map", "timeline", "tourism", "register", "pipeline", "network", "?kiosk=1&seconds=600"):
        page.goto(f"{server}/{path}")
        page.wait_for_selector("h1, [data-testid=stMetric]", timeout=60_000)
        _idle(page)
        if path == "map":
            _wait_for_drawn_map(page)
    assert refused == []


def test_a_visitor_who_never_signed_in_cannot_send_a_file_to_the_server(server, page):
    """Streamlit takes uploads for any live session; a visitor's session is refused before the file is read."""
    import re
    import uuid

    frames: list[bytes] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda data: frames.append(data)))
    page.goto(f"{server}/")
    page.wait_for_selector("h1", timeout=60_000)
    found = {m for f in frames if isinstance(f, bytes) for m in re.findall(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-"
                                                                          rb"[0-9a-f]{4}-[0-9a-f]{12}", f)}  # fmt: skip
    assert found, "the visitor's live session id, as the page's messages carry it"
    host = server.split("//", 1)[1]
    for session in [s.decode() for s in found] + [str(uuid.uuid4())]:
        # 64 MB announced, not one byte sent: the answer comes before the file would
        conn = http.client.HTTPConnection(host, timeout=30)
        conn.putrequest("PUT", f"/_stcore/upload_file/{session}/{uuid.uuid4()}")
        conn.putheader("Content-Type", "multipart/form-data; boundary=x")
        conn.putheader("Content-Length", str(64 * 1024 * 1024))
        conn.endheaders()
        answer = conn.getresponse()
        assert answer.status == 403 and b"signed-in editors" in answer.read()
        conn.close()


def test_the_leaders_first_screen_answers_the_four_questions(server, browser):
    from twinmap.views.i18n import Translator

    page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    _sign_in(server, page)
    for lang, (width, height, screens) in itertools.product(("en", "fa"), ((1280, 800, 1), (390, 844, 2))):
        tr = Translator(lang)
        questions = [tr("How the partnerships are doing"), tr("What is coming"),
                     tr("Agreements expiring within 12 months"),
                     tr("Tourism from partner countries against the trend")]  # fmt: skip
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{server}/?lang={lang}")
        page.wait_for_selector(f"text={questions[-1]}", timeout=60_000)
        _idle(page)
        for question in questions:  # each answered on the first screen (a phone's first two), without scrolling
            box = page.get_by_text(question, exact=True).first.bounding_box()
            assert box is not None and box["y"] + box["height"] <= height * screens, (question, width, box)
        alive = tr("Alive")
        assert page.get_by_text(re.compile(rf"^{re.escape(alive)} \(")).count() == 1  # named by health, not by stage
        page.screenshot(path=str(ARTIFACTS / f"first-screen-{lang}-{width}.png"), full_page=False)


def test_a_new_password_from_the_command_line_while_the_app_runs_goes_through_the_app(server, browser):
    """The app holds the DuckDB file; ``password`` hands the request to it (its desk) instead of failing.

    The new password signs in, and the next new password ends that lasting sign-in at once.
    """
    env = {**os.environ, "TWINMAP_DB": SERVED["db"]}
    cmd = [sys.executable, "-m", "twinmap", "password", "desk-clerk", "--role", "viewer"]
    first = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    assert "new password for desk-clerk:" in first.stdout and "(through the running app)" in first.stdout
    password = re.search(r"new password for desk-clerk: (\S+)", first.stdout)[1]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    _sign_in(server, page, "desk-clerk", password)
    deadline = time.time() + 20  # the lasting cookie arrives just after the sign-in
    while not [c for c in context.cookies() if c["name"] == "twinmap_signin"] and time.time() < deadline:
        page.wait_for_timeout(200)
    again = subprocess.run(cmd[:-2], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    changed = re.search(r"new password for desk-clerk: (\S+)", again.stdout)
    assert again.returncode == 0 and changed and changed[1] != password  # a new one each time
    page.reload()
    page.wait_for_selector(".st-key-account_name input", timeout=30_000)  # a changed password ends the sign-in
    assert page.locator("text=Signed in as").count() == 0
    context.close()
    refused = subprocess.run([*cmd[:-2], "--role", "viewer", "--home-cities", "Atlantis,XX"], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=120)  # fmt: skip
    assert refused.returncode == 1 and "Traceback" not in refused.stderr and refused.stderr.startswith("error:")
