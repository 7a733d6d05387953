"""The few Streamlit helpers every page shares (the frame check and the shared home filter)."""

from __future__ import annotations

import logging
import runpy

import duckdb
import pandas as pd
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner_utils.script_run_context import ThreadState, get_script_run_ctx

from twinmap import auth, cache, config, db, exporter, i18n, queries

log = logging.getLogger("twinmap")


def inside_frame() -> None:
    """Make sure the page runs inside app.py's frame, not on its own.

    Because the scripts live in ``pages/``, a fresh server whose first visitor opens a page
    URL (``/map``) runs that script alone, in Streamlit's old multipage mode: no page config,
    no navigation, no shared filters. Leaving that mode and rerunning routes the same URL
    through app.py's ``st.navigation``.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        # Run the frame now, in this same run (a rerun would drop a button click), then stop
        # this stand-alone execution of the page: the frame has run the page itself.
        runpy.run_path(str(config.ROOT / "app.py"), run_name="__main__")
        st.stop()


def as_main_script() -> None:
    """Give app.py's widgets the ids they have in an ordinary run, even in the run above.

    Streamlit folds the running page into every widget id; in the old multipage mode app.py
    runs as a page, and its sidebar widgets (language, filters) would lose the reader's choice
    on the next run.
    """
    ctx = get_script_run_ctx()
    if ctx is not None:
        ThreadState.update(active_script_hash=ctx.pages_manager.main_script_hash)


def user() -> auth.User | None:
    """The signed-in user of this session, if any."""
    return st.session_state.get("user")


def is_staff() -> bool:
    """True for a signed-in editor or admin: they may see private data."""
    current = user()
    return bool(current and current.can("editor"))


def require(role: str) -> auth.User:
    """Stop the page unless the signed-in user has ``role`` (pages are also left out of the menu)."""
    current = user()
    if current is None or not current.can(role):
        tr = translator()
        st.error(
            tr("This page is for signed-in staff with the {role} role. Sign in on the Sign in page.", role=tr(role))
        )
        st.stop()
    return current


def home_filter() -> queries.PartnershipFilter:
    """The home cities chosen in the sidebar (none = all); private stages for staff only."""
    homes = tuple(st.session_state.get("home_ids") or ())
    return queries.PartnershipFilter(home_city_ids=homes, include_private=is_staff())


def translator() -> i18n.Translator:
    """The reader's language and calendar, as chosen in the sidebar (or the kiosk's settings)."""
    lang = st.session_state.get("lang") or "en"
    cal = st.session_state.get(f"cal_{lang}") or i18n.default_calendar(lang)
    return i18n.Translator(lang, cal)


# Our own fixed stylesheet (no data in it): right-to-left layout for Persian, a font with
# Persian letters first.
_RTL_CSS = """<style>
[data-testid="stAppViewContainer"], [data-testid="stSidebar"], [data-testid="stHeader"] { direction: rtl; }
[data-testid="stAppViewContainer"] *:not([data-testid="stIconMaterial"]),
[data-testid="stSidebar"] *:not([data-testid="stIconMaterial"]) {
  font-family: "Vazirmatn", "Noto Naskh Arabic", "Noto Sans Arabic", "Source Sans Pro", sans-serif; }
[data-testid="stMarkdownContainer"], [data-testid="stCaptionContainer"], h1, h2, h3 { text-align: right; }
[data-testid="stMetric"] { text-align: right; }
</style>"""


def apply_direction(tr: i18n.Translator) -> None:
    """Lay the page out right to left for Persian."""
    if tr.rtl:
        st.html(_RTL_CSS)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def table_downloads(frame: pd.DataFrame, name: str, key: str, **dataframe_args: object) -> None:
    """Show a table with CSV and Excel downloads of exactly what is shown.

    The files are made when a button is pressed (deferred data), not on every rerun: a
    20,000-row register would otherwise build a workbook each time a widget moves. A press does
    not rerun the page (``on_click="ignore"``), which would race the deferred request.
    """
    tr = translator()
    st.dataframe(frame, hide_index=True, key=key, **dataframe_args)
    left, right, _ = st.columns([1, 1, 4])
    icon = ":material/download:"
    left.download_button(
        tr("CSV"),
        lambda: exporter.frame_csv(frame),
        f"{name}.csv",
        "text/csv",
        key=f"{key}_csv",
        icon=icon,
        on_click="ignore",
    )
    right.download_button(
        tr("Excel"),
        lambda: exporter.frame_xlsx({name: frame}),
        f"{name}.xlsx",
        XLSX,
        key=f"{key}_xlsx",
        icon=icon,
        on_click="ignore",
    )


STORE_ERRORS = (db.DatabaseError, duckdb.Error)


def store_unavailable(err: Exception) -> None:
    """Say why the data cannot be shown, in the reader's language and without paths, and try again by itself."""
    log.warning("twinmap: the store cannot be read: %s", err)
    problem = cache.problem() or (err if isinstance(err, db.DatabaseError) else None)
    tr = translator()
    if problem is not None:
        st.error(tr(problem.msgid, **problem.values))
    else:
        st.error(tr(db.DAMAGED, why=type(err).__name__))
    st.caption(tr("This page tries again every few seconds by itself."))
    _retry()


@st.fragment(run_every=10)
def _retry() -> None:
    """Run the whole page again as soon as the store answers."""
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


def chart(fig: object, key: str) -> None:
    """Draw a plotly chart whose camera button saves a PNG named after the chart (in the browser, offline)."""
    config = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "filename": key, "scale": 2}}
    st.plotly_chart(fig, key=key, config=config)
