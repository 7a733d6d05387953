"""Map: partners, great-circle arcs and status colours; click a partner for its details."""

import pandas as pd
import streamlit as st

from twinmap.core import config, reference
from twinmap.reads import queries
from twinmap.ui import cache, leaflet, page, widgets
from twinmap.views import cards, labels, tables


def _of_city(partners: pd.DataFrame, city: int | None) -> pd.DataFrame:
    """The partnerships of the city clicked on the map (a mask over fifty thousand, once per version and city)."""
    return partners[(partners["partner_city_id"] == city) | (partners["home_city_id"] == city)]


p = page.start()
_ = p.tr
today = p.today
first, last = cache.signing_years()
with st.sidebar:
    st.subheader(_("Map filters"))
    shown = [t.code for t in reference.STATUSES if p.staff or t.code not in reference.PRIVATE_STATUSES]
    statuses = st.multiselect(
        _("Status"),
        shown,
        format_func=lambda c: _.term(reference.STATUSES, c),
        placeholder=_("All stages"),
        key="map_status",
        select_all=widgets.english_only(_),
    )
    kinds = st.multiselect(
        _("Kind"),
        reference.codes(reference.PARTNERSHIP_KINDS),
        format_func=lambda c: _.term(reference.PARTNERSHIP_KINDS, c),
        placeholder=_("All kinds"),
        key="map_kind",
        select_all=widgets.english_only(_),
    )
    areas = st.multiselect(
        _("Area of cooperation"),
        reference.codes(reference.AREAS),
        format_func=lambda c: _.term(reference.AREAS, c),
        placeholder=_("All areas"),
        key="map_area",
        select_all=widgets.english_only(_),
    )
    signed_from, signed_to, full_range = widgets.year_range(_("Signed between"), first, last, (first, last),
                                                            "map_years")  # fmt: skip

f = queries.PartnershipFilter(
    home_city_ids=p.filter.home_city_ids,
    include_private=p.staff,
    private_homes=p.filter.private_homes,
    statuses=tuple(statuses),
    kinds=tuple(kinds),
    areas=tuple(areas),
    signed_from=None if full_range else signed_from,
    signed_to=None if full_range else signed_to,
)
partners = cache.partnerships(f, today)

st.title(_("Partner map"))
st.caption(_("{n} partnerships shown. Click a city for its partnerships.", n=_.number(len(partners))))
left, right = st.columns([5, 2])
with left:
    fmap = cache.partner_map(f, today, config.get("TWINMAP_TILES"), _)
    clicked = leaflet.show(fmap, "partner_map", 620, ["last_active_drawing"])
with right:
    feature = (clicked or {}).get("last_active_drawing") or {}
    city = feature.get("properties", {}).get("city_id")
    chosen = cache.view(_of_city, partners, city)
    if chosen.empty:
        st.info(_("Select a partner city on the map to see its partnership here."))
    else:
        if len(chosen) > 1:
            names = dict(zip(chosen["id"], labels.pair_labels(chosen, _), strict=True))
            pick = st.selectbox(_("Partnership"), list(names), format_func=names.get, key=f"map_pick_{city}")
            chosen = chosen[chosen["id"] == pick]
        row = chosen.iloc[0]
        st.subheader(labels.md_escape(_.city(row["partner_name"], row["partner_local_name"])))
        if row["partner_local_name"] and row["partner_local_name"] != row["partner_name"]:
            st.caption(labels.md_escape(row["partner_local_name"]))
        widgets.card(cards.partner_card(row, _, private=p.private_for(row["home_city_id"])))
        if p.private_for(row["home_city_id"]):
            st.caption(_("Contacts (staff only)"))
            widgets.table(tables.contacts_table(cache.contacts(int(row["id"])), _), "map_contacts")

with st.expander(_("The partnerships shown, as a table")):  # what the map shows, for a screen reader too
    widgets.table_downloads(partners, "partnerships-shown", "map_table",
                            build=tables.partners_shown_table)  # fmt: skip
