"""twinmap: the frame around every page (page config, language, sign-in state, filters, navigation)."""

import contextlib

import streamlit as st

from twinmap.ui import cache, compat, pages, session, widgets
from twinmap.views import i18n, kiosk

compat.as_main_script()
st.set_page_config(page_title="twinmap", page_icon="🌐", layout="wide")
cache.begin_run()  # the data version, read once: every read of this run is of one version
st.session_state.setdefault("user", None)

if kiosk.enabled(st.query_params):
    # The public screen: one page, no navigation, no sidebar, nothing to type into.
    screen = pages.KIOSK
    st.navigation([st.Page(screen.path, title=screen.title, url_path=screen.url)], position="hidden").run()
    st.stop()

with contextlib.suppress(*widgets.STORE_ERRORS):  # the store unavailable: the page below says so
    session.adopt_directory_user()  # a person the directory signed in (single sign-on) is this session's user
    session.restore_signed_in()  # a reload or a new tab of a browser signed in today
    session.check_reader()  # the store says who the user is now: removed, signed out elsewhere, a new role

if "lang" not in st.session_state:  # first run of a session: the URL may choose (?lang=fa)
    st.session_state.lang = st.query_params.get("lang") if st.query_params.get("lang") in i18n.LANGUAGES else "en"
st.sidebar.selectbox("Language / Язык / زبان", list(i18n.LANGUAGES), format_func=i18n.LANGUAGES.get, key="lang")
lang = st.session_state.lang
st.query_params["lang"] = lang  # a link or bookmark keeps the language
_ = session.translator()
st.sidebar.radio(
    _("Calendar"),
    i18n.CALENDARS,
    index=i18n.CALENDARS.index(i18n.default_calendar(lang)),
    format_func=lambda c: _("Solar Hijri (Jalali)") if c == "jalali" else _("Gregorian"),
    key=f"cal_{lang}",
    horizontal=True,
)
_ = tr = session.translator()
session.apply_direction(tr)
with contextlib.suppress(*widgets.STORE_ERRORS):
    session.keep_sign_in()  # this browser's sign-in lasts a working day, or is forgotten after a sign-out

user = session.user()
menu = {
    _(group): [
        st.Page(p.path, title=_(p.menu_title(user)), icon=p.icon, url_path=pages.menu_url(p), default=p is pages.HOME)
        for p in defs
    ]
    for group, defs in pages.visible(user).items()
}
# Every page answers at its own URL: the home page at "/" and at a hidden twin of its own URL; a
# staff page opened from a link before signing in says who may see it (instead of "Page not found").
home = st.Page(pages.HOME.path, title=_(pages.HOME.title), url_path=pages.HOME.url, visibility="hidden")
closed = [st.Page(p.path, title=_(p.title), url_path=p.url, visibility="hidden") for p in pages.hidden(user)]
menu[next(iter(menu))] += [home, *closed]
page = st.navigation(menu, expanded=True)  # every page in view: staff pages are not hidden behind "View more"

try:
    session.signed_out_notice()
    widgets.pick_home_cities(st.sidebar)
    widgets.stale_warning()
    page.run()
except widgets.STORE_ERRORS as err:  # a busy, damaged or newer store: a clear message, never a traceback
    widgets.store_unavailable(err)
