"""twinmap: the frame around every page (page config, sign-in state, shared filters, navigation)."""

import streamlit as st

from twinmap import cache, ui

st.set_page_config(page_title="twinmap", page_icon="🌐", layout="wide")
st.session_state.setdefault("user", None)

DASHBOARDS = [
    st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", url_path="overview", default=True),
    st.Page("pages/map.py", title="Map", icon=":material/map:", url_path="map"),
    st.Page("pages/timeline.py", title="Timeline", icon=":material/timeline:", url_path="timeline"),
    st.Page("pages/tourism.py", title="Tourism", icon=":material/travel_explore:", url_path="tourism"),
]
staff = []
if ui.is_staff():
    staff.append(st.Page("pages/data.py", title="Data", icon=":material/upload_file:", url_path="data"))
if ui.user() and ui.user().can("admin"):
    staff.append(st.Page("pages/users.py", title="Users", icon=":material/group:", url_path="users"))
signed_in = ui.user() is not None
staff.append(
    st.Page(
        "pages/account.py", title="Account" if signed_in else "Sign in", icon=":material/login:", url_path="account"
    )
)
page = st.navigation({"Dashboards": DASHBOARDS, "Staff": staff})

homes = cache.home_cities()
names = {int(i): n for i, n in zip(homes["id"], homes["name"], strict=True)}
st.sidebar.multiselect(
    "Home cities",
    options=list(names),
    format_func=names.get,
    key="home_ids",
    placeholder="All home cities",
    help="Show the partnerships of these home cities only.",
)
page.run()
