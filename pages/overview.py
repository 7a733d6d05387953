"""Overview: headline figures, a small map, what is coming, and (signed in) what needs attention."""

import streamlit as st
from streamlit_folium import st_folium

from twinmap import cache, charts, config, impact, maps, present, queries, reference, ui
from twinmap import present_register as pr

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
    ui.chart(charts.status_bar(head.by_status, _), key="overview_status")

st.subheader(_("Next events"))
upcoming = cache.upcoming_events(f, today, 8)
st.dataframe(present.events_table(upcoming, _), hide_index=True, key="overview_events")

if ui.user() is None:
    expiring = queries.expiring(partners, today, 12)
    if len(expiring):
        st.subheader(_("Agreements expiring within 12 months"))
        st.dataframe(present.expiring_table(expiring, today, _), hide_index=True, key="overview_expiring")
    st.caption(_("Sign in to see how each partnership is doing, what is overdue and the tourism impact."))
    st.stop()

st.header(_("What needs attention"))
assessed = cache.health(f, today)
counts = assessed["klass"].value_counts()
h = st.columns(3)
for col, term in zip(h, reference.HEALTH_CLASSES, strict=True):
    col.metric(_(term.label), _.number(int(counts.get(term.code, 0))))
weak = assessed[assessed["klass"] != "active"]
if len(weak):
    st.subheader(_("Dying or at risk, and why"))
    ui.table_downloads(pr.health_table(weak, _), "partnership-health", "overview_health")

six, twelve = queries.expiring(partners, today, 6), queries.expiring(partners, today, 12)
later = twelve[~twelve["id"].isin(six["id"])]
for frame, title, key in ((six, _("Agreements expiring within 6 months"), "overview_expiring_6"),
                          (later, _("Agreements expiring in 6 to 12 months"), "overview_expiring_12")):  # fmt: skip
    if len(frame):
        st.subheader(title)
        st.dataframe(present.expiring_table(frame, today, _), hide_index=True, key=key)

ids = tuple(int(i) for i in partners["id"])
follow = cache.follow_ups(today, ids)
if follow["overdue"].any():
    st.subheader(_("Overdue follow-up actions"))
    st.dataframe(pr.follow_ups_table(follow[follow["overdue"]], _), hide_index=True, key="overview_overdue")
goals = cache.targets(today, ids)
missed = goals[goals["state"] == "missed"]
if len(missed):
    st.subheader(_("Targets missed"))
    st.dataframe(pr.targets_table(missed, _), hide_index=True, key="overview_targets")

st.subheader(_("Tourism from partner countries against the general trend"))
result = cache.impact(f, "tourist_arrivals", today, 24)
summary = pr.impact_summary(result)
t = st.columns(len(impact.VERDICTS))
for col, term in zip(t, impact.VERDICTS, strict=True):
    col.metric(_(term.label), _.number(summary[term.code]))
st.caption(_("Tourist arrivals, 24 months before and after signing; indicative. The Tourism page shows the method."))
