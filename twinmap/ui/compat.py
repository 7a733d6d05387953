"""The one place twinmap leans on Streamlit internals, because the design card fixes the folder ``pages/``.

Streamlit enters its old multipage mode whenever a ``pages/`` folder sits beside the main script,
even with ``st.navigation`` (maintainers noted the "weirdness" in streamlit/streamlit PR 10276):
a direct URL on a fresh server runs the page alone. ``tests/test_compat.py`` fails loudly if a
Streamlit upgrade moves the internals used here.
"""

from __future__ import annotations

import runpy

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner_utils.script_run_context import ThreadState, get_script_run_ctx

from twinmap.core import config


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
