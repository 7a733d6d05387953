"""Tourism: indicators by origin country over time, signing periods marked, impact against the trend."""

import streamlit as st

from twinmap.core import reference
from twinmap.reads import queries
from twinmap.ui import cache, page, widgets
from twinmap.views import charts, tables

p = page.start()
_ = p.tr
today = p.today
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
        _("Visitors from"),
        available,
        default=default,
        format_func=_.country,
        placeholder=_("Choose countries"),
        key="tourism_origins",
    )
    with_total = st.checkbox(_("Show all foreign visitors"), value=False, key="tourism_total")

signings = partners[partners["partner_country"].isin(origins)]
series = cache.indicator_series(int(city_id), indicator, tuple(origins) + (("",) if with_total else ()))
label = _.term(reference.INDICATORS, indicator)
if series.empty:
    st.info(_("No data for the chosen countries of origin. Choose other countries or tick all foreign visitors."))
else:
    fig = cache.built(
        ("tourism_chart", int(city_id), indicator, tuple(origins), with_total, today, _),
        lambda: charts.tourism(series, signings, label, _),
    )  # a band per signing: slow to build
    widgets.chart(fig, key="tourism_chart", alt=label)

st.subheader(_("Did tourism from partner countries grow beyond the general trend?"))
months = (
    st.segmented_control(_("Months before and after signing"), [12, 24, 36], default=24, key="tourism_months") or 24
)
st.caption(
    _(
        "Indicative only, not proof of cause. For each partnership: the mean monthly value from the partner's "
        "country over the {months} whole months before the signing period and the {months} whole months after it "
        "(a signing known only to a month leaves that month out), and the same change for all foreign visitors "
        "over the same months. A partnership is credited only with the difference, in percentage points; within "
        "±5 points is the general trend. Windows with under three quarters of their months recorded show as not "
        "enough data.",
        months=_.number(months),
    )
)
table = tables.before_after_table(cache.tourism_impact(f, indicator, today, months), _)
widgets.table_downloads(table, "tourism-impact", key="tourism_impact")
