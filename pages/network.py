"""Network: our partners' own partners, partners shared between home cities, and each city's ties."""

import streamlit as st

from twinmap.core import config
from twinmap.ui import cache, leaflet, page, widgets
from twinmap.views import tables

p = page.start()
_ = p.tr
f = p.filter
homes = cache.home_cities()
home_ids = tuple(sorted(set(f.home_city_ids) or {int(i) for i in homes["id"]}))
shown, cities, second, shared = cache.network_view(f.include_private, home_ids, f.private_homes)

st.title(_("Twinning network"))
st.caption(_("Our partnerships and, where the data holds them, our partners' own twin cities (dashed)."))
fmap = cache.network_map(f.include_private, home_ids, config.get("TWINMAP_TILES"), _, f.private_homes)
leaflet.show(fmap, "network_map", 460)

st.subheader(_("Partners of our partners"))
if second.empty:
    st.info(_("The data holds no twin cities of our partners yet. Staff can import them (table: other cities' ties)."))
else:
    widgets.table_downloads(second, "partners-of-partners", "network_second",
                            build=tables.second_partners_table)  # fmt: skip

st.subheader(_("Partners shared by several home cities"))
if shared.empty:
    st.info(_("No partner city is shared by two of our home cities."))
else:
    widgets.table_downloads(shared, "shared-partners", "network_shared",
                            build=tables.shared_partners_table)  # fmt: skip

st.subheader(_("Twin cities per city"))
widgets.table_downloads(cities, "degree-per-city", "network_degree", build=tables.degree_table)
