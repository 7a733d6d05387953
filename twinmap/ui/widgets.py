"""What pages draw the same way: tables with downloads, charts, the outcome of a form, store trouble."""

from __future__ import annotations

import logging

import duckdb
import pandas as pd
import streamlit as st

from twinmap.ingest import exporter
from twinmap.store import db
from twinmap.ui import cache
from twinmap.ui.session import translator
from twinmap.views.labels import md_escape

log = logging.getLogger("twinmap")


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
    problem = cache.problem() or db.explain(err)
    tr = translator()
    st.error(tr(problem.msgid, **problem.values))
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


def metrics(figures: list[tuple[str, str, str | None]], columns: int = 4) -> None:
    """Headline figures side by side: (label, value, help)."""
    for col, (label, value, hint) in zip(st.columns(columns), figures, strict=False):
        col.metric(label, value, help=hint)


def card(pairs: list[tuple[str, str]]) -> None:
    """A card of (label, text) lines; the text is data, shown as typed."""
    for label, text in pairs:
        st.markdown(f"**{md_escape(label)}:** {md_escape(text)}")


def titled_table(title: str, frame: pd.DataFrame, key: str, always: bool = False) -> None:
    """A table under its heading; an empty table is left out (unless ``always``), heading and all."""
    if always or len(frame):
        st.subheader(title)
        st.dataframe(frame, hide_index=True, key=key)


def chart(fig: object, key: str) -> None:
    """Draw a plotly chart whose camera button saves a PNG named after the chart (in the browser, offline)."""
    config = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "filename": key, "scale": 2}}
    st.plotly_chart(fig, key=key, config=config)
