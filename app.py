"""twinmap: the frame around every page (page config, language, sign-in state, filters, navigation)."""

import streamlit as st

from twinmap import cache, i18n, kiosk, ui

ui.as_main_script()
st.set_page_config(page_title="twinmap", page_icon="🌐", layout="wide")
st.session_state.setdefault("user", None)

if kiosk.enabled(st.query_params):
    # The public screen: one page, no navigation, no sidebar, nothing to type into.
    st.navigation([st.Page("pages/kiosk.py", title="twinmap", url_path="kiosk")], position="hidden").run()
    st.stop()

if "lang" not in st.session_state:  # first run of a session: the URL may choose (?lang=fa)
    st.session_state.lang = st.query_params.get("lang") if st.query_params.get("lang") in i18n.LANGUAGES else "en"
st.sidebar.selectbox("Language / Язык / زبان", list(i18n.LANGUAGES), format_func=i18n.LANGUAGES.get, key="lang")
lang = st.session_state.lang
st.query_params["lang"] = lang  # a link or bookmark keeps the language
_ = ui.translator()
st.sidebar.radio(
    _("Calendar"),
    i18n.CALENDARS,
    index=i18n.CALENDARS.index(i18n.default_calendar(lang)),
    format_func=lambda c: _("Solar Hijri (Jalali)") if c == "jalali" else _("Gregorian"),
    key=f"cal_{lang}",
    horizontal=True,
)
_ = tr = ui.translator()
ui.apply_direction(tr)

DASHBOARDS = [
    st.Page("pages/overview.py", title=_("Overview"), icon=":material/dashboard:", url_path="overview", default=True),
    st.Page("pages/map.py", title=_("Map"), icon=":material/map:", url_path="map"),
    st.Page("pages/timeline.py", title=_("Timeline"), icon=":material/timeline:", url_path="timeline"),
    st.Page("pages/tourism.py", title=_("Tourism"), icon=":material/travel_explore:", url_path="tourism"),
    st.Page("pages/register.py", title=_("Register"), icon=":material/list_alt:", url_path="register"),
    st.Page("pages/pipeline.py", title=_("Pipeline"), icon=":material/view_kanban:", url_path="pipeline"),
    st.Page("pages/network.py", title=_("Network"), icon=":material/hub:", url_path="network"),
]
staff = []
if ui.user():
    staff.append(st.Page("pages/missions.py", title=_("Missions and follow-ups"), icon=":material/flight_takeoff:",
                         url_path="missions"))  # fmt: skip
if ui.is_staff():
    staff.append(st.Page("pages/finder.py", title=_("Partner finder"), icon=":material/person_search:",
                         url_path="finder"))  # fmt: skip
    staff.append(st.Page("pages/data.py", title=_("Data"), icon=":material/upload_file:", url_path="data"))
if ui.user() and ui.user().can("admin"):
    staff.append(st.Page("pages/users.py", title=_("Users"), icon=":material/group:", url_path="users"))
account = _("Account") if ui.user() else _("Sign in")
staff.append(st.Page("pages/account.py", title=account, icon=":material/login:", url_path="account"))
page = st.navigation({_("Dashboards"): DASHBOARDS, _("Staff"): staff})

try:
    homes = cache.home_cities()
    names = {int(i): tr.city(n, ln) for i, n, ln in zip(homes["id"], homes["name"], homes["local_name"], strict=True)}
    st.sidebar.multiselect(
        _("Home cities"),
        options=list(names),
        format_func=names.get,
        key="home_ids",
        placeholder=_("All home cities"),
        help=_("Show the partnerships of these home cities only."),
    )
    ui.stale_warning()
    page.run()
except ui.STORE_ERRORS as err:  # a busy, damaged or newer store: a clear message, never a traceback
    ui.store_unavailable(err)
