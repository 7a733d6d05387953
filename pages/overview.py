"""Overview: headline figures, a small map and what is coming next."""

import streamlit as st
from streamlit_folium import st_folium

from twinmap import cache, charts, config, maps, present, queries, ui

ui.inside_frame()
_ = ui.translator()
today = config.today()
f = ui.home_filter()
head = cache.headline(f, today)

st.title(_("Sister-city partnerships"))
cols = st.columns(5)
cols[0].metric(_("Partners"), _.number(head.partners))
cols[1].metric(_("Countries"), _.number(head.countries))
cols[2].metric(_("Events in {year}", year=_.digits(str(today.year))), _.number(head.events_this_year))
cols[3].metric(_("Upcoming events"), _.number(head.upcoming_events))
cols[4].metric(_("Expiring within 12 months"), _.number(head.expiring_12_months))

left, right = st.columns([3, 2])
with left:
    partners = cache.partnerships(f, today)
    homes = cache.home_cities()
    homes = homes[homes["id"].isin(partners["home_city_id"])]
    fmap = maps.partnership_map(partners, homes, tiles=config.get("TWINMAP_TILES"), tr=_)
    st_folium(fmap, key="overview_map", height=380, use_container_width=True, returned_objects=[])
with right:
    st.plotly_chart(charts.status_bar(head.by_status, _), key="overview_status", config={"displayModeBar": False})

st.subheader(_("Next events"))
upcoming = cache.upcoming_events(f, today, 8)
st.dataframe(present.events_table(upcoming, _), hide_index=True, key="overview_events")

expiring = queries.expiring(partners, today, 12)
if len(expiring):
    st.subheader(_("Agreements expiring within 12 months"))
    st.dataframe(present.expiring_table(expiring, today, _), hide_index=True, key="overview_expiring")
