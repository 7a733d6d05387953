"""End-to-end accessibility: axe-core over every page in three languages, the document's language,
390 px phones, chart labels drawn whole and maps without antimeridian bands. One server for every sweep.

axe-core 4.14 (npm, vendored under tests/vendor/axe-core with its licence) is injected into the
real page in Debian's Chromium. A critical or serious violation fails unless
``docs/accessibility.md`` lists its rule, with why, under "Known failures".
"""

from __future__ import annotations

import contextlib
import functools
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from twinmap.ui.pages import PAGES, menu_url

from .conftest import CHROME_ARGS, CHROMIUM, ROOT
from .test_e2e import ADMIN_PASSWORD, CUT, IDLE, _map_frame, pytestmark, server  # noqa: F401

AXE = (ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LANGS = ("en", "ru", "fa")
PUBLIC = [p for p in PAGES if p.role is None]
RUN_AXE = """async (tags) => {
    const found = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
    return found.violations.filter(v => v.impact === "critical" || v.impact === "serious")
        .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length, example: v.nodes[0].html.slice(0, 160)}));
}"""


# The page's own script has given the document its language and the menu its roles (twinmap/ui/session.py):
# under load a first page can be measured a moment before, which is the page still being drawn.
APPLIED = """() => window.tmDocument !== undefined && document.documentElement.lang === window.tmDocument.lang
    && [...document.querySelectorAll("[data-testid=stSidebarNavItems]")].every(l => l.getAttribute("role") === "none")"""


def _known() -> set[str]:
    """The rules docs/accessibility.md lists as known failures (each a promise to fix, with its reason)."""
    text = (ROOT / "docs" / "accessibility.md").read_text(encoding="utf-8")
    section = text.split("## Known failures", 1)[1].split("\n## ", 1)[0] if "## Known failures" in text else ""
    return set(re.findall(r"^- `([a-z0-9-]+)`", section, re.M))


def _settled(page) -> None:
    page.wait_for_selector("h1", timeout=60_000)
    page.wait_for_selector(IDLE, state="attached", timeout=60_000)
    page.wait_for_timeout(400)


def _open(page, url: str) -> None:
    """A page by its menu link (keeps the session, and so the sign-in)."""
    links = page.locator(f"[data-testid=stSidebarNav] a[href$='/{url}'], [data-testid=stSidebarNav] a[href*='/{url}?']")
    if url.endswith("-home"):
        links = page.locator("[data-testid=stSidebarNav] a").first
    links.first.click()
    _settled(page)


def _sign_in(page, server: str, lang: str) -> None:  # noqa: F811
    page.goto(f"{server}/account?lang={lang}")
    _settled(page)
    page.locator(".st-key-account_name input").fill("admin")
    page.locator(".st-key-account_password input").fill(ADMIN_PASSWORD)
    page.locator(".st-key-account_password input").press("Enter")
    page.wait_for_selector("[data-testid=stSidebarNav] a[href*='/users']", timeout=60_000)
    _settled(page)


def _measure(page, wide: bool = True) -> dict:
    if not page.evaluate("typeof axe !== 'undefined'"):  # once per document: moving by the menu keeps it
        page.add_script_tag(content=AXE)
    found = page.evaluate(RUN_AXE, TAGS)
    if found:  # once more after a moment: an element Streamlit fades while it redraws is not the page
        with contextlib.suppress(PlaywrightTimeout):  # nor a menu the page's script has not reached yet
            page.wait_for_function(APPLIED, timeout=15_000)
        page.wait_for_timeout(1500)
        found = page.evaluate(RUN_AXE, TAGS)
    return {"violations": found, "cut": _cut_at_widths(page, wide),
            "lang": page.evaluate("[document.documentElement.lang, document.documentElement.dir]")}  # fmt: skip


def _cut_at_widths(page, wide: bool = True) -> dict[int, list]:
    """Text cut or covered at 1280 px (the sweep's width) and, with ``wide``, at 1920 px (a wide screen), then back.

    The staff pages are read at 1280 px only: a page laid out in rem and columns has more room at
    1920, not less. What grows with the screen (the kiosk's type) and the public pages are read at both.
    """
    found = {1280: page.evaluate(CUT)}
    if not wide:
        return {width: seen for width, seen in found.items() if seen}
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.wait_for_timeout(400)  # charts and grids lay themselves out again for the width
    found[1920] = page.evaluate(CUT)
    page.set_viewport_size({"width": 1280, "height": 900})
    return {width: seen for width, seen in found.items() if seen}


@pytest.fixture(scope="module")
def sweep(server):  # noqa: F811
    """Every page in every language, signed out and as an admin, and the kiosk: axe's findings and the document.

    The three languages are read at once, each by its own Chromium in its own thread (Playwright's
    synchronous API is one instance per thread): the server serves three readers as it would.
    """
    with ThreadPoolExecutor(len(LANGS)) as pool:
        parts = list(pool.map(functools.partial(_sweep_language, server), LANGS))
    return {key: seen for part in parts for key, seen in part.items()}


def _sweep_language(server: str, lang: str) -> dict:  # noqa: F811
    from playwright.sync_api import sync_playwright

    found = {}
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
        try:
            page = chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()
            for p in PUBLIC:
                page.goto(f"{server}/{p.url}?lang={lang}")
                _settled(page)
                found[(lang, "visitor", p.url)] = _measure(page) | _charts(page) | {"text": page.inner_text("body")}
            page.goto(f"{server}/?kiosk=1&lang={lang}&seconds=60")
            page.wait_for_selector(".tm-progress", state="attached", timeout=60_000)
            page.wait_for_timeout(1500)
            found[(lang, "kiosk", "kiosk")] = _measure(page) | {"watchdog": page.evaluate("window.tmWatchdog === true"),
                                                                "text": page.inner_text("body")}  # fmt: skip
            _sign_in(page, server, lang)
            for p in PAGES:
                _open(page, menu_url(p))
                found[(lang, "admin", p.url)] = (
                    _measure(page, wide=False) | _charts(page) | {"text": page.inner_text("body")}
                )
        finally:
            chromium.close()
    return found


def test_no_page_has_a_serious_or_critical_axe_violation_in_any_language_or_role(sweep):
    known = _known()
    failing = {f"{lang} {role} {url}": [f"{v['id']} ({v['impact']}, {v['nodes']}): {v['example']}"
                                        for v in seen["violations"] if v["id"] not in known]
               for (lang, role, url), seen in sweep.items()}  # fmt: skip
    assert not {k: v for k, v in failing.items() if v}, failing
    assert len(sweep) == len(LANGS) * (len(PUBLIC) + 1 + len(PAGES))


def test_no_heading_button_figure_or_chart_title_is_cut_or_covered_at_1280_or_1920_px(sweep):
    """Every page in three languages, signed out and as an admin (1280 px), the public pages and the kiosk also at
    1920 px; the phone test checks 390 px."""
    cut = [f"{lang} {role} {url}: {seen['cut']}" for (lang, role, url), seen in sweep.items() if seen["cut"]]
    assert not cut, "\n".join(cut)


def _shipped_spellings(lang: str) -> dict[str, str]:
    """The shipped cities' names a reader of ``lang`` reads in their script, by English name."""
    import csv

    from twinmap.views import i18n

    with (ROOT / "data" / "cities.csv").open(encoding="utf-8") as rows:
        cities = [(r["name"], r["local_name"] or None, r["country_code"], int(r["geonameid"]) if r["geonameid"] else None)
                  for r in csv.DictReader(rows)]  # fmt: skip
    i18n.learn_spellings(cities)
    tr = i18n.Translator(lang)
    return {name: tr.city(name, local) for name, local, _c, _g in cities if tr.city(name, local) != name}


def test_a_partnership_is_named_in_the_readers_script_on_every_page(sweep):
    """Russian and Persian pages, as a visitor and an admin: no "Sari – Астрахань" nor "ساری – Trabzon"."""
    for lang in ("ru", "fa"):
        spelled = _shipped_spellings(lang)
        assert {"Sari", "Astrakhan", "Trabzon"} <= set(spelled)
        english = re.compile(r"(?:^|[\s(])(" + "|".join(map(re.escape, spelled)) + r") – |(?<= – )("
                             + "|".join(map(re.escape, spelled)) + r")\b")  # fmt: skip
        mixed = {f"{role} {url}": sorted({m.group(0).strip() for m in english.finditer(seen["text"])})
                 for (lang_, role, url), seen in sweep.items() if lang_ == lang and english.search(seen["text"])}  # fmt: skip
        assert not mixed, (lang, mixed)
        named = " ".join(seen["text"] for (lang_, _r, _u), seen in sweep.items() if lang_ == lang)
        assert f"{spelled['Sari']} – {spelled['Astrakhan']}" in named  # the pair itself, in one script


def test_the_document_is_in_the_readers_language_and_direction(sweep):
    for (lang, role, url), seen in sweep.items():
        assert seen["lang"] == [lang, "rtl" if lang == "fa" else "ltr"], (lang, role, url)


def test_the_kiosk_watchdog_runs_in_the_page_itself(sweep):
    assert all(seen["watchdog"] for (_lang, role, _url), seen in sweep.items() if role == "kiosk")


def test_every_charts_axis_labels_are_drawn_whole_inside_the_chart(sweep):
    """At 1280 px in every language and role (the phone test checks 390 px); Persian once cut them at the edge."""
    cut = {f"{lang} {role} {url}": seen["outside"] for (lang, role, url), seen in sweep.items() if seen.get("outside")}
    assert not cut, cut
    for lang in LANGS:  # how many charts a page has drawn when it settles varies; each drawn one is checked
        assert sum(seen.get("charts", 0) for (lang_, _, _), seen in sweep.items() if lang_ == lang), lang


OPEN_MENU = "[data-testid=stExpandSidebarButton], [data-testid=stSidebarCollapsedControl] button"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
LAYOUT = """() => {
    const main = document.querySelector("[data-testid=stMain]").getBoundingClientRect();
    const side = document.querySelector("[data-testid=stSidebar]").getBoundingClientRect();
    return {scroll: document.documentElement.scrollWidth, width: document.documentElement.clientWidth,
            main: main.width, sidebar: Math.max(0, Math.min(side.right, 390) - Math.max(side.left, 0))};
}"""


@pytest.mark.parametrize("lang", ["en", "ru", "fa"])
def test_on_a_390_px_phone_no_page_scrolls_sideways_and_the_main_column_has_the_width(server, browser, lang):  # noqa: F811
    context = browser.new_context(**PHONE)
    page = context.new_page()
    for p in PUBLIC:
        page.goto(f"{server}/{p.url}?lang={lang}")
        _settled(page)
        seen = page.evaluate(LAYOUT)
        assert seen["scroll"] <= seen["width"] and seen["main"] >= 389, (p.url, seen)
        assert seen["sidebar"] == 0, (p.url, "the sidebar starts collapsed on a phone", seen)
        assert _charts(page)["outside"] == [], (p.url, "a chart's axis label runs off its chart (cut where it ends)")
        assert page.evaluate(CUT) == [], (p.url, "text cut or covered on a phone")
    page.screenshot(path=str(ROOT / "test-artifacts" / f"phone-account-{lang}.png"))
    if lang != "fa":  # the staff pages on a phone: in Persian, the language whose layout is mirrored
        context.close()
        return
    _sign_in(page, server, lang)
    for p in PAGES:
        if not page.locator("[data-testid=stSidebarNav]").first.is_visible():  # a phone's menu opens on a tap
            page.locator(f"{OPEN_MENU}").first.click()
            page.wait_for_selector("[data-testid=stSidebarNav]", state="visible", timeout=30_000)
        _open(page, menu_url(p))
        seen = page.evaluate(LAYOUT)
        assert seen["scroll"] <= seen["width"] and seen["main"] >= 389, (p.url, seen)
        assert page.evaluate(CUT) == [], (p.url, "text cut or covered on a phone")
    context.close()


@pytest.mark.parametrize("where", ["map", "network", "overview", "kiosk"])
def test_no_country_outline_crosses_the_map_at_world_zoom(server, browser, where):  # noqa: F811
    from twinmap.views import kiosk

    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    order = kiosk.cycle(12)
    start = order.index(next(s for s in order if s[0] == "map"))
    page.goto(f"{server}/?kiosk=1&seconds=600&start={start}" if where == "kiosk" else f"{server}/{where}")
    frame = _map_frame(page)
    frame.wait_for_function("() => document.querySelector('[data-outlines=drawn]')", timeout=60_000)
    widest = frame.evaluate("""() => {
        const layer = document.querySelector("[data-outlines=drawn]").tmOutlines;
        let widest = 0, rings = 0;
        const walk = (a) => {
            if (a.length && a[0].lng !== undefined) {
                rings += 1;
                for (let i = 1; i < a.length; i++) { widest = Math.max(widest, Math.abs(a[i].lng - a[i - 1].lng)); }
            } else { a.forEach(walk); }
        };
        layer.eachLayer((l) => walk(l.getLatLngs()));
        return [widest, rings];
    }""")
    assert widest[1] > 200 and widest[0] < 180, f"an outline edge spans {widest[0]:.0f} degrees of longitude"
    page.context.close()


LABELS_OUTSIDE = """() => [...document.querySelectorAll(".js-plotly-plot")].flatMap((plot) => {
    const box = plot.getBoundingClientRect();
    return [...plot.querySelectorAll(".xtick text, .ytick text")].filter((t) => t.textContent.trim())
        .map((t) => [t.textContent, t.getBoundingClientRect()])
        .filter(([, r]) => r.left < box.left - 1 || r.right > box.right + 1)
        .map(([text, r]) => `${text}: ${Math.round(r.left)}-${Math.round(r.right)} outside ${Math.round(box.left)}-${Math.round(box.right)}`);
})"""


def _charts(page) -> dict:
    """The settled page's plotly charts, and every axis label drawn past its chart's edge (cut off there)."""
    drawn = page.locator("[data-testid=stPlotlyChart]").count()  # Streamlit's frame of each chart, sent whole
    if not drawn:
        return {"charts": 0, "outside": []}
    page.wait_for_function(f"() => document.querySelectorAll('.js-plotly-plot .ytick text').length && "
                           f"document.querySelectorAll('.js-plotly-plot').length >= {drawn}", timeout=30_000)  # fmt: skip
    page.wait_for_timeout(300)  # plotly's second pass: the margins set from the measured labels
    return {"charts": drawn, "outside": page.evaluate(LABELS_OUTSIDE)}
