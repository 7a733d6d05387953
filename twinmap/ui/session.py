"""Who is reading, in which language, and what they may see: the session's state for every page."""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict

import streamlit as st

from twinmap.core import config
from twinmap.core.reference import N_
from twinmap.reads import queries
from twinmap.store import auth, tickets
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
    """End the user's sign-in in every session (tabs, devices, servers), recorded; a directory's sign-in ends too."""
    current = user()
    st.session_state.user = None
    st.session_state.forget_sign_in = True  # this browser's lasting sign-in goes too (the store's epoch ended it)
    if current is not None:
        auth.signed_out(cache.connection(), current)
    if current is not None and current.method == auth.DIRECTORY:
        compat.directory_sign_out()  # sends the browser to the provider's sign-out, then back: nothing more to run
        st.stop()
    st.rerun()


IDLE = N_("you were signed out after {minutes} minutes without activity")

# Users as the store holds them, per (store, users_version, name): a run asks the store one small
# question (has any user changed?) and reads its own user again only when one has.
_standings: OrderedDict[tuple[str, int, str], auth.User | None] = OrderedDict()
_standings_lock = threading.Lock()


def _as_stored(name: str) -> auth.User | None:
    con = cache.connection()
    key = (config.db_target(), auth.users_version(con), name)
    with _standings_lock:
        if key in _standings:
            return _standings[key]
    found = auth.user(con, name)
    with _standings_lock:
        _standings[key] = found
        while len(_standings) > 1024:
            _standings.popitem(last=False)
    return found


def check_reader() -> None:
    """At the start of every run: the store says who this session's user is now, and an idle session ends.

    A removed user, or one whose sessions were ended (signed out in another tab, a new password,
    an admin's "sign out everywhere"), is signed out here, before any page reads; a new role or
    new home cities apply from this run on. Private data is never read on the strength of what
    the session remembered.
    """
    try:
        _check(user())
    finally:
        _note_uploader()


def _check(current: auth.User | None) -> None:
    if current is None:
        return
    now, idle = time.monotonic(), _idle_seconds()
    seen = st.session_state.get("seen_at")
    if idle and seen is not None and now - seen > idle:
        _end(current, IDLE, minutes=idle // 60)
        return
    st.session_state.seen_at = now
    fresh, why = auth.standing(current, _as_stored(current.name))
    if fresh is None:
        _end(current, why)
    elif fresh is not current:
        st.session_state.user = fresh


def idle_minutes() -> int:
    """Minutes a signed-in session may stay idle (``TWINMAP_IDLE_MINUTES``; 0: no limit)."""
    return config.whole("TWINMAP_IDLE_MINUTES")


# The sessions whose last run was an editor's or admin's: only they may send a file to the server
# (twinmap.ui.asgi refuses every other upload before reading it). Process-wide, as sessions are.
_uploaders: set[str] = set()
_uploaders_lock = threading.Lock()


def _note_uploader() -> None:
    """Remember whether this session may upload files now (after the run's check of who reads)."""
    session = compat.session_id()
    if session is None:
        return
    with _uploaders_lock:
        if is_staff():
            _uploaders.add(session)
        else:
            _uploaders.discard(session)


def may_upload(session: str) -> bool:
    """Whether the session may send a file: its last run was signed in as an editor or admin."""
    with _uploaders_lock:
        return session in _uploaders


def _idle_seconds() -> int:
    return idle_minutes() * 60


def _end(current: auth.User, why: str, **values: object) -> None:
    """Sign this session out for ``why`` (said once on the next page); a directory's sign-in ends in this browser."""
    st.session_state.user = None
    st.session_state.pop("seen_at", None)
    st.session_state.signed_out_because = (why, values)
    st.session_state.forget_sign_in = True
    if current.method == auth.DIRECTORY and compat.directory_signed_in():
        compat.directory_sign_out()
        st.stop()


def restore_signed_in() -> None:
    """A new session of a browser that signed in today (a reload, a bookmark, a new tab) is signed in again.

    Its HttpOnly cookie (:mod:`twinmap.store.tickets`) names the user and their sessions' epoch;
    the store must still hold that user with that epoch, or nothing happens. A session that was
    signed out or timed out here is never signed in again from the cookie.
    """
    if user() is not None or st.session_state.get("forget_sign_in") or st.session_state.get("no_restore"):
        return
    found = tickets.check(cache.connection(), st.context.cookies.get(tickets.COOKIE))
    if found is not None:
        st.session_state.user = found
        st.session_state.remembered = found.epoch  # its browser holds the cookie already
        st.session_state.seen_at = time.monotonic()


# Our own fixed script; the only values put in are the route's path and a ticket the server
# signed (base64url and hex characters), written as JSON strings.
_COOKIE_JS = """<script>
fetch(@PATH@, {method: @METHOD@, body: @BODY@, credentials: "same-origin", headers: {"content-type": "text/plain"}});
</script>"""


def keep_sign_in() -> None:
    """Make this browser's sign-in last (once per sign-in), or forget it after a sign-out or a time-out."""
    if st.session_state.pop("forget_sign_in", False):
        st.session_state.no_restore = True
        st.session_state.pop("remembered", None)
        _cookie_script("DELETE", "")
        return
    current = user()
    if current is None or st.session_state.get("remembered") == current.epoch:
        return
    st.session_state.remembered = current.epoch
    made = tickets.ticket(cache.connection(), current)
    if made is not None:
        st.session_state.pop("no_restore", None)
        _cookie_script("POST", made)


def _cookie_script(method: str, body: str) -> None:
    script = (_COOKIE_JS.replace("@PATH@", json.dumps(tickets.ROUTE)).replace("@METHOD@", json.dumps(method))
              .replace("@BODY@", json.dumps(body)))  # fmt: skip
    st.html(script, unsafe_allow_javascript=True)


def signed_out_notice() -> None:
    """Say once, on the page that follows, why this session was signed out."""
    why = st.session_state.pop("signed_out_because", None)
    if why is not None:
        st.warning(translator().sentence(why[0], **why[1]))


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
/* Right to left, the sidebar sits at the right; Streamlit hides a collapsed one by sliding it left,
   which there leaves its items squeezed over the page (a 390 px phone): a collapsed sidebar (no
   width) shows nothing. */
[data-testid="stSidebar"] { overflow: hidden; }
/* Plotly measures every label in a hidden element of the page's body before it sizes the margins;
   right to left there, a label measured as running left into the chart was drawn running right,
   off the chart (the Pipeline funnel's stage names clipped). Measured as drawn: whole. */
#js-plotly-tester { direction: ltr; }
</style>"""


# A figure's label and value, and a button's label, wrap onto a second line instead of being cut
# ("Expiring within 12 …", "Под угрозой", "Сохранить изм…"): six figures side by side at 1280 px
# leave a Russian label about 120 px.
# Captions in a grey dark enough to read (Streamlit's is 3.9:1 on white; WCAG AA asks 4.5:1), and
# a focus ring on everything a keyboard reaches.
_PAGE_CSS = """<style>
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] *,
[data-testid="stMetricValue"], [data-testid="stMetricValue"] *,
button [data-testid="stMarkdownContainer"], button [data-testid="stMarkdownContainer"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  height: auto !important; }
button:has([data-testid="stMarkdownContainer"]) { height: auto !important; }
[data-testid="stCaptionContainer"] { opacity: 1 !important; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] * { color: #5f5e5c !important; }
a:focus-visible, button:focus-visible, input:focus-visible, [role="button"]:focus-visible,
[tabindex]:focus-visible { outline: 2px solid #1a659a !important; outline-offset: 2px; }
</style>"""


# Our own fixed script (the reader's language code and direction are the only values put in,
# both from the catalogue's list): the document says which language it is in, so a screen reader
# reads Persian as Persian (Streamlit writes lang="en" in its page, streamlit/streamlit#15726); and
# the navigation's list, which Streamlit builds with section headers between its items, is given
# roles a screen reader can follow (a group of links per section). Streamlit redraws the sidebar
# as people move between pages, so an observer applies both again after every redraw.
_DOCUMENT_JS = """<script>
(function () {
  window.tmDocument = {lang: "@LANG@", dir: "@DIR@"};
  function apply() {
    var want = window.tmDocument, html = document.documentElement;
    if (html.getAttribute("lang") !== want.lang) { html.setAttribute("lang", want.lang); }
    if (html.getAttribute("dir") !== want.dir) { html.setAttribute("dir", want.dir); }
    document.querySelectorAll("[data-testid=stSidebarNavItems]").forEach(function (list) {
      if (list.getAttribute("role") !== "none") { list.setAttribute("role", "none"); }
      Array.prototype.forEach.call(list.children, function (section) {
        if (section.tagName === "DIV" && section.getAttribute("role") !== "group") {
          var title = section.querySelector("[data-testid=stNavSectionHeader] p");
          section.setAttribute("role", "group");
          if (title) { section.setAttribute("aria-label", title.textContent); }
        }
      });
      list.querySelectorAll("li").forEach(function (item) {
        if (item.getAttribute("role") !== "none") { item.setAttribute("role", "none"); }
      });
    });
  }
  apply();
  if (!window.tmObserver) {
    window.tmObserver = new MutationObserver(apply);
    window.tmObserver.observe(document.body, {childList: true, subtree: true});
  }
})();
</script>"""


def apply_direction(tr: i18n.Translator) -> None:
    """Page styles every reader needs, the right-to-left layout for Persian, and the document's language."""
    st.html(_PAGE_CSS + (_RTL_CSS if tr.rtl else ""))
    script = _DOCUMENT_JS.replace("@LANG@", tr.lang).replace("@DIR@", "rtl" if tr.rtl else "ltr")
    st.html(script, unsafe_allow_javascript=True)
