"""twinmap: the frame around every page (page config, shared filters, navigation)."""

import streamlit as st

from twinmap import cache

st.set_page_config(page_title="twinmap", page_icon="🌐", layout="wide")

PAGES = [
    st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", url_path="overview", default=True),
    st.Page("pages/map.py", title="Map", icon=":material/map:", url_path="map"),
    st.Page("pages/timeline.py", title="Timeline", icon=":material/timeline:", url_path="timeline"),
    st.Page("pages/tourism.py", title="Tourism", icon=":material/travel_explore:", url_path="tourism"),
]
page = st.navigation(PAGES)

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
