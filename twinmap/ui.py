"""The few Streamlit helpers every page shares (the frame check and the shared home filter)."""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from twinmap import queries


def inside_frame() -> None:
    """Make sure the page runs inside app.py's frame, not on its own.

    Because the scripts live in ``pages/``, a fresh server whose first visitor opens a page
    URL (``/map``) runs that script alone, in Streamlit's old multipage mode: no page config,
    no navigation, no shared filters. Leaving that mode and rerunning routes the same URL
    through app.py's ``st.navigation``.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def home_filter() -> queries.PartnershipFilter:
    """The partnership filter of the home cities chosen in the sidebar (none = all)."""
    return queries.PartnershipFilter(home_city_ids=tuple(st.session_state.get("home_ids") or ()))
