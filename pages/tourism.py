"""Tourism: indicators by origin country over time, signing periods marked, impact against the trend."""

import pandas as pd
import streamlit as st

from twinmap.core import reference
from twinmap.reads import impact, queries
from twinmap.ui import cache, page, widgets
from twinmap.views import charts, tables


def _tourism_chart(series: pd.DataFrame, partners: pd.DataFrame, origins: tuple, label: str, tr: object) -> object:
    """The indicator's lines with a band per signing with a partner of those countries."""
    return charts.tourism(series, partners[partners["partner_country"].isin(origins)], label, tr)


p = page.start()
_ = p.tr
today = p.today
cities = cache.indicator_cities()
st.title(_("Tourism indicators"))
if cities.empty:
    st.info(_("No tourism indicators yet. Staff can add them by importing a file."))
    st.stop()

names = {i: _.city(n, ln) for i, n, ln in zip(cities["id"], cities["name"], cities["local_name"], strict=True)}
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
        select_all=widgets.english_only(_),
        key="tourism_origins",
    )
    with_total = st.checkbox(_("Show all foreign visitors"), value=False, key="tourism_total")

series = cache.indicator_series(int(city_id), indicator, tuple(origins) + (("",) if with_total else ()))
label = _.term(reference.INDICATORS, indicator)
if series.empty:
    st.info(_("No data for the chosen countries of origin. Choose other countries or tick all foreign visitors."))
else:
    fig = cache.view(_tourism_chart, series, partners, tuple(origins), label, _)  # a band per signing: slow
    widgets.chart(fig, key="tourism_chart", alt=label)

st.subheader(_("Did a partnership bring more visitors than the trend?"))
months = (
    st.segmented_control(_("Months before and after signing"), [12, 24, 36], default=24, key="tourism_months") or 24
)
st.caption(
    _(
        "How it is estimated: the change in visitors from the partner's country between the {months} whole months "
        "before the signing and the {months} after it, against the same change of the home city's other countries "
        "of origin (never the partner's own). The range comes from how far each other country moves from the rest "
        "with no partnership at all, and from the counting noise of small numbers. A difference is claimed only "
        "when the 95 % range excludes zero; otherwise it says no clear difference. Under three quarters of a "
        "window's months recorded, or fewer than {need} other countries, is not enough data. Indicative, not proof "
        "of cause: tested on simulated series with no effect, it claims a difference about 5 % of the time.",
        months=_.number(months),
        need=_.number(impact.MIN_CONTROLS),
    )
)
table = tables.before_after_table(cache.tourism_impact(f, indicator, today, months), _)
widgets.table_downloads(table, "tourism-impact", key="tourism_impact")
