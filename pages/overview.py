"""Overview: headline figures, a small map and what is coming next."""

import streamlit as st
from streamlit_folium import st_folium

from twinmap import cache, charts, config, maps, present, queries, ui

ui.inside_frame()

today = config.today()
f = ui.home_filter()
head = cache.headline(f, today)

st.title("Sister-city partnerships")
cols = st.columns(5)
cols[0].metric("Partners", head.partners)
cols[1].metric("Countries", head.countries)
cols[2].metric(f"Events in {today.year}", head.events_this_year)
cols[3].metric("Upcoming events", head.upcoming_events)
cols[4].metric("Expiring within 12 months", head.expiring_12_months)

left, right = st.columns([3, 2])
with left:
    partners = cache.partnerships(f, today)
    homes = cache.home_cities()
    homes = homes[homes["id"].isin(partners["home_city_id"])]
    fmap = maps.partnership_map(partners, homes, tiles=config.get("TWINMAP_TILES"))
    st_folium(fmap, key="overview_map", height=380, use_container_width=True, returned_objects=[])
with right:
    st.plotly_chart(charts.status_bar(head.by_status), key="overview_status", config={"displayModeBar": False})

st.subheader("Next events")
upcoming = cache.upcoming_events(f, today, 8)
st.dataframe(present.events_table(upcoming), hide_index=True, key="overview_events")

expiring = queries.expiring(partners, today, 12)
if len(expiring):
    st.subheader("Agreements expiring within 12 months")
    st.dataframe(present.expiring_table(expiring, today), hide_index=True, key="overview_expiring")
