"""What pages draw the same way: tables with downloads, charts, the outcome of a form, store trouble."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable

import duckdb
import pandas as pd
import streamlit as st

from twinmap.core import config, dates
from twinmap.core.reference import N_
from twinmap.ingest import exporter
from twinmap.store import db
from twinmap.ui import cache, keys
from twinmap.ui.session import translator
from twinmap.views import htmltables, i18n, previews
from twinmap.views.labels import MISSING, md_escape, pair_labels, rtl_order
from twinmap.views.tables import city_matches, matching

log = logging.getLogger("twinmap")

# Turns stored rows into the reader's table: build(rows, tr=tr), a function of views.tables or a partial of one.
Builder = Callable[[pd.DataFrame, i18n.Translator], pd.DataFrame]


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


ROWS_SHOWN = 500  # rows a table shows on a page; the downloads hold all of them


def table_downloads(
    frame: pd.DataFrame,
    name: str,
    key: str,
    build: Builder | None = None,
    **dataframe_args: object,
) -> None:
    """Show a table (its first :data:`ROWS_SHOWN` rows) with CSV and Excel downloads of all of it.

    ``build(rows, tr=tr)`` turns stored rows into the reader's table (a function of ``views.tables``,
    or a ``functools.partial`` of one); it is applied to the rows shown on every run and to all
    rows only when a download is pressed, so fifty thousand rows cost a page no more than five
    hundred. The files are made when a button is pressed (deferred data), and a press does not
    rerun the page (``on_click="ignore"``). The rows shown of a frame that came out of the cache
    are built once per data version (:func:`shown_rows`).
    """
    tr = translator()

    def make(rows: pd.DataFrame) -> pd.DataFrame:
        return build(rows, tr=tr) if build is not None else rows

    _first_rows(frame, key, build, N_("The first {n} of {total} rows; the downloads hold them all."), **dataframe_args)
    left, right, _ = st.columns([1, 1, 4])
    icon = ":material/download:"
    left.download_button(
        tr("CSV"),
        lambda: exporter.frame_csv(make(frame)),
        f"{name}.csv",
        "text/csv",
        key=f"{key}_csv",
        icon=icon,
        on_click="ignore",
    )
    right.download_button(
        tr("Excel"),
        lambda: exporter.frame_xlsx({name: make(frame)}),
        f"{name}.xlsx",
        XLSX,
        key=f"{key}_xlsx",
        icon=icon,
        on_click="ignore",
    )


CARDS_SHOWN = 12  # cards per stage on the pipeline board; the longest in the stage first
OPTIONS_SHOWN = 200  # partnerships a picker lists at once; a search box finds the others


def find_partnerships(frame: pd.DataFrame, key: str, container: object = st) -> tuple[pd.DataFrame, str]:
    """A search box over partnerships (names in any script, country, purpose): the matches and what was typed."""
    tr = translator()
    query = container.text_input(tr("Find a partnership"), key=key, placeholder=tr("City or country"))
    return (cache.view_if_keyed(matching, frame, query, (), tr) if query else frame), query


def pick_home_cities(container: object = st) -> list[int]:
    """The home-city filter; with more than :data:`OPTIONS_SHOWN` home cities, a search box narrows the list first.

    An association's eleven thousand home cities cost every run of every page about 14 ms to
    offer (Streamlit formats and registers each option again), more than the rest of a warm run
    of most pages; what is chosen always stays on offer.
    """
    tr = translator()
    names = cache.home_names(tr)
    options = list(names)
    if len(names) > OPTIONS_SHOWN:
        hint = tr("The list offers the first {n} of {total} home cities; type to find any other.",
                  n=tr.number(OPTIONS_SHOWN), total=tr.number(len(names)))  # fmt: skip
        query = container.text_input(tr("Find a home city"), key="home_find", placeholder=tr("City or country"),
                                     help=hint)  # fmt: skip
        found = options
        if query:
            found = cache.view(city_matches, cache.home_cities(), query, tr)
        held = [i for i in st.session_state.get("home_ids") or () if i in names]
        options = list(dict.fromkeys([*held, *found[:OPTIONS_SHOWN]]))
    return container.multiselect(tr("Home cities"), options, format_func=names.get, key="home_ids",
                                 placeholder=tr("All home cities"), select_all=english_only(tr),
                                 help=tr("Show the partnerships of these home cities only."))  # fmt: skip


def year_range(label: str, first: int, last: int, value: tuple[int, int], key: str,
               container: object = st) -> tuple[dt.date, dt.date, bool]:  # fmt: skip
    """A range of years in the reader's calendar and digits: its first and last day, and whether it is all.

    ``first``, ``last`` and ``value`` are Gregorian years; a Persian reader slides over Solar
    Hijri years (Streamlit's own slider writes Latin digits, so this one labels its own steps).
    """
    tr = translator()
    years = list(range(dates.year_of(dt.date(first, 1, 1), tr.cal), dates.year_of(dt.date(last, 12, 31), tr.cal) + 1))
    held = (dates.year_of(dt.date(value[0], 1, 1), tr.cal), dates.year_of(dt.date(value[1], 12, 31), tr.cal))
    low, high = years[0], years[-1]
    if len(years) > 1:  # a slider needs two years to choose between
        low, high = container.select_slider(label, options=years, value=held, key=f"{key}_{tr.cal}",
                                            format_func=lambda y: tr.digits(str(y)))  # fmt: skip
    return dates.year_span(low, tr.cal)[0], dates.year_span(high, tr.cal)[1], (low, high) == (years[0], years[-1])


def levels(label: str, options: list[int], value: int, key: str, container: object = st) -> int:
    """A choice among a few numbers on a slider, written in the reader's digits."""
    tr = translator()
    return container.select_slider(label, options=options, value=value, format_func=tr.number, key=key)


def pick_partnerships(frame: pd.DataFrame, label: str, key: str, multi: bool = False, placeholder: str | None = None,
                      container: object = st, optional: bool = False) -> list[int]:  # fmt: skip
    """Choose partnerships by name; with more than :data:`OPTIONS_SHOWN`, a search box narrows the list first.

    A list of fifty thousand names is neither readable nor quick to send: the picker offers the
    first matches of what is typed, and always keeps what is already chosen. ``optional``: one
    pick that may be none ("—", first), as a mission that serves no partnership.
    """
    tr = translator()
    found, held = frame, ()
    if len(frame) > OPTIONS_SHOWN:
        found, query = find_partnerships(frame, f"{key}_find", container)
        held = st.session_state.get(key)  # what is chosen stays on offer (one pick gives way to a search)
        held = () if held is None or (query and not multi) else (tuple(held) if multi else (held,))
    names = cache.view_if_keyed(_offered, frame, found, held, tr)
    if multi:
        return container.multiselect(label, list(names), format_func=names.get, key=key, placeholder=placeholder,
                                     select_all=english_only(tr))  # fmt: skip
    if optional:
        picked = container.selectbox(label, [None, *names], format_func=lambda i: names.get(i, MISSING), key=key)
        return [] if picked is None else [picked]
    if not names:
        return []
    return [container.selectbox(label, list(names), format_func=names.get, key=key)]


def _offered(frame: pd.DataFrame, found: pd.DataFrame, held: tuple, tr: i18n.Translator) -> dict[int, str]:
    """What a picker offers, by id: what is chosen, then the first matches (all of a short list)."""
    shown = frame
    if len(frame) > OPTIONS_SHOWN:
        shown = pd.concat([frame[frame["id"].isin(held)], found.head(OPTIONS_SHOWN)]).drop_duplicates("id")
    return dict(zip((int(i) for i in shown["id"]), pair_labels(shown, tr), strict=True))


def english_only(tr: object) -> bool:
    """Whether a multi-choice list offers Streamlit's "Select all": only in English.

    Its words are Streamlit's own and cannot be translated; Russian and Persian readers pick what they want.
    """
    return getattr(tr, "lang", "en") == "en"


STORE_ERRORS = (db.DatabaseError, duckdb.Error)


def store_unavailable(err: Exception) -> None:
    """Say why the data cannot be shown, in the reader's language and without paths, and try again by itself."""
    log.warning("twinmap: the store cannot be read: %s", err)
    problem = cache.problem() or db.explain(err, config.db_target())
    tr = translator()
    st.error(tr(problem.msgid, **problem.values))
    st.session_state.store_failed_at = time.monotonic()
    if problem.msgid in db.NEEDS_A_PERSON:  # a damaged or newer file, no permission: a person must act first
        st.caption(tr("This page checks again every minute by itself."))
        _retry_later()
    else:
        st.caption(tr("This page tries again every few seconds by itself."))
        _retry_soon()


@cache.fragment(run_every=10)
def _retry_soon() -> None:
    """Run the whole page again once the store answers (a busy file, a database server back)."""
    _retry(10)


@cache.fragment(run_every=60)
def _retry_later() -> None:
    """Look again, once a minute, at a store a person has to mend: never a loop of failing runs."""
    _retry(60)


def _retry(seconds: int) -> None:
    """Rerun the page when ``seconds`` have passed since it failed and the store answers.

    The fragment's body also runs within the page's own run: that run, or one too soon after a
    failure, does nothing (a damaged data block still answers the data version, and rerunning at
    once would fail again, over and over).
    """
    if time.monotonic() - st.session_state.get("store_failed_at", 0.0) < seconds - 1:
        return
    try:
        db.data_version(cache.connection())
    except STORE_ERRORS:
        return
    st.rerun(scope="app")


def stale_warning() -> None:
    """When the store stopped answering, pages show what was read before, and say so."""
    problem = cache.problem()
    if problem is not None:
        tr = translator()
        st.warning(tr("Showing the data as last read. {why}", why=tr(problem.msgid, **problem.values)))


def metrics(figures: list[tuple[str, str, str | None]], columns: int | None = None) -> None:
    """Headline figures side by side: (label, value, help); one column each unless told."""
    for col, (label, value, hint) in zip(st.columns(columns or len(figures)), figures, strict=False):
        col.metric(label, value, help=hint)


def glance(blocks: list[tuple[str, list[str]]]) -> None:
    """The leader's first screen: each question in a box of its own, two to a row (one on a phone)."""
    for row in range(0, len(blocks), 2):
        for column, (heading, lines) in zip(st.columns(2), blocks[row : row + 2], strict=False):
            box = column.container(border=True)
            box.markdown(f"**{md_escape(heading)}**")
            box.markdown("\n".join(f"- {md_escape(line)}" for line in lines))


def card(pairs: list[tuple[str, str]]) -> None:
    """A card of (label, text) lines; the text is data, shown as typed (in its own direction)."""
    tr = translator()
    for label, text in pairs:
        st.markdown(f"**{md_escape(label)}:** {md_escape(tr.isolate(text))}")


def shown_rows(frame: pd.DataFrame, build: Builder | None) -> pd.DataFrame:
    """``build`` applied to a table's first :data:`ROWS_SHOWN` rows in the reader's words.

    Formatting a table's rows (dates in the reader's calendar, names, terms) is the same answer on
    every warm run of every reader of one version: for a frame that came out of the cache, the
    rows are built once per version, keyed by the read that made the frame (the reader's scope
    included) and ``build`` (:func:`twinmap.ui.cache.view`). A frame a page derived is built on
    every run. No ``build``: the rows as they are.
    """
    if build is None:
        return frame.head(ROWS_SHOWN)
    return cache.view_if_keyed(_built_head, build, frame, translator())


def _built_head(build: Builder, frame: pd.DataFrame, tr: i18n.Translator) -> pd.DataFrame:
    return build(frame.head(ROWS_SHOWN), tr=tr)


def titled_table(
    title: str,
    frame: pd.DataFrame,
    key: str,
    always: bool = False,
    build: Builder | None = None,
    total: int | None = None,
) -> None:
    """A table under its heading (its first rows, see :func:`table_downloads`); an empty one is left out.

    ``total``: how many rows there are when ``frame`` holds only the first of them (an import preview).
    """
    if always or len(frame):
        st.subheader(title)
        first_rows(frame, key, build, total)


def first_rows(frame: pd.DataFrame, key: str, build: Builder | None = None, total: int | None = None) -> None:
    """A table's first rows, and a note saying how many there are."""
    _first_rows(frame, key, build, N_("The first {n} of {total} rows."), total=total)


def _first_rows(
    frame: pd.DataFrame, key: str, build: Builder | None, note: str, total: int | None = None, **dataframe_args: object
) -> None:
    """The first :data:`ROWS_SHOWN` rows as the reader's table, and a note saying how many there are."""
    table(shown_rows(frame, build), key, **dataframe_args)
    total = len(frame) if total is None else total
    if total > min(len(frame), ROWS_SHOWN):
        tr = translator()
        st.caption(tr(note, n=tr.number(min(len(frame), ROWS_SHOWN)), total=tr.number(total)))


# A table whose last column holds sentences ("Why"): rows three lines tall and the column a
# fixed width, so the grid wraps them instead of running them off its edge.
LONG_TEXT = {"row_height": 66, "sentences": N_("Why")}
# Columns that say what a row is about: pinned, so a wide table never scrolls them out of sight
# (a right-to-left table's first column sits at its far end, where the grid's scrolling hides it).
PINNED = (N_("Partnership"), N_("Verdict"), N_("Date"), N_("Event"), N_("Due"), N_("Import"), N_("User"))


def table(frame: pd.DataFrame, key: str, sentences: str | None = None, **dataframe_args: object) -> None:
    """A table in the reader's words; an empty one says so in the reader's language (Streamlit's says "empty").

    A value left empty shows the dash every page uses for "not known", never "None".
    """
    tr = translator()
    if frame.empty:
        st.caption(tr("Nothing to show."))
        return
    if tr.rtl:  # the canvas grid runs left to right: the browser lays out a right-to-left table
        st.html(htmltables.html_table(rtl_order(frame, tr), rtl=True, lang=tr.lang))
        return
    pinned = {tr(name) for name in PINNED}
    config = {c: st.column_config.Column(pinned=True) for c in frame.columns if c in pinned}
    if sentences and tr(sentences) in frame.columns:
        config[tr(sentences)] = st.column_config.TextColumn(width="large")
    st.dataframe(frame, hide_index=True, key=key, placeholder=MISSING, column_config=config, **dataframe_args)


# The uploader's own button (not the remove and add buttons of a chosen file's chip).
_BROWSE = "[data-testid=stFileUploaderDropzone] [data-testid=stBaseButton-secondary]"


def uploader_in_words(button: str) -> None:
    """Streamlit's file uploader in the reader's words.

    Streamlit writes "Upload" and "256MB per file" in English whatever the page's language; the
    label above already says what and how large, so its own words give way to ours.
    """
    text = '"' + "".join(f"\\{ord(c):x} " if not c.isalnum() and c != " " else c for c in button) + '"'  # CSS-escaped
    st.html(
        "<style>[data-testid=stFileUploaderDropzoneInstructions] { display: none; }"
        f"{_BROWSE}, {_BROWSE} * {{ font-size: 0 !important; }}"
        f"{_BROWSE}::after {{ content: {text}; font-size: 1rem; }}</style>"
    )


def chart(fig: object, key: str, alt: str | None = None) -> None:
    """Draw a plotly chart whose camera button saves a PNG named after the chart (in the browser, offline).

    ``alt`` names the chart for a screen reader (default: its title); its figures are in a table beside it.
    """
    config = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "filename": key, "scale": 2}}
    title = getattr(getattr(getattr(fig, "layout", None), "title", None), "text", None)
    if title:  # a figure from the cache is every session's: its cleared copy is made once per version
        fig = cache.view(_cleared_copy, fig) if keys.origin(fig) is not None else clear_of_toolbar(fig)
    st.plotly_chart(fig, key=key, config=config, alt=alt or title or None)


TOOLBAR_PX = 36  # plotly's toolbar (camera, zoom) at the top of a chart, shown on a hover or a tap


def _cleared_copy(fig: object) -> object:
    return clear_of_toolbar(type(fig)(fig))


def clear_of_toolbar(fig: object) -> object:
    """Set a chart's title below plotly's toolbar, which otherwise covers it on a phone ("Partnerships by st📷tus").

    The title is pinned under a strip as tall as the toolbar, and the top margin grows to hold both.
    """
    size = fig.layout.title.font.size or fig.layout.font.size or 14
    top = fig.layout.margin.t if fig.layout.margin.t is not None else 80
    fig.update_layout(title={"yref": "container", "y": 1, "yanchor": "top", "pad": {"t": TOOLBAR_PX}},
                      margin={"t": max(top, TOOLBAR_PX + round(size * 1.6) + 8)})  # fmt: skip
    return fig


def undo_preview(undo: object, tr: i18n.Translator, key: str, cities: int = 0) -> None:
    """What an undo will do, before anyone confirms it: counted per table, and the rows of a small import."""
    for line in previews.undo_lines(undo, tr, cities):
        st.markdown(f"- {md_escape(line)}")
    rows = previews.undo_rows(undo, tr)
    if rows is not None:
        table(rows, key)


def keep_message(key: str, kind: str, text: str) -> None:
    """Say ``text`` on this session's next run: a page that changed data reruns to read it, then says what it did.

    ``kind`` is ``success``, ``info``, ``warning`` or ``error``; :func:`kept_message` shows it once.
    """
    st.session_state[f"{key}_flash"] = (kind, text)


def kept_message(key: str) -> None:
    """The message kept under ``key`` for this run, shown once (escaped: it may quote what a person typed)."""
    kind, text = st.session_state.pop(f"{key}_flash", (None, ""))
    if kind in ("success", "info", "warning", "error"):
        getattr(st, kind)(md_escape(text))
