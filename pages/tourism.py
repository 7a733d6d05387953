"""Tourism: indicators by origin country over time, signing periods marked, before/after."""

import streamlit as st

from twinmap import cache, charts, config, present, queries, reference, ui

ui.inside_frame()
_ = ui.translator()
today = config.today()
cities = cache.indicator_cities()
st.title(_("Tourism indicators"))
if cities.empty:
    st.info(_("No tourism indicators yet. Staff can add them by importing a file."))
    st.stop()

names = dict(zip(cities["id"], cities["name"], strict=True))
with st.sidebar:
    st.subheader(_("Tourism filters"))
    city_id = st.selectbox(_("Measured in"), list(names), format_func=names.get, key="tourism_city")
    row = cities[cities["id"] == city_id].iloc[0]
    held = [c for c in reference.codes(reference.INDICATORS) if c in set(row["indicators"])]
    indicator = st.selectbox(
        _("Indicator"), held, format_func=lambda c: _.term(reference.INDICATORS, c), key="tourism_indicator"
    )
    f = queries.PartnershipFilter(home_city_ids=(int(city_id),))
    partners = cache.partnerships(f, today)
    available = list(row["origins"])
    default = [c for c in dict.fromkeys(partners["partner_country"]) if c in available][:5]
    origins = st.multiselect(
        _("Visitors from"), available, default=default, format_func=_.country, key="tourism_origins"
    )
    with_total = st.checkbox(_("Show all foreign visitors"), value=False, key="tourism_total")

signings = partners[partners["partner_country"].isin(origins)]
series = cache.indicator_series(int(city_id), indicator, tuple(origins) + (("",) if with_total else ()))
label = _.term(reference.INDICATORS, indicator)
if series.empty:
    st.info(_("No data for the chosen countries of origin. Choose other countries or tick all foreign visitors."))
else:
    st.plotly_chart(charts.tourism(series, signings, label, _), key="tourism_chart")

st.subheader(_("Before and after signing"))
st.caption(
    _(
        "Indicative only. For each partnership: the mean monthly value from the partner's country over the "
        "12 whole months before the signing period and the 12 whole months after it (a signing known only to "
        "a month leaves that month out). The last column is the same change for all foreign visitors over the "
        "same months: a partnership is credited only with growth above that general trend."
    )
)
table = present.before_after_table(cache.before_after(f, indicator, today), _)
st.dataframe(table, hide_index=True, key="tourism_before_after")
