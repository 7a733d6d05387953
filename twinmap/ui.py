"""The few Streamlit helpers every page shares (the frame check and the shared home filter)."""

from __future__ import annotations

import runpy

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from twinmap import auth, config, queries


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
        st.error(f"This page is for signed-in staff with the {role} role. Sign in on the Sign in page.")
        st.stop()
    return current


def home_filter() -> queries.PartnershipFilter:
    """The home cities chosen in the sidebar (none = all); private stages for staff only."""
    homes = tuple(st.session_state.get("home_ids") or ())
    return queries.PartnershipFilter(home_city_ids=homes, include_private=is_staff())
