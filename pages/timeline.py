"""Timeline: agreements from signing to expiry, events by kind, and what is coming."""

import datetime as dt

import streamlit as st

from twinmap import cache, charts, config, present, queries, reference, ui

ui.inside_frame()

today = config.today()
base = ui.home_filter()
all_partners = cache.partnerships(base, today)
labels = dict(zip(all_partners["id"], charts.pair_labels(all_partners), strict=True))
first, _ = cache.signing_years()

with st.sidebar:
    st.subheader("Timeline filters")
    chosen = st.multiselect(
        "Partnerships", list(labels), format_func=labels.get, key="timeline_partners", placeholder="All partnerships"
    )
    kinds = st.multiselect(
        "Event kinds",
        reference.codes(reference.EVENT_KINDS),
        format_func=lambda c: reference.label(reference.EVENT_KINDS, c),
        key="timeline_kinds",
        placeholder="All kinds",
    )
    years = st.slider(
        "Years", first, today.year + 2, (max(first, today.year - 12), today.year + 1), key="timeline_years"
    )

f = queries.PartnershipFilter(home_city_ids=base.home_city_ids, partnership_ids=tuple(chosen))
start, end = dt.date(years[0], 1, 1), dt.date(years[1], 12, 31)
partners = cache.partnerships(f, today)
events = cache.events(f, tuple(kinds), start, end)

st.title("Timeline")
st.caption(f"{len(events)} events of {len(partners)} partnerships, {years[0]}–{years[1]}.")
fig = charts.timeline(partners, events, today)
fig.update_xaxes(range=[start, end])
st.plotly_chart(fig, key="timeline_chart")

st.subheader("Upcoming events")
st.dataframe(present.events_table(cache.upcoming_events(f, today, 20)), hide_index=True, key="timeline_upcoming")
