"""Drawing the kiosk's slides with Streamlit: the headline, what is coming, growth, a partner's map and card, photos.

Each slide reads public data only (:mod:`twinmap.reads.public`, the photos marked public) through
the shared cache, and :mod:`twinmap.views.kiosk` decides their order. Text from the data goes
through Markdown escaping; the only raw HTML is our own fixed markup (styles, progress bar).
"""

from __future__ import annotations

import datetime as dt
import logging
import time

import pandas as pd
import streamlit as st

from twinmap.core import config, dates, geo, reference
from twinmap.reads import attachments as attached
from twinmap.reads import public
from twinmap.ui import cache, leaflet
from twinmap.views import charts, kiosk, labels, maps, pictures
from twinmap.views.i18n import NP_, Translator

log = logging.getLogger("twinmap.kiosk")

# A screen read from three metres (1920x1080): body text at least 28 px, figures at least 40 px.
KIOSK_FONT_PX = 28
KIOSK_UPCOMING = 4  # events on the "coming up" slide: as many as fit with their second line
KIOSK_TEXT_CHARS = 160  # a purpose longer than this is shortened: the slide has two lines for it
KIOSK_TITLE_CHARS = 60  # an event title on a partner's card, one line at 28 px in half the screen
KIOSK_PHOTOS = 12  # the newest public photos take turns on the photo slide
KIOSK_PHOTO_BOX = (1800, 700)  # a photo fills the screen under its title and above its caption

# Fixed styles: no sidebar, no toolbar, large type.
KIOSK_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], footer { display: none !important; }
html { font-size: 28px; }
.block-container, [data-testid="stMainBlockContainer"] {
  padding: 1rem 2rem 0 2rem !important; max-width: 100% !important; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1rem !important; }
h1 { font-size: 2.3rem !important; padding-top: 0 !important; } h2 { font-size: 1.6rem !important; }
h3 { font-size: 1.3rem !important; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] [data-testid="stMarkdownContainer"] p {
  font-size: 2.8rem !important; line-height: 1.2 !important; }
[data-testid="stMetricLabel"] [data-testid="stMarkdownContainer"] p { font-size: 1.1rem !important; }
.tm-progress { position: fixed; left: 0; bottom: 0; height: 6px; background: #1f78b4; opacity: .6;
  animation-name: tm-grow; animation-timing-function: linear; animation-fill-mode: forwards; }
@keyframes tm-grow { from { width: 0; } to { width: 100%; } }
</style>"""


def progress(seconds: int, remaining: float, slot: int = 0, slots: int = 0) -> None:
    """A thin bar along the bottom that fills until the next slide (it names the slide's position for tools)."""
    done = max(0.0, seconds - remaining)
    st.html(
        f'<div class="tm-progress" data-tick="{time.time():.0f}" data-slot="{slot % max(slots, 1)}" '
        f'data-slots="{slots}" '
        f'style="animation-duration: {remaining:.1f}s; width: {100 * done / seconds:.0f}%"></div>'
    )


def _md(text: object) -> str:
    return labels.md_escape(text)


FIGURE_EM = 2.8  # a figure's size on a kiosk (in the slide's rem) where it fits its column
CHAR_EM = 0.62  # the width of a figure's widest characters, in em (digits, Cyrillic capitals)


def figures(items: list[tuple[str, str]]) -> None:
    """Figures side by side, each as large as the kiosk's type where it fits its column, smaller where not.

    A long figure ("۱٬۱۶۵ کیلومتر", "Великобритания") at the kiosk's size ran past its column and
    Streamlit cut it with an ellipsis; each is sized to its own length and the screen's width.
    """
    cols = st.columns(len(items))
    rules = []
    for i, (col, (label, value)) in enumerate(zip(cols, items, strict=True)):
        fit = f"calc((100vw - 5rem) / {len(items)} / {max(len(value), 1) * CHAR_EM:.2f})"
        where = f".st-key-tm_figure_{i} [data-testid=stMetricValue]"
        rules.append(f"{where}, {where} p {{ font-size: min({FIGURE_EM}rem, {fit}) !important; }}")
        col.container(key=f"tm_figure_{i}").metric(label, value)
    st.html(f"<style>{' '.join(rules)}</style>")


def headline(tr: Translator, today: dt.date) -> None:
    """Partners, countries, events this year, upcoming events."""
    head = cache.headline(public.public_filter(), today, tr.cal)
    st.title(tr("Our sister cities"))
    year = tr.digits(str(dates.year_of(today, tr.cal)))
    figures([(tr("Signed partners"), tr.number(head.signed_partners)),
             (tr("Partner countries"), tr.number(head.countries)),
             (tr("Events in {year}", year=year), tr.number(head.events_this_year)),
             (tr("Upcoming events"), tr.number(head.upcoming_events))])  # fmt: skip
    # Streamlit's theme would set its own (small) type: the kiosk's charts bring theirs.
    st.plotly_chart(charts.status_bar(head.by_status, tr, KIOSK_FONT_PX), key="kiosk_status", theme=None,
                    config={"staticPlot": True})  # fmt: skip


def upcoming(tr: Translator, today: dt.date) -> None:
    """The next joint events."""
    st.title(tr("Coming up"))
    frame = cache.upcoming_events(public.public_filter(), today, KIOSK_UPCOMING)
    for row, pair in zip(frame.itertuples(index=False), labels.pair_labels(frame, tr), strict=True):
        when = tr.date(row.starts_on, row.starts_precision)
        st.markdown(f"### {_md(when)} · {_md(tr.isolate(row.title))}\n{_md(pair)} · {_md(tr.isolate(row.venue or ''))}")


def growth(tr: Translator, today: dt.date) -> None:
    """The network growing year by year as agreements were signed: the headline's signed partners, by year.

    It counts what the headline slide counts (agreements in force); one whose signing date is not
    on record cannot stand in a year, and the slide says how many there are.
    """
    st.title(tr("Our network, year by year"))
    signed = cache.in_force(today)
    undated = int(signed["signed_on"].isna().sum())

    fig = cache.view(_growth_chart, signed, today, tr, bool(undated))  # every kiosk shows the same: once per version
    st.plotly_chart(fig, key="kiosk_growth", theme=None, config={"staticPlot": True})
    if undated:
        st.markdown(_md(tr.plural(NP_("{n} signed partner has no signing date on record and is not in the years.",
                                      "{n} signed partners have no signing date on record and are not in the years."),
                                  undated)))  # fmt: skip


def partner_map(tr: Translator, today: dt.date, index: int) -> None:
    """The partner map, flying from the home city to one partner."""
    frame = cache.kiosk_partners(today)
    row = frame.iloc[index % len(frame)]
    homes = cache.home_cities()
    homes = homes[homes["id"].isin(frame["home_city_id"])]
    home, partner = (
        tr.city(row["home_name"], row["home_local_name"]),
        tr.city(row["partner_name"], row["partner_local_name"]),
    )
    st.title(_md(f"{home} {'←' if tr.rtl else '→'} {partner}"))
    tiles = config.get("TWINMAP_TILES")
    key = ("kiosk_map", today, int(row["id"]), tiles, tr)  # every kiosk shows the same flights: rendered once
    prepared = cache.snapshot().memo(key, lambda: leaflet.prepare(maps.flight_map(frame, homes, row, tiles, tr)))
    leaflet.show(prepared, "kiosk_map", 760)


def partner_card(tr: Translator, today: dt.date, index: int) -> None:
    """One partner city: country, size, distance and direction, local time, since when, events."""
    frame = cache.kiosk_partners(today)
    row = frame.iloc[index % len(frame)]
    st.title(_md(tr.city(row["partner_name"], row["partner_local_name"])))
    km = geo.distance_km(row["home_lat"], row["home_lon"], row["partner_lat"], row["partner_lon"])
    direction = geo.compass(geo.bearing_deg(row["home_lat"], row["home_lon"], row["partner_lat"], row["partner_lon"]))
    figures([(tr("Country"), tr.country(row["partner_country"])),
             (tr("Population"), tr.number(row["partner_population"])),
             (tr("Distance ({direction})", direction=tr(direction)), tr("{km} km", km=round(km))),
             (tr("Local time"), tr.digits(labels.local_time(row["partner_timezone"])) or labels.MISSING)])  # fmt: skip
    if row["signed_on"] == row["signed_on"] and row["signed_on"] is not None:
        since = tr("Partner since {date}", date=tr.date(row["signed_on"], row["signed_precision"]))
        st.markdown(f"## {_md(since)}")
    purpose = labels.shorten(row["purpose"] or "", KIOSK_TEXT_CHARS)
    st.markdown(f"{_md(tr.term(reference.PARTNERSHIP_KINDS, row['kind']))} · {_md(tr.isolate(purpose))}")
    past, coming = cache.partner_events(int(row["id"]), today)
    left, right = st.columns(2)
    for col, title, events in ((left, tr("Recent events"), past), (right, tr("Coming up"), coming)):
        col.markdown(f"### {_md(title)}")
        for ev in events.itertuples(index=False):
            title = labels.shorten(ev.title, KIOSK_TITLE_CHARS)
            col.markdown(f"- {_md(tr.date(ev.starts_on, ev.starts_precision))} · {_md(tr.isolate(title))}")
        if events.empty:
            col.markdown(labels.MISSING)


def _growth_chart(signed: pd.DataFrame, today: dt.date, tr: Translator, undated: bool) -> object:
    """Signed partners by year, with room under the chart for the line on those with no signing date."""
    return charts.growth(public.growth(signed, today, tr.cal), tr, KIOSK_FONT_PX, room_lines=2 if undated else 0)


def _scaled_photo(attachment_id: int) -> bytes:
    """A public photo fitted to the kiosk's screen (b"" once it is no longer public)."""
    found = attached.content(cache.connection(), attachment_id, attached.PUBLIC)
    return pictures.fitted(found[2], KIOSK_PHOTO_BOX) if found else b""


def photo(tr: Translator, _today: dt.date, index: int) -> None:
    """A recent public photo, full screen, with its caption, credit, date and the partnership it belongs to."""
    frame = cache.public_photos(KIOSK_PHOTOS)
    row = frame.iloc[index % len(frame)]
    if isinstance(row["partner_name"], str):
        home = tr.city(row["home_name"], row["home_local_name"])
        partner = tr.city(row["partner_name"], row["partner_local_name"])
        st.title(_md(f"{home} {'←' if tr.rtl else '→'} {partner}"))

    picture = cache.view(_scaled_photo, int(row["id"]))  # scaled once per data version, for every screen
    if not picture:
        raise LookupError("the photo is no longer public")
    st.image(picture, width="content")
    words = [tr.isolate(row["caption"] if isinstance(row["caption"], str) else row["title"])]
    when = row["dated_on"] if not pd.isna(row["dated_on"]) else row["event_on"]
    if not pd.isna(when):
        words.append(tr.date(when, "day"))
    if isinstance(row["credit"], str):
        words.append(tr("Photo: {credit}", credit=row["credit"]))
    st.markdown(f"### {_md(' · '.join(str(w) for w in words))}")


SLIDES = {"headline": headline, "upcoming": upcoming, "growth": growth, "map": partner_map, "card": partner_card,
          "photo": photo}  # fmt: skip


def next_slide(slot: int, tr: Translator, today: dt.date) -> int:
    """Draw the slot's slide, or the next one that can be drawn: the rotation's length, 0 when none can be drawn."""
    try:
        partners = len(cache.kiosk_partners(today))
        photos = len(cache.public_photos(KIOSK_PHOTOS))
    except Exception:
        log.exception("kiosk: the store cannot be read; showing the holding screen")
        return 0
    order = kiosk.cycle(partners, photos)
    return len(order) if any(slides_at(order, slot + step, tr, today) for step in range(len(order))) else 0


def slides_at(order: list[tuple[str, int | None]], slot: int, tr: Translator, today: dt.date) -> bool:
    """Draw the slide at a position of the rotation."""
    kind, index = order[slot % len(order)]
    return show(kind, index, tr, today)


def holding(tr: Translator) -> None:
    """What the screen shows while no slide can be drawn: a calm title, never an error."""
    st.title(tr("Our sister cities"))
    soon = tr("Back in a moment.")  # outside the f-string: the catalogue extractor does not look inside one
    st.markdown(f"## {_md(soon)}")


def show(kind: str, index: int | None, tr: Translator, today: dt.date) -> bool:
    """Draw one slide; on any failure log it, clear what it drew and return False."""
    holder = st.empty()
    try:
        with holder.container():
            if index is None:
                SLIDES[kind](tr, today)
            else:
                SLIDES[kind](tr, today, index)
    except Exception:
        log.exception("kiosk slide %s failed; skipped", kind)
        holder.empty()
        return False
    return True


# Runs in the browser for days: reloads the page when the rotation has stalled (for example
# after the server restarted), once a night and after six hours at most (bench_kiosk.py measured
# the page's JS heap growing about 2 MB a minute at 2-second slides); reloads only when the
# server answers, so a server that is down never leaves the browser on an error page.
_WATCHDOG = """<script>
(function () {
  if (window.tmWatchdog) { return; }  // once per page load, however often the page reruns
  window.tmWatchdog = true;
  var p = window, started = Date.now(), lastTick = null, lastChange = Date.now(), limit = LIMIT * 1000;
  function reload() {
    fetch("/_stcore/health", {cache: "no-store"})
      .then(function (r) { if (r.ok) { p.location.reload(); } })
      .catch(function () {});
  }
  setInterval(function () {
    var bar = p.document.querySelector(".tm-progress"), tick = bar ? bar.dataset.tick : null;
    if (tick !== lastTick) { lastTick = tick; lastChange = Date.now(); }
    var stalled = Date.now() - lastChange > limit;
    var up = Date.now() - started;
    var night = new Date().getHours() === 3 && up > 3600 * 1000;
    var stale = up > 6 * 3600 * 1000;  // the browser's memory grows with every slide: start afresh
    if (stalled || night || stale) { reload(); }
  }, 10000);
})();
</script>"""


def watchdog(seconds: int) -> None:
    """Install the browser-side watchdog (once per page load, outside the rotating fragment).

    Our own fixed script in the page itself (``st.html`` with JavaScript), not in a component's iframe.
    """
    st.html(_WATCHDOG.replace("LIMIT", str(max(60, 4 * seconds))), unsafe_allow_javascript=True)
