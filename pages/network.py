"""Network: our partners' own partners, partners shared between home cities, and each city's ties."""

import streamlit as st
from streamlit_folium import st_folium

from twinmap.core import config
from twinmap.reads import network
from twinmap.ui import cache, page, widgets
from twinmap.views import maps

p = page.start()
_ = p.tr
f = p.filter
homes = cache.home_cities()
home_ids = set(f.home_city_ids) or {int(i) for i in homes["id"]}
links = cache.network_edges(f.include_private)
shown = network.around(links, home_ids)
cities = network.degrees(shown, home_ids)

st.title(_("Twinning network"))
st.caption(_("Our partnerships and, where the data holds them, our partners' own twin cities (dashed)."))
fmap = maps.network_map(shown, cities, tiles=config.get("TWINMAP_TILES"), tr=_)
st_folium(fmap, key="network_map", height=460, use_container_width=True, returned_objects=[])

second = network.partners_of_partners(shown, home_ids)
st.subheader(_("Partners of our partners"))
if second.empty:
    st.info(_("The data holds no twin cities of our partners yet. Staff can import them (table: other cities' ties)."))
else:
    table = second.assign(second_country=second["second_country"].map(_.country))
    table.columns = [_("Home city"), _("Our partner"), _("Its partner"), _("Country")]
    widgets.table_downloads(table, "partners-of-partners", "network_second")

st.subheader(_("Partners shared by several home cities"))
shared = network.shared_partners(shown, home_ids)
if shared.empty:
    st.info(_("No partner city is shared by two of our home cities."))
else:
    table = shared.assign(homes=shared["homes"].map(", ".join), b_country=shared["b_country"].map(_.country))
    table = table[["b_name", "b_country", "homes"]]
    table.columns = [_("Partner city"), _("Country"), _("Home cities")]
    widgets.table_downloads(table, "shared-partners", "network_shared")

st.subheader(_("Twin cities per city"))
table = cities.assign(country=cities["country"].map(_.country))[["name", "country", "degree"]]
table.columns = [_("City"), _("Country"), _("Twin cities")]
widgets.table_downloads(table, "degree-per-city", "network_degree")
