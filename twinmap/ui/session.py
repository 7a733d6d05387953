"""Who is reading, in which language, and what they may see: the session's state for every page."""

from __future__ import annotations

import streamlit as st

from twinmap.reads import queries
from twinmap.store import auth
from twinmap.ui import cache, compat
from twinmap.views import i18n


def user() -> auth.User | None:
    """The signed-in user of this session, if any."""
    return st.session_state.get("user")


def adopt_directory_user() -> None:
    """A person the directory signed in (OIDC, ``st.login``) becomes this session's twinmap user, once.

    Their role and home cities come from the claims (:func:`twinmap.store.auth.sign_in_directory`);
    a refusal is kept for the Sign in page to say why.
    """
    if st.session_state.get("user") is not None or not compat.directory_signed_in():
        return
    claims = compat.directory_claims()
    if st.session_state.get("directory_refused") == claims.get("sub"):
        return  # refused once for this sign-in: say so on the Sign in page, do not retry every run
    try:
        st.session_state.user = auth.sign_in_directory(cache.connection(), claims)
    except auth.AuthError as err:
        st.session_state.directory_refused = claims.get("sub")
        st.session_state.directory_error = (err.msgid, err.values)


def sign_out() -> None:
    """End the session's sign-in, recorded; a directory's sign-in ends there too (its cookie, and the provider's)."""
    current = user()
    st.session_state.user = None
    if current is not None:
        auth.signed_out(cache.connection(), current)
    if current is not None and current.method == auth.DIRECTORY:
        compat.directory_sign_out()
    st.rerun()


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
    """The home cities chosen in the sidebar (none = all); private stages for staff only, of their own home cities."""
    homes = tuple(st.session_state.get("home_ids") or ())
    current = user()
    own = current.homes if current is not None and current.scoped else ()
    return queries.PartnershipFilter(home_city_ids=homes, include_private=is_staff(), private_homes=own)


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


# A figure's label wraps onto a second line instead of being cut ("Expiring within 12 …"): six
# figures side by side at 1280 px leave a Russian label about 120 px.
_PAGE_CSS = """<style>
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  height: auto !important; }
</style>"""


def apply_direction(tr: i18n.Translator) -> None:
    """Page styles every reader needs, and the right-to-left layout for Persian."""
    st.html(_PAGE_CSS + (_RTL_CSS if tr.rtl else ""))
